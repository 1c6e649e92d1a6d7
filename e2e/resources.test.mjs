// The resource directory against `karuna serve --demo`: a case manager finds a shelter in her
// province by a Thai search and opens it; an administrator opens the service's form and
// confirms the entry verified today — with axe on every page.

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

test('a manager finds a shelter in her province; an administrator confirms it verified', { timeout: 150_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    await clickAndLoad(page, 'header nav a[href="/resources"]');
    await assertAccessible(page, 'resource directory');
    await page.locator('input#q').fill('บ้านพัก');
    await page.locator('select#province').selectOption('50');
    // htmx fills the district picker for the province.
    await page.waitForFunction(() => document.querySelectorAll('select#district option').length > 1);
    await page.locator('select#category').selectOption('shelter');
    await clickAndLoad(page, 'button#resource-search-submit');
    const first = page.locator('#resource-list li h3 a').first();
    assert.match(await first.innerText(), /บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่/);
    assert.ok(await page.locator('#resource-list .badge-warn').first().isVisible(), 'flagged: never verified');
    await assertAccessible(page, 'resource search results');
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/resources/services/')), first.click()]);
    assert.ok(await page.locator('#service-stale').isVisible());
    assert.equal(await page.locator('#service-edit').count(), 0, 'a manager does not edit the directory');
    await assertAccessible(page, 'resource service');
    const serviceUrl = page.url();
    seen.check('manager in the directory');

    await logIn(page, 'demo-admin');
    await page.goto(serviceUrl);
    await clickAndLoad(page, '#service-edit');
    assert.ok(await page.locator('form#service-form').isVisible());
    await assertAccessible(page, 'resource service form');
    await page.goto(serviceUrl);
    await clickAndLoad(page, 'button#service-verify');
    assert.ok(await page.locator('.flash-ok').isVisible());
    assert.equal(await page.locator('#service-stale').count(), 0, 'verified today');
    await assertAccessible(page, 'resource service verified');
    await clickAndLoad(page, '#service-provider');
    await assertAccessible(page, 'resource provider');
    seen.check('administrator in the directory');
  } finally {
    await browser.close();
  }
});
