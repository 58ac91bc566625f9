#!/usr/bin/env node
// Validates host config files against schemas/config.schema.json and prints each problem as
// `FILE: /json/pointer: reason`; exits 1 when any file is refused. Usage:
//   node tests/schemas/validate_config.mjs examples/dev.json [more.json ...]
// (needs this folder's npm packages: script/bootstrap, or npm ci here). `latchkey --check-config`
// remains the authority: it also loads keys, checks files and the database URL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(path.join(here, '../../schemas/config.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);

if (process.argv.length < 3) {
  console.error('usage: node tests/schemas/validate_config.mjs CONFIG.json [...]');
  process.exit(2);
}
let refused = 0;
for (const file of process.argv.slice(2)) {
  let config;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    refused += 1;
    continue;
  }
  if (validate(config)) {
    console.log(`${file}: ok`);
    continue;
  }
  refused += 1;
  for (const error of validate.errors) {
    const key = error.params?.missingProperty ?? error.params?.additionalProperty;
    const pointer = key === undefined ? error.instancePath : `${error.instancePath}/${key}`;
    if (['anyOf', 'if', 'oneOf'].includes(error.keyword)) continue;  // the branches' own errors say more
    console.error(`${file}: ${pointer || '/'}: ${error.keyword === 'additionalProperties' ? 'unknown key' : error.message}`);
  }
}
process.exit(refused ? 1 : 0);
