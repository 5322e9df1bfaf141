// AbortSignal cancels the core call in flight (a stalled request), and per-call/client timeouts fire.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createRequire } from 'node:module';
import { startEmulator } from './helpers.mjs';

const require = createRequire(import.meta.url);
const {
  NeonClient, NeonCancelledError, NeonTimeoutError, NeonError, NeonOutcomeUnknownError, NeonInvalidInputError,
} = require('../lib/index.js');

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new NeonClient({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false,
  timeoutMs: 30_000, attemptTimeoutMs: 30_000, ...options,
});
const stall = (method, path) => emu.fault({ method, path, times: 0, action: { type: 'stall' } });

/** `{error}`: what `promise` rejects with (a resolution fails the test). */
async function timed(promise) {
  try {
    await promise;
  } catch (error) {
    return { error };
  }
  assert.fail('expected a rejection');
}

test('abort cancels a stalled call in flight → NeonCancelledError (AbortError)', async () => {
  await emu.reset();
  await stall('GET', '/api_keys');
  const controller = new AbortController();
  const reason = new Error('user gave up');
  const call = client().listApiKeys({ signal: controller.signal });
  // Abort once the request is in flight (the emulator has it, and stalls it for good).
  while ((await emu.requests()).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort(reason);
  const { error } = await timed(call);
  assert.ok(error instanceof NeonCancelledError, `${error}`);
  assert.ok(error instanceof NeonError);
  assert.equal(error.name, 'AbortError');
  assert.equal(error.code, 'NEON_CANCELLED');
  assert.equal(error.cause, reason);
  assert.equal((await emu.requests()).length, 1, 'sent once, then cancelled in flight');
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
  const { error } = await timed(client().listOrgApiKeys(emu.seed.org_id, { signal: AbortSignal.timeout(150) }));
  assert.ok(error instanceof NeonCancelledError);
  assert.equal(error.cause?.name, 'TimeoutError');
});

/** The fields of an OutcomeUnknown error, as the caller reads them. */
function outcome(error) {
  return {
    cls: error?.constructor?.name, code: error?.code, keyName: error?.keyName, orgId: error?.orgId,
    projectId: error?.projectId, candidateIds: error?.candidateIds,
    window: error?.notBefore instanceof Date && error?.notAfter instanceof Date
      && error.notBefore.getTime() <= error.notAfter.getTime(),
  };
}

test('aborting a create after it was sent is NeonOutcomeUnknownError with name, window and candidates', async () => {
  await emu.reset();
  // A slow response: the key is made, then the body comes one byte per 100 ms.
  await emu.fault({ method: 'POST', path: '/api_keys',
    action: { type: 'trickle', bytes_per_chunk: 1, interval_ms: 100 } });
  const { error } = await timed(client().createApiKey('aborted-create', { signal: AbortSignal.timeout(200) }));
  assert.deepEqual(outcome(error), {
    cls: 'NeonOutcomeUnknownError', code: 'NEON_OUTCOME_UNKNOWN', keyName: 'aborted-create', orgId: null,
    projectId: null, candidateIds: [], window: true,
  });
  assert.ok(error instanceof NeonOutcomeUnknownError);
  // The key exists, inside the error's window: the caller can find it (or revoke it) from there.
  const made = (await emu.control('GET', '/state')).api_keys.find((k) => k.name === 'aborted-create');
  assert.ok(made, 'the key was created');
  const createdAt = Date.parse(made.created_at);
  assert.ok(error.notBefore.getTime() - 1000 <= createdAt && createdAt <= error.notAfter.getTime() + 1000);
});

test('an aborted create reports the same as timeoutMs does', async () => {
  const run = async (options) => {
    await emu.reset();
    await emu.fault({ method: 'POST', path: '/organizations/*/api_keys', action: { type: 'delay', ms: 1_000 } });
    const { error } = await timed(client().createOrgApiKey(emu.seed.org_id, 'org-aborted',
      { projectId: emu.seed.project_id }, options));
    return outcome(error);
  };
  const aborted = await run({ signal: AbortSignal.timeout(200) });
  const timedOut = await run({ timeoutMs: 200 });
  assert.deepEqual(aborted, timedOut);
  assert.deepEqual(aborted, {
    cls: 'NeonOutcomeUnknownError', code: 'NEON_OUTCOME_UNKNOWN', keyName: 'org-aborted', orgId: 'org-acme-1234',
    projectId: 'proj-alpha-5678', candidateIds: [], window: true,
  });
});

test('negative, NaN and infinite durations are NeonInvalidInputError naming the option; nothing is sent', async () => {
  await emu.reset();
  for (const bad of [-1, Number.NaN, Infinity, -Infinity]) {
    const call = await timed(client().listApiKeys({ timeoutMs: bad }));
    assert.ok(call.error instanceof NeonInvalidInputError, `${call.error}`);
    assert.match(call.error.message, /timeoutMs/);
    for (const option of ['timeoutMs', 'connectTimeoutMs', 'attemptTimeoutMs', 'maxRetryWaitMs']) {
      assert.throws(() => client({ [option]: bad }), (e) => e instanceof NeonInvalidInputError
        && e.message.includes(option), `${option}: ${bad}`);
    }
    assert.throws(() => client({ backoffMs: [1, bad] }), (e) => e instanceof NeonInvalidInputError
      && e.message.includes('backoffMs[1]'));
    const rotation = await timed(client().rotateApiKey(emu.seed.ids.admin, { store() {}, waitForUseMs: bad }));
    assert.ok(rotation.error instanceof NeonInvalidInputError && /waitForUseMs/.test(rotation.error.message),
      `${rotation.error}`);
  }
  assert.deepEqual(await emu.requests(), []);
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
  const { error } = await timed(client().listApiKeys({ timeoutMs: 200 }));
  assert.ok(error instanceof NeonTimeoutError, `${error}`);
  assert.equal(error.code, 'NEON_TIMEOUT');
  assert.match(error.message, /within its timeout of 200ms/, 'the call\'s deadline, not the client\'s 30 s');
});

test('client timeoutMs and attemptTimeoutMs → NeonTimeoutError', async () => {
  await emu.reset();
  await stall('GET', '/api_keys');
  const whole = await timed(client({ timeoutMs: 200 }).listApiKeys());
  assert.ok(whole.error instanceof NeonTimeoutError);
  assert.match(whole.error.message, /within its timeout of 200ms/);
  await emu.reset();
  await stall('GET', '/api_keys');
  const attempt = await timed(client({ attemptTimeoutMs: 150, maxRetries: 1, backoffMs: [1, 5] }).listApiKeys());
  assert.ok(attempt.error instanceof NeonTimeoutError);
  assert.match(attempt.error.message, /attempt timeout of 150ms/);
  assert.equal((await emu.requests()).length, 2, 'each attempt timed out, the retry included');
});

test('a delay shorter than the timeout succeeds', async () => {
  await emu.reset();
  await emu.fault({ method: 'GET', path: '/api_keys', action: { type: 'delay', ms: 100 } });
  const keys = await client().listApiKeys({ timeoutMs: 3_000 });
  assert.ok(keys.length >= 1);
});
