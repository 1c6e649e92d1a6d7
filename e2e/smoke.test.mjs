// Browser smoke test against a running `karuna serve --demo` (see run.sh).
// KARUNA_URL is the server's base URL, e.g. http://127.0.0.1:41234
//
// The page contract it checks (implemented by crates/web):
//   /login: <html lang="th">, input#username, input#password, button#login-submit,
//           and in demo mode #demo-accounts naming the demo accounts.
//   /:      h1, header with form#logout-form > button#logout.
//   every page: form.lang-switch with button#lang-th and button#lang-en (POST).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch,
  firstPage,
  watch,
  assertAccessible,
  clickAndLoad,
  htmlLang,
  pathname,
  scrollWidth,
} from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh, or start `karuna serve --demo` and export KARUNA_URL');
}
const ORIGIN = new URL(BASE).origin;
const USER = 'demo-manager';
const PASSWORD = 'karuna-demo';

/** Log in through the form and wait for the home page. */
async function logIn(page) {
  await page.locator('input#username').fill(USER);
  await page.locator('input#password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 }).catch(async (err) => {
      const flash = await page.locator('.flash, [role=alert]').allInnerTexts().catch(() => []);
      throw new Error(`login did not reach / (now at ${page.url()}; messages: ${JSON.stringify(flash)}): ${err.message}`);
    }),
    page.locator('button#login-submit').click(),
  ]);
}

test('login, language switch, logout, with axe on every page', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    // 1. The login page, in Thai by default, listing the demo accounts.
    await page.goto(`${BASE}/login`);
    assert.equal(pathname(page), '/login');
    assert.equal(await htmlLang(page), 'th', 'login page should default to <html lang="th">');
    for (const sel of ['input#username[name=username]', 'input#password[name=password]', 'button#login-submit']) {
      await page.locator(sel).waitFor({ state: 'visible' });
    }
    const demo = await page.locator('#demo-accounts').innerText();
    assert.match(demo, /demo-manager/, '#demo-accounts should name demo-manager');
    await assertAccessible(page, 'login (th)');
    seen.check('login page');

    // 2. Log in: home page with a heading and a logout button.
    await logIn(page);
    assert.equal(pathname(page), '/');
    assert.ok(await page.locator('h1').first().isVisible(), 'home should have a visible h1');
    assert.ok(await page.locator('form#logout-form button#logout').isVisible(), 'button#logout should be visible');
    await assertAccessible(page, 'home (th)');
    seen.check('home page');

    // 3. Switch to English: same page, <html lang="en">.
    await clickAndLoad(page, 'form.lang-switch button#lang-en');
    assert.equal(pathname(page), '/', 'language switch should return to the same page');
    assert.equal(await htmlLang(page), 'en');
    await assertAccessible(page, 'home (en)');
    seen.check('home page in English');

    // 4. And back to Thai.
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
    assert.equal(pathname(page), '/');
    assert.equal(await htmlLang(page), 'th');

    // 5. Log out: back on /login, and / now redirects there.
    await clickAndLoad(page, 'form#logout-form button#logout');
    assert.equal(pathname(page), '/login', 'logout should end on /login');
    await page.goto(`${BASE}/`);
    assert.equal(pathname(page), '/login', 'after logout, / should redirect to /login');
    seen.check('after logout');
  } finally {
    await browser.close();
  }
});

test('home fits a 360 px wide phone screen', { timeout: 120_000 }, async () => {
  const browser = await launch({ viewport: { width: 360, height: 740 }, isMobile: false });
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await page.goto(`${BASE}/login`);
    assert.ok((await scrollWidth(page)) <= 360, `login page is ${await scrollWidth(page)} px wide at 360 px`);
    await logIn(page);
    assert.equal(pathname(page), '/');
    assert.ok(await page.locator('button#logout').isVisible(), 'button#logout should be visible at 360 px');
    const width = await scrollWidth(page);
    assert.ok(width <= 360, `home has a horizontal scrollbar: scrollWidth ${width} > 360`);
    seen.check('360 px');
  } finally {
    await browser.close();
  }
});
