// Resource matching against `karuna serve --demo` (issue 22, item 2): from a case's referrals
// the case manager opens the services that fit, ranks the directory's general welfare services for the client,
// reads each one's reasons, chooses the second with a reason, and lands on the referral form
// with that service; the choice is on the case's timeline — with axe on every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

test('services are ranked for a need with their reasons and the choice is recorded', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logInAs(page, BASE, 'demo-manager');
    await page.goto(`${BASE}/cases?mine=true`);
    const href = await page.locator('a[href^="/cases/0"]').first().getAttribute('href');
    const casePath = href.split('?')[0];

    await page.goto(`${BASE}${casePath}/referrals`);
    await clickAndLoad(page, 'a#referral-match');
    await assertAccessible(page, 'services that fit');
    await page.locator('#category').selectOption('general_welfare');
    await clickAndLoad(page, 'button#match-category-submit');
    await assertAccessible(page, 'services ranked');
    const items = page.locator('#match-list > li');
    assert.ok((await items.count()) >= 2, 'at least two services are ranked');
    const reasons = await page.locator('#match-1 .match-reasons').innerText();
    assert.match(reasons, /ให้บริการ/, 'the first service says where it serves');
    const second = (await page.locator('#match-2 strong').innerText()).trim();

    // The second, with a reason: on to the referral form with it.
    await page.locator('#match-2 input[type=radio]').check();
    await page.locator('#reason').fill('ผู้รับบริการขอไปอยู่ใกล้ญาติ');
    await clickAndLoad(page, 'button#match-submit');
    assert.match(await page.locator('#referral-service').innerText(), new RegExp(second.replace(/[()]/g, '.')));
    await assertAccessible(page, 'the referral form with the chosen service');

    await clickAndLoad(page, 'a#tab-timeline');
    assert.match(await page.locator('main').innerText(), /เลือกบริการอื่น/);
    seen.check('service matching');
  } finally {
    await browser.close();
  }
});
