// Testing your own code with the in-process emulator (neon-api-keys/testing) and node:test:
//
//   node --test examples/testing.test.mjs
//
// The package's tests run this file too (test/examples.test.mjs).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { NeonServerError, NeonTimeoutError } from 'neon-api-keys';
import { Emulator } from 'neon-api-keys/testing';

// The code under test: rotates the CI key named `name`, returning the new secret.
async function rotateCiKey(client, name) {
  const old = (await client.listApiKeys()).find((k) => k.name === name);
  if (!old) return (await client.createApiKey(name)).key.reveal();
  const rotation = await client.rotateApiKey(old.id, name);
  return rotation.newKey.key.reveal();
}

let emu;
before(async () => { emu = await Emulator.start(); });
after(() => emu.stop());
beforeEach(() => emu.reset()); // the seed again, no faults, an empty request log

test('creates the key the first time, rotates it afterwards', async () => {
  const client = emu.client(); // the seeded admin's personal key, this emulator's baseUrl
  const first = await rotateCiKey(client, 'ci');
  const second = await rotateCiKey(client, 'ci');
  assert.notEqual(first, second);
  const named = (await emu.keys()).filter((k) => k.name === 'ci');
  assert.deepEqual(named.map((k) => k.revoked), [true, false]);
});

test('Neon answering 503 surfaces as NeonServerError after the retries', async () => {
  await emu.addFault({ method: 'GET', path: '/api_keys', action: { type: 'respond', status: 503 }, times: 0 });
  await assert.rejects(rotateCiKey(emu.client({ maxRetries: 1 }), 'ci'), NeonServerError);
  assert.equal((await emu.requests({ path: '/api_keys' })).length, 2);
});

test('a stalled Neon is cut by the timeout', async () => {
  await emu.addFault({ path: '/api_keys', action: 'stall' });
  await assert.rejects(rotateCiKey(emu.client({ timeoutMs: 300, maxRetries: 0 }), 'ci'), NeonTimeoutError);
});
