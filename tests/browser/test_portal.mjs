// Browser test of the portal's flows with real e-mail: Debian's chromium
// driven by playwright-core, the server sending over SMTP to
// tests/smtp_sink.py, which writes each message to $KLASTER_MAILDIR.
// Flows: register → confirm → log in → log out; forgot password → reset →
// log in; register → confirm → log in → (an administrator, in a second
// browser, makes the account an editor) → add an offer → (the administrator
// approves it) → find it by a search without diacritics → log out; newsletter
// subscribe → confirm → (the administrator sends a campaign) → unsubscribe
// through the newsletter's link ("Send now" asks first); without JavaScript,
// deleting an article asks on a page of its own; the focus ring and the search field's
// border stand out 3:1 from their background, in both languages; an administrator uploads a
// statistics file as a dataset of the cluster map.
// Usage: node test_portal.mjs http://127.0.0.1:PORT
// Environment: KLASTER_MAILDIR, KLASTER_ADMIN and KLASTER_ADMIN_PASSWORD (an
// administrator made by tests/browser/run.sh), KLASTER_SHOTS (screenshots).
// Prints TAP and exits non-zero on a failure.
import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BASE = (process.argv[2] || '').replace(/\/$/, '');
const MAILDIR = process.env.KLASTER_MAILDIR || '';
const ADMIN = process.env.KLASTER_ADMIN || '';
const ADMIN_PW = process.env.KLASTER_ADMIN_PASSWORD || '';
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(BASE) || !MAILDIR || !ADMIN) {
  console.log('not ok 1 - usage: KLASTER_MAILDIR=… KLASTER_ADMIN=… node test_portal.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const SHOTS = process.env.KLASTER_SHOTS || '';
if (SHOTS) mkdirSync(SHOTS, { recursive: true });
const STEP_MS = 10000;
const TEST_MS = 60000;
const TOTAL_MS = 200000;

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

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// The messages received for an address, oldest first, as { subject, body }.
function mailFor(address) {
  const out = [];
  for (const f of readdirSync(MAILDIR).filter((x) => x.endsWith('.eml')).sort()) {
    const text = readFileSync(join(MAILDIR, f), 'utf8');
    const [head, ...rest] = text.split('\r\n\r\n');
    if (!new RegExp(`^X-Envelope-To: .*${address.replace(/[.]/g, '\\.')}`, 'm').test(head)) continue;
    out.push({ head, body: rest.join('\r\n\r\n') });
  }
  return out;
}

// Waits for a message to address whose body holds a link to path; returns the local URL.
async function linkFor(address, path, after = 0) {
  const re = new RegExp(`https?://[^/\\s]+(${path.replace(/[/?]/g, '\\$&')}\\?[^\\s]+)`);
  for (let i = 0; i < 100; i++) {
    const msgs = mailFor(address).slice(after);
    for (const m of msgs) {
      const hit = re.exec(m.body);
      if (hit) return hit[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

const browser = await withTimeout(chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 30000,
}), 40000, 'launching chromium').catch((err) => {
  console.log(`not ok 1 - launch chromium\n# ${err.message.split('\n')[0]}`);
  process.exit(1);
});

const consoleErrors = [];
async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', ...options });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  const page = await context.newPage();
  // a refused login answers 401, a plain user's /offers/new 403 and a deleted
  // article 404, which chromium reports as failed loads: expected
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/\/login$/.test(page.url()) && /status of 401/.test(msg.text())) return;
    if (/\/offers\/new$/.test(page.url()) && /status of 403/.test(msg.text())) return;
    if (/\/news\/\d+$/.test(page.url()) && /status of 404/.test(msg.text())) return;   // a deleted article
    if (/\/admin\/datasets$/.test(page.url()) && /status of 422/.test(msg.text())) return;   // a refused upload
    consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
  return { context, page };
}

async function shot(page, name) {
  if (!SHOTS) return;
  await page.screenshot({ path: join(SHOTS, `portal-${name}.png`), fullPage: true, timeout: STEP_MS }).catch(() => {});
}

async function scenario(name, fn) {
  const { context, page } = await newPage();
  try {
    await withTimeout(fn(page, context), TEST_MS, name);
  } catch (err) {
    ok(false, name, err.stack || err.message);
  } finally {
    await context.close().catch(() => {});
  }
}

async function login(page, email, password) {
  await page.goto(`${BASE}/login`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form.stack button[type=submit]')]);
}

async function logout(page) {
  await Promise.all([page.waitForURL(`${BASE}/`), page.click('header.top form.inline button')]);
}

const stamp = Date.now().toString(36);
const PW = 'a long enough password';

// 1. register → confirm from the e-mail → log in → log out
const user = `ewa.${stamp}@portal.example`;
await scenario('register, confirm, log in, log out', async (page) => {
  await page.goto(`${BASE}/register`);
  await page.fill('#f-email', user);
  await page.fill('#f-name', 'Ewa Żółkiewska');
  await page.fill('#f-password', PW);
  await page.click('form.stack button[type=submit]');
  await page.waitForSelector('p.notice');
  ok(/sent/.test(await page.textContent('p.notice')), 'registering asks to check the mail');
  const link = await linkFor(user, '/confirm');
  ok(link !== null, 'the confirmation e-mail arrives', MAILDIR);
  await page.goto(`${BASE}${link}`);
  await Promise.all([page.waitForURL(/\/account/), page.click('form.stack button[type=submit]')]);
  ok(/Address confirmed/.test(await page.textContent('main')), 'confirming activates the account and logs in');
  await logout(page);
  ok(await page.locator('header.top a[href="/login"]').count() === 1, 'after log out the header offers Log in');
  await login(page, user, PW);
  ok(/Ewa Żółkiewska/.test(await page.textContent('header.top')), 'logged in, the header shows the name');
  await shot(page, 'logged-in');
  await logout(page);
  const resp = await page.goto(`${BASE}/account`);
  ok(new URL(page.url()).pathname === '/login', 'after log out /account leads to the login page', page.url());
});

// 2. forgot password → reset from the e-mail → log in with the new password
await scenario('forgot password', async (page) => {
  const before = mailFor(user).length;
  await page.goto(`${BASE}/login`);
  await Promise.all([page.waitForURL(/\/forgot/), page.click('a[href="/forgot"]')]);
  await page.fill('#f-email', user);
  await page.click('form.stack button[type=submit]');
  await page.waitForSelector('p.notice');
  const link = await linkFor(user, '/reset', before);
  ok(link !== null, 'the reset e-mail arrives');
  await page.goto(`${BASE}${link}`);
  await page.fill('#f-password', 'my new password 2026');
  await page.fill('#f-password2', 'my new password 2026');
  await page.click('form.stack button[type=submit]');
  await page.waitForSelector('p.notice');
  ok(/Password changed/.test(await page.textContent('p.notice')), 'the password is changed');
  await login(page, user, 'my new password 2026');
  ok(/Ewa/.test(await page.textContent('header.top')), 'logging in with the new password works');
  await logout(page);
  await page.goto(`${BASE}/login`);
  await page.fill('#f-email', user);
  await page.fill('#f-password', PW);
  await page.click('form.stack button[type=submit]');
  await page.waitForSelector('p.error');
  ok(/wrong/.test(await page.textContent('p.error')), 'the old password no longer works');
});

// 3. register → confirm from the e-mail → log in → add an offer → find it by a
// search without diacritics → log out.  An administrator, in a second browser,
// makes the new account an organisation's editor and approves the offer.
const editor = `jan.${stamp}@portal.example`;
const offerTitle = `Współpraca przy łożyskach tocznych (nr ${stamp})`;
let offerApproved = false;
await scenario('register, confirm, log in, add an offer, find it without diacritics, log out', async (page) => {
  await page.goto(`${BASE}/register`);
  await page.fill('#f-email', editor);
  await page.fill('#f-name', 'Jan Łożyński');
  await page.fill('#f-password', PW);
  await page.click('form.stack button[type=submit]');
  await page.waitForSelector('p.notice');
  const link = await linkFor(editor, '/confirm');
  ok(link !== null, 'the new editor\'s confirmation e-mail arrives');
  await page.goto(`${BASE}${link}`);
  await Promise.all([page.waitForURL(/\/account/), page.click('form.stack button[type=submit]')]);
  ok(/Address confirmed/.test(await page.textContent('main')), 'the account is confirmed');
  await logout(page);
  await login(page, editor, PW);
  ok(/Jan Łożyński/.test(await page.textContent('header.top')), 'the new user logs in');
  let resp = await page.goto(`${BASE}/offers/new`);
  ok(resp.status() === 403, 'a plain user may not add offers', `status ${resp.status()}`);

  // the administrator, in a browser of their own, makes the user an organisation's editor
  const admin = await newPage();
  try {
    await login(admin.page, ADMIN, ADMIN_PW);
    await admin.page.goto(`${BASE}/organisations?q=precyzmet`);
    const href = await admin.page.locator('main a[href^="/organisations/"]', { hasText: 'Precyzmet' }).first()
      .getAttribute('href');
    const org = (/^\/organisations\/(\d+)$/.exec(href || '') || [])[1];
    ok(org !== undefined, 'the administrator finds the organisation in the directory', href);
    await admin.page.goto(`${BASE}/admin/users?q=${encodeURIComponent(editor)}`);
    const row = admin.page.locator('tr', { hasText: editor });
    await row.locator('select[name=role]').selectOption('editor');
    // the organisation by its name, as the administrator knows it (resolved by the server)
    await row.locator('input[name=org]').fill('precyzmet zakłady lotnicze');
    await Promise.all([admin.page.waitForURL(/\/admin\/users\?done=/),
      row.locator('form[action="/admin/users/role"] button[type=submit]').click()]);
    ok(/editor\s*Precyzmet/.test(await admin.page.locator('tr', { hasText: editor }).textContent()),
      'the administrator gives the editor role for the organisation, named, at /admin/users');
    ok(await admin.page.locator('tr', { hasText: editor }).locator('input[name=org]').inputValue() !== '',
      '  and its field then names it', org);

    // the user adds an offer with Polish letters in the title
    resp = await page.goto(`${BASE}/offers/new`);
    ok(resp.status() === 200, 'the editor opens the offer form', `status ${resp.status()}`);
    const until = new Date(Date.now() + 90 * 86400e3).toISOString().slice(0, 10);
    await page.selectOption('#f-kind', 'cooperation');
    await page.fill('#f-title', offerTitle);
    await page.fill('#f-description', 'Szukamy partnera do wspólnej produkcji łożysk tocznych dla maszyn rolniczych.');
    await page.fill('#f-pkd_codes', '28.15.Z');
    await page.fill('#f-keywords', 'łożyska, współpraca');
    await page.selectOption('#f-voivodeship', '18');
    await page.fill('#f-valid_until', until);
    ok(await page.inputValue('#f-contact_name') === 'Jan Łożyński', 'the form offers the account\'s name as the contact');
    await Promise.all([page.waitForURL(/\/offers\/mine\?done=created/), page.click('main form.stack button[type=submit]')]);
    ok(/awaits moderation/.test(await page.textContent('p.notice')) &&
      (await page.locator('main', { hasText: offerTitle }).count()) === 1, 'the offer is saved and awaits moderation');
    await page.goto(`${BASE}/offers?q=wspolpraca+lozyska`);
    ok(await page.locator('main a', { hasText: offerTitle }).count() === 0, 'before approval the offer is not listed');

    // the administrator approves it
    await admin.page.goto(`${BASE}/admin/offers`);
    await Promise.all([admin.page.waitForURL(/\/admin\/offers\?done=approved/),
      admin.page.locator('tr', { hasText: offerTitle }).locator('form[action="/admin/offers/approve"] button').click()]);
    ok(await admin.page.locator('tr', { hasText: offerTitle }).count() === 0, 'the administrator approves the offer');
    offerApproved = true;
  } finally {
    await admin.context.close().catch(() => {});
  }

  // the user searches without Polish letters, as typed on any keyboard
  await page.goto(`${BASE}/offers`);
  await page.fill('#f-q', 'wspolpraca lozyska');
  await Promise.all([page.waitForURL(/\/offers\?q=wspolpraca/), page.click('form.filters button[type=submit]')]);
  const hit = page.locator('main a', { hasText: offerTitle });
  ok(await hit.count() === 1, '"wspolpraca lozyska" finds "Współpraca przy łożyskach…"', page.url());
  await shot(page, 'offer-search');
  await Promise.all([page.waitForURL(/\/offers\/\d+$/), hit.first().click()]);
  ok((await page.textContent('h1')).includes(offerTitle), 'the result leads to the offer page');
  await logout(page);
  ok(await page.locator('header.top a[href="/login"]').count() === 1, 'the editor logs out');
});

// 4. newsletter: subscribe → confirm from the e-mail → (an administrator sends a
// campaign) → unsubscribe through the link in the newsletter
const reader = `czytelniczka.${stamp}@portal.example`;
await scenario('newsletter: subscribe, confirm, unsubscribe', async (page) => {
  await page.goto(`${BASE}/newsletter`);
  await page.fill('#f-email', reader);
  await page.click('form[action="/newsletter"] button[type=submit]');
  ok(new URL(page.url()).pathname === '/newsletter' &&
    await page.locator('#f-consent').evaluate((el) => !el.checkValidity()),
    'without the consent box ticked the browser does not send the form');
  await page.check('#f-consent');
  await page.click('form[action="/newsletter"] button[type=submit]');
  await page.waitForSelector('p.notice');
  ok(/open the link in it and confirm/.test(await page.textContent('p.notice')), 'subscribing asks to confirm by e-mail');
  const link = await linkFor(reader, '/newsletter/confirm');
  ok(link !== null, 'the confirmation e-mail arrives');
  await page.goto(`${BASE}${link}`);
  await page.click('form[action="/newsletter/confirm"] button[type=submit]');
  await page.waitForSelector('p.notice');
  ok((await page.textContent('p.notice')).includes(`Subscription confirmed: ${reader} will receive`),
    'the subscription is confirmed');

  // an administrator composes and sends a campaign
  const subject = `Wiadomości klastrów ${stamp}`;
  const admin = await newPage();
  try {
    await login(admin.page, ADMIN, ADMIN_PW);
    await admin.page.goto(`${BASE}/admin/newsletter/new`);
    await admin.page.fill('#f-subject', subject);
    await admin.page.fill('#f-intro', 'Dzień dobry! Oto nowe oferty współpracy w portalu.');
    const item = admin.page.locator('p.check', { hasText: offerTitle }).locator('input[type=checkbox]');
    if (offerApproved) await item.check();
    await Promise.all([admin.page.waitForURL(/\/admin\/newsletter\/campaign\/\d+/),
      admin.page.click('form[action="/admin/newsletter/new"] button[type=submit]')]);
    // "Send now" asks first (klaster.js: confirm() with the number of recipients); declined, nothing goes
    const asked = [];
    admin.page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
    const draftUrl = admin.page.url();
    await admin.page.click('form[action="/admin/newsletter/send"] button[type=submit]');
    await admin.page.waitForTimeout(300);
    ok(asked.length === 1 && /now to the confirmed subscribers \(\d+ of them\)/.test(asked[0]) && admin.page.url() === draftUrl &&
      /draft/.test(await admin.page.textContent('dl.facts')),
      '"Send now" asks how many it reaches; declined, the campaign stays a draft', `${asked} ${admin.page.url()}`);
    admin.page.once('dialog', (d) => d.accept());
    await Promise.all([admin.page.waitForURL(/done=sent/),
      admin.page.click('form[action="/admin/newsletter/send"] button[type=submit]')]);
    ok(/Campaign sent/.test(await admin.page.textContent('p.notice')), 'the administrator accepts and sends a campaign');
  } finally {
    await admin.context.close().catch(() => {});
  }

  const unsub = await linkFor(reader, '/newsletter/unsubscribe');
  ok(unsub !== null, 'the newsletter arrives with an unsubscribe link');
  const issue = mailFor(reader).find((m) => m.head.includes('List-Unsubscribe:'));
  ok(issue && (!offerApproved || issue.body.includes(offerTitle)) &&
    /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m.test(issue.head),
    'the newsletter lists the approved offer and offers one-click unsubscription', issue && issue.head);
  await page.goto(`${BASE}${unsub}`);
  ok((await page.textContent('main')).includes(`Unsubscribe ${reader} from the newsletter?`),
    'the unsubscribe link names the address and asks');
  await page.click('main form.stack button[type=submit]');
  await page.waitForSelector('p.notice');
  ok((await page.textContent('p.notice')).includes(`Unsubscribed: ${reader} will get no more newsletters.`),
    'unsubscribing confirms it');
  await page.goto(`${BASE}${unsub}`);
  ok((await page.textContent('p.notice')).includes(`${reader} is already unsubscribed.`),
    'the link afterwards says the address is unsubscribed');
});

// 5. without JavaScript a destructive action asks on a page of its own: an article deleted,
// after a Cancel first
const noScript = async (page) => {
  await login(page, ADMIN, ADMIN_PW);
  const title = `Artykuł do usunięcia ${stamp}`;
  await page.goto(`${BASE}/news/new`);
  ok(await page.locator('form.stack p.required-legend').count() === 1 &&
    await page.locator('label[for="f-title"] .req[aria-hidden="true"]').count() === 1,
    'the article form marks its required fields and explains the mark once');
  ok(await page.getAttribute('#f-body', 'aria-describedby') === 'f-body-hint' &&
    /Markdown/.test(await page.textContent('#f-body-hint')), 'the Markdown hint describes the body field');
  await page.fill('#f-title', title);
  await page.fill('#f-body', 'Treść artykułu.');
  await Promise.all([page.waitForURL(/\/news\/\d+\?done=created/), page.click('main form.stack button[type=submit]')]);
  const article = new URL(page.url()).pathname;
  await Promise.all([page.waitForURL(/\/delete$/), page.click(`form[action="${article}/delete"] button[type=submit]`)]);
  ok((await page.textContent('h1')).trim() === 'Delete the article?' &&
    (await page.textContent('main')).includes(`“${title}”`), 'the first click asks on a page that names the article');
  await Promise.all([page.waitForURL((u) => u.pathname === article), page.click('main form.confirm a')]);
  ok((await page.textContent('h1')).includes(title), 'Cancel leads back to the article, still there');
  await page.click(`form[action="${article}/delete"] button[type=submit]`);
  await Promise.all([page.waitForURL(/\/admin\/news\?done=deleted/), page.click('main form.confirm button[type=submit]')]);
  ok(/deleted/.test(await page.textContent('p.notice')), 'the confirm button deletes it');
  const resp = await page.goto(`${BASE}${article}`);
  ok(resp.status() === 404, 'the article is gone', `status ${resp.status()}`);
};
{
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    await withTimeout(noScript(page), TEST_MS, 'without JavaScript');
  } catch (err) {
    ok(false, 'delete an article without JavaScript', err.stack || err.message);
  } finally {
    await context.close().catch(() => {});
  }
}

// 6. the keyboard's focus and the form controls' borders are seen: at least 3:1 against what
// surrounds them (WCAG 1.4.11), on the white page and on the blue header, in both languages
const contrastOf = async (page, selector, prop, against) => page.evaluate(([sel, p, bgSel]) => {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const e = document.querySelector(sel);
  const cs = getComputedStyle(e);
  let bg = document.querySelector(bgSel);
  while (bg && /rgba\(0, 0, 0, 0\)|transparent/.test(getComputedStyle(bg).backgroundColor)) bg = bg.parentElement;
  const a = lum(rgb(cs[p])), b = lum(rgb(bg ? getComputedStyle(bg).backgroundColor : 'rgb(255,255,255)'));
  return { ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), style: cs[p === 'outlineColor' ? 'outlineStyle' : 'borderTopStyle'],
    color: cs[p] };
}, [selector, prop, against]);
{
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    await withTimeout((async () => {
      for (const lang of ['pl', 'en']) {
        await page.goto(`${BASE}/lang?set=${lang}&back=%2Flogin`);
        let seen = { main: null, header: null };
        for (let i = 0; i < 30 && !(seen.main && seen.header); i++) {
          await page.keyboard.press('Tab');
          const where = await page.evaluate(() => {
            const e = document.activeElement;
            if (e && e.id === 'f-email') return 'main';
            if (e && e.matches('header.top nav a')) return 'header';
            return null;
          });
          if (where && !seen[where]) {
            const sel = where === 'main' ? '#f-email' : 'header.top nav a:focus';
            seen[where] = await contrastOf(page, sel, 'outlineColor', where === 'main' ? 'main' : 'header.top');
          }
        }
        for (const where of ['header', 'main']) {
          const c = seen[where];
          ok(c && c.style !== 'none' && c.ratio >= 3,
            `${lang}: the focus ring of a ${where === 'main' ? 'form field' : 'header link'} stands out 3:1 from its background`,
            c ? `${c.color}: ${c.ratio.toFixed(2)}:1` : 'never focused by Tab');
        }
        await page.goto(`${BASE}/organisations`);
        const b = await contrastOf(page, '#f-q', 'borderTopColor', 'main');
        ok(b.style !== 'none' && b.ratio >= 3, `${lang}: the search field's border stands out 3:1 from the page`,
          `${b.color}: ${b.ratio.toFixed(2)}:1`);
      }
    })(), TEST_MS, 'focus and borders');
  } catch (err) {
    ok(false, 'the focus ring and the fields\' borders are seen', err.stack || err.message);
  } finally {
    await context.close().catch(() => {});
  }
}

// an administrator uploads a statistics file from the browser (the file chooser, multipart as
// chromium sends it), sees a refused one come back with its line, and finds the dataset on the map
await scenario('cluster map: upload a statistics file as a dataset', async (page) => {
  await login(page, ADMIN, ADMIN_PW);
  await page.goto(`${BASE}/admin/datasets`);
  const good = 'region,industry,year,employment\n02,C,2021,120\n04,C,2021,30\n02,F,2021,15\n04,F,2021,60\n';
  await page.setInputFiles('#f-file', { name: 'zatrudnienie.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.fill('#f-name', `browser-${stamp}`);
  await page.fill('#f-title', 'Zatrudnienie — województwa (próba)');
  await page.fill('#f-licence', 'CC BY 4.0');
  await Promise.all([page.waitForURL(/stored=/), page.click('form.upload button[type=submit]')]);
  ok(/Stored the dataset/.test(await page.textContent('p.notice')), 'a file chosen in the browser is stored');
  await page.goto(`${BASE}/cluster-map?dataset=browser-${stamp}&industry=C`);
  ok(/Zatrudnienie — województwa \(próba\)/.test(await page.textContent('main')), 'the cluster map shows it, its title as typed');
  await page.goto(`${BASE}/admin/datasets`);
  const bad = good.replace('04,F,2021,60', '04,F,2021,sześćdziesiąt');
  await page.setInputFiles('#f-file', { name: 'zle.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.fill('#f-name', `browser-bad-${stamp}`);
  await Promise.all([page.waitForLoadState('load'), page.click('form.upload button[type=submit]')]);
  await page.waitForSelector('.error');
  const err = await page.textContent('.error');
  ok(/zle\.csv:5/.test(err) && /employment/.test(err), 'a refused file is named with its line and column', err);
  ok(await page.inputValue('#f-name') === `browser-bad-${stamp}`, 'and the form keeps what was typed');
});

ok(consoleErrors.length === 0, 'no page logged a console error', consoleErrors.join('\n'));
await browser.close().catch(() => {});
clearTimeout(watchdog);
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
