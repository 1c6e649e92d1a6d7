// The printed case file against `karuna serve --demo` (issue 21, item 4): a case manager opens
// one of her cases, finds "print the case file" in its header on every tab, and downloads it as
// a PDF named by the case number — with axe on the pages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, firstPage, watch, assertAccessible, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

test('a case file downloads as a PDF from the case header', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logInAs(page, BASE, 'demo-manager');
    await page.goto(`${BASE}/cases?mine=true`);
    const href = await page.locator('a[href^="/cases/0"]').first().getAttribute('href');
    const casePath = href.split('?')[0];
    for (const tab of ['', '/plan', '/closure']) {
      await page.goto(`${BASE}${casePath}${tab}`);
      assert.equal(await page.locator('a#case-pdf').getAttribute('href'), `${casePath}/file.pdf`);
      await assertAccessible(page, `the case ${tab || 'file'} with its print link`);
    }
    const number = (await page.locator('#case-title code').innerText()).trim();
    const download = await Promise.all([page.waitForEvent('download'), page.locator('a#case-pdf').click()]).then(([d]) => d);
    assert.equal(download.suggestedFilename(), `karuna-case-${number}.pdf`);
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.includes('Sarabun'), 'the Thai font is embedded');
    seen.check('case pdf');
  } finally {
    await browser.close();
  }
});
