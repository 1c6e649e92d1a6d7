// Gatekeeping against `karuna serve --demo` (issue 20): an administrator defines an
// emergency-cash programme with three criteria and a 50,000-baht budget for the current fiscal
// year; the case manager requests 2,000 baht for an eligible case and approves it within her
// authority; a request for 8,000 baht goes to the unit head; a request that fails one
// criterion is approved by the unit head with an override reason; the budget page shows the
// balance and downloads as a spreadsheet; a payment keeps its receipt; the case shows what the
// client was granted; the case timeline shows the decisions — with axe on every page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;
const NAME = `เงินสงเคราะห์ฉุกเฉิน ${Date.now() % 100000}`;

function logIn(page, user) {
  return logInAs(page, BASE, user);
}

async function requestFor(page, caseUrl, amount, purpose) {
  await page.goto(`${caseUrl}/allocations`);
  await page.locator('#programme_id').selectOption({ label: `${NAME} (บาท)` });
  await page.locator('#amount').fill(amount);
  await page.locator('#purpose').fill(purpose);
  await page.locator('#justification').fill('ถูกเลิกจ้าง ไม่มีรายได้ มีบุตรสองคนต้องดูแล');
  await clickAndLoad(page, 'button#request-save');
  assert.match(page.url(), /\/allocations\/[0-9a-f-]+/);
  return page.url().split('?')[0];
}

async function approve(page, overrideReason) {
  await page.locator('#decision-approve').check();
  if (overrideReason) {
    await page.locator('#override_reason').fill(overrideReason);
  }
  await clickAndLoad(page, 'button#decide-save');
  assert.match(await page.locator('#request-status').innerText(), /อนุมัติแล้ว/);
}

test('an emergency-cash programme gatekept within each person\'s authority', { timeout: 300_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    // The administrator defines the programme, who decides how much, three criteria, a budget.
    await logIn(page, 'demo-admin');
    await page.goto(`${BASE}/programmes`);
    await assertAccessible(page, 'programmes');
    await page.locator('#name_th').fill(NAME);
    await page.locator('#unit').selectOption('baht');
    await page.locator('#description').fill('ช่วยเหลือเงินแก่ผู้ประสบปัญหาทางสังคมกรณีฉุกเฉิน');
    await clickAndLoad(page, 'button#programme-create');
    assert.match(page.url(), /\/programmes\/[0-9a-f-]+/);
    const programmeUrl = page.url().split('?')[0];
    await page.locator('#auth_role_0').selectOption('case_manager');
    await page.locator('#auth_limit_0').fill('3,000');
    await page.locator('#auth_role_1').selectOption('supervisor');
    await page.locator('#auth_limit_1').fill('20000');
    await page.locator('#s-documents').fill('สำเนาบัตรประจำตัวประชาชน\nหนังสือรับรองการเลิกจ้าง');
    await clickAndLoad(page, 'button#settings-save');
    assert.match(await page.locator('#programme-authorities').innerText(), /3,000 บาท/);

    const rules = [
      ['ได้รับไม่เกิน 2 ครั้งในรอบ 12 เดือน', 'allocations_12m < 2'],
      ['ไม่เกิน 10,000 บาทต่อครั้ง', 'amount <= 10000'],
      ['ลงทะเบียนประเภทรายกรณีแล้ว', 'size(case_types) > 0'],
    ];
    // A rule naming an unknown fact is refused with the reason.
    seen.check('settings saved');
    await page.locator('#crit_label_th_0').fill('เงินเดือน');
    await page.locator('#crit_rule_0').fill('salary < 3000');
    await clickAndLoad(page, 'button#criteria-save');
    assert.match(await page.locator('#criterion-0').innerText(), /salary/);
    await assertAccessible(page, 'criteria refused');
    assert.throws(() => seen.check('rule refused'), /HTTP 422/);
    for (const [i, [label, rule]] of rules.entries()) {
      await page.locator(`#crit_label_th_${i}`).fill(label);
      await page.locator(`#crit_rule_${i}`).fill(rule);
    }
    // Tried on the sample case first, then saved and published.
    await clickAndLoad(page, 'button#criteria-test');
    assert.match(await page.locator('#test-overall').innerText(), /มีคุณสมบัติ/);
    await assertAccessible(page, 'criteria tried on a sample case');
    await clickAndLoad(page, 'button#criteria-save');
    await clickAndLoad(page, 'button#criteria-publish');
    assert.equal(await page.locator('#published-criteria li').count(), 3);
    await page.locator('#amount').fill('50,000');
    await page.locator('#note').fill('มติคณะกรรมการกองทุน');
    await clickAndLoad(page, 'button#budget-save');
    assert.match(await page.locator('#budget-balance').innerText(), /50,000/);
    const budgetUrl = page.url().split('?')[0];
    await assertAccessible(page, 'budget allocated');
    seen.check('programme defined');

    // The case manager: 2,000 baht for an eligible case, approved within her authority.
    await logIn(page, 'demo-manager');
    await page.goto(`${BASE}/cases`);
    const hrefs = await page.locator('a[href^="/cases/0"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href').split('?')[0]))]);
    let caseUrl = null;
    for (const href of hrefs.reverse()) {
      await page.goto(`${BASE}${href}/allocations`);
      if (await page.locator('#request-form').count()) {
        caseUrl = `${BASE}${href}`;
        break;
      }
    }
    assert.ok(caseUrl, 'an open case of the manager');
    await assertAccessible(page, 'case requests');
    const small = await requestFor(page, caseUrl, '2,000', 'ค่าเช่าบ้านค้างชำระ');
    assert.match(await page.locator('#request-eligibility').innerText(), /มีคุณสมบัติ/);
    assert.match(await page.locator('#check-table').innerText(), /ไม่เกิน 10,000 บาทต่อครั้ง[\s\S]*จำนวนที่ขอ = 2000/);
    await assertAccessible(page, 'an eligible request');
    await approve(page);

    // 8,000 baht is beyond her 3,000: it goes to the unit head.
    const big = await requestFor(page, caseUrl, '8000', 'ค่ารักษาพยาบาลบุตร');
    assert.match(await page.locator('#request-needs').innerText(), /20,000/);
    assert.equal(await page.locator('#decide-form').count(), 0, 'no decision form beyond her authority');

    // A third request fails "at most twice in 12 months" once the second is approved.
    seen.check('manager requested');
    await logIn(page, 'demo-supervisor');
    await page.goto(`${BASE}/allocations`);
    assert.ok(await page.locator('#pending-table a[href="' + new URL(big).pathname + '"]').count() > 0, 'in the unit head\'s queue');
    await assertAccessible(page, 'requests to decide');
    await page.goto(big);
    await approve(page);
    seen.check('unit head approved 8,000');

    await logIn(page, 'demo-manager');
    const failing = await requestFor(page, caseUrl, '1,000', 'ค่าเดินทางไปศาล');
    assert.match(await page.locator('#request-eligibility').innerText(), /ไม่มีคุณสมบัติ/);
    assert.match(await page.locator('#check-table').innerText(), /ไม่ผ่าน/);
    assert.equal(await page.locator('#decide-form').count(), 0, 'an override is the next level\'s');

    await logIn(page, 'demo-supervisor');
    await page.goto(failing);
    seen.check('unit head opens the failing request');
    await page.locator('#decision-approve').check();
    await clickAndLoad(page, 'button#decide-save');
    assert.ok(await page.locator('#override_reason[aria-invalid=true]').count() > 0, 'an override needs its reason');
    await assertAccessible(page, 'override refused without a reason');
    assert.throws(() => seen.check('override refused'), /HTTP 422/);
    await approve(page, 'ต้องไปให้การต่อศาลในคดีความรุนแรง ไม่มีค่าเดินทาง');
    assert.match(await page.locator('#request-override').innerText(), /ต่อศาล/);
    await page.goto(budgetUrl);
    assert.match(await page.locator('#budget-balance').innerText(), /39,000/);
    assert.match(await page.locator('#budget-committed').innerText(), /11,000/);
    await assertAccessible(page, 'budget after three approvals');
    seen.check('override and budget');
    // The finance office's copy: the budget as a spreadsheet.
    const download = await Promise.all([page.waitForEvent('download'), page.locator('a#budget-export').click()]).then(([d]) => d);
    assert.match(download.suggestedFilename(), /^karuna-budget-\d{4}\.xlsx$/);
    seen.check('budget exported');

    // The manager pays 1,500 of the 2,000 and keeps the signed receipt with the payment.
    await logIn(page, 'demo-manager');
    await page.goto(small);
    await page.locator('#pay-amount').fill('1,500');
    await page.locator('#method').selectOption('cash');
    await page.locator('#receipt_ref').fill('บค 12/2570');
    await clickAndLoad(page, 'button#pay-save');
    const payment = page.locator('#payment-list > li').first();
    assert.match(await payment.innerText(), /1,500/);
    await payment.locator('details.card-action summary').click();
    await payment.locator('input[type=file]').setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await clickAndLoad(page, '#payment-list > li >> nth=0 >> button:has-text("อัปโหลดไฟล์")');
    assert.match(await page.locator('#payment-list .field-error').innerText(), /PDF, JPEG หรือ PNG/);
    await assertAccessible(page, 'receipt refused');
    assert.throws(() => seen.check('receipt refused'), /HTTP 422/);
    await page.locator('#payment-list > li >> nth=0 >> input[type=file]').setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% receipt\n') });
    await page.locator('#payment-list > li >> nth=0 >> input[name=description]').fill('ใบสำคัญรับเงินที่ผู้รับลงนาม');
    await clickAndLoad(page, '#payment-list > li >> nth=0 >> button:has-text("อัปโหลดไฟล์")');
    assert.equal(await page.locator('#payment-list a[download]', { hasText: 'receipt.pdf' }).count(), 1, 'the receipt is listed with its payment');
    await assertAccessible(page, 'payment with its receipt');
    seen.check('receipt kept');

    // What this client was granted, on the case's requests page.
    await page.goto(`${caseUrl}/allocations`);
    const spending = await page.locator('#spending-table').innerText();
    assert.match(spending, /\t3\t11,000/, 'three requests, 2,000 + 8,000 + 1,000 approved');
    assert.match(await page.locator('#spending-paid-total').innerText(), /1,500/);
    await assertAccessible(page, 'client spending');
    seen.check('client spending');

    // The case timeline shows the decisions.
    await page.goto(`${caseUrl}/timeline`);
    const timeline = await page.locator('main').innerText();
    assert.match(timeline, /อนุมัติโดยใช้ดุลยพินิจเหนือเกณฑ์/);
    assert.match(timeline, new RegExp(NAME));
    await assertAccessible(page, 'timeline with the decisions');
    seen.check('timeline');
  } finally {
    await browser.close();
  }
});
