// The examples run against the in-process emulator, so they cannot rot: examples/quickstart.mjs as a user would run
// it (a child process with NEON_API_KEY / NEON_API_HOST pointing at the emulator), examples/testing.test.mjs with
// `node --test`, scripts/demo.mjs as it is. examples/quickstart.ts is type-checked by `npm run check-types`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { Emulator } from 'neon-api-keys/testing';
import { NEON_ENV_VARS, PACKAGE_DIR } from './helpers.mjs';

const run = promisify(execFile);

let emu;
before(async () => { emu = await Emulator.start(); });
after(() => emu?.stop());

/** This process's environment without any NEON_* variable, plus `vars`. */
function childEnv(vars) {
  const env = { ...process.env };
  for (const name of NEON_ENV_VARS) delete env[name];
  delete env.NODE_TEST_CONTEXT; // a nested `node --test` would report to this runner instead of printing
  return { ...env, ...vars };
}

test('examples/quickstart.mjs runs against the emulator and never prints a secret', async () => {
  emu.reset();
  const { stdout, stderr } = await run(process.execPath, [path.join('examples', 'quickstart.mjs')],
    { cwd: PACKAGE_DIR, env: childEnv(emu.env()) });
  assert.equal(stderr, '');
  assert.match(stdout, /created \{[^]*key: ApiKeySecret \[REDACTED\]/);
  assert.match(stdout, /secret of 64 characters stored/);
  assert.match(stdout, /rotated to 5001; the old key 5000 revoked: true/);
  assert.match(stdout, /authenticated as api_key_user/);
  assert.match(stdout, /already revoked \(NEON_NOT_FOUND, HTTP 404\)/);
  const secrets = Object.values(await emu.secrets());
  assert.ok(secrets.length > 5);
  for (const secret of secrets) assert.ok(!stdout.includes(secret), 'a secret was printed');
  const keys = (await emu.keys()).filter((k) => k.name.startsWith('quickstart-ci'));
  assert.deepEqual(keys.map((k) => [k.name, k.revoked]), [['quickstart-ci', true], ['quickstart-ci-2', true]]);
});

test('examples/quickstart.mjs without a key fails with NeonConfigError naming NEON_API_KEY', async () => {
  const failure = await run(process.execPath, [path.join('examples', 'quickstart.mjs')],
    { cwd: PACKAGE_DIR, env: childEnv({ NEON_API_HOST: emu.baseUrl }) }).catch((error) => error);
  assert.equal(failure.code, 1);
  assert.match(failure.stderr, /NeonConfigError/);
  assert.match(failure.stderr, /NEON_API_KEY/);
});

test('examples/testing.test.mjs passes under node --test', async () => {
  const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', path.join('examples', 'testing.test.mjs')],
    { cwd: PACKAGE_DIR, env: childEnv({}) });
  assert.match(stdout, /^# pass 4$/m);
  assert.match(stdout, /^# fail 0$/m);
});

test('scripts/demo.mjs runs: a rotation with a store, a refusing store, an audit with since; no secret printed', async () => {
  const { stdout, stderr } = await run(process.execPath, [path.join('scripts', 'demo.mjs')],
    { cwd: PACKAGE_DIR, env: childEnv({}) });
  assert.equal(stderr, '');
  assert.match(stdout, /the vault holds the new secret: 64 characters; old revoked: true/);
  assert.match(stdout, /a refusing store: "the vault is read-only"; the store failed, so the new key \d+ was revoked/);
  assert.match(stdout, /personal keys unused since 2025: demo-old/);
  assert.doesNotMatch(stdout, /[a-z0-9]{64}/, 'no secret (64 characters of [a-z0-9]) is printed');
});
