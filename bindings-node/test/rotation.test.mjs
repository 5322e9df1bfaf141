// Two-phase rotation from JavaScript: the caller's store gets the new key (its secret), the old key is revoked only
// after the store returned or resolved, and a store that throws or rejects makes the rotation reject with THAT error,
// the core's note on the new key attached as `neonNote`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { startEmulator, rejection } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Client, ApiKeySecret, NeonCancelledError, NeonNotFoundError } = require('../lib/index.js');

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new Client({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false, ...options,
});

/** `{id: revoked}` of every key in the emulator. */
async function revokedById() {
  const state = await emu.control('GET', '/state');
  return Object.fromEntries([...state.api_keys, ...state.org_api_keys].map((k) => [k.id, k.revoked]));
}


test('a plain function store: it gets the new key once, then the old key is revoked', async () => {
  await emu.reset();
  const old = emu.seed.ids.admin;
  const given = [];
  const rotation = await client().rotateApiKey(old, { store: (key) => { given.push(key); return 'ignored'; } });
  assert.equal(given.length, 1);
  const [key] = given;
  assert.ok(key.key instanceof ApiKeySecret);
  assert.equal(key.key.reveal().length, 64);
  assert.deepEqual(rotation.newKey, {
    id: key.id, name: key.name, createdAt: key.createdAt, createdBy: { id: key.createdBy, name: null, image: null },
    lastUsedAt: null, lastUsedFromAddr: [], projectId: null,
  });
  assert.equal(rotation.oldKeyId, old);
  assert.equal(rotation.revoked?.id, old);
  assert.equal(rotation.revokeError, null);
  assert.equal(rotation.newKeySeenInUse, null);
  assert.match(key.name, /.-\d{8}T\d{6}Z-[0-9a-f]{4}$/, 'named like Neon\'s CLI names a rotated key');
  const revoked = await revokedById();
  assert.deepEqual([revoked[old], revoked[key.id]], [true, false]);
});

test('an async store: the old key stays live until its Promise resolves', async () => {
  await emu.reset();
  const old = emu.seed.ids.admin;
  const seen = [];
  const rotation = await client().rotateApiKey(old, {
    newName: 'async-store',
    store: async (key) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const revoked = await revokedById();
      seen.push({ old: revoked[old], fresh: revoked[key.id] });
    },
  });
  assert.deepEqual(seen, [{ old: false, fresh: false }], 'while the store ran, both keys were live');
  assert.equal(rotation.newKey.name, 'async-store');
  assert.equal((await revokedById())[old], true);
});

for (const [how, makeStore] of [
  ['throws', (error) => () => { throw error; }],
  ['rejects', (error) => async () => { await null; throw error; }],
]) {
  test(`a store that ${how}: the rotation rejects with that very error, noted; the new key is revoked`, async () => {
    await emu.reset();
    const old = emu.seed.ids.admin;
    const refusal = new Error('vault is read-only');
    const error = await rejection(client().rotateApiKey(old, { store: makeStore(refusal), newName: 'refused' }));
    assert.equal(error, refusal);
    assert.equal(error.message, 'vault is read-only');
    assert.match(error.neonNote, /the store failed, so the new key 5000 was revoked; the old key stays live/);
    assert.equal(Object.getOwnPropertyDescriptor(error, 'neonNote').enumerable, true);
    const revoked = await revokedById();
    assert.equal(revoked[old], false, 'the old key stays live');
    assert.equal(revoked[5000], true, 'the new key was revoked');
  });
}

test('a store failure whose cleanup fails too: the note says a live key remains and names it', async () => {
  await emu.reset();
  await emu.fault({ method: 'DELETE', path: '/api_keys/5000', times: 0,
    action: { type: 'respond', status: 500, json: { code: '', message: 'try later' } } });
  const refusal = new TypeError('no vault');
  const error = await rejection(client().rotateApiKey(emu.seed.ids.admin, { store: () => Promise.reject(refusal) }));
  assert.equal(error, refusal);
  assert.match(error.neonNote, /revoking the new key 5000 failed too .*a live key remains, revoke it by id/);
  assert.equal((await revokedById())[5000], false);
});

test('a store that throws a value that cannot carry the note: the same value, the note in a process warning', async () => {
  for (const thrown of ['a string', Object.freeze(new Error('frozen')), undefined]) {
    await emu.reset();
    const warned = once(process, 'warning');
    const error = await rejection(client().rotateApiKey(emu.seed.ids.admin, { store: () => { throw thrown; } }));
    assert.equal(error, thrown);
    const [warning] = await warned;
    assert.equal(warning.name, 'NeonRotationWarning');
    assert.equal(warning.code, 'NEON_ROTATION_STORE_NOTE');
    assert.match(warning.message, /the new key 5000 was revoked/);
  }
});

test('aborting while the store runs: NeonCancelledError, the new key revoked, the old key live', async () => {
  await emu.reset();
  const controller = new AbortController();
  let finishStore;
  const error = await rejection(client().rotateApiKey(emu.seed.ids.admin, {
    signal: controller.signal,
    store: () => {
      controller.abort(new Error('deploy cancelled'));
      return new Promise((resolve) => { finishStore = resolve; });
    },
  }));
  assert.ok(error instanceof NeonCancelledError, `${error}`);
  assert.equal(error.cause?.message, 'deploy cancelled');
  assert.match(error.message, /while the store ran; the new key 5000 was revoked; the old key stays live/);
  finishStore(); // the store finishing late changes nothing
  const revoked = await revokedById();
  assert.deepEqual([revoked[emu.seed.ids.admin], revoked[5000]], [false, true]);
});

test('waitForUseMs: the old key is revoked once the new key shows a use, else left live', async () => {
  await emu.reset();
  const used = await client().rotateApiKey(emu.seed.ids.admin, {
    waitForUseMs: 5_000, pollIntervalMs: 20,
    store: (key) => emu.control('POST', `/keys/${key.id}/use`, {}),
  });
  assert.equal(used.newKeySeenInUse, true);
  assert.equal(used.revoked?.id, emu.seed.ids.admin);

  await emu.reset();
  const unused = await client().rotateApiKey(emu.seed.ids.admin, { waitForUseMs: 100, pollIntervalMs: 20, store() {} });
  assert.equal(unused.newKeySeenInUse, false);
  assert.equal(unused.revoked, null);
  assert.equal((await revokedById())[emu.seed.ids.admin], false);
});

test('an organization key keeps its project scope; an unknown old id creates nothing', async () => {
  await emu.reset();
  const stored = [];
  const rotation = await client().rotateOrgApiKey(emu.seed.org_id, emu.seed.ids.project,
    { store: async (key) => { stored.push(key.projectId); } });
  assert.deepEqual(stored, [emu.seed.project_id]);
  assert.equal(rotation.newKey.projectId, emu.seed.project_id);
  assert.equal(rotation.revoked?.id, emu.seed.ids.project);

  await emu.reset();
  let called = false;
  const error = await rejection(client().rotateApiKey(424242, { store: () => { called = true; } }));
  assert.ok(error instanceof NeonNotFoundError, `${error}`);
  assert.equal(called, false);
  assert.deepEqual((await emu.requests()).map((r) => r.method), ['GET']);
});

test('without a store: a TypeError, nothing sent', async () => {
  await emu.reset();
  for (const options of [undefined, {}, { store: 'vault' }]) {
    const error = await rejection(client().rotateApiKey(emu.seed.ids.admin, options));
    assert.ok(error instanceof TypeError, `${error}`);
    assert.match(error.message, /client\.rotateApiKey\(\): options(\.store)? (is required|must be)/);
  }
  assert.deepEqual(await emu.requests(), []);
});
