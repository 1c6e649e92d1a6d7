// One's own sessions (issue 23 item 7): the profile page lists where the user is signed in,
// this browser marked with its browser and system in words, and signs out everywhere else.
// Axe on each page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

test('the profile lists my sessions and signs out everywhere else', { timeout: 60_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logInAs(page, BASE, 'demo-supervisor');
    await page.goto(`${BASE}/profile`);
    const current = page.locator('#sessions tr#session-current');
    assert.equal(await current.count(), 1);
    assert.match(await current.innerText(), /Chrom/);
    await assertAccessible(page, 'my sessions on the profile page');
    await clickAndLoad(page, 'button#sign-out-everywhere');
    assert.equal(new URL(page.url()).pathname, '/profile');
    assert.ok(await page.locator('.flash-ok').isVisible());
    assert.equal(await page.locator('#sessions tbody tr').count(), 1, 'only this browser is left');
    await assertAccessible(page, 'signed out everywhere else');
    seen.check('the supervisor');
  } finally {
    await browser.close();
  }
});
