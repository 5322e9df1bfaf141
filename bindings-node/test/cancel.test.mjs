// AbortSignal cancels the core call in flight (a stalled request), and per-call/client timeouts fire.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createRequire } from 'node:module';
import { startEmulator } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { NeonClient, NeonCancelledError, NeonTimeoutError, NeonError } = require('../lib/index.js');

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new NeonClient({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false,
  timeoutMs: 30_000, attemptTimeoutMs: 30_000, ...options,
});
const stall = (method, path) => emu.fault({ method, path, times: 0, action: { type: 'stall' } });

async function timed(promise) {
  const start = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
  assert.fail('expected a rejection');
}

test('abort cancels a stalled call in flight → NeonCancelledError (AbortError)', async () => {
  await emu.reset();
  await stall('GET', '/api_keys');
  const controller = new AbortController();
  const reason = new Error('user gave up');
  setTimeout(() => controller.abort(reason), 150);
  const { error, ms } = await timed(client().listApiKeys({ signal: controller.signal }));
  assert.ok(error instanceof NeonCancelledError, `${error}`);
  assert.ok(error instanceof NeonError);
  assert.equal(error.name, 'AbortError');
  assert.equal(error.code, 'NEON_CANCELLED');
  assert.equal(error.cause, reason);
  assert.ok(ms < 5_000, `took ${ms} ms`);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('an already aborted signal rejects at once and sends nothing', async () => {
  await emu.reset();
  const { error } = await timed(client().createApiKey('never', { signal: AbortSignal.abort() }));
  assert.ok(error instanceof NeonCancelledError);
  assert.equal((await emu.requests()).length, 0);
});

test('AbortSignal.timeout cancels too', async () => {
  await emu.reset();
  await stall('GET', '/organizations/*/api_keys');
  const { error, ms } = await timed(client().listOrgApiKeys(emu.seed.org_id, { signal: AbortSignal.timeout(150) }));
  assert.ok(error instanceof NeonCancelledError);
  assert.equal(error.cause?.name, 'TimeoutError');
  assert.ok(ms < 5_000);
});

test('aborting a create in flight never reports a silent success', async () => {
  await emu.reset();
  await stall('POST', '/api_keys');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const { error } = await timed(client().createApiKey('aborted-create', { signal: controller.signal }));
  // The request was sent, so the key may exist: the core reports cancelled or outcome-unknown.
  assert.ok(['cancelled', 'outcome_unknown'].includes(error.kind), error.kind);
});

test('a finished call removes its abort listener; a later abort does nothing', async () => {
  await emu.reset();
  const controller = new AbortController();
  const keys = await client().listApiKeys({ signal: controller.signal });
  assert.ok(Array.isArray(keys));
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  controller.abort();
});

test('per-call timeoutMs → NeonTimeoutError', async () => {
  await emu.reset();
  await stall('GET', '/api_keys');
  const { error, ms } = await timed(client().listApiKeys({ timeoutMs: 200 }));
  assert.ok(error instanceof NeonTimeoutError, `${error}`);
  assert.equal(error.code, 'NEON_TIMEOUT');
  assert.ok(ms < 5_000, `took ${ms} ms`);
});

test('client timeoutMs and attemptTimeoutMs → NeonTimeoutError', async () => {
  await emu.reset();
  await stall('GET', '/api_keys');
  const whole = await timed(client({ timeoutMs: 200 }).listApiKeys());
  assert.ok(whole.error instanceof NeonTimeoutError);
  const attempt = await timed(client({ attemptTimeoutMs: 150, maxRetries: 1, backoffMs: [1, 5] }).listApiKeys());
  assert.ok(attempt.error instanceof NeonTimeoutError);
  assert.ok(attempt.ms < 5_000);
});

test('a delay shorter than the timeout succeeds', async () => {
  await emu.reset();
  await emu.fault({ method: 'GET', path: '/api_keys', action: { type: 'delay', ms: 100 } });
  const keys = await client().listApiKeys({ timeoutMs: 3_000 });
  assert.ok(keys.length >= 1);
});
