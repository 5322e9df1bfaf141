// Keychain entries from JavaScript, on this platform's store (the kernel keyring on Linux, also on CI): round trips,
// overwrite, delete, missing and corrupted entries, a client taking its key from an entry, rotation in place (with a
// save that fails), a Keychain as a rotation's store, and nothing printed ever showing a secret. Every test uses
// entries of its own (a unique service name) and deletes them when it ends, passed or failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { startEmulator, rejection, withEnv } from './helpers.mjs';

const require = createRequire(import.meta.url);
const {
  Client, Keychain, ApiKeySecret, NeonConfigError, NeonInvalidInputError, NeonKeychainError, NeonNotFoundError,
} = require('../lib/index.js');
const native = require('../index.js');

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new Client({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false, ...options,
});

/** A keychain entry no other test (or process) uses, deleted when test `t` ends. */
function entry(t, account = 'app') {
  const keychain = new Keychain(`neon-api-keys-node-test.${process.pid}.${randomUUID().slice(0, 8)}`, account);
  t.after(() => keychain.delete());
  return keychain;
}

const SECRET = `kc0secret0${'q'.repeat(54)}`;

/** `{id: revoked}` of every key in the emulator. */
async function revokedById() {
  const state = await emu.control('GET', '/state');
  return Object.fromEntries([...state.api_keys, ...state.org_api_keys].map((k) => [k.id, k.revoked]));
}

/** Every common way of printing `value`. */
const renderings = (value) => [
  util.inspect(value, { depth: 10, showHidden: true, getters: true }), util.format('%s %o %O %j', value, value, value,
    value), JSON.stringify(value) ?? '', String(value),
].join('\n');

test('a missing entry: load() is null, exists() and delete() are false', async (t) => {
  const keychain = entry(t);
  assert.equal(await keychain.load(), null);
  assert.equal(await keychain.exists(), false);
  assert.equal(await keychain.delete(), false);
});

test('a round trip keeps every field; the secret comes back as an ApiKeySecret', async (t) => {
  const keychain = entry(t);
  const createdAt = new Date('2026-01-02T03:04:05.678Z');
  await keychain.save({
    id: 5001, name: 'deploy', key: SECRET, orgId: 'org-acme-1234', projectId: 'proj-alpha-5678', createdAt,
    createdBy: 'user-1',
  });
  assert.equal(await keychain.exists(), true);
  const loaded = await keychain.load();
  assert.ok(loaded.key instanceof ApiKeySecret);
  assert.equal(loaded.key.reveal(), SECRET);
  assert.deepEqual({ ...loaded, key: undefined }, {
    id: 5001, key: undefined, name: 'deploy', orgId: 'org-acme-1234', projectId: 'proj-alpha-5678', createdAt,
    createdBy: 'user-1',
  });
  // A personal key with only what is required: the rest comes back null.
  await keychain.save({ id: 7, name: 'mine', key: SECRET });
  assert.deepEqual({ ...(await keychain.load()), key: undefined }, {
    id: 7, key: undefined, name: 'mine', orgId: null, projectId: null, createdAt: null, createdBy: null,
  });
});

test('a created key saves as it is, and another Keychain on the same names sees it', async (t) => {
  await emu.reset();
  const keychain = entry(t);
  const created = await client().createOrgApiKey(emu.seed.org_id, 'org-deploy');
  assert.equal(created.orgId, emu.seed.org_id, 'an org create says its organization');
  await keychain.save(created);
  const again = await new Keychain(keychain.service, keychain.account).load();
  assert.equal(again.key.reveal(), created.key.reveal());
  assert.deepEqual({ ...again, key: null }, { ...created, key: null });
});

test('save() replaces what the entry held; delete() empties it once', async (t) => {
  const keychain = entry(t);
  await keychain.save({ id: 1, name: 'first', key: SECRET });
  await keychain.save({ id: 2, name: 'second', key: `${SECRET.slice(0, 60)}2222` });
  const loaded = await keychain.load();
  assert.equal(loaded.id, 2);
  assert.equal(loaded.key.reveal(), `${SECRET.slice(0, 60)}2222`);
  assert.equal(await keychain.delete(), true);
  assert.equal(await keychain.delete(), false);
  assert.equal(await keychain.load(), null);
});

test('an entry that holds no key record of this SDK: NeonKeychainError naming the backend, never the content',
  async (t) => {
    const keychain = entry(t);
    for (const raw of [
      'not json at all, hunter2-secret-value',
      '{"version":1,"id":5,"name":"x"}',
      '{"version":1,"id":5,"name":"x","key":"hunter2-secret-value","extra":true}',
      '{"version":9,"id":5,"name":"x","key":"hunter2-secret-value"}',
      '{"version":1,"id":5,"name":"x","key":""}',
    ]) {
      native.__writeKeychainEntryForTests(keychain.service, keychain.account, raw);
      assert.equal(await keychain.exists(), true, 'it holds something');
      const error = await rejection(keychain.load());
      assert.ok(error instanceof NeonKeychainError, `${raw}: ${error}`);
      assert.equal(error.code, 'NEON_KEYCHAIN');
      assert.ok(error.message.includes(Keychain.backend), error.message);
      assert.ok(error.message.includes(keychain.service), error.message);
      assert.ok(!renderings(error).includes('hunter2'), error.message);
    }
    // Saving a key over it mends it.
    await keychain.save({ id: 3, name: 'mended', key: SECRET });
    assert.equal((await keychain.load()).name, 'mended');
  });

test('bad names and bad keys: TypeError for a wrong type, NeonInvalidInputError for a bad value', async (t) => {
  assert.throws(() => new Keychain(1, 'a'), TypeError);
  assert.throws(() => new Keychain('s'), TypeError);
  for (const [service, account] of [['', 'a'], ['s', ''], ['s\n', 'a'], ['s', 'x'.repeat(201)]]) {
    assert.throws(() => new Keychain(service, account), NeonInvalidInputError);
  }
  const keychain = entry(t);
  const saving = keychain.save(null);
  assert.ok(saving instanceof Promise, 'a wrong key rejects, it does not throw');
  await assert.rejects(saving, TypeError);
  await assert.rejects(keychain.save({ id: 1, name: 'n' }), /key\.key is required/);
  await assert.rejects(keychain.save({ id: '1', name: 'n', key: SECRET }), /key\.id must be a number/);
  await assert.rejects(keychain.save({ id: 1, name: 'n', key: 42 }), /key\.key must be an ApiKeySecret or a string/);
  await assert.rejects(keychain.save({ id: 1, name: 'n', key: SECRET, orgID: 'o' }), /key\.orgID is not a field/);
  await assert.rejects(keychain.save({ id: 1.5, name: 'n', key: SECRET }), NeonInvalidInputError);
  assert.equal(await keychain.exists(), false, 'nothing was saved');
});

test('a Keychain prints its names and backend; a loaded key prints no secret', async (t) => {
  const keychain = entry(t);
  await keychain.save({ id: 9, name: 'printed', key: SECRET });
  const loaded = await keychain.load();
  assert.deepEqual(JSON.parse(JSON.stringify(keychain)),
    { service: keychain.service, account: 'app', backend: Keychain.backend });
  assert.equal(String(keychain), `Keychain(${keychain.service}/app, ${Keychain.backend})`);
  assert.match(util.inspect(keychain), /^Keychain \{.*service: .*account: 'app'.*backend: /s);
  assert.equal(Object.prototype.toString.call(keychain), '[object Keychain]');
  for (const value of [keychain, loaded, { loaded, keychain }]) assert.ok(!renderings(value).includes(SECRET));
  assert.equal(JSON.parse(JSON.stringify(loaded)).key, '[REDACTED]');
  assert.equal(typeof Keychain.backend, 'string');
  assert.ok(Keychain.backend.length > 0);
});

test('a loaded secret is scrubbed from error messages like any other key', async (t) => {
  const keychain = entry(t);
  const secret = `scrub0me0${randomUUID().replaceAll('-', '')}${'w'.repeat(23)}`;
  const unrelated = `never0loaded0${randomUUID().replaceAll('-', '')}${'v'.repeat(19)}`;
  const message = (text) => native.__errorForTests('network', text, []).message;
  await keychain.save({ id: 11, name: 'scrubbed', key: secret });
  assert.equal(message(`with ${secret}`), `network: with ${secret}`, 'no live key holds it yet (the save let go)');
  const loaded = await keychain.load();
  assert.equal(message(`with ${secret}`), 'network: with [REDACTED]');
  assert.equal(message(`with ${unrelated}`), `network: with ${unrelated}`, 'only known secrets are scrubbed');
  assert.equal(loaded.key.reveal(), secret);
});

test('new Client({ keychain }): the key the entry holds, after an explicit key and the environment', async (t) => {
  await emu.reset();
  const keychain = entry(t);
  await keychain.save({ id: emu.seed.ids.admin, name: 'seed-admin', key: emu.seed.keys.admin });
  const { users } = emu.seed;
  await withEnv({}, async () => {
    const fromEntry = new Client({ keychain, baseUrl: emu.baseUrl, maxRetries: 0 });
    assert.equal((await fromEntry.authDetails()).accountId, users.admin);
    const byName = new Client({ keychain: { service: keychain.service, account: keychain.account }, baseUrl: emu.baseUrl });
    assert.equal((await byName.authDetails()).accountId, users.admin);
    const explicit = new Client({ keychain, apiKey: emu.seed.keys.member, baseUrl: emu.baseUrl });
    assert.equal((await explicit.authDetails()).accountId, users.member, 'an explicit key wins');
  });
  await withEnv({ NEON_API_KEY: emu.seed.keys.member }, async () => {
    const fromEnv = new Client({ keychain, baseUrl: emu.baseUrl });
    assert.equal((await fromEnv.authDetails()).accountId, users.member, 'the environment wins over the entry');
  });
});

test('new Client({ keychain }) with an empty or corrupted entry, or a wrong type', async (t) => {
  await emu.reset();
  const empty = entry(t, 'empty');
  await withEnv({}, async () => {
    const c = new Client({ keychain: empty, baseUrl: emu.baseUrl });
    const error = await rejection(c.listApiKeys());
    assert.ok(error instanceof NeonConfigError, `${error}`);
    assert.ok(error.message.includes(empty.service), error.message);
    const corrupted = entry(t, 'corrupted');
    native.__writeKeychainEntryForTests(corrupted.service, corrupted.account, 'garbage hunter2');
    assert.throws(() => new Client({ keychain: corrupted, baseUrl: emu.baseUrl }),
      (e) => e instanceof NeonKeychainError && !e.message.includes('hunter2'));
  });
  assert.throws(() => new Client({ keychain: 'my-app/deploy' }),
    (e) => e instanceof TypeError && /options\.keychain must be a Keychain or \{service, account\}/.test(e.message));
  assert.throws(() => new Client({ keychain: { service: 's' } }), TypeError);
});

test('rotateKeychainKey: the entry gets the new key, then the old key is revoked; the client moves along',
  async (t) => {
    await emu.reset();
    const keychain = entry(t);
    const old = await client().createApiKey('app');
    await keychain.save(old);
    const own = new Client({ keychain, baseUrl: emu.baseUrl, maxRetries: 0 });
    const rotation = await own.rotateKeychainKey(keychain, { newName: 'app-v2', requestId: 'req-kc-rotate' });
    const held = await keychain.load();
    assert.equal(rotation.oldKeyId, old.id);
    assert.equal(rotation.revoked?.id, old.id);
    assert.equal(rotation.newKey.name, 'app-v2');
    assert.equal(held.id, rotation.newKey.id);
    assert.notEqual(held.key.reveal(), old.key.reveal());
    assert.deepEqual((await revokedById())[old.id], true);
    // The client used the old key: it now uses the new one.
    assert.equal((await own.authDetails()).authMethod, 'api_key_user');
    // A second rotation in a row, by name, from the same client.
    const second = await own.rotateKeychainKey({ service: keychain.service, account: keychain.account });
    assert.equal(second.oldKeyId, held.id);
    assert.equal((await keychain.load()).id, second.newKey.id);
    assert.equal((await own.listApiKeys()).some((k) => k.id === second.newKey.id), true);
  });

test('rotateKeychainKey with a failing save: NeonKeychainError; the entry and the old key are intact', async (t) => {
  await emu.reset();
  const keychain = entry(t);
  const old = await client().createApiKey('kept');
  await keychain.save(old);
  native.__refuseNextKeychainSavesForTests(1);
  const error = await rejection(client().rotateKeychainKey(keychain, { newName: 'refused' }));
  assert.ok(error instanceof NeonKeychainError, `${error}`);
  assert.match(error.message, /revoked/, 'it says what became of the new key');
  const held = await keychain.load();
  assert.equal(held.id, old.id);
  assert.equal(held.key.reveal(), old.key.reveal());
  const state = await emu.control('GET', '/state');
  const fresh = state.api_keys.find((k) => k.name === 'refused');
  assert.deepEqual([(await revokedById())[old.id], fresh?.revoked], [false, true]);
  assert.ok(!renderings(error).includes(old.key.reveal()));
});

test('rotateKeychainKey on an empty entry: NeonNotFoundError, nothing sent; wrong types reject', async (t) => {
  await emu.reset();
  const keychain = entry(t);
  const error = await rejection(client().rotateKeychainKey(keychain));
  assert.ok(error instanceof NeonNotFoundError, `${error}`);
  assert.match(error.message, /holds no key/);
  assert.equal((await emu.requests()).length, 0);
  const wrong = client().rotateKeychainKey('deploy');
  assert.ok(wrong instanceof Promise);
  await assert.rejects(wrong, (e) => e instanceof TypeError && /keychain must be a Keychain/.test(e.message));
  await assert.rejects(client().rotateKeychainKey(keychain, { store() {} }), /options\.store is not an option/);
});

test('a Keychain is a rotation store: store: keychain and store: (key) => keychain.save(key)', async (t) => {
  await emu.reset();
  for (const [how, storeOf] of [['the object', (k) => k], ['a function', (k) => (key) => k.save(key)]]) {
    const keychain = entry(t, how.replaceAll(' ', '-'));
    const old = await client().createApiKey(`store-${how.length}`);
    const rotation = await client().rotateApiKey(old.id, { store: storeOf(keychain) });
    const held = await keychain.load();
    assert.equal(held.id, rotation.newKey.id, how);
    assert.equal(held.key.reveal().length, 64, how);
    assert.equal((await revokedById())[old.id], true, how);
  }
});
