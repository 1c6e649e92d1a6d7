// Tests of the vendored assets and karuna.css on a fixture page, without the
// Rust server: a tiny static server sends crates/web/assets under /static/ with
// the app's strict CSP. Checks axe (light and dark), 360 px, keyboard focus,
// print, and that Sarabun and htmx load. (The API documentation page is rendered by the
// server and checked with axe in api-docs.test.mjs.)
// Screenshots go to e2e/test-results/ (gitignored) for a person to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, firstPage, watch, assertAccessible, scrollWidth } from './lib/browser.mjs';
import { startStaticServer } from './lib/static-server.mjs';

const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-results');
let server;

before(async () => {
  server = await startStaticServer();
  await mkdir(SHOTS, { recursive: true });
});
after(async () => {
  await server?.close();
});

/** Open the fixture layout in a fresh browser; returns { page, seen, close }. */
async function openLayout(options = {}) {
  const browser = await launch(options);
  const page = await firstPage(browser.context);
  const seen = watch(page, server.url);
  await page.goto(`${server.url}/`);
  await page.evaluate(() => document.fonts.ready);
  return { page, seen, close: browser.close };
}

test('light scheme: assets load under the CSP, Sarabun and htmx work, axe passes', { timeout: 120_000 }, async () => {
  const { page, seen, close } = await openLayout({ colorScheme: 'light' });
  try {
    const family = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(family, /^"?Sarabun"?,/, `body font-family is ${family}`);
    const buttonFamily = await page.evaluate(() => getComputedStyle(document.querySelector('#logout')).fontFamily);
    assert.match(buttonFamily, /^"?Sarabun"?,/, `button font-family is ${buttonFamily}`);
    const loaded = await page.evaluate(() =>
      [...document.fonts].filter((f) => /Sarabun/.test(f.family) && f.status === 'loaded').map((f) => f.weight),
    );
    assert.ok(loaded.includes('400') && loaded.includes('700'), `Sarabun faces loaded: ${loaded}`);
    const lineHeight = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('main p'));
      return parseFloat(s.lineHeight) / parseFloat(s.fontSize);
    });
    assert.ok(lineHeight >= 1.6, `body line-height ${lineHeight} < 1.6`);
    const htmx = await page.evaluate(() => window.htmx?.version);
    assert.match(String(htmx), /^2\./, `htmx version ${htmx}`);
    await assertAccessible(page, 'fixture light');
    await page.screenshot({ path: path.join(SHOTS, 'layout-light-1280.png'), fullPage: true });
    seen.check('fixture light');
  } finally {
    await close();
  }
});

test('dark scheme: axe passes', { timeout: 120_000 }, async () => {
  const { page, seen, close } = await openLayout({ colorScheme: 'dark' });
  try {
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.equal(bg, 'rgb(18, 24, 28)', 'dark palette should apply');
    await assertAccessible(page, 'fixture dark');
    await page.screenshot({ path: path.join(SHOTS, 'layout-dark-1280.png'), fullPage: true });
    seen.check('fixture dark');
  } finally {
    await close();
  }
});

test('360 px: no horizontal scrollbar, the table scrolls inside its wrapper', { timeout: 120_000 }, async () => {
  const { page, seen, close } = await openLayout({ viewport: { width: 360, height: 740 } });
  try {
    const width = await scrollWidth(page);
    assert.ok(width <= 360, `page scrollWidth ${width} > 360`);
    for (const sel of ['#logout', '#lang-th', '#lang-en', '.app-name']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${sel} is outside the 360 px viewport: ${JSON.stringify(box)}`);
      assert.ok(box.height >= 24 && box.width >= 24, `${sel} target is smaller than 24x24: ${JSON.stringify(box)}`);
    }
    const wrap = await page.evaluate(() => {
      const w = document.querySelector('.table-wrap');
      return { scroll: w.scrollWidth, client: w.clientWidth, overflow: getComputedStyle(w).overflowX };
    });
    assert.equal(wrap.overflow, 'auto');
    assert.ok(wrap.scroll > wrap.client, 'fixture table should be wider than the screen and scroll inside .table-wrap');
    await assertAccessible(page, 'fixture 360');
    await page.screenshot({ path: path.join(SHOTS, 'layout-light-360.png'), fullPage: true });
    seen.check('fixture 360');
  } finally {
    await close();
  }
});

test('keyboard: skip link appears on Tab, focus ring is visible', { timeout: 120_000 }, async () => {
  const { page, close } = await openLayout();
  try {
    const hiddenTop = (await page.locator('.skip-link').boundingBox()).y;
    assert.ok(hiddenTop < 0, 'skip link should be off-screen until focused');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.className);
    assert.equal(focused, 'skip-link');
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box.y >= 0, `focused skip link should be on screen: ${JSON.stringify(box)}`);
    const ring = async () =>
      page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return { id: document.activeElement.id, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
      });
    const skip = await ring();
    assert.equal(skip.style, 'solid');
    assert.ok(skip.width >= 2, `outline ${JSON.stringify(skip)}`);
    // Tab on to the language buttons and check their ring too.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if ((await ring()).id === 'lang-th') break;
    }
    const lang = await ring();
    assert.equal(lang.id, 'lang-th', 'Tab should reach #lang-th');
    assert.equal(lang.style, 'solid');
    assert.ok(lang.width >= 2);
    await page.screenshot({ path: path.join(SHOTS, 'layout-focus.png') });
  } finally {
    await close();
  }
});

test('print: navigation and buttons are hidden', { timeout: 120_000 }, async () => {
  const { page, close } = await openLayout();
  try {
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['header nav', '.lang-switch', '#logout-form', 'button[type=submit]', '.skip-link']) {
      assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} should be hidden in print`);
    }
    assert.ok(await page.locator('h1').isVisible());
    assert.ok(await page.locator('table').isVisible());
  } finally {
    await close();
  }
});
