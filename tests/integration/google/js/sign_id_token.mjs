// Signs one ID token with the npm `jose` package (an independent JOSE implementation), so the
// Google sign-in tests do not only test Latchkey against itself.
// Usage: node sign_id_token.mjs PKCS8_PEM_FILE KID CLAIMS_JSON   -> the compact JWS on stdout
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';

// jose uses the global Web Crypto object, which Node.js has only from version 19; Debian 12
// ships Node.js 18, where it is `crypto.webcrypto`. Set it before jose is loaded.
globalThis.crypto ??= webcrypto;
const { SignJWT, importPKCS8 } = await import('jose');

const [pemFile, kid, claimsJson] = process.argv.slice(2);
const key = await importPKCS8(readFileSync(pemFile, 'utf8'), 'RS256');
const token = await new SignJWT(JSON.parse(claimsJson))
  .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
  .sign(key);
process.stdout.write(token);
