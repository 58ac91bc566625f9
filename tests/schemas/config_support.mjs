// What the config schema tests share: the schema compiled by ajv, a folder with keys for configs
// to name, the environment their ${NAME}s need, a full auth config, and --check-config's gaps.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { build, paths, requireBuilt, tempDir } from './support.mjs';

const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
addFormats(ajv);
export const validate = ajv.compile(JSON.parse(readFileSync(paths.configSchema, 'utf8')));
export const describe = (errors) => ajv.errorsText(errors, { separator: '\n  ' });

/** The JSON pointers ajv's errors point at (for required and unknown keys: the key's own pointer). */
export function schemaPointers(errors) {
  return (errors ?? []).map((e) => {
    const key = e.params?.missingProperty ?? e.params?.additionalProperty ?? e.params?.propertyName;
    return key === undefined ? e.instancePath : `${e.instancePath}/${key}`;
  });
}

export const SECRET = 'a-test-secret-of-more-than-32-bytes-0123456789';
export const env = { ...process.env, LATCHKEY_JWT_SECRET: SECRET, LATCHKEY_MFA_KEY: SECRET, LATCHKEY_AUTH_PLUGIN: paths.auth, SCHEMAS_ALGORITHM: 'HS256' };
export const builtPlugins = {
  'liblatchkey_auth.so': paths.auth,
  'libhello_plugin.so': path.join(build, 'examples/hello/libhello_plugin.so'),
  'libnotes_plugin.so': path.join(build, 'examples/notes/libnotes_plugin.so'),
};

/**
 * A temporary folder holding ed25519.pem, p256.pem (PKCS#8) and old-public.pem (SPKI), where
 * write(config) puts each config (so that relative key paths resolve); remove() when done.
 */
export async function configFolder() {
  requireBuilt(paths.host, paths.auth, builtPlugins['libhello_plugin.so']);
  const { dir, remove } = await tempDir('config');
  const pem = (pair) => pair.privateKey.export({ type: 'pkcs8', format: 'pem' });
  await writeFile(path.join(dir, 'ed25519.pem'), pem(generateKeyPairSync('ed25519')));
  await writeFile(path.join(dir, 'p256.pem'), pem(generateKeyPairSync('ec', { namedCurve: 'P-256' })));
  const old = generateKeyPairSync('ed25519');
  await writeFile(path.join(dir, 'old-public.pem'), old.publicKey.export({ type: 'spki', format: 'pem' }));
  let counter = 0;
  return {
    dir,
    remove,
    async write(config) {
      counter += 1;
      const file = path.join(dir, `config-${counter}.json`);
      await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
      return file;
    },
  };
}

/** Every node of a JSON value as its path (tokens), the value itself first. */
export function leaves(value, tokens = []) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return [tokens, ...Object.entries(value).flatMap(([key, inner]) => leaves(inner, [...tokens, key]))];
  }
  if (Array.isArray(value)) return [tokens, ...value.flatMap((inner, i) => leaves(inner, [...tokens, i]))];
  return [tokens];
}

// A host config with the auth plugin (and its config) as the first entry.
export const withAuth = (auth, host = {}) => ({
  listen: '127.0.0.1:0',
  ...host,
  plugins: [{ name: 'auth', path: paths.auth, config: auth }],
});
export const hs256 = { tokens: { secret: '${LATCHKEY_JWT_SECRET}' } };

// Every key of CONTRACT §4 and docs/AUTH.md, at its documented default.
export const everyKey = {
  database: { url: 'sqlite3://data/auth.db', pool_size: 4, auto_migrate: true, query_timeout_ms: 10000 },
  routes: { prefix: '/api/auth', me_alias: '/api/me', unauthorized_status: 401 },
  tokens: {
    issuer: 'latchkey', audience: 'latchkey', algorithm: 'HS256', secret: '${LATCHKEY_JWT_SECRET}',
    private_key_file: null, verify_keys: [], access_ttl_seconds: 900, refresh_ttl_seconds: 604800,
    session_max_seconds: 2592000, refresh_reuse_grace_seconds: 10, leeway_seconds: 30, revocation_cache_ms: 1000,
    refresh_in_body: false, keys: 'config', key_encryption_key: null, key_refresh_seconds: 30,
  },
  cookies: { access_name: 'accessToken', refresh_name: 'refreshToken', secure: true, same_site: 'Strict', domain: null },
  password: {
    min_length: 8, max_length: 256, encoding: 'plain', argon2_memory_kib: 19456, argon2_iterations: 2,
    argon2_parallelism: 1, max_concurrent_hashes: 0, max_queue_wait_ms: 2000, hash_priority: 'idle',
  },
  login_throttle: { window_seconds: 900, max_failures_per_account: 20, max_failures_per_address: 100, scope: 'host' },
  email: {
    transport: 'file', file_dir: 'data/mail', smtp_url: 'smtp://127.0.0.1:2525', smtp_username: null, smtp_password: null,
    from: 'Latchkey <no-reply@localhost>', confirm_url: 'http://127.0.0.1:8080/confirm.html?token={token}',
    reset_url: 'http://127.0.0.1:8080/reset.html?token={token}', confirm_redirect: null, templates_dir: null,
    magic_link_url: 'http://127.0.0.1:8080/magic.html?token={token}',
    confirm_token_ttl_seconds: 86400, reset_token_ttl_seconds: 3600, smtp_timeout_seconds: 10, resend_interval_seconds: 60,
    magic_link_ttl_seconds: 900,
  },
  google: { client_id: null, jwks: 'https://www.googleapis.com/oauth2/v3/certs' },
  mfa: { encryption_key: null, issuer: 'Latchkey' },
  protect: [{ prefix: '/api/notes', roles: [], mfa: false }],
  csrf: { allowed_origins: [] },
};

