// The API documentation page (/api/docs): reached from the profile page, not from the main
// menu; rendered by the server from the OpenAPI document (no script); passes axe (the whole
// page in light, its first sections in dark and at 360 px), no horizontal scroll, no CSP
// violation, nothing fetched remotely.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, firstPage, watch, assertAccessible, formatViolations, scrollWidth, pathname, htmlLang } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;
const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-results');

async function logIn(page, user) {
  await page.goto(`${BASE}/login`);
  await page.locator('input#username').fill(user);
  await page.locator('input#password').fill('karuna-demo');
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 }),
    page.locator('button#login-submit').click(),
  ]);
}

test('a social worker finds API docs on the profile page, not in the main menu', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    const menu = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(!menu.includes('/api/docs'), `main menu should not offer /api/docs: ${menu}`);
    await page.goto(`${BASE}/profile`);
    await Promise.all([page.waitForURL((u) => u.pathname === '/api/docs'), page.locator('#api-docs-link').click()]);
    assert.equal(pathname(page), '/api/docs');
    seen.check('profile to API docs');
  } finally {
    await browser.close();
  }
});

for (const [scheme, width] of [
  ['light', 1280],
  ['dark', 1280],
  ['light', 360],
]) {
  test(`/api/docs passes axe (${scheme}, ${width} px)`, { timeout: 300_000 }, async () => {
    const browser = await launch({ colorScheme: scheme, viewport: { width, height: 900 } });
    try {
      const page = await firstPage(browser.context);
      const seen = watch(page, ORIGIN);
      const remote = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(ORIGIN) && !r.url().startsWith('data:')) remote.push(r.url());
      });
      await page.goto(`${BASE}/api/docs`);
      assert.ok(await page.locator('h1').isVisible());
      // A page, so Thai until the visitor picks English (the browser sends en-US).
      assert.equal(await htmlLang(page), 'th');
      // Every operation is on the page, with its id as anchor.
      const spec = await (await fetch(`${BASE}/api/openapi.json`)).json();
      const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
      assert.ok(ids.length > 50, `${ids.length} operations`);
      for (const id of ['listCaseContacts', 'getCase', 'createCase']) {
        assert.ok(ids.includes(id), `${id} in the document`);
        assert.equal(await page.locator(`article#${id}`).count(), 1, `article#${id} on the page`);
      }
      assert.equal(await page.locator('article.api-op').count(), ids.length);
      assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
      if (scheme === 'light' && width === 1280) {
        // The whole page once (it is long: every operation and schema; axe takes minutes).
        await assertAccessible(page, `api docs ${scheme} ${width}`);
      } else {
        // The other variants: the header, contents and the first sections.
        const results = await new AxeBuilder({ page })
          .include('header')
          .include('.api-toc')
          .include('.api-tag:nth-of-type(2)')
          .include('.api-schema:nth-of-type(1)')
          .analyze();
        const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.equal(bad.length, 0, `axe on api docs ${scheme} ${width}:\n${formatViolations(bad)}`);
      }
      const sw = await scrollWidth(page);
      assert.ok(sw <= width, `page scrollWidth ${sw} > ${width}`);
      assert.deepEqual(remote, [], 'nothing fetched remotely');
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `api-docs-${scheme}-${width}.png`) });
      seen.check(`api docs ${scheme} ${width}`);
    } finally {
      await browser.close();
    }
  });
}
