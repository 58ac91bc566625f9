// Records real WebAuthn responses from Chromium's virtual authenticator (CDP WebAuthn domain) for
// the unit tests of plugin/src/webauthn: one registration and two assertions per algorithm (ES256,
// EdDSA, RS256), with fixed challenges, plus the credential's private key so that the tests can
// sign a changed response again. Run by hand when the recordings need renewing:
//   node tests/data/webauthn/record.mjs      (needs `npm ci` in tests/e2e and /usr/bin/chromium)
// It serves a blank page on http://localhost:<free port> (Chromium allows WebAuthn on localhost
// over http, not on an IP address) and writes tests/data/webauthn/<algorithm>.json.
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../../e2e/package.json'));
const { chromium } = require('playwright-core');

const ALGORITHMS = [
  { name: 'es256', alg: -7 },
  { name: 'eddsa', alg: -8 },
  { name: 'rs256', alg: -257 },
];
const USER_ID = 'user-42';  // bytes of user.id; comes back as userHandle

// Fixed challenges (base64url of readable text), one per ceremony and algorithm.
function challenge(text) { return Buffer.from(text).toString('base64url'); }

const server = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end('<!doctype html><title>webauthn recorder</title>');
});
await new Promise((resolve) => server.listen(0, 'localhost', resolve));
const origin = `http://localhost:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.LATCHKEY_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  for (const { name, alg } of ALGORITHMS) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
        isUserVerified: true, automaticPresenceSimulation: true,
      },
    });

    const creation = {
      challenge: challenge(`registration challenge for ${name}`),
      rp: { id: 'localhost', name: 'Latchkey' },
      user: { id: Buffer.from(USER_ID).toString('base64url'), name: 'ada@example.com', displayName: 'Ada' },
      pubKeyCredParams: [{ type: 'public-key', alg }],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
      timeout: 30000,
    };
    const registration = await page.evaluate(async (options) => {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
      const credential = await navigator.credentials.create({ publicKey });
      return credential.toJSON();
    }, creation);

    const assertions = [];
    for (const round of [1, 2]) {
      const request = {
        challenge: challenge(`assertion ${round} challenge for ${name}`),
        rpId: 'localhost',
        userVerification: 'required',
        timeout: 30000,
      };
      const credential = await page.evaluate(async (options) => {
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
        return (await navigator.credentials.get({ publicKey })).toJSON();
      }, request);
      assertions.push({ challenge: request.challenge, credential });
    }

    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    if (credentials.length !== 1) throw new Error(`${name}: ${credentials.length} credentials`);
    const [stored] = credentials;
    const recording = {
      recordedWith: `${browser.version()} virtual authenticator (ctap2, internal, resident key, user verification)`,
      rpId: 'localhost',
      origin,
      registration: { challenge: creation.challenge, credential: registration },
      assertions,
      credential: {
        id: Buffer.from(stored.credentialId, 'base64').toString('base64url'),
        privateKeyPkcs8: Buffer.from(stored.privateKey, 'base64').toString('base64url'),
        userHandle: Buffer.from(stored.userHandle, 'base64').toString('base64url'),
        signCount: stored.signCount,
      },
    };
    await writeFile(path.join(here, `${name}.json`), `${JSON.stringify(recording, null, 2)}\n`);
    console.log(`${name}: registration and ${assertions.length} assertions recorded, signCount ${stored.signCount}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
