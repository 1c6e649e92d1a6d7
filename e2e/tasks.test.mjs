// Tasks of the case team against `karuna serve --demo`: the case manager assigns a task to the
// psychologist on a case's team (an empty form is refused field by field first), the
// psychologist is told in the inbox, finds it under "my tasks", starts it and marks it done,
// and the supervisor sees it among her unit's tasks, sets a caseload limit and records a
// supervision session — with axe on every page visited.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, firstPage, watch, assertAccessible, clickAndLoad } from './lib/browser.mjs';

const BASE = (process.env.KARUNA_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('KARUNA_URL is not set: run e2e/run.sh');
}
const ORIGIN = new URL(BASE).origin;
const PSYCHOLOGIST = 'ประเสริฐ วงศ์ใหญ่';

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

test('a task assigned on the case, done by the psychologist, seen by the supervisor', { timeout: 150_000 }, async () => {
  const browser = await launch();
  const title = `ประเมินสภาพจิตใจหลังเยี่ยมบ้าน ${Date.now() % 100000}`;
  try {
    const page = await firstPage(browser.context);
    watch(page, ORIGIN);
    await logIn(page, 'demo-manager');

    // A case of the manager's with the psychologist on its team.
    await page.goto(`${BASE}/cases`);
    const hrefs = await page.locator('a[href^="/cases/0"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    let tasksUrl = null;
    for (const href of hrefs) {
      const url = `${BASE}${href.split('?')[0]}/tasks`;
      await page.goto(url);
      if (await page.locator('#task-assignee-id option', { hasText: PSYCHOLOGIST }).count() > 0) {
        tasksUrl = url;
        break;
      }
    }
    assert.ok(tasksUrl, 'a case with the psychologist on its team');
    assert.equal(await page.locator('#tab-tasks').getAttribute('aria-current'), 'page');
    await assertAccessible(page, 'case tasks');

    // Nothing filled in: each field's message, linked from the summary.
    await clickAndLoad(page, '#task-submit');
    await page.locator('#error-summary').waitFor();
    assert.ok(await page.locator('#error-summary a[href="#task-title"]').count() === 1, 'the title is named');
    assert.ok(await page.locator('#error-summary a[href="#task-assignee-id"]').count() === 1, 'who is named');
    assert.equal(await page.locator('#task-due').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'case tasks, refused');

    // Assigned to the psychologist, high priority, in three days.
    await page.locator('#task-title').fill(title);
    await page.locator('#task-details').fill('นัดหลังเยี่ยมบ้านครั้งที่สอง');
    const option = page.locator('#task-assignee-id option', { hasText: PSYCHOLOGIST });
    await page.locator('#task-assignee-id').selectOption(await option.getAttribute('value'));
    await page.locator('#task-due').fill(dueIn(3));
    await page.locator('#task-priority').selectOption('high');
    await clickAndLoad(page, '#task-submit');
    assert.match(await page.locator('.flash').first().innerText(), /บันทึกงานแล้ว/);
    const card = page.locator('article.task', { hasText: title });
    assert.equal(await card.count(), 1, 'the task is on the case');
    assert.match(await card.locator('.task-who').innerText(), new RegExp(PSYCHOLOGIST));
    await assertAccessible(page, 'case tasks with a task');

    // The psychologist: the unread badge, the notification leading to the task, the count on
    // the home page, the task under "my tasks".
    await logIn(page, 'demo-psychologist');
    assert.equal(await page.locator('header nav a[href="/inbox"] .nav-badge').count(), 1, 'the unread badge');
    await clickAndLoad(page, 'header nav a[href="/inbox"]');
    await assertAccessible(page, 'inbox');
    assert.match(await page.locator('#inbox-list li').first().innerText(), /มาลี ศรีสุข มอบหมายงานให้คุณ/);
    await clickAndLoad(page, '#inbox-list li >> nth=0 >> a');
    assert.ok(new URL(page.url()).pathname.endsWith('/tasks'), `the notification leads to the case's tasks: ${page.url()}`);
    assert.equal(await page.locator('article.task', { hasText: title }).count(), 1);
    await page.goto(`${BASE}/`);
    assert.match(await page.locator('#home-task-counts').innerText(), /งานค้าง [1-9]/);
    await clickAndLoad(page, 'header nav a[href="/tasks"]');
    await assertAccessible(page, 'my tasks');
    const mine = page.locator('article.task', { hasText: title });
    assert.equal(await mine.count(), 1, 'the task is in my tasks');
    await clickAndLoad(page, `article.task:has-text("${title}") button.task-start`);
    assert.match(await page.locator('article.task', { hasText: title }).locator('.task-status').innerText(), /กำลังทำ/);
    await clickAndLoad(page, `article.task:has-text("${title}") button.task-done`);
    assert.equal(await page.locator('article.task', { hasText: title }).count(), 0, 'done is off the list of what is left');
    await page.locator('#task-filter-status').selectOption('done');
    await clickAndLoad(page, '#task-filter-submit');
    assert.equal(await page.locator('article.task', { hasText: title }).count(), 1, 'listed under done');
    await assertAccessible(page, 'my tasks, done');

    // The supervisor: her unit's tasks, every status.
    await logIn(page, 'demo-supervisor');
    await page.goto(`${BASE}/tasks?list=unit&status=all`);
    assert.equal(await page.locator('#tasks-unit').getAttribute('aria-current'), 'page');
    assert.equal(await page.locator('article.task', { hasText: title }).count(), 1, 'the unit\'s list holds it');
    await assertAccessible(page, 'unit tasks');

    // Her unit's caseloads: a limit that is not a number is refused beside it, one is saved.
    await clickAndLoad(page, 'header nav a[href="/caseload"]');
    await clickAndLoad(page, '#caseload-unit');
    await assertAccessible(page, 'unit caseloads');
    const row = page.locator('#caseload-table tbody tr', { hasText: 'มาลี ศรีสุข' });
    await row.locator('input[name=limit]').fill('ยี่สิบ');
    await clickAndLoad(page, '#caseload-table tbody tr:has-text("มาลี ศรีสุข") button[type=submit]');
    assert.equal(await page.locator('#caseload-table tbody tr', { hasText: 'มาลี ศรีสุข' }).locator('.field-error').count(), 1);
    await page.locator('#caseload-table tbody tr', { hasText: 'มาลี ศรีสุข' }).locator('input[name=limit]').fill('30');
    await clickAndLoad(page, '#caseload-table tbody tr:has-text("มาลี ศรีสุข") button[type=submit]');
    assert.match(await page.locator('.flash').first().innerText(), /บันทึกเกณฑ์แล้ว/);
    await assertAccessible(page, 'unit caseloads, limit saved');

    // A supervision session with the case manager, seen again in the list.
    await clickAndLoad(page, '#caseload-supervision');
    await assertAccessible(page, 'supervision');
    const today = new Date(Date.now() + 7 * 3600 * 1000);
    await page.locator('#worker_id').selectOption({ label: 'มาลี ศรีสุข' });
    await page.locator('#held_on').fill(`${today.getUTCDate()}/${today.getUTCMonth() + 1}/${today.getUTCFullYear() + 543}`);
    await page.locator('#caseload_reviewed').check();
    await page.locator('#agreed_actions').fill('เยี่ยมบ้านร่วมกันสัปดาห์หน้า');
    await page.locator('#wellbeing').fill('เหนื่อยล้าจากรายกรณีความรุนแรง');
    await clickAndLoad(page, '#supervision-submit');
    assert.match(await page.locator('.flash').first().innerText(), /บันทึกการนิเทศแล้ว/);
    assert.equal(await page.locator('article.supervision', { hasText: 'เยี่ยมบ้านร่วมกันสัปดาห์หน้า' }).count() >= 1, true);
    await assertAccessible(page, 'supervision saved');
  } finally {
    await browser.close();
  }
});
