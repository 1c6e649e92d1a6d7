// Shared helpers for Karuna's browser tests: launch Debian's Chromium through
// playwright-core (never a downloaded browser), run axe-core, and watch a page
// for broken same-origin requests and Content-Security-Policy violations.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Debian's Chromium; override with CHROMIUM_PATH for a local run elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags that keep Chromium headless, offline and quiet in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Axe impacts that fail a test. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Launch Chromium with a fresh temporary profile (Playwright passes it as
 * --user-data-dir). Returns { context, close }; close() also deletes the profile.
 * `options` go to launchPersistentContext (viewport, colorScheme, locale, …).
 */
export async function launch(options = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'karuna-e2e-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
      ...options,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The page the persistent context opened with, or a new one. */
export async function firstPage(context) {
  return context.pages()[0] ?? (await context.newPage());
}

/**
 * Record problems a person would not see but that break the design's rules:
 * same-origin responses >= 400 (a missing /static/ asset) and CSP violations
 * (an inline script or style slipped in). Call before the first goto.
 * Returns { problems, check(step) } where check() throws if any were recorded
 * since the last call.
 */
export function watch(page, origin) {
  const problems = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.origin !== origin) return;
    // Redirects are fine; 401/403 on the page under test would show in its asserts.
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${url.pathname}${url.search}`);
  });
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  let seen = 0;
  return {
    problems,
    check(step) {
      const fresh = problems.slice(seen);
      seen = problems.length;
      if (fresh.length) {
        const shown = fresh.slice(0, 10).map((p) => (p.length > 300 ? `${p.slice(0, 300)}…` : p));
        const more = fresh.length > 10 ? `\n  … and ${fresh.length - 10} more` : '';
        throw new Error(`${step}: ${fresh.length} problem(s) on the page:\n  ${shown.join('\n  ')}${more}`);
      }
    },
  };
}

/** Human-readable list of axe violations. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes.slice(0, 5).map((n) => {
        const summary = (n.failureSummary || '').split('\n').map((l) => `        ${l.trim()}`).join('\n');
        return `      at ${n.target.join(' ')}\n        ${n.html.slice(0, 200)}\n${summary}`;
      });
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}${more}`;
    })
    .join('\n');
}

/**
 * Run axe-core on the page; throw if any violation is serious or critical.
 * Minor and moderate ones are printed, not failed.
 */
export async function assertAccessible(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const failing = results.violations.filter((v) => FAILING_IMPACTS.has(v.impact));
  const other = results.violations.filter((v) => !FAILING_IMPACTS.has(v.impact));
  if (other.length) {
    console.log(`axe (${label}): ${other.length} minor/moderate issue(s), not failing:\n${formatViolations(other)}`);
  }
  if (failing.length) {
    throw new Error(
      `axe (${label}, ${page.url()}): ${failing.length} serious/critical violation(s):\n${formatViolations(failing)}`,
    );
  }
  return results;
}

/** Click something that submits a form or follows a link, and wait for the next page load. */
export async function clickAndLoad(page, selector) {
  await Promise.all([page.waitForEvent('load'), page.locator(selector).click()]);
}

/** <html lang> of the current document. */
export function htmlLang(page) {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

/** Path of the current URL. */
export function pathname(page) {
  return new URL(page.url()).pathname;
}

/** Horizontal overflow check: the page must fit its viewport. */
export async function scrollWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

// Signs `user` in with the demo password on `base` (cookies cleared first) and switches the
// interface to Thai when it is not already.
export async function logInAs(page, base, user) {
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.locator('input#username').fill(user);
  await page.locator('input#password').fill('karuna-demo');
  await Promise.all([page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 }), page.locator('button#login-submit').click()]);
  if ((await page.locator('html').getAttribute('lang')) !== 'th') {
    await clickAndLoad(page, 'form.lang-switch button#lang-th');
  }
}
