// The fastify peer of `script/bench peers`: what a user would pick instead of Latchkey, set up as
// its documentation shows (one Node process, fastify's defaults, no logger), serving the same
// routes as the host with the hello plugin and checking the same tokens.
//
//   GET  /hello          public: the hello plugin's 13 bytes of text/plain
//   GET  /hello/private  @fastify/jwt verifies an HS256 Bearer token (the host's access tokens:
//                        same secret, issuer and audience); answers "hello, <sub>"
//   POST /login          {"email", "password"}: npm argon2 verifies an Argon2id hash at the
//                        host's cost (19 MiB, t=2, p=1), then an access token is signed
//
// Environment: PEER_SECRET (the HS256 secret, required), PEER_PORT (0: the kernel chooses),
// PEER_EMAIL and PEER_PASSWORD (the one user), PEER_ISSUER and PEER_AUDIENCE ("latchkey").
// Prints the CPU time of one argon2 verification (the median of PEER_HASH_SAMPLES, default 9, run
// one after the other before serving) as "argon2_verify_cpu_us=N", then
// "listening on http://127.0.0.1:PORT" once it serves.
'use strict';

const crypto = require('node:crypto');
const argon2 = require('argon2');
const fastify = require('fastify')({ logger: false });

const secret = process.env.PEER_SECRET;
if (!secret) {
  console.error('fastify_peer: PEER_SECRET is not set');
  process.exit(2);
}
const issuer = process.env.PEER_ISSUER || 'latchkey';
const audience = process.env.PEER_AUDIENCE || 'latchkey';

fastify.register(require('@fastify/jwt'), {
  secret,
  sign: { algorithm: 'HS256', iss: issuer, aud: audience, expiresIn: '15m' },
  verify: { algorithms: ['HS256'], allowedIss: issuer, allowedAud: audience },
});

const users = new Map();  // email -> { id, hash }

fastify.get('/hello', async (request, reply) => {
  reply.type('text/plain; charset=utf-8');
  return 'hello, world\n';
});

fastify.get('/hello/private', {
  // @fastify/jwt's documented guard; its errors carry the 401.
  onRequest: async (request, reply) => {
    try {
      await request.jwtVerify();
    } catch (error) {
      return reply.send(error);
    }
  },
}, async (request, reply) => {
  reply.type('text/plain; charset=utf-8');
  return `hello, ${request.user.sub}\n`;
});

fastify.post('/login', async (request, reply) => {
  const { email, password } = request.body || {};
  const user = typeof email === 'string' ? users.get(email) : undefined;
  if (!user || typeof password !== 'string' || !(await argon2.verify(user.hash, password))) {
    return reply.code(401).send({ error: 'invalid_credentials' });
  }
  const accessToken = fastify.jwt.sign({ sub: user.id, sid: crypto.randomBytes(16).toString('hex') });
  return { accessToken, expiresIn: 900 };
});

async function main() {
  const email = process.env.PEER_EMAIL || 'bench@example.com';
  const password = process.env.PEER_PASSWORD || 'bench-password-123';
  const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  users.set(email, { id: crypto.randomBytes(16).toString('hex'), hash });
  // What one verification costs the process (the hash runs on libuv's pool: process-wide CPU).
  const samples = [];
  for (let i = 0; i < Number(process.env.PEER_HASH_SAMPLES || 9); ++i) {
    const before = process.cpuUsage();
    await argon2.verify(hash, password);
    const used = process.cpuUsage(before);
    samples.push(used.user + used.system);
  }
  samples.sort((a, b) => a - b);
  console.log(`argon2_verify_cpu_us=${samples.length ? samples[samples.length >> 1] : 0}`);
  const address = await fastify.listen({ host: '127.0.0.1', port: Number(process.env.PEER_PORT || 0) });
  console.log(`listening on ${address}`);
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => fastify.close().then(() => process.exit(0)));
main().catch((error) => {
  console.error(`fastify_peer: ${error.message}`);
  process.exit(1);
});
