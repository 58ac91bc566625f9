// schemas/config.schema.json against `latchkey --config F --check-config`: every example config
// validates and is accepted; a table of good configs is accepted by both; a table of bad ones is
// refused by both, each at the JSON pointer the table names; the schema names exactly the keys the
// host and the plugin read.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  SECRET, builtPlugins, configFolder, describe, env, everyKey, hs256, leaves, schemaPointers, validate, withAuth,
} from './config_support.mjs';
import { checkConfig, paths, repo } from './support.mjs';

let folder;
before(async () => { folder = await configFolder(); });
after(async () => { await folder?.remove(); });
const writeConfig = (config) => folder.write(config);

const good = [
  ['the smallest: an HS256 secret from the environment', withAuth(hs256)],
  ['every key of CONTRACT §4 and docs/AUTH.md at its default', withAuth(everyKey)],
  ['EdDSA with a PKCS#8 key, an old public key and an old secret to verify', withAuth({
    tokens: {
      algorithm: 'EdDSA', private_key_file: 'ed25519.pem',
      verify_keys: [{ file: 'old-public.pem' }, { kid: 'old-hs', secret: 'an-old-secret-of-more-than-32-bytes-0123456789' }],
    },
  })],
  ['ES256, a PostgreSQL URL, SMTP mail, base64 passwords, SameSite=None with Secure', withAuth({
    database: { url: 'postgresql://latchkey:pw@db.internal:5432/latchkey', pool_size: 16, query_timeout_ms: 500 },
    tokens: { algorithm: 'ES256', private_key_file: 'p256.pem' },
    cookies: { same_site: 'None', secure: true, domain: 'example.com' },
    password: { encoding: 'base64', hash_priority: 'normal', max_concurrent_hashes: 256, max_queue_wait_ms: 60000 },
    email: { transport: 'smtp', smtp_url: 'smtps://mail.example.com:465', smtp_username: 'u', smtp_password: '${LATCHKEY_JWT_SECRET}' },
  })],
  ['a MySQL URL, null sections, no me alias, a protect rule for everything', withAuth({
    ...hs256, database: { url: 'mysql://root@127.0.0.1:3306/auth' }, routes: { me_alias: '', unauthorized_status: 499 },
    cookies: null, password: null, login_throttle: null, email: null, google: null, csrf: null,
    protect: [{ prefix: '/' }, { prefix: '/api/admin', roles: ['admin', 'ops'] }],
  })],
  ['the ranges at their bounds', withAuth({
    tokens: {
      secret: SECRET, access_ttl_seconds: 10, refresh_ttl_seconds: 31536000, session_max_seconds: 60,
      refresh_reuse_grace_seconds: 300, leeway_seconds: 0, revocation_cache_ms: 60000, refresh_in_body: true,
    },
    password: { min_length: 1, max_length: 4096, argon2_memory_kib: 8, argon2_iterations: 1024, argon2_parallelism: 1 },
    login_throttle: { window_seconds: 86400, max_failures_per_account: 1, max_failures_per_address: 1000000 },
    email: {
      confirm_token_ttl_seconds: 60, reset_token_ttl_seconds: 604800, smtp_timeout_seconds: 300, resend_interval_seconds: 0,
      magic_link_ttl_seconds: 86400,
    },
  }, { threads: 256, max_body_bytes: 0 })],
  ['a 32-byte secret of 8 four-byte characters', withAuth({ tokens: { secret: '🔑'.repeat(8) } })],
  ['${NAME} for an enum, the listen address and a plugin path', {
    listen: '${SCHEMAS_LISTEN}',
    plugins: [{ name: 'auth', path: '${LATCHKEY_AUTH_PLUGIN}', config: { tokens: { algorithm: '${SCHEMAS_ALGORITHM}', secret: SECRET } } }],
  }, { SCHEMAS_LISTEN: '[::1]:0' }],
  ['another plugin with a free-form config, a static folder, an IPv6 listen address', {
    listen: '[::1]:65535', threads: 1, static: { '/': '.' },
    plugins: [
      { name: 'auth', path: paths.auth, config: hs256 },
      { name: 'hello', path: builtPlugins['libhello_plugin.so'], config: { greeting: 'anything', nested: { n: 1 } } },
    ],
  }],
  ['no plugins at all', { listen: 'localhost:8080', plugins: [] }],
  ['trusted proxies: CIDRs, bare addresses, IPv6', { trusted_proxies: ['10.0.0.0/8', '192.0.2.7', 'fd00::/8', '::1'], plugins: [] }],
  ['signing keys in the database, encrypted under a key from the environment', withAuth({
    tokens: { keys: 'database', key_encryption_key: '${LATCHKEY_JWT_SECRET}', key_refresh_seconds: 3600, secret: null },
  })],
  ['EdDSA with a short secret it never uses', withAuth({ tokens: { algorithm: 'EdDSA', private_key_file: 'ed25519.pem', secret: 'short' } })],
  ['SameSite=None with Secure by default', withAuth({ ...hs256, cookies: { same_site: 'None' } })],
  ['Google sign-in with its JWKS on https, and from a local file', {
    plugins: [
      { name: 'auth', path: paths.auth, config: { ...hs256, google: { client_id: 'x.apps.googleusercontent.com' } } },
      { name: 'auth2', path: paths.auth, config: { ...hs256, google: { client_id: 'x.apps.googleusercontent.com', jwks: 'certs.json' } } },
      { name: 'auth3', path: paths.auth, config: { ...hs256, google: { client_id: null, jwks: 'ftp://unused.example' } } },
    ],
  }],
  ['a plugin named auth that is not the auth plugin (its file decides)', {
    plugins: [{ name: 'auth', path: builtPlugins['libhello_plugin.so'], config: { greeting: 'hi' } }],
  }],
];

// [what, config, the JSON pointer both must name]
const bad = [
  ['threads 0', withAuth(hs256, { threads: 0 }), '/threads'],
  ['threads as a string', withAuth(hs256, { threads: '4' }), '/threads'],
  ['max_body_bytes over 64 MiB', withAuth(hs256, { max_body_bytes: 67108865 }), '/max_body_bytes'],
  ['trusted_proxies as a string', withAuth(hs256, { trusted_proxies: '10.0.0.0/8' }), '/trusted_proxies'],
  ['a trusted proxy that is a number', withAuth(hs256, { trusted_proxies: [10] }), '/trusted_proxies/0'],
  ['an unknown host key', withAuth(hs256, { listn: '127.0.0.1:80' }), '/listn'],
  ['listen without a host', withAuth(hs256, { listen: '8080' }), '/listen'],
  ['listen with a port over 65535', withAuth(hs256, { listen: '127.0.0.1:65536' }), '/listen'],
  ['a static prefix without a slash', withAuth(hs256, { static: { web: '.' } }), '/static/web'],
  ['a plugin without its path', { plugins: [{ name: 'auth', config: hs256 }] }, '/plugins/0/path'],
  ['a plugin with an empty name', { plugins: [{ name: '', path: paths.auth, config: hs256 }] }, '/plugins/0/name'],
  ['an unknown key in a plugin entry', { plugins: [{ name: 'auth', path: paths.auth, config: hs256, configs: {} }] }, '/plugins/0/configs'],
  ['a plugin config that is an array', { plugins: [{ name: 'hello', path: builtPlugins['libhello_plugin.so'], config: [] }] }, '/plugins/0/config'],
  ['plugins as an object', { plugins: {} }, '/plugins'],
  ['the auth plugin without a config (no signing key)', { plugins: [{ name: 'auth', path: paths.auth }] }, '/plugins/0/config'],
  ['an unknown section of the auth config', withAuth({ ...hs256, tokenz: {} }), '/plugins/0/config/tokenz'],
  ['an unknown key in tokens (a typo)', withAuth({ tokens: { secret: SECRET, secert: SECRET } }), '/plugins/0/config/tokens/secert'],
  ['keys in the database without an encryption key', withAuth({ tokens: { keys: 'database' } }), '/plugins/0/config/tokens/key_encryption_key'],
  ['keys in the database with an encryption key of 31 bytes', withAuth({ tokens: { keys: 'database', key_encryption_key: 'k'.repeat(31) } }), '/plugins/0/config/tokens/key_encryption_key'],
  ['keys in the database and a secret as well', withAuth({ tokens: { keys: 'database', key_encryption_key: SECRET, secret: SECRET } }), '/plugins/0/config/tokens/secret'],
  ['an encryption key for keys from the config', withAuth({ tokens: { secret: SECRET, key_encryption_key: SECRET } }), '/plugins/0/config/tokens/key_encryption_key'],
  ['keys from neither config nor database', withAuth({ tokens: { secret: SECRET, keys: 'files' } }), '/plugins/0/config/tokens/keys'],
  ['an HS256 secret of 31 bytes', withAuth({ tokens: { secret: 'x'.repeat(31) } }), '/plugins/0/config/tokens/secret'],
  ['algorithm none', withAuth({ tokens: { algorithm: 'none', secret: SECRET } }), '/plugins/0/config/tokens/algorithm'],
  ['algorithm RS256', withAuth({ tokens: { algorithm: 'RS256', secret: SECRET } }), '/plugins/0/config/tokens/algorithm'],
  ['HS256 without a secret', withAuth({ tokens: { issuer: 'me' } }), '/plugins/0/config/tokens/secret'],
  ['tokens null (HS256 without a secret)', withAuth({ tokens: null }), '/plugins/0/config/tokens'],
  ['EdDSA without a private key file', withAuth({ tokens: { algorithm: 'EdDSA' } }), '/plugins/0/config/tokens/private_key_file'],
  ['an empty issuer', withAuth({ tokens: { secret: SECRET, issuer: '' } }), '/plugins/0/config/tokens/issuer'],
  ['access_ttl_seconds under 10', withAuth({ tokens: { secret: SECRET, access_ttl_seconds: 5 } }), '/plugins/0/config/tokens/access_ttl_seconds'],
  ['refresh_reuse_grace_seconds over 300', withAuth({ tokens: { secret: SECRET, refresh_reuse_grace_seconds: 301 } }), '/plugins/0/config/tokens/refresh_reuse_grace_seconds'],
  ['a negative leeway', withAuth({ tokens: { secret: SECRET, leeway_seconds: -1 } }), '/plugins/0/config/tokens/leeway_seconds'],
  ['refresh_in_body as a string', withAuth({ tokens: { secret: SECRET, refresh_in_body: 'yes' } }), '/plugins/0/config/tokens/refresh_in_body'],
  ['a verify key with both file and secret', withAuth({ tokens: { secret: SECRET, verify_keys: [{ kid: 'k', file: 'old-public.pem', secret: SECRET }] } }), '/plugins/0/config/tokens/verify_keys/0'],
  ['a verify secret without its kid', withAuth({ tokens: { secret: SECRET, verify_keys: [{ secret: 'an-old-secret-of-more-than-32-bytes-0123456789' }] } }), '/plugins/0/config/tokens/verify_keys/0/kid'],
  ['a short verify secret', withAuth({ tokens: { secret: SECRET, verify_keys: [{ kid: 'old', secret: 'too-short' }] } }), '/plugins/0/config/tokens/verify_keys/0/secret'],
  ['database pool_size 0', withAuth({ ...hs256, database: { pool_size: 0 } }), '/plugins/0/config/database/pool_size'],
  ['a database URL of another scheme', withAuth({ ...hs256, database: { url: 'redis://127.0.0.1/0' } }), '/plugins/0/config/database/url'],
  ['a PostgreSQL URL without a database', withAuth({ ...hs256, database: { url: 'postgresql://u:p@db:5432' } }), '/plugins/0/config/database/url'],
  ['query_timeout_ms under 500', withAuth({ ...hs256, database: { query_timeout_ms: 100 } }), '/plugins/0/config/database/query_timeout_ms'],
  ['auto_migrate as a number', withAuth({ ...hs256, database: { auto_migrate: 1 } }), '/plugins/0/config/database/auto_migrate'],
  ['a prefix with a trailing slash', withAuth({ ...hs256, routes: { prefix: '/api/auth/' } }), '/plugins/0/config/routes/prefix'],
  ['the prefix /', withAuth({ ...hs256, routes: { prefix: '/' } }), '/plugins/0/config/routes/prefix'],
  ['a me_alias that is not a path', withAuth({ ...hs256, routes: { me_alias: 'me' } }), '/plugins/0/config/routes/me_alias'],
  ['unauthorized_status 302', withAuth({ ...hs256, routes: { unauthorized_status: 302 } }), '/plugins/0/config/routes/unauthorized_status'],
  ['same_site in lower case', withAuth({ ...hs256, cookies: { same_site: 'strict' } }), '/plugins/0/config/cookies/same_site'],
  ['SameSite=None without Secure', withAuth({ ...hs256, cookies: { same_site: 'None', secure: false } }), '/plugins/0/config/cookies'],
  ['a cookie name with a space', withAuth({ ...hs256, cookies: { access_name: 'access token' } }), '/plugins/0/config/cookies/access_name'],
  ['password min_length 0', withAuth({ ...hs256, password: { min_length: 0 } }), '/plugins/0/config/password/min_length'],
  ['password max_length 10', withAuth({ ...hs256, password: { max_length: 10 } }), '/plugins/0/config/password/max_length'],
  ['password encoding hex', withAuth({ ...hs256, password: { encoding: 'hex' } }), '/plugins/0/config/password/encoding'],
  ['hash_priority low', withAuth({ ...hs256, password: { hash_priority: 'low' } }), '/plugins/0/config/password/hash_priority'],
  ['argon2_parallelism 0', withAuth({ ...hs256, password: { argon2_parallelism: 0 } }), '/plugins/0/config/password/argon2_parallelism'],
  ['max_queue_wait_ms 0', withAuth({ ...hs256, password: { max_queue_wait_ms: 0 } }), '/plugins/0/config/password/max_queue_wait_ms'],
  ['a fractional max_concurrent_hashes', withAuth({ ...hs256, password: { max_concurrent_hashes: 1.5 } }), '/plugins/0/config/password/max_concurrent_hashes'],
  ['login_throttle window 0', withAuth({ ...hs256, login_throttle: { window_seconds: 0 } }), '/plugins/0/config/login_throttle/window_seconds'],
  ['login_throttle scope cluster', withAuth({ ...hs256, login_throttle: { scope: 'cluster' } }), '/plugins/0/config/login_throttle/scope'],
  ['mail transport sendmail', withAuth({ ...hs256, email: { transport: 'sendmail' } }), '/plugins/0/config/email/transport'],
  ['a confirm_url without {token}', withAuth({ ...hs256, email: { confirm_url: 'http://127.0.0.1:8080/confirm.html' } }), '/plugins/0/config/email/confirm_url'],
  ['a reset token TTL over 7 days', withAuth({ ...hs256, email: { reset_token_ttl_seconds: 604801 } }), '/plugins/0/config/email/reset_token_ttl_seconds'],
  ['a magic link TTL under a minute', withAuth({ ...hs256, email: { magic_link_ttl_seconds: 59 } }), '/plugins/0/config/email/magic_link_ttl_seconds'],
  ['a magic_link_url without {token}', withAuth({ ...hs256, email: { magic_link_url: 'http://127.0.0.1:8080/magic.html' } }), '/plugins/0/config/email/magic_link_url'],
  ['smtp_username as a number', withAuth({ ...hs256, email: { smtp_username: 5 } }), '/plugins/0/config/email/smtp_username'],
  ['google client_id as a number', withAuth({ ...hs256, google: { client_id: 123 } }), '/plugins/0/config/google/client_id'],
  ['protect as an object', withAuth({ ...hs256, protect: { prefix: '/api' } }), '/plugins/0/config/protect'],
  ['a protect rule without its prefix', withAuth({ ...hs256, protect: [{ roles: ['admin'] }] }), '/plugins/0/config/protect/0/prefix'],
  ['a protect prefix without its slash', withAuth({ ...hs256, protect: [{ prefix: 'api/notes' }] }), '/plugins/0/config/protect/0/prefix'],
  ['protect roles as a string', withAuth({ ...hs256, protect: [{ prefix: '/api/admin', roles: 'admin' }] }), '/plugins/0/config/protect/0/roles'],
  ['an unknown key in a protect rule', withAuth({ ...hs256, protect: [{ prefix: '/api/admin', role: 'admin' }] }), '/plugins/0/config/protect/0/role'],
  ['csrf origins as a string', withAuth({ ...hs256, csrf: { allowed_origins: 'http://localhost:8080' } }), '/plugins/0/config/csrf/allowed_origins'],
  // Two that --check-config once accepted and the host then refused at start (found by the probes).
  ['an empty google.client_id (null turns Google sign-in off)', withAuth({ ...hs256, google: { client_id: '' } }), '/plugins/0/config/google/client_id'],
  ['a Google JWKS URL that is not https', withAuth({ ...hs256, google: { client_id: 'x.apps.googleusercontent.com', jwks: 'ftp://example.com/certs' } }), '/plugins/0/config/google/jwks'],
];


// The keys the host (host/src/config.cpp) and the plugin (plugin/src/config/auth_config.cpp) read,
// taken from their sources, against the schema's: a key added on one side only fails here.
function sourceKeys() {
  const host = readFileSync(path.join(repo, 'host/src/config.cpp'), 'utf8');
  const known = [...host.matchAll(/check_known_keys\([^,]+,[^,]+,\s*\{([^}]*)\}/g)].map((m) => [...m[1].matchAll(/"(\w+)"/g)].map((k) => k[1]));
  const plugin = readFileSync(path.join(repo, 'plugin/src/config/auth_config.cpp'), 'utf8');
  const bodies = {};
  for (const m of plugin.matchAll(/\n(?:void read_(\w+)|AuthConfigResult (parse_auth_config))\([^)]*\) \{([\s\S]*?)\n\}\n/g)) bodies[m[1] ?? m[2]] = m[3];
  const keys = (fn, receiver) => [...(bodies[fn] ?? '').matchAll(new RegExp(`\\b${receiver}\\.(?:read|array|object)\\("(\\w+)"`, 'g'))].map((m) => m[1]);
  const places = {
    '': [...keys('parse_auth_config', 'root'), ...keys('protect', 'root')],
    database: keys('database', 'reader'), routes: keys('routes', 'reader'),
    tokens: [...keys('tokens', 'reader'), ...keys('verify_keys', 'reader')], 'tokens/verify_keys/items': keys('verify_keys', 'entry'),
    cookies: keys('cookies', 'reader'), password: keys('password', 'reader'), login_throttle: keys('login_throttle', 'reader'),
    email: keys('email', 'reader'), google: keys('google', 'reader'), 'protect/items': keys('protect', 'entry'),
    csrf: keys('parse_auth_config', 'csrf'),
  };
  return { host: known.find((k) => k.includes('plugins')) ?? [], plugin: known.find((k) => k.includes('path')) ?? [], places };
}

test('the schema names exactly the keys the host and the auth plugin read (from their sources)', () => {
  const schema = JSON.parse(readFileSync(paths.configSchema, 'utf8'));
  const { host, plugin, places } = sourceKeys();
  const sorted = (list) => [...new Set(list)].sort();
  assert.deepEqual(sorted(Object.keys(schema.properties)), sorted(host), 'host config keys');
  assert.deepEqual(sorted(Object.keys(schema.$defs.plugin.properties)), sorted(plugin), 'plugin entry keys');
  let count = 0;
  for (const [place, keys] of Object.entries(places)) {
    let node = schema.$defs.auth;
    for (const token of place ? place.split('/') : []) node = token === 'items' ? node.items : node.properties[token];
    assert.deepEqual(sorted(Object.keys(node.properties)), sorted(keys), `auth config keys at /${place}`);
    count += keys.length;
  }
  assert.ok(count >= 60, `only ${count} keys found in plugin/src/config/auth_config.cpp: has its layout changed?`);
  const everyKeyNames = leaves(everyKey).filter((tokens) => tokens.length && typeof tokens.at(-1) === 'string').length;
  assert.ok(everyKeyNames >= count - 4, 'the probes below cover every key (all but verify_keys\' and protect\'s own)');
});


test('the tables are large enough', () => {
  assert.ok(bad.length >= 20, `${bad.length} bad configs`);
  assert.ok(good.length >= 5, `${good.length} good configs`);
});

for (const [what, config, extraEnv] of good) {
  test(`accepted by both: ${what}`, async () => {
    assert.ok(validate(config), `the schema refuses it:\n  ${describe(validate.errors)}`);
    const file = await writeConfig(config);
    const result = await checkConfig(file, { ...env, ...extraEnv });
    assert.equal(result.code, 0, `--check-config refuses it:\n${result.stderr}`);
  });
}

for (const [what, config, pointer] of bad) {
  test(`refused by both at ${pointer}: ${what}`, async () => {
    assert.equal(validate(config), false, 'the schema accepts it');
    const pointers = schemaPointers(validate.errors);
    assert.ok(pointers.some((p) => p === pointer || p.startsWith(`${pointer}/`)),
      `the schema's errors are elsewhere:\n  ${describe(validate.errors)}`);
    const file = await writeConfig(config);
    const result = await checkConfig(file, env);
    assert.equal(result.signal, null, `--check-config died: ${result.signal}`);
    assert.notEqual(result.code, 0, `--check-config accepts it: ${result.stdout}`);
    assert.ok(result.stderr.includes(`${file}: ${pointer}`) || result.stderr.includes(pointer),
      `--check-config names another place:\n${result.stderr}`);
    assert.ok(result.stderr.includes(file), `--check-config does not name the file:\n${result.stderr}`);
  });
}

// The example configs: the schema as they are; --check-config with their plugin paths pointed at
// this build (the examples name build/, or the installed layout, or ${LATCHKEY_AUTH_PLUGIN}).
function exampleConfigs() {
  const found = [];
  const look = (dir, depth) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth > 0 && !['node_modules', 'web'].includes(entry.name)) look(full, depth - 1);
      else if (entry.isFile() && entry.name.endsWith('.json') && entry.name !== 'package.json' && entry.name !== 'package-lock.json') {
        const parsed = JSON.parse(readFileSync(full, 'utf8'));
        if (parsed && typeof parsed === 'object' && 'plugins' in parsed) found.push(full);
      }
    }
  };
  look(path.join(repo, 'examples'), 2);
  look(path.join(repo, 'packaging'), 1);
  return found.sort();
}

test('the example configs are found', () => {
  assert.ok(exampleConfigs().includes(path.join(repo, 'examples/dev.json')));
});

for (const file of exampleConfigs()) {
  const name = path.relative(repo, file);
  test(`example ${name}: valid under the schema and accepted by --check-config`, async () => {
    const config = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(validate(config), `the schema refuses ${name}:\n  ${describe(validate.errors)}`);
    const local = structuredClone(config);
    for (const plugin of local.plugins ?? []) {
      if (/^\$\{\w+\}$/.test(plugin.path)) continue;  // from the environment (LATCHKEY_AUTH_PLUGIN is set)
      const built = builtPlugins[path.basename(plugin.path)];
      assert.ok(built, `${name}: no built plugin for ${plugin.path}`);
      assert.ok(existsSync(built), `${name}: ${built} is not built`);
      plugin.path = built;
    }
    for (const [prefix, folder] of Object.entries(local.static ?? {})) local.static[prefix] = path.resolve(path.dirname(file), folder);
    const result = await checkConfig(await writeConfig(local), env);
    assert.equal(result.code, 0, `--check-config refuses ${name}:\n${result.stderr}`);
  });
}

