// Trends and forecasts (issue 22, item 4). e2e/run.sh generates a synthetic agency (`karuna
// gen`, five years of cases) beside the demo organisation: its supervisor opens the trends
// page from the home page and sees five years of new cases, the months ahead forecast inside
// their interval, and the backtest against seasonal-naive; she changes the horizon and the case
// type (kept in the URL). The demo's supervisor, with a short history, is told how many months
// a forecast needs. Axe on every page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

test('new cases forecast with a backtest, on the generated agency and the demo', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    await logInAs(page, BASE, 'gen-supervisor-001');
    await clickAndLoad(page, 'a#home-trends');
    assert.equal(new URL(page.url()).pathname, '/reports/trends');
    assert.equal(await page.locator('select#unit').count(), 0, 'a supervisor sees her own unit');
    assert.equal(await page.locator('svg#trends-chart').count(), 1);
    assert.equal(await page.locator('#trends-ahead-table tbody tr').count(), 6, 'six months ahead by default');
    assert.equal(await page.locator('#trends-backtest-table tbody tr').count(), 6);
    assert.match(await page.locator('#trends-verdict').innerText(), /ค่าเดือนเดียวกันของปีก่อน/);
    assert.match(await page.locator('#trends-backtest-figures').innerText(), /MASE/);
    assert.ok(await page.locator('#trends-history-table tbody tr').count() >= 30, 'years of history');
    await assertAccessible(page, 'trends of the generated unit');

    await page.locator('select#horizon').selectOption('3');
    await page.locator('select#case_type').selectOption('child_protection');
    await clickAndLoad(page, 'button#trends-show');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('horizon'), '3', 'the filters are in the URL');
    assert.equal(url.searchParams.get('case_type'), 'child_protection');
    assert.equal(await page.locator('#trends-ahead-table tbody tr').count(), 3);
    assert.match(await page.locator('a#trends-csv').getAttribute('href'), /horizon=3/, 'the download keeps the filters');
    await assertAccessible(page, 'trends of one case type, three months');
    seen.check('generated supervisor');

    await logInAs(page, BASE, 'demo-supervisor');
    await page.goto(`${BASE}/reports/trends`);
    assert.match(await page.locator('#trends-unavailable').innerText(), /30 เดือน/);
    assert.equal(await page.locator('#trends-ahead-table').count(), 0);
    await assertAccessible(page, 'trends of the demo unit, too short');
    seen.check('demo supervisor');
  } finally {
    await browser.close();
  }
});
