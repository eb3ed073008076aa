// Browser test of the public directory: Debian's chromium driven by
// playwright-core.  Usage: node test_browser.mjs http://127.0.0.1:PORT
// Prints TAP ("ok N - …" / "not ok N - …") and exits non-zero on a failure.
// Screenshots go to $KLASTER_SHOTS when it is set.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const BASE = (process.argv[2] || '').replace(/\/$/, '');
if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(BASE)) {
  console.log('not ok 1 - usage: node test_browser.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const SHOTS = process.env.KLASTER_SHOTS || '';
if (SHOTS) mkdirSync(SHOTS, { recursive: true });
const STEP_MS = 10000;     // any single wait, navigation or click
const TEST_MS = 45000;     // one scenario
const TOTAL_MS = 200000;   // the whole run

let n = 0;
let failed = 0;
function ok(pass, name, detail) {
  n++;
  if (pass) {
    console.log(`ok ${n} - ${name}`);
  } else {
    failed++;
    console.log(`not ok ${n} - ${name}`);
    if (detail) for (const line of String(detail).split('\n')) console.log(`# ${line}`);
  }
}

const watchdog = setTimeout(() => {
  console.log(`not ok ${n + 1} - the whole run took longer than ${TOTAL_MS / 1000} s`);
  process.exit(1);
}, TOTAL_MS);

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

function isLocal(url) {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    const h = new URL(url).hostname;
    return h === '127.0.0.1' || h === 'localhost' || h === '[::1]';
  } catch {
    return false;
  }
}

const foreign = [];          // every request to a host that is not the test server
const consoleErrors = [];    // console errors and uncaught exceptions, with the page URL

const browser = await withTimeout(chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 30000,
}), 40000, 'launching chromium').catch((err) => {
  console.log(`not ok 1 - launch chromium\n# ${err.message.split('\n')[0]}`);
  process.exit(1);
});

// A fresh context (no cookies) with request and console recording.
async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'pl-PL', ...opts });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
  return { context, page };
}

async function shot(page, name, fullPage = true) {
  if (!SHOTS) return;
  try {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, timeout: STEP_MS });
  } catch (err) {
    console.log(`# screenshot ${name} failed: ${err.message.split('\n')[0]}`);
  }
}

// The text of one column (0-based) of the results table's rows.
async function column(page, idx) {
  return page.$$eval('table.results tbody tr', (rows, i) =>
    rows.map((r) => (r.cells[i] ? r.cells[i].textContent.trim() : '')), idx);
}

async function scenario(name, fn) {
  const { context, page } = await newPage(fn.contextOptions);
  try {
    await withTimeout(fn(page, context), TEST_MS, name);
  } catch (err) {
    ok(false, name, err.stack || err.message);
  } finally {
    await context.close().catch(() => {});
  }
}

// 1. the home page
await scenario('home page', async (page) => {
  const before = consoleErrors.length;
  const resp = await page.goto(`${BASE}/`, { waitUntil: 'load' });
  ok(resp && resp.status() === 200, 'home page answers 200');
  ok((await page.getAttribute('html', 'lang')) === 'pl', 'home page is in Polish by default');
  ok(await page.locator('h1').first().isVisible(), 'home page has a visible heading');
  ok(await page.locator('svg.map a.region').count() === 16, 'home page map has 16 voivodeships',
    `found ${await page.locator('svg.map a.region').count()}`);
  // the map's regions are links: the map is a group (role=img would hide them), each link named by its region
  const names = await page.$$eval('svg.map a.region', (as) => as.map((a) => a.getAttribute('aria-label') || ''));
  ok(await page.getAttribute('svg.map', 'role') === 'group' && names.length === 16 &&
    names.every((n) => /^\S.*: \d+$/.test(n)) && names.some((n) => n.startsWith('łódzkie')),
    'the home map is a group of links, each named by its voivodeship and count', names.slice(0, 3).join(' | '));
  const snap = await page.locator('svg.map').ariaSnapshot().catch(() => '');
  ok(!snap || /link "łódzkie: \d+"/.test(snap), 'the accessibility tree shows the regions as named links', snap.slice(0, 300));
  ok(await page.locator('ul.clusters li').count() > 0, 'home page lists clusters');
  await page.waitForLoadState('networkidle', { timeout: STEP_MS }).catch(() => {});
  const css = await page.evaluate(() => getComputedStyle(document.querySelector('header.top')).display);
  ok(css === 'flex', 'the stylesheet is applied', `header.top display is ${css}`);
  ok(consoleErrors.length === before, 'home page logs no console error', consoleErrors.slice(before).join('\n'));
  ok(foreign.length === 0, 'home page requests nothing from another host', foreign.join('\n'));
  await shot(page, 'home');
});

// 1b. an English browser gets English pages
const englishTest = async (page) => {
  await page.goto(`${BASE}/clusters`);
  ok((await page.getAttribute('html', 'lang')) === 'en', 'an English-speaking browser gets lang="en"');
  ok((await page.textContent('h1')).trim() === 'Clusters', 'an English-speaking browser gets English headings');
};
englishTest.contextOptions = { locale: 'en-GB' };
await scenario('Accept-Language', englishTest);

// 2. search from the home page, without diacritics
await scenario('search "lodz"', async (page) => {
  await page.goto(`${BASE}/`);
  await page.fill('#home-q', 'lodz');
  await Promise.all([page.waitForURL(/\/organisations\?/), page.press('#home-q', 'Enter')]);
  const url = new URL(page.url());
  ok(url.pathname === '/organisations' && url.searchParams.get('q') === 'lodz',
    'search submits to /organisations?q=lodz', page.url());
  const names = await column(page, 0);
  const towns = await column(page, 2);
  ok(names.length > 0, 'search "lodz" finds organisations', `rows: ${names.length}`);
  ok(names.some((t) => t.includes('Łódź')) || towns.some((t) => t.includes('Łódź')),
    'a result for "lodz" is in Łódź', `names: ${names.slice(0, 5).join(' | ')}; towns: ${towns.slice(0, 5).join(' | ')}`);
  ok(names.some((t) => t.includes('Łódź')), 'a result name contains "Łódź"', names.join(' | '));
  ok((await page.inputValue('#f-q')) === 'lodz', 'the search box keeps the query');
  ok(/\d/.test(await page.textContent('p.count')), 'the result count is shown');
});

// 3. a select filter applies with its button only (WCAG 3.2.2: no change of context on input)
await scenario('type filter', async (page) => {
  await page.goto(`${BASE}/organisations`);
  const all = Number((await page.textContent('p.count strong')).trim());
  const label = (await page.locator('#f-type option[value="research"]').textContent()).trim();
  const before = page.url();
  await page.selectOption('#f-type', 'research');
  await page.waitForTimeout(300);
  ok(page.url() === before, 'changing the type select does not submit the form', page.url());
  await Promise.all([page.waitForURL(/type=research/), page.click('form.filters button[type=submit]')]);
  const url = new URL(page.url());
  ok(url.pathname === '/organisations' && url.searchParams.get('type') === 'research',
    'the Filter button applies it', page.url());
  ok((await page.inputValue('#f-type')) === 'research', 'the type select keeps its value');
  const types = await column(page, 1);
  const count = Number((await page.textContent('p.count strong')).trim());
  ok(types.length > 0 && types.every((t) => t.startsWith(label)),
    `every result has the type "${label}"`, types.join(' | '));
  ok(count > 0 && count < all, 'the filter narrows the result count', `${count} of ${all}`);
  await shot(page, 'organisations-research');
});

// 4. a click on the map filters by voivodeship
await scenario('map click', async (page) => {
  await page.goto(`${BASE}/`);
  const region = page.locator('svg.map a.region[data-teryt="10"]');
  ok(await region.count() === 1, 'the map has łódzkie (TERYT 10)');
  await Promise.all([page.waitForURL(/\/organisations\?voiv=10$/), region.locator('path').first().click()]);
  ok(new URL(page.url()).search === '?voiv=10', 'clicking łódzkie opens /organisations?voiv=10', page.url());
  ok((await page.inputValue('#f-voiv')) === '10', 'the voivodeship select shows łódzkie');
  const voivs = await column(page, 3);
  ok(voivs.length > 0 && voivs.every((v) => v === 'łódzkie'), 'every result is in łódzkie', voivs.join(' | '));
});

// 5. a cluster profile
await scenario('cluster profile', async (page) => {
  await page.goto(`${BASE}/clusters`);
  const rows = await page.locator('table.results tbody tr').count();
  ok(rows > 0, 'the cluster list has rows', `rows: ${rows}`);
  const first = page.locator('table.results tbody tr td:first-child a').first();
  const name = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/clusters\/\d+$/), first.click()]);
  ok((await page.textContent('h1')).includes(name), 'the cluster page shows its name', name);
  const bars = page.locator('table.bars');
  ok(await bars.count() === 2, 'the structure tables (by type, by size) are shown', `found ${await bars.count()}`);
  const typeRows = await page.locator('table.bars').first().locator('tbody tr').count();
  ok(typeRows === 5, 'the structure by type has five rows', `rows: ${typeRows}`);
  const members = await page.locator('table.results tbody tr').count();
  ok(members > 0, 'the member table has rows', `rows: ${members}`);
  const total = Number((await page.locator('h2 + p strong').first().textContent()).trim());
  const current = await page.locator('table.results tbody tr:not(.former)').count();
  ok(total === current, 'the member count matches the member table', `count ${total}, current rows ${current}`);
  ok(await page.locator('svg.map').count() === 1, 'the cluster page has a map');
  await shot(page, 'cluster');
});

// 5b. the cluster map: choosing an industry redraws the map and the ranking
await scenario('cluster map', async (page) => {
  await page.goto(`${BASE}/cluster-map?lang=pl`);
  ok(await page.locator('svg.map path').count() >= 16, 'the cluster map shows the voivodeships');
  await page.selectOption('#f-industry', '31');   // the filters apply with their button
  await Promise.all([
    page.waitForURL((u) => u.searchParams.get('industry') === '31'),
    page.click('form.filters button[type=submit]'),
  ]);
  const h2 = await page.locator('main h2').first().textContent();
  ok(/31/.test(h2), 'choosing industry 31 (furniture) shows it', h2);
  const rows = await page.locator('table.results tbody tr').count();
  ok(rows === 16, 'the ranking lists the 16 voivodeships', `${rows} rows`);
  await shot(page, 'cluster-map');
  // from the keyboard the list is browsed without reloading at each arrow; the Show button applies it
  const before = page.url();
  await page.focus('#f-industry');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(300);
  ok(page.url() === before, 'arrow keys on the industry select do not reload the page', page.url());
  const chosen = await page.inputValue('#f-industry');
  await page.focus('form.filters button[type=submit]');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('industry') === chosen),
    page.keyboard.press('Enter')]);
  ok(new URL(page.url()).searchParams.get('industry') === chosen, 'Enter on the Show button applies the industry chosen',
    page.url());
  // a phone: the page does not scroll sideways (the table scrolls in its own box)
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${BASE}/cluster-map?lang=pl&band_km=300`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  ok(wide <= 390, 'at 390 px the page is no wider than the screen', `${wide} px`);
});

// 5c. the region profile: from the map's table to a region's industries, and another region chosen
await scenario('region profile', async (page) => {
  await page.goto(`${BASE}/cluster-map?lang=pl`);
  const link = page.locator('table.results tbody tr:first-child td:nth-child(2) a');
  const name = (await link.textContent()).trim();
  await Promise.all([page.waitForURL((u) => u.pathname === '/cluster-map/region'), link.click()]);
  const h2 = (await page.locator('main h2').first().textContent()).trim();
  ok(h2.startsWith(name), 'the first region of the ranking opens its profile', `${name} / ${h2}`);
  const lqs = await page.$$eval('table.profile-table tbody tr:not(.nodata) td:nth-child(7)',
    (tds) => tds.map((td) => Number(td.textContent.replace(/\s/g, '').replace(',', '.'))));
  ok(lqs.length > 10 && lqs.every((v, i) => i === 0 || lqs[i - 1] >= v), 'its industries run from the highest LQ',
    lqs.slice(0, 5).join(' '));
  const other = await page.$$eval('#f-region option:not([selected])', (os) => os.map((o) => o.value));
  await page.selectOption('#f-region', other[0]);
  await Promise.all([
    page.waitForURL((u) => u.searchParams.get('region') === other[0]),
    page.click('form:has(#f-region) button[type=submit]'),   // the filters apply with their button
  ]);
  ok(await page.inputValue('#f-region') === other[0], 'choosing another region shows it', page.url());
  await shot(page, 'region-profile');
  // a region clicked on the map opens its profile too
  await page.goto(`${BASE}/cluster-map?lang=pl`);
  const area = page.locator('svg.map a.region').first();
  await Promise.all([page.waitForURL((u) => u.pathname === '/cluster-map/region'), area.click()]);
  ok((await page.locator('table.profile-table tbody tr').count()) > 10, 'a region clicked on the map opens its profile',
    page.url());
  await page.setViewportSize({ width: 390, height: 800 });
  await page.reload();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  ok(wide <= 390, 'at 390 px the profile is no wider than the screen', `${wide} px`);
});

// 6. the language switch is remembered
await scenario('language switch', async (page) => {
  await page.goto(`${BASE}/organisations?type=research`);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/lang')), page.click('header.top a.lang')]);
  await page.waitForLoadState('load');
  ok((await page.getAttribute('html', 'lang')) === 'en', 'after "English" the page has lang="en"');
  const nav = (await page.$$eval('header.top nav a', (as) => as.map((a) => a.textContent.trim()))).join(',');
  ok(nav === 'Organisations,Clusters,Map,Cluster map,Offers,Services,News,API', 'the navigation is in English', nav);
  const url = new URL(page.url());
  ok(url.pathname === '/organisations' && url.searchParams.get('type') === 'research',
    'the switch returns to the same page and query', page.url());
  ok((await page.textContent('h1')).trim() === 'Organisations', 'the heading is in English');
  await Promise.all([page.waitForURL(/\/clusters$/), page.click('header.top nav a[href="/clusters"]')]);
  ok((await page.getAttribute('html', 'lang')) === 'en', 'the next page is still in English');
  ok((await page.textContent('header.top a.lang')).trim() === 'Polski', 'the switch now offers Polski');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/lang')), page.click('header.top a.lang')]);
  await page.waitForLoadState('load');
  ok((await page.getAttribute('html', 'lang')) === 'pl', 'switching back gives lang="pl"');
});

// 7. keyboard: the skip link comes first
await scenario('keyboard', async (page) => {
  await page.goto(`${BASE}/organisations`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const a = document.activeElement;
    return { cls: a.className, href: a.getAttribute('href'), tag: a.tagName };
  });
  ok(first.tag === 'A' && first.cls === 'skip' && first.href === '#main', 'the first Tab stop is the skip link',
    JSON.stringify(first));
  const box = await page.locator('a.skip').boundingBox();
  ok(box && box.x >= 0 && box.y >= 0 && box.x < 1280 && box.width > 0, 'the focused skip link is on screen',
    JSON.stringify(box));
  await page.keyboard.press('Enter');
  await page.waitForURL(/#main$/);
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => !!document.activeElement.closest('main'));
  ok(next, 'after the skip link the next Tab stop is inside main');
  await page.keyboard.press('Shift+Tab');
  await shot(page, 'keyboard', false);
});

// 8. a narrow screen
async function narrow(page, path, name) {
  await page.goto(`${BASE}${path}`);
  const w = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 375 + 2 && !e.closest('.table-wrap') &&
        !e.classList.contains('skip'))
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className} right=${Math.round(e.getBoundingClientRect().right)}`),
  }));
  ok(w.doc <= 375 + 2 && w.body <= 375 + 2, `${path} fits a 375 px wide screen`,
    `scrollWidth: html ${w.doc}, body ${w.body}; too wide: ${w.wide.join(', ')}`);
  await shot(page, name);
}
const phone = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const narrowTest = async (page, context) => {
  await narrow(page, '/', 'mobile-home');
  await narrow(page, '/organisations', 'mobile-organisations');
  await page.goto(`${BASE}/clusters`);
  const href = await page.locator('table.results tbody a').first().getAttribute('href');
  await narrow(page, href, 'mobile-cluster');
  await narrow(page, '/map', 'mobile-map');
};
narrowTest.contextOptions = phone;
await scenario('375 px viewport', narrowTest);

// finally: the whole run stayed on the test server and logged no error
ok(foreign.length === 0, 'no page requested anything from another host', [...new Set(foreign)].join('\n'));
ok(consoleErrors.length === 0, 'no page logged a console error', consoleErrors.join('\n'));

await browser.close().catch(() => {});
clearTimeout(watchdog);
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
