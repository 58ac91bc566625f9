// The independent check of our passkey ceremonies: @simplewebauthn/server (npm, written apart from
// our C++) verifies the responses the page sent against the options it received. What our server
// accepted must verify here too; what it refuses must be refused here too.
import { createHash, createPublicKey, verify } from 'node:crypto';

import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const CEREMONY_ROUTES = ['/passkeys/register', '/passkeys/login', '/mfa/verify', '/mfa/step-up'];

/** The challenge a response's clientDataJSON names (base64url text). */
export function challengeOf(credential) {
  return JSON.parse(Buffer.from(credential.response.clientDataJSON, 'base64url').toString('utf8')).challenge;
}

export class PasskeyOracle {
  #origin;
  #credentials = new Map();   // credential id (base64url) → the AuthenticatorDevice simplewebauthn keeps

  /** @param {string} origin the page's origin, e.g. http://localhost:PORT */
  constructor(origin) { this.#origin = origin; }

  /**
   * Verifies a registration response against its creation options. Resolves to {verified, error};
   * a verified credential is remembered for later assertions.
   */
  async registration(credential, options) {
    try {
      const { verified, registrationInfo } = await verifyRegistrationResponse({
        response: credential, expectedChallenge: options.challenge, expectedOrigin: this.#origin,
        expectedRPID: options.rp.id, requireUserVerification: true,
        supportedAlgorithmIDs: options.pubKeyCredParams.map((param) => param.alg),
      });
      if (verified) {
        const { credentialID, credentialPublicKey, counter } = registrationInfo;
        this.#credentials.set(Buffer.from(credentialID).toString('base64url'), { credentialID, credentialPublicKey, counter });
      }
      return { verified };
    } catch (error) {
      return { verified: false, error: error.message };
    }
  }

  /** Verifies an assertion against its request options; the counter it saw is kept. */
  async authentication(credential, options, { trackCounter = true } = {}) {
    const authenticator = this.#credentials.get(credential.rawId);
    if (!authenticator) return { verified: false, error: 'a credential the oracle never saw registered' };
    try {
      const { verified, authenticationInfo } = await verifyAuthenticationResponse({
        response: credential, expectedChallenge: options.challenge, expectedOrigin: this.#origin,
        expectedRPID: options.rpId, authenticator, requireUserVerification: true,
      });
      if (verified && trackCounter) authenticator.counter = authenticationInfo.newCounter;
      if (!verified && hasShortEcdsaComponent(credential) && es256SignatureVerifies(credential, authenticator)) {
        // The counter the oracle would have kept (authenticatorData bytes 33-36, big-endian).
        if (trackCounter) authenticator.counter = Buffer.from(credential.response.authenticatorData, 'base64url').readUInt32BE(33);
        return { verified: true, note: 'signature checked with node:crypto (the oracle 9.0.3 ES256 defect)' };
      }
      return { verified };
    } catch (error) {
      return { verified: false, error: error.message };
    }
  }

  /** Verifies each recorded ceremony (registrations first met first); resolves to their verdicts. */
  async check(ceremonies) {
    const verdicts = [];
    for (const ceremony of ceremonies) {
      const options = await ceremony.options;
      const verdict = ceremony.route === '/passkeys/register'
        ? await this.registration(ceremony.credential, options)
        : await this.authentication(ceremony.credential, options);
      verdicts.push({ route: ceremony.route, status: await ceremony.status, ...verdict });
    }
    return verdicts;
  }
}

// @simplewebauthn/server 9.0.3, the last version for Node 18, turns an ES256 signature whose r or s
// is shorter than 32 bytes (about 1 in 128 signatures) into a wrong raw form and reports a good
// signature as `verified: false` (SimpleWebAuthn pull request 594, fixed in 10.0.1, which needs
// Node 20). Every other check of verifyAuthenticationResponse throws before the signature's, so a
// `false` without an error on a signature of that shape is checked again, and only the signature:
// OpenSSL (node:crypto) verifies it with the key the oracle registered.
function ecdsaComponents(derSignature) {
  const bytes = Buffer.from(derSignature, 'base64url');
  if (bytes[0] !== 0x30 || bytes[2] !== 0x02) return null;
  const rLength = bytes[3];
  const sAt = 4 + rLength;
  if (bytes[sAt] !== 0x02) return null;
  return [bytes.subarray(4, sAt), bytes.subarray(sAt + 2, sAt + 2 + bytes[sAt + 1])];
}

function hasShortEcdsaComponent(credential) {
  const components = ecdsaComponents(credential.response.signature);
  return components !== null &&
    components.some((component) => (component[0] === 0 ? component.length - 1 : component.length) < 32);
}

function es256SignatureVerifies(credential, authenticator) {
  const cose = isoCBOR.decodeFirst(authenticator.credentialPublicKey);
  if (cose.get(3) !== -7 || cose.get(-1) !== 1) return false;  // ES256 on P-256 only
  const key = createPublicKey({
    format: 'jwk',
    key: { kty: 'EC', crv: 'P-256', x: Buffer.from(cose.get(-2)).toString('base64url'), y: Buffer.from(cose.get(-3)).toString('base64url') },
  });
  const clientDataHash = createHash('sha256').update(Buffer.from(credential.response.clientDataJSON, 'base64url')).digest();
  const signed = Buffer.concat([Buffer.from(credential.response.authenticatorData, 'base64url'), clientDataHash]);
  return verify('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(credential.response.signature, 'base64url'));
}

/**
 * Records the passkey ceremonies of a page: each response it sent (the `credential` of register,
 * login, mfa/verify and step-up), the options it had received just before (creation options for a
 * registration, request options otherwise) and the status our server answered.
 */
export function recordCeremonies(page) {
  const ceremonies = [];
  const latest = { register: null, login: null };
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    const kind = pathname.endsWith('/passkeys/register/options') ? 'register'
      : pathname.endsWith('/passkeys/login/options') ? 'login' : null;
    if (kind && response.ok()) latest[kind] = response.json();
  });
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    const route = CEREMONY_ROUTES.find((candidate) => pathname.endsWith(candidate));
    if (!route || request.method() !== 'POST') return;
    const credential = request.postDataJSON()?.credential;
    if (!credential) return;
    ceremonies.push({
      route, credential,
      options: route === '/passkeys/register' ? latest.register : latest.login,
      status: request.response().then((response) => response?.status() ?? 0),
    });
  });
  return ceremonies;
}
