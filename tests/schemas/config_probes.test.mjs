// The contract's rule (CONTRACT §7) for schemas/config.schema.json: a config the schema refuses is
// one `latchkey --check-config` refuses too, checked over thousands of configs made from a full one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { configFolder, env, everyKey, hs256, leaves, validate, withAuth } from './config_support.mjs';
import { checkConfig, paths } from './support.mjs';

let folder;
before(async () => { folder = await configFolder(); });
after(async () => { await folder?.remove(); });
const writeConfig = (config) => folder.write(config);

// Every key of a full config is set to values of every type and around every bound, left out, or
// joined by an unknown key; each config the schema refuses must be refused by --check-config as
// well (many auth configs are checked in one run, one plugin entry each). What the schema lets
// through for --check-config to refuse (files, keys, cross-field rules) is not probed.
const probeValues = [null, true, false, 'text', '', '/', '/x', 'None', -1, 0, 1, 1.5, 7, 8, 9, 10, 59, 60, 63, 64,
  255, 256, 257, 299, 300, 301, 399, 400, 499, 500, 1024, 1025, 4096, 4097, 60000, 60001, 86400, 86401,
  2592000, 2592001, 31536000, 31536001, 4194304, 4194305, 67108864, 67108865, 4294967296, [], ['x'], [1], {}, { x: 1 }];

function setAt(root, tokens, value) {
  const copy = structuredClone(root);
  if (tokens.length === 0) return value;
  let node = copy;
  for (const token of tokens.slice(0, -1)) node = node[token];
  if (value === undefined) delete node[tokens.at(-1)];
  else node[tokens.at(-1)] = value;
  return copy;
}
function mutations(base) {
  const out = [];
  for (const tokens of leaves(base)) {
    for (const value of probeValues) out.push([tokens, value]);
    if (tokens.length && typeof tokens.at(-1) === 'string') out.push([tokens, undefined]);  // the key left out
    const node = tokens.reduce((inner, token) => inner[token], base);
    if (node && typeof node === 'object' && !Array.isArray(node)) out.push([[...tokens, 'unknown_key'], 1]);
  }
  return out.map(([tokens, value]) => ({ tokens, value, config: setAt(base, tokens, value) }));
}
const pointerOf = (tokens) => tokens.map((t) => `/${t}`).join('');

/** Runs `work` on every item, at most `limit` at once (each --check-config is a process of its own). */
async function inPool(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

test('no auth config the schema refuses is accepted by --check-config (every key, every type, every bound)', async (t) => {
  const eddsa = { ...everyKey, tokens: { ...everyKey.tokens, algorithm: 'EdDSA', secret: null, private_key_file: 'ed25519.pem', verify_keys: [{ kid: 'old', file: 'old-public.pem', secret: null }] } };
  const probes = [...mutations(everyKey), ...mutations(eddsa)]
    .filter((probe) => !validate(withAuth(probe.config)));  // only what the schema refuses
  assert.ok(probes.length > 2000, `only ${probes.length} refused probes`);
  const missed = [];
  // A plugin config that is not an object is the host's error, and the host checks no plugin's
  // config while its own has errors: those probes run one per config.
  const hostErrors = probes.filter((probe) => !probe.config || typeof probe.config !== 'object' || Array.isArray(probe.config));
  const chunks = hostErrors.map((probe) => [probe]);
  const batched = probes.filter((probe) => !hostErrors.includes(probe));
  for (let start = 0; start < batched.length; start += 250) chunks.push(batched.slice(start, start + 250));
  await inPool(chunks, 4, async (chunk) => {
    const config = { plugins: chunk.map((probe, i) => ({ name: `probe${i}`, path: paths.auth, config: probe.config })) };
    const result = await checkConfig(await writeConfig(config), env);
    assert.equal(result.signal, null);
    chunk.forEach((probe, i) => {
      if (!result.stderr.includes(`/plugins/${i}/`) && !result.stderr.includes(`/plugins/${i}:`)) {
        missed.push(`${pointerOf(probe.tokens)} = ${JSON.stringify(probe.value)}`);
      }
    });
  });
  t.diagnostic(`${probes.length} refused probes checked`);
  assert.deepEqual(missed, [], 'the schema refuses these, --check-config accepts them');
});

test('no host config the schema refuses is accepted by --check-config', async (t) => {
  const base = withAuth(hs256, {
    listen: '127.0.0.1:8080', threads: 8, max_body_bytes: 65536, static: { '/': '.' },
    metrics: { path: '/metrics', allow: ['127.0.0.0/8', '::1/128'] }, health: { live: '/healthz', ready: '/readyz' },
  });
  const probes = mutations({ ...base, plugins: [] })
    .filter((probe) => probe.tokens[0] !== 'plugins')
    .map((probe) => ({ ...probe, config: { ...probe.config, plugins: base.plugins } }))
    .filter((probe) => !validate(probe.config));
  const missed = [];
  await inPool(probes, 4, async (probe) => {
    const result = await checkConfig(await writeConfig(probe.config), env);
    assert.equal(result.signal, null);
    if (result.code === 0) missed.push(`${pointerOf(probe.tokens)} = ${JSON.stringify(probe.value)}`);
  });
  t.diagnostic(`${probes.length} refused probes checked`);
  assert.deepEqual(missed, [], 'the schema refuses these, --check-config accepts them');
});
