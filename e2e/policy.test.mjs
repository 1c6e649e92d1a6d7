// Periodic policy review against `karuna serve --demo` (issue 21, item 3): a supervisor starts
// the review of the last fiscal year from the home page, finds its measures computed, records
// a finding and an action owned by a case manager; the case manager finds the action among the
// open ones and tracks it to done; the supervisor concludes the review and downloads it as a
// PDF — with axe on every page.

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

test('a policy review of the last fiscal year tracks an action to done', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    await logIn(page, 'demo-supervisor');
    await clickAndLoad(page, 'a#home-policy');
    assert.equal(new URL(page.url()).pathname, '/reports/policy');
    await assertAccessible(page, 'the policy reviews');

    // The form offers the last fiscal year with a title; a blank title is refused beside it.
    const period = await page.locator('select#period').inputValue();
    assert.match(period, /^fy-\d{4}$/);
    const title = await page.locator('input#title').inputValue();
    await page.locator('input#title').fill('');
    await clickAndLoad(page, 'button#policy-create');
    assert.ok(await page.locator('#title-error').isVisible());
    await assertAccessible(page, 'a review without a title');
    assert.throws(() => seen.check('no title'), /HTTP 422/);

    await page.locator('input#title').fill(title);
    await clickAndLoad(page, 'button#policy-create');
    assert.match(new URL(page.url()).pathname, /^\/reports\/policy\/[0-9a-f-]{36}$/);
    const reviewPath = new URL(page.url()).pathname;
    assert.equal(await page.locator('table[id^="measures-"]').count(), 6, 'six areas measured');
    await assertAccessible(page, 'a new review');

    await page.locator('select#item-kind').selectOption('finding');
    await page.locator('select#item-area').selectOption('follow_up');
    await page.locator('textarea#item-text').fill('การติดตามหลังปิดรายกรณียังไม่ครบทุกราย');
    await clickAndLoad(page, 'button#policy-add-save');
    assert.match(await page.locator('#policy-findings').innerText(), /ยังไม่ครบทุกราย/);

    // An action without an owner is refused beside its field.
    await page.locator('select#item-kind').selectOption('action');
    await page.locator('select#item-area').selectOption('follow_up');
    await page.locator('textarea#item-text').fill('จัดตารางโทรติดตามผู้รับบริการหลังปิดรายกรณี');
    await page.locator('input#item-due').fill('31/03/2570');
    await clickAndLoad(page, 'button#policy-add-save');
    assert.ok(await page.locator('#item-owner-error').isVisible());
    await assertAccessible(page, 'an action without an owner');
    assert.throws(() => seen.check('no owner'), /HTTP 422/);
    const owner = page.locator('select#item-owner option', { hasText: 'มาลี ศรีสุข' });
    await page.locator('select#item-owner').selectOption(await owner.getAttribute('value'));
    await clickAndLoad(page, 'button#policy-add-save');
    assert.equal(await page.locator('article.policy-action').count(), 1);
    await assertAccessible(page, 'a review with an action');
    seen.check('supervisor');

    // The owner finds it among the open actions and tracks it to done.
    await logIn(page, 'demo-manager');
    await clickAndLoad(page, 'a#home-policy');
    await assertAccessible(page, 'the reviews for a case manager');
    await clickAndLoad(page, '#policy-open-actions a >> nth=0');
    assert.equal(new URL(page.url()).pathname, reviewPath);
    const action = page.locator('article.policy-action').first();
    await action.locator('select[name="status"]').selectOption('done');
    await action.locator('textarea[name="note"]').fill('โทรติดตามครบทุกรายแล้ว');
    await clickAndLoad(page, 'article.policy-action button[type="submit"]');
    assert.ok(await page.locator('p.flash-ok').isVisible());
    assert.equal(await page.locator('article.policy-action .action-status').getAttribute('data-status'), 'done');
    assert.equal(await page.locator('#policy-add').count(), 0, 'only a supervisor adds items');
    await assertAccessible(page, 'a done action');
    seen.check('manager');

    // The supervisor concludes the review.
    await logIn(page, 'demo-supervisor');
    await page.goto(`${BASE}${reviewPath}`);
    await page.locator('textarea#conclude-summary').fill('ปรับขั้นตอนการติดตามหลังปิดรายกรณีให้ครบทุกราย');
    await clickAndLoad(page, 'button#policy-conclude');
    assert.match(await page.locator('#policy-summary').innerText(), /ครบทุกราย/);
    assert.equal(await page.locator('#policy-add').count(), 0, 'a concluded review takes no items');
    await assertAccessible(page, 'a concluded review');
    const download = await Promise.all([page.waitForEvent('download'), page.locator('a#policy-pdf').click()]).then(([d]) => d);
    assert.equal(download.suggestedFilename(), 'karuna-policy-review.pdf');
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    seen.check('supervisor concluding');
  } finally {
    await browser.close();
  }
});
