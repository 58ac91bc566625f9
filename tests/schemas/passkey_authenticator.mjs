// A software passkey authenticator for the OpenAPI journey, independent of the C++ one in
// tests/support: an ES256 key from node:crypto, the few CBOR shapes WebAuthn needs (RFC 8949: small
// unsigned and negative integers, byte and text strings, maps), and the JSON a browser's
// PublicKeyCredential.toJSON() posts. Options in, credential out.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest();

function head(major, length) {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  throw new Error('longer than this encoder needs');
}

/** CBOR of a number (integer), string, Buffer or Map. */
export function cbor(value) {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  }
  throw new Error(`cannot encode ${typeof value}`);
}

export class PasskeyAuthenticator {
  /** origin: what clientDataJSON says (the page's origin). */
  constructor(origin) {
    this.origin = origin;
    this.keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.credentialId = randomBytes(32);
    this.counter = 0;
    this.userHandle = null;
  }

  clientData(type, challenge, origin) {
    return Buffer.from(JSON.stringify({ type, challenge, origin: origin ?? this.origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() from PublicKeyCredentialCreationOptions as JSON. */
  create(options, { origin } = {}) {
    this.userHandle = Buffer.from(options.user.id, 'base64url');
    const { x, y } = this.keys.publicKey.export({ format: 'jwk' });
    const coseKey = cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(x, 'base64url')], [-3, Buffer.from(y, 'base64url')]]));
    const length = Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 0xff]);
    const authData = Buffer.concat([sha256(options.rp.id), Buffer.from([0x45, 0, 0, 0, 0]), Buffer.alloc(16), length,
      this.credentialId, coseKey]);
    const attestationObject = cbor(new Map([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return this.credential({
      clientDataJSON: this.clientData('webauthn.create', options.challenge, origin).toString('base64url'),
      attestationObject: attestationObject.toString('base64url'),
      transports: ['internal'],
    });
  }

  /** navigator.credentials.get() from PublicKeyCredentialRequestOptions as JSON. */
  get(options) {
    this.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const authenticatorData = Buffer.concat([sha256(options.rpId), Buffer.from([0x05]), counter]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      { key: this.keys.privateKey, dsaEncoding: 'der' });
    return this.credential({
      clientDataJSON: clientDataJSON.toString('base64url'),
      authenticatorData: authenticatorData.toString('base64url'),
      signature: signature.toString('base64url'),
      userHandle: this.userHandle.toString('base64url'),
    });
  }

  credential(response) {
    const id = this.credentialId.toString('base64url');
    return { id, rawId: id, type: 'public-key', response, clientExtensionResults: {}, authenticatorAttachment: 'platform' };
  }
}
