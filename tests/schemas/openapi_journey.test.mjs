// A full journey against a real host (auth plugin on SQLite, file mail, Google sign-in against a
// local JWKS), register → confirm → login → me → refresh → logout and every error of CONTRACT §3,
// with each real response (status, body, documented headers) checked against schemas/openapi.json
// with ajv, and each well-formed request body against its request schema.
import assert from 'node:assert/strict';
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import Ajv2020 from 'ajv/dist/2020.js';

import { ApiDocument } from './api_document.mjs';
import { PasskeyAuthenticator } from './passkey_authenticator.mjs';
import { PASSWORD, call, cookiesOf, paths, sleep, startHost, waitForLinkToken } from './support.mjs';

const P = '/api/auth';
const GOOGLE_CLIENT = 'schemas-test.apps.googleusercontent.com';
const documentText = readFileSync(paths.openapi, 'utf8');
const api = new ApiDocument(JSON.parse(documentText));

const google = generateKeyPairSync('rsa', { modulusLength: 2048 });
const googleJwks = { keys: [{ ...google.publicKey.export({ format: 'jwk' }), kid: 'schemas-test-1', alg: 'RS256', use: 'sig' }] };

let host;
const seenTokens = new Set();
let emailCounter = 0;
const newEmail = (tag) => `${tag}-${process.pid}-${++emailCounter}@example.com`;

before(async () => {
  host = await startHost({
    host: { max_body_bytes: 4096 },
    auth: {
      login_throttle: { max_failures_per_account: 3 },
      google: { client_id: GOOGLE_CLIENT, jwks: 'google-jwks.json' },
      mfa: { encryption_key: 'schemas journey mfa key, 32 bytes or more' },
    },
    files: { 'google-jwks.json': JSON.stringify(googleJwks) },
  });
});
after(async () => { await host?.stop(); });

/**
 * Sends one request, checks it and its answer against the document, and asserts the status (and
 * the error code). `conforming: false` for a request body that is meant to break the document.
 */
async function expect(method, target, { status, error, conforming = true, on = host, ...options }) {
  if (options.json !== undefined && conforming) assert.deepEqual(api.requestProblems(method, target, options.json), []);
  const response = await call(on.base, method, target, options);
  assert.equal(response.status, status, `${method} ${target}: ${response.status} ${response.text}`);
  if (error) assert.equal(response.body?.error, error, `${method} ${target}: ${response.text}`);
  assert.deepEqual(api.responseProblems(method, target, response), []);
  return response;
}

const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const cookieHeader = (jar) => ({ Cookie: Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ') });
const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The same access token with other claims, signed with the host's HS256 secret (header and kid kept). */
function resigned(accessToken, secret, change) {
  const [header, payload] = accessToken.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url')), ...change };
  const input = `${header}.${base64url(claims)}`;
  return `${input}.${createHmac('sha256', Buffer.from(secret, 'utf8')).update(input).digest('base64url')}`;
}

function googleIdToken(claims) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${base64url({ alg: 'RS256', kid: 'schemas-test-1', typ: 'JWT' })}.${base64url({
    iss: 'https://accounts.google.com', aud: GOOGLE_CLIENT, iat: now, exp: now + 600, ...claims,
  })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(google.privateKey).toString('base64url')}`;
}

async function registerAndConfirm(email, password = PASSWORD) {
  await expect('POST', `${P}/register`, { json: { email, password }, status: 202 });
  const token = await waitForLinkToken(host.mailDir, email, 'confirm.html', seenTokens);
  await expect('POST', `${P}/confirm`, { json: { token }, status: 200 });
}

const user = { email: newEmail('journey'), password: PASSWORD };
let session = {};  // the signed-in user's access token and cookies

test('the config this host runs with is valid under schemas/config.schema.json', () => {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(paths.configSchema, 'utf8')));
  assert.ok(validate(host.config), ajv.errorsText(validate.errors));
});

test('GET <prefix>/openapi.json serves schemas/openapi.json byte for byte', async () => {
  const response = await expect('GET', `${P}/openapi.json`, { status: 200 });
  assert.match(response.headers['content-type'], /^application\/json/);
  assert.equal(response.text, documentText);
});

test('register: 202 confirmation_sent for a new and an existing address alike', async () => {
  const first = await expect('POST', `${P}/register`, { json: user, status: 202 });
  assert.deepEqual(first.body, { status: 'confirmation_sent' });
  const again = await expect('POST', `${P}/register`, { json: user, status: 202 });
  assert.deepEqual(again.body, first.body);
});

test('register: bad JSON, wrong Content-Type, wrong types, a non-address, a weak password', async () => {
  for (const body of ['{"email": ', '[1, 2]', '{"email": "a@b.cd", "email": "x@y.zz", "password": "p"}']) {
    await expect('POST', `${P}/register`, { body, headers: { 'Content-Type': 'application/json' }, status: 400, error: 'invalid_request' });
  }
  await expect('POST', `${P}/register`, { body: JSON.stringify(user), headers: { 'Content-Type': 'text/plain' }, status: 400, error: 'invalid_request' });
  const wrongTypes = await expect('POST', `${P}/register`, { json: { email: 42, password: true }, conforming: false, status: 400, error: 'invalid_request' });
  assert.deepEqual(Object.keys(wrongTypes.body.fields).sort(), ['email', 'password']);
  const missing = await expect('POST', `${P}/register`, { json: { email: user.email }, conforming: false, status: 400, error: 'invalid_request' });
  assert.deepEqual(Object.keys(missing.body.fields), ['password']);
  const notAnAddress = await expect('POST', `${P}/register`, { json: { email: 'not an address', password: PASSWORD }, conforming: false, status: 400, error: 'invalid_request' });
  assert.ok(notAnAddress.body.fields.email);
  const weak = await expect('POST', `${P}/register`, { json: { email: newEmail('weak'), password: 'short' }, status: 400, error: 'weak_password' });
  assert.ok(weak.body.fields.password);
});

test('login before confirming: 403 email_not_confirmed (after the right password only)', async () => {
  await expect('POST', `${P}/login`, { json: user, status: 403, error: 'email_not_confirmed' });
  await expect('POST', `${P}/login`, { json: { ...user, password: 'wrong password!' }, status: 401, error: 'invalid_credentials' });
});

test('confirm: bad tokens are 400 invalid_token, the mailed one confirms once', async () => {
  await expect('GET', `${P}/confirm?token=not-a-real-token`, { status: 400, error: 'invalid_token' });
  await expect('GET', `${P}/confirm`, { status: 400, error: 'invalid_token' });
  await expect('POST', `${P}/confirm`, { json: { token: 'not-a-real-token' }, status: 400, error: 'invalid_token' });
  await expect('POST', `${P}/confirm`, { json: { token: 7 }, conforming: false, status: 400, error: 'invalid_request' });
  const token = await waitForLinkToken(host.mailDir, user.email, 'confirm.html', seenTokens);
  const confirmed = await expect('POST', `${P}/confirm`, { json: { token }, status: 200 });
  assert.deepEqual(confirmed.body, { status: 'confirmed' });
  await expect('POST', `${P}/confirm`, { json: { token }, status: 400, error: 'invalid_token' });
});

test('confirm by the link itself (GET) and a confirmation sent again', async () => {
  const email = newEmail('link');
  await expect('POST', `${P}/register`, { json: { email, password: PASSWORD }, status: 202 });
  const first = await waitForLinkToken(host.mailDir, email, 'confirm.html', seenTokens);
  const resent = await expect('POST', `${P}/confirm/resend`, { json: { email }, status: 202 });
  assert.deepEqual(resent.body, { status: 'accepted' });
  const second = await waitForLinkToken(host.mailDir, email, 'confirm.html', seenTokens);
  assert.notEqual(first, second);
  await expect('GET', `${P}/confirm?token=${second}`, { status: 200 });
  await expect('POST', `${P}/confirm/resend`, { json: { email }, status: 429, error: 'rate_limited' });
  await expect('POST', `${P}/confirm/resend`, { json: {}, conforming: false, status: 400, error: 'invalid_request' });
});

test('login: wrong password and unknown address are 401 invalid_credentials; bad bodies 400', async () => {
  await expect('POST', `${P}/login`, { json: { email: newEmail('nobody'), password: PASSWORD }, status: 401, error: 'invalid_credentials' });
  await expect('POST', `${P}/login`, { body: 'not json', headers: { 'Content-Type': 'application/json' }, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/login`, { json: { email: user.email, password: ['x'] }, conforming: false, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/login`, { json: { email: user.email, password: 'x'.repeat(300) }, status: 400, error: 'invalid_request' });
});

test('login: 200 with the token body and both cookies', async () => {
  const response = await expect('POST', `${P}/login`, { json: user, status: 200 });
  const lines = response.headers['set-cookie'];
  assert.equal(lines.length, 2);
  assert.match(lines.find((l) => l.startsWith('accessToken=')), /; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
  assert.match(lines.find((l) => l.startsWith('refreshToken=')), /; Path=\/api\/auth; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
  assert.equal(response.body.user.email, user.email);
  assert.equal(response.body.refreshToken, undefined);  // tokens.refresh_in_body is false
  assert.ok(response.body.refreshTokenExpiresIn > 0);
  session = { access: response.body.accessToken, cookies: cookiesOf(response) };
});

test('me: 200 by Bearer, by cookie and at the alias; 401 without or with a bad or expired token', async () => {
  const me = await expect('GET', `${P}/me`, { headers: bearer(session.access), status: 200 });
  assert.equal(me.body.user.email, user.email);
  await expect('GET', `${P}/me`, { headers: cookieHeader({ accessToken: session.cookies.accessToken }), status: 200 });
  await expect('GET', '/api/me', { headers: bearer(session.access), status: 200 });
  const none = await expect('GET', `${P}/me`, { status: 401, error: 'invalid_token' });
  assert.equal(none.headers['www-authenticate'], 'Bearer');
  const forged = await expect('GET', `${P}/me`, { headers: bearer(`${session.access.slice(0, -4)}AAAA`), status: 401, error: 'invalid_token' });
  assert.equal(forged.headers['www-authenticate'], 'Bearer error="invalid_token"');
  const now = Math.floor(Date.now() / 1000);
  const expired = resigned(session.access, host.secret, { iat: now - 1000, exp: now - 120 });
  await expect('GET', '/api/me', { headers: bearer(expired), status: 401, error: 'token_expired' });
});

test('refresh: rotation, the grace window, no token, a foreign Origin', async () => {
  const jar = { refreshToken: session.cookies.refreshToken };
  const rotated = await expect('POST', `${P}/refresh`, { headers: cookieHeader(jar), status: 200 });
  const next = cookiesOf(rotated);
  assert.ok(next.refreshToken && next.refreshToken !== jar.refreshToken, 'a new refresh token');
  // The old token again within tokens.refresh_reuse_grace_seconds: a new access token, no refresh cookie.
  const grace = await expect('POST', `${P}/refresh`, { headers: cookieHeader(jar), status: 200 });
  assert.deepEqual(Object.keys(cookiesOf(grace)), ['accessToken']);
  assert.equal(grace.body.refreshTokenExpiresIn, undefined);
  const refused = await expect('POST', `${P}/refresh`, { status: 401, error: 'invalid_refresh_token' });
  assert.deepEqual(cookiesOf(refused), { accessToken: '', refreshToken: '' });
  await expect('POST', `${P}/refresh`, { headers: bearer('not-a-refresh-token'), status: 401, error: 'invalid_refresh_token' });
  await expect('POST', `${P}/refresh`, { headers: { ...cookieHeader({ refreshToken: next.refreshToken }), Origin: 'http://evil.example' }, status: 403, error: 'origin_not_allowed' });
  session = { access: rotated.body.accessToken, cookies: { ...session.cookies, ...next } };
});

test('password/change: wrong current password, weak new one, bad body, foreign Origin, then done', async () => {
  const auth = bearer(session.access);
  await expect('POST', `${P}/password/change`, { json: { current_password: 'wrong password!', new_password: 'another good password' }, headers: auth, status: 401, error: 'invalid_credentials' });
  await expect('POST', `${P}/password/change`, { json: { current_password: PASSWORD, new_password: 'short' }, headers: auth, status: 400, error: 'weak_password' });
  await expect('POST', `${P}/password/change`, { json: { current_password: PASSWORD }, conforming: false, headers: auth, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/password/change`, { json: { current_password: PASSWORD, new_password: 'another good password' }, status: 401, error: 'invalid_token' });
  await expect('POST', `${P}/password/change`, {
    json: { current_password: PASSWORD, new_password: 'another good password' },
    headers: { ...cookieHeader({ accessToken: session.cookies.accessToken }), Origin: 'http://evil.example' },
    status: 403, error: 'origin_not_allowed',
  });
  const changed = await expect('POST', `${P}/password/change`, { json: { current_password: PASSWORD, new_password: 'another good password' }, headers: auth, status: 200 });
  assert.deepEqual(changed.body, { status: 'password_changed' });
  user.password = 'another good password';
});

test('password/forgot and reset: 202 for any address, 429 when asked again, bad and weak tokens, then reset', async () => {
  const forgot = await expect('POST', `${P}/password/forgot`, { json: { email: user.email }, status: 202 });
  assert.deepEqual(forgot.body, { status: 'accepted' });
  await expect('POST', `${P}/password/forgot`, { json: { email: newEmail('unknown') }, status: 202 });
  const limited = await expect('POST', `${P}/password/forgot`, { json: { email: user.email }, status: 429, error: 'rate_limited' });
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  await expect('POST', `${P}/password/forgot`, { json: { mail: user.email }, conforming: false, status: 400, error: 'invalid_request' });

  const token = await waitForLinkToken(host.mailDir, user.email, 'reset.html', seenTokens);
  await expect('POST', `${P}/password/reset`, { json: { token: 'not-a-real-token', password: 'a third good password' }, status: 400, error: 'invalid_token' });
  await expect('POST', `${P}/password/reset`, { json: { token, password: 'short' }, status: 400, error: 'weak_password' });
  await expect('POST', `${P}/password/reset`, { json: { token }, conforming: false, status: 400, error: 'invalid_request' });
  const reset = await expect('POST', `${P}/password/reset`, { json: { token, password: 'a third good password' }, status: 200 });
  assert.deepEqual(reset.body, { status: 'password_reset' });
  user.password = 'a third good password';
  // The reset ended every session: the refresh token of before is refused.
  await expect('POST', `${P}/refresh`, { headers: cookieHeader({ refreshToken: session.cookies.refreshToken }), status: 401, error: 'invalid_refresh_token' });
});

test('logout: 204 with both cookies cleared, the access token refused after; without a token still 204', async () => {
  const login = await expect('POST', `${P}/login`, { json: user, status: 200 });
  const access = login.body.accessToken;
  const out = await expect('POST', `${P}/logout`, { headers: { ...bearer(access), ...cookieHeader({ refreshToken: cookiesOf(login).refreshToken }) }, status: 204 });
  assert.deepEqual(cookiesOf(out), { accessToken: '', refreshToken: '' });
  await expect('GET', `${P}/me`, { headers: bearer(access), status: 401, error: 'invalid_token' });
  await expect('POST', `${P}/logout`, { status: 204 });
  await expect('POST', `${P}/logout`, { headers: { ...cookieHeader({ refreshToken: 'whatever' }), Origin: 'http://evil.example' }, status: 403, error: 'origin_not_allowed' });
});

test('logout-all: 401 without a token, 403 from a foreign Origin by cookie, 204 and every session gone', async () => {
  await expect('POST', `${P}/logout-all`, { status: 401, error: 'invalid_token' });
  const one = await expect('POST', `${P}/login`, { json: user, status: 200 });
  const two = await expect('POST', `${P}/login`, { json: user, status: 200 });
  await expect('POST', `${P}/logout-all`, { headers: { ...cookieHeader({ accessToken: one.body.accessToken }), Origin: 'http://evil.example' }, status: 403, error: 'origin_not_allowed' });
  await expect('POST', `${P}/logout-all`, { headers: bearer(one.body.accessToken), status: 204 });
  await expect('POST', `${P}/refresh`, { headers: cookieHeader({ refreshToken: cookiesOf(two).refreshToken }), status: 401, error: 'invalid_refresh_token' });
});

test('events: 401 without a token; the caller\'s own audit events, newest first', async () => {
  await expect('GET', `${P}/events`, { status: 401, error: 'invalid_token' });
  const email = newEmail('events');
  await registerAndConfirm(email);
  await expect('POST', `${P}/login`, { json: { email, password: 'wrong password!' }, status: 401, error: 'invalid_credentials' });
  const login = await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 200 });
  const events = await expect('GET', `${P}/events`, { headers: bearer(login.body.accessToken), status: 200 });
  assert.deepEqual(events.body.events.map((e) => e.event), ['login.succeeded', 'login.failed', 'email.confirmed', 'user.registered']);
});

test('sessions: the list, ending one (404 for an unknown id), logout-others; 401 without a token, 403 from a foreign Origin', async () => {
  await expect('GET', `${P}/sessions`, { status: 401, error: 'invalid_token' });
  await expect('DELETE', `${P}/sessions/0123456789abcdef`, { status: 401, error: 'invalid_token' });
  await expect('POST', `${P}/logout-others`, { status: 401, error: 'invalid_token' });
  const email = newEmail('sessions');
  await registerAndConfirm(email);
  const devices = [];
  for (const agent of ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0']) {
    devices.push(await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, headers: { 'User-Agent': agent }, status: 200 }));
  }
  const first = devices[0].body.accessToken;
  const listed = await expect('GET', `${P}/sessions`, { headers: bearer(first), status: 200 });
  assert.equal(listed.body.sessions.length, 3);
  assert.deepEqual(listed.body.sessions.map((s) => s.current).filter(Boolean), [true]);
  assert.deepEqual(new Set(listed.body.sessions.map((s) => s.device)), new Set(['Firefox on Linux', 'curl']));
  const secondId = listed.body.sessions.find((s) => s.device === 'curl').id;
  await expect('DELETE', `${P}/sessions/0123456789abcdef0123456789abcdef`, { headers: bearer(first), status: 404, error: 'not_found' });
  await expect('DELETE', `${P}/sessions/${secondId}`, { headers: { ...cookieHeader({ accessToken: first }), Origin: 'http://evil.example' }, status: 403, error: 'origin_not_allowed' });
  await expect('DELETE', `${P}/sessions/${secondId}`, { headers: bearer(first), status: 204 });
  await expect('POST', `${P}/logout-others`, { headers: { ...cookieHeader({ accessToken: first }), Origin: 'http://evil.example' }, status: 403, error: 'origin_not_allowed' });
  await expect('POST', `${P}/logout-others`, { headers: bearer(first), status: 204 });
  const left = await expect('GET', `${P}/sessions`, { headers: bearer(first), status: 200 });
  assert.equal(left.body.sessions.length, 1);
  assert.equal(left.body.sessions[0].current, true);
  // Ending the current session signs out here: both cookies cleared.
  const self = await expect('DELETE', `${P}/sessions/${left.body.sessions[0].id}`, { headers: bearer(first), status: 204 });
  assert.deepEqual(cookiesOf(self), { accessToken: '', refreshToken: '' });
  await expect('POST', `${P}/refresh`, { headers: cookieHeader({ refreshToken: cookiesOf(devices[2]).refreshToken }), status: 401, error: 'invalid_refresh_token' });
});

test('login throttle: 429 rate_limited with Retry-After, also for the right password', async () => {
  const email = newEmail('throttled');
  await registerAndConfirm(email);
  for (let i = 0; i < 3; i += 1) {
    await expect('POST', `${P}/login`, { json: { email, password: 'wrong password!' }, status: 401, error: 'invalid_credentials' });
  }
  const limited = await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 429, error: 'rate_limited' });
  assert.ok(Number(limited.headers['retry-after']) >= 1);
});

test('a disabled account: 403 account_disabled after the right password', async () => {
  const email = newEmail('disabled');
  await registerAndConfirm(email);
  await host.cli(['user', 'disable', email]);
  await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 403, error: 'account_disabled' });
});

test('Google sign-in: a nonce, a bad credential, a body without one, a valid ID token', async () => {
  const nonce = await expect('GET', `${P}/google/nonce`, { status: 200 });
  assert.ok(nonce.body.nonce);
  await expect('POST', `${P}/google`, { json: { credential: 'not.a.token' }, status: 401, error: 'invalid_credential' });
  await expect('POST', `${P}/google`, { json: { credential: 42 }, conforming: false, status: 400, error: 'invalid_request' });
  const wrongAudience = googleIdToken({ sub: 'g-1', email: newEmail('google'), email_verified: true, aud: 'someone-else' });
  await expect('POST', `${P}/google`, { json: { credential: wrongAudience }, status: 401, error: 'invalid_credential' });
  const email = newEmail('google');
  const credential = googleIdToken({ sub: `g-${process.pid}`, email, email_verified: true, nonce: nonce.body.nonce });
  const signedIn = await expect('POST', `${P}/google`, { json: { credential, nonce: nonce.body.nonce }, status: 200 });
  assert.equal(signedIn.body.user.email, email);
});

test('magic links: 202 for any address, 429 when asked again, bad tokens, then a sign-in once, a disabled account', async () => {
  const email = newEmail('magic');
  await registerAndConfirm(email);
  const asked = await expect('POST', `${P}/magic-link`, { json: { email }, status: 202 });
  assert.deepEqual(asked.body, { status: 'accepted' });
  await expect('POST', `${P}/magic-link`, { json: { email: newEmail('unknown') }, status: 202 });
  const limited = await expect('POST', `${P}/magic-link`, { json: { email }, status: 429, error: 'rate_limited' });
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  await expect('POST', `${P}/magic-link`, { json: { email: 7 }, conforming: false, status: 400, error: 'invalid_request' });

  const token = await waitForLinkToken(host.mailDir, email, 'magic.html', seenTokens);
  await expect('POST', `${P}/magic-link/verify`, { json: { token: 'not-a-real-token' }, status: 401, error: 'invalid_token' });
  await expect('POST', `${P}/magic-link/verify`, { json: { link: token }, conforming: false, status: 400, error: 'invalid_request' });
  const signedIn = await expect('POST', `${P}/magic-link/verify`, { json: { token }, status: 200 });
  assert.equal(signedIn.body.user.email, email);
  assert.ok(cookiesOf(signedIn).refreshToken);
  await expect('POST', `${P}/magic-link/verify`, { json: { token }, status: 401, error: 'invalid_token' });

  const disabled = newEmail('magic-disabled');
  await registerAndConfirm(disabled);
  await expect('POST', `${P}/magic-link`, { json: { email: disabled }, status: 202 });
  const late = await waitForLinkToken(host.mailDir, disabled, 'magic.html', seenTokens);
  await host.cli(['user', 'disable', disabled]);
  await expect('POST', `${P}/magic-link/verify`, { json: { token: late }, status: 403, error: 'account_disabled' });
});

test('JWKS, the browser client, a body over max_body_bytes', async () => {
  const jwks = await expect('GET', '/.well-known/jwks.json', { status: 200 });
  assert.deepEqual(jwks.body, { keys: [] });  // HS256: secrets stay secret
  const script = await expect('GET', `${P}/client.js`, { status: 200 });
  assert.match(script.text, /latchkey/i);
  await expect('POST', `${P}/login`, { json: { email: user.email, password: 'x'.repeat(5000) }, status: 413, error: 'body_too_large' });
});

test('303 to email.confirm_redirect; 503 service_unavailable with Retry-After on the routes that hash, when the hash queue is full', async () => {
  // One hash thread, a slow hash (about a second with libsodium's Argon2id, at normal priority so
  // that a busy machine does not starve it) and a 1 ms queue deadline: while one login hashes,
  // every other request of a hashing route is refused before it is looked at. (12 iterations took
  // a second with Botan's Argon2id; with libsodium's, about 0.2 s, under the 250 ms wait below.)
  const busy = await startHost({
    auth: {
      password: { argon2_memory_kib: 65536, argon2_iterations: 48, max_concurrent_hashes: 1, max_queue_wait_ms: 1, hash_priority: 'normal' },
      email: { confirm_redirect: 'http://app.test/welcome.html' },
    },
  });
  try {
    // With nothing else hashing a registration goes through; with email.confirm_redirect the
    // link answers 303 to it (and the page's POST still answers JSON).
    const email = newEmail('redirect');
    // The 1 ms deadline also refuses this first one when a loaded machine schedules the hash
    // thread late (seen under fresh-machine + ASan): a 503 here is retried, the 202 is asserted.
    let registered;
    for (let attempt = 1; attempt <= 10; attempt++) {
      registered = await call(busy.base, 'POST', `${P}/register`, { json: { email, password: PASSWORD } });
      if (registered.status !== 503) break;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    assert.equal(registered.status, 202, `POST ${P}/register: ${registered.status} ${registered.text}`);
    assert.deepEqual(api.responseProblems('POST', `${P}/register`, registered), []);
    const token = await waitForLinkToken(busy.mailDir, email, 'confirm.html', seenTokens);
    const redirected = await expect('GET', `${P}/confirm?token=${token}`, { on: busy, status: 303 });
    assert.equal(redirected.headers.location, 'http://app.test/welcome.html');
    for (const [target, json] of [
      [`${P}/login`, { email: newEmail('busy'), password: PASSWORD }],
      [`${P}/register`, { email: newEmail('busy'), password: PASSWORD }],
      [`${P}/password/reset`, { token: 'whatever', password: PASSWORD }],
    ]) {
      let refused = null;
      for (let attempt = 0; attempt < 10 && !refused; attempt += 1) {
        // On a loaded machine the blocker may reach the queue after the target and be the one
        // refused: then this attempt proves nothing and the next one tries again.
        const blocker = call(busy.base, 'POST', `${P}/login`, { json: { email: newEmail('blocker'), password: PASSWORD } });
        await sleep(250);  // the blocker's hash has started (it takes about a second)
        const response = await call(busy.base, 'POST', target, { json });
        assert.deepEqual(api.responseProblems('POST', target, response), []);
        const blocked = await blocker;
        assert.deepEqual(api.responseProblems('POST', `${P}/login`, blocked), []);
        assert.ok([401, 503].includes(blocked.status), `the blocker: ${blocked.status}`);
        if (response.status === 503 && blocked.status === 401) refused = response;
      }
      assert.ok(refused, `${target} was never refused`);
      assert.equal(refused.body.error, 'service_unavailable');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.equal(refused.headers['set-cookie'], undefined);
    }
  } finally {
    await busy.stop();
  }
});

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret at unix time `at`. */
function totp(secret, at) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/** Now, at least two seconds away from either end of its 30 s step (waits when it is not). */
async function insideAStep() {
  for (;;) {
    const ms = Date.now() % 30000;
    if (ms >= 2000 && ms <= 27000) return Math.floor(Date.now() / 1000);
    await sleep(ms < 2000 ? 2000 - ms : 32000 - ms);
  }
}

test('TOTP: setup, enable, the mfaRequired login, verify, step-up, recovery codes, disable', async () => {
  const email = newEmail('mfa');
  await registerAndConfirm(email);
  const before = await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 200 });
  const auth = bearer(before.body.accessToken);
  assert.equal(before.body.user.mfa.totp, false);
  await expect('POST', `${P}/mfa/totp/setup`, { status: 401, error: 'invalid_token' });
  await expect('POST', `${P}/mfa/totp/enable`, { json: { code: '123456', password: PASSWORD }, headers: auth, status: 409, error: 'mfa_not_set_up' });
  const setup = await expect('POST', `${P}/mfa/totp/setup`, { headers: auth, status: 200 });
  const { secret } = setup.body;
  const now = await insideAStep();
  const wrong = totp(secret, now) === '000000' ? '000001' : '000000';
  await expect('POST', `${P}/mfa/totp/enable`, { json: { code: wrong, password: PASSWORD }, headers: auth, status: 400, error: 'invalid_code' });
  await expect('POST', `${P}/mfa/totp/enable`, { json: { code: '12a', password: PASSWORD }, conforming: false, headers: auth, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/mfa/totp/enable`, { json: { code: totp(secret, now - 30), password: 'wrong password!' }, headers: auth, status: 401, error: 'invalid_credentials' });
  const enabled = await expect('POST', `${P}/mfa/totp/enable`, { json: { code: totp(secret, now - 30), password: PASSWORD }, headers: auth, status: 200 });
  assert.equal(enabled.body.recoveryCodes.length, 10);
  await expect('POST', `${P}/mfa/totp/setup`, { headers: auth, status: 409, error: 'mfa_already_enabled' });

  const first = await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 200 });
  assert.equal(first.body.mfaRequired, true);
  assert.equal(first.headers['set-cookie'], undefined);
  const { mfaToken } = first.body;
  await expect('POST', `${P}/mfa/verify`, { json: { mfaToken, code: '12' }, conforming: false, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/mfa/verify`, { json: { mfaToken: 'not-a-real-token', code: totp(secret, now) }, status: 401, error: 'invalid_mfa_token' });
  const signedIn = await expect('POST', `${P}/mfa/verify`, { json: { mfaToken, code: totp(secret, now) }, status: 200 });
  assert.equal(signedIn.body.user.mfa.totp, true);
  const again = await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 200 });
  await expect('POST', `${P}/mfa/verify`, { json: { mfaToken: again.body.mfaToken, code: totp(secret, now) }, status: 401, error: 'invalid_code' });

  await expect('POST', `${P}/mfa/step-up`, { json: { code: totp(secret, now + 30) }, status: 401, error: 'invalid_token' });
  await expect('POST', `${P}/mfa/step-up`, { json: { code: 7 }, conforming: false, headers: auth, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/mfa/step-up`, { json: { code: totp(secret, now + 30) }, headers: auth, status: 200 });
  await expect('POST', `${P}/mfa/step-up`, { json: { code: totp(secret, now + 30) }, headers: auth, status: 401, error: 'invalid_code' });

  const [code0, code1] = enabled.body.recoveryCodes;
  await expect('POST', `${P}/mfa/verify`, { json: { mfaToken: again.body.mfaToken, recoveryCode: code0 }, status: 200 });
  await expect('POST', `${P}/mfa/totp/disable`, { json: { password: 'wrong password!', recoveryCode: code1 }, headers: auth, status: 401, error: 'invalid_credentials' });
  await expect('POST', `${P}/mfa/totp/disable`, { json: { password: PASSWORD, recoveryCode: code0 }, headers: auth, status: 401, error: 'invalid_code' });
  await expect('POST', `${P}/mfa/totp/disable`, { json: { password: PASSWORD }, conforming: false, headers: auth, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/mfa/totp/disable`, { json: { password: PASSWORD, recoveryCode: code1 }, headers: auth, status: 204 });
  await expect('POST', `${P}/mfa/totp/disable`, { json: { password: PASSWORD, recoveryCode: code1 }, headers: auth, status: 409, error: 'mfa_not_enabled' });
  await expect('POST', `${P}/mfa/step-up`, { json: { code: totp(secret, now) }, headers: auth, status: 409, error: 'mfa_not_enabled' });
});

test('passkeys: options, register, the list, a sign-in without a password, the second factor, step-up, removal', async () => {
  const email = newEmail('passkey');
  await registerAndConfirm(email);
  const login = await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 200 });
  const auth = bearer(login.body.accessToken);
  await expect('POST', `${P}/passkeys/register/options`, { status: 401, error: 'invalid_token' });
  const creation = await expect('POST', `${P}/passkeys/register/options`, { headers: auth, status: 200 });
  assert.equal(creation.body.rp.id, '127.0.0.1');  // no webauthn config: the host's own name
  const authenticator = new PasskeyAuthenticator(host.base);
  await expect('POST', `${P}/passkeys/register`, { json: { credential: { id: 'x' } }, conforming: false, headers: auth, status: 400, error: 'invalid_request' });
  await expect('POST', `${P}/passkeys/register`, { json: { credential: authenticator.create(creation.body, { origin: 'http://evil.example' }) }, headers: auth, status: 401, error: 'invalid_credential' });
  const added = await expect('POST', `${P}/passkeys/register`, { json: { credential: authenticator.create(creation.body), name: 'Journey key' }, headers: auth, status: 201 });
  assert.equal(added.body.name, 'Journey key');
  await expect('GET', `${P}/passkeys`, { status: 401, error: 'invalid_token' });
  const listed = await expect('GET', `${P}/passkeys`, { headers: auth, status: 200 });
  assert.deepEqual(listed.body.passkeys.map((p) => [p.id, p.lastUsedAt, p.flagged]), [[added.body.id, null, false]]);

  const request = await expect('POST', `${P}/passkeys/login/options`, { status: 200 });
  const assertion = authenticator.get(request.body);
  await expect('POST', `${P}/passkeys/login`, { json: {}, conforming: false, status: 400, error: 'invalid_request' });
  const signedIn = await expect('POST', `${P}/passkeys/login`, { json: { credential: assertion }, status: 200 });
  assert.deepEqual(JSON.parse(Buffer.from(signedIn.body.accessToken.split('.')[1], 'base64url')).amr, ['hwk', 'user']);
  assert.equal(signedIn.body.user.mfa.passkeys, 1);
  await expect('POST', `${P}/passkeys/login`, { json: { credential: assertion }, status: 401, error: 'invalid_credential' });

  const first = await expect('POST', `${P}/login`, { json: { email, password: PASSWORD }, status: 200 });
  assert.deepEqual(first.body.methods, ['passkey']);
  const second = authenticator.get((await expect('POST', `${P}/passkeys/login/options`, { status: 200 })).body);
  await expect('POST', `${P}/mfa/verify`, { json: { mfaToken: first.body.mfaToken, credential: { ...second, id: 'AAAA', rawId: 'AAAA' } }, status: 401, error: 'invalid_credential' });
  await expect('POST', `${P}/mfa/verify`, { json: { mfaToken: first.body.mfaToken, credential: second }, status: 200 });
  const stepUp = authenticator.get((await expect('POST', `${P}/passkeys/login/options`, { status: 200 })).body);
  await expect('POST', `${P}/mfa/step-up`, { json: { credential: stepUp }, headers: auth, status: 200 });

  await expect('DELETE', `${P}/passkeys/0123456789abcdef0123456789abcdef`, { headers: auth, status: 404, error: 'not_found' });
  const old = resigned(login.body.accessToken, host.secret, { auth_time: Math.floor(Date.now() / 1000) - 3600 });
  await expect('DELETE', `${P}/passkeys/${added.body.id}`, { headers: bearer(old), status: 403, error: 'reauthentication_required' });
  await expect('DELETE', `${P}/passkeys/${added.body.id}`, { headers: auth, status: 204 });
});

test('every route of the document was called and checked', async () => {
  await sleep(0);
  const called = new Set([...api.seen].map((entry) => entry.split(' ').slice(0, 2).join(' ')));
  const missed = api.operations().filter((operation) => !called.has(operation));
  assert.deepEqual(missed, []);
});
