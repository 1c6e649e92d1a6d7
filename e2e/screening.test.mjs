// Complexity screening against `karuna serve --demo` (issue 22, "done when"): after a safety
// assessment the case shows its complexity level with its reasons; the case manager rejects
// the suggestion with a reason; the rejection is on the case's timeline and in the audit log;
// the administrator's settings page shows how often suggestions were overridden — with axe on
// every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs, pathname } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;
const REASON = 'ผู้กระทำถูกควบคุมตัวแล้ว ครอบครัวช่วยดูแลได้';

test('a complexity suggestion explains itself and the manager rejects it', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logInAs(page, BASE, 'demo-manager');
    await page.goto(`${BASE}/cases?mine=true`);
    const href = await page.locator('a[href^="/cases/0"]').last().getAttribute('href');
    const casePath = href.split('?')[0];

    // A safety assessment: the perpetrator can still reach the client.
    await page.goto(`${BASE}${casePath}/assessments`);
    await page.locator('#template_key').selectOption('safety');
    await clickAndLoad(page, 'button#assessment-start');
    assert.match(pathname(page), /^\/assessments\/[0-9a-f-]{36}$/);
    for (const radio of await page.locator('input[type=radio][value="no"]').all()) {
      if (await radio.isVisible()) await radio.check();
    }
    await page.locator('input[name="a.perpetrator_has_access"][value="yes"]').check();
    await page.locator('input[name="a.safety_plan_made"][value="yes"]').check();
    await clickAndLoad(page, 'button#assessment-complete');
    const errors = await page.locator('.field-error').allInnerTexts();
    assert.equal(errors.length, 0, `safety assessment: ${errors}`);

    // The case's screening tab: a complex level, with the safety rule among its reasons.
    await page.goto(`${BASE}${casePath}`);
    await clickAndLoad(page, 'a#tab-screening');
    await assertAccessible(page, 'the case screening');
    const level = (await page.locator('#screening-level').innerText()).trim();
    assert.ok(['ซับซ้อน', 'ซับซ้อนมาก'].includes(level), `level ${level}`);
    const reasons = await page.locator('#screening-reasons').innerText();
    assert.match(reasons, /ความเสี่ยงด้านความปลอดภัยสูง/);

    // Rejected without a reason: refused (422), field named; then with one.
    seen.check('the screening page');
    await page.locator('#decision-rejected').check();
    await clickAndLoad(page, 'button#decision-submit');
    assert.match(await page.locator('#reason-error').innerText(), /ระบุเหตุผล/);
    assert.throws(() => seen.check('the refused decision'), /HTTP 422 for \/suggestions\//);
    await assertAccessible(page, 'a decision refused');
    await page.locator('#decision-rejected').check();
    await page.locator('#reason').fill(REASON);
    await clickAndLoad(page, 'button#decision-submit');
    assert.match(await page.locator('#screening-decision').innerText(), /ไม่ยอมรับ/);
    assert.match(await page.locator('#screening-decision').innerText(), new RegExp(REASON));
    await assertAccessible(page, 'a decision recorded');

    // On the timeline.
    await clickAndLoad(page, 'a#tab-timeline');
    const timeline = await page.locator('main').innerText();
    assert.match(timeline, /ผู้ปฏิบัติงานไม่ยอมรับ/);
    assert.match(timeline, new RegExp(REASON));
    seen.check('screening');

    // In the audit log.
    await logInAs(page, BASE, 'demo-auditor');
    await page.goto(`${BASE}/audit?action=screening.decide`);
    await assertAccessible(page, 'the audit log');
    assert.match(await page.locator('main').innerText(), /ตัดสินใจต่อข้อเสนอระดับความซับซ้อน/);

    // The administrator sees the override on the settings page.
    await logInAs(page, BASE, 'demo-admin');
    await page.goto(`${BASE}/admin/screening`);
    await assertAccessible(page, 'screening settings');
    assert.match(await page.locator('#screening-overridden').innerText(), /%/);
    seen.check('screening settings');
  } finally {
    await browser.close();
  }
});
