// The dashboard against `karuna serve --demo` (issue 21, item 1): a supervisor opens her
// unit's from the home page and changes the period; a data analyst chooses a unit and a
// province, sees small counts shown as "<5" in the charts and the tables, and a filter that
// does not read is shown beside its field — with axe on every page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

function logIn(page, user) {
  return logInAs(page, BASE, user);
}

test('the dashboard for a supervisor and for an analyst', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    await logIn(page, 'demo-supervisor');
    await clickAndLoad(page, 'a#home-dashboard');
    assert.equal(new URL(page.url()).pathname, '/reports/dashboard');
    assert.match(await page.locator('#dash-heading').innerText(), /ปีงบประมาณ/);
    assert.equal(await page.locator('select#unit').count(), 0, 'a supervisor sees her own unit');
    assert.ok(await page.locator('svg.bar-chart').count() >= 6);
    await assertAccessible(page, 'supervisor dashboard');
    const quarter = await page.locator('select#period option[value^="q-"]').first().getAttribute('value');
    await page.locator('select#period').selectOption(quarter);
    await clickAndLoad(page, 'button#dash-show');
    assert.equal(new URL(page.url()).searchParams.get('period'), quarter, 'the filter is in the URL');
    assert.match(await page.locator('#dash-heading').innerText(), /ไตรมาส/);
    await assertAccessible(page, 'supervisor dashboard, one quarter');
    seen.check('supervisor');

    await logIn(page, 'demo-analyst');
    await page.goto(`${BASE}/reports/dashboard`);
    await assertAccessible(page, 'analyst dashboard');
    // The shelter has few cases: some of its counts are under five.
    const shelter = await page.locator('select#unit option', { hasText: 'บ้านพัก' }).getAttribute('value');
    await page.locator('select#unit').selectOption(shelter);
    await clickAndLoad(page, 'button#dash-show');
    assert.equal(new URL(page.url()).searchParams.get('unit'), shelter, 'the filter is in the URL');
    assert.ok(await page.locator('td.num', { hasText: '<5' }).count() > 0, 'small counts are shown as such');
    assert.ok(await page.locator('rect.bar-suppressed').count() > 0, 'and drawn as such');
    await assertAccessible(page, 'analyst dashboard, the shelter');
    const download = await Promise.all([page.waitForEvent('download'), page.locator('a#dash-xlsx').click()]).then(([d]) => d);
    assert.equal(download.suggestedFilename(), 'karuna-dashboard.xlsx');
    assert.match(await page.locator('a#dash-csv').getAttribute('href'), new RegExp(`unit=${shelter}`), 'the download keeps the filters');
    await page.locator('select#unit').selectOption('');
    await page.locator('select#province').selectOption('50');
    await clickAndLoad(page, 'button#dash-show');
    assert.equal(new URL(page.url()).searchParams.get('province'), '50');
    await assertAccessible(page, 'analyst dashboard, one province');
    seen.check('analyst');

    await page.goto(`${BASE}/reports/dashboard?period=fy-1`);
    assert.match(await page.locator('#period-error').innerText(), /เลือกช่วงเวลา/);
    await assertAccessible(page, 'a period that does not read');
    assert.throws(() => seen.check('bad period'), /HTTP 422/);
  } finally {
    await browser.close();
  }
});
