// Issue 16, layout and flow (items 5–8, 10–12) against `karuna serve --demo`: the search
// filters laid out as a form at 360 px and on a desktop, contact cards whose author line does
// not collide with the "correct" link, the language switch returning to the same page with its
// query and never dropping typed input without asking, the case header on every case page,
// the plan form adding goals without losing input, and error summaries that link each field.
// Axe runs on every page visited, at both widths; screenshots land in e2e/test-results/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { launch, firstPage, watch, assertAccessible, clickAndLoad, pathname, scrollWidth } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;
const SHOTS = new URL('./test-results/', import.meta.url).pathname;
const WIDTHS = [
  { name: 'phone', viewport: { width: 360, height: 740 } },
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
];

async function logIn(page, user) {
  await page.context().clearCookies();
  await page.goto(`${BASE}/login`);
  await page.locator('input#username').fill(user);
  await page.locator('input#password').fill('karuna-demo');
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 }), page.locator('button#login-submit').click()]);
}

/** A screenshot of `what` (a selector; the first match), or of the viewport. */
async function shot(page, name, what) {
  await mkdir(SHOTS, { recursive: true });
  const path = `${SHOTS}layout-${name}.png`;
  if (what) {
    await page.locator(what).first().screenshot({ path });
  } else {
    await page.screenshot({ path });
  }
}

/** Forget the 422 answers a test provoked on purpose (a form sent with errors). */
function expected422(seen) {
  for (let i = seen.problems.length - 1; i >= 0; i -= 1) {
    if (/^HTTP 422 /.test(seen.problems[i])) seen.problems.splice(i, 1);
  }
}

/** Visit, check axe and the width, take a screenshot. */
async function visit(page, url, label, width) {
  await page.goto(url);
  await assertAccessible(page, `${label} (${width.name})`);
  const w = await scrollWidth(page);
  assert.ok(w <= width.viewport.width, `${label}: ${w} px wide at ${width.viewport.width} px`);
}

/** The first case of the manager's list, with a contact recorded on it. */
async function caseWithContact(page) {
  await page.goto(`${BASE}/cases?mine=true`);
  const href = await page.locator('main table a[href^="/cases/"]').first().getAttribute('href');
  const caseUrl = `${BASE}${href.split('?')[0]}`;
  await page.goto(`${caseUrl}?tab=contacts`);
  if ((await page.locator('article.contact').count()) === 0) {
    await page.locator('#contact-note').fill('เยี่ยมบ้าน ผู้รับบริการให้ข้อมูลเพิ่มเติมเรื่องที่พักและรายได้');
    await clickAndLoad(page, 'button#contact-submit');
  }
  return caseUrl;
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

for (const width of WIDTHS) {
  test(`search filters, contact cards and case pages at ${width.name} width`, { timeout: 240_000 }, async () => {
    const browser = await launch({ viewport: width.viewport });
    try {
      const page = await firstPage(browser.context);
      const seen = watch(page, ORIGIN);
      await logIn(page, 'demo-manager');

      // Item 5: the search filters are a form, not a squeezed one-line bar.
      await visit(page, `${BASE}/search?q=${encodeURIComponent('บ้าน')}`, 'search', width);
      await shot(page, `search-${width.name}`, 'search');
      const form = await page.locator('form.filters').boundingBox();
      const query = await page.locator('#s-q').boundingBox();
      assert.ok(query.width >= form.width * 0.9, `the query box is ${query.width} px of a ${form.width} px form`);
      for (const id of ['s-type', 's-status', 's-case-type', 's-unit']) {
        const label = await page.locator(`label[for="${id}"]`).boundingBox();
        const select = await page.locator(`#${id}`).boundingBox();
        assert.ok(label.height < 60, `label of #${id} wraps: ${label.height} px tall`);
        assert.ok(select.width >= 150, `#${id} is only ${select.width} px wide`);
      }
      const button = page.locator('#search-submit');
      const box = await button.boundingBox();
      const radius = await button.evaluate((el) => parseFloat(getComputedStyle(el).borderTopLeftRadius));
      assert.ok(box.height < 90 && radius < box.height / 4, `the search button is a pill: ${box.height} px tall, radius ${radius}`);
      assert.equal(await page.locator('search form.filters').count(), 1, 'the search landmark holds the form');
      seen.check('search');

      // Item 7: the author line and the "correct" link of a contact card do not collide.
      const caseUrl = await caseWithContact(page);
      await visit(page, `${caseUrl}?tab=contacts`, 'contacts', width);
      await shot(page, `contacts-${width.name}`, 'article.contact');
      const cards = page.locator('article.contact');
      const n = Math.min(await cards.count(), 5);
      assert.ok(n > 0, 'a contact card');
      for (let i = 0; i < n; i += 1) {
        const by = await cards.nth(i).locator('.byline').boundingBox();
        // Every action of the card ("correct", "attach a file") sits below the author line.
        const actions = cards.nth(i).locator('details.card-action > summary');
        const m = await actions.count();
        assert.ok(m > 0, `card ${i}: the correct link`);
        for (let j = 0; j < m; j += 1) {
          const action = await actions.nth(j).boundingBox();
          assert.ok(!overlaps(by, action), `card ${i}: the author line overlaps action ${j}`);
          assert.ok(action.y >= by.y + by.height - 1, `card ${i}: action ${j} is not below the author line`);
        }
      }
      seen.check('contacts');

      // Item 8: every case page carries the case header with the client's name and the tabs.
      const client = (await page.locator('#case-client').innerText()).trim();
      assert.ok(client.length > 0, 'the case file names the client');
      for (const [suffix, tab] of [['/assessments', 'assessments'], ['/plan', 'plan'], ['/closure', 'closure'], ['/timeline', 'timeline']]) {
        await visit(page, `${caseUrl}${suffix}`, `case ${tab}`, width);
        assert.equal((await page.locator('#case-client').innerText()).trim(), client, `${tab}: the client`);
        assert.equal(await page.locator(`#tab-${tab}`).getAttribute('aria-current'), 'page', `${tab}: its tab is current`);
        if (tab === 'timeline') await shot(page, `timeline-${width.name}`);
        if (tab === 'assessments') await shot(page, `case-head-${width.name}`, '#case-head');
      }
      seen.check('case pages');
    } finally {
      await browser.close();
    }
  });
}

test('the language switch keeps the page, its query and typed input', { timeout: 240_000 }, async () => {
  const browser = await launch();
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');
    const caseUrl = await caseWithContact(page);

    // A case page: back on the same tab.
    await page.goto(`${caseUrl}?tab=contacts`);
    await clickAndLoad(page, 'form.lang-switch button#lang-en');
    assert.equal(page.url(), `${caseUrl}?tab=contacts`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await assertAccessible(page, 'contacts in English');

    // The search page: the query survives.
    const search = `${BASE}/search?q=${encodeURIComponent('บ้าน')}&type=contact`;
    await page.goto(search);
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
    assert.equal(page.url(), search);
    assert.equal(await page.locator('#s-q').inputValue(), 'บ้าน');
    await assertAccessible(page, 'search in Thai');

    // The intake form with typed input: the switch asks first; saying no keeps the input.
    await page.goto(`${BASE}/cases/new`);
    await page.locator('#client-first-name-th').fill('พิมพ์ไว้แล้ว');
    const questions = [];
    page.once('dialog', async (d) => {
      questions.push(d.message());
      await d.dismiss();
    });
    await page.locator('form.lang-switch button#lang-en').click();
    await page.waitForTimeout(500);
    assert.equal(questions.length, 1, 'the switch asked before dropping typed input');
    assert.equal(pathname(page), '/cases/new');
    assert.equal(await page.locator('#client-first-name-th').inputValue(), 'พิมพ์ไว้แล้ว');
    await assertAccessible(page, 'intake with input');
    // Saying yes switches, to the same form.
    page.once('dialog', (d) => d.accept());
    await clickAndLoad(page, 'form.lang-switch button#lang-en');
    assert.equal(pathname(page), '/cases/new');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    seen.check('language switch');
    // The choice is saved with the account: give demo-manager back her Thai for later tests.
    await page.goto(`${BASE}/`);
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
    assert.equal(await page.locator('html').getAttribute('lang'), 'th');
  } finally {
    await browser.close();
  }
});

test('the plan form adds a goal without losing input; error summaries link each field', { timeout: 240_000 }, async () => {
  const browser = await launch({ viewport: { width: 360, height: 740 } });
  try {
    const page = await firstPage(browser.context);
    const seen = watch(page, ORIGIN);
    await logIn(page, 'demo-manager');

    // Intake with nothing filled in: the summary links each field at fault.
    await page.goto(`${BASE}/cases/new`);
    await clickAndLoad(page, 'button#intake-submit');
    const links = page.locator('#error-summary a');
    assert.ok((await links.count()) >= 2, 'the intake summary lists the fields');
    await assertAccessible(page, 'intake errors (phone)');
    await shot(page, 'intake-errors-phone', '#error-summary');
    const first = await links.first().getAttribute('href');
    await links.first().click();
    assert.equal(new URL(page.url()).hash, first);
    assert.ok(await page.locator(first).count(), `${first} exists`);

    // The plan form: add a goal, the first goal's input is kept.
    const caseUrl = await caseWithContact(page);
    await page.goto(`${caseUrl}/plan/edit`);
    await assertAccessible(page, 'plan form (phone)');
    const goals = await page.locator('fieldset.plan-goal').count();
    const last = goals - 1;
    await page.locator(`#goals-${last}-dimension`).selectOption('economic');
    await page.locator(`#goals-${last}-statement`).fill('มีรายได้พอใช้จ่าย');
    await clickAndLoad(page, '#add-goal');
    assert.equal(await page.locator('fieldset.plan-goal').count(), goals + 1, 'one more goal slot');
    assert.equal(await page.locator(`#goals-${last}-statement`).inputValue(), 'มีรายได้พอใช้จ่าย');
    await assertAccessible(page, 'plan form with a goal added (phone)');
    // Saving with the new goal incomplete: a banner that links its fields.
    await clickAndLoad(page, '#plan-save');
    const summary = page.locator('#error-summary');
    assert.ok(await summary.isVisible(), 'a banner for a missing field in a later goal');
    assert.ok((await summary.locator(`a[href^="#goals-${last}-"]`).count()) >= 1, 'the banner links the goal\'s fields');
    await assertAccessible(page, 'plan form errors (phone)');
    await shot(page, 'plan-errors-phone', '#error-summary');
    expected422(seen);
    seen.check('plan form');
  } finally {
    await browser.close();
  }
});
