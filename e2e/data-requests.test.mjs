// Data-subject requests (issue 23 item 4): on the generated agency a case manager records a
// client's request for a copy of her data from the case's persons tab (a missing text refused
// beside its field), sees it in the register with its due date, downloads the export as PDF and
// JSON, and answers it; her unit's supervisor sees it in the unit's register. Axe on each page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

test('a client’s access request is recorded, exported and answered', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logInAs(page, BASE, 'gen-manager-001');
    await page.goto(`${BASE}/cases?mine=true`);
    const href = (await page.locator('a[href^="/cases/0"]').first().getAttribute('href')).split('?')[0];
    await page.goto(`${BASE}${href}?tab=persons`);
    await clickAndLoad(page, 'a.dsr-new >> nth=0');
    assert.match(new URL(page.url()).pathname, /^\/persons\/.+\/data-requests\/new$/);
    await assertAccessible(page, 'the new data request form');
    seen.check('the form');

    // Blank text (spaces pass the browser's check): refused beside the field (a 422 on
    // purpose, taken off the watched problems).
    await page.locator('textarea#details').fill('   ');
    await clickAndLoad(page, 'button#dsr-submit');
    assert.ok(await page.locator('#details-error').isVisible());
    assert.ok(await page.locator('#error-summary').isVisible());
    await assertAccessible(page, 'the form with an error');
    assert.match(seen.problems.splice(-1, 1)[0], /HTTP 422/);
    await page.locator('textarea#details').fill('ผู้รับบริการขอสำเนาข้อมูลทั้งหมดที่หน่วยงานบันทึกไว้');
    await clickAndLoad(page, 'button#dsr-submit');
    assert.match(new URL(page.url()).pathname, /^\/data-requests\/.+/);
    const requestPath = new URL(page.url()).pathname;
    assert.ok(await page.locator('#dsr-export-pdf').isVisible());
    await assertAccessible(page, 'the data request');

    // The export, both forms.
    const pdf = await page.request.get(`${BASE}${requestPath}/export.pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const json = await (await page.request.get(`${BASE}${requestPath}/export.json`)).json();
    assert.ok(json.person.display_name);
    assert.ok(json.cases.length >= 1);

    // The register.
    await page.goto(`${BASE}/data-requests`);
    assert.ok(await page.locator(`#data-requests a[href="${requestPath}"]`).isVisible());
    await assertAccessible(page, 'the register');

    // Answered: carried out.
    await page.goto(`${BASE}${requestPath}`);
    await page.locator('input#status-completed').check();
    await page.locator('textarea#note').fill('ส่งสำเนาข้อมูลให้ผู้รับบริการทางไปรษณีย์แล้ว');
    await clickAndLoad(page, 'button#dsr-answer-submit');
    assert.ok(await page.locator('.flash-ok').isVisible());
    assert.equal(await page.locator('form#dsr-answer-form').count(), 0);
    await assertAccessible(page, 'an answered data request');
    seen.check('the case manager');

    // Her unit's supervisor sees it.
    await logInAs(page, BASE, 'gen-supervisor-001');
    await page.goto(`${BASE}/data-requests`);
    assert.ok(await page.locator(`#data-requests a[href="${requestPath}"]`).isVisible());
    seen.check('the supervisor');
  } finally {
    await browser.close();
  }
});
