// What `npm install neon-api-keys` gets, tried as a user would: the tarball `npm pack` makes (prepack included) is
// installed offline into a fresh project outside the checkout, with no @types/node.
//  - the tarball: no addon of any build (the binaries live in the napi platform packages), the license texts, every
//    file the README links to;
//  - without its platform package: one clear error naming `neon-api-keys-<platform>` (never the WASI fallback);
//  - with the platform package laid out as npm installs it: the addon loads from there;
//  - the committed npm/<platform>/ packages are what `napi create-npm-dirs` makes, and `napi artifacts` +
//    `napi prepublish --dry-run` accept a release workflow's artifacts (one per target);
//  - the types compile with TypeScript 5.x and 7.x, no @types/node, lib es2022 only, under node10, node16 (CommonJS
//    and ESM) and bundler resolution, for `neon-api-keys` and `neon-api-keys/testing`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync,
  copyFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_DIR, WORKSPACE_DIR } from './helpers.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
const napiCli = path.join(path.dirname(require.resolve('@napi-rs/cli/package.json')), 'dist', 'cli.js');
const HOST = 'linux-x64-gnu'; // the one target built on this machine (scripts/build.sh)
const TRIPLES = {
  'x86_64-unknown-linux-gnu': 'linux-x64-gnu',
  'aarch64-unknown-linux-gnu': 'linux-arm64-gnu',
  'x86_64-unknown-linux-musl': 'linux-x64-musl',
  'aarch64-unknown-linux-musl': 'linux-arm64-musl',
  'x86_64-apple-darwin': 'darwin-x64',
  'aarch64-apple-darwin': 'darwin-arm64',
  'x86_64-pc-windows-msvc': 'win32-x64-msvc',
};
const hostAddon = path.join(PACKAGE_DIR, `neon-api-keys.${HOST}.node`);

let tmp;
let tarball;
let packed;
let consumer;

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Runs `source` as CommonJS (or ESM) in the consumer project; returns {status, stdout, stderr}. */
function nodeIn(dir, source, esm = false) {
  const args = esm ? ['--input-type=module', '-e', source] : ['-e', source];
  return spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
}

/** Places a file, as a hard link when the file system allows (the debug addon is large). */
function place(src, dest) {
  try {
    linkSync(src, dest);
  } catch {
    copyFileSync(src, dest);
  }
}

before(() => {
  assert.ok(process.platform === 'linux' && process.arch === 'x64', 'this test runs on linux-x64 (gnu)');
  assert.ok(existsSync(hostAddon), `${hostAddon} is built (scripts/build.sh)`);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'neon-api-keys-package-'));
  const out = run('npm', ['pack', '--json', '--pack-destination', tmp, '--loglevel=error'], { cwd: PACKAGE_DIR });
  [packed] = JSON.parse(out.slice(out.indexOf('[')));
  tarball = path.join(tmp, packed.filename);
  consumer = path.join(tmp, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: consumer });
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('npm pack: no addon in the tarball, the license texts, and every file the README links to', () => {
  const files = packed.files.map((f) => f.path);
  assert.deepEqual(files.filter((f) => f.endsWith('.node')), [], 'the binaries belong in the platform packages');
  for (const name of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.ok(files.includes(name), `${name} is packed`);
    const installed = readFileSync(path.join(consumer, 'node_modules', 'neon-api-keys', name));
    assert.ok(installed.equals(readFileSync(path.join(WORKSPACE_DIR, name))), `${name} is the repository's text`);
  }
  const readme = readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  const relative = links.filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith('#')).map((l) => l.split('#')[0]);
  assert.ok(relative.length > 0, 'the README links to files of the package');
  for (const link of relative) {
    const target = path.posix.normalize(link);
    assert.ok(files.includes(target) || files.some((f) => f.startsWith(`${target.replace(/\/$/, '')}/`)),
      `the README links to ${link}, which the tarball lacks`);
  }
  assert.ok(packed.size < 200_000, `the tarball is ${packed.size} bytes`);
});

test('without its platform package: one error naming the package to install, never WASI', () => {
  const message = new RegExp(`the native binary for ${HOST} is missing\\. Install the package that holds it: ` +
    `\`npm install neon-api-keys-${HOST}@${pkg.version.replaceAll('.', '\\.')}\``);
  for (const id of ['neon-api-keys', 'neon-api-keys/testing']) {
    const r = nodeIn(consumer, `try { require('${id}'); console.log('loaded'); } catch (e) {
      console.log(JSON.stringify({ message: e.message, code: e.code, pkg: e.platformPackage,
        all: require('node:util').inspect(e) })); }`);
    assert.equal(r.status, 0, r.stderr);
    assert.notEqual(r.stdout.trim(), 'loaded', `${id} loaded without a platform package`);
    const error = JSON.parse(r.stdout);
    assert.equal(error.code, 'ERR_NEON_API_KEYS_NATIVE_BINARY', id);
    assert.equal(error.pkg, `neon-api-keys-${HOST}`);
    assert.match(error.message, message);
    assert.doesNotMatch(error.all, /wasi|wasm/i, 'the error and its causes never mention WASI');
  }
  // ESM: the app stops on its import with that same message. (Node 20 reports a CommonJS module that throws under
  // a static ESM import as uncaught even when a dynamic import() of it is caught, so this is the static form.)
  const r = nodeIn(consumer, "import { Client } from 'neon-api-keys'; console.log('loaded', typeof Client);", true);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, message);
  assert.match(r.stderr, /ERR_NEON_API_KEYS_NATIVE_BINARY/);
  assert.doesNotMatch(r.stderr, /wasi|wasm/i);
});

test('with its platform package installed as npm lays it out, the addon loads from there', () => {
  const dir = path.join(consumer, 'node_modules', `neon-api-keys-${HOST}`);
  mkdirSync(dir, { recursive: true });
  try {
    // A broken binary in the platform package: the error says so and carries the loader's reason.
    cpSync(path.join(PACKAGE_DIR, 'npm', HOST, 'package.json'), path.join(dir, 'package.json'));
    writeFileSync(path.join(dir, `neon-api-keys.${HOST}.node`), 'not an ELF file');
    let r = nodeIn(consumer, `try { require('neon-api-keys') } catch (e) { console.log(JSON.stringify({
      message: e.message, cause: e.cause?.message })) }`);
    const broken = JSON.parse(r.stdout);
    assert.match(broken.message, new RegExp(`neon-api-keys-${HOST} is installed but its native binary did not load`));
    assert.ok(broken.cause, 'the load error is the cause');

    rmSync(path.join(dir, `neon-api-keys.${HOST}.node`));
    place(hostAddon, path.join(dir, `neon-api-keys.${HOST}.node`));
    r = nodeIn(consumer, `const { Client } = require('neon-api-keys');
      const { Emulator } = require('neon-api-keys/testing');
      const addon = Object.keys(require.cache).filter((f) => f.endsWith('.node'));
      (async () => {
        const emu = await Emulator.start();
        const keys = await emu.client().listApiKeys();
        await emu.stop();
        console.log(JSON.stringify({ client: typeof Client, keys: keys.length, addon }));
      })();`);
    assert.equal(r.status, 0, r.stderr);
    const loaded = JSON.parse(r.stdout);
    assert.equal(loaded.client, 'function');
    assert.ok(loaded.keys >= 1);
    assert.deepEqual(loaded.addon, [path.join(dir, `neon-api-keys.${HOST}.node`)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm/<platform>/ is what `napi create-npm-dirs` makes from package.json, and lib/native.js names each', () => {
  const scratch = path.join(tmp, 'create-npm-dirs');
  mkdirSync(scratch);
  cpSync(path.join(PACKAGE_DIR, 'package.json'), path.join(scratch, 'package.json'));
  run(process.execPath, [napiCli, 'create-npm-dirs'], { cwd: scratch });
  const generated = readdirSync(path.join(scratch, 'npm')).sort();
  assert.deepEqual(generated, Object.values(TRIPLES).sort());
  assert.deepEqual(readdirSync(path.join(PACKAGE_DIR, 'npm')).sort(), generated);
  for (const dir of generated) {
    for (const file of ['package.json', 'README.md']) {
      assert.equal(readFileSync(path.join(PACKAGE_DIR, 'npm', dir, file), 'utf8'),
        readFileSync(path.join(scratch, 'npm', dir, file), 'utf8'), `npm/${dir}/${file} is stale: run npx napi create-npm-dirs`);
    }
  }
  const source = readFileSync(path.join(PACKAGE_DIR, 'lib', 'native.js'), 'utf8');
  const listed = source.match(/const PLATFORMS = Object\.freeze\(\[([^\]]*)\]\)/)[1].match(/'[^']+'/g).map((s) => s.slice(1, -1));
  assert.deepEqual(listed.sort(), generated);
});

test('napi artifacts + napi prepublish --dry-run accept one artifact per target, and refuse a missing one', () => {
  const stage = path.join(tmp, 'release');
  mkdirSync(stage);
  cpSync(path.join(PACKAGE_DIR, 'package.json'), path.join(stage, 'package.json'));
  cpSync(path.join(PACKAGE_DIR, 'npm'), path.join(stage, 'npm'), { recursive: true });
  // What actions/download-artifact leaves: artifacts/bindings-<triple>/neon-api-keys.<platform>.node. Small
  // stand-ins for what the release workflow's runners upload (napi copies each one several times; it never loads
  // them, and a real build loads from its platform package in the test above).
  for (const [triple, platform] of Object.entries(TRIPLES)) {
    const dir = path.join(stage, 'artifacts', `bindings-${triple}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `neon-api-keys.${platform}.node`), `stand-in for the ${triple} build\n`);
  }
  run(process.execPath, [napiCli, 'artifacts', '--output-dir', 'artifacts'], { cwd: stage });
  for (const platform of Object.values(TRIPLES)) {
    assert.ok(existsSync(path.join(stage, 'npm', platform, `neon-api-keys.${platform}.node`)), `npm/${platform} got its addon`);
  }
  run(process.execPath, [napiCli, 'prepublish', '-t', 'npm', '--no-gh-release', '--dry-run'], { cwd: stage });

  rmSync(path.join(stage, 'npm', 'darwin-arm64', 'neon-api-keys.darwin-arm64.node'));
  const refused = spawnSync(process.execPath, [napiCli, 'prepublish', '-t', 'npm', '--no-gh-release', '--dry-run'],
    { cwd: stage, encoding: 'utf8' });
  assert.notEqual(refused.status, 0, 'prepublish must refuse a platform package without its addon');
  assert.match(refused.stdout + refused.stderr, /darwin-arm64/);
});

// The TypeScript matrix: each compiler × resolution mode, in the consumer project (no @types anywhere above it).
const TS_FILE_CJS = `import { Client, NeonClient, NeonError, NeonNotFoundError, NeonKeychainError, ApiKeySecret, Keychain,
  type ApiKey, type CallOptions, type CreatedApiKey, type ClientOptions, type Logger, type LogFields, type Rotation,
} from 'neon-api-keys';
import { Emulator, EmulatorError, type Fault, type Seed } from 'neon-api-keys/testing';

export async function main(signal?: CallOptions['signal']): Promise<number> {
  const emu: Emulator = await Emulator.start({ rateLimits: false });
  const seed: Seed = emu.seed;
  const options: ClientOptions = { apiKey: seed.personalApiKey, baseUrl: emu.baseUrl, timeoutMs: 5_000 };
  const client: Client = new NeonClient(options);
  const created: CreatedApiKey = await client.createApiKey('ts', { signal, requestId: 'r-1' });
  const secret: string = created.key.reveal();
  const isSecret: boolean = created.key instanceof ApiKeySecret;
  const keys: ApiKey[] = await client.listApiKeys({ signal });
  const firstUsed: Date | null = keys[0].lastUsedAt;
  const rotation: Rotation = await client.rotateApiKey(created.id, { store: async (key) => void key.key.reveal(),
    newName: 'ts-2' });
  const fault: Fault = { method: 'GET', path: '/api_keys', action: { type: 'respond', status: 503 } };
  await emu.addFault(fault);
  try {
    await client.revokeApiKey(rotation.newKey.id);
  } catch (error) {
    if (error instanceof NeonNotFoundError) void error.status;
    if (error instanceof NeonError) void error.kind;
    if (error instanceof EmulatorError) void error.status;
  }
  const keychain = new Keychain('ts-app', 'deploy');
  await keychain.save(created);
  const loaded: CreatedApiKey | null = await keychain.load();
  const seen: LogFields[] = [];
  const logger: Logger = { debug: (message: string, fields: LogFields) => void seen.push({ message, ...fields }) };
  const fromKeychain: Client = new Client({ keychain, baseUrl: emu.baseUrl, logger });
  const inPlace: Rotation = await fromKeychain.rotateKeychainKey(keychain, { newName: 'ts-3', signal });
  await client.rotateApiKey(inPlace.newKey.id, { store: keychain });
  try {
    await keychain.delete();
  } catch (error) {
    if (error instanceof NeonKeychainError) void error.code;
  }
  // @ts-expect-error a logger is an object of methods
  new Client({ logger: 'console' });
  // @ts-expect-error a key name is a string
  await client.createApiKey(42);
  // @ts-expect-error a key id is a number
  await client.revokeApiKey('42');
  // @ts-expect-error no such option
  new Client({ apiKeyy: 'x' });
  await emu.stop();
  return keys.length + secret.length + Number(isSecret) + (firstUsed ? 1 : 0) + (loaded ? 1 : 0) + seen.length
    + Keychain.backend.length;
}
`;
const TS_FILE_ESM = `${TS_FILE_CJS}
import neon from 'neon-api-keys';
import testing from 'neon-api-keys/testing';
export const sameClient: typeof Client = neon.Client;
export const sameEmulator: typeof Emulator = testing.Emulator;
`;

const COMPILERS = {
  'TypeScript 5': path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'),
  'TypeScript 7': path.join(path.dirname(require.resolve('typescript7/package.json')), 'bin', 'tsc'),
};
// [name, compilerOptions, file, file text, compilers]
const MODES = [
  ['node10 (CommonJS)', { module: 'commonjs', moduleResolution: 'node10' }, 'node10.ts', TS_FILE_CJS, ['TypeScript 5']],
  ['node16, CommonJS', { module: 'node16', moduleResolution: 'node16' }, 'node16.cts', TS_FILE_CJS, null],
  ['node16, ESM', { module: 'node16', moduleResolution: 'node16' }, 'node16.mts', TS_FILE_ESM, null],
  ['nodenext, ESM', { module: 'nodenext', moduleResolution: 'nodenext' }, 'nodenext.mts', TS_FILE_ESM, null],
  ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'bundler.ts', TS_FILE_ESM, null],
];

test('TypeScript 7 has dropped moduleResolution node10 (so node10 is checked with TypeScript 5 only)', () => {
  const dir = path.join(consumer, 'ts-node10-on-7');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10', noEmit: true }, files: ['a.ts'] }));
  const r = spawnSync(process.execPath, [COMPILERS['TypeScript 7'], '-p', dir], { encoding: 'utf8' });
  assert.notEqual(r.status, 0, 'if TypeScript 7 accepts node10 again, add it to the matrix');
});

for (const [compiler, tsc] of Object.entries(COMPILERS)) {
  for (const [mode, options, file, text, only] of MODES) {
    if (only && !only.includes(compiler)) continue;
    test(`types compile: ${compiler}, ${mode}, lib es2022, no @types/node`, () => {
      const dir = path.join(consumer, `ts-${compiler.replace(/\W+/g, '')}-${file.replace('.', '-')}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, file), text);
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'es2022', lib: ['es2022'], strict: true, noEmit: true, skipLibCheck: false, ...options },
        files: [file],
      }, null, 2));
      assert.ok(!existsSync(path.join(consumer, 'node_modules', '@types')), 'no @types in the consumer');
      const r = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${compiler} ${mode}:\n${r.stdout}${r.stderr}`);
    });
  }
}
