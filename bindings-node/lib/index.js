'use strict';
// neon-api-keys for Node.js: a thin layer over the native addon (napi-rs). It only translates — argument
// types, AbortSignal → native cancel handle, native error details → NeonError subclasses. Validation,
// retries, timeouts, throttling, credential discovery and redaction all happen in the Rust core.

const util = require('node:util');
const { native } = require('./native.js');
const errors = require('./errors.js');

const { ApiKeySecret, CancelHandle, NativeClient } = native;
const { translate, abortedError, fromInfo } = errors;

const REDACTED = '[REDACTED]';

// The secret lives in Rust: an ApiKeySecret has no JS property holding it. These make every way of
// printing one redacted too (toString and toJSON are native).
Object.defineProperties(ApiKeySecret.prototype, {
  [util.inspect.custom]: { value: () => `ApiKeySecret ${REDACTED}`, configurable: true },
  [Symbol.toPrimitive]: { value: () => REDACTED, configurable: true },
  [Symbol.toStringTag]: { value: 'ApiKeySecret', configurable: true },
});

const FROM_ENV = Symbol('fromEnv');

function typeError(message) {
  const error = new TypeError(message);
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

function string(name, value) {
  if (typeof value !== 'string') throw typeError(`${name} must be a string`);
  return value;
}

/** A key id: any number goes to the native side, which rejects non-safe integers with NeonInvalidInputError. */
function id(name, value) {
  if (typeof value !== 'number') throw typeError(`${name} must be a number (a safe integer)`);
  return value;
}

function optionsObject(name, value) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw typeError(`${name} must be an object`);
  return value;
}

function since(value) {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw typeError('since must be a valid Date');
  return value;
}

/** Splits `{signal, timeoutMs, requestId, maxRetries}` into the native options and the signal. */
function callOptions(options) {
  const { signal, timeoutMs, requestId, maxRetries } = optionsObject('options', options);
  if (signal !== undefined && signal !== null
      && (typeof signal !== 'object' || typeof signal.addEventListener !== 'function')) {
    throw typeError('options.signal must be an AbortSignal');
  }
  return { signal: signal ?? undefined, nativeOptions: { timeoutMs, requestId, maxRetries } };
}

// One 'abort' listener per signal, however many calls share it: a listener per call would pass Node's limit of 10
// per EventTarget (MaxListenersExceededWarning) as soon as 11 calls share one signal. The calls in flight on a
// signal keep their cancel handles here; the last one to settle removes the listener.
const abortWatchers = new WeakMap(); // AbortSignal → { handles: Set<CancelHandle>, onAbort }

/** Cancels `handle` when `signal` aborts; returns the function that stops watching (call it when the call settles). */
function watchAbort(signal, handle) {
  let watcher = abortWatchers.get(signal);
  if (watcher === undefined) {
    const handles = new Set();
    watcher = { handles, onAbort: () => { for (const h of handles) h.cancel(); } };
    abortWatchers.set(signal, watcher);
    signal.addEventListener('abort', watcher.onAbort, { once: true });
  }
  const { handles, onAbort } = watcher;
  handles.add(handle);
  return () => {
    handles.delete(handle);
    if (handles.size === 0 && abortWatchers.get(signal) === watcher) {
      abortWatchers.delete(signal);
      signal.removeEventListener('abort', onAbort);
    }
  };
}

/**
 * Runs one native call: wires the AbortSignal to a native cancel handle (the core stops the call in
 * flight) and turns native errors into NeonError subclasses.
 */
async function run(options, invoke) {
  const { signal, nativeOptions } = callOptions(options);
  if (signal?.aborted) throw abortedError(signal);
  const handle = signal ? new CancelHandle() : undefined;
  const unwatch = signal ? watchAbort(signal, handle) : undefined;
  try {
    return await invoke(nativeOptions, handle);
  } catch (error) {
    throw translate(error, signal);
  } finally {
    unwatch?.();
  }
}

/**
 * A key list from the native side: one JSON array of the `ApiKey` objects with `createdAt` / `lastUsedAt` as
 * epoch milliseconds (ids were checked exact in Rust). One `JSON.parse` costs a fraction of building each key
 * through N-API; the timestamps become `Date`s here.
 */
function keyList(json) {
  const keys = JSON.parse(json);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key.createdAt !== null) key.createdAt = new Date(key.createdAt);
    if (key.lastUsedAt !== null) key.lastUsedAt = new Date(key.lastUsedAt);
  }
  return keys;
}

/** A rotation with `revokeError` as a NeonError instance. */
function rotation(result) {
  if (result.revokeError) result.revokeError = fromInfo(result.revokeError);
  return result;
}

/**
 * A client for Neon's API-key endpoints. Every method returns a Promise and takes a last optional
 * `{signal, timeoutMs, requestId, maxRetries}`. Also exported as `NeonClient`.
 */
class Client {
  #native;

  /**
   * @param {import('./index').ClientOptions} [options] settings; without `apiKey` the environment is read
   *   (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`). Explicit options win.
   */
  constructor(options = undefined, mode = undefined) {
    const settings = optionsObject('options', options);
    try {
      this.#native = mode === FROM_ENV ? NativeClient.fromEnv(settings) : new NativeClient(settings);
    } catch (error) {
      throw translate(error);
    }
  }

  /** A client reading `NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`; options win. */
  static fromEnv(options = undefined) {
    return new Client(options, FROM_ENV);
  }

  /** The API base URL in use. */
  get baseUrl() {
    return this.#native.baseUrl;
  }

  async listApiKeys(options = undefined) {
    return keyList(await run(options, (o, c) => this.#native.listApiKeys(o, c)));
  }

  createApiKey(name, options = undefined) {
    return run(options, (o, c) => this.#native.createApiKey(string('name', name), o, c));
  }

  revokeApiKey(keyId, options = undefined) {
    return run(options, (o, c) => this.#native.revokeApiKey(id('keyId', keyId), o, c));
  }

  async listOrgApiKeys(orgId, options = undefined) {
    return keyList(await run(options, (o, c) => this.#native.listOrgApiKeys(string('orgId', orgId), o, c)));
  }

  createOrgApiKey(orgId, name, createOptions = undefined, options = undefined) {
    return run(options, (o, c) => {
      const { projectId } = optionsObject('createOptions', createOptions);
      const project = projectId === undefined || projectId === null ? undefined : string('projectId', projectId);
      return this.#native.createOrgApiKey(string('orgId', orgId), string('name', name), project, o, c);
    });
  }

  revokeOrgApiKey(orgId, keyId, options = undefined) {
    return run(options, (o, c) => this.#native.revokeOrgApiKey(string('orgId', orgId), id('keyId', keyId), o, c));
  }

  createProjectApiKey(projectId, name, options = undefined) {
    return run(options, (o, c) =>
      this.#native.createProjectApiKey(string('projectId', projectId), string('name', name), o, c));
  }

  authDetails(options = undefined) {
    return run(options, (o, c) => this.#native.authDetails(o, c));
  }

  getProject(projectId, options = undefined) {
    return run(options, (o, c) => this.#native.getProject(string('projectId', projectId), o, c));
  }

  async rotateApiKey(oldId, newName, options = undefined) {
    return rotation(await run(options, (o, c) =>
      this.#native.rotateApiKey(id('oldId', oldId), string('newName', newName), o, c)));
  }

  async rotateOrgApiKey(orgId, oldId, newName, options = undefined) {
    return rotation(await run(options, (o, c) =>
      this.#native.rotateOrgApiKey(string('orgId', orgId), id('oldId', oldId), string('newName', newName), o, c)));
  }

  async unusedApiKeys(unusedOptions = undefined, options = undefined) {
    return keyList(await run(options, (o, c) =>
      this.#native.unusedApiKeys(since(optionsObject('unusedOptions', unusedOptions).since), o, c)));
  }

  async unusedOrgApiKeys(orgId, unusedOptions = undefined, options = undefined) {
    return keyList(await run(options, (o, c) => this.#native.unusedOrgApiKeys(
      string('orgId', orgId), since(optionsObject('unusedOptions', unusedOptions).since), o, c)));
  }

  [util.inspect.custom]() {
    return `Client { baseUrl: '${this.baseUrl}' }`;
  }
}

const {
  NeonError,
  NeonInvalidInputError,
  NeonConfigError,
  NeonAuthError,
  NeonPermissionDeniedError,
  NeonOutsideProjectScopeError,
  NeonNotFoundError,
  NeonConflictError,
  NeonLockedError,
  NeonRateLimitedError,
  NeonServerError,
  NeonApiError,
  NeonTimeoutError,
  NeonNetworkError,
  NeonDecodeError,
  NeonOutcomeUnknownError,
  NeonVerificationFailedError,
  NeonCancelledError,
  NeonInternalError,
} = errors;

// Listed one by one (shorthand) so that ESM `import { NeonNotFoundError } from 'neon-api-keys'` sees every name.
module.exports = {
  Client,
  NeonClient: Client,
  ApiKeySecret,
  NeonError,
  NeonInvalidInputError,
  NeonConfigError,
  NeonAuthError,
  NeonPermissionDeniedError,
  NeonOutsideProjectScopeError,
  NeonNotFoundError,
  NeonConflictError,
  NeonLockedError,
  NeonRateLimitedError,
  NeonServerError,
  NeonApiError,
  NeonTimeoutError,
  NeonNetworkError,
  NeonDecodeError,
  NeonOutcomeUnknownError,
  NeonVerificationFailedError,
  NeonCancelledError,
  NeonInternalError,
};
