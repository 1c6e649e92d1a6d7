import { launch, firstPage, logInAs } from './lib/browser.mjs';
const BASE = 'http://127.0.0.1:48123';
const b = await launch();
const page = await firstPage(b.context);
await logInAs(page, BASE, 'gen-admin');
await page.goto(`${BASE}/admin/screening/model`);
await page.locator('button#model-train').click();
await page.waitForLoadState();
for (let i = 0; i < 30 && (await page.locator('#model-auc').count()) === 0; i++) { await new Promise(r => setTimeout(r, 1000)); await page.reload(); }
await page.setViewportSize({ width: 1200, height: 2400 });
await page.screenshot({ path: '/tmp/shot/model.png', fullPage: true });
await logInAs(page, BASE, 'gen-manager-001');
await page.goto(`${BASE}/cases?mine=true`);
const href = await page.locator('a[href^="/cases/0"]').first().getAttribute('href');
await page.goto(`${BASE}${href.split('?')[0]}/screening`);
await page.locator('button#screen-again').click();
await page.waitForLoadState();
await page.screenshot({ path: '/tmp/shot/case.png', fullPage: true });
await b.close();
