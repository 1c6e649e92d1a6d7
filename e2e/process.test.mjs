// Issue 5's browser journey against `karuna serve --demo`: an administrator asks for plan
// approval on older-person cases; a case manager does an intake, logs a home visit, completes
// a holistic assessment, writes the plan; the supervisor approves it; the manager records two
// progress entries and a review, writes the closure summary, closes the case, and a follow-up
// is scheduled — with axe on every page visited.

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

/** A date in the Buddhist era as dd/mm/yyyy, Bangkok time, `days` from today. */
function dateBE(days = 0) {
  const now = new Date(Date.now() + 7 * 3600 * 1000 + days * 86400 * 1000);
  const dd = String(now.getUTCDate()).padStart(2, '0');
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${now.getUTCFullYear() + 543}`;
}

async function moveTo(page, caseUrl, status) {
  await page.goto(caseUrl);
  await page.locator('#status-to').selectOption(status);
  await clickAndLoad(page, 'button#status-submit');
  const errors = await page.locator('.field-error, [role=alert]').allInnerTexts();
  assert.equal(errors.length, 0, `moving to ${status}: ${errors}`);
}

test('intake to closure: assessment, approved plan, progress, review, closure, follow-up', { timeout: 300_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    // 0. The organisation asks for plan approval on older-person cases.
    await logIn(page, 'demo-admin');
    await page.goto(`${BASE}/admin/case-types`);
    await assertAccessible(page, 'case types');
    await clickAndLoad(page, 'a[href="/admin/case-types/older_person"]');
    await assertAccessible(page, 'case type form');
    await page.locator('input[name="plan_approval"]').check();
    await clickAndLoad(page, 'button#save-case-type');
    assert.equal(pathname(page), '/admin/case-types');
    seen.check('case types');

    // 1. Intake.
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases/new`);
    await page.locator('#client-prefix').selectOption('mrs');
    await page.locator('#client-first-name-th').fill('บุญเรือน');
    await page.locator('#client-last-name-th').fill('กระบวนการครบ');
    await page.locator('#client-sex').selectOption('female');
    await page.locator('#client-birth-date').fill('01/01/2490');
    await page.locator('#province').selectOption('50');
    await page.locator('#district option[value="5001"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('#district').selectOption('5001');
    await page.locator('#subdistrict option[value="500101"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('#subdistrict').selectOption('500101');
    await page.locator('#consent-status').selectOption('granted');
    await page.locator('#referral-source').selectOption('community');
    await page.locator('#presenting-problem').fill('ผู้สูงอายุอยู่ลำพัง ขาดผู้ดูแล');
    // Nothing is pre-answered: every safety question gets its answer.
    for (const q of ['in_danger_now', 'injured_needs_care', 'child_without_carer', 'perpetrator_has_access', 'no_safe_place_tonight', 'self_harm_risk']) {
      await page.locator(`input[name="safety.${q}"][value="no"]`).check();
    }
    await page.locator('input[name="case_types"][value="older_person"]').check();
    await clickAndLoad(page, 'button#intake-submit');
    if (pathname(page) === '/cases') {
      assert.equal(await page.locator('#candidates').count(), 1, `intake did not open a case: ${await page.locator('.field-error, [role=alert]').allInnerTexts()}`);
      await clickAndLoad(page, 'button#intake-submit');
    }
    assert.match(pathname(page), /^\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = page.url().split('?')[0];
    const caseId = pathname(page).split('/')[2];
    seen.check('intake');

    // 2. A home visit, then assessment.
    await clickAndLoad(page, '#tab-contacts');
    await page.locator('#contact-kind').selectOption('home_visit');
    // Yesterday: a visit later today would be in the future in the small hours.
    await page.locator('#contact-date').fill(dateBE(-1));
    await page.locator('#contact-note').fill('เยี่ยมบ้าน ยายอยู่คนเดียว บ้านทรุดโทรม');
    await clickAndLoad(page, 'button#contact-submit');
    await moveTo(page, caseUrl, 'assessment');

    // 3. The holistic assessment, completed.
    await page.goto(`${BASE}/cases/${caseId}/assessments`);
    await assertAccessible(page, 'assessments');
    // An older person's case starts with the older-person template; the worker may choose another.
    assert.equal(await page.locator('#template_key').inputValue(), 'older_person');
    await page.locator('#template_key').selectOption('holistic');
    await clickAndLoad(page, 'button#assessment-start');
    assert.match(pathname(page), /^\/assessments\/[0-9a-f-]{36}$/);
    const answers = { ph_condition: 'poor', fam_relationship: 'some_conflict', soc_network: 'some', eco_work: 'irregular', hou_type: 'rented', leg_status: 'thai_with_card' };
    for (const [q, v] of Object.entries(answers)) {
      await page.locator(`input[name="a.${q}"][value="${v}"]`).check();
    }
    await page.locator('#q-mh_mood').fill('2');
    await page.locator('#q-saf_feels_unsafe').fill('1');
    await clickAndLoad(page, 'button#assessment-complete');
    const assessmentErrors = await page.locator('.field-error').allInnerTexts();
    assert.equal(assessmentErrors.length, 0, `assessment: ${assessmentErrors}`);
    await assertAccessible(page, 'completed assessment');
    seen.check('assessment');
    await moveTo(page, caseUrl, 'planning');

    // 4. The plan: one goal with one intervention.
    await page.goto(`${BASE}/cases/${caseId}/plan/edit`);
    await assertAccessible(page, 'plan form');
    await page.locator('#goals-0-dimension').selectOption('physical');
    await page.locator('#goals-0-statement').fill('ได้รับการดูแลสุขภาพต่อเนื่อง');
    await page.locator('#goals-0-indicator').fill('ไปตามนัดแพทย์');
    await page.locator('#goals-0-baseline').fill('ขาดนัด 2 ครั้ง');
    await page.locator('#goals-0-target').fill('ไปตามนัดทุกครั้ง');
    await page.locator('#goals-0-target_date').fill(dateBE(90));
    await page.locator('#goals-0-client_agreement').fill('อยากมีคนพาไปหาหมอ');
    await page.locator('#goals-0-interventions-0-method').selectOption('medical_care');
    await page.locator('#goals-0-interventions-0-provider').fill('รพ.สต. ตำบลศรีภูมิ');
    await page.locator('#goals-0-interventions-0-start').fill(dateBE());
    await clickAndLoad(page, 'button#plan-save');
    assert.equal(pathname(page), `/cases/${caseId}/plan`, `plan: ${await page.locator('.field-error').allInnerTexts()}`);
    await assertAccessible(page, 'plan awaiting approval');
    seen.check('plan');

    // 5. The supervisor approves it.
    await logIn(page, 'demo-supervisor');
    await page.goto(`${BASE}/cases/${caseId}/plan`);
    await clickAndLoad(page, 'button#plan-approve');
    assert.match(await page.locator('#current-heading').innerText(), /1/);
    seen.check('approval');

    // 6. Implementation, two progress entries, a review.
    await logIn(page, 'demo-manager');
    await moveTo(page, caseUrl, 'implementation');
    for (const gas of ['-1', '1']) {
      await page.goto(`${BASE}/cases/${caseId}/plan`);
      await page.locator('article.plan-goal details.progress-details summary').first().click();
      await page.locator('article.plan-goal select[name="gas"]').first().selectOption(gas);
      await page.locator('article.plan-goal select[name="source"]').first().selectOption('observation');
      await clickAndLoad(page, 'article.plan-goal form.progress-form button[type="submit"]');
      assert.match(page.url(), /progress=1/);
    }
    assert.equal(await page.locator('#gas-t').innerText(), '60.0');
    await assertAccessible(page, 'plan with progress');
    await page.goto(`${BASE}/cases/${caseId}/closure`);
    await assertAccessible(page, 'reviews and closure');
    await page.locator('input[name="outcome"][value="close"]').check();
    await page.locator('#review-note').fill('ญาติรับไปดูแล ไปตามนัดแพทย์ครบ');
    await clickAndLoad(page, 'button#review-save');
    seen.check('progress and review');

    // 7. The closure summary, closing, the follow-ups.
    await page.locator('#closure-reason').selectOption('goals_achieved');
    await page.locator('#closure-summary').fill('ญาติรับไปดูแล ได้รับการรักษาต่อเนื่อง');
    await page.locator('#goal-outcome-0').selectOption('achieved');
    await clickAndLoad(page, 'button#closure-save');
    await clickAndLoad(page, 'button#close-case');
    await page.goto(`${BASE}/cases/${caseId}/closure`);
    assert.ok((await page.locator('article.follow-up').count()) >= 1, 'a follow-up is scheduled');
    await assertAccessible(page, 'closed case');
    await page.goto(`${BASE}/cases/${caseId}/timeline`);
    await assertAccessible(page, 'timeline');
    assert.ok((await page.locator('ol.timeline li').count()) >= 8);
    seen.check('closure');
  } finally {
    await browser.close();
  }
});
