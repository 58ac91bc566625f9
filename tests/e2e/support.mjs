// Shared pieces of the browser tests: a real host per test (auth plugin on SQLite in a temporary
// folder, file mail, the notes plugin, static "/" = examples/web), Debian's chromium through
// playwright-core, and helpers for mail, users and the page.
//
// Environment (all optional):
//   LATCHKEY_BUILD_DIR     build folder (default: <repo>/build)
//   LATCHKEY_HOST          host executable (default: $LATCHKEY_BUILD_DIR/host/latchkey)
//   LATCHKEY_AUTH_PLUGIN   auth plugin (default: $LATCHKEY_BUILD_DIR/plugin/liblatchkey_auth.so)
//   LATCHKEY_AUTH_CLI      operator CLI (default: $LATCHKEY_BUILD_DIR/plugin/latchkey-auth)
//   LATCHKEY_NOTES_PLUGIN  notes plugin (default: $LATCHKEY_BUILD_DIR/examples/notes/libnotes_plugin.so)
//   LATCHKEY_CHROMIUM      browser (default: /usr/bin/chromium)
//   E2E_TMPDIR             where the temporary folders go (default: the OS's)
//   E2E_KEEP=1             keep the temporary folders (config, database, mail, host log)
import { spawn, execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
const build = path.resolve(process.env.LATCHKEY_BUILD_DIR || path.join(repo, 'build'));
export const paths = {
  host: process.env.LATCHKEY_HOST || path.join(build, 'host/latchkey'),
  auth: process.env.LATCHKEY_AUTH_PLUGIN || path.join(build, 'plugin/liblatchkey_auth.so'),
  cli: process.env.LATCHKEY_AUTH_CLI || path.join(build, 'plugin/latchkey-auth'),
  notes: process.env.LATCHKEY_NOTES_PLUGIN || path.join(build, 'examples/notes/libnotes_plugin.so'),
  chromium: process.env.LATCHKEY_CHROMIUM || '/usr/bin/chromium',
  web: path.join(repo, 'examples/web'),
  artifacts: path.join(here, 'artifacts'),
};

export const PASSWORD = 'correct horse battery staple';

export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

// Polls `probe` until it returns a truthy value; fails after `ms` with `what`.
export async function waitFor(what, probe, ms = 10_000, every = 100) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a host with the auth plugin (SQLite, file mail) and the notes plugin.
 * @param {object} [options]
 * @param {object} [options.tokens] extra `tokens` settings (access_ttl_seconds, leeway_seconds, ...)
 * @param {object} [options.auth] extra top-level settings of the auth plugin's config
 * @param {boolean} [options.magicLinks] set email.magic_link_url to this host's magic.html
 * @param {boolean} [options.passkeys] serve the page as http://localhost:PORT (browsers refuse
 *   WebAuthn on an IP address) with webauthn.rp_id "localhost"; `base` is then that address
 */
export async function startHost({ tokens = {}, auth = {}, magicLinks = false, passkeys = false } = {}) {
  for (const [what, file] of [['host', paths.host], ['auth plugin', paths.auth]]) {
    if (!existsSync(file)) throw new Error(`${what} not built: ${file} (build first, or set LATCHKEY_BUILD_DIR)`);
  }
  const tmpRoot = process.env.E2E_TMPDIR || os.tmpdir();
  await mkdir(tmpRoot, { recursive: true });
  const dir = await mkdtemp(path.join(tmpRoot, 'latchkey-e2e-'));
  const mailDir = path.join(dir, 'mail');
  const env = {
    ...process.env,
    LATCHKEY_JWT_SECRET: randomBytes(32).toString('hex'),
    LATCHKEY_MFA_KEY: randomBytes(32).toString('hex'),
  };
  // The port must be known before the start for the mail links: pick a free one, retry on a clash.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const base = `http://${passkeys ? 'localhost' : '127.0.0.1'}:${port}`;
    // The host listens on 127.0.0.1 either way; the page's origin is what WebAuthn and CSRF see.
    const webauthn = passkeys
      ? { webauthn: { rp_id: 'localhost', origins: [base] }, csrf: { allowed_origins: [base] } } : {};
    const plugins = [{
      name: 'auth',
      path: paths.auth,
      config: {
        database: { url: `sqlite3://${path.join(dir, 'auth.db')}` },
        tokens: { secret: '${LATCHKEY_JWT_SECRET}', ...tokens },
        cookies: { secure: false },
        password: { argon2_memory_kib: 64, argon2_iterations: 1 },
        email: {
          transport: 'file', file_dir: mailDir,
          confirm_url: `${base}/confirm.html?token={token}`,
          reset_url: `${base}/reset.html?token={token}`,
          ...(magicLinks ? { magic_link_url: `${base}/magic.html?token={token}` } : {}),
        },
        protect: [{ prefix: '/api/admin', roles: ['admin'] }],
        mfa: { encryption_key: '${LATCHKEY_MFA_KEY}' },   // TOTP secrets are stored encrypted
        ...webauthn,
        ...auth,
      },
    }];
    if (existsSync(paths.notes)) plugins.push({ name: 'notes', path: paths.notes, config: {} });
    const config = { listen: `127.0.0.1:${port}`, threads: 4, static: { '/': paths.web }, plugins };
    const configPath = path.join(dir, 'host.json');
    await writeFile(configPath, JSON.stringify(config, null, 2));
    const host = await launch(configPath, port, env, dir);
    if (host) {
      return {
        ...host, base, port, dir, mailDir, configPath, env, hasNotes: plugins.length > 1,
        cli: (args, input) => runCli(configPath, env, args, input),
        async stop() {
          await host.stop();
          if (process.env.E2E_KEEP !== '1') await rm(dir, { recursive: true, force: true });
        },
      };
    }
    if (attempt === 3) throw new Error(`host did not start; log in ${dir}`);
  }
}

// Spawns the host and waits for "listening on http://HOST:PORT". Null when the port was taken.
async function launch(configPath, port, env, dir) {
  const child = spawn(paths.host, ['--config', configPath, '--listen', `127.0.0.1:${port}`],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { err += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const started = await Promise.race([
    waitFor('the host to listen', () => /listening on http:\/\/\S+:(\d+)/.test(out), 20_000, 50).then(() => true),
    exited.then(() => false),
  ]);
  if (!started) {
    await writeFile(path.join(dir, `host-${port}.log`), out + err);
    if (/cannot listen/.test(err)) return null;
    throw new Error(`host exited at start:\n${err.slice(-2000)}`);
  }
  return {
    child,
    log: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
        await exited;
        clearTimeout(timer);
      }
      await writeFile(path.join(dir, 'host.log'), out + err).catch(() => {});
    },
  };
}

function runCli(configPath, env, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(paths.cli, ['--config', configPath, ...args], { env, timeout: 20_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`latchkey-auth ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
    child.stdin.end(input ?? '');
  });
}

/** A confirmed account made with the operator CLI (fast; the journey test registers for real). */
export async function createUser(host, email, password = PASSWORD) {
  if (!existsSync(paths.cli)) throw new Error(`latchkey-auth not built: ${paths.cli}`);
  await host.cli(['user', 'add', email, '--confirmed'], `${password}\n`);
  return { email, password };
}

let userCounter = 0;
export function uniqueEmail(tag) {
  userCounter += 1;
  return `${tag}-${process.pid}-${userCounter}@example.com`;
}

/** Undoes quoted-printable: soft line breaks and =XX escapes (UTF-8). */
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined[i] === '=' && joined.slice(i + 1, i + 3);
    if (hex && /^[0-9A-Fa-f]{2}$/.test(hex)) { bytes.push(parseInt(hex, 16)); i += 2; }
    else bytes.push(...Buffer.from(joined[i]));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Waits for a mail to `to` in the file transport's folder; returns its decoded text. */
export async function waitForMail(mailDir, to, ms = 15_000) {
  return waitFor(`a mail to ${to} in ${mailDir}`, async () => {
    const names = existsSync(mailDir) ? (await readdir(mailDir)).filter((name) => name.endsWith('.eml')) : [];
    for (const name of names) {
      const raw = await readFile(path.join(mailDir, name), 'utf8');
      if (new RegExp(`^To:.*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(raw)) return decodeQuotedPrintable(raw);
    }
    return null;
  }, ms, 200);
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: paths.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
}

/** A new context with bounded waits (`options`: more of playwright's, e.g. userAgent). */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 }, ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/** Opens the example page and waits until it has checked the session. */
export async function openApp(page, base, query = '') {
  await page.goto(`${base}/${query}`);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Signs in through the page's form and waits for the signed-in state. */
export async function signIn(page, base, { email, password }, query = '') {
  await openApp(page, base, query);
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('#login-button');
  await page.waitForSelector(`#status[data-state="signed-in"]`);
  const status = await page.textContent('#status');
  if (status !== `Signed in as ${email}`) throw new Error(`unexpected status: ${status}`);
}

/** Records the client's events in the page (window.__events) for later checks. */
export async function recordEvents(page) {
  await page.evaluate(() => {
    window.__events = [];
    for (const type of ['loggedin', 'refreshed', 'loggedout']) {
      window.latchkey.addEventListener(type, (event) => window.__events.push({ type, reason: event.detail?.reason }));
    }
  });
}
export const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => e.type === t), type);

/** The claims of a JWS (no verification: the test reads what the server set). */
export function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** Live (not revoked) sessions in the host's SQLite database, or null without the sqlite3 CLI. */
export function liveSessions(host) {
  return new Promise((resolve) => {
    execFile('sqlite3', [path.join(host.dir, 'auth.db'), 'SELECT count(*) FROM sessions WHERE revoked_at IS NULL;'],
      { timeout: 10_000 }, (error, stdout) => resolve(error ? null : Number(stdout.trim())));
  });
}

/** Counts the page's (or context's) requests to paths matching `pattern`, with their statuses. */
export function watchRequests(target, pattern) {
  const seen = [];
  target.on('response', async (response) => {
    const url = new URL(response.url());
    if (!pattern.test(url.pathname)) return;
    const entry = { method: response.request().method(), path: url.pathname, status: response.status(), at: Date.now() };
    seen.push(entry);
    const cookies = await response.headerValues('set-cookie').catch(() => []);
    entry.refreshCookie = cookies.some((c) => /^refreshToken=[^;]/.test(c));
  });
  return seen;
}

/** Saves a full-page screenshot as artifacts/NAME.png (look at them after a change of the page). */
export async function screenshot(page, name) {
  await mkdir(paths.artifacts, { recursive: true });
  await page.screenshot({ path: path.join(paths.artifacts, `${name}.png`), fullPage: true });
}

/**
 * A virtual authenticator for the page over CDP (WebAuthn domain), as a phone or laptop with a
 * screen lock: CTAP2, built in ("internal"), resident keys (passkeys), user verification that
 * succeeds. Returns helpers for its credentials and its user verification.
 */
export async function addVirtualAuthenticator(page, options = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, ...options,
    },
  });
  return {
    authenticatorId,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    addCredential: (credential) => cdp.send('WebAuthn.addCredential', { authenticatorId, credential }),
    /** false: the user fails the fingerprint or PIN check (UV stays 0 where it is not required). */
    setUserVerified: (isUserVerified) => cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified }),
  };
}

/** As a browser without passkey autofill (conditional UI): the page offers only its button. */
export async function withoutConditionalUi(target) {
  await target.addInitScript(() => {
    if (typeof PublicKeyCredential === 'function') PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}

/** RFC 4648 base32 (no padding needed) to bytes: the TOTP secret as the page shows it. */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of text.toUpperCase().replace(/[\s=]/g, '')) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) { bytes.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(bytes);
}

/**
 * An RFC 6238 code written here, independent of the server's: HMAC-SHA1 over the 30 s step
 * counter, dynamic truncation (RFC 4226 §5.3), `digits` digits. `key` is bytes or base32 text.
 */
export function totp(key, atMs = Date.now(), digits = 6) {
  const secret = typeof key === 'string' ? base32Decode(key) : key;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(number % 10 ** digits).padStart(digits, '0');
}
