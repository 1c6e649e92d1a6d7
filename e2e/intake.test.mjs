// Issue 4's browser journey against `karuna serve --demo` (see run.sh): a case manager does an
// intake for a new client (the address pickers filled by htmx), finds the case in her list,
// logs a home visit, records a promise and marks it kept — with axe on every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, pathname, scrollWidth } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

async function logIn(page, user) {
  await page.goto(`${BASE}/login`);
  await page.locator('input#username').fill(user);
  await page.locator('input#password').fill('karuna-demo');
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 }), page.locator('button#login-submit').click()]);
}

/** A date in the Buddhist era as dd/mm/yyyy, Bangkok time, `days` from today. */
function todayBE(days = 0) {
  const now = new Date(Date.now() + 7 * 3600 * 1000 + days * 86400 * 1000);
  const dd = String(now.getUTCDate()).padStart(2, '0');
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${now.getUTCFullYear() + 543}`;
}

test('intake, my list, a home visit, a promise kept', { timeout: 240_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');

    // 1. The intake form.
    await page.goto(`${BASE}/cases/new`);
    await assertAccessible(page, 'intake form');
    await page.locator('#client-prefix').selectOption('miss');
    await page.locator('#client-first-name-th').fill('ทองใบ');
    await page.locator('#client-last-name-th').fill('ทดลองเบราว์เซอร์');
    await page.locator('#client-sex').selectOption('female');
    await page.locator('#client-birth-date').fill('03/05/2535');
    await page.locator('#client-phones-0').fill('089-765-4321');
    // Address: province → district → subdistrict; htmx fills each next list and the postcode.
    await page.locator('#province').selectOption('50');
    await page.locator('#district option[value="5001"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('#district').selectOption('5001');
    await page.locator('#subdistrict option[value="500101"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('#subdistrict').selectOption('500101');
    await page.waitForFunction(() => document.querySelector('#postcode')?.value === '50200', null, { timeout: 10_000 });
    await page.locator('#consent-status').selectOption('granted');
    await page.locator('#referral-source').selectOption('hotline_1300');
    await page.locator('#presenting-problem').fill('ถูกคู่สมรสทำร้ายร่างกาย ต้องการความช่วยเหลือ');
    // Nothing is pre-answered: every question gets its answer.
    for (const q of ['in_danger_now', 'injured_needs_care', 'child_without_carer', 'perpetrator_has_access', 'self_harm_risk']) {
      await page.locator(`input[name="safety.${q}"][value="no"]`).check();
    }
    await page.locator('input[name="safety.no_safe_place_tonight"][value="yes"]').check();
    await page.locator('input[name="case_types"][value="domestic_violence"]').check();
    await clickAndLoad(page, 'button#intake-submit');
    if (pathname(page) === '/cases') {
      // The duplicate check may offer candidates: this is a new person.
      const candidates = await page.locator('#candidates').count();
      assert.equal(candidates, 1, `intake did not open a case: ${await page.locator('.field-error, [role=alert]').allInnerTexts()}`);
      await clickAndLoad(page, 'button#intake-submit');
    }
    assert.match(pathname(page), /^\/cases\/[0-9a-f-]{36}$/, `after intake we are at ${page.url()}`);
    const number = (await page.locator('h1 code').innerText()).trim();
    assert.match(number, /^CM-\d{4}-\d{6}$/);
    await assertAccessible(page, 'case file (overview)');
    seen.check('intake');

    // 2. My list has it.
    await page.goto(`${BASE}/cases?mine=true`);
    await assertAccessible(page, 'my cases');
    const row = page.locator('#cases-table tr', { hasText: number });
    assert.equal(await row.count(), 1, `${number} is in my list`);
    assert.match(await row.innerText(), /ทองใบ/);
    await clickAndLoad(page, `#cases-table a:has-text("${number}")`);
    seen.check('my list');

    // 3. Log a home visit.
    await clickAndLoad(page, '#tab-contacts');
    await page.locator('#contact-kind').selectOption('home_visit');
    // Yesterday: a morning visit today would be in the future before 09:30 Bangkok time.
    await page.locator('#contact-date').fill(todayBE(-1));
    await page.locator('#contact-time').fill('09:30');
    await page.locator('#contact-duration').fill('60');
    await page.locator('#contact-place').fill('บ้านเลขที่ 99 ต.ศรีภูมิ');
    await page.locator('#contact-note').fill('เยี่ยมบ้าน ผู้รับบริการปลอดภัย พักอยู่กับมารดา');
    await page.locator('input[name="sources"][value="home_visit"]').check();
    await clickAndLoad(page, 'button#contact-submit');
    assert.match(await page.locator('article.contact').first().innerText(), /เยี่ยมบ้าน ผู้รับบริการปลอดภัย/);
    await assertAccessible(page, 'contacts tab');
    seen.check('home visit');

    // 4. Record a promise and mark it kept.
    await clickAndLoad(page, '#tab-promises');
    await page.locator('#promise-what').fill('พาไปแจ้งความที่สถานีตำรวจ');
    await page.locator('#promise-due').fill(todayBE());
    await clickAndLoad(page, 'button#promise-submit');
    const promise = page.locator('article.promise', { hasText: 'พาไปแจ้งความ' });
    assert.equal(await promise.count(), 1);
    await clickAndLoad(page, 'article.promise:has-text("พาไปแจ้งความ") button.promise-keep');
    assert.match(await page.locator('article.promise', { hasText: 'พาไปแจ้งความ' }).locator('.promise-status').innerText(), /รักษาแล้ว/);
    await assertAccessible(page, 'promises tab');
    seen.check('promise kept');
  } finally {
    await browser.close();
  }
});

test('the case list and case file fit 360 px', { timeout: 120_000 }, async () => {
  const browser = await launch({ viewport: { width: 360, height: 740 }, isMobile: false });
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-supervisor');
    for (const path of ['/cases', '/cases/new']) {
      await page.goto(`${BASE}${path}`);
      const width = await scrollWidth(page);
      assert.ok(width <= 360, `${path} is ${width} px wide at 360 px`);
    }
    await page.goto(`${BASE}/cases`);
    const first = page.locator('#cases-table tbody a').first();
    if (await first.count()) {
      await clickAndLoad(page, '#cases-table tbody a >> nth=0');
      for (const tab of ['overview', 'persons', 'contacts', 'promises', 'team', 'history']) {
        await clickAndLoad(page, `#tab-${tab}`);
        const width = await scrollWidth(page);
        assert.ok(width <= 360, `case file ${tab} is ${width} px wide at 360 px`);
      }
    }
    seen.check('360 px');
  } finally {
    await browser.close();
  }
});
