// A referral against `karuna serve --demo` (issue 19): the case manager records the client's
// consent to share with the shelter, finds the shelter near the client in the directory by a
// Thai search, refers the client sharing two items, records the acceptance with a service
// agreement; the shelter ends the service early; the supervisor sees the alert in her inbox;
// the manager acknowledges it with the action taken; the timeline shows the referral and the
// letter prints — with axe on every page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;
const SHELTER = 'บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่';

async function logIn(page, user) {
  await page.context().clearCookies();
  await page.goto(`${BASE}/login`);
  await page.locator('input#username').fill(user);
  await page.locator('input#password').fill('karuna-demo');
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 }), page.locator('button#login-submit').click()]);
  if ((await page.locator('html').getAttribute('lang')) !== 'th') {
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
  }
}

function be(days) {
  const d = new Date(Date.now() + 7 * 3600_000 + days * 86400_000);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear() + 543}`;
}

async function step(page, name, fill = {}) {
  await page.locator(`details#step-${name} summary`).click();
  for (const [field, value] of Object.entries(fill)) {
    await page.locator(`#${name}-${field}`).fill(value);
  }
  await clickAndLoad(page, `button#do-${name}`);
}

test('a client referred to a shelter that ends the service early, followed to the end', { timeout: 240_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases`);
    const hrefs = await page.locator('a[href^="/cases/0"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href').split('?')[0]))]);
    // A case whose client lives in Chiang Mai (the shelter's province), not one the other tests use first.
    let caseUrl = null;
    for (const href of [...hrefs.slice(2), ...hrefs.slice(0, 2)]) {
      await page.goto(`${BASE}${href}/referrals`);
      const find = await page.locator('#referral-find').getAttribute('href');
      if (find && find.includes('province=50')) {
        caseUrl = `${BASE}${href}`;
        break;
      }
    }
    assert.ok(caseUrl, 'a demo case with a client in Chiang Mai');

    // Consent to share with the shelter, recorded on the persons tab.
    await page.goto(`${caseUrl}?tab=persons`);
    const consent = page.locator('form[action$="/consents"]');
    await consent.locator('xpath=ancestor::details').locator('summary').click();
    await consent.locator('#consent-purpose').selectOption('sharing');
    await consent.locator('#consent-agency').fill(SHELTER);
    await consent.locator('#consent-state').selectOption('granted');
    await consent.locator('#consent-note').fill('ผู้รับบริการลงนามยินยอมให้ส่งข้อมูลแก่บ้านพัก');
    await Promise.all([page.waitForLoadState('load'), consent.locator('button[type=submit]').click()]);
    seen.check('consent recorded');

    // The referrals tab, then the directory near the client.
    await page.goto(`${caseUrl}/referrals`);
    await assertAccessible(page, 'case referrals');
    await clickAndLoad(page, '#referral-find');
    assert.ok(await page.locator('#resource-refer-note').isVisible());
    await page.locator('input#q').fill('บ้านพัก');
    assert.equal(await page.locator('select#province').inputValue(), '50', 'the client\'s province, pre-filled');
    await clickAndLoad(page, 'button#resource-search-submit');
    await assertAccessible(page, 'directory for a referral');
    const shelter = page.locator('#resource-list li', { hasText: SHELTER }).first();
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/referrals')), shelter.locator('a[role=button]').click()]);
    assert.match(await page.locator('#referral-service').innerText(), /บ้านพักเด็กและครอบครัว/);

    // The referral: two items shared under the consent.
    await page.locator('#need').fill('ต้องการที่พักปลอดภัยจากผู้กระทำความรุนแรง');
    await page.locator('#requested_service').fill('รับเข้าบ้านพักฉุกเฉิน 30 วัน');
    await page.locator('#urgency').selectOption('urgent');
    await page.locator('#item-name').check();
    await page.locator('#item-phone').check();
    await page.locator('#area_reason').fill('บ้านพักที่ใกล้ที่สุดที่รับเด็กและมารดา');
    await clickAndLoad(page, 'button#referral-save');
    assert.match(page.url(), /\/referrals\/[0-9a-f-]+/);
    const referralUrl = page.url().split('?')[0];
    assert.match(await page.locator('#referral-items').innerText(), /ชื่อ-นามสกุล.*โทรศัพท์/);
    await assertAccessible(page, 'referral draft');

    await step(page, 'send');
    await step(page, 'accept');
    await page.locator('details#agreement-edit summary').click();
    await page.locator('#what').fill('ที่พัก อาหาร และการดูแลเด็ก');
    await page.locator('#frequency').fill('ทุกวัน');
    await page.locator('#start').fill(be(0));
    await page.locator('#end').fill(be(30));
    await page.locator('#contact_person').fill('คุณสมใจ (ผู้ประสานงานบ้านพัก)');
    await page.locator('#check_ins').fill(`${be(7)}, ${be(14)}`);
    await clickAndLoad(page, 'button#agreement-save');
    assert.match(await page.locator('#agreement').innerText(), /คุณสมใจ/);
    await step(page, 'start');
    await step(page, 'end_early', { reason: 'บ้านพักเต็ม ต้องย้ายผู้รับบริการ', ended_by: 'หัวหน้าบ้านพัก', outcome: 'ให้ที่พัก 9 วัน' });
    assert.match(await page.locator('#referral-status').innerText(), /ยุติบริการก่อนกำหนด/);
    assert.ok(await page.locator('.alert-list li').first().isVisible(), 'the alert is on the referral');
    await assertAccessible(page, 'referral ended early');
    seen.check('manager referred');

    // The supervisor sees the alert in her inbox.
    await logIn(page, 'demo-supervisor');
    await page.goto(`${BASE}/inbox`);
    assert.ok(await page.locator('main', { hasText: 'ต้องติดตาม' }).count() > 0, 'a referral alert in the inbox');
    await assertAccessible(page, 'supervisor inbox with the referral alert');
    seen.check('supervisor alerted');

    // The manager acknowledges it with the action taken.
    await logIn(page, 'demo-manager');
    await page.goto(`${caseUrl}/referrals`);
    const alert = page.locator('.alert-list li.alert-open').first();
    await alert.locator('input[name=action_taken]').fill('ประสานบ้านพักอื่นและนัดเยี่ยมบ้านภายใน 3 วัน');
    await Promise.all([page.waitForLoadState('load'), alert.locator('button[type=submit]').click()]);
    assert.match(page.url(), /\/referrals\//);
    assert.match(await page.locator('#referral-history').innerText(), /รับทราบการแจ้งเตือน/);

    // The timeline and the letter.
    await page.goto(`${caseUrl}/timeline`);
    assert.ok(await page.locator('main', { hasText: 'ยุติบริการก่อนกำหนด' }).count() > 0, 'the timeline shows the referral');
    await assertAccessible(page, 'timeline with the referral');
    await page.goto(`${referralUrl}/letter`);
    assert.match(await page.locator('h1').innerText(), /บันทึกข้อความ/);
    assert.match(await page.locator('main').innerText(), new RegExp(SHELTER));
    await assertAccessible(page, 'referral letter');
    seen.check('acknowledged, timeline, letter');
  } finally {
    await browser.close();
  }
});
