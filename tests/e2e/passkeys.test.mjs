// Passkeys from the page in real Chromium, with a virtual authenticator per page (CDP WebAuthn:
// CTAP2, built in, resident keys, user verification): register, sign in without a password (the
// email field's autofill and the button), the second factor of a password login, step-up, removal,
// a cloned key. Every ceremony our server accepted is verified again by @simplewebauthn/server (the
// oracle); mutated responses are in passkeys_oracle.test.mjs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PasskeyOracle, recordCeremonies } from './passkey_oracle.mjs';
import {
  addVirtualAuthenticator, createUser, launchBrowser, newContext, openApp, PASSWORD, recordEvents,
  screenshot, signIn, startHost, totp, uniqueEmail, waitFor, waitForMail, withoutConditionalUi,
} from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const current = async (page) => (await page.evaluate(() => window.latchkey.sessions())).find((s) => s.current);
const eventTypes = (page) => page.evaluate(() => window.__events.map((event) => event.type));

// Security → Add a passkey → name → the browser's prompt (answered by the virtual authenticator).
async function addPasskeyOnPage(page, name) {
  await page.click('#passkey-add-button');
  await page.waitForSelector('#passkey-add-form:not([hidden])');
  await page.fill('#passkey-name', name);
  await page.click('#passkey-create-button');
  await page.waitForSelector(`#passkeys li:has-text(${JSON.stringify(name)})`);
}

async function signOut(page) {
  await page.click('#logout-button');
  await page.waitForSelector('#status[data-state="signed-out"]');
}

// Every ceremony the server accepted (2xx) verifies in the oracle; returns how many there were.
async function assertOracleAgrees(oracle, ceremonies) {
  const verdicts = await oracle.check(ceremonies);
  const accepted = verdicts.filter((verdict) => verdict.status >= 200 && verdict.status < 300);
  for (const verdict of accepted) assert.equal(verdict.verified, true, JSON.stringify(verdict));
  return accepted.map((verdict) => verdict.route);
}

test('passkeys: add one on the page, then sign in with it and no password (autofill, and the button elsewhere)',
  { timeout: 60_000 }, async () => {
    const host = await startHost({ passkeys: true });
    const oracle = new PasskeyOracle(host.base);
    const context = await newContext(browser);
    const elsewhere = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail('passkey'));
      const page = await context.newPage();
      const authenticator = await addVirtualAuthenticator(page);
      const ceremonies = recordCeremonies(page);
      await signIn(page, host.base, user);
      await page.waitForSelector('#passkeys-empty:not([hidden])');
      assert.equal(await page.getAttribute('#login-email', 'autocomplete'), 'username webauthn');

      // The name field starts with this device's name; the user picks another.
      await page.waitForSelector('#sessions li[data-current="true"]');
      await page.click('#passkey-add-button');
      assert.equal(await page.inputValue('#passkey-name'), 'Chrome on Linux');
      await screenshot(page, 'passkey-add');
      await page.click('#passkey-add-cancel');
      await addPasskeyOnPage(page, 'Work laptop <b>');
      const item = page.locator('#passkeys li', { hasText: 'Work laptop <b>' });
      assert.match(await item.textContent(), /added .* · not used yet/);
      assert.equal(await page.locator('#passkeys li b').count(), 0, 'the name is text, not markup');
      await screenshot(page, 'passkeys-list');
      const listed = await page.evaluate(() => window.latchkey.passkeys.list());
      assert.equal(listed.length, 1);
      assert.equal(listed[0].name, 'Work laptop <b>');
      assert.equal(listed[0].lastUsedAt ?? null, null);
      assert.equal((await page.evaluate(() => window.latchkey.me())).mfa?.passkeys, 1);
      // The operator sees it too, with the transport the browser reported.
      const row = (await host.cli(['passkeys', 'list', user.email])).split('\n')[1].split('\t');
      assert.deepEqual([row[0], row[1], row[5]], [listed[0].id, 'Work laptop <b>', 'internal']);
      const [stored] = await authenticator.credentials();
      assert.equal(stored.isResidentCredential, true, 'a discoverable credential (a passkey)');
      assert.equal(stored.rpId, 'localhost');

      // Sign out: the sign-in form offers the passkey in the email field's autofill, which this
      // authenticator answers at once; no email or password is typed.
      await recordEvents(page);
      await page.click('#logout-button');
      await page.waitForFunction(() => window.__events.some((event) => event.type === 'loggedin'));
      assert.deepEqual(await eventTypes(page), ['loggedout', 'loggedin']);
      assert.equal(await page.textContent('#status'), `Signed in as ${user.email}`);
      assert.deepEqual((await current(page)).amr, ['hwk', 'user']);
      await page.waitForSelector('#passkeys li:has-text("last used")');

      // The same passkey in another browser without autofill (synced, as passkeys are): the
      // "Sign in with a passkey" button.
      const other = await elsewhere.newPage();
      await withoutConditionalUi(other);
      const otherAuthenticator = await addVirtualAuthenticator(other);
      await otherAuthenticator.addCredential((await authenticator.credentials())[0]);
      const otherCeremonies = recordCeremonies(other);
      await openApp(other, host.base);
      await other.waitForSelector('#passkey-login-button');
      await screenshot(other, 'passkey-sign-in');
      await other.click('#passkey-login-button');
      await other.waitForSelector('#status[data-state="signed-in"]');
      assert.equal(await other.textContent('#status'), `Signed in as ${user.email}`);
      assert.deepEqual((await current(other)).amr, ['hwk', 'user']);
      assert.equal(await other.inputValue('#login-password'), '');

      // The oracle verifies the registration and both sign-ins our server accepted.
      assert.deepEqual(await assertOracleAgrees(oracle, [...ceremonies, ...otherCeremonies]),
        ['/passkeys/register', '/passkeys/login', '/passkeys/login']);
    } finally {
      await Promise.all([context.close(), elsewhere.close()]);
      await host.stop();
    }
  });

test('passkeys: the second factor of a password login and of a mailed link (a browser without toJSON())',
  { timeout: 60_000 }, async () => {
  const host = await startHost({ passkeys: true, magicLinks: true });
  const oracle = new PasskeyOracle(host.base);
  const context = await newContext(browser);
  try {
    const user = await createUser(host, uniqueEmail('passkey-mfa'));
    // The client builds the credential's JSON by hand where a browser has no toJSON().
    await context.addInitScript(() => { delete PublicKeyCredential.prototype.toJSON; });
    await withoutConditionalUi(context);
    const page = await context.newPage();
    const authenticator = await addVirtualAuthenticator(page);
    const ceremonies = recordCeremonies(page);
    await signIn(page, host.base, user);
    assert.equal(await page.evaluate(() => typeof PublicKeyCredential.prototype.toJSON), 'undefined');
    // TOTP and a passkey, through the client (the page's own flows have their tests).
    const { secret } = await page.evaluate(() => window.latchkey.mfa.setupTotp());
    const enabledAt = Date.now();
    const { recoveryCodes } = await page.evaluate((args) => window.latchkey.mfa.enableTotp(args),
      { code: totp(secret, enabledAt), password: PASSWORD });
    const created = await page.evaluate(() => window.latchkey.passkeys.register('Phone'));
    assert.equal(created.name, 'Phone');
    assert.ok(created.id && created.createdAt, JSON.stringify(created));

    await signOut(page);
    await page.fill('#login-email', user.email);
    await page.fill('#login-password', user.password);
    await page.click('#login-button');
    await page.waitForSelector('#mfa-form:not([hidden])');
    assert.match(await page.textContent('#mfa-prompt'), /Or use a passkey/);
    assert.equal(await page.isVisible('#mfa-passkey'), true);
    assert.equal(await page.isVisible('#mfa-code'), true, 'the code still works');
    await screenshot(page, 'mfa-prompt-passkey');

    // The user fails the screen lock: the prompt says so and the sign-in stays open.
    await authenticator.setUserVerified(false);
    await page.click('#mfa-passkey');
    await page.waitForSelector('#message[data-kind="error"]');
    assert.match(await page.textContent('#message'), /closed or timed out/);
    assert.equal(await page.evaluate(() => window.latchkey.mfaPending), true);
    await authenticator.setUserVerified(true);
    await page.click('#mfa-passkey');
    await page.waitForSelector('#status[data-state="signed-in"]');
    assert.equal(await page.textContent('#status'), `Signed in as ${user.email}`);
    const amr = (await current(page)).amr;
    assert.ok(amr.includes('pwd') && amr.includes('hwk'), JSON.stringify(amr));

    // TOTP off: the passkey is the only second factor, and the prompt offers only it.
    await page.evaluate((args) => window.latchkey.mfa.disableTotp(args), { password: PASSWORD, recoveryCode: recoveryCodes[0] });
    await signOut(page);
    await page.fill('#login-email', user.email);
    await page.fill('#login-password', user.password);
    await page.click('#login-button');
    await page.waitForSelector('#mfa-passkey:not([hidden])');
    assert.equal(await page.textContent('#mfa-prompt'), 'Confirm it is you with one of your passkeys.');
    assert.deepEqual(await page.$$eval('#mfa-form button:not([hidden])', (buttons) => buttons.map((b) => b.id)),
      ['mfa-passkey', 'mfa-cancel']);
    await screenshot(page, 'mfa-prompt-passkey-only');
    await page.click('#mfa-passkey');
    await page.waitForSelector('#status[data-state="signed-in"]');

    // A mailed sign-in link: magic.html asks for the passkey too.
    await signOut(page);
    await page.fill('#login-email', user.email);
    await page.click('#magic-button');
    await page.waitForSelector('#message[data-kind="ok"]');
    const mail = await waitForMail(host.mailDir, user.email);
    const link = mail.match(/https?:\/\/[^\s"'<>]+\/magic\.html\?token=[A-Za-z0-9_-]+/)?.[0];
    assert.ok(link?.startsWith(`${host.base}/magic.html?token=`), mail);
    await page.goto(link);
    await page.waitForSelector('#mfa-passkey:not([hidden])');
    assert.equal(await page.isVisible('#mfa-code'), false);
    await screenshot(page, 'magic-mfa-passkey');
    await page.click('#mfa-passkey');
    await page.waitForSelector('#result[data-state="signed-in"]');
    await openApp(page, host.base);
    const linked = (await current(page)).amr;
    assert.ok(linked.includes('email') && linked.includes('hwk'), JSON.stringify(linked));

    assert.deepEqual(await assertOracleAgrees(oracle, ceremonies),
      ['/passkeys/register', '/mfa/verify', '/mfa/verify', '/mfa/verify']);
  } finally {
    await context.close();
    await host.stop();
  }
});

test('passkeys: step-up on an "mfa": true prefix, and adding or removing one after a step-up when the sign-in is old',
  { timeout: 60_000 }, async () => {
    const host = await startHost({ passkeys: true, auth: { protect: [{ prefix: '/api/notes', mfa: true }] } });
    const oracle = new PasskeyOracle(host.base);
    const context = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail('passkey-stepup'));
      const page = await context.newPage();
      await addVirtualAuthenticator(page);
      const ceremonies = recordCeremonies(page);
      await signIn(page, host.base, user);
      // No factor yet: the notes ask for one, and the dialog says where to get one.
      await page.waitForSelector('#stepup-dialog[open]');
      assert.match(await page.textContent('#stepup-text'), /authenticator app or a passkey/);
      await page.click('#stepup-cancel');
      await addPasskeyOnPage(page, 'Laptop');

      await page.fill('#note-text', 'Behind a passkey');
      await page.click('#note-add');
      await page.waitForSelector('#stepup-dialog[open]');
      assert.match(await page.textContent('#stepup-text'), /use one of your passkeys/);
      assert.equal(await page.isVisible('#stepup-code'), false, 'no TOTP: no code field');
      await screenshot(page, 'stepup-passkey');
      await page.click('#stepup-passkey');
      await page.waitForFunction(() => !document.getElementById('stepup-dialog').open);
      await page.click('#note-add');
      await page.waitForSelector('#notes li:has-text("Behind a passkey")');
      assert.ok((await current(page)).amr.includes('hwk'));

      // An hour-old sign-in (as if): adding a passkey needs a recent one. The dialog offers the
      // passkey the user has; after it the form is sent again and the server gives the options.
      // (This virtual authenticator holds "Laptop" already, so the browser then refuses to make a
      // second passkey for the account on it: excludeCredentials.)
      const optionsAnswers = [];
      page.on('response', (response) => {
        if (response.url().endsWith('/passkeys/register/options')) optionsAnswers.push(response.status());
      });
      await sqlite(host, 'UPDATE sessions SET auth_time = auth_time - 3600;');
      assert.ok(await page.evaluate(() => window.latchkey.refresh()));
      await page.click('#passkey-add-button');
      await page.fill('#passkey-name', 'Spare');
      await page.click('#passkey-create-button');
      await page.waitForSelector('#stepup-dialog[open]');
      assert.match(await page.textContent('#stepup-text'), /Adding a passkey needs a recent sign-in/);
      await page.click('#stepup-passkey');
      await page.waitForFunction(() => /already holds a passkey/.test(document.getElementById('message').textContent));
      assert.deepEqual(optionsAnswers, [403, 200]);
      assert.equal(await page.locator('#passkeys li').count(), 1);
      await page.click('#passkey-add-cancel');

      // Old again: removing one needs a recent sign-in too.
      await sqlite(host, 'UPDATE sessions SET auth_time = auth_time - 3600;');
      assert.ok(await page.evaluate(() => window.latchkey.refresh()));
      await page.click('#passkeys li:has-text("Laptop") .remove-passkey');
      await page.waitForSelector('#stepup-dialog[open]');
      assert.match(await page.textContent('#stepup-text'), /Removing a passkey needs a recent sign-in/);
      assert.equal(await page.locator('#passkeys li').count(), 1, 'not removed yet');
      await screenshot(page, 'passkey-remove-reauth');
      await page.click('#stepup-passkey');
      await page.waitForSelector('#passkeys-empty:not([hidden])');
      assert.match(await page.textContent('#message'), /Removed the passkey Laptop/);
      assert.deepEqual(await page.evaluate(() => window.latchkey.passkeys.list()), []);

      // No factor left and an old sign-in: adding one means signing in again; nothing is asked of
      // the browser (the server refused the options).
      await sqlite(host, 'UPDATE sessions SET auth_time = auth_time - 3600;');
      assert.ok(await page.evaluate(() => window.latchkey.refresh()));
      await page.click('#passkey-add-button');
      await page.fill('#passkey-name', 'Too late');
      await page.click('#passkey-create-button');
      await page.waitForFunction(() => /sign out, sign in again/.test(document.getElementById('message').textContent));
      assert.equal(await page.isVisible('#stepup-dialog'), false);
      assert.deepEqual(await page.evaluate(() => window.latchkey.passkeys.list()), []);

      assert.deepEqual(await assertOracleAgrees(oracle, ceremonies),
        ['/passkeys/register', '/mfa/step-up', '/mfa/step-up', '/mfa/step-up']);
    } finally {
      await context.close();
      await host.stop();
    }
  });

test('passkeys: a removed passkey no longer signs in (autofill and button), though its signature is good',
  { timeout: 60_000 }, async () => {
    const host = await startHost({ passkeys: true });
    const oracle = new PasskeyOracle(host.base);
    const context = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail('passkey-removed'));
      const page = await context.newPage();
      const authenticator = await addVirtualAuthenticator(page);
      const ceremonies = recordCeremonies(page);
      await signIn(page, host.base, user);
      await addPasskeyOnPage(page, 'Old phone');
      await page.click('#passkeys li:has-text("Old phone") .remove-passkey');
      await page.waitForSelector('#passkeys-empty:not([hidden])');
      assert.match(await page.textContent('#message'), /Removed the passkey Old phone/);
      assert.equal((await authenticator.credentials()).length, 1, 'the device still holds it');

      // Signed out, the autofill offers it and the authenticator answers: refused, still signed out.
      await page.click('#logout-button');
      await page.waitForSelector('#message[data-kind="error"]');
      assert.match(await page.textContent('#message'), /not accepted here/);
      assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out');
      await screenshot(page, 'passkey-refused');
      // And with the button.
      await page.evaluate(() => { document.getElementById('message').textContent = ''; });
      await page.click('#passkey-login-button');
      await page.waitForFunction(() => /not accepted here/.test(document.getElementById('message').textContent));
      assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out');
      assert.equal((await context.cookies()).some((c) => c.name === 'refreshToken' && c.value), false);
      // The button's request stopped the autofill one; the page offers autofill again, and the
      // virtual authenticator (which answers autofill at once) is refused a third time.
      await waitFor('autofill offered again after the button failed', () => ceremonies.length >= 4);
      assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out');

      // Every refusal was of a well-signed assertion: the oracle, which still knows the key,
      // verifies them. Our server refused because the passkey is gone.
      const verdicts = await oracle.check(ceremonies.slice(0, 4));
      assert.deepEqual(verdicts.map((v) => [v.route, v.status, v.verified]), [
        ['/passkeys/register', 201, true], ['/passkeys/login', 401, true], ['/passkeys/login', 401, true],
        ['/passkeys/login', 401, true]]);
    } finally {
      await context.close();
      await host.stop();
    }
  });

test('passkeys: a copy whose sign counter went backwards is refused, and the page shows the passkey blocked',
  { timeout: 60_000 }, async () => {
    const host = await startHost({ passkeys: true });
    const oracle = new PasskeyOracle(host.base);
    const context = await newContext(browser);
    const copyContext = await newContext(browser);
    try {
      const user = await createUser(host, uniqueEmail('passkey-clone'));
      const page = await context.newPage();
      const authenticator = await addVirtualAuthenticator(page);
      const ceremonies = recordCeremonies(page);
      await signIn(page, host.base, user);
      await page.evaluate(() => window.latchkey.passkeys.register('Original'));
      await page.evaluate(() => window.latchkey.passkeys.login());   // the counter moves on
      const [original] = await authenticator.credentials();
      assert.ok(original.signCount >= 2, JSON.stringify(original.signCount));

      // A copy of the key taken before those uses: its counter is behind the server's.
      const copy = await copyContext.newPage();
      await withoutConditionalUi(copy);
      await (await addVirtualAuthenticator(copy)).addCredential({ ...original, signCount: 0 });
      const copyCeremonies = recordCeremonies(copy);
      await openApp(copy, host.base);
      await copy.click('#passkey-login-button');
      await copy.waitForFunction(() => /not accepted here/.test(document.getElementById('message').textContent));
      assert.equal(await copy.getAttribute('#status', 'data-state'), 'signed-out');

      await page.evaluate(() => window.latchkey.me());
      await openApp(page, host.base);
      await page.waitForSelector('#passkeys li[data-flagged="true"]:has-text("blocked")');
      assert.match(await page.textContent('#passkeys li'), /no longer signs in/);
      await screenshot(page, 'passkey-blocked');
      // Flagged, the original is refused as well.
      const refused = await page.evaluate(() => window.latchkey.passkeys.login().then(() => 'signed in', (e) => e.code));
      assert.equal(refused, 'invalid_credential');

      // The oracle agrees: the copy's assertion is well signed, but its counter did not grow.
      const verdicts = await oracle.check([...ceremonies, ...copyCeremonies]);
      assert.deepEqual(verdicts.map((v) => [v.route, v.status, v.verified]), [
        ['/passkeys/register', 201, true], ['/passkeys/login', 200, true], ['/passkeys/login', 401, true],
        ['/passkeys/login', 401, false]]);
      assert.match(verdicts[3].error, /counter/i);
    } finally {
      await Promise.all([context.close(), copyContext.close()]);
      await host.stop();
    }
  });

// Runs SQL on the host's SQLite database (the sqlite3 command; script/bootstrap installs it).
function sqlite(host, sql) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', [path.join(host.dir, 'auth.db'), sql], { timeout: 10_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`sqlite3: ${stderr || error.message}`)) : resolve(stdout)));
  });
}
