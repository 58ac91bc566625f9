// Shared pieces of the schema tests: paths, a real host started on port 0 (auth plugin on SQLite
// in a temporary folder, file mail), plain HTTP calls, the mail folder, --check-config.
//
// Environment (all optional):
//   LATCHKEY_BUILD_DIR    build folder (default: <repo>/build)
//   LATCHKEY_HOST         host executable (default: $LATCHKEY_BUILD_DIR/host/latchkey)
//   LATCHKEY_AUTH_PLUGIN  auth plugin (default: $LATCHKEY_BUILD_DIR/plugin/liblatchkey_auth.so)
//   LATCHKEY_AUTH_CLI     operator CLI (default: $LATCHKEY_BUILD_DIR/plugin/latchkey-auth)
//   SCHEMAS_TMPDIR        where the temporary folders go (default: the OS's)
//   SCHEMAS_KEEP=1        keep the temporary folders (config, database, mail, host log)
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const build = path.resolve(process.env.LATCHKEY_BUILD_DIR || path.join(repo, 'build'));
export const paths = {
  host: path.resolve(process.env.LATCHKEY_HOST || path.join(build, 'host/latchkey')),
  auth: path.resolve(process.env.LATCHKEY_AUTH_PLUGIN || path.join(build, 'plugin/liblatchkey_auth.so')),
  cli: path.resolve(process.env.LATCHKEY_AUTH_CLI || path.join(build, 'plugin/latchkey-auth')),
  openapi: path.join(repo, 'schemas/openapi.json'),
  configSchema: path.join(repo, 'schemas/config.schema.json'),
};

export const PASSWORD = 'correct horse battery staple';

export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

export async function waitFor(what, probe, ms = 10_000, every = 100) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

export function requireBuilt(...files) {
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`not built: ${file} (build first, or set LATCHKEY_BUILD_DIR)`);
  }
}

/** A temporary folder for one test; removed by the returned function unless SCHEMAS_KEEP=1. */
export async function tempDir(tag) {
  const root = process.env.SCHEMAS_TMPDIR || os.tmpdir();
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(path.join(root, `latchkey-schemas-${tag}-`));
  return { dir, remove: () => (process.env.SCHEMAS_KEEP === '1' ? null : rm(dir, { recursive: true, force: true })) };
}

/**
 * Starts the host with the auth plugin on SQLite with file mail, listening on 127.0.0.1:0.
 * @param {object} [options]
 * @param {object} [options.auth] top-level sections of the auth config, merged over the defaults here
 * @param {object} [options.host] top-level keys of the host config (max_body_bytes, ...)
 * @param {object} [options.files] file name → content, written into the config's folder first
 */
export async function startHost({ auth = {}, host = {}, files = {} } = {}) {
  requireBuilt(paths.host, paths.auth);
  const { dir, remove } = await tempDir('host');
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const mailDir = path.join(dir, 'mail');
  const secret = randomBytes(32).toString('hex');
  const env = { ...process.env, LATCHKEY_JWT_SECRET: secret };
  const defaults = {
    database: { url: 'sqlite3://auth.db' },
    tokens: { secret: '${LATCHKEY_JWT_SECRET}' },
    cookies: { secure: false },
    password: { argon2_memory_kib: 64, argon2_iterations: 1 },
    email: {
      transport: 'file', file_dir: 'mail',
      confirm_url: 'http://app.test/confirm.html?token={token}',
      reset_url: 'http://app.test/reset.html?token={token}',
      magic_link_url: 'http://app.test/magic.html?token={token}',
    },
  };
  const authConfig = { ...defaults };
  for (const [section, value] of Object.entries(auth)) {
    authConfig[section] = value && typeof value === 'object' && !Array.isArray(value)
      ? { ...defaults[section], ...value } : value;
  }
  const config = {
    listen: '127.0.0.1:0', threads: 4, ...host,
    plugins: [{ name: 'auth', path: paths.auth, config: authConfig }],
  };
  const configPath = path.join(dir, 'host.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const child = spawn(paths.host, ['--config', configPath, '--listen', '127.0.0.1:0'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { err += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = await Promise.race([
    waitFor('the host to listen', () => out.match(/listening on (http:\/\/\S+:\d+)/), 30_000, 50),
    exited.then(() => null),
  ]);
  if (!listening) {
    await remove();
    throw new Error(`host exited at start:\n${err.slice(-3000)}`);
  }
  return {
    base: listening[1], dir, mailDir, configPath, config, secret, env,
    log: () => err,
    cli: (args, input) => runCli(configPath, env, args, input),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
        await exited;
        clearTimeout(timer);
      }
      await writeFile(path.join(dir, 'host.log'), out + err).catch(() => {});
      await remove();
    },
  };
}

function runCli(configPath, env, args, input) {
  return new Promise((resolve, reject) => {
    requireBuilt(paths.cli);
    const child = execFile(paths.cli, ['--config', configPath, ...args], { env, timeout: 20_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`latchkey-auth ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
    child.stdin.end(input ?? '');
  });
}

/**
 * One HTTP request on its own connection. `json` is sent as JSON; `body` as given (with the
 * Content-Type in `headers`, or none). Resolves to {status, headers, text, body (parsed JSON or null)}.
 * `headers` are node's: lower-case names, `set-cookie` an array.
 */
export function call(base, method, target, { json, body, headers = {} } = {}) {
  const url = new URL(target, base);
  const payload = json !== undefined ? Buffer.from(JSON.stringify(json)) : body !== undefined ? Buffer.from(body) : null;
  const sent = { ...headers };
  if (json !== undefined && !Object.keys(sent).some((h) => h.toLowerCase() === 'content-type')) {
    sent['Content-Type'] = 'application/json';
  }
  if (payload) sent['Content-Length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: sent, agent: false, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
        resolve({ status: res.statusCode, headers: res.headers, text, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${target}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

/** name → value of the cookies a response set (a cleared cookie has the value ''). */
export function cookiesOf(response) {
  const jar = {};
  for (const line of response.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return jar;
}

/** Undoes quoted-printable: soft line breaks and =XX escapes (UTF-8). */
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined[i] === '=' && joined.slice(i + 1, i + 3);
    if (hex && /^[0-9A-Fa-f]{2}$/.test(hex)) { bytes.push(parseInt(hex, 16)); i += 2; } else bytes.push(...Buffer.from(joined[i]));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Waits for a link `<page>?token=T` in a mail to `to` in the file transport's folder whose token is
 * not in `seen`; returns T and adds it to `seen`.
 */
export async function waitForLinkToken(mailDir, to, page, seen = new Set(), ms = 20_000) {
  const linkPattern = new RegExp(`${page.replace('.', '\\.')}\\?token=([A-Za-z0-9_-]+)`, 'g');
  const toPattern = new RegExp(`^To:.*${to.replace(/[.+]/g, '\\$&')}`, 'mi');
  const token = await waitFor(`a ${page} link to ${to} in ${mailDir}`, async () => {
    const names = existsSync(mailDir) ? (await readdir(mailDir)).filter((name) => name.endsWith('.eml')).sort() : [];
    for (const name of names) {
      const raw = await readFile(path.join(mailDir, name), 'utf8');
      if (!toPattern.test(raw)) continue;
      for (const match of decodeQuotedPrintable(raw).matchAll(linkPattern)) {
        if (!seen.has(match[1])) return match[1];
      }
    }
    return null;
  }, ms, 100);
  seen.add(token);
  return token;
}

/** Runs `latchkey --config FILE --check-config`; resolves to {code, signal, stdout, stderr}. */
export function checkConfig(configPath, env = process.env) {
  requireBuilt(paths.host);
  return new Promise((resolve) => {
    execFile(paths.host, ['--config', configPath, '--check-config'], { env, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, signal: error?.signal ?? null, stdout, stderr }));
  });
}
