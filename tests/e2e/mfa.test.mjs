// TOTP from the page: enrol (QR code, key, recovery codes shown once), sign in with password +
// code or a recovery code, turn it off; step-up when a protected call answers mfa_required.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createUser, launchBrowser, newContext, openApp, screenshot, signIn, startHost, totp, uniqueEmail,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// The codes the server accepts come from the secret alone: this test computes them itself.
const NEXT_STEP_MS = 30_000;   // the next step's code: inside the ±1 window, never used yet

test('the test\'s own TOTP matches RFC 6238 Appendix B (SHA-1)', () => {
  const key = Buffer.from('12345678901234567890');
  for (const [seconds, code] of [[59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
    [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130']]) {
    assert.equal(totp(key, seconds * 1000, 8), code, `T=${seconds}`);
  }
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000), '287082');   // the same key in base32
});

// On the signed-in page: Security → Set up → QR code + key → code + password → recovery codes.
// Returns {secret, recoveryCodes, enabledAt}.
async function enrolTotp(page, password, shots = false) {
  await page.click('#totp-setup-button');
  await page.waitForSelector('#totp-enable-form:not([hidden])');
  const secret = (await page.textContent('#totp-secret')).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/, 'a 160-bit base32 key');
  // The QR code is the server's SVG, decoded as an image.
  await page.waitForFunction(() => document.getElementById('totp-qr').complete
    && document.getElementById('totp-qr').naturalWidth > 0);
  assert.match(await page.getAttribute('#totp-qr', 'src'), /^data:image\/svg\+xml/);
  if (shots) await screenshot(page, 'totp-setup');

  const enabledAt = Date.now();
  await page.fill('#totp-enable-code', totp(secret, enabledAt));
  await page.fill('#totp-enable-password', password);
  await page.click('#totp-enable-button');
  await page.waitForSelector('#totp-recovery:not([hidden])');
  const recoveryCodes = await page.$$eval('#recovery-codes li', (items) => items.map((i) => i.textContent));
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  if (shots) await screenshot(page, 'totp-recovery-codes');

  await page.click('#totp-recovery-done');
  await page.waitForSelector('#totp-on:not([hidden])');
  assert.equal(await page.$$eval('#recovery-codes li', (items) => items.length), 0, 'shown once');
  if (shots) await screenshot(page, 'totp-on');
  return { secret, recoveryCodes, enabledAt };
}

async function signOut(page) {
  await page.click('#logout-button');
  await page.waitForSelector('#status[data-state="signed-out"]');
}

// The password step of a login that asks for a second factor.
async function passwordStep(page, { email, password }) {
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('#login-button');
  await page.waitForSelector('#mfa-form:not([hidden])');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out', 'no session before the code');
}

test('enrol TOTP from the page, sign in with password + code, then with a recovery code, turn it off',
  { timeout: 90_000 }, async () => {
    const host = await startHost();
    const context = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail('totp'));
      const page = await context.newPage();
      await signIn(page, host.base, user);
      await page.waitForSelector('#totp-off:not([hidden])');
      const { secret, recoveryCodes, enabledAt } = await enrolTotp(page, user.password, true);
      const me = await page.evaluate(() => window.latchkey.me());
      assert.equal(me.mfa?.totp, true, JSON.stringify(me));

      // Password + code.
      await signOut(page);
      await passwordStep(page, user);
      await screenshot(page, 'mfa-prompt');
      // The pending sign-in's mfaToken stays inside the client: not a property, not in storage.
      const visible = await page.evaluate(() => ({
        keys: Object.keys(window.latchkey), pending: window.latchkey.mfaPending,
        stored: JSON.stringify({ ...localStorage, ...sessionStorage }), cookie: document.cookie,
      }));
      assert.deepEqual(visible, { keys: ['mfa', 'passkeys'], pending: true, stored: '{}', cookie: '' });
      const window = [-1, 0, 1].map((step) => totp(secret, Date.now() + step * 30_000));
      const wrong = ['000000', '111111', '222222'].find((code) => !window.includes(code));
      await page.fill('#mfa-code', wrong);
      await page.click('#mfa-button');
      await page.waitForSelector('#message[data-kind="error"]');
      assert.match(await page.textContent('#message'), /not right/);
      await page.fill('#mfa-code', totp(secret, enabledAt + NEXT_STEP_MS));
      await page.click('#mfa-button');
      await page.waitForSelector('#status[data-state="signed-in"]');
      assert.equal(await page.textContent('#status'), `Signed in as ${user.email}`);
      const current = (await page.evaluate(() => window.latchkey.sessions())).find((s) => s.current);
      assert.deepEqual(current.amr, ['pwd', 'otp']);

      // Password + a recovery code, which works once.
      await signOut(page);
      await passwordStep(page, user);
      await page.click('#mfa-switch');
      await page.waitForSelector('#mfa-recovery-label:not([hidden])');
      await screenshot(page, 'mfa-prompt-recovery');
      await page.fill('#mfa-recovery', recoveryCodes[0]);
      await page.click('#mfa-button');
      await page.waitForSelector('#status[data-state="signed-in"]');
      await signOut(page);
      await passwordStep(page, user);
      await page.click('#mfa-switch');
      await page.fill('#mfa-recovery', recoveryCodes[0]);
      await page.click('#mfa-button');
      await page.waitForSelector('#message[data-kind="error"]');
      assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out');
      await page.fill('#mfa-recovery', recoveryCodes[1]);
      await page.click('#mfa-button');
      await page.waitForSelector('#status[data-state="signed-in"]');

      // Off (password + another recovery code): the password alone signs in again.
      await page.waitForSelector('#totp-on:not([hidden])');
      await page.fill('#totp-disable-password', user.password);
      await page.fill('#totp-disable-code', recoveryCodes[2]);
      await page.click('#totp-disable-button');
      await page.waitForSelector('#totp-off:not([hidden])');
      await signOut(page);
      await signIn(page, host.base, user);
    } finally {
      await context.close();
      await host.stop();
    }
  });

test('a protected call answering mfa_required opens the step-up prompt; the code lets it through',
  { timeout: 60_000 }, async () => {
    const host = await startHost({
      auth: { protect: [{ prefix: '/api/admin', roles: ['admin'] }, { prefix: '/api/notes', mfa: true }] },
    });
    const context = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail('stepup'));
      const page = await context.newPage();
      await signIn(page, host.base, user);

      // No factor yet: the notes answer 403 mfa_required, and the prompt says to turn one on.
      await page.waitForSelector('#stepup-dialog[open]');
      assert.match(await page.textContent('#stepup-text'), /turn it on under Security/);
      await screenshot(page, 'stepup-no-factor');
      await page.click('#stepup-cancel');
      await page.waitForFunction(() => !document.getElementById('stepup-dialog').open);

      const { secret, enabledAt } = await enrolTotp(page, user.password);
      // This session was started with the password only: adding a note still needs the step-up.
      await page.fill('#note-text', 'Behind a second factor');
      await page.click('#note-add');
      await page.waitForSelector('#stepup-dialog[open]');
      assert.match(await page.textContent('#stepup-text'), /6-digit code/);
      // A wrong code is the answer (401 invalid_code): sent once, no refresh, no retry, so that it
      // counts once against the user's attempts.
      const sent = [];
      const count = (request) => sent.push(new URL(request.url()).pathname);
      page.on('request', count);
      const right = totp(secret, enabledAt + NEXT_STEP_MS);
      await page.fill('#stepup-code', ['000000', '111111'].find((code) => code !== right));
      await page.click('#stepup-button');
      await page.waitForFunction(() => document.getElementById('stepup-error').textContent !== '');
      page.off('request', count);
      assert.deepEqual(sent, ['/api/auth/mfa/step-up']);
      await page.fill('#stepup-code', totp(secret, enabledAt + NEXT_STEP_MS));
      await screenshot(page, 'stepup-prompt');
      await page.click('#stepup-button');
      await page.waitForFunction(() => !document.getElementById('stepup-dialog').open);
      assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-in');

      await page.click('#note-add');
      await page.waitForSelector('#notes li:has-text("Behind a second factor")');
      const current = (await page.evaluate(() => window.latchkey.sessions())).find((s) => s.current);
      assert.ok(current.amr.includes('otp'), JSON.stringify(current));
      // A reload keeps the factor: the refreshed token carries the session's amr.
      await openApp(page, host.base);
      await page.waitForSelector('#notes li:has-text("Behind a second factor")');
      assert.equal(await page.isVisible('#stepup-dialog'), false);
    } finally {
      await context.close();
      await host.stop();
    }
  });
