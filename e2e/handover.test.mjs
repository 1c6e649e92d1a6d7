// A transfer with its handover note against `karuna serve --demo`: the case manager transfers
// a case to her supervisor (a transfer without a note is refused first), the supervisor finds
// it on her home page, reads the note on the case and acknowledges it — with axe on every
// page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

async function logIn(page, user) {
  await page.context().clearCookies();
  await page.goto(`${BASE}/login`);
  await page.locator('input#username').fill(user);
  await page.locator('input#password').fill('karuna-demo');
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 }), page.locator('button#login-submit').click()]);
  if ((await page.locator('html').getAttribute('lang')) !== 'th') {
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
  }
}

test('a case handed over with a note the new case manager acknowledges', { timeout: 150_000 }, async () => {
  const browser = await launch();
  const note = `นัดเยี่ยมบ้านวันศุกร์ อย่าโทรเข้าบ้าน ${Date.now() % 100000}`;
  try {
    const page = await firstPage(browser.context);
    watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases`);
    const hrefs = await page.locator('a[href^="/cases/0"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href').split('?')[0]))]);
    // The last of her cases on the first page (the other tests use the first ones).
    const caseUrl = `${BASE}${hrefs[hrefs.length - 1]}`;
    await page.goto(`${caseUrl}?tab=team`);
    const option = page.locator('#transfer-to option', { hasText: 'สุดารัตน์ ใจดี' });
    await page.locator('#transfer-to').selectOption(await option.getAttribute('value'));
    await page.locator('#transfer-reason').fill('ลาคลอด');
    await clickAndLoad(page, 'form[action$="/transfer"] button[type=submit]');
    assert.equal(await page.locator('#transfer-handover').getAttribute('aria-invalid'), 'true', 'no note, refused');
    await assertAccessible(page, 'transfer refused');
    await page.locator('#transfer-handover').fill(note);
    await clickAndLoad(page, 'form[action$="/transfer"] button[type=submit]');
    assert.match(await page.locator('.flash').first().innerText(), /โอนรายกรณีแล้ว/);
    await assertAccessible(page, 'after the transfer');

    // The supervisor: on her home page, then the note on the case, acknowledged.
    await logIn(page, 'demo-supervisor');
    assert.equal(await page.locator('#pending-handovers li').count() >= 1, true, 'the handover awaits her');
    await assertAccessible(page, 'home with a handover');
    await page.goto(caseUrl);
    const card = page.locator('article.handover', { hasText: note });
    assert.equal(await card.count(), 1);
    await clickAndLoad(page, `article.handover:has-text("${note}") button.handover-acknowledge`);
    assert.match(await page.locator('.flash').first().innerText(), /รับทราบบันทึกส่งต่องานแล้ว/);
    assert.equal(await page.locator('article.handover', { hasText: note }).locator('button').count(), 0);
    await assertAccessible(page, 'case with an acknowledged handover');
  } finally {
    await browser.close();
  }
});
