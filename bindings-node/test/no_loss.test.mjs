// No created key is ever lost, through the Node binding (issue: reliability, "no loss").
//
// N creates (NO_LOSS_CREATES, default 500; the Rust test runs 2,000) with 20 % ambiguous failures injected after the
// key was made (reset after the handler, 500, 502 with an HTML page, 504 empty):
// - reconcile on: the emulator's live keys equal exactly the keys handed to the caller;
// - reconcile off: every live key the caller did not get lies inside a NeonOutcomeUnknownError's name and window;
// - both: the request log shows no automatic duplicate create.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startEmulator } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Client, NeonOutcomeUnknownError } = require('..');

const N = Number(process.env.NO_LOSS_CREATES || 500);
let emulator;
before(async () => { emulator = await startEmulator(); });
after(() => emulator?.stop());

function ambiguousFault(i) {
  const actions = [
    { type: 'reset_after' },
    { type: 'respond_after', status: 500, json: { code: '', message: 'internal error' } },
    { type: 'respond_after', status: 502, body: '<html><body>Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } },
    { type: 'respond_after', status: 504, body: '' },
  ];
  return { method: 'POST', path: '/api_keys', times: 1, action: actions[i % actions.length] };
}

for (const reconcile of [true, false]) {
  test(`no created key is lost (reconcile ${reconcile ? 'on' : 'off'})`, async () => {
    await emulator.reset(false);
    const prefix = `noloss-node-${reconcile ? 'on' : 'off'}-`;
    const client = new Client({
      apiKey: emulator.seed.keys.admin, baseUrl: emulator.baseUrl, throttle: false, maxRetries: 2,
      backoffMs: [1, 20], reconcileCreates: reconcile,
    });
    const handed = new Map();
    const unknown = [];
    let ambiguous = 0;
    for (let i = 0; i < N; i++) {
      const name = `${prefix}${String(i).padStart(6, '0')}`;
      if (i % 5 === 4) {
        await emulator.fault(ambiguousFault(Math.floor(i / 5)));
        ambiguous++;
      }
      try {
        const key = await client.createApiKey(name);
        assert.ok(key.key.reveal().length > 0, 'a created key always carries its secret');
        handed.set(name, key.id);
      } catch (error) {
        assert.ok(error instanceof NeonOutcomeUnknownError, `unexpected ${error}`);
        assert.ok(!reconcile, `reconcile on, yet ${name} ended OutcomeUnknown: ${error.message}`);
        assert.equal(error.keyName, name);
        unknown.push(error);
      }
    }
    const state = await emulator.control('GET', '/state');
    const live = new Map(state.api_keys
      .filter((k) => !k.revoked && k.name.startsWith(prefix))
      .map((k) => [k.name, k]));
    if (reconcile) {
      assert.deepEqual(new Map([...live].map(([n, k]) => [n, k.id])), handed, 'live keys must equal the keys handed out');
    } else {
      assert.equal(unknown.length, ambiguous);
      for (const [name, key] of live) {
        if (handed.has(name)) { assert.equal(key.id, handed.get(name)); continue; }
        const created = Date.parse(key.created_at);
        const reported = unknown.some((e) => e.keyName === name && e.notBefore && e.notAfter
          && new Date(e.notBefore).getTime() - 1000 <= created && created <= new Date(e.notAfter).getTime() + 1000);
        assert.ok(reported, `live key ${name} was neither handed out nor reported in an OutcomeUnknown error`);
      }
    }
    const posts = new Map();
    for (const r of await emulator.requests()) {
      const name = r.body?.key_name ?? '';
      if (r.method === 'POST' && r.path === '/api_keys' && name.startsWith(prefix)) posts.set(name, (posts.get(name) ?? 0) + 1);
    }
    for (const [name, count] of posts) assert.ok(count <= (reconcile ? 2 : 1), `${name} was POSTed ${count} times`);
    assert.equal(live.size, handed.size + (reconcile ? 0 : unknown.length), 'every live key is accounted for');
    console.log(`no-loss node (reconcile ${reconcile ? 'on' : 'off'}): ${N} creates, ${ambiguous} ambiguous, `
      + `${handed.size} handed, ${unknown.length} OutcomeUnknown, ${live.size} live, lost 0`);
  });
}
