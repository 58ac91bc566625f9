// schemas/openapi.json is a valid OpenAPI 3.1 document (checked by an OpenAPI validator from npm),
// every schema in it compiles under ajv, and it describes every route, status and error code of
// CONTRACT §3 (and the additions docs/AUTH.md records).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';

import { ApiDocument } from './api_document.mjs';
import { paths, repo } from './support.mjs';

const document = JSON.parse(readFileSync(paths.openapi, 'utf8'));
const api = new ApiDocument(document);
const P = '/api/auth';

test('openapi.json is a valid OpenAPI 3.1 document', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  assert.deepEqual(result.errors, undefined, JSON.stringify(result.errors, null, 2));
  assert.equal(result.valid, true);
  assert.equal(validator.version, '3.1');
  assert.match(document.openapi, /^3\.1\.\d+$/);
});

test('the validator refuses a broken document (it can fail)', async () => {
  const broken = structuredClone(document);
  delete broken.paths[`${P}/login`].post.responses;
  broken.components.securitySchemes.bearerAuth.type = 'password';
  const result = await new Validator().validate(broken);
  assert.equal(result.valid, false);
});

test('every schema of the document compiles under ajv (JSON Schema 2020-12)', () => {
  const schemas = [];
  const walk = (node, tokens) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && value && typeof value === 'object') schemas.push([...tokens, key]);
      else walk(value, [...tokens, key]);
    }
  };
  walk(document.paths, ['paths']);
  walk(document.components, ['components']);
  for (const name of Object.keys(document.components.schemas)) schemas.push(['components', 'schemas', name]);
  assert.ok(schemas.length > 40, `only ${schemas.length} schemas found`);
  for (const tokens of schemas) assert.equal(typeof api.validator(tokens), 'function', tokens.join('/'));
});

// CONTRACT §3's table, with docs/AUTH.md's additions (429 on password/change, 503 on the routes
// that hash or read the database, 413 from the host): method, path, status, error codes.
const contract = [
  ['POST', `${P}/register`, 202], ['POST', `${P}/register`, 400, 'invalid_request', 'weak_password'],
  ['POST', `${P}/register`, 503, 'service_unavailable'], ['POST', `${P}/register`, 413, 'body_too_large'],
  ['GET', `${P}/confirm`, 200], ['GET', `${P}/confirm`, 303], ['GET', `${P}/confirm`, 400, 'invalid_token'],
  ['POST', `${P}/confirm`, 200], ['POST', `${P}/confirm`, 400, 'invalid_token', 'invalid_request'],
  ['POST', `${P}/confirm/resend`, 202], ['POST', `${P}/confirm/resend`, 429, 'rate_limited'],
  ['POST', `${P}/login`, 200], ['POST', `${P}/login`, 400, 'invalid_request'], ['POST', `${P}/login`, 401, 'invalid_credentials'],
  ['POST', `${P}/login`, 403, 'email_not_confirmed', 'account_disabled'], ['POST', `${P}/login`, 429, 'rate_limited'],
  ['POST', `${P}/login`, 503, 'service_unavailable'],
  ['POST', `${P}/google`, 200], ['POST', `${P}/google`, 401, 'invalid_credential'],
  ['POST', `${P}/refresh`, 200], ['POST', `${P}/refresh`, 401, 'invalid_refresh_token'], ['POST', `${P}/refresh`, 403, 'origin_not_allowed'],
  ['GET', `${P}/me`, 200], ['GET', `${P}/me`, 401, 'invalid_token', 'token_expired'],
  ['GET', '/api/me', 200], ['GET', '/api/me', 401, 'invalid_token', 'token_expired'],
  ['POST', `${P}/logout`, 204], ['POST', `${P}/logout-all`, 204], ['POST', `${P}/logout-all`, 401, 'invalid_token'],
  ['POST', `${P}/password/forgot`, 202], ['POST', `${P}/password/forgot`, 429, 'rate_limited'],
  ['POST', `${P}/password/reset`, 200], ['POST', `${P}/password/reset`, 400, 'invalid_token', 'weak_password'],
  ['POST', `${P}/password/reset`, 503, 'service_unavailable'],
  ['POST', `${P}/password/change`, 200], ['POST', `${P}/password/change`, 401, 'invalid_credentials', 'invalid_token'],
  ['POST', `${P}/password/change`, 400, 'invalid_request', 'weak_password'], ['POST', `${P}/password/change`, 429, 'rate_limited'],
  ['POST', `${P}/password/change`, 503, 'service_unavailable'],
  ['GET', '/.well-known/jwks.json', 200], ['GET', `${P}/openapi.json`, 200],
  // CONTRACT §10, sessions (docs/AUTH.md "Sessions you can see": 404 not_found).
  ['GET', `${P}/sessions`, 200], ['GET', `${P}/sessions`, 401, 'invalid_token', 'token_expired'],
  ['DELETE', `${P}/sessions/0123abcd`, 204], ['DELETE', `${P}/sessions/0123abcd`, 404, 'not_found'],
  ['DELETE', `${P}/sessions/0123abcd`, 401, 'invalid_token'], ['DELETE', `${P}/sessions/0123abcd`, 403, 'origin_not_allowed'],
  ['POST', `${P}/logout-others`, 204], ['POST', `${P}/logout-others`, 401, 'invalid_token'],
  ['POST', `${P}/logout-others`, 403, 'origin_not_allowed'],
  // CONTRACT §10, magic links (docs/AUTH.md "Magic links").
  ['POST', `${P}/magic-link`, 202], ['POST', `${P}/magic-link`, 400, 'invalid_request'],
  ['POST', `${P}/magic-link`, 429, 'rate_limited'], ['POST', `${P}/magic-link`, 503, 'service_unavailable'],
  ['POST', `${P}/magic-link/verify`, 200], ['POST', `${P}/magic-link/verify`, 400, 'invalid_request'],
  ['POST', `${P}/magic-link/verify`, 401, 'invalid_token'], ['POST', `${P}/magic-link/verify`, 403, 'account_disabled'],
  // CONTRACT §10, passkeys (docs/AUTH.md "Passkeys"), and the second factor they are.
  ['POST', `${P}/passkeys/register/options`, 200], ['POST', `${P}/passkeys/register/options`, 401, 'invalid_token'],
  ['POST', `${P}/passkeys/register/options`, 429, 'rate_limited'],
  ['POST', `${P}/passkeys/register`, 201], ['POST', `${P}/passkeys/register`, 400, 'invalid_request'],
  ['POST', `${P}/passkeys/register`, 401, 'invalid_credential', 'invalid_token'],
  ['POST', `${P}/passkeys/register`, 403, 'origin_not_allowed'],
  ['POST', `${P}/passkeys/login/options`, 200], ['POST', `${P}/passkeys/login/options`, 429, 'rate_limited'],
  ['POST', `${P}/passkeys/login`, 200], ['POST', `${P}/passkeys/login`, 400, 'invalid_request'],
  ['POST', `${P}/passkeys/login`, 401, 'invalid_credential'], ['POST', `${P}/passkeys/login`, 403, 'account_disabled'],
  ['POST', `${P}/passkeys/login`, 429, 'rate_limited'], ['POST', `${P}/passkeys/login`, 503, 'service_unavailable'],
  ['GET', `${P}/passkeys`, 200], ['GET', `${P}/passkeys`, 401, 'invalid_token', 'token_expired'],
  ['DELETE', `${P}/passkeys/0123abcd`, 204], ['DELETE', `${P}/passkeys/0123abcd`, 404, 'not_found'],
  ['DELETE', `${P}/passkeys/0123abcd`, 403, 'reauthentication_required', 'origin_not_allowed'],
  ['DELETE', `${P}/passkeys/0123abcd`, 401, 'invalid_token'],
  ['POST', `${P}/mfa/verify`, 401, 'invalid_code', 'invalid_credential', 'invalid_mfa_token'],
  ['POST', `${P}/mfa/step-up`, 401, 'invalid_code', 'invalid_credential', 'invalid_token'],
];

test('every route, status and error code of CONTRACT §3 is in the document', () => {
  for (const [method, path, status, ...codes] of contract) {
    const op = api.operationTokens(method, path);
    assert.ok(op, `${method} ${path} is missing`);
    const { node: response, tokens } = api.resolve([...op, 'responses', String(status)]);
    assert.ok(response.description, `${method} ${path} ${status}`);
    for (const code of codes) {
      const schema = [...tokens, 'content', 'application/json', 'schema'];
      assert.deepEqual(api.validate(schema, { error: code, message: 'text' }, `${method} ${path} ${status} ${code}`), []);
    }
  }
});

test('error bodies are restricted to their codes, and token answers carry cookies and Retry-After where due', () => {
  const loginProblems = (status, body) => {
    const { tokens } = api.resolve(['paths', `${P}/login`, 'post', 'responses', String(status)]);
    return api.validate([...tokens, 'content', 'application/json', 'schema'], body, `login ${status}`);
  };
  assert.notDeepEqual(loginProblems(401, { error: 'invalid_token', message: 'x' }), []);
  assert.notDeepEqual(loginProblems(401, { error: 'invalid_credentials' }), []);  // message is required
  assert.notDeepEqual(loginProblems(401, { error: 'invalid_credentials', message: 'x', extra: 1 }), []);
  for (const [path, status] of [[`${P}/login`, 429], [`${P}/login`, 503], [`${P}/register`, 503], [`${P}/password/reset`, 503],
    [`${P}/password/change`, 503], [`${P}/confirm/resend`, 429], [`${P}/password/forgot`, 429]]) {
    const { node, tokens } = api.resolve(['paths', path, 'post', 'responses', String(status)]);
    const { node: header } = api.resolve([...tokens, 'headers', 'Retry-After']);
    assert.ok(node.headers['Retry-After'] && header.required, `${path} ${status} has a required Retry-After`);
  }
  for (const path of [`${P}/login`, `${P}/refresh`, `${P}/google`]) {
    const { node } = api.resolve(['paths', path, 'post', 'responses', '200']);
    assert.ok(node.headers['Set-Cookie'], `${path} 200 sets cookies`);
  }
  const { securitySchemes } = document.components;
  assert.equal(securitySchemes.bearerAuth.scheme, 'bearer');
  assert.deepEqual([securitySchemes.accessCookie.in, securitySchemes.accessCookie.name], ['cookie', 'accessToken']);
  assert.deepEqual([securitySchemes.refreshCookie.in, securitySchemes.refreshCookie.name], ['cookie', 'refreshToken']);
});

test('every route the plugin registers (plugin/src/http) is in the document, and no other', () => {
  const folder = path.join(repo, 'plugin/src/http');
  const registered = new Set();
  const pattern = /"(GET|POST|PUT|PATCH|DELETE)",\s*(?:(?:state\.config\.routes\.)?prefix\s*\+\s*"([^"]+)"|"(\/[^"]*)"|(state\.config\.routes\.me_alias))/g;
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.cpp'))) {
    for (const m of readFileSync(path.join(folder, file), 'utf8').matchAll(pattern)) {
      const route = m[2] !== undefined ? `${P}${m[2]}` : m[3] ?? '/api/me';
      registered.add(`${m[1]} ${route.replace(/\/:(\w+)/g, '/{$1}')}`);
    }
  }
  assert.ok(registered.size >= 15, `only ${registered.size} routes found in ${folder}: has its layout changed?`);
  assert.deepEqual([...registered].sort(), api.operations().sort());
});
