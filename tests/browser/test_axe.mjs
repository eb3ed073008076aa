// WCAG 2.1 AA checked by axe-core (tests/browser/node_modules/axe-core, a pinned npm
// package injected from disk: no CDN) on one page of every kind, in Polish and in
// English: the home page, the directory with filters and a refused filter (400), an
// organisation, the clusters and a cluster, the offers and services and an offer, the
// add-offer and add-company forms with the server's validation errors, the news and an
// article with a comment, the newsletter forms, log in / register / forgot password,
// the account, the administrator's pages, the cluster map, a region's profile, the firm
// points and a 404 page; some of them again on a 360 px screen without klaster.js
// (with the page that asks before an article is deleted).  Each violation is a failed test line naming the rule, the
// page and the elements; so is a map's text whose colour contrast axe cannot determine and
// leaves for review.  Rules are run with the tags wcag2a, wcag2aa, wcag21a, wcag21aa
// and best-practice.
// Usage: KLASTER_ADMIN=… KLASTER_ADMIN_PASSWORD=… node test_axe.mjs http://127.0.0.1:PORT
// Prints TAP and exits non-zero on a failure.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = (process.argv[2] || '').replace(/\/$/, '');
const ADMIN = process.env.KLASTER_ADMIN || '';
const ADMIN_PW = process.env.KLASTER_ADMIN_PASSWORD || '';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(BASE) || !ADMIN) {
  console.log('not ok 1 - usage: KLASTER_ADMIN=… KLASTER_ADMIN_PASSWORD=… node test_axe.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const AXE = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', 'axe-core', 'axe.min.js');
if (!existsSync(AXE)) {
  console.log(`not ok 1 - axe-core is not installed (${AXE}; make deps)`);
  process.exit(1);
}
// WCAG 2.0 and 2.1, levels A and AA; and axe's best practices, which hold the rules of
// landmarks, heading order and empty table headers that WCAG's tags leave out
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const STEP_MS = 15000;
const TOTAL_MS = 220000;

// Rules not checked, each with its reason.  Empty: every violation is fixed in the pages.
const EXCLUDED = {};

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
  return pass;
}

const watchdog = setTimeout(() => {
  console.log(`not ok ${n + 1} - the whole run took longer than ${TOTAL_MS / 1000} s`);
  process.exit(1);
}, TOTAL_MS);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 30000,
}).catch((err) => {
  console.log(`not ok 1 - launch chromium\n# ${err.message.split('\n')[0]}`);
  process.exit(1);
});

// bypassCSP: the portal's Content-Security-Policy (script-src 'self') would refuse the
// injected axe script; the pages themselves are unchanged
async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', bypassCSP: true,
    ...options });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  return { context, page: await context.newPage() };
}

async function login(page) {
  await page.goto(`${BASE}/login`);
  await page.fill('#f-email', ADMIN);
  await page.fill('#f-password', ADMIN_PW);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form.stack button[type=submit]')]);
}

async function setLang(page, lang) {
  await page.goto(`${BASE}/lang?set=${lang}&back=%2F`);
}

// Sends a form as it is, without the browser's own checks, so that the server's errors show.
async function submitUnchecked(page, formSel) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(),
    page.evaluate((sel) => {
      const f = document.querySelector(sel);
      f.noValidate = true;
      f.querySelector('button[type=submit]').click();
    }, formSel)]);
}

// Runs axe on the page as it is and reports one test line per violated rule.  The text of a
// map (svg.map: its legend) must also leave axe no colour contrast to review ("incomplete"): the
// map paints the legend's background and says it (map.c), so the ratio is checked, not assumed.
async function check(page, what, lang) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'],
      elementRef: true });
    const node = (x) => `${x.target.join(' ')}: ${(x.failureSummary || '').split('\n').slice(1, 2).join(' ').trim()}`;
    const unsure = r.incomplete.filter((v) => v.id === 'color-contrast')
      .flatMap((v) => v.nodes.filter((x) => x.element && x.element.closest('svg.map')))
      .map((x) => `${x.target.join(' ')} "${x.element.textContent}": ${x.any.map((c) => c.message).join('; ')}`);
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(node) })),
      maps: document.querySelectorAll('svg.map').length,
      unsure,
    };
  }, TAGS);
  const path = new URL(page.url()).pathname + new URL(page.url()).search;
  const violations = res.violations.filter((v) => !EXCLUDED[v.id]);
  if (res.maps) {
    ok(res.unsure.length === 0, `${lang}: ${what} (${path}): axe can tell the contrast of every text of the map`,
      res.unsure.slice(0, 8).join('\n') + (res.unsure.length > 8 ? `\n… and ${res.unsure.length - 8} more` : ''));
  }
  if (violations.length === 0) {
    ok(true, `${lang}: ${what} (${path}) has no violation of WCAG 2.1 AA or axe's best practices`);
    return;
  }
  for (const v of violations) {
    ok(false, `${lang}: ${what} (${path}): ${v.id} (${v.impact}) — ${v.help}`,
      v.nodes.slice(0, 8).join('\n') + (v.nodes.length > 8 ? `\n… and ${v.nodes.length - 8} more` : ''));
  }
}

async function visit(page, what, lang, path, expect = 200) {
  const resp = await page.goto(`${BASE}${path}`);
  if (!ok(resp && resp.status() === expect, `${lang}: ${what} (${path}) answers ${expect}`, `status ${resp && resp.status()}`)) return;
  await check(page, what, lang);
}

// ---- the content the pages show: an offer, a service, an article with a comment ----
const stamp = Date.now().toString(36);
const admin = await newPage();
let offer = null;
let article = null;
let service = null;
let commentRefused = false;
try {
  await login(admin.page);
  await setLang(admin.page, 'en');
  const p = admin.page;
  const until = new Date(Date.now() + 90 * 86400e3).toISOString().slice(0, 10);
  await p.goto(`${BASE}/offers/new`);
  await p.selectOption('#f-org', { index: 1 });
  await p.selectOption('#f-kind', { index: 1 });
  await p.fill('#f-title', `Oferta dostępna ${stamp}`);
  await p.fill('#f-description', 'Szukamy partnera do wspólnej produkcji.');
  await p.fill('#f-valid_until', until);
  await p.fill('#f-contact_name', 'Anna Nowak');
  await Promise.all([p.waitForURL(/\/offers\/mine/), p.click('main form.stack button[type=submit]')]);
  await p.goto(`${BASE}/admin/offers`);
  const row = p.locator('tr', { hasText: `Oferta dostępna ${stamp}` });
  if (await row.count()) {
    await Promise.all([p.waitForURL(/done=approved/), row.locator('form[action="/admin/offers/approve"] button').click()]);
  }
  await p.goto(`${BASE}/offers?q=${encodeURIComponent(stamp)}`);
  offer = await p.locator('main a[href^="/offers/"]', { hasText: stamp }).first().getAttribute('href');

  await p.goto(`${BASE}/services/new`);
  await p.selectOption('#f-org', { index: 1 });
  await p.selectOption('#f-category', { index: 1 });
  await p.fill('#f-title', `Usługa dostępna ${stamp}`);
  await p.fill('#f-description', 'Badania i pomiary dla przemysłu.');
  await p.selectOption('#f-price_model', { index: 1 });
  await p.fill('#f-contact_name', 'Anna Nowak');
  await Promise.all([p.waitForURL((u) => u.pathname !== '/services/new'), p.click('main form.stack button[type=submit]')]);
  await p.goto(`${BASE}/admin/offers`);
  const srow = p.locator('tr', { hasText: `Usługa dostępna ${stamp}` });
  if (await srow.count()) {
    await Promise.all([p.waitForURL(/done=approved/), srow.locator('form[action="/admin/offers/approve"] button').click()]);
  }

  await p.goto(`${BASE}/news/new`);
  await p.fill('#f-title', `Artykuł dostępny ${stamp}`);
  await p.fill('#f-lead', 'Krótki wstęp.');
  await p.fill('#f-body', 'Treść artykułu.\n\n## Szczegóły\n\nWięcej treści.');
  await Promise.all([p.waitForURL(/\/news\/\d+\?done=created/), p.click('main form.stack button[type=submit]')]);
  article = new URL(p.url()).pathname;
  const publish = p.locator(`form[action="${article}/publish"] button[type=submit]`);
  if (await publish.count()) await Promise.all([p.waitForNavigation(), publish.click()]);
  await p.goto(`${BASE}${article}`);
  await p.fill('form[action$="/comments"] textarea', 'Dobry artykuł, dziękuję.');
  // sent at once, the comment is refused as too fast (a robot's speed): the page with its error
  await Promise.all([p.waitForNavigation(), p.click('form[action$="/comments"] button[type=submit]')]);
  commentRefused = await p.locator('main p.error').count() > 0;
  if (commentRefused) await check(p, 'a comment refused, sent too fast', 'en');
  // the server wants a few seconds (KLASTER_COMMENT_MIN_SECONDS, 3 by default) between the form and the comment
  await p.waitForTimeout(3500);
  if (!/Dobry artykuł/.test(await p.inputValue('form[action$="/comments"] textarea'))) {
    await p.fill('form[action$="/comments"] textarea', 'Dobry artykuł, dziękuję.');
  }
  await Promise.all([p.waitForNavigation(), p.click('form[action$="/comments"] button[type=submit]')]);
  await p.goto(`${BASE}/admin/comments`);
  const approve = p.locator('main form button', { hasText: /Approve/ }).first();
  if (await approve.count()) await Promise.all([p.waitForNavigation(), approve.click()]);
  // the moderation queues hold a row each: a second comment, a second offer, a proposed company
  await p.goto(`${BASE}${article}`);
  await p.fill('form[action$="/comments"] textarea', 'Czekam na zatwierdzenie.');
  await p.waitForTimeout(3500);
  await Promise.all([p.waitForNavigation(), p.click('form[action$="/comments"] button[type=submit]')]);
  await p.goto(`${BASE}/offers/new`);
  await p.selectOption('#f-org', { index: 1 });
  await p.selectOption('#f-kind', { index: 1 });
  await p.fill('#f-title', `Oferta w kolejce ${stamp}`);
  await p.fill('#f-description', 'Czeka na moderatora.');
  await p.fill('#f-valid_until', until);
  await p.fill('#f-contact_name', 'Anna Nowak');
  await Promise.all([p.waitForURL(/\/offers\/mine/), p.click('main form.stack button[type=submit]')]);
  await p.goto(`${BASE}/organisations/new`);
  await p.fill('#f-name', `Firma zgłoszona ${stamp} sp. z o.o.`);
  // a logged-in proposer is known by the account: no address is asked
  if (await p.locator('#f-proposer_email').count()) await p.fill('#f-proposer_email', `zglaszajacy.${stamp}@portal.example`);
  await Promise.all([p.waitForNavigation(), p.click('main form.stack button[type=submit]')]);
  // a message in the outbox: a subscription waiting for its confirmation
  await p.goto(`${BASE}/newsletter`);
  await p.fill('#f-email', `axe.${stamp}@portal.example`);
  await p.check('#f-consent');
  await Promise.all([p.waitForNavigation(), p.click('form[action="/newsletter"] button[type=submit]')]);
  await p.goto(`${BASE}/services?q=${encodeURIComponent(stamp)}`);
  service = await p.locator('main a[href^="/services/"]', { hasText: stamp }).first().getAttribute('href');
  await p.goto(`${BASE}/admin/offers`);
  const queuedOffer = await p.locator('main tr', { hasText: `Oferta w kolejce ${stamp}` }).count();
  await p.goto(`${BASE}/admin/comments`);
  const queuedComment = await p.locator('main', { hasText: 'Czekam na zatwierdzenie.' }).count();
  ok(queuedOffer === 1 && queuedComment === 1, 'the queues of offers and comments hold an entry each',
    `offers ${queuedOffer}, comments ${queuedComment}`);
  ok(offer !== null && service !== null && article !== null, 'an offer, a service and an article with a comment are made', `${offer} ${service} ${article}`);
} catch (err) {
  ok(false, 'the pages\' content is made', err.stack || err.message);
}

const anon = await newPage();
for (const lang of ['pl', 'en']) {
  // ---- the public pages ----
  try {
    const p = anon.page;
    await setLang(p, lang);
    await visit(p, 'the home page', lang, '/');
    await visit(p, 'the directory with filters', lang, '/organisations?type=enterprise&q=sp');
    await visit(p, 'a refused filter', lang, '/organisations?type=bogus', 400);
    await p.goto(`${BASE}/organisations`);
    const org = await p.locator('main table a[href^="/organisations/"]').first().getAttribute('href');
    await visit(p, 'an organisation', lang, org);
    await visit(p, 'the clusters', lang, '/clusters');
    const cluster = await p.locator('main a[href^="/clusters/"]').first().getAttribute('href');
    await visit(p, 'a cluster', lang, cluster);
    await visit(p, 'the offers', lang, '/offers');
    if (offer) await visit(p, 'an offer', lang, offer);
    await visit(p, 'the services', lang, '/services');
    if (service) await visit(p, 'a service', lang, service);
    await visit(p, 'the news', lang, '/news');
    if (article) {
      await visit(p, 'an article with a comment', lang, article);
      ok(/Dobry artykuł, dziękuję/.test(await p.textContent('#comments')), `${lang}: the article shows its published comment`);
      await visit(p, 'an article to print', lang, `${article}/print`);
    }
    await visit(p, 'the newsletter form', lang, '/newsletter');
    await visit(p, 'the unsubscribe link of a test message', lang, '/newsletter/unsubscribe?t=TEST');
    await visit(p, 'an unknown newsletter link', lang, '/newsletter/confirm?t=bogus', 400);
    await visit(p, 'log in', lang, '/login');
    await visit(p, 'register', lang, '/register');
    await visit(p, 'forgot password', lang, '/forgot');
    await p.goto(`${BASE}/login`);
    await p.fill('#f-email', `nobody.${stamp}@portal.example`);
    await p.fill('#f-password', 'not the password');
    await Promise.all([p.waitForNavigation(), p.click('form.stack button[type=submit]')]);
    await check(p, 'log in refused', lang);
    await p.goto(`${BASE}/register`);
    await submitUnchecked(p, 'main form.stack');
    await check(p, 'register with its errors', lang);
    await visit(p, 'the map', lang, '/map');
    await visit(p, 'the cluster map', lang, '/cluster-map');
    await visit(p, 'the cluster map\'s stars', lang, '/cluster-map?indicator=stars');
    await visit(p, 'the cluster map\'s flags of an industry', lang, '/cluster-map?indicator=strong&industry=29');
    await visit(p, 'the map of clusters', lang, '/map?layer=clusters');
    await p.goto(`${BASE}/cluster-map`);
    const region = await p.locator('main a[href^="/cluster-map/region?"][href*="feature="]').first().getAttribute('href');
    await visit(p, 'a region\'s profile', lang, region);
    await visit(p, 'the related industries', lang, '/cluster-map/related?dataset=gus-2025q3&industry=29');
    await visit(p, 'the firm points', lang, '/cluster-map/points');
    await visit(p, 'a page not found', lang, '/no-such-page', 404);
    await p.goto(`${BASE}/organisations/new`);
    await submitUnchecked(p, 'main form.stack');
    await check(p, 'the add-company form with its errors', lang);
    await p.goto(`${BASE}/newsletter`);
    await submitUnchecked(p, 'form[action="/newsletter"]');
    await check(p, 'the newsletter form with its errors', lang);
  } catch (err) {
    ok(false, `${lang}: the public pages are checked`, err.stack || err.message);
  }

  // ---- the pages of a logged-in administrator ----
  try {
    const p = admin.page;
    await setLang(p, lang);
    await visit(p, 'the account', lang, '/account');
    for (const path of ['/admin', '/admin/users', '/admin/audit', '/admin/offers', '/admin/companies',
      '/admin/members', '/admin/news', '/admin/comments', '/admin/outbox', '/admin/newsletter',
      '/admin/datasets', '/offers/mine']) {
      await visit(p, 'an administrator\'s page', lang, path);
    }
    await p.goto(`${BASE}/admin/members`);
    const members = await p.locator('main a[href^="/admin/members?cluster="]').first().getAttribute('href');
    await visit(p, 'a cluster\'s members', lang, members);
    await p.goto(`${BASE}/admin/outbox`);
    const msg = p.locator('main a[href^="/admin/outbox/"]').first();
    if (await msg.count()) await visit(p, 'a message in the outbox', lang, await msg.getAttribute('href'));
    if (article) await visit(p, 'an article with a comment, logged in', lang, article);
    if (offer) await visit(p, 'an offer, logged in', lang, offer);
    await visit(p, 'a new newsletter campaign', lang, '/admin/newsletter/new');
    await p.goto(`${BASE}/organisations?type=enterprise`);
    const org = await p.locator('main table a[href^="/organisations/"]').first().getAttribute('href');
    await visit(p, 'an organisation\'s edit form', lang, `${org}/edit`);
    await p.goto(`${BASE}/clusters`);
    const cluster = await p.locator('main a[href^="/clusters/"]').first().getAttribute('href');
    await visit(p, 'a cluster\'s edit form', lang, `${cluster}/edit`);
    await p.goto(`${BASE}/offers/new`);
    await submitUnchecked(p, 'main form.stack');
    await check(p, 'the add-offer form with its errors', lang);
    await p.goto(`${BASE}/services/new`);
    await check(p, 'the add-service form', lang);
    await p.goto(`${BASE}/admin/datasets`);
    await submitUnchecked(p, 'main form.upload');
    await check(p, 'the dataset upload form with its errors', lang);
    const del = await p.locator('main a[href^="/admin/datasets/"][href$="/delete"]').first().getAttribute('href');
    await visit(p, 'the page that asks before a dataset is deleted', lang, del);
    await p.goto(`${BASE}/news/new`);
    await check(p, 'the article form', lang);
  } catch (err) {
    ok(false, `${lang}: the administrator's pages are checked`, err.stack || err.message);
  }
}

// ---- a narrow screen (a phone's 360 px) without the portal's JavaScript: the layouts of the small
// screen, and the pages the server draws where the script would ask ----
// (axe is a script itself, so the page's own script is what is held back: klaster.js is not served)
const narrow = await newPage({ viewport: { width: 360, height: 740 } });
await narrow.context.route(/\/static\/klaster\.js/, (route) => route.abort());
try {
  await login(narrow.page);
} catch (err) {
  ok(false, 'the administrator logs in on a narrow screen', err.stack || err.message);
}
for (const lang of ['pl', 'en']) {
  const where = `${lang}, 360 px, without klaster.js`;
  try {
    const p = narrow.page;
    await setLang(p, lang);
    await visit(p, 'the home page', where, '/');
    await visit(p, 'the directory', where, '/organisations');
    await visit(p, 'the cluster map', where, '/cluster-map');
    await p.goto(`${BASE}/cluster-map`);
    const region = await p.locator('main a[href^="/cluster-map/region?"][href*="feature="]').first().getAttribute('href');
    await visit(p, 'a region\'s profile', where, region);
    await visit(p, 'the related industries', where, '/cluster-map/related?dataset=gus-2025q3&industry=29');
    await visit(p, 'the users', where, '/admin/users');
    if (article) {
      await visit(p, 'an article with a comment', where, article);
      await Promise.all([p.waitForURL(/\/delete$/), p.click(`form[action="${article}/delete"] button[type=submit]`)]);
      await check(p, 'the page that asks before an article is deleted', where);
    }
  } catch (err) {
    ok(false, `${where}: the pages are checked`, err.stack || err.message);
  }
}

await narrow.context.close().catch(() => {});
await anon.context.close().catch(() => {});
await admin.context.close().catch(() => {});
await browser.close().catch(() => {});
clearTimeout(watchdog);
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
