// The daily e-mail digest's settings against `karuna serve --demo` (no SMTP configured): a
// worker opens her profile, is told that the server sends no mail yet, gives an address the
// server refuses (a field error in Thai, what she typed kept), then a good one with the daily
// summary — with axe on every page state.

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

test('a worker asks for the daily summary by e-mail on her profile', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-psychologist');
    await page.goto(`${BASE}/profile`);
    assert.ok(await page.locator('h2#email-heading').isVisible());
    assert.ok(await page.locator('#mail-off').isVisible(), 'the page says no mail is sent yet');
    await assertAccessible(page, 'profile with e-mail settings');

    // A host without a domain passes the browser's check but not the server's.
    await page.locator('input#email').fill('malee@localhost');
    await page.locator('input#daily_digest').check();
    await clickAndLoad(page, 'button#save-email');
    assert.equal(await page.locator('input#email').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#email-error').innerText(), /อีเมลไม่ถูกต้อง/);
    assert.equal(await page.locator('input#email').inputValue(), 'malee@localhost');
    await assertAccessible(page, 'profile with an e-mail error');
    // The refusal was a 422, as it should be; nothing else may have gone wrong.
    assert.deepEqual(seen.problems.splice(0), ['HTTP 422 for /profile/email']);

    await page.locator('input#email').fill('psychologist@pmj.example.go.th');
    await clickAndLoad(page, 'button#save-email');
    assert.match(await page.locator('.flash-ok').innerText(), /บันทึกการตั้งค่าอีเมลแล้ว/);
    assert.equal(await page.locator('input#email').inputValue(), 'psychologist@pmj.example.go.th');
    assert.ok(await page.locator('input#daily_digest').isChecked());
    await assertAccessible(page, 'profile with e-mail saved');
    seen.check('e-mail settings');
  } finally {
    await browser.close();
  }
});
