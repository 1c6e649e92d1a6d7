// Advocacy reports against `karuna serve --demo` (issue 21, item 2): a case manager starts a
// report from the home page, finds its figures pre-filled, writes the situation, an example,
// the problems and the proposals, saves and submits it; a supervisor approves it; the PDF
// downloads; the history lists every version — with axe on every page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

function logIn(page, user) {
  return logInAs(page, BASE, user);
}

test('an advocacy report is written, approved and downloaded', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    await logIn(page, 'demo-manager');
    await clickAndLoad(page, 'a#home-advocacy');
    assert.equal(new URL(page.url()).pathname, '/reports/advocacy');
    await assertAccessible(page, 'the reports');

    // A report without an audience is refused beside its field.
    await page.locator('input#title').fill('ที่พักฉุกเฉินไม่พอรองรับผู้ถูกกระทำ');
    await clickAndLoad(page, 'button#adv-create');
    assert.ok(await page.locator('#audience-error').isVisible());
    await assertAccessible(page, 'a report without an audience');
    assert.throws(() => seen.check('no audience'), /HTTP 422/);

    await page.locator('select#audience').selectOption('executives');
    await clickAndLoad(page, 'button#adv-create');
    assert.match(new URL(page.url()).pathname, /^\/reports\/advocacy\/[0-9a-f-]{36}$/);
    const reportPath = new URL(page.url()).pathname;
    assert.equal(await page.locator('#adv-status').getAttribute('data-status'), 'draft');
    assert.equal(await page.locator('fieldset.finding').count(), 5, 'five findings pre-filled');
    await assertAccessible(page, 'a new draft');

    await page.locator('textarea#narrative').fill('ผู้หญิงและเด็กที่ถูกกระทำรุนแรงต้องรอที่พักปลอดภัย');
    await page.locator('textarea#example-new').fill('หญิง อายุ 30–39 ปี รอบ้านพักฉุกเฉินนาน 14 วัน');
    await page.locator('textarea#problems').fill('บ้านพักฉุกเฉินในจังหวัดมีเตียงไม่พอ');
    await page.locator('textarea#solutions').fill('ขอเพิ่มเตียงฉุกเฉินและทำข้อตกลงกับบ้านพักเอกชน');
    await page.locator('input#finding-waiting').uncheck();
    await clickAndLoad(page, 'button#adv-save');
    assert.ok(await page.locator('p.flash-ok').isVisible());
    assert.equal(await page.locator('textarea#example-1').inputValue(), 'หญิง อายุ 30–39 ปี รอบ้านพักฉุกเฉินนาน 14 วัน');
    assert.equal(await page.locator('input#finding-waiting').isChecked(), false);
    await assertAccessible(page, 'a saved draft');
    await clickAndLoad(page, 'button#adv-submit');
    assert.equal(await page.locator('#adv-status').getAttribute('data-status'), 'in_review');
    assert.ok(await page.locator('#adv-waiting').isVisible(), 'the writer waits for a supervisor');
    await assertAccessible(page, 'a report in review');
    seen.check('manager');

    await logIn(page, 'demo-supervisor');
    await page.goto(`${BASE}${reportPath}`);
    await assertAccessible(page, 'the report for its reviewer');
    await clickAndLoad(page, 'button#adv-approve');
    assert.equal(await page.locator('#adv-status').getAttribute('data-status'), 'approved');
    assert.match(await page.locator('#adv-narrative').innerText(), /รอที่พักปลอดภัย/);
    assert.equal(await page.locator('#adv-waiting-table').count(), 0, 'a figure left out stays out');
    assert.equal(await page.locator('#adv-versions tbody tr').count(), 4, 'created, edited, submitted, approved');
    await assertAccessible(page, 'an approved report');

    const download = await Promise.all([page.waitForEvent('download'), page.locator('a#adv-pdf').click()]).then(([d]) => d);
    assert.equal(download.suggestedFilename(), 'karuna-report.pdf');
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

    await clickAndLoad(page, '#adv-versions a >> nth=-1');
    assert.match(new URL(page.url()).pathname, /\/versions\/1$/);
    await assertAccessible(page, 'the first version');
    seen.check('supervisor');
  } finally {
    await browser.close();
  }
});
