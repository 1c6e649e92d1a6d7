// Break-the-glass (issue 23 item 1, "done when"): on the generated agency a case manager of
// another unit opens a case she has no part in — the case page refuses and offers emergency
// access, a reason too short is a field error, a real reason opens the case read-only with a
// banner; the supervisor of the case's unit sees what was read in the window and marks it
// justified; the administrator sets how long the access lasts. Axe on every page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

test('a case is opened in an emergency, read, and reviewed', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    // A case of gen-manager-001 (unit 1, supervised by gen-supervisor-001).
    await logInAs(page, BASE, 'gen-manager-001');
    await page.goto(`${BASE}/cases?mine=true`);
    const href = (await page.locator('a[href^="/cases/0"]').first().getAttribute('href')).split('?')[0];
    await page.goto(`${BASE}${href}`);
    const number = (await page.locator('#case-title code').innerText()).trim();
    seen.check('the case manager');

    // gen-manager-002 works in another unit: refused, and offered emergency access.
    await logInAs(page, BASE, 'gen-manager-002');
    const refused = await page.goto(`${BASE}${href}`);
    assert.equal(refused.status(), 403);
    seen.problems.length = 0;
    seen.check('reset');
    assert.ok(await page.locator('form#emergency-case-form').isVisible());
    await assertAccessible(page, 'the emergency access form');
    await page.locator('textarea#reason').fill('ด่วน');
    await clickAndLoad(page, 'button#emergency-open');
    assert.ok(await page.locator('#error-summary').isVisible());
    assert.ok(await page.locator('#reason-error').isVisible());
    await assertAccessible(page, 'the emergency access form with an error');
    seen.problems.length = 0;
    seen.check('reset');
    await page.locator('textarea#reason').fill('สายด่วน 1300 แจ้งว่าผู้รับบริการหายออกจากบ้าน ต้องการข้อมูลติดต่อญาติด่วน');
    await clickAndLoad(page, 'button#emergency-open');
    assert.equal(new URL(page.url()).pathname, href);
    assert.ok(await page.locator('#emergency-banner').isVisible());
    await assertAccessible(page, 'a case read with emergency access');
    await page.goto(`${BASE}/emergency-access`);
    assert.match(await page.locator('#emergency-mine').innerText(), new RegExp(number));
    await assertAccessible(page, 'my emergency access');
    seen.check('the duty officer');

    // The supervisor of the case's unit reviews it, with what was read.
    await logInAs(page, BASE, 'gen-supervisor-001');
    await page.goto(`${BASE}/emergency-access`);
    const row = page.locator('#emergency-to-review tr', { hasText: number });
    await assertAccessible(page, 'the review list');
    await clickAndLoad(page, `#emergency-to-review tr:has-text("${number}") a[id^="review-"]`);
    assert.ok(await page.locator('#emergency-reads tbody tr').count() >= 2);
    await assertAccessible(page, 'one emergency access with its reads');
    await page.locator('input#review-justified').check();
    await page.locator('textarea#note').fill('ยืนยันกับเวรสายด่วนแล้ว');
    await clickAndLoad(page, 'button#emergency-review-save');
    assert.equal(new URL(page.url()).pathname, '/emergency-access');
    await page.goto(`${BASE}/emergency-access?show=all`);
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /มีเหตุอันสมควร/);
    await assertAccessible(page, 'the review list after the review');
    seen.check('the supervisor');

    // The administrator sets how long emergency access lasts.
    await logInAs(page, BASE, 'gen-admin');
    await page.goto(`${BASE}/admin/emergency-access`);
    await assertAccessible(page, 'the emergency access settings');
    await page.locator('input#hours').fill('4');
    await clickAndLoad(page, 'button#emergency-settings-save');
    assert.equal(await page.locator('input#hours').inputValue(), '4');
    assert.ok(await page.locator('.flash-ok').isVisible());
    await assertAccessible(page, 'the emergency access settings saved');
    seen.check('the administrator');
  } finally {
    await browser.close();
  }
});
