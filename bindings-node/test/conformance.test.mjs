// The conformance runner for Node: every case of tests/conformance/cases/*.json against Client
// (format: tests/conformance/README.md). Prints `conformance node: N passed, M failed`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startEmulator, withEnv, WORKSPACE_DIR } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Client, Keychain, NeonError } = require('../lib/index.js');
const { operations } = require('../index.js');

const CASES_DIR = path.join(WORKSPACE_DIR, 'tests', 'conformance', 'cases');
const FILTER = process.env.CONFORMANCE_FILTER ?? '';

// ---- JSON with exact 64-bit integers ----
// JSON.parse rounds integers past 2^53; the cases hold some (ids of 2^53 + 1, i64::MAX) that must reach the
// emulator and the matcher exactly. Such literals are parsed as BigInt and sent back as their digits.
function parseExact(text) {
  const number = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      number.lastIndex = i;
      const [token] = number.exec(text);
      const big = /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token));
      out += big ? `"\\u0000bigint:${token}"` : token;
      i += token.length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return JSON.parse(out, (_, v) => (typeof v === 'string' && v.startsWith('\u0000bigint:') ? BigInt(v.slice(8)) : v));
}
const stringifyExact = (value) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `\u0000bigint:${v}` : v))
  .replace(/"\\u0000bigint:(-?\d+)"/g, '$1');

// ---- rotations: the runner's store (README, "Rotations: the runner's store") ----
const STORE_REFUSED = 'store refused the key';

/**
 * The store of `args.store` (ok | fail | use), async as a Node caller's would be. `stored` receives the key it was
 * given; `refusal` is the error a failing store throws, so the runner can check the rotation rejects with that very
 * object.
 */
function runnerStore(mode = 'ok', emu) {
  const record = { stored: null, refusal: null };
  record.store = async (key) => {
    if (mode === 'fail') {
      record.refusal = new Error(STORE_REFUSED);
      throw record.refusal;
    }
    if (!['ok', 'use'].includes(mode)) throw new Error(`args.store ${mode} is not ok, fail or use`);
    await new Promise((resolve) => setImmediate(resolve)); // a real store awaits something
    record.stored = createdKey(key);
    if (mode === 'use') await emu.control('POST', `/keys/${key.id}/use`, {});
  };
  return record;
}

function rotateOptions(args, record) {
  const options = { store: record.store };
  if (args.new_name !== undefined) options.newName = args.new_name;
  if (args.wait_for_use_ms !== undefined) Object.assign(options, { waitForUseMs: args.wait_for_use_ms, pollIntervalMs: 50 });
  return options;
}

// ---- keychain entries (README, "Keychain entries") ----
// Runners of other languages may use the same user keyring at the same time (one machine, one user): this runner's
// entries get its own service name, the case's with `.node-<pid>` appended (a message naming the case's service
// still contains it).
const entryOf = ({ service, account }) => new Keychain(`${service}.node-${process.pid}`, account);

/** Every entry a case names (setup, arguments, credentials), to empty before and after it. */
function caseEntries(c) {
  const named = [...(c.setup?.keychain ?? [])];
  if (c.operation === 'rotate_keychain_key') named.push(c.args);
  if (c.credentials?.keychain) named.push(c.credentials.keychain);
  return named.map(entryOf);
}

/** The key a setup key's control answer describes (an org key's organization is the seed's). */
function keyFromControl(spec, created, seed) {
  return {
    id: created.id, key: created.key, name: created.name, projectId: created.project_id,
    createdAt: created.created_at == null ? null : new Date(created.created_at), createdBy: created.created_by,
    orgId: spec.owner === 'org' ? seed.org_id : null,
  };
}

// ---- dispatch: operation name → Client call ----
const sinceOption = (args) => (args.since === undefined ? undefined : { since: new Date(args.since) });
const OPERATIONS = {
  list_api_keys: (c) => c.listApiKeys(),
  create_api_key: (c, a) => c.createApiKey(a.key_name),
  revoke_api_key: (c, a) => c.revokeApiKey(a.key_id),
  list_org_api_keys: (c, a) => c.listOrgApiKeys(a.org_id),
  create_org_api_key: (c, a) =>
    c.createOrgApiKey(a.org_id, a.key_name, a.project_id === undefined ? undefined : { projectId: a.project_id }),
  revoke_org_api_key: (c, a) => c.revokeOrgApiKey(a.org_id, a.key_id),
  create_project_api_key: (c, a) => c.createProjectApiKey(a.project_id, a.key_name),
  auth_details: (c) => c.authDetails(),
  get_project: (c, a) => c.getProject(a.project_id),
  rotate_api_key: (c, a, store) => c.rotateApiKey(a.old_id, rotateOptions(a, store)),
  rotate_org_api_key: (c, a, store) => c.rotateOrgApiKey(a.org_id, a.old_id, rotateOptions(a, store)),
  // `stored` is what the entry holds afterwards.
  rotate_keychain_key: async (c, a, record) => {
    const { store, ...options } = rotateOptions(a, record);
    const entry = entryOf(a);
    const result = await c.rotateKeychainKey(entry, options);
    const held = await entry.load();
    record.stored = held === null ? null : createdKey(held);
    return result;
  },
  unused_api_keys: (c, a) => c.unusedApiKeys(sinceOption(a)),
  unused_org_api_keys: (c, a) => c.unusedOrgApiKeys(a.org_id, sinceOption(a)),
};

// ---- canonical JSON ----
/** RFC 3339 in UTC with `Z`, without a fraction when it is zero (as the Rust runner prints them). */
const time = (d) => (d == null ? null : d.toISOString().replace('.000Z', 'Z'));
const creator = (c) => (c == null ? null : { id: c.id, name: c.name, image: c.image });
const apiKey = (k) => ({
  id: k.id, name: k.name, created_at: time(k.createdAt), created_by: creator(k.createdBy),
  last_used_at: time(k.lastUsedAt), last_used_from_addr: k.lastUsedFromAddr, project_id: k.projectId,
});
const createdKey = (k) => ({
  id: k.id, key: k.key.reveal(), name: k.name, created_at: time(k.createdAt), created_by: k.createdBy,
  project_id: k.projectId,
});
const revokedKey = (k) => ({
  id: k.id, name: k.name, created_at: time(k.createdAt), created_by: k.createdBy, last_used_at: time(k.lastUsedAt),
  last_used_from_addr: k.lastUsedFromAddr, revoked: k.revoked, project_id: k.projectId,
});
const RESULTS = {
  list_api_keys: (r) => r.map(apiKey),
  list_org_api_keys: (r) => r.map(apiKey),
  unused_api_keys: (r) => r.map(apiKey),
  unused_org_api_keys: (r) => r.map(apiKey),
  create_api_key: createdKey,
  create_org_api_key: createdKey,
  create_project_api_key: createdKey,
  revoke_api_key: revokedKey,
  revoke_org_api_key: revokedKey,
  auth_details: (r) => ({ account_id: r.accountId, auth_method: r.authMethod, auth_data: r.authData }),
  get_project: (r) => ({ id: r.id, name: r.name, org_id: r.orgId }),
  rotate_api_key: rotation,
  rotate_org_api_key: rotation,
  rotate_keychain_key: rotation,
};
function rotation(r, record) {
  const e = r.revokeError;
  return {
    new_key: apiKey(r.newKey),
    old_key_id: r.oldKeyId,
    revoked: r.revoked == null ? null : revokedKey(r.revoked),
    revoke_error: e == null ? null : { kind: e.kind, status: e.status, message: e.message },
    new_key_seen_in_use: r.newKeySeenInUse,
    stored: record.stored,
  };
}
/** A rotation store's own error: `{kind: 'store', message}`, every other field null. */
const storeError = (e) => ({
  kind: 'store', status: null, message: e.message, code: null, request_id: null, retry_after_ms: null,
  outcome_unknown: null, verification: null,
});
function canonicalError(e, record) {
  if (record?.refusal != null && e === record.refusal) return storeError(e);
  if (!(e instanceof NeonError)) {
    return { kind: `not-a-NeonError: ${e?.name}`, status: null, message: String(e?.message ?? e) };
  }
  return {
    kind: e.kind,
    status: e.status,
    message: e.message,
    code: e.neonCode,
    request_id: e.requestId,
    retry_after_ms: e.retryAfterMs == null ? null : Math.floor(e.retryAfterMs),
    outcome_unknown: e.kind === 'outcome_unknown'
      ? { key_name: e.keyName, org_id: e.orgId, project_id: e.projectId, not_before: time(e.notBefore),
          not_after: time(e.notAfter), candidate_ids: e.candidateIds }
      : null,
    verification: e.kind === 'verification_failed' ? { key_id: e.keyId, revoked: e.revoked } : null,
  };
}

// ---- matcher (README "Matching") ----
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
function matches(expected, actual) {
  if (typeof expected === 'string') {
    switch (expected) {
      case '$any': return actual !== undefined;
      case '$nonempty': return typeof actual === 'string' && actual.length > 0;
      case '$null': return actual === null;
      case '$datetime': return typeof actual === 'string' && RFC3339.test(actual);
      default: return actual === expected;
    }
  }
  if (typeof expected === 'bigint') {
    // A JS number never holds such an integer exactly, so only an exact integer (BigInt) matches.
    return typeof actual === 'bigint' && actual === expected;
  }
  if (typeof expected === 'number' && typeof actual === 'number') return actual === expected;
  if (expected === null || typeof expected !== 'object') return actual === expected;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i]));
  }
  const keys = Object.keys(expected);
  if (keys.length === 1 && keys[0].startsWith('$')) {
    const [key] = keys;
    const value = expected[key];
    switch (key) {
      case '$len': return (Array.isArray(actual) || typeof actual === 'string') && actual.length === value;
      case '$contains': return Array.isArray(actual) && actual.some((a) => matches(value, a));
      case '$not_contains': return Array.isArray(actual) && !actual.some((a) => matches(value, a));
      case '$prefix': return typeof actual === 'string' && actual.startsWith(value);
      case '$includes': return typeof actual === 'string' && actual.includes(value);
      default: throw new Error(`unknown matcher ${key}`);
    }
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return keys.every((k) => k in actual && matches(expected[k], actual[k]));
}

// ---- seed variables ----
function resolve(value, seed) {
  if (typeof value === 'string' && value.startsWith('$')) {
    const name = value.slice(1);
    const found = name.split('.').reduce((v, part) => (v == null ? undefined : v[part]), seed);
    if (found === undefined || typeof found === 'object') throw new Error(`unknown seed variable ${value}`);
    return found;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, seed));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, seed)]));
  }
  return value;
}

function clientSettings(c = {}, baseUrl) {
  return {
    baseUrl,
    maxRetries: c.max_retries ?? 2,
    timeoutMs: c.timeout_ms ?? 10_000,
    attemptTimeoutMs: c.attempt_timeout_ms ?? 5_000,
    backoffMs: c.backoff_ms ?? [1, 20],
    throttle: c.throttle ?? false,
    reconcileCreates: c.reconcile_creates ?? false,
  };
}

/** The reset body of a case's setup: `rate_limits`, and `clock_offset_ms` / `name_conflict_status` when given. */
function resetBody(setup = {}) {
  const body = { rate_limits: setup.rate_limits ?? false };
  for (const field of ['clock_offset_ms', 'name_conflict_status']) {
    if (setup[field] !== undefined) body[field] = setup[field];
  }
  return body;
}

/** The problems of one state check (README, "Expectations"): by `key_named` or `key_id`. */
function stateProblems(keys, check) {
  const [what, matching] = check.key_id !== undefined
    ? [`key ${check.key_id}`, keys.filter((k) => k.id === check.key_id)]
    : [`key named ${check.key_named}`, keys.filter((k) => k.name === check.key_named)];
  if (check.absent) return matching.length ? [`state: ${what} exists`] : [];
  if (check.revoked === undefined) return [];
  if (!matching.length) return [`state: no ${what}`];
  const newest = matching.reduce((a, b) => (b.id > a.id ? b : a));
  return newest.revoked === check.revoked ? [] : [`state: ${what} has revoked=${newest.revoked}`];
}

/** Runs one case with its keychain entries emptied before and after it (also when it fails). */
async function runCase(emu, c) {
  const entries = caseEntries(c);
  const empty = () => Promise.all(entries.map((entry) => entry.delete()));
  await empty();
  try {
    return await runCaseWithEntries(emu, c);
  } finally {
    await empty();
  }
}

async function runCaseWithEntries(emu, c) {
  const expect = c.expect_overrides?.node ?? c.expect;
  const seed = await emu.control('POST', '/reset', resetBody(c.setup));
  const specs = resolve(c.setup?.keys ?? [], seed);
  const added = [];
  for (const key of specs) added.push(await emu.controlRaw('POST', '/keys', stringifyExact(key)));
  for (const item of c.setup?.keychain ?? []) {
    if (added[item.key] === undefined) throw new Error(`setup.keychain[].key ${item.key} is past setup.keys`);
    await entryOf(item).save(keyFromControl(specs[item.key], added[item.key], seed));
  }
  for (const fault of resolve(c.setup?.faults ?? [], seed)) {
    await emu.controlRaw('POST', '/faults', stringifyExact(fault));
  }
  const args = resolve(c.args ?? {}, seed);
  const settings = clientSettings(c.client, emu.baseUrl);

  let outcome;
  const record = runnerStore(args.store, emu);
  const call = async () => {
    const client = c.env
      ? Client.fromEnv({ ...settings, baseUrl: undefined })
      : new Client({ ...settings, ...resolveCredentials(c.credentials, seed) });
    return RESULTS[c.operation](await OPERATIONS[c.operation](client, args, record), record);
  };
  const env = c.env ? { ...resolve(c.env, seed), NEON_API_HOST: emu.baseUrl } : {};
  try {
    outcome = { result: await withEnv(env, call) };
  } catch (error) {
    outcome = { error: canonicalError(error, record) };
  }

  const problems = [];
  if ('result' in expect) {
    if (!('result' in outcome)) problems.push(`expected a result, got error ${JSON.stringify(outcome.error)}`);
    else if (!matches(expect.result, outcome.result)) problems.push(`result ${JSON.stringify(outcome.result)}`);
  } else if (!('error' in outcome)) {
    problems.push(`expected error, got result ${JSON.stringify(outcome.result)}`);
  } else {
    const { message_contains: needle, ...expectedError } = expect.error;
    if (!matches(expectedError, outcome.error)
        || (needle !== undefined && !String(outcome.error.message).includes(needle))) {
      problems.push(`error ${JSON.stringify(outcome.error)}`);
    }
  }
  if (expect.requests !== undefined) {
    const count = (await emu.requests()).length;
    if (count !== expect.requests) problems.push(`requests ${count}, expected ${expect.requests}`);
  }
  if (expect.state !== undefined) {
    const state = await emu.control('GET', '/state');
    const keys = [...state.api_keys, ...state.org_api_keys];
    for (const check of [expect.state].flat()) problems.push(...stateProblems(keys, check));
  }
  return problems;
}

function resolveCredentials(credentials, seed) {
  const r = resolve(credentials ?? {}, seed);
  return { apiKey: r.api_key, orgApiKey: r.org_api_key, keychain: r.keychain && entryOf(r.keychain) };
}

function loadCases() {
  const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();
  const cases = [];
  for (const file of files) {
    for (const c of parseExact(readFileSync(path.join(CASES_DIR, file), 'utf8'))) cases.push({ ...c, file });
  }
  return cases;
}

let emulator;
after(() => emulator?.stop());

test('conformance: every case of tests/conformance/cases', { timeout: 15 * 60_000 }, async () => {
  const cases = loadCases();
  const unknown = cases.filter((c) => !OPERATIONS[c.operation]);
  assert.deepEqual(unknown.map((c) => `${c.name}: ${c.operation}`), [], 'operations without a dispatch entry');
  assert.deepEqual(Object.keys(OPERATIONS).sort(), operations().map((op) => op.name).sort(),
    'the dispatch table covers exactly the core\'s operations');
  emulator = await startEmulator();

  let passed = 0;
  const failures = [];
  for (const c of cases) {
    if (FILTER && !c.name.includes(FILTER) && !c.file.includes(FILTER)) continue;
    let problems;
    try {
      problems = await runCase(emulator, c);
    } catch (error) {
      problems = [`runner error: ${error?.stack ?? error}`];
    }
    if (problems.length === 0) {
      passed += 1;
    } else {
      failures.push(c.name);
      console.log(`FAIL ${c.name} [node, ${c.file}]\n  expected: ${stringifyExact(c.expect_overrides?.node ?? c.expect)}\n  got: ${problems.join('\n       ')}`);
    }
  }
  console.log(`conformance node: ${passed} passed, ${failures.length} failed`);
  assert.ok(passed > 0, 'no conformance case ran');
  assert.deepEqual(failures, [], `${failures.length} conformance case(s) failed`);
});
