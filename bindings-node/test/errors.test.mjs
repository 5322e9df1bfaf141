// Error classes and codes: every core kind maps to a NeonError subclass with a stable `code`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';
import { startEmulator, withEnv, rejection } from './helpers.mjs';

const require = createRequire(import.meta.url);
const neon = require('../lib/index.js');
const { NeonClient, NeonError } = neon;

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new NeonClient({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false, backoffMs: [1, 20], ...options,
});


test('every kind of the core has a subclass with a NEON_<KIND> code, and there is no other', () => {
  const { errorKinds } = require('../index.js');
  const kinds = errorKinds();
  assert.equal(kinds.length, 19);
  const classes = Object.entries(neon).filter(([name]) => /^Neon.+Error$/.test(name) && name !== 'NeonError');
  assert.deepEqual(classes.map(([, cls]) => cls.kind).sort(), [...kinds].sort());
  for (const [className, cls] of classes) {
    const { kind } = cls;
    const error = new cls('m', { kind });
    assert.ok(error instanceof NeonError && error instanceof Error, className);
    assert.equal(error.code, `NEON_${kind.toUpperCase()}`);
    assert.equal(error.kind, kind);
    assert.equal(error.name, kind === 'cancelled' ? 'AbortError' : className);
    const expected = kind.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
    assert.equal(className, `Neon${expected}Error`, 'the class is named after its kind');
  }
});

test('404 → NeonNotFoundError with status and request id', async () => {
  await emu.reset();
  const error = await rejection(client().revokeApiKey(987654, { requestId: 'req-node-404' }));
  assert.ok(error instanceof neon.NeonNotFoundError);
  assert.equal(error.code, 'NEON_NOT_FOUND');
  assert.equal(error.kind, 'not_found');
  assert.equal(error.status, 404);
  assert.equal(error.requestId, 'req-node-404');
  assert.match(error.message, /not found/i);
  assert.match(error.stack, /NeonNotFoundError/);
});

test('401 → NeonAuthError; 403 → NeonPermissionDeniedError', async () => {
  await emu.reset();
  const auth = await rejection(client({ apiKey: emu.seed.keys.revoked }).listApiKeys());
  assert.ok(auth instanceof neon.NeonAuthError);
  assert.equal(auth.status, 401);
  const denied = await rejection(client({ apiKey: emu.seed.keys.member }).listOrgApiKeys(emu.seed.org_id));
  assert.ok(denied instanceof neon.NeonPermissionDeniedError);
  assert.equal(denied.code, 'NEON_PERMISSION_DENIED');
});

test('429 → NeonRateLimitedError with retryAfterMs', async () => {
  await emu.reset();
  await emu.fault({
    method: 'GET', path: '/api_keys', times: 0,
    action: { type: 'respond', status: 429, headers: { 'retry-after': '1' }, json: { code: '', message: 'slow down' } },
  });
  const error = await rejection(client().listApiKeys());
  assert.ok(error instanceof neon.NeonRateLimitedError);
  assert.equal(error.status, 429);
  assert.equal(error.retryAfterMs, 1000);
});

test('lost create response → NeonOutcomeUnknownError with the key name and window', async () => {
  await emu.reset();
  await emu.fault({ method: 'POST', path: '/api_keys', action: { type: 'reset_after' } });
  const error = await rejection(client().createApiKey('maybe-created'));
  assert.ok(error instanceof neon.NeonOutcomeUnknownError);
  assert.equal(error.code, 'NEON_OUTCOME_UNKNOWN');
  assert.equal(error.keyName, 'maybe-created');
  assert.ok(error.notBefore instanceof Date && error.notAfter instanceof Date);
  assert.ok(error.notBefore.getTime() <= error.notAfter.getTime());
  // The emulator made the key before it cut the connection: it is inside the window (whole seconds on Neon's clock).
  const made = (await emu.control('GET', '/state')).api_keys.find((k) => k.name === 'maybe-created');
  const createdAt = Date.parse(made.created_at);
  assert.ok(error.notBefore.getTime() - 1000 <= createdAt && createdAt <= error.notAfter.getTime() + 1000);
});

test('bad created key → NeonVerificationFailedError with keyId and revoked', async () => {
  await emu.reset();
  await emu.fault({ method: 'POST', path: '/api_keys', action: { type: 'patch_json', set: { key: '' } } });
  const error = await rejection(client({ maxRetries: 2 }).createApiKey('v-key'));
  assert.ok(error instanceof neon.NeonVerificationFailedError);
  assert.equal(error.keyId, 5000);
  assert.equal(error.revoked, true);
});

test('a bad id is NeonInvalidInputError, a wrong type a TypeError; nothing is sent', async () => {
  await emu.reset();
  const c = client();
  for (const id of [1.5, Number.NaN, 2 ** 53, -(2 ** 60), Infinity]) {
    const error = await rejection(c.revokeApiKey(id));
    assert.ok(error instanceof neon.NeonInvalidInputError, `id ${id}`);
    assert.equal(error.code, 'NEON_INVALID_INPUT');
  }
  const empty = await rejection(c.createApiKey(''));
  assert.ok(empty instanceof neon.NeonInvalidInputError);
  for (const call of [() => c.revokeApiKey('1'), () => c.createApiKey(42), () => c.unusedApiKeys({ since: 'x' }),
    () => c.listApiKeys({ signal: 'nope' }), () => c.createOrgApiKey('org', 'n', { projectId: 7 })]) {
    const error = await rejection(call());
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, 'ERR_INVALID_ARG_TYPE');
  }
  const timeout = await rejection(c.listApiKeys({ timeoutMs: -5 }));
  assert.ok(timeout instanceof neon.NeonInvalidInputError);
  assert.deepEqual(await emu.requests(), []);
});

test('bad settings throw from the constructor', () => {
  assert.throws(() => new NeonClient({ apiKey: 'k', baseUrl: 'http://example.com/api/v2' }), neon.NeonConfigError);
  assert.throws(() => new NeonClient({ baseUrl: 'not a url' }), (e) => e instanceof neon.NeonConfigError
    && e.code === 'NEON_CONFIG');
  assert.throws(() => new NeonClient({ timeoutMs: -1 }), neon.NeonInvalidInputError);
  assert.throws(() => new NeonClient({ backoffMs: [1] }), neon.NeonInvalidInputError);
  assert.throws(() => new NeonClient({ apiKey: 42 }), TypeError);
  assert.throws(() => new NeonClient('key'), TypeError);
});

test('a missing key is NeonConfigError from the first call', async () => {
  await emu.reset();
  const error = await withEnv({}, () => rejection(new NeonClient({ baseUrl: emu.baseUrl }).listApiKeys()));
  assert.ok(error instanceof neon.NeonConfigError);
  assert.equal(error.status, null);
});

test('a Rust panic becomes NeonInternalError, sync or async, and the process lives on', async () => {
  const native = require('../index.js');
  const { translate } = require('../lib/translate.js');
  let syncError;
  try {
    native.__panicForTests(false);
  } catch (error) {
    syncError = translate(error);
  }
  assert.ok(syncError instanceof neon.NeonInternalError);
  assert.equal(syncError.code, 'NEON_INTERNAL');
  const asyncError = translate(await rejection(native.__panicForTests(true)));
  assert.ok(asyncError instanceof neon.NeonInternalError);
  assert.match(asyncError.message, /deliberate test panic/);
  // Still usable afterwards.
  await emu.reset();
  assert.ok(Array.isArray(await client().listApiKeys()));
});

test('rotation with a failed revoke of the old key resolves with the stored new key and a NeonError', async () => {
  await emu.reset();
  await emu.fault({
    method: 'DELETE', path: `/api_keys/${emu.seed.ids.admin}`, times: 0,
    action: { type: 'respond', status: 403, json: { code: '', message: 'forbidden' } },
  });
  const stored = [];
  const rotation = await client().rotateApiKey(emu.seed.ids.admin, { store: (key) => stored.push(key.id),
    newName: 'rotated' });
  assert.equal(rotation.newKey.name, 'rotated');
  assert.deepEqual(stored, [rotation.newKey.id]);
  assert.equal(rotation.revoked, null);
  assert.ok(rotation.revokeError instanceof neon.NeonPermissionDeniedError);
  assert.equal(rotation.revokeError.status, 403);
});

test('an id past Number.MAX_SAFE_INTEGER in a response is NeonDecodeError naming it, never a rounded id', async () => {
  await emu.reset();
  const item = '{"id":9007199254740993,"name":"big","created_at":"2025-01-01T00:00:00Z","created_by":null,'
    + '"last_used_at":null,"last_used_from_addr":""}';
  await emu.fault({
    method: 'GET', path: '/api_keys',
    action: { type: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: `[${item}]` },
  });
  const error = await rejection(client().listApiKeys());
  assert.ok(error instanceof neon.NeonDecodeError, `${error}`);
  assert.match(error.message, /9007199254740993/);
});

test('a created key whose id a JS number cannot hold is revoked: NeonVerificationFailedError naming it', async () => {
  await emu.reset();
  // Neon's answer as text: JSON.stringify would round the id before it reached the emulator.
  const created = `{"id":9007199254740993,"key":"${'k'.repeat(64)}","name":"too-big",`
    + '"created_at":"2025-01-01T00:00:00Z","created_by":"11111111-1111-4111-8111-111111111111"}';
  await emu.controlRaw('POST', '/faults', `{"method":"POST","path":"/api_keys","action":{"type":"respond",`
    + `"status":200,"headers":{"content-type":"application/json"},"body":${JSON.stringify(created)}}}`);
  const error = await rejection(client({ maxRetries: 2 }).createApiKey('too-big'));
  assert.ok(error instanceof neon.NeonVerificationFailedError, `${error}`);
  assert.match(error.message, /9007199254740993/);
  assert.equal(error.revoked, true);
  assert.equal(error.keyId, null, 'never a rounded id');
  const revokes = (await emu.requests()).filter((r) => r.method === 'DELETE');
  assert.deepEqual(revokes.map((r) => r.path), ['/api_keys/9007199254740993']);
});

// ---- cause: the core error's source chain, or the abort reason ----

test('cause chains the core error\'s source texts, outermost first, scrubbed', () => {
  const native = require('../index.js');
  const { translate } = require('../lib/translate.js');
  const secret = `cause-sentinel-${'k'.repeat(49)}`;
  // A client registers its keys with the core's scrubber; the source texts pass through it.
  new NeonClient({ apiKey: secret, baseUrl: 'http://127.0.0.1:9/api/v2' });
  const error = translate(native.__errorForTests('network', 'could not connect',
    ['client error (Connect)', `tcp connect error: token ${secret}`, 'Connection refused (os error 111)']));
  assert.ok(error instanceof neon.NeonNetworkError);
  const links = [];
  for (let cause = error.cause; cause !== undefined; cause = cause.cause) links.push(cause);
  assert.deepEqual(links.map((c) => c.constructor), [Error, Error, Error]);
  assert.deepEqual(links.map((c) => c.message), [
    'client error (Connect)', 'tcp connect error: token [REDACTED]', 'Connection refused (os error 111)',
  ]);
  const printed = inspect(error, { depth: 10 });
  assert.match(printed, /\[cause\]: Error: Connection refused \(os error 111\)/);
  assert.ok(!printed.includes(secret));

  const decode = translate(native.__errorForTests('decode', 'unreadable', ['expected value at line 1 column 1']));
  assert.ok(decode instanceof neon.NeonDecodeError);
  assert.equal(decode.cause.message, 'expected value at line 1 column 1');
  assert.equal(decode.cause.cause, undefined);
});

test('no source, no cause: an HTTP error has none', async () => {
  const native = require('../index.js');
  const { translate } = require('../lib/translate.js');
  assert.equal(translate(native.__errorForTests('network', 'x', [])).cause, undefined);
  assert.ok(!('cause' in translate(native.__errorForTests('network', 'x', []))));
  await emu.reset();
  const error = await rejection(client().revokeApiKey(424242));
  assert.ok(error instanceof neon.NeonNotFoundError);
  assert.equal(error.cause, undefined);
});

test('a cancelled call keeps the signal\'s reason as cause, even with a source chain', () => {
  const native = require('../index.js');
  const { translate } = require('../lib/translate.js');
  const controller = new AbortController();
  const reason = new Error('user pressed stop');
  controller.abort(reason);
  const error = translate(native.__errorForTests('cancelled', 'cancelled', ['ignored']), controller.signal);
  assert.ok(error instanceof neon.NeonCancelledError);
  assert.equal(error.cause, reason);
});

test('a real refused connection: NeonNetworkError whose cause carries the I/O error', async () => {
  const error = await rejection(new NeonClient({ apiKey: 'k'.repeat(64), baseUrl: 'http://127.0.0.1:9/api/v2',
    maxRetries: 0 }).listApiKeys());
  assert.ok(error instanceof neon.NeonNetworkError, `${error}`);
  assert.ok(error.cause instanceof Error, 'cause is an Error');
  const texts = [];
  for (let cause = error.cause; cause !== undefined; cause = cause.cause) texts.push(cause.message);
  assert.match(texts.join(' | '), /Connection refused|connect/i);
  assert.ok(!texts.join(' ').includes('k'.repeat(64)));
});
