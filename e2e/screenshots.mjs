// Takes the screenshots of the Thai user guide (docs/th/user-guide.md) from a running
// `karuna serve --demo`, in Debian's Chromium, as the demo case manager would see them.
// Not a test: run it by hand when the pages change, then commit the PNGs.
//
//   KARUNA_URL=http://127.0.0.1:8080 node e2e/screenshots.mjs [out-dir]
//
// The out-dir defaults to docs/th/img. Pages are 1000 px wide; each PNG is reduced to a
// palette with pngquant when it is installed (Debian's `pngquant`; about a third of the size,
// the text still sharp).

import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, firstPage } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) throw new Error('set KARUNA_URL to a running `karuna serve --demo`');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(process.argv[2] || path.join(HERE, '..', 'docs', 'th', 'img'));
const UUID = /\/cases\/([0-9a-f-]{36})$/;

function optimise(file) {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality=70-90', '--ext', '.png', file]);
  } catch {
    // No pngquant (or nothing gained): keep the full-colour PNG.
  }
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const browser = await launch({ viewport: { width: 1000, height: 760 }, locale: 'th-TH' });
  const page = await firstPage(browser.context);
  const shot = async (name, { full = false, clip } = {}) => {
    const file = path.join(OUT, `${name}.png`);
    await page.screenshot({ path: file, fullPage: full, clip });
    optimise(file);
    console.log(file);
  };
  const go = async (p) => {
    await page.goto(`${BASE}${p}`);
    await page.waitForLoadState('networkidle');
  };
  /** The first case in the list filtered by `status`. */
  const firstCase = async (status) => {
    await go(`/cases?status=${status}`);
    for (const href of await page.locator('a[href^="/cases/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      if (UUID.test(href)) return href;
    }
    throw new Error(`no ${status} case in the demo`);
  };
  try {
    await go('/login');
    await shot('01-login');
    await page.locator('input#username').fill('demo-manager');
    await page.locator('input#password').fill('karuna-demo');
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('button#login-submit').click()]);
    await page.waitForLoadState('networkidle');
    await shot('02-home');

    await go('/cases/new');
    await shot('03-intake');

    const active = await firstCase('implementation');
    await go(active);
    await shot('04-case');
    await go(`${active}?tab=contacts`);
    await shot('05-contacts');
    await go(`${active}?tab=promises`);
    await shot('06-promises');
    // The list with the start form, its case type's template selected.
    await go(`${active}/assessments`);
    await shot('07-assessment', { full: true });
    await go(`${active}/timeline`);
    await shot('12-timeline');
    await go(`${active}/plan`);
    await shot('08-plan');

    const review = await firstCase('review');
    await go(`${review}/closure`);
    await shot('09-review');
    const closed = await firstCase('closed');
    await go(`${closed}/closure`);
    await shot('10-closure');

    // The results (the filter form above them is left out of the picture).
    await go(`/search?q=${encodeURIComponent('เยี่ยมบ้าน')}`);
    const results = await page.locator('section[aria-labelledby="search-results-heading"]').boundingBox();
    await shot('11-search', {
      full: true,
      clip: results && { x: 0, y: Math.max(results.y - 16, 0), width: 1000, height: Math.min(results.height + 32, 700) },
    });
  } finally {
    await browser.close();
  }
}

await main();
