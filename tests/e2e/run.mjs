#!/usr/bin/env node
// Runs the browser tests with node's test runner (TAP: ends with "# pass N" / "# fail N") and exits
// with its status. Usage: node tests/e2e/run.mjs [node --test options, e.g. --test-name-pattern=tabs]
// Environment: see support.mjs (LATCHKEY_BUILD_DIR defaults to <repo>/build).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
  console.error(`e2e: playwright-core is not installed: run script/bootstrap (or npm ci in ${here})`);
  process.exit(1);
}
// The tests run in this folder: make relative paths from the caller's folder absolute.
const env = { ...process.env };
for (const name of ['LATCHKEY_BUILD_DIR', 'LATCHKEY_HOST', 'LATCHKEY_AUTH_PLUGIN', 'LATCHKEY_AUTH_CLI',
  'LATCHKEY_NOTES_PLUGIN', 'LATCHKEY_CHROMIUM', 'E2E_TMPDIR']) {
  if (env[name]) env[name] = path.resolve(env[name]);
}
const files = readdirSync(here).filter((name) => name.endsWith('.test.mjs')).sort();
const child = spawn(process.execPath,
  ['--test', '--test-reporter=tap', '--test-concurrency=1', ...process.argv.slice(2), ...files],
  { cwd: here, env, stdio: 'inherit' });
// A hard bound on the whole suite (each test has its own timeout well below this).
const limit = setTimeout(() => { console.error('e2e: suite timed out after 300 s'); child.kill('SIGTERM'); }, 300_000);
child.on('exit', (code, signal) => { clearTimeout(limit); process.exit(code ?? (signal ? 1 : 0)); });
