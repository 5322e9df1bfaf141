'use strict';
// neon-api-keys/testing: the SDK's Neon emulator running inside this process, for your own tests.
//
//   const { Emulator } = require('neon-api-keys/testing');
//   const emu = await Emulator.start();
//   const client = emu.client();                        // a Client with the seeded admin key, fast retries
//   emu.addFault({ method: 'POST', path: '/api_keys', action: { type: 'respond', status: 503 } });
//   await emu.stop();
//
// The server (the Rust crate neon-api-keys-emulator) runs on its own thread; the native part starts, resets and
// stops it. Faults, seeded keys and inspection go through its HTTP control API with the global fetch.

const util = require('node:util');
const { native } = require('./native.js');
const { Client } = require('./client.js');
const { typeError } = require('./arguments.js');

const { NativeEmulator } = native;

/** The emulator of this addon; a clear error when the addon was built without it (`--no-default-features`). */
function emulatorClass() {
  if (NativeEmulator === undefined) {
    throw new Error('neon-api-keys/testing: this build of the native addon has no emulator (it was built without '
      + 'the `emulator` feature); the published binaries always have it');
  }
  return NativeEmulator;
}

/** Client settings for tests: fast retries (the library's defaults back off for seconds on purpose). */
const CLIENT_DEFAULTS = Object.freeze({ backoffMs: [10, 100], maxRetryWaitMs: 2000 });

/** The emulator's control API refused a request (a malformed fault, an unknown owner, ...). */
class EmulatorError extends Error {
  /**
   * @param {string} message
   * @param {number} status the control API's HTTP status
   */
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}
Object.defineProperty(EmulatorError.prototype, 'name', { value: 'EmulatorError', writable: true, configurable: true });

/** The seed JSON (snake_case, as the emulator prints it) → the `seed` object of the JS API. */
function seedOf(raw) {
  const keys = raw.keys;
  return Object.freeze({
    personalApiKey: keys.admin,
    secondAdminApiKey: keys.admin2,
    memberApiKey: keys.member,
    orgApiKey: keys.org,
    projectApiKey: keys.project,
    revokedApiKey: keys.revoked,
    orgId: raw.org_id,
    projectId: raw.project_id,
    otherProjectId: raw.other_project_id,
    personalProjectId: raw.personal_project_id,
    ids: Object.freeze({ ...raw.ids }),
    users: Object.freeze({ ...raw.users }),
    raw,
  });
}

function required(name, value, type) {
  if (typeof value !== type) throw typeError(`${name} must be a ${type}`);
  return value;
}

/** A whole number of milliseconds (a clock offset), else a TypeError or RangeError naming it. */
function wholeMillis(name, value) {
  required(name, value, 'number');
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number of milliseconds; got ${value}`);
  return value;
}

/**
 * Neon's API-key endpoints, emulated in this process on a free port of 127.0.0.1. Start one with
 * `await Emulator.start()`, stop it with `await emu.stop()`. Rate limits are off unless asked for.
 */
class Emulator {
  #native;

  /** Use `Emulator.start()`. */
  constructor(nativeEmulator) {
    if (!(nativeEmulator instanceof emulatorClass())) throw new TypeError('use `await Emulator.start()`');
    this.#native = nativeEmulator;
    const startup = JSON.parse(nativeEmulator.startupJson);
    /** The Neon API base URL (`http://127.0.0.1:PORT/api/v2`): a client's `baseUrl` / `NEON_API_HOST`. */
    this.baseUrl = nativeEmulator.baseUrl;
    /** The control API (`http://127.0.0.1:PORT/_emulator`). */
    this.controlUrl = nativeEmulator.controlUrl;
    /** The seeded keys and ids (restored by every reset). */
    this.seed = seedOf(startup.seed);
  }

  /**
   * Starts an emulator. `rateLimits` (default false) turns on Neon's rate limits (700/min per account, 40/s per
   * route, 10/s org key creation).
   * @param {{rateLimits?: boolean}} [options]
   */
  static async start(options = undefined) {
    const { rateLimits } = options ?? {};
    if (rateLimits !== undefined) required('rateLimits', rateLimits, 'boolean');
    return new Emulator(emulatorClass().start({ rateLimits }));
  }

  /** Whether the server is running (`stop()` not called yet). */
  get running() {
    return this.#native.running;
  }

  /** Stops the server (idempotent): open connections close and stalled requests end. */
  async stop() {
    await this.#native.stop();
  }

  /** `await using emu = await Emulator.start()` stops it at the end of the block. */
  [Symbol.asyncDispose]() {
    return this.stop();
  }

  /**
   * A `Client` pointed at the emulator with the seeded admin's personal key and fast retries; `options`
   * override (`{ apiKey: emu.seed.orgApiKey, maxRetries: 0 }`).
   * @param {import('./index').ClientOptions} [options]
   */
  client(options = undefined) {
    return new Client({ apiKey: this.seed.personalApiKey, baseUrl: this.baseUrl, ...CLIENT_DEFAULTS, ...options });
  }

  /**
   * The environment that makes `new Client()` use the emulator: `NEON_API_KEY` (the admin's key unless given)
   * and `NEON_API_HOST`. For `Object.assign(process.env, emu.env())` or a child process's `env`.
   * @param {string} [apiKey]
   */
  env(apiKey = undefined) {
    return { NEON_API_KEY: apiKey ?? this.seed.personalApiKey, NEON_API_HOST: this.baseUrl };
  }

  /**
   * Restores the seed (keys, projects), clears faults and the request log, and puts the clock and the duplicate-name
   * status back (offset 0, 409). `rateLimits` sets the switch (else the start-up value); `clockOffsetMs` and
   * `nameConflictStatus` set those for the new round (see `setClockOffsetMs`, `setNameConflictStatus`). Returns the
   * seed.
   * @param {{rateLimits?: boolean, clockOffsetMs?: number, nameConflictStatus?: 400 | 409 | 422}} [options]
   */
  reset(options = undefined) {
    const { rateLimits, clockOffsetMs, nameConflictStatus } = options ?? {};
    if (rateLimits !== undefined) required('rateLimits', rateLimits, 'boolean');
    if (clockOffsetMs !== undefined) wholeMillis('clockOffsetMs', clockOffsetMs);
    if (nameConflictStatus !== undefined) required('nameConflictStatus', nameConflictStatus, 'number');
    this.#native.reset(rateLimits);
    if (clockOffsetMs !== undefined) this.setClockOffsetMs(clockOffsetMs);
    if (nameConflictStatus !== undefined) this.setNameConflictStatus(nameConflictStatus);
    return this.seed;
  }

  /** Turns Neon's rate limits on or off (until the next reset). */
  setRateLimits(enabled) {
    this.#native.setRateLimits(required('enabled', enabled, 'boolean'));
  }

  /**
   * Makes the emulator's clock run `offsetMs` milliseconds ahead of this machine's (negative: behind), until the next
   * reset: keys' `created_at` / `last_used_at` and every response's `Date` header follow it (clock skew).
   * @param {number} offsetMs a whole number of milliseconds
   */
  setClockOffsetMs(offsetMs) {
    this.#native.setClockOffsetMs(wholeMillis('offsetMs', offsetMs));
  }

  /**
   * The status of a create whose name a live key of the same account already holds, until the next reset: 409
   * (Neon's usual answer, the default), 400 or 422; any other status is a RangeError. The message always contains
   * `choose another unique name for api key`.
   * @param {400 | 409 | 422} status
   */
  setNameConflictStatus(status) {
    required('status', status, 'number');
    try {
      this.#native.setNameConflictStatus(status);
    } catch (error) {
      throw new RangeError(error.message);
    }
  }

  /**
   * Marks a key as used one second from now on the emulator's clock (later than any use so far), as an application
   * that starts using a rotated key would. Resolves to the key as `state()` lists it.
   * @param {number} keyId
   * @param {{from?: string}} [options] the address the use came from (default `127.0.0.1`)
   */
  useKey(keyId, options = undefined) {
    required('keyId', keyId, 'number');
    const { from } = options ?? {};
    if (from !== undefined) required('from', from, 'string');
    return this.#call('POST', `/keys/${keyId}/use`, from === undefined ? {} : { from });
  }

  /** Every key, revoked ones included, without secrets: `{api_keys: [...], org_api_keys: [...]}`. */
  state() {
    return this.#call('GET', '/state');
  }

  /** Personal and organization keys of `state()` in one list. */
  async keys() {
    const state = await this.state();
    return [...state.api_keys, ...state.org_api_keys];
  }

  /**
   * Seeds a key. `owner` is `admin`, `admin2` (the second admin), `member` or `org`; optional `name`, `project_id`
   * (org keys), `created_by` (`admin` or `admin2`, org keys), `created_at`, `last_used_at` (RFC 3339),
   * `last_used_from_addr`, `revoked`, `allow_duplicate_name` (a name a live key already holds, which Neon never
   * allows). Resolves to the create response (with `key`).
   * @param {{owner?: string, name?: string, [field: string]: unknown}} [key]
   */
  addKey(key = {}) {
    return this.#call('POST', '/keys', { owner: 'admin', ...key });
  }

  /**
   * The secret of every key since the last reset, by id: for sweeps asserting that no secret reached your logs,
   * errors or output.
   */
  secrets() {
    return this.#call('GET', '/secrets');
  }

  /**
   * The Neon API requests received since the last reset, oldest first: `{seq, method, path, request_id, auth,
   * body, status, fault?}` (`auth` names the key's role, never the token). `method`/`path` filter.
   * @param {{method?: string, path?: string}} [filter]
   */
  requests(filter = undefined) {
    const query = new URLSearchParams();
    if (filter?.method !== undefined) query.set('method', filter.method);
    if (filter?.path !== undefined) query.set('path', filter.path);
    const suffix = query.size ? `?${query}` : '';
    return this.#call('GET', `/requests${suffix}`);
  }

  /** Empties the request log. */
  async clearRequests() {
    await this.#call('DELETE', '/requests');
  }

  /**
   * Makes the next `times` matching requests misbehave (`times` default 1; 0: all of them). `method` is
   * case-insensitive (omitted: any), `path` is without `/api/v2` and `*` matches one segment (`/api_keys/*`).
   * `action` is `{type, ...}` or a bare type: `{type: 'delay', ms: 300}`, `'stall'`, `'reset_before'`,
   * `'reset_after'`, `{type: 'respond', status: 503}`, `{type: 'truncate', bytes: 10}`, ... (the emulator's
   * README lists every action). Faults apply in the order they were added.
   * @param {{method?: string, path: string, action: string | {type: string, [field: string]: unknown}, times?: number}} fault
   */
  async addFault(fault) {
    const { method, path, action, times } = fault ?? {};
    required('fault.path', path, 'string');
    const body = { path, action: typeof action === 'string' ? { type: action } : action };
    if (method !== undefined) body.method = method;
    if (times !== undefined) body.times = times;
    await this.#call('POST', '/faults', body);
  }

  /** The queued faults with their remaining uses and hits. */
  faults() {
    return this.#call('GET', '/faults');
  }

  /** Removes every queued fault. */
  async clearFaults() {
    await this.#call('DELETE', '/faults');
  }

  async #call(method, path, body = undefined) {
    const response = await fetch(this.controlUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new EmulatorError(`emulator control ${method} ${path}: HTTP ${response.status}: ${text.slice(0, 500)}`,
        response.status);
    }
    return text.trim() ? JSON.parse(text) : null;
  }

  [util.inspect.custom]() {
    return `Emulator { baseUrl: '${this.baseUrl}', running: ${this.running} }`;
  }
}

module.exports = { Emulator, EmulatorError };
