// The case team's staff picker against `karuna serve --demo`: the case manager's team tab
// offers the colleagues of the case's unit; a colleague of another unit (the shelter's
// psychologist) is found by name and added to the team — with axe on every page visited.

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
}

/** The option labels of a select. */
async function options(page, selector) {
  return page.locator(`${selector} option`).allInnerTexts();
}

test('a colleague of another unit is found by name and joins the case team', { timeout: 120_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');

    // A case of the manager's whose team does not hold the psychologist yet (other tests may
    // have put her on the case they used), on its team tab.
    await page.goto(`${BASE}/cases`);
    const hrefs = await page.locator('a[href^="/cases/0"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href').split('?')[0]))]);
    let caseUrl = null;
    for (const href of hrefs) {
      await page.goto(`${BASE}${href}?tab=team`);
      if (!(await page.locator('main').innerText()).includes('ประเสริฐ')) {
        caseUrl = `${BASE}${href}`;
        break;
      }
    }
    assert.ok(caseUrl, 'a case of the manager\'s without the psychologist');
    await assertAccessible(page, 'team tab');

    // The unit's colleagues are offered; the shelter's psychologist is not among them.
    const unit = await options(page, '#team-account');
    assert.ok(!unit.some((o) => o.includes('ประเสริฐ')), `the office unit's picker: ${unit}`);

    // Found by name, then added.
    await page.locator('#staff-q').fill('ประเสริฐ');
    await clickAndLoad(page, '#staff-find button[type=submit]');
    await assertAccessible(page, 'team tab, staff search');
    const found = await options(page, '#team-account');
    assert.ok(found.some((o) => o.includes('ประเสริฐ')), `found by name: ${found}`);
    await page.locator('#team-account').selectOption({ index: found.findIndex((o) => o.includes('ประเสริฐ')) });
    await page.locator('#team-role').fill('ประเมินสภาพจิตใจ');
    await clickAndLoad(page, 'button#team-submit');
    await page.goto(`${caseUrl}?tab=team`);
    const team = await page.locator('main').innerText();
    assert.ok(team.includes('ประเสริฐ'), 'the psychologist is on the team');

    // A name that matches nobody says so.
    await page.locator('#staff-q').fill('ไม่มีชื่อนี้แน่นอน');
    await clickAndLoad(page, '#staff-find button[type=submit]');
    assert.equal(await page.locator('#staff-none').count(), 1, 'no colleague found is said');
    await assertAccessible(page, 'team tab, nobody found');
    seen.check('team picker');
  } finally {
    await browser.close();
  }
});
