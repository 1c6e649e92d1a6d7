// Issue 16's safety and worklist items in the browser against `karuna serve --demo`, with axe
// on every page visited: the intake's safety screening (nothing pre-answered, an unanswered
// question named beside it), a case that cannot close while a promise is open and the promise
// released with the client told, the possible-duplicates list, the supervisor's approval
// queue and case-list filter, the case list's perpetrator flag, what falls due this week, and
// the data analyst's figures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, pathname } from './lib/browser.mjs';

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
}

/** The page just answered 422 (a refused form), and nothing else went wrong. */
function expectRefusal(seen, step) {
  try {
    seen.check(step);
  } catch (e) {
    assert.match(e.message, /1 problem\(s\) on the page:\n\s+HTTP 422 for /, e.message);
    return;
  }
  assert.fail(`${step}: expected the form to be refused with 422`);
}

test('the safety screening is answered, never assumed', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases/new`);
    const checked = await page.locator('input[name^="safety."]:checked').count();
    assert.equal(checked, 0, 'no safety answer is pre-selected');
    assert.equal(await page.locator('input[name^="safety."][value="not_asked"]').count(), 6);
    await page.locator('#client-first-name-th').fill('คัดกรอง');
    await page.locator('#client-last-name-th').fill('ไม่ครบข้อ');
    await page.locator('#client-sex').selectOption('female');
    await page.locator('#client-birth-date').fill('01/01/2530');
    await page.locator('#consent-status').selectOption('granted');
    await page.locator('#referral-source').selectOption('police');
    await page.locator('#presenting-problem').fill('ตำรวจนำส่ง ยังไม่ได้สอบถามความปลอดภัยครบ');
    for (const q of ['in_danger_now', 'injured_needs_care', 'child_without_carer', 'perpetrator_has_access', 'no_safe_place_tonight']) {
      await page.locator(`input[name="safety.${q}"][value="no"]`).check();
    }
    await page.locator('input[name="case_types"][value="domestic_violence"]').check();
    await clickAndLoad(page, 'button#intake-submit');
    if ((await page.locator('#candidates').count()) > 0) {
      await clickAndLoad(page, 'button#intake-submit');
    }
    // Refused, with the message beside the unanswered question; the answers given are kept.
    assert.equal(await page.locator('#safety-self_harm_risk-error').count(), 1, 'error beside the question');
    assert.equal(await page.locator('input[name="safety.in_danger_now"][value="no"]:checked').count(), 1);
    await assertAccessible(page, 'intake refused: a safety question unanswered');
    expectRefusal(seen, 'intake refused');
    // "Not asked" is an answer: the case opens as urgent and says what is still to ask.
    await page.locator('input[name="safety.self_harm_risk"][value="not_asked"]').check();
    await clickAndLoad(page, 'button#intake-submit');
    if ((await page.locator('#candidates').count()) > 0) {
      await clickAndLoad(page, 'button#intake-submit');
    }
    assert.match(pathname(page), /^\/cases\/[0-9a-f-]{36}$/, `after intake we are at ${page.url()}`);
    assert.equal(await page.locator('#safety-not-asked').count(), 1);
    await assertAccessible(page, 'case opened with a question not asked');
    seen.check('safety screening');
  } finally {
    await browser.close();
  }
});

test('a case with an open promise does not close until it is released', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases?mine=true&status=implementation`);
    const link = page.locator('#cases-table tbody a').first();
    assert.ok((await link.count()) > 0, 'the demo has a case in implementation');
    await clickAndLoad(page, '#cases-table tbody a >> nth=0');
    const caseUrl = page.url().split('?')[0];
    await page.goto(`${caseUrl}/closure`);
    assert.equal(await page.locator('#open-promises').count(), 1, 'the closure page names the open promises');
    assert.equal(await page.locator('#close-case').count(), 0);
    await assertAccessible(page, 'closure page with open promises');
    // Follow the link to the first open promise and release it, the client told.
    seen.check('closure page');
    await clickAndLoad(page, '#open-promises a >> nth=0');
    const promiseId = new URL(page.url()).hash.slice(1);
    const card = page.locator(`article#${promiseId}`);
    await card.locator('summary').first().click();
    await card.locator('input[name="reason"]').fill('หน่วยงานปลายทางปิดรับ โทรแจ้งผู้รับบริการแล้ว');
    await clickAndLoad(page, `article#${promiseId} button.promise-release`);
    assert.ok((await page.locator('[role=alert]').count()) > 0, 'refused without the client told');
    await assertAccessible(page, 'release refused');
    expectRefusal(seen, 'release refused');
    const again = page.locator(`article#${promiseId}`);
    await again.locator('summary').first().click();
    await again.locator('input[name="reason"]').fill('หน่วยงานปลายทางปิดรับ โทรแจ้งผู้รับบริการแล้ว');
    await again.locator('input[name="client_told"]').check();
    await clickAndLoad(page, `article#${promiseId} button.promise-release`);
    assert.match(await page.locator(`article#${promiseId} .promise-status`).innerText(), /ยกเลิกแล้ว/);
    await assertAccessible(page, 'promise released');
    seen.check('promise released');
  } finally {
    await browser.close();
  }
});

test('the supervisor: approvals, duplicates, the case list', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-supervisor');
    assert.equal(await page.locator('#approvals-heading').count(), 1, 'the home page has the approval queue');
    assert.equal(await page.locator('#due-soon-contacts-heading').count(), 1);
    await assertAccessible(page, 'supervisor home');
    await page.goto(`${BASE}/cases?awaiting=approval`);
    assert.equal(await page.locator('#f-awaiting:checked').count(), 1);
    await assertAccessible(page, 'cases awaiting my approval');
    await page.goto(`${BASE}/cases`);
    const flagged = await page.locator('td.case-client .badge').count();
    assert.equal(flagged, 0, 'no badge beside a client\'s name');
    await assertAccessible(page, 'case list');
    await page.goto(`${BASE}/persons/duplicates`);
    assert.equal(await page.locator('#duplicates-how').count(), 1);
    for (const s of await page.locator('#duplicate-pairs .badge').allInnerTexts()) {
      const score = Number(s.replace(/[^0-9]/g, ''));
      assert.ok(score >= 70, `a listed pair scores ${score}`);
    }
    if ((await page.locator('#not-same-1').count()) > 0) {
      assert.equal(await page.locator('#not-same-1.secondary').count(), 0, '"not the same person" is not secondary');
      assert.equal(await page.locator('.merge-form input[name="keep"]:checked').count(), 0);
    }
    await assertAccessible(page, 'possible duplicates');
    seen.check('supervisor');
  } finally {
    await browser.close();
  }
});

test('the data analyst reads figures and no case', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-analyst');
    await clickAndLoad(page, '#home-reports');
    assert.equal(pathname(page), '/reports/cases');
    assert.equal(await page.locator('#by-month-table tbody tr').count(), 12);
    for (const n of await page.locator('table.figures td.num').allInnerTexts()) {
      assert.match(n.trim(), /^(0|<5|[5-9]|\d{2,})$/, `a figure reads ${n}`);
    }
    assert.equal(await page.locator('a[href^="/cases/"]').count(), 0, 'no link to a case');
    await assertAccessible(page, 'case figures');
    seen.check('analyst');
  } finally {
    await browser.close();
  }
});
