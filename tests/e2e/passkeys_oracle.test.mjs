// Mutated passkey responses, refused alike by our server and by @simplewebauthn/server (the oracle):
// the page's virtual authenticator answers fresh options from our server, the test changes one
// thing (a flag, the RP id hash, the challenge, the CBOR, a signature byte, the origin) or replays
// an accepted response, and sends it from the page. The untouched responses are accepted by both.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { PasskeyOracle, challengeOf } from './passkey_oracle.mjs';
import { addVirtualAuthenticator, createUser, launchBrowser, newContext, signIn, startHost, uniqueEmail } from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// In the page: options from our server, and the authenticator's answer to them, not sent.
// `tamper` changes the options first (a challenge the server never issued, UV not asked for).
async function freshRegistration(page, tamper = {}) {
  return page.evaluate(async (change) => {
    const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const answer = await fetch('/api/auth/passkeys/register/options', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'include' });
    const options = await answer.json();
    const publicKey = {
      ...options, challenge: bytes(change.challenge ?? options.challenge), user: { ...options.user, id: bytes(options.user.id) },
      excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: bytes(c.id) })),
    };
    const credential = await navigator.credentials.create({ publicKey });
    return { options, credential: credential.toJSON() };
  }, tamper);
}

async function freshAssertion(page, tamper = {}) {
  return page.evaluate(async (change) => {
    const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const answer = await fetch('/api/auth/passkeys/login/options', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'include' });
    const options = await answer.json();
    const publicKey = { ...options, challenge: bytes(change.challenge ?? options.challenge), ...change.extra };
    const credential = await navigator.credentials.get({ publicKey });
    return { options, credential: credential.toJSON() };
  }, tamper);
}

// Options from our server, fetched in the page and not used.
function freshOptions(page, kind) {
  return page.evaluate((route) => fetch(route, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'include',
  }).then((answer) => answer.json()), `/api/auth/passkeys/${kind}/options`);
}

// Sends {credential} to a route from the page (its origin, its cookies): {status, error}.
async function send(page, route, credential) {
  return page.evaluate(async ({ route, credential }) => {
    const answer = await fetch(`/api/auth${route}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'include',
      body: JSON.stringify({ credential, name: 'mutated' }) });
    const body = await answer.json().catch(() => null);
    return { status: answer.status, error: body?.error ?? null };
  }, { route, credential });
}

const edit = (text, change) => {
  const bytes = Buffer.from(text, 'base64url');
  change(bytes);
  return bytes.toString('base64url');
};
const withResponse = (credential, response) => ({ ...credential, response: { ...credential.response, ...response } });
const randomChallenge = () => randomBytes(32).toString('base64url');

test('passkeys: mutated responses are refused by our server and by @simplewebauthn/server alike', { timeout: 60_000 }, async () => {
  const host = await startHost({ passkeys: true });
  const oracle = new PasskeyOracle(host.base);
  const context = await newContext(browser);
  try {
    const user = await createUser(host, uniqueEmail('passkey-oracle'));
    const page = await context.newPage();
    const authenticator = await addVirtualAuthenticator(page);
    await signIn(page, host.base, user);
    const rpIdHash = createHash('sha256').update('localhost').digest();
    const refusals = [];
    // Each case: a response made for a fresh challenge, changed in one way; both must refuse it.
    const expectRefused = async (what, route, credential, options, statuses = [401]) => {
      const ours = await send(page, route, credential);
      const theirs = route === '/passkeys/register'
        ? await oracle.registration(credential, options) : await oracle.authentication(credential, options);
      refusals.push(what);
      assert.ok(statuses.includes(ours.status), `${what}: our server answered ${JSON.stringify(ours)}`);
      assert.equal(ours.error, ours.status === 400 ? 'invalid_request' : 'invalid_credential', what);
      assert.equal(theirs.verified, false, `${what}: the oracle verified it`);
    };
    // The authenticator data inside an attestation object: found by its RP id hash.
    const inAttestation = (credential, change) => withResponse(credential, {
      attestationObject: edit(credential.response.attestationObject, (bytes) => change(bytes, bytes.indexOf(rpIdHash))),
    });

    // Registration.
    let fresh = await freshRegistration(page);
    await expectRefused('registration without user verification (UV flag cleared)', '/passkeys/register',
      inAttestation(fresh.credential, (bytes, at) => { bytes[at + 32] &= ~0x04; }), fresh.options);
    fresh = await freshRegistration(page);
    await expectRefused('registration with another RP id hash', '/passkeys/register',
      inAttestation(fresh.credential, (bytes, at) => { bytes[at] ^= 0x01; }), fresh.options);
    fresh = await freshRegistration(page, { challenge: randomChallenge() });
    await expectRefused('registration over a challenge the server never issued', '/passkeys/register',
      fresh.credential, fresh.options);
    fresh = await freshRegistration(page);
    await expectRefused('registration with truncated CBOR', '/passkeys/register',
      withResponse(fresh.credential, { attestationObject: fresh.credential.response.attestationObject.slice(0, 40) }),
      fresh.options, [400]);

    const good = await freshRegistration(page);
    assert.equal((await send(page, '/passkeys/register', good.credential)).status, 201);
    assert.equal((await oracle.registration(good.credential, good.options)).verified, true);
    // The same response again: its challenge is spent (the oracle expects the one now issued).
    await expectRefused('the accepted registration replayed', '/passkeys/register', good.credential,
      await freshOptions(page, 'register'));
    // One passkey per account on an authenticator: the mutated ones were replaced by the good one.
    assert.equal((await authenticator.credentials()).length, 1);

    // Authentication (signing in: the public route).
    fresh = await freshAssertion(page);
    await expectRefused('an assertion with one signature byte flipped', '/passkeys/login',
      withResponse(fresh.credential, { signature: edit(fresh.credential.response.signature, (b) => { b[b.length - 1] ^= 0x01; }) }),
      fresh.options);
    fresh = await freshAssertion(page);
    await expectRefused('an assertion whose clientDataJSON names another origin (not re-signed)', '/passkeys/login',
      withResponse(fresh.credential, { clientDataJSON: Buffer.from(Buffer.from(fresh.credential.response.clientDataJSON, 'base64url')
        .toString('utf8').replace(host.base, 'http://evil.localhost:1')).toString('base64url') }),
      fresh.options);
    fresh = await freshAssertion(page);
    await expectRefused('an assertion with another RP id hash', '/passkeys/login',
      withResponse(fresh.credential, { authenticatorData: edit(fresh.credential.response.authenticatorData, (b) => { b[0] ^= 0x01; }) }),
      fresh.options);
    fresh = await freshAssertion(page, { challenge: randomChallenge() });
    await expectRefused('an assertion over a challenge the server never issued', '/passkeys/login', fresh.credential, fresh.options);
    await authenticator.setUserVerified(false);
    fresh = await freshAssertion(page, { extra: { userVerification: 'discouraged' } });
    await authenticator.setUserVerified(true);
    assert.equal(Buffer.from(fresh.credential.response.authenticatorData, 'base64url')[32] & 0x04, 0, 'UV clear');
    await expectRefused('an assertion without user verification (well signed)', '/passkeys/login', fresh.credential, fresh.options);

    const signIn1 = await freshAssertion(page);
    assert.equal(challengeOf(signIn1.credential), signIn1.options.challenge);
    assert.equal((await send(page, '/passkeys/login', signIn1.credential)).status, 200);
    assert.equal((await oracle.authentication(signIn1.credential, signIn1.options)).verified, true);
    const next = await freshAssertion(page);   // its options are the challenge now outstanding
    await expectRefused('the accepted assertion replayed', '/passkeys/login', signIn1.credential, next.options);
    // The untouched response for that last challenge still signs in: the refusals above were about
    // what was changed, not about the session or the authenticator.
    assert.equal((await send(page, '/passkeys/login', next.credential)).status, 200);
    assert.equal((await oracle.authentication(next.credential, next.options)).verified, true);
    assert.equal(refusals.length, 11);
  } finally {
    await context.close();
    await host.stop();
  }
});
