// Secrets never show: created keys print redacted, the client's key never appears in errors or inspection,
// and a sweep of every secret the emulator issued finds none in anything printed: errors (keychain ones included),
// keychain entries and what was loaded from them, and the log records of the calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { startEmulator } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { NeonClient, ApiKeySecret, Keychain } = require('../lib/index.js');
const native = require('../index.js');

const SENTINEL = 'sentinel0secret0zz9q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3j2k1l0zxcvbnm';

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new NeonClient({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false, ...options,
});

/** Every way a value commonly gets printed or serialised. */
function renderings(value) {
  const out = [
    util.inspect(value, { depth: 10, showHidden: true, getters: true }),
    util.format('%s %o %O %j', value, value, value, value),
    JSON.stringify(value) ?? '',
    String(value),
  ];
  try {
    out.push(`${value}`);
  } catch {
    // objects without a string form
  }
  if (value instanceof Error) out.push(value.message, value.stack ?? '', JSON.stringify(Object.entries(value)));
  return out.join('\n');
}

function assertNoSecret(text, secrets) {
  for (const secret of secrets) assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 200)}`);
}

test('a created key prints redacted everywhere; reveal() returns it', async () => {
  await emu.reset();
  const created = await client().createApiKey('leak-check');
  const secret = created.key.reveal();
  assert.equal(secret.length, 64);
  assert.ok(created.key instanceof ApiKeySecret);
  assertNoSecret(renderings(created), [secret]);
  assertNoSecret(renderings(created.key), [secret]);
  assertNoSecret(renderings([created, { nested: created }]), [secret]);
  assert.equal(JSON.parse(JSON.stringify(created)).key, '[REDACTED]');
  assert.equal(`${created.key}`, '[REDACTED]');
  assert.equal(created.key + '', '[REDACTED]');
  assert.equal(util.inspect(created.key), 'ApiKeySecret [REDACTED]');
  // The secret is no JS property at all.
  assert.deepEqual(Object.getOwnPropertyNames(created.key), []);
  assert.deepEqual(Object.getOwnPropertySymbols(created.key), []);
  assert.ok(!Object.values(created).includes(secret));
  assert.equal(structuredClone(created.key).reveal, undefined);
  assert.throws(() => new ApiKeySecret());
});

test('a rotation gives the secret to the store only: the result holds none, and prints none', async () => {
  await emu.reset();
  let given;
  const rotation = await client().rotateApiKey(emu.seed.ids.admin, {
    store: (key) => {
      assertNoSecret(renderings(key), [key.key.reveal()]);
      given = key.key.reveal();
    },
  });
  assert.equal(given.length, 64);
  assert.equal(Object.values(await emu.control('GET', '/secrets')).includes(given), true);
  assert.ok(!('key' in rotation.newKey), 'the result carries no secret');
  assertNoSecret(renderings(rotation), [given]);
});

test('the client never shows its keys', () => {
  const c = new NeonClient({ apiKey: SENTINEL, orgApiKey: SENTINEL, baseUrl: 'http://127.0.0.1:9/api/v2' });
  assertNoSecret(renderings(c), [SENTINEL]);
  assert.deepEqual(Object.keys(c), []);
});

test('errors, keychain entries and log records never contain the API key or a created secret', {
  timeout: 60_000, // it waits for a log record: fail, never hang, if it does not come
}, async (t) => {
  await emu.reset();
  const errors = [];
  const records = [];
  const logger = { debug: (message, fields) => records.push({ message, fields }) };
  logger.info = logger.debug;
  logger.warn = logger.debug;
  const logged = client({ logger });
  const unknownKey = new NeonClient({ apiKey: SENTINEL, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false });
  for (const call of [() => unknownKey.listApiKeys(), () => unknownKey.createApiKey('x'),
    () => unknownKey.revokeApiKey(1), () => unknownKey.listOrgApiKeys('org-acme-1234')]) {
    await call().catch((e) => errors.push(e));
  }
  // A create whose answer is broken: the body (with the secret) must not reach the message.
  await emu.fault({ method: 'POST', path: '/api_keys', action: { type: 'truncate', bytes: 40 } });
  await client().createApiKey('trunc').catch((e) => errors.push(e));
  await emu.fault({ method: 'POST', path: '/api_keys', action: { type: 'patch_json', set: { id: 'not-a-number' } } });
  await client().createApiKey('badid').catch((e) => errors.push(e));
  // Rotations that fail: Neon refuses the create; the new key does not authenticate; the store fails.
  await emu.fault({ method: 'POST', path: '/api_keys', action: { type: 'respond', status: 500 } });
  await client().rotateApiKey(emu.seed.ids.admin, { store() {} }).catch((e) => errors.push(e));
  await emu.fault({ method: 'GET', path: '/auth', action: { type: 'respond', status: 401 } });
  await client().rotateApiKey(emu.seed.ids.admin, { store() {} }).catch((e) => errors.push(e));
  await client().rotateApiKey(emu.seed.ids.admin, {
    store: (key) => { throw new Error(`cannot store ${key}`); },
  }).catch((e) => errors.push(e));
  // Keychain entries: one holding a sentinel that is no key record, a rotation in place whose save fails.
  const keychain = new Keychain(`neon-api-keys-node-test.${process.pid}.${randomUUID().slice(0, 8)}`, 'sweep');
  t.after(() => keychain.delete());
  native.__writeKeychainEntryForTests(keychain.service, keychain.account, `{"key":"${SENTINEL}"}`);
  await keychain.load().catch((e) => errors.push(e));
  try {
    new NeonClient({ keychain, baseUrl: emu.baseUrl });
  } catch (e) {
    errors.push(e);
  }
  await emu.reset();
  const kept = await logged.createApiKey('in-the-keychain');
  await keychain.save(kept);
  native.__refuseNextKeychainSavesForTests(1);
  await logged.rotateKeychainKey(keychain).catch((e) => errors.push(e));
  const loaded = await keychain.load();
  await logged.rotateKeychainKey(keychain);
  const printed = [renderings(keychain), renderings(loaded), renderings(await keychain.load())];
  await keychain.delete();
  await new NeonClient({ keychain, baseUrl: emu.baseUrl }).listApiKeys().catch((e) => errors.push(e));
  // A key sent over plain http to a remote host is refused with a message naming no secret.
  try {
    new NeonClient({ apiKey: SENTINEL, baseUrl: 'http://example.com/api/v2' });
  } catch (e) {
    errors.push(e);
  }
  assert.ok(errors.length >= 13, `${errors.length} errors`);
  // The records of the last rotation (the only one that revokes) have all arrived once its last step has.
  while (!records.some((r) => r.message === 'rotation: revoked the old key')) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  const issued = [...Object.values(await emu.control('GET', '/secrets')), kept.key.reveal(), loaded.key.reveal()];
  assert.ok(issued.length > 2);
  let chars = 0;
  for (const texts of [...errors.map(renderings), ...printed, JSON.stringify(records)]) {
    chars += texts.length;
    assertNoSecret(texts, [SENTINEL, ...issued]);
  }
  console.log(`secrets sweep node: ${issued.length + 1} secrets (sentinel + issued), ${errors.length} errors, `
    + `${printed.length} keychain renderings, ${records.length} log records, ${chars} chars scanned: 0 leaks`);
});
