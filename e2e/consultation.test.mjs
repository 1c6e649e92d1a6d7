// Asking for advice against `karuna serve --demo`: the case manager asks her supervisor on a
// case's consultation tab (an empty question is refused first), the supervisor follows the
// notification and replies, and the manager records the advice taken — with axe on every
// page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad } from './lib/browser.mjs';

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
  if ((await page.locator('html').getAttribute('lang')) !== 'th') {
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
  }
}

test('advice asked of the supervisor, given, and taken', { timeout: 150_000 }, async () => {
  const browser = await launch();
  const subject = `ส่งต่อบ้านพักหรือคุยกับครอบครัวก่อน ${Date.now() % 100000}`;
  try {
    const page = await firstPage(browser.context);
    watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases`);
    const href = (await page.locator('a[href^="/cases/0"]').first().getAttribute('href')).split('?')[0];
    await page.goto(`${BASE}${href}/consultations`);
    assert.equal(await page.locator('#tab-consultations').getAttribute('aria-current'), 'page');
    await assertAccessible(page, 'consultations');

    // An empty question is refused field by field.
    if (!(await page.locator('details#ask').getAttribute('open') !== null)) {
      await page.locator('details#ask > summary').click();
    }
    await clickAndLoad(page, '#consultation-submit');
    assert.equal(await page.locator('#error-summary a[href="#question"]').count(), 1);
    await assertAccessible(page, 'consultations, refused');

    // Asked of the supervisor.
    await page.locator('#subject').fill(subject);
    await page.locator('#question').fill('เด็กไม่อยากกลับบ้าน ครอบครัวไม่ยินยอมให้ส่งต่อ ควรทำอย่างไรก่อน');
    await page.locator('#mention_ids label', { hasText: 'สุดารัตน์ ใจดี' }).locator('input').check();
    await clickAndLoad(page, '#consultation-submit');
    assert.match(await page.locator('.flash').first().innerText(), /ส่งคำถามแล้ว/);

    // The supervisor follows the notification and replies.
    await logIn(page, 'demo-supervisor');
    await clickAndLoad(page, 'header nav a[href="/inbox"]');
    await clickAndLoad(page, '#inbox-list li:has-text("ขอคำปรึกษาจากคุณ") >> nth=0 >> a');
    const thread = page.locator('article.consultation', { hasText: subject });
    await thread.locator('details.card-action > summary', { hasText: 'ตอบ' }).click();
    await thread.locator('textarea[name=body]').fill('ประเมินความปลอดภัยก่อน แล้วนัดครอบครัวคุยอีกครั้ง');
    await clickAndLoad(page, `article.consultation:has-text("${subject}") button.consultation-reply-submit`);
    assert.match(await page.locator('.flash').first().innerText(), /ส่งคำตอบแล้ว/);
    await assertAccessible(page, 'consultation with a reply');

    // The manager records the advice taken.
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}${href}/consultations`);
    const mine = page.locator('article.consultation', { hasText: subject });
    await mine.locator('details.card-action > summary', { hasText: 'สรุปคำแนะนำ' }).click();
    await mine.locator('textarea[name=summary]').fill('ใช้แบบคัดกรองความปลอดภัย แล้วนัดครอบครัวสัปดาห์หน้า');
    await clickAndLoad(page, `article.consultation:has-text("${subject}") button.consultation-resolve-submit`);
    assert.match(await page.locator('article.consultation', { hasText: subject }).locator('.consultation-status').innerText(), /ได้ข้อยุติแล้ว/);
    await assertAccessible(page, 'consultation resolved');
  } finally {
    await browser.close();
  }
});
