// One AbortSignal shared by many calls (a request-scoped or shutdown signal): no MaxListenersExceededWarning,
// every call in flight is cancelled by one abort, and no listener is left on the signal once the calls settle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { NeonCancelledError } from 'neon-api-keys';
import { Emulator } from 'neon-api-keys/testing';

// Node warns past events.defaultMaxListeners (10) listeners of one type on one EventTarget: go well past it.
const CALLS = 25;

let emu;
before(async () => { emu = await Emulator.start(); });
after(() => emu?.stop());

/** Runs `body` and returns the process warnings emitted while it ran (and on the ticks right after). */
async function warningsDuring(body) {
  const warnings = [];
  const onWarning = (warning) => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    await body();
    // process.emitWarning delivers on a later tick: let those run before looking.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

test(`${CALLS} concurrent calls sharing one signal: no MaxListenersExceededWarning, no listener left`, async () => {
  emu.reset();
  const client = emu.client();
  const controller = new AbortController();
  const warnings = await warningsDuring(async () => {
    // All calls are started before any settles, so every one of them holds the signal at once.
    const calls = Array.from({ length: CALLS }, () => client.listApiKeys({ signal: controller.signal }));
    const results = await Promise.all(calls);
    assert.equal(results.length, CALLS);
  });
  const leaks = warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
  assert.deepEqual(leaks.map((w) => w.message), []);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test(`one abort cancels all ${CALLS} calls in flight on the shared signal`, async () => {
  emu.reset();
  await emu.addFault({ method: 'GET', path: '/api_keys', action: 'stall', times: 0 });
  const client = emu.client();
  const controller = new AbortController();
  const warnings = await warningsDuring(async () => {
    const calls = Array.from({ length: CALLS }, () => client.listApiKeys({ signal: controller.signal }));
    // Wait until every request reached the emulator, so the abort hits calls in flight (not before sending).
    while ((await emu.requests({ method: 'GET', path: '/api_keys' })).length < CALLS) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const reason = new Error('shutting down');
    controller.abort(reason);
    const outcomes = await Promise.allSettled(calls);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.ok(outcome.reason instanceof NeonCancelledError, `${outcome.reason}`);
      assert.equal(outcome.reason.cause, reason);
    }
  });
  assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message), []);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('calls that settle one by one leave the shared signal working for the calls still running', async () => {
  emu.reset();
  const client = emu.client();
  const controller = new AbortController();
  // A finished call must not take the listener away from a call that is still waiting.
  await client.listApiKeys({ signal: controller.signal });
  await emu.addFault({ method: 'GET', path: '/auth', action: 'stall', times: 0 });
  const stalled = client.authDetails({ signal: controller.signal });
  await client.listApiKeys({ signal: controller.signal });
  while ((await emu.requests({ method: 'GET', path: '/auth' })).length < 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  controller.abort();
  await assert.rejects(stalled, NeonCancelledError);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});
