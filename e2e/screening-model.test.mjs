// The learned layer of the complexity screening (issue 22, "done when"): on the generated
// agency (`karuna gen`, run by e2e/run.sh) the administrator opens the learned layer from the
// screening settings, trains a model on the closed cases and sees its validation figures (ROC
// AUC, Brier score against the base rate, calibration) and its features; a case manager
// screens one of her cases again and sees the learned estimate with the features that weighed
// most, beside the rules' level, then the closed cases most alike as totals only (issue 22
// item 3). Axe on every page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, logInAs } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;

test('the learned layer trains on the generated agency and explains a case', { timeout: 180_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);

    await logInAs(page, BASE, 'gen-admin');
    await page.goto(`${BASE}/admin/screening`);
    await clickAndLoad(page, 'a#model-link');
    assert.equal(new URL(page.url()).pathname, '/admin/screening/model');
    await assertAccessible(page, 'the learned layer before training');

    await clickAndLoad(page, 'button#model-train');
    assert.equal(new URL(page.url()).searchParams.get('done'), 'started');
    for (let i = 0; i < 60; i++) {
      if (await page.locator('#model-auc').count() > 0) break;
      await new Promise((r) => setTimeout(r, 1000));
      await page.reload();
    }
    assert.equal(await page.locator('#model-status').innerText(), 'ฝึกเสร็จแล้ว');
    const auc = Number((await page.locator('#model-auc').innerText()).trim());
    assert.ok(auc > 0.6 && auc <= 1, `AUC ${auc}`);
    assert.ok(Number(await page.locator('#model-brier').innerText()) < 0.25);
    assert.ok(await page.locator('#model-calibration tbody tr').count() >= 2);
    assert.ok(await page.locator('#model-features tbody tr').count() >= 15);
    assert.match(await page.locator('#model-features').innerText(), /กรณีฉุกเฉิน/);
    await assertAccessible(page, 'the learned layer trained');
    seen.check('administrator');

    await logInAs(page, BASE, 'gen-manager-001');
    await page.goto(`${BASE}/cases?mine=true`);
    const href = await page.locator('a[href^="/cases/0"]').first().getAttribute('href');
    await page.goto(`${BASE}${href.split('?')[0]}/screening`);
    await clickAndLoad(page, 'button#screen-again');
    assert.match(await page.locator('#learned-estimate').innerText(), /\d+% .*180 วัน/);
    assert.ok(await page.locator('#learned-reasons li').count() >= 1);
    assert.ok((await page.locator('#screening-level').innerText()).trim().length > 0, 'the rules still set the level');
    await assertAccessible(page, 'a case screened with the learned estimate');

    // From the screening, the closed cases most alike, as totals only.
    await clickAndLoad(page, 'a#similar-link');
    assert.match(new URL(page.url()).pathname, /\/similar$/);
    assert.ok(await page.locator('#similar-methods tbody tr').count() >= 1, 'what each intervention achieved');
    assert.match(await page.locator('#similar-median').innerText(), /\d+ วัน/);
    const caseId = new URL(page.url()).pathname.split('/')[2];
    const others = (await page.locator('main a[href^="/cases/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      .filter((h) => /^\/cases\/[0-9a-f-]{36}/.test(h) && !h.startsWith(`/cases/${caseId}`));
    assert.deepEqual(others, [], 'no other case is linked');
    await assertAccessible(page, 'similar closed cases');
    seen.check('case manager');
  } finally {
    await browser.close();
  }
});
