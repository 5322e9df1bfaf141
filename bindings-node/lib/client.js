'use strict';
// `Client`: the core's client for JavaScript. It only translates: argument types (lib/arguments.js), the AbortSignal
// (lib/abort.js), a rotation's store (lib/rotation.js), native errors → NeonError subclasses (lib/translate.js), a
// logger (lib/logging.js).
// Validation, retries, timeouts, throttling, the environment rule and redaction all happen in the Rust core. The
// methods are the core's operations (`neon_api_keys::OPERATIONS`); test/operations.test.mjs fails when one is missing.

const util = require('node:util');
const { native } = require('./native.js');
const { watchAbort } = require('./abort.js');
const { storeBridge, storeFailure } = require('./rotation.js');
const { abortedError, fromInfo, translate } = require('./translate.js');
const { clientLog } = require('./logging.js');
const {
  CALL_OPTIONS, CLIENT_OPTIONS, ROTATE_KEYCHAIN_OPTIONS, ROTATE_OPTIONS, checkedOptions, keyId, keychainEntry,
  optionalDate, string, typeError,
} = require('./arguments.js');

const { CancelHandle, NativeClient } = native;

const FROM_ENV = Symbol('fromEnv');

/**
 * Runs one native call: checks the call's options against `shape`, wires the AbortSignal to a native cancel handle
 * (the core stops the call in flight) and turns native errors into NeonError subclasses. `invoke(options,
 * nativeOptions, handle)` makes the native call; `options` are the checked options.
 */
async function run(where, options, shape, invoke) {
  const checked = checkedOptions(where, 'options', options, shape);
  const { signal, timeoutMs, requestId, maxRetries } = checked;
  if (signal?.aborted) throw abortedError(signal);
  const handle = signal ? new CancelHandle() : undefined;
  const unwatch = signal ? watchAbort(signal, handle) : undefined;
  try {
    return await invoke(checked, { timeoutMs, requestId, maxRetries }, handle);
  } catch (error) {
    throw translate(error, signal, where);
  } finally {
    unwatch?.();
  }
}

/** A call whose arguments are checked first: a TypeError rejects the returned Promise (never a synchronous throw). */
function call(where, options, prepare) {
  return run(where, options, CALL_OPTIONS, (checked, nativeOptions, handle) => prepare()(nativeOptions, handle));
}

/**
 * A key list from the addon: one JSON array of the `ApiKey` objects with `createdAt` / `lastUsedAt` as epoch
 * milliseconds. One `JSON.parse` costs a fraction of building each key through N-API; the timestamps become `Date`s
 * here.
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

/** A rotation from the addon, with `revokeError` as a NeonError. */
function rotation(result) {
  if (result.revokeError) result.revokeError = fromInfo(result.revokeError);
  return result;
}

/**
 * Runs a rotation: `invoke(bridge, rotateOptions, nativeOptions, handle)` makes the native call with the store's
 * bridge. When the store failed, the rotation rejects with the store's own error (see lib/rotation.js).
 */
async function rotate(where, options, invoke) {
  let failure;
  try {
    return rotation(await run(where, options, ROTATE_OPTIONS, (checked, nativeOptions, handle) => {
      const { store, newName, waitForUseMs, pollIntervalMs } = checked;
      if (store === undefined) {
        throw typeError(`${where}: options.store is required: a function that stores the new key`);
      }
      const { bridge, kept } = storeBridge(typeof store === 'function' ? store : (key) => store.save(key));
      return invoke(bridge, { newName, waitForUseMs, pollIntervalMs }, nativeOptions, handle).catch((error) => {
        failure = storeFailure(error, kept);
        throw error;
      });
    }));
  } catch (error) {
    if (failure !== undefined) throw failure.error;
    throw error;
  }
}

/**
 * A client for Neon's API-key endpoints. Every method returns a Promise and takes a last optional
 * `{signal, timeoutMs, requestId, maxRetries}`. Also exported as `NeonClient`.
 */
class Client {
  #native;

  /**
   * @param {import('./index').ClientOptions} [options] settings; without `apiKey` the environment is read
   *   (`NEON_API_KEY`, `NEON_ORG_API_KEY`, `NEON_PROJECT_API_KEY`, `NEON_API_HOST`), then `keychain`. Explicit
   *   options win. `logger` gets the records of this client's calls (lib/logging.js).
   */
  constructor(options = undefined, mode = undefined) {
    const where = mode === FROM_ENV ? 'Client.fromEnv()' : 'new Client()';
    const { logger, keychain, ...settings } = checkedOptions(where, 'options', options, CLIENT_OPTIONS);
    if (keychain !== undefined) settings.keychain = keychainEntry(where, 'options.keychain', keychain);
    const log = logger === undefined ? undefined : clientLog(logger);
    try {
      this.#native = mode === FROM_ENV ? NativeClient.fromEnv(settings, log) : new NativeClient(settings, log);
    } catch (error) {
      throw translate(error, undefined, where);
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
    return keyList(await call('client.listApiKeys()', options, () => (o, c) => this.#native.listApiKeys(o, c)));
  }

  createApiKey(name, options = undefined) {
    const where = 'client.createApiKey()';
    return call(where, options, () => {
      const keyName = string(where, 'name', name);
      return (o, c) => this.#native.createApiKey(keyName, o, c);
    });
  }

  revokeApiKey(id, options = undefined) {
    const where = 'client.revokeApiKey()';
    return call(where, options, () => {
      const key = keyId(where, 'keyId', id);
      return (o, c) => this.#native.revokeApiKey(key, o, c);
    });
  }

  async listOrgApiKeys(orgId, options = undefined) {
    const where = 'client.listOrgApiKeys()';
    return keyList(await call(where, options, () => {
      const org = string(where, 'orgId', orgId);
      return (o, c) => this.#native.listOrgApiKeys(org, o, c);
    }));
  }

  createOrgApiKey(orgId, name, createOptions = undefined, options = undefined) {
    const where = 'client.createOrgApiKey()';
    return call(where, options, () => {
      const org = string(where, 'orgId', orgId);
      const keyName = string(where, 'name', name);
      const { projectId } = checkedOptions(where, 'createOptions', createOptions, { projectId: 'string' });
      return (o, c) => this.#native.createOrgApiKey(org, keyName, projectId, o, c);
    });
  }

  revokeOrgApiKey(orgId, id, options = undefined) {
    const where = 'client.revokeOrgApiKey()';
    return call(where, options, () => {
      const org = string(where, 'orgId', orgId);
      const key = keyId(where, 'keyId', id);
      return (o, c) => this.#native.revokeOrgApiKey(org, key, o, c);
    });
  }

  createProjectApiKey(projectId, name, options = undefined) {
    const where = 'client.createProjectApiKey()';
    return call(where, options, () => {
      const project = string(where, 'projectId', projectId);
      const keyName = string(where, 'name', name);
      return (o, c) => this.#native.createProjectApiKey(project, keyName, o, c);
    });
  }

  authDetails(options = undefined) {
    return call('client.authDetails()', options, () => (o, c) => this.#native.authDetails(o, c));
  }

  getProject(projectId, options = undefined) {
    const where = 'client.getProject()';
    return call(where, options, () => {
      const project = string(where, 'projectId', projectId);
      return (o, c) => this.#native.getProject(project, o, c);
    });
  }

  rotateApiKey(oldId, options = undefined) {
    const where = 'client.rotateApiKey()';
    return rotate(where, options, (bridge, rotateOptions, o, c) =>
      this.#native.rotateApiKey(keyId(where, 'oldId', oldId), bridge, rotateOptions, o, c));
  }

  rotateOrgApiKey(orgId, oldId, options = undefined) {
    const where = 'client.rotateOrgApiKey()';
    return rotate(where, options, (bridge, rotateOptions, o, c) => this.#native.rotateOrgApiKey(
      string(where, 'orgId', orgId), keyId(where, 'oldId', oldId), bridge, rotateOptions, o, c));
  }

  async rotateKeychainKey(keychain, options = undefined) {
    const where = 'client.rotateKeychainKey()';
    return rotation(await run(where, options, ROTATE_KEYCHAIN_OPTIONS, (checked, nativeOptions, handle) => {
      const { newName, waitForUseMs, pollIntervalMs } = checked;
      const entry = keychainEntry(where, 'keychain', keychain);
      return this.#native.rotateKeychainKey(entry, { newName, waitForUseMs, pollIntervalMs }, nativeOptions, handle);
    }));
  }

  async unusedApiKeys(unusedOptions = undefined, options = undefined) {
    const where = 'client.unusedApiKeys()';
    return keyList(await call(where, options, () => {
      const since = unusedSince(where, unusedOptions);
      return (o, c) => this.#native.unusedApiKeys(since, o, c);
    }));
  }

  async unusedOrgApiKeys(orgId, unusedOptions = undefined, options = undefined) {
    const where = 'client.unusedOrgApiKeys()';
    return keyList(await call(where, options, () => {
      const org = string(where, 'orgId', orgId);
      const since = unusedSince(where, unusedOptions);
      return (o, c) => this.#native.unusedOrgApiKeys(org, since, o, c);
    }));
  }

  [util.inspect.custom]() {
    return `Client { baseUrl: '${this.baseUrl}' }`;
  }
}

/** `since` of `{since}` (`unusedApiKeys`), checked. */
function unusedSince(where, unusedOptions) {
  const { since } = checkedOptions(where, 'unusedOptions', unusedOptions, { since: 'object' });
  return optionalDate(where, 'unusedOptions.since', since);
}

module.exports = { Client };
