// neon-api-keys/testing: the emulator in-process (start, seed, client, faults, reset, state, requests, stop).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  Client, NeonAuthError, NeonConflictError, NeonNetworkError, NeonRateLimitedError, NeonServerError,
  NeonTimeoutError,
} from 'neon-api-keys';
import { Emulator, EmulatorError } from 'neon-api-keys/testing';
import { withEnv } from './helpers.mjs';

let emu;
before(async () => { emu = await Emulator.start(); });
after(() => emu?.stop());

test('start: URLs on 127.0.0.1 and the seed', () => {
  assert.match(emu.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
  assert.equal(emu.controlUrl, emu.baseUrl.replace('/api/v2', '/_emulator'));
  assert.equal(emu.running, true);
  const { seed } = emu;
  assert.equal(seed.personalApiKey, 'a'.repeat(64));
  assert.equal(seed.secondAdminApiKey, 'b'.repeat(64));
  assert.equal(seed.memberApiKey, 'm'.repeat(64));
  assert.equal(seed.orgApiKey, 'o'.repeat(64));
  assert.equal(seed.projectApiKey, 'p'.repeat(64));
  assert.equal(seed.revokedApiKey, 'r'.repeat(64));
  assert.equal(seed.orgId, 'org-acme-1234');
  assert.equal(seed.projectId, 'proj-alpha-5678');
  assert.equal(seed.otherProjectId, 'proj-beta-9012');
  assert.equal(seed.personalProjectId, 'proj-solo-3456');
  assert.deepEqual({ ...seed.ids },
    { admin: 1001, member: 1002, org: 2001, project: 2002, revoked: 1003, admin2: 1004 });
  assert.equal(seed.users.admin, '11111111-1111-4111-8111-111111111111');
  assert.equal(seed.users.admin2, '33333333-3333-4333-8333-333333333333');
  assert.ok(Object.isFrozen(seed));
  assert.equal(inspect(emu), `Emulator { baseUrl: '${emu.baseUrl}', running: true }`);
});

test('client(): a Client with the admin key and this baseUrl; options override', async () => {
  emu.reset();
  const client = emu.client();
  assert.ok(client instanceof Client);
  assert.equal(client.baseUrl, emu.baseUrl);
  const created = await client.createApiKey('from-testing');
  assert.equal(created.id, 5000);
  const org = emu.client({ apiKey: emu.seed.orgApiKey });
  assert.ok((await org.listOrgApiKeys(emu.seed.orgId)).some((k) => k.id === emu.seed.ids.project));
  await assert.rejects(emu.client({ apiKey: emu.seed.revokedApiKey }).listApiKeys(), NeonAuthError);
});

test('env(): new Client() talks to the emulator', async () => {
  emu.reset();
  await withEnv(emu.env(), async () => {
    assert.equal((await new Client().authDetails()).accountId, emu.seed.users.admin);
  });
  assert.deepEqual(emu.env(emu.seed.memberApiKey), { NEON_API_KEY: 'm'.repeat(64), NEON_API_HOST: emu.baseUrl });
});

test('addFault: respond, times, method filter; faults() and clearFaults()', async () => {
  emu.reset();
  await emu.addFault({ method: 'get', path: '/api_keys', action: { type: 'respond', status: 503 }, times: 2 });
  const [queued] = await emu.faults();
  assert.equal(queued.remaining, 2);
  const client = emu.client({ maxRetries: 0 });
  await assert.rejects(client.listApiKeys(), NeonServerError);
  await client.createApiKey('not-faulted'); // POST: not matched
  await assert.rejects(client.listApiKeys(), (e) => e instanceof NeonServerError && e.status === 503);
  assert.ok(Array.isArray(await client.listApiKeys())); // used up
  assert.deepEqual(await emu.faults(), []);

  await emu.addFault({ path: '/auth', action: { type: 'respond', status: 429, headers: { 'retry-after': '1' } } });
  await emu.addFault({ path: '/auth', action: 'stall', times: 0 });
  assert.equal((await emu.faults()).length, 2);
  await assert.rejects(client.authDetails(), (e) => e instanceof NeonRateLimitedError && e.retryAfterMs === 1000);
  await assert.rejects(client.authDetails({ timeoutMs: 200 }), NeonTimeoutError);
  await emu.clearFaults();
  assert.deepEqual(await emu.faults(), []);
  assert.equal((await client.authDetails()).authMethod, 'api_key_user');
});

test('a malformed fault or key is an EmulatorError with the status', async () => {
  await assert.rejects(emu.addFault({ path: '/api_keys', action: { type: 'explode' } }),
    (e) => e instanceof EmulatorError && e.status === 400 && /faults/.test(e.message));
  await assert.rejects(emu.addKey({ owner: 'nobody' }), EmulatorError);
  await assert.rejects(emu.addFault({ action: 'stall' }), TypeError);
});

test('state(), keys(), addKey(), secrets(), requests(), clearRequests(), reset()', async () => {
  emu.reset();
  const client = emu.client();
  const seeded = await emu.addKey({ owner: 'org', name: 'old', project_id: emu.seed.otherProjectId,
    last_used_at: '2024-06-01T10:00:00Z' });
  assert.equal(seeded.id, 5000);
  assert.equal(typeof seeded.key, 'string');
  const created = await client.createApiKey('made');
  await client.revokeApiKey(created.id);

  const state = await emu.state();
  assert.ok(state.org_api_keys.some((k) => k.name === 'old'));
  const made = (await emu.keys()).find((k) => k.name === 'made');
  assert.equal(made.revoked, true);
  assert.equal(Object.values(await emu.secrets()).includes(created.key.reveal()), true);

  const log = await emu.requests();
  assert.deepEqual(log.map((r) => `${r.method} ${r.path} ${r.status}`),
    ['POST /api_keys 200', `DELETE /api_keys/${created.id} 200`]);
  assert.ok(log.every((r) => r.auth === 'admin' && !JSON.stringify(r).includes(emu.seed.personalApiKey)));
  assert.equal((await emu.requests({ method: 'DELETE' })).length, 1);
  assert.equal((await emu.requests({ path: '/api_keys' })).length, 1);
  await emu.clearRequests();
  assert.deepEqual(await emu.requests(), []);

  assert.equal(emu.reset(), emu.seed);
  assert.equal((await emu.keys()).some((k) => k.name === 'made' || k.name === 'old'), false);
});

test('rate limits: off by default; start({rateLimits: true}), setRateLimits and reset({rateLimits})', async () => {
  const limited = await Emulator.start({ rateLimits: true });
  try {
    assert.notEqual(limited.baseUrl, emu.baseUrl);
    const client = limited.client({ maxRetries: 0, throttle: false });
    const hits = await Promise.allSettled(Array.from({ length: 45 }, () => client.authDetails()));
    assert.ok(hits.some((h) => h.status === 'rejected' && h.reason instanceof NeonRateLimitedError));
    limited.setRateLimits(false);
    assert.ok((await Promise.allSettled(Array.from({ length: 45 }, () => client.authDetails())))
      .every((h) => h.status === 'fulfilled'));
    limited.reset(); // back to the start-up value: on
    const again = await Promise.allSettled(Array.from({ length: 45 }, () => client.authDetails()));
    assert.ok(again.some((h) => h.status === 'rejected'));
    limited.reset({ rateLimits: false });
    assert.ok((await Promise.allSettled(Array.from({ length: 45 }, () => client.authDetails())))
      .every((h) => h.status === 'fulfilled'));
  } finally {
    await limited.stop();
  }
  emu.reset();
  const client = emu.client({ maxRetries: 0, throttle: false });
  assert.ok((await Promise.allSettled(Array.from({ length: 45 }, () => client.authDetails())))
    .every((h) => h.status === 'fulfilled'));
  assert.throws(() => emu.setRateLimits('yes'), TypeError);
});

test('stop(): ends stalled calls, then refuses connections; idempotent; Symbol.asyncDispose', async () => {
  const short = await Emulator.start();
  const client = short.client({ maxRetries: 0, timeoutMs: 10_000 });
  await short.addFault({ path: '/auth', action: 'stall' });
  const stalled = client.authDetails().then(() => 'answered', (error) => error);
  while ((await short.requests()).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await short.stop();
  assert.equal(short.running, false);
  // Ended by the stop (a network error), not by the client's 10 s deadline (a timeout).
  assert.ok((await stalled) instanceof NeonNetworkError);
  await assert.rejects(client.listApiKeys(), NeonNetworkError);
  await short.stop();
  short.reset(); // a no-op once stopped

  // `await using scoped = await Emulator.start()` where the syntax exists (Node 24); the same call here:
  const scoped = await Emulator.start();
  const url = scoped.baseUrl;
  await scoped[Symbol.asyncDispose]();
  assert.equal(scoped.running, false);
  await assert.rejects(new Client({ apiKey: 'k'.repeat(64), baseUrl: url, maxRetries: 0 }).listApiKeys(),
    NeonNetworkError);
});

test('the second admin: a colleague in the same organization, whose key names clash with yours', async () => {
  emu.reset();
  const colleague = emu.client({ apiKey: emu.seed.secondAdminApiKey });
  assert.equal((await colleague.authDetails()).accountId, emu.seed.users.admin2);
  const theirs = await colleague.createOrgApiKey(emu.seed.orgId, 'deploy');
  await assert.rejects(emu.client().createOrgApiKey(emu.seed.orgId, 'deploy'),
    (e) => e instanceof NeonConflictError && /choose another unique name for api key/.test(e.message));
  const seeded = await emu.addKey({ owner: 'admin2', name: 'theirs-too' });
  assert.equal(seeded.created_by, emu.seed.users.admin2);
  assert.ok((await colleague.listApiKeys()).some((k) => k.id === seeded.id));
  assert.ok((await emu.keys()).some((k) => k.id === theirs.id && !k.revoked));
});

test('setNameConflictStatus and reset({nameConflictStatus}): a duplicate name is 400, 409 or 422', async () => {
  // Whatever the status, the core recognises Neon's message: NeonConflictError.
  for (const [set, status] of [[(s) => emu.setNameConflictStatus(s), 422], [(s) => emu.reset({ nameConflictStatus: s }), 400]]) {
    emu.reset();
    set(status);
    await emu.addKey({ name: 'taken' });
    await assert.rejects(emu.client().createApiKey('taken'),
      (e) => e instanceof NeonConflictError && e.status === status);
  }
  emu.reset(); // back to 409
  await emu.addKey({ name: 'taken' });
  await assert.rejects(emu.client().createApiKey('taken'), (e) => e instanceof NeonConflictError && e.status === 409);
  for (const bad of [418, 409.5, Number.NaN]) {
    assert.throws(() => emu.setNameConflictStatus(bad), (e) => e instanceof RangeError
      && /nameConflictStatus must be one of 400, 409, 422/.test(e.message), String(bad));
  }
  assert.throws(() => emu.setNameConflictStatus('409'), TypeError);
});

test('setClockOffsetMs and reset({clockOffsetMs}): the emulator\'s clock runs ahead (or behind)', async () => {
  /** Whether a key made now is stamped with this machine's clock plus `offsetMs` (to the emulator's whole second). */
  const stampedAt = async (offsetMs) => {
    const before = Date.now();
    const createdAt = new Date((await emu.addKey()).created_at).getTime();
    const after = Date.now();
    return before + offsetMs - 1000 <= createdAt && createdAt <= after + offsetMs + 1000;
  };
  emu.reset();
  assert.ok(await stampedAt(0));
  emu.setClockOffsetMs(3_600_000);
  assert.ok(await stampedAt(3_600_000), 'an hour ahead');
  emu.reset({ clockOffsetMs: -86_400_000 });
  assert.ok(await stampedAt(-86_400_000), 'a day behind');
  emu.reset();
  assert.ok(await stampedAt(0), 'reset puts the clock back');
  assert.throws(() => emu.setClockOffsetMs(1.5), RangeError);
  assert.throws(() => emu.setClockOffsetMs('1'), TypeError);
});

test('useKey: marks a key used, as an application starting to use a rotated key', async () => {
  emu.reset();
  const rotation = await emu.client().rotateApiKey(emu.seed.ids.admin, {
    waitForUseMs: 5_000, pollIntervalMs: 20, store: (key) => emu.useKey(key.id),
  });
  assert.equal(rotation.newKeySeenInUse, true);
  assert.equal(rotation.revoked?.id, emu.seed.ids.admin);
  const used = await emu.useKey(emu.seed.ids.member, { from: '10.1.2.3' });
  assert.equal(used.last_used_from_addr, '10.1.2.3');
  await assert.rejects(emu.useKey(424242), (e) => e instanceof EmulatorError && e.status === 404);
});

test('Emulator cannot be constructed directly', () => {
  assert.throws(() => new Emulator({}), TypeError);
});
