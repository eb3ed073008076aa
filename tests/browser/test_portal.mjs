// Browser test of the portal's flows with real e-mail: Debian's chromium
// driven by playwright-core, the server sending over SMTP to
// tests/smtp_sink.py, which writes each message to $KLASTER_MAILDIR.
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
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  const page = await context.newPage();
  // a refused login answers 401, which chromium reports as a failed load: expected
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/\/login$/.test(page.url()) && /status of 401/.test(msg.text())) return;
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

ok(consoleErrors.length === 0, 'no page logged a console error', consoleErrors.join('\n'));
await browser.close().catch(() => {});
clearTimeout(watchdog);
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
