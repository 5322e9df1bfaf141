// Loading the package: the `exports` map (CommonJS `require` and ESM `import`, `neon-api-keys/testing`),
// `require('./bindings-node')` from the repository root, what `npm pack` ships, and the napi platform packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as neon from 'neon-api-keys';
import {
  Client, NeonClient, NeonError, NeonCancelledError, NeonInternalError, NeonKeychainError, ApiKeySecret, Keychain,
} from 'neon-api-keys';
import * as testing from 'neon-api-keys/testing';
import { PACKAGE_DIR, WORKSPACE_DIR } from './helpers.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));

test('ESM import resolves to lib/index.mjs; every class is a named export', () => {
  assert.equal(fileURLToPath(import.meta.resolve('neon-api-keys')), path.join(PACKAGE_DIR, 'lib', 'index.mjs'));
  const classes = [Client, NeonError, NeonCancelledError, NeonInternalError, NeonKeychainError, ApiKeySecret, Keychain];
  for (const value of classes) {
    assert.equal(typeof value, 'function');
  }
  assert.equal(NeonClient, Client);
  const names = Object.keys(neon).filter((n) => n !== 'default').sort();
  assert.equal(names.filter((n) => /^Neon.+Error$/.test(n)).length, 19);
  assert.ok(['Client', 'NeonClient', 'Keychain', 'ApiKeySecret'].every((n) => names.includes(n)));
  assert.deepEqual(Object.keys(neon.default).sort(), names);
});

test('the core\'s defaults are exported, as the addon has them', () => {
  const native = require('../index.js');
  const addon = Object.keys(native).filter((n) => n.startsWith('DEFAULT_')).sort();
  assert.equal(addon.length, 9);
  assert.deepEqual(Object.keys(neon).filter((n) => n.startsWith('DEFAULT_')).sort(), addon);
  for (const name of addon) assert.equal(neon[name], native[name], name);
  assert.equal(neon.DEFAULT_BASE_URL, 'https://console.neon.tech/api/v2');
  assert.ok(Number.isInteger(neon.DEFAULT_TIMEOUT_MS) && neon.DEFAULT_TIMEOUT_MS > neon.DEFAULT_ATTEMPT_TIMEOUT_MS);
});

test('the ESM entry points list no names: lib/index.js and lib/testing.js are the one list', () => {
  for (const file of ['index.mjs', 'testing.mjs']) {
    const source = readFileSync(path.join(PACKAGE_DIR, 'lib', file), 'utf8');
    const code = source.split('\n').filter((line) => !line.startsWith('//')).join('\n').trim();
    assert.equal(code, `export * from './${file.replace('.mjs', '.js')}';\nexport { default } from './${
      file.replace('.mjs', '.js')}';`, file);
  }
});

test('CommonJS require resolves to lib/index.js and gives the very same objects as import', () => {
  assert.equal(require.resolve('neon-api-keys'), path.join(PACKAGE_DIR, 'lib', 'index.js'));
  const cjs = require('neon-api-keys');
  const names = Object.keys(neon).filter((n) => n !== 'default').sort();
  assert.deepEqual(Object.keys(cjs).sort(), names);
  for (const name of names) assert.equal(cjs[name], neon[name], name);
  // One module instance: an error made through one entry point is an instance of the other's classes.
  assert.ok(new cjs.NeonNotFoundError('x', { kind: 'not_found' }) instanceof neon.NeonError);
});

test('neon-api-keys/testing: Emulator and EmulatorError through import and require', () => {
  assert.equal(fileURLToPath(import.meta.resolve('neon-api-keys/testing')),
    path.join(PACKAGE_DIR, 'lib', 'testing.mjs'));
  assert.equal(require.resolve('neon-api-keys/testing'), path.join(PACKAGE_DIR, 'lib', 'testing.js'));
  const cjs = require('neon-api-keys/testing');
  assert.equal(typeof testing.Emulator.start, 'function');
  assert.equal(cjs.Emulator, testing.Emulator);
  assert.equal(cjs.EmulatorError, testing.EmulatorError);
  assert.deepEqual(Object.keys(testing).filter((n) => n !== 'default').sort(), ['Emulator', 'EmulatorError']);
});

test('internal files are not reachable through the exports map', () => {
  assert.throws(() => require.resolve('neon-api-keys/lib/errors.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  assert.equal(require('neon-api-keys/package.json').name, 'neon-api-keys');
});

test("require('./bindings-node') from the repository root works (CommonJS), and import by path (ESM)", () => {
  const cjs = execFileSync(process.execPath, ['-e', `
    const neon = require('./bindings-node');
    const { Emulator } = require('./bindings-node/lib/testing.js');
    console.log(JSON.stringify([typeof neon.Client, neon.Client === neon.NeonClient, typeof Emulator.start]));`],
  { cwd: WORKSPACE_DIR, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(cjs), ['function', true, 'function']);
  const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { Client } from './bindings-node/lib/index.mjs';
    import { createRequire } from 'node:module';
    const same = createRequire(import.meta.url)('./bindings-node').Client === Client;
    console.log(JSON.stringify([typeof Client, same]));`],
  { cwd: WORKSPACE_DIR, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(esm), ['function', true]);
});

test('package.json: exports conditions with types for both module systems', () => {
  for (const entry of ['.', './testing']) {
    const conditions = pkg.exports[entry];
    assert.deepEqual(Object.keys(conditions), ['import', 'require'], entry);
    for (const condition of ['import', 'require']) {
      assert.deepEqual(Object.keys(conditions[condition]), ['types', 'default'], `${entry} ${condition}`);
      for (const file of Object.values(conditions[condition])) {
        assert.ok(existsSync(path.join(PACKAGE_DIR, file)), file);
      }
    }
  }
  assert.equal(pkg.main, 'lib/index.js');
  assert.equal(pkg.types, 'lib/index.d.ts');
});

test('npm pack ships the entry points, the loader and the addon, and no tests', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: PACKAGE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = packed.files.map((f) => f.path).sort();
  for (const file of ['index.js', 'index.d.ts', 'lib/index.js', 'lib/index.mjs', 'lib/index.d.ts', 'lib/index.d.mts',
    'lib/errors.js', 'lib/client.js', 'lib/arguments.js', 'lib/abort.js', 'lib/rotation.js', 'lib/translate.js',
    'lib/secret.js', 'lib/defaults.js', 'lib/testing.js', 'lib/testing.mjs', 'lib/testing.d.ts', 'lib/testing.d.mts', 'package.json',
    'README.md']) {
    assert.ok(files.includes(file), `${file} is packed`);
  }
  assert.deepEqual(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('npm/')), []);
});

test('napi platform packages: one npm/<platform> directory per target', () => {
  const expected = {
    'x86_64-unknown-linux-gnu': ['linux-x64-gnu', 'linux', 'x64', 'glibc'],
    'aarch64-unknown-linux-gnu': ['linux-arm64-gnu', 'linux', 'arm64', 'glibc'],
    'x86_64-unknown-linux-musl': ['linux-x64-musl', 'linux', 'x64', 'musl'],
    'aarch64-unknown-linux-musl': ['linux-arm64-musl', 'linux', 'arm64', 'musl'],
    'x86_64-apple-darwin': ['darwin-x64', 'darwin', 'x64', undefined],
    'aarch64-apple-darwin': ['darwin-arm64', 'darwin', 'arm64', undefined],
    'x86_64-pc-windows-msvc': ['win32-x64-msvc', 'win32', 'x64', undefined],
  };
  assert.deepEqual([...pkg.napi.targets].sort(), Object.keys(expected).sort());
  assert.equal(pkg.napi.binaryName, 'neon-api-keys');
  for (const [dir, os, cpu, libc] of Object.values(expected)) {
    const platform = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'npm', dir, 'package.json'), 'utf8'));
    assert.equal(platform.name, `neon-api-keys-${dir}`);
    assert.equal(platform.version, pkg.version);
    assert.equal(platform.main, `neon-api-keys.${dir}.node`);
    assert.deepEqual(platform.os, [os]);
    assert.deepEqual(platform.cpu, [cpu]);
    assert.deepEqual(platform.libc, libc === undefined ? undefined : [libc]);
    // The generated loader knows the package to require on that platform.
    assert.ok(readFileSync(path.join(PACKAGE_DIR, 'index.js'), 'utf8').includes(`'neon-api-keys-${dir}'`), dir);
  }
});

/** `{field: type}` of an interface of the generated index.d.ts. */
function generatedInterface(name) {
  const source = readFileSync(path.join(PACKAGE_DIR, 'index.d.ts'), 'utf8');
  const body = source.match(new RegExp(`export interface ${name} \\{([^}]*)\\}`))[1];
  return Object.fromEntries([...body.matchAll(/^\s*(\w+)\?: (.+)$/gm)].map(([, field, type]) => [field, type.trim()]));
}

test('the JS argument tables have every option of the addon, with its type', () => {
  const {
    CLIENT_OPTIONS, CALL_OPTIONS, ROTATE_OPTIONS, ROTATE_KEYCHAIN_OPTIONS, KEY_TO_SAVE,
  } = require('../lib/arguments.js');
  const asTs = (type) => ({ 'number[]': 'Array<number>' })[type] ?? type;
  const table = (shape, ...without) => Object.fromEntries(Object.entries(shape)
    .filter(([name]) => !without.includes(name)).map(([name, type]) => [name, asTs(type)]));
  // `logger` is the JS layer's own (lib/logging.js); the addon takes it apart from the options.
  assert.deepEqual(table(CLIENT_OPTIONS, 'logger'), generatedInterface('ClientOptions'));
  assert.deepEqual(table(CALL_OPTIONS, 'signal'), generatedInterface('CallOptions'));
  assert.deepEqual(table(ROTATE_OPTIONS, 'store', ...Object.keys(CALL_OPTIONS)), generatedInterface('RotateOptions'));
  assert.deepEqual(table(ROTATE_KEYCHAIN_OPTIONS, ...Object.keys(CALL_OPTIONS)), generatedInterface('RotateOptions'));
  // A key to save: its secret travels as an ApiKeySecret, or as `secretText`.
  assert.deepEqual(table({ ...KEY_TO_SAVE, secretText: 'string' }, 'key', 'id', 'name'),
    generatedInterface('KeyToSave'));
});

test('test hooks: in this (test) build, and never in the generated loader or types', () => {
  const native = require('../index.js');
  assert.equal(typeof native.__panicForTests, 'function', 'scripts/test.sh builds with --features test-hooks');
  assert.equal(typeof native.__errorForTests, 'function');
  for (const file of ['index.js', 'index.d.ts']) {
    assert.doesNotMatch(readFileSync(path.join(PACKAGE_DIR, file), 'utf8'), /ForTests/, file);
  }
  const cargo = readFileSync(path.join(PACKAGE_DIR, 'Cargo.toml'), 'utf8');
  assert.match(cargo, /^default = \["emulator"\]$/m, 'test-hooks is not a default feature');
  assert.doesNotMatch(pkg.scripts.build, /test-hooks/, 'the release build script never enables the hooks');
});
