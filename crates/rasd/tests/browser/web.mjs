// Headless Chromium checks of the rasd web page. Usage:
//   node web.mjs BASE_URL SCREENSHOT_DIR [CHROMIUM]
// Loads the home page, opens a story, runs a search, opens a topic timeline
// and an entity, checks the right-to-left layout, and checks that hostile
// titles render as text (no dialog ever opens, no <script> element exists).
// One screenshot per page goes to SCREENSHOT_DIR. Exit code 1 on a failure.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, shots, executable = '/usr/bin/chromium'] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node web.mjs BASE_URL SCREENSHOT_DIR [CHROMIUM]');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const browser = await chromium.launch({
  executablePath: executable,
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});
try {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport, locale: 'ar' });
    const page = await context.newPage();
    const dialogs = [];
    const errors = [];
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const shot = (file) => page.screenshot({ path: join(shots, `${name}-${file}.png`), fullPage: true });
    const noScripts = async (where) => {
      const scripts = await page.locator('script').count();
      check(scripts === 0, `${name}: ${where} has no <script> element`);
    };

    // Home: latest stories, right to left.
    const home = await page.goto(base + '/');
    check(home.status() === 200, `${name}: home answers 200`);
    const dir = await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang,
      getComputedStyle(document.body).direction]);
    check(dir.join(',') === 'rtl,ar,rtl', `${name}: home is rtl/ar (${dir})`);
    const brand = await page.locator('a.brand').boundingBox();
    check(brand && brand.x > viewport.width / 2, `${name}: the brand sits on the right`);
    const cards = await page.locator('article.card').count();
    check(cards >= 3, `${name}: home lists stories (${cards})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${name}: no horizontal scrolling (${overflow}px)`);
    await noScripts('home');
    await shot('home');

    // A story: coverage by outlet, articles.
    await page.locator('article.card h3 a').first().click();
    await page.waitForLoadState('domcontentloaded');
    check(/\/story\/\d+$/.test(page.url()), `${name}: a story opens (${page.url()})`);
    check(await page.locator('h1').count() === 1, `${name}: the story has a headline`);
    check(await page.locator('table tbody tr').count() >= 1, `${name}: the story shows coverage by outlet`);
    await shot('story');
    const entityLink = page.locator('a[href^="/entity/"]').first();
    if (await entityLink.count() > 0) {
      await entityLink.click();
      await page.waitForLoadState('domcontentloaded');
      check(/\/entity\/\d+$/.test(page.url()), `${name}: an entity opens`);
      await shot('entity');
    }

    // Search from the header box; matches are highlighted.
    await page.goto(base + '/');
    await page.locator('header input[name=q]').fill('معرض الكتاب');
    await page.locator('header button[type=submit]').click();
    await page.waitForLoadState('domcontentloaded');
    check(page.url().includes('/search?q='), `${name}: the search form submits`);
    const marks = await page.locator('mark').count();
    check(marks > 0, `${name}: search results are highlighted (${marks} marks)`);
    await shot('search');

    // Hostile titles render as text.
    await page.goto(base + '/search?q=' + encodeURIComponent('عاجل بيان'));
    const hostile = page.locator('article.card h3 a', { hasText: '<script>' }).first();
    check(await hostile.count() === 1, `${name}: the <script> title is shown as text in results`);
    await noScripts('search results');
    await hostile.click();
    await page.waitForLoadState('domcontentloaded');
    const h1 = await page.locator('h1').textContent();
    check(h1.includes("<script>alert('title')</script>"), `${name}: the article title shows <script> as text`);
    const body = await page.locator('.article-body').textContent();
    check(body.includes("<img src=x onerror=alert('img')>"), `${name}: hostile body markup is text`);
    check(await page.locator('a[href^="javascript:"]').count() === 0, `${name}: no javascript: links`);
    await noScripts('the hostile article');
    await shot('injection');

    // A topic timeline (SVG drawn on the server).
    await page.goto(base + '/topics');
    const topic = page.locator('article.card h3 a').first();
    if (await topic.count() > 0) {
      await topic.click();
      await page.waitForLoadState('domcontentloaded');
      const dots = await page.locator('svg.timeline circle').count();
      check(dots >= 1, `${name}: the topic timeline draws its stories (${dots})`);
      await shot('topic');
    } else {
      check(false, `${name}: the topics page lists a topic`);
    }

    check(dialogs.length === 0, `${name}: no dialog opened (${dialogs.join(' | ')})`);
    check(errors.length === 0, `${name}: no page errors (${errors.join(' | ')})`);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`${failures.length === 0 ? 'browser checks passed' : `${failures.length} browser checks failed`}`);
process.exit(failures.length === 0 ? 0 : 1);
