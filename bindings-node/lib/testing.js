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
const { Client } = require('./index.js');

const { NativeEmulator } = native;

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
  if (typeof value !== type) {
    const error = new TypeError(`${name} must be a ${type}`);
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
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
    if (!(nativeEmulator instanceof NativeEmulator)) throw new TypeError('use `await Emulator.start()`');
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
    return new Emulator(NativeEmulator.start({ rateLimits }));
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
   * Restores the seed (keys, projects), clears faults and the request log. `rateLimits` sets the switch (else
   * the start-up value). Returns the seed.
   * @param {{rateLimits?: boolean}} [options]
   */
  reset(options = undefined) {
    const { rateLimits } = options ?? {};
    if (rateLimits !== undefined) required('rateLimits', rateLimits, 'boolean');
    this.#native.reset(rateLimits);
    return this.seed;
  }

  /** Turns Neon's rate limits on or off (until the next reset). */
  setRateLimits(enabled) {
    this.#native.setRateLimits(required('enabled', enabled, 'boolean'));
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
   * Seeds a key. `owner` is `admin`, `member` or `org`; optional `name`, `project_id` (org keys), `created_at`,
   * `last_used_at` (RFC 3339), `last_used_from_addr`, `revoked`. Resolves to the create response (with `key`).
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
