// No created key is ever lost, through the Node binding (the Rust test core/tests/no_loss.rs holds the same rules).
//
// N creates (NO_LOSS_CREATES, default 500; the Rust test runs 1,000-2,000) with 20 % ambiguous failures injected
// after the key was made (reset after the handler, 500, 502 with an HTML page, 504 empty):
// - reconcile on: the emulator's live keys equal exactly the keys handed to the caller. Each name is POSTed once, or
//   three times: the ambiguous create, a second one Neon's unique-name rule refuses (409), and a last one after the
//   orphan of the first was revoked;
// - reconcile on, organization keys, a colleague (the seed's second admin) holding the name first for one name in
//   seven: those creates fail with NeonConflictError and no colleague's key is ever revoked;
// - reconcile off: every live key the caller did not get lies inside a NeonOutcomeUnknownError's name and window,
//   and each name is POSTed once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startEmulator } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Client, NeonConflictError, NeonOutcomeUnknownError } = require('..');

const N = Number(process.env.NO_LOSS_CREATES || 500);
const FAULT_EVERY = 5;
const COLLEAGUE_EVERY = 7;
let emulator;
before(async () => { emulator = await startEmulator(); });
after(() => emulator?.stop());

function ambiguousFault(i, path) {
  const actions = [
    { type: 'reset_after' },
    { type: 'respond_after', status: 500, json: { code: '', message: 'internal error' } },
    { type: 'respond_after', status: 502, body: '<html><body>Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } },
    { type: 'respond_after', status: 504, body: '' },
  ];
  return { method: 'POST', path, times: 1, action: actions[Math.floor(i / FAULT_EVERY) % actions.length] };
}

function client(apiKey, reconcileCreates) {
  return new Client({
    apiKey, baseUrl: emulator.baseUrl, throttle: false, maxRetries: 2, backoffMs: [1, 20], reconcileCreates,
  });
}

/** Runs the N creates; returns what the caller saw. */
async function runCreates({ prefix, reconcile, org }) {
  await emulator.reset(false);
  const { seed } = emulator;
  const mine = client(seed.keys.admin, reconcile);
  const colleague = client(seed.keys.admin2, false);
  const path = org ? `/organizations/${seed.org_id}/api_keys` : '/api_keys';
  const run = { handed: new Map(), unknown: [], conflicts: [], colleague: new Map(), ambiguous: 0, unexpected: [] };
  for (let i = 0; i < N; i++) {
    const name = `${prefix}${String(i).padStart(6, '0')}`;
    if (org && i % COLLEAGUE_EVERY === 1) {
      run.colleague.set(name, (await colleague.createOrgApiKey(seed.org_id, name)).id);
    }
    if (i % FAULT_EVERY === FAULT_EVERY - 1) {
      await emulator.fault(ambiguousFault(i, path));
      run.ambiguous++;
    }
    try {
      const key = org ? await mine.createOrgApiKey(seed.org_id, name) : await mine.createApiKey(name);
      assert.equal(key.name, name);
      assert.equal(key.key.reveal().length, 64, 'a created key always carries its secret');
      assert.ok(!run.handed.has(name), `${name} handed out twice`);
      run.handed.set(name, key.id);
    } catch (error) {
      if (error instanceof NeonOutcomeUnknownError && error.keyName === name) run.unknown.push(error);
      else if (error instanceof NeonConflictError && run.colleague.has(name)) run.conflicts.push(name);
      else run.unexpected.push(`${name}: ${error}`);
    }
  }
  const state = await emulator.control('GET', '/state');
  const all = [...state.api_keys, ...state.org_api_keys].filter((k) => k.name.startsWith(prefix));
  const colleagueIds = new Set(run.colleague.values());
  const live = new Map(all.filter((k) => !k.revoked && !colleagueIds.has(k.id)).map((k) => [k.name, k]));
  const nameOf = new Map(all.map((k) => [k.id, k.name]));
  const posts = new Map();
  const deletes = new Map(); // key id → log position
  for (const r of await emulator.requests()) {
    const name = r.body?.key_name ?? '';
    if (r.method === 'POST' && r.path === path && name.startsWith(prefix) && r.auth === 'admin') {
      posts.set(name, [...(posts.get(name) ?? []), r]);
    } else if (r.method === 'DELETE') {
      deletes.set(Number(r.path.split('/').at(-1)), r.seq);
    }
  }
  assert.deepEqual(run.unexpected, [], 'unexpected errors');
  return { ...run, live, all, nameOf, posts, deletes };
}

/** The problems of a reconcile-on run (see the top of the file). */
function reconciledProblems(run) {
  const problems = [];
  let reconciled = 0;
  for (const [name, posts] of run.posts) {
    const faulted = posts[0].fault != null;
    if (posts.length === 1) continue;
    if (posts.length === 2 && faulted && run.colleague.has(name) && posts[1].status === 409) continue;
    if (posts.length === 3 && faulted && posts[1].status === 409) {
      const orphanRevoked = [...run.deletes].some(([id, seq]) => run.nameOf.get(id) === name
        && seq > posts[1].seq && seq < posts[2].seq);
      if (orphanRevoked) reconciled++;
      else problems.push(`${name}: created again without revoking the orphan first`);
      continue;
    }
    problems.push(`${name}: ${posts.length} POSTs (${posts.map((p) => p.status).join(', ')})`);
  }
  const touched = [...run.colleague.values()].filter((id) => run.deletes.has(id));
  if (touched.length) problems.push(`colleague's keys revoked: ${touched}`);
  const handed = new Map([...run.live].map(([name, key]) => [name, key.id]));
  if (JSON.stringify([...handed].sort()) !== JSON.stringify([...run.handed].sort())) {
    problems.push('the live keys differ from the keys handed out');
  }
  if (run.unknown.length) problems.push(`${run.unknown.length} NeonOutcomeUnknownError despite reconciliation`);
  if (run.conflicts.length !== run.colleague.size) problems.push('a name the colleague holds is not a conflict');
  if (run.handed.size + run.conflicts.length !== N) problems.push('a create ended with neither a key nor a conflict');
  return { problems, reconciled };
}

for (const [label, org, prefix] of [['personal keys', false, 'noloss-node-on-'], ['organization keys with a colleague',
  true, 'noloss-node-org-']]) {
  test(`no created key is lost (reconcile on, ${label})`, async () => {
    const run = await runCreates({ prefix, reconcile: true, org });
    const { problems, reconciled } = reconciledProblems(run);
    assert.deepEqual(problems, []);
    const ambiguousOnFreeNames = Array.from({ length: N }, (_, i) => i)
      .filter((i) => i % FAULT_EVERY === FAULT_EVERY - 1 && !(org && i % COLLEAGUE_EVERY === 1)).length;
    assert.equal(reconciled, ambiguousOnFreeNames, 'every ambiguous create of a free name was reconciled');
    console.log(`no-loss node (reconcile on, ${label}): ${N} creates, ${run.ambiguous} ambiguous, ${reconciled} `
      + `reconciled, ${run.conflicts.length} conflicts, ${run.handed.size} handed, ${run.live.size} live, lost 0`);
  });
}

test('no created key is lost (reconcile off): every unseen live key is reported', async () => {
  const run = await runCreates({ prefix: 'noloss-node-off-', reconcile: false, org: false });
  assert.equal(run.unknown.length, run.ambiguous);
  for (const [name, key] of run.live) {
    if (run.handed.has(name)) {
      assert.equal(key.id, run.handed.get(name));
      continue;
    }
    const created = Date.parse(key.created_at);
    const reported = run.unknown.some((e) => e.keyName === name && e.notBefore && e.notAfter
      && e.notBefore.getTime() - 1000 <= created && created <= e.notAfter.getTime() + 1000);
    assert.ok(reported, `live key ${name} was neither handed out nor reported in an OutcomeUnknown error`);
  }
  for (const [name, posts] of run.posts) assert.equal(posts.length, 1, `${name} was POSTed ${posts.length} times`);
  assert.equal(run.live.size, run.handed.size + run.unknown.length, 'every live key is accounted for');
  console.log(`no-loss node (reconcile off): ${N} creates, ${run.ambiguous} ambiguous, ${run.handed.size} handed, `
    + `${run.unknown.length} OutcomeUnknown, ${run.live.size} live, lost 0`);
});
