#!/usr/bin/env node
// Runs schema test files with node's test runner (TAP: ends with "# pass N" / "# fail N") and exits
// with its status. Usage: node tests/schemas/run.mjs [FILE.test.mjs ...] (default: all of them).
// Environment: see support.mjs (LATCHKEY_BUILD_DIR defaults to <repo>/build).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
for (const module of ['ajv', 'ajv-formats', '@seriousme/openapi-schema-validator']) {
  if (!existsSync(path.join(here, 'node_modules', module))) {
    console.error(`schemas: ${module} is not installed: run script/bootstrap (or npm ci in ${here})`);
    process.exit(1);
  }
}
const env = { ...process.env };
for (const name of ['LATCHKEY_BUILD_DIR', 'LATCHKEY_HOST', 'LATCHKEY_AUTH_PLUGIN', 'LATCHKEY_AUTH_CLI', 'SCHEMAS_TMPDIR']) {
  if (env[name]) env[name] = path.resolve(env[name]);
}
const files = process.argv.length > 2 ? process.argv.slice(2)
  : readdirSync(here).filter((name) => name.endsWith('.test.mjs')).sort();
const child = spawn(process.execPath, ['--test', '--test-reporter=tap', ...files], { cwd: here, env, stdio: 'inherit' });
// A hard bound (ctest has its own; this one also holds when run by hand).
const limit = setTimeout(() => { console.error('schemas: timed out after 240 s'); child.kill('SIGTERM'); }, 240_000);
child.on('exit', (code, signal) => { clearTimeout(limit); process.exit(code ?? (signal ? 1 : 0)); });
