// A case conference against `karuna serve --demo`, as issue 18 asks: the supervisor schedules
// a conference on two cases with an outside police officer and a nurse; the case manager,
// told in her inbox, records the client's views and two decisions with action items; the chair
// confirms; the manager finds her task through the inbox and marks it done; the case's
// timeline shows the conference and the minutes print — with axe on every page visited.

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
  // The texts checked below are Thai; an earlier test may have saved another language.
  if ((await page.locator('html').getAttribute('lang')) !== 'th') {
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
  }
}

/** A date `days` ahead, as d/m/yyyy in the Buddhist era. */
function dueIn(days) {
  const d = new Date(Date.now() + (days * 24 + 7) * 3600 * 1000);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear() + 543}`;
}

test('a conference on two cases: scheduled, minuted, confirmed, its task done, printed', { timeout: 180_000 }, async () => {
  const browser = await launch();
  const title = `ประชุมทีมสหวิชาชีพ ${Date.now() % 100000}`;
  const action = `ประเมินความพร้อมของครอบครัว ${Date.now() % 100000}`;
  try {
    const page = await firstPage(browser.context);
    watch(page, ORIGIN);

    // Two cases of the manager's (in the supervisor's unit).
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases`);
    const hrefs = await page.locator('a[href^="/cases/0"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href').split('?')[0]))]);
    assert.ok(hrefs.length >= 2, 'two cases');
    const [caseA, caseB] = hrefs;
    await page.goto(`${BASE}${caseB}`);
    const numberB = (await page.locator('#case-title code').innerText()).trim();

    // The supervisor schedules it from case A's conferences tab.
    await logIn(page, 'demo-supervisor');
    await page.goto(`${BASE}${caseA}/conferences`);
    await assertAccessible(page, 'case conferences');
    await clickAndLoad(page, '#conference-new');
    await assertAccessible(page, 'schedule form');
    await page.locator('#conference-title').fill(title);
    await page.locator('#conference-date').fill(dueIn(2));
    await page.locator('#conference-time').fill('09:30');
    await page.locator('#conference-place').fill('ห้องประชุมชั้น 2');
    const cases = page.locator('#conference-cases');
    await cases.fill(`${await cases.inputValue()}\n${numberB}`);
    await page.locator('#conference-staff-ids label', { hasText: 'มาลี ศรีสุข' }).locator('input').check();
    await page.locator('#outside-0-name').fill('ร.ต.อ. สมชาย ใจกล้า');
    await page.locator('#outside-0-role').fill('พนักงานสอบสวน');
    await page.locator('#outside-0-organisation').fill('สภ.เมือง');
    await page.locator('#outside-1-name').fill('นางสาวพิมพ์ใจ รักษา');
    await page.locator('#outside-1-role').fill('พยาบาล');
    await page.locator('#outside-1-organisation').fill('ศูนย์พึ่งได้ โรงพยาบาลจังหวัด');
    await clickAndLoad(page, '#conference-submit');
    assert.match(await page.locator('.flash').first().innerText(), /นัดประชุมแล้ว/);
    const conferenceUrl = page.url().split('?')[0];
    assert.match(await page.locator('#conference-outside').innerText(), /พนักงานสอบสวน/);
    assert.equal(await page.locator('section.conference-case').count(), 2, 'both cases on the agenda');
    await assertAccessible(page, 'conference');

    // The manager, told in her inbox, writes case A's minutes.
    await logIn(page, 'demo-manager');
    await clickAndLoad(page, 'header nav a[href="/inbox"]');
    await clickAndLoad(page, `#inbox-list li:has-text("นัดประชุมทีม") >> nth=0 >> a`);
    assert.equal(page.url().split('?')[0], conferenceUrl);
    await page.locator('#m0-client-views').fill('หนูอยากกลับไปเรียนหนังสือ แต่ไม่อยากกลับบ้าน');
    await page.locator('#m0-facts').fill('ผู้รับบริการถูกทำร้ายร่างกาย มีใบรับรองแพทย์');
    await page.locator('#m0-d0-text').fill('ส่งต่อบ้านพักเด็กและครอบครัวชั่วคราว');
    await page.locator('#m0-d0-a0-title').fill(action);
    await page.locator('#m0-d0-a0-assignee-id').selectOption({ label: 'มาลี ศรีสุข' });
    await page.locator('#m0-d0-a0-due').fill(dueIn(4));
    await page.locator('#m0-d1-text').fill('ดำเนินคดีกับผู้กระทำ');
    await page.locator('#m0-d1-a0-title').fill('ส่งสำเนาบันทึกประจำวัน');
    await page.locator('#m0-d1-a0-outside-name').fill('ร.ต.อ. สมชาย ใจกล้า');
    await page.locator('#m0-d1-a0-due').fill(dueIn(5));
    await clickAndLoad(page, '#minutes-save-0');
    assert.match(await page.locator('.flash').first().innerText(), /บันทึกร่างรายงานการประชุมแล้ว/);
    assert.match(await page.locator('.client-views').first().innerText(), /อยากกลับไปเรียนหนังสือ/);
    await assertAccessible(page, 'conference with draft minutes');

    // The chair confirms.
    await logIn(page, 'demo-supervisor');
    await page.goto(conferenceUrl);
    await clickAndLoad(page, '#conference-confirm-submit');
    assert.match(await page.locator('.flash').first().innerText(), /รับรองรายงานการประชุมแล้ว/);
    assert.match(await page.locator('#conference-status').innerText(), /รับรองรายงานแล้ว/);

    // The manager's task: through the inbox to the card, marked done.
    await logIn(page, 'demo-manager');
    await clickAndLoad(page, 'header nav a[href="/inbox"]');
    await clickAndLoad(page, `#inbox-list li:has-text("มอบหมายงานให้คุณ") >> nth=0 >> a`);
    const card = page.locator('article.task', { hasText: action });
    assert.equal(await card.count(), 1, 'the action item is a task on the case');
    await clickAndLoad(page, `article.task:has-text("${action}") button.task-done`);
    assert.match(await page.locator('article.task', { hasText: action }).locator('.task-status').innerText(), /เสร็จแล้ว/);

    // The timeline shows the conference; the minutes print.
    await page.goto(`${BASE}${caseA}/timeline`);
    assert.ok((await page.locator('main').innerText()).includes('ประชุมทีม'), 'the conference is on the timeline');
    await assertAccessible(page, 'timeline with a conference');
    await page.goto(`${conferenceUrl}/print`);
    const printed = await page.locator('main').innerText();
    assert.ok(printed.includes('รายงานการประชุม'), 'the minutes heading');
    assert.ok(printed.includes('ส่งต่อบ้านพักเด็กและครอบครัวชั่วคราว'), 'the decision');
    assert.ok(printed.includes('พนักงานสอบสวน'), 'the outside attendee');
    await assertAccessible(page, 'printed minutes');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000, 'the minutes print to A4');
  } finally {
    await browser.close();
  }
});
