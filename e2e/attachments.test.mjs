// Files on a contact and on an assessment against `karuna serve --demo`: the case manager
// attaches a police report (PDF) to a contact and a medical certificate (PNG) to an
// assessment, a wrong type is refused beside the field, and the timeline lists both — with
// axe on every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

const PDF = Buffer.from('%PDF-1.4\n% police report\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

async function logIn(page, user) {
  await page.context().clearCookies();
  await page.goto(`${BASE}/login`);
  await page.locator('input#username').fill(user);
  await page.locator('input#password').fill('karuna-demo');
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 }), page.locator('button#login-submit').click()]);
}

test('a police report on a contact and a certificate on an assessment', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    watch(page, ORIGIN);
    await logIn(page, 'demo-manager');

    // A case of the manager's that has contacts.
    await page.goto(`${BASE}/cases`);
    const hrefs = await page.locator('a[href^="/cases/0"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    let caseUrl = null;
    for (const href of hrefs) {
      const url = `${BASE}${href.split('?')[0]}`;
      await page.goto(`${url}?tab=contacts`);
      if (await page.locator('article.contact').count() > 0) {
        caseUrl = url;
        break;
      }
    }
    assert.ok(caseUrl, 'a case with contacts');
    const card = page.locator('article.contact').first();

    // A wrong type is refused beside the field, and nothing is listed.
    await card.locator('details.card-action summary', { hasText: 'แนบไฟล์' }).click();
    await card.locator('input[type=file]').setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await clickAndLoad(page, 'article.contact >> nth=0 >> button:has-text("อัปโหลดไฟล์")');
    const refused = page.locator('article.contact').first();
    assert.match(await refused.locator('.field-error').innerText(), /PDF, JPEG หรือ PNG/);
    await assertAccessible(page, 'contacts, upload refused');

    // A PDF with a description goes on the card as a download link.
    await refused.locator('input[type=file]').setInputFiles({ name: 'police-report.pdf', mimeType: 'application/pdf', buffer: PDF });
    await refused.locator('input[name=description]').fill('สำเนาบันทึกประจำวัน สภ.เมือง');
    await clickAndLoad(page, 'article.contact >> nth=0 >> button:has-text("อัปโหลดไฟล์")');
    const link = page.locator('article.contact a[download]', { hasText: 'police-report.pdf' });
    assert.equal(await link.count(), 1, 'the file is listed on its contact');
    assert.match(await page.locator('.flash').first().innerText(), /แนบไฟล์แล้ว/);
    await assertAccessible(page, 'contacts with a file');
    const download = await Promise.all([page.waitForEvent('download'), link.click()]).then(([d]) => d);
    assert.equal(download.suggestedFilename(), 'police-report.pdf');

    // A certificate on an assessment of the case.
    await page.goto(`${caseUrl}/assessments`);
    const started = page.locator('a[href^="/assessments/0"]');
    if (await started.count() === 0) {
      await clickAndLoad(page, 'form[action$="/assessments"] button[type=submit]');
    } else {
      await clickAndLoad(page, 'a[href^="/assessments/0"] >> nth=0');
    }
    await page.locator('#files details summary').click();
    await page.locator('#assessment-file-file').setInputFiles({ name: 'medical-certificate.png', mimeType: 'image/png', buffer: PNG });
    await clickAndLoad(page, '#files button[type=submit]');
    assert.equal(await page.locator('#files a[download]', { hasText: 'medical-certificate.png' }).count(), 1);
    await assertAccessible(page, 'assessment with a file');

    // The timeline names both.
    await page.goto(`${caseUrl}/timeline`);
    const text = await page.locator('main').innerText();
    assert.ok(text.includes('police-report.pdf'), 'the contact\'s file is on the timeline');
    assert.ok(text.includes('medical-certificate.png'), 'the assessment\'s file is on the timeline');
    await assertAccessible(page, 'timeline');
  } finally {
    await browser.close();
  }
});
