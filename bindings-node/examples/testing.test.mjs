// Testing your own code with the in-process emulator (neon-api-keys/testing) and node:test:
//
//   node --test examples/testing.test.mjs
//
// The package's tests run this file too (test/examples.test.mjs).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { NeonServerError, NeonTimeoutError } from 'neon-api-keys';
import { Emulator } from 'neon-api-keys/testing';

// The code under test: rotates the CI key named `name` into `vault` (a Map standing in for a secret manager).
async function rotateCiKey(client, name, vault) {
  const old = (await client.listApiKeys()).find((k) => k.name.startsWith(name));
  if (!old) {
    vault.set(name, (await client.createApiKey(name)).key.reveal());
    return;
  }
  // The new name is derived from the old one (`ci-<UTC time>-<4 hex>`): Neon keeps key names unique.
  await client.rotateApiKey(old.id, { store: async (key) => { vault.set(name, key.key.reveal()); } });
}

let emu;
before(async () => { emu = await Emulator.start(); });
after(() => emu.stop());
beforeEach(() => emu.reset()); // the seed again, no faults, an empty request log

test('creates the key the first time, rotates it afterwards; the vault always holds the live key', async () => {
  const client = emu.client(); // the seeded admin's personal key, this emulator's baseUrl
  const vault = new Map();
  await rotateCiKey(client, 'ci', vault);
  const first = vault.get('ci');
  await rotateCiKey(client, 'ci', vault);
  assert.notEqual(vault.get('ci'), first);
  const named = (await emu.keys()).filter((k) => k.name.startsWith('ci'));
  assert.deepEqual(named.map((k) => k.revoked), [true, false]);
  const secrets = await emu.secrets();
  assert.equal(secrets[named[1].id], vault.get('ci'));
});

test('a vault that refuses the key: the old key stays live, the error is the vault\'s own', async () => {
  const vault = new Map();
  await rotateCiKey(emu.client(), 'ci', vault);
  const readOnly = { set() { throw new Error('vault is read-only'); } };
  await assert.rejects(rotateCiKey(emu.client(), 'ci', readOnly), /vault is read-only/);
  const named = (await emu.keys()).filter((k) => k.name.startsWith('ci'));
  assert.deepEqual(named.map((k) => k.revoked), [false, true], 'the old key is live, the new one revoked');
});

test('Neon answering 503 surfaces as NeonServerError after the retries', async () => {
  await emu.addFault({ method: 'GET', path: '/api_keys', action: { type: 'respond', status: 503 }, times: 0 });
  await assert.rejects(rotateCiKey(emu.client({ maxRetries: 1 }), 'ci', new Map()), NeonServerError);
  assert.equal((await emu.requests({ path: '/api_keys' })).length, 2);
});

test('a stalled Neon is cut by the timeout', async () => {
  await emu.addFault({ path: '/api_keys', action: 'stall' });
  await assert.rejects(rotateCiKey(emu.client({ timeoutMs: 300, maxRetries: 0 }), 'ci', new Map()),
    NeonTimeoutError);
});
