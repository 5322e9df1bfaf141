// The core's log records in Node: a client's `logger` gets the records of its own calls (a retried call: the retry
// with its reason, wait and request id), `NODE_DEBUG=neon-api-keys` writes them to stderr, no record holds a secret,
// nothing reaches JavaScript when nobody listens, and records in flight at exit (process or worker) crash nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startEmulator, PACKAGE_DIR } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('../lib/index.js');
const native = require('../index.js');

// Tests that wait for a record fail after this long instead of hanging when it never comes.
const BOUNDED = { timeout: 60_000 };

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new Client({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 2, backoffMs: [1, 5], throttle: false, ...options,
});
const unavailableOnce = (method, urlPath) => emu.fault({
  method, path: urlPath, times: 1, action: { type: 'respond', status: 503, json: { code: '', message: 'try again' } },
});

/**
 * A logger keeping every record as `{level, message, fields}`; `until(predicate)` resolves once a record matching it
 * has arrived (records come from the addon's threads, after the call that made them may have resolved).
 */
function recorder(methods = ['debug', 'info', 'warn', 'error']) {
  const records = [];
  const waiting = [];
  const logger = {};
  for (const level of methods) {
    logger[level] = (message, fields) => {
      const record = { level, message, fields };
      records.push(record);
      for (const w of waiting.filter((w) => w.predicate(record))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(record);
      }
    };
  }
  const until = (predicate) => {
    const found = records.find(predicate);
    return found ? Promise.resolve(found) : new Promise((resolve) => { waiting.push({ predicate, resolve }); });
  };
  return { logger, records, until };
}

const lastResponseOf = (requestId) => (r) => r.message === 'response' && r.fields.request_id === requestId
  && r.fields.status === '200';

test('a retried call: the logger gets the 503, the retry with reason, wait and request id, then the 200', BOUNDED, async () => {
  await emu.reset();
  await unavailableOnce('GET', '/api_keys');
  const { logger, records, until } = recorder();
  await client({ logger }).listApiKeys({ requestId: 'req-log-retry' });
  await until(lastResponseOf('req-log-retry'));
  const retry = records.find((r) => r.message === 'retrying');
  assert.equal(retry?.level, 'info', JSON.stringify(records));
  assert.equal(retry.fields.failure, 'status 503');
  assert.match(retry.fields.wait_ms, /^\d+$/);
  assert.equal(retry.fields.request_id, 'req-log-retry');
  assert.equal(retry.fields.op, 'list_api_keys');
  assert.deepEqual(records.filter((r) => r.message === 'response').map((r) => [r.level, r.fields.status,
    r.fields.method, r.fields.route]), [['debug', '503', 'GET', '/api_keys'], ['debug', '200', 'GET', '/api_keys']]);
  for (const r of records) {
    assert.equal(Object.getPrototypeOf(r.fields), Object.prototype);
    assert.ok(Object.values(r.fields).every((v) => typeof v === 'string'), JSON.stringify(r));
    assert.ok(!('node_client' in r.fields), 'the routing field is not the caller\'s');
  }
});

test('no record holds a secret: creates, a rotation, a failing call, all logged', BOUNDED, async () => {
  await emu.reset();
  const { logger, records, until } = recorder();
  const c = client({ logger });
  await unavailableOnce('POST', '/api_keys');
  const created = await c.createApiKey('logged-create', { requestId: 'req-log-create' });
  let stored;
  await c.rotateApiKey(created.id, { store: (key) => { stored = key.key.reveal(); }, requestId: 'req-log-rotate' });
  await c.revokeApiKey(987654, { requestId: 'req-log-missing' }).catch(() => {});
  await until((r) => r.fields.request_id === 'req-log-missing' && r.message === 'response');
  await until((r) => r.message === 'rotation: revoked the old key');
  const issued = Object.values(await emu.control('GET', '/secrets'));
  const secrets = [emu.seed.keys.admin, created.key.reveal(), stored, ...issued];
  const text = JSON.stringify(records);
  assert.ok(records.length >= 10, `${records.length} records`);
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret is in a log record');
  console.log(`secrets sweep node (log): ${secrets.length} secrets, ${records.length} records, `
    + `${text.length} chars scanned: 0 leaks`);
});

test('records are routed by client: a client without a logger sends nothing to JavaScript', BOUNDED, async () => {
  await emu.reset();
  const { logger, records, until } = recorder();
  const logged = client({ logger });
  const quiet = client();
  await logged.authDetails({ requestId: 'req-log-before' });
  await until((r) => r.fields.request_id === 'req-log-before' && r.message === 'response');
  const before = native.__logStatsForTests();
  assert.equal(before.installed, true);
  await unavailableOnce('GET', '/api_keys');
  await quiet.listApiKeys({ requestId: 'req-quiet' });
  await logged.authDetails({ requestId: 'req-log-after' });
  await until((r) => r.fields.request_id === 'req-log-after' && r.message === 'response');
  assert.equal(records.filter((r) => r.fields.request_id === 'req-quiet').length, 0);
  const forwarded = native.__logStatsForTests().forwarded - before.forwarded;
  const afterCall = records.filter((r) => r.fields.request_id === 'req-log-after').length;
  assert.equal(forwarded, afterCall, 'only the logged client\'s records were forwarded');
});

test('a logger gets only the levels it has methods for', BOUNDED, async () => {
  await emu.reset();
  const { logger, records } = recorder(['warn', 'error']);
  const before = native.__logStatsForTests().forwarded;
  await unavailableOnce('GET', '/api_keys');
  await client({ logger }).listApiKeys({ requestId: 'req-log-warn-only' });
  // The quiet call of a recording client: its last record (the 200) marks the end of the first client's records.
  const probe = recorder();
  await client({ logger: probe.logger }).authDetails({ requestId: 'req-log-probe' });
  await probe.until((r) => r.fields.request_id === 'req-log-probe' && r.message === 'response');
  assert.deepEqual(records, [], 'a retry is info, a response debug: none of them for warn and error');
  assert.equal(native.__logStatsForTests().forwarded - before, probe.records.length);
});

test('a logger must be an object with debug, info, warn and/or error methods', () => {
  for (const bad of [{}, { info: 'yes' }, 'console', () => {}, { log() {} }]) {
    assert.throws(() => client({ logger: bad }), (e) => e instanceof TypeError && /options\.logger must be a logger/
      .test(e.message), String(bad));
  }
  assert.ok(client({ logger: console }) instanceof Client);
  assert.ok(client({ logger: { error() {} } }) instanceof Client);
});

test('a logger that throws: the call is unaffected, and one warning says so', BOUNDED, async () => {
  await emu.reset();
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    let calls = 0;
    const logger = { debug: () => { calls += 1; throw new Error('disk full'); } };
    const keys = await client({ logger }).listApiKeys({ requestId: 'req-log-throws' });
    assert.ok(Array.isArray(keys));
    const probe = recorder();
    await client({ logger: probe.logger }).authDetails({ requestId: 'req-log-probe-2' });
    await probe.until((r) => r.fields.request_id === 'req-log-probe-2' && r.message === 'response');
    while (warnings.length === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(calls >= 2, 'it kept getting records');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'NEON_LOGGER_THREW');
    assert.match(warnings[0].message, /disk full/);
  } finally {
    process.off('warning', onWarning);
  }
});

/** Runs `script` (CommonJS, with `lib` and `testing` in scope) in a new Node process with `env` added. */
function runNode(script, env = {}) {
  const lib = JSON.stringify(path.join(PACKAGE_DIR, 'lib', 'index.js'));
  const testing = JSON.stringify(path.join(PACKAGE_DIR, 'lib', 'testing.js'));
  const addon = JSON.stringify(path.join(PACKAGE_DIR, 'index.js'));
  const prelude = `const lib = require(${lib}); const testing = require(${testing}); const addon = require(${addon});`;
  const childEnv = { ...process.env, ...env };
  if (env.NODE_DEBUG === undefined) delete childEnv.NODE_DEBUG;
  // A child that hangs is killed (and the test fails on its signal) rather than hanging the suite.
  return spawnSync(process.execPath, ['-e', `${prelude}\n${script}`], { env: childEnv, encoding: 'utf8', timeout: 60_000 });
}

/** A retried call against an in-process emulator; prints the log bridge's stats and the admin key as JSON. */
const RETRIED_CALL = `
(async () => {
  const emu = await testing.Emulator.start();
  await emu.addFault({ method: 'GET', path: '/api_keys', times: 1, action: { type: 'respond', status: 503 } });
  await emu.client({ backoffMs: [1, 5] }).listApiKeys({ requestId: 'req-debuglog' });
  await emu.stop();
  await new Promise((resolve) => setImmediate(resolve));
  console.log(JSON.stringify({ stats: addon.__logStatsForTests(), secret: emu.seed.personalApiKey }));
})();
`;

test('NODE_DEBUG=neon-api-keys: the records go to stderr, with the retry and its request id, and no secret', () => {
  const run = runNode(RETRIED_CALL, { NODE_DEBUG: 'neon-api-keys' });
  assert.equal(run.status, 0, run.stderr);
  const { stats, secret } = JSON.parse(run.stdout);
  const lines = run.stderr.split('\n').filter(Boolean);
  assert.ok(lines.every((l) => /^NEON-API-KEYS \d+: (trace|debug|info|warn|error) /.test(l)), run.stderr);
  const retry = lines.find((l) => / info retrying /.test(l));
  assert.match(retry ?? '', /failure="status 503" wait_ms=\d+ .*request_id=req-debuglog/, run.stderr);
  assert.ok(lines.some((l) => / debug response .*status=200 .*request_id=req-debuglog/.test(l)), run.stderr);
  assert.ok(!run.stderr.includes(secret));
  assert.equal(stats.installed, true);
  assert.equal(stats.forwarded, lines.length);
});

test('NODE_DEBUG with the package loaded in a worker too: one listener, each record written once', () => {
  // The worker stays alive (listening on its port) while the call runs; unref'd, it does not keep the process.
  const inWorker = `require(${JSON.stringify(path.join(PACKAGE_DIR, 'lib', 'index.js'))});
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => {});
    parentPort.postMessage('loaded');`;
  const run = runNode(`
    const w = new (require('node:worker_threads').Worker)(${JSON.stringify(inWorker)}, { eval: true });
    w.unref();
    w.once('message', () => {
      ${RETRIED_CALL}
    });
  `, { NODE_DEBUG: 'neon-api-keys' });
  assert.equal(run.status, 0, run.stderr);
  const { stats } = JSON.parse(run.stdout);
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('NEON-API-KEYS'));
  assert.equal(stats.listeners, 1, 'the worker added no second process-wide listener');
  assert.equal(stats.forwarded, lines.length, 'each record went to one listener');
  assert.equal(lines.filter((l) => / info retrying .*request_id=req-debuglog/.test(l)).length, 1, run.stderr);
});

test('logging off (no NODE_DEBUG, no logger): no sink, nothing forwarded, nothing written', () => {
  const run = runNode(RETRIED_CALL, { NODE_DEBUG: 'http' });
  assert.equal(run.status, 0, run.stderr);
  const { stats } = JSON.parse(run.stdout);
  assert.deepEqual(stats, { installed: false, forwarded: 0, listeners: 0 });
  assert.ok(!/NEON-API-KEYS/.test(run.stderr), run.stderr);
});

test('records in flight when the process exits: a clean exit, no crash', () => {
  const run = runNode(`
    (async () => {
      const emu = await testing.Emulator.start();
      await emu.addFault({ method: 'GET', path: '/api_keys', times: 0, action: { type: 'respond', status: 503 } });
      const c = emu.client({ logger: { debug() {}, info() {} }, maxRetries: 200, backoffMs: [1, 2], timeoutMs: 60000 });
      for (let i = 0; i < 20; i++) c.listApiKeys().catch(() => {});
      while ((await emu.requests()).length < 40) await new Promise((resolve) => setTimeout(resolve, 5));
      process.exit(0);
    })();
  `, { NODE_DEBUG: 'neon-api-keys' });
  assert.equal(run.signal, null, run.stderr.slice(-2000));
  assert.equal(run.status, 0, run.stderr.slice(-2000));
});

test('a worker whose client logs is terminated mid-call: this thread carries on, its own logger still works',
  BOUNDED, async () => {
    await emu.reset();
    await emu.fault({ method: 'GET', path: '/api_keys', times: 0, action: { type: 'respond', status: 503 } });
    const worker = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads');
      const { Client } = require(workerData.lib);
      const c = new Client({ apiKey: workerData.key, baseUrl: workerData.baseUrl, maxRetries: 200, backoffMs: [1, 2],
        timeoutMs: 60000, throttle: false, logger: { debug() {}, info() {} } });
      for (let i = 0; i < 10; i++) c.listApiKeys().catch(() => {});
      parentPort.postMessage('calling');
    `, { eval: true, workerData: { lib: path.join(PACKAGE_DIR, 'lib', 'index.js'), key: emu.seed.keys.admin,
      baseUrl: emu.baseUrl } });
    await once(worker, 'message');
    while ((await emu.requests()).length < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.terminate();
    await emu.reset();
    const { logger, until } = recorder();
    await client({ logger }).authDetails({ requestId: 'req-after-worker' });
    await until((r) => r.fields.request_id === 'req-after-worker' && r.message === 'response');
  });
