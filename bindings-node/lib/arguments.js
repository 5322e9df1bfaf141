'use strict';
// JS argument types, checked before anything reaches the addon, so that a wrong type is a TypeError naming the
// method and the option in JavaScript's words (never napi's conversion text). Only types are checked here: the
// values themselves (an empty name, a negative timeout, NaN) are the core's to judge, and it rejects them with
// NeonInvalidInputError naming the parameter.

/** The options of `new Client()` / `Client.fromEnv()` and their JS types (src/options.rs `ClientOptions`). */
const CLIENT_OPTIONS = Object.freeze({
  apiKey: 'string',
  orgApiKey: 'string',
  baseUrl: 'string',
  timeoutMs: 'number',
  connectTimeoutMs: 'number',
  attemptTimeoutMs: 'number',
  maxRetries: 'number',
  backoffMs: 'number[]',
  maxRetryWaitMs: 'number',
  throttle: 'boolean',
  reconcileCreates: 'boolean',
  caCertPem: 'string',
});

/** The last argument of every method (src/options.rs `CallOptions`, plus the signal). */
const CALL_OPTIONS = Object.freeze({
  signal: 'AbortSignal',
  timeoutMs: 'number',
  requestId: 'string',
  maxRetries: 'number',
});

/** The options of `rotateApiKey` / `rotateOrgApiKey`: the store, src/rotation.rs `RotateOptions`, the call's. */
const ROTATE_OPTIONS = Object.freeze({
  store: 'function',
  newName: 'string',
  waitForUseMs: 'number',
  pollIntervalMs: 'number',
  ...CALL_OPTIONS,
});

/** A TypeError with Node's code for a wrong argument type. */
function typeError(message) {
  const error = new TypeError(message);
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

/** What a value is, for a message: `a string`, `null`, `an array`, ... */
function described(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function isAbortSignal(value) {
  return typeof value === 'object' && value !== null && typeof value.addEventListener === 'function'
    && typeof value.removeEventListener === 'function' && 'aborted' in value;
}

/** Whether `value` has the JS `type` of an options table. */
function hasType(type, value) {
  switch (type) {
    case 'number[]': return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'AbortSignal': return isAbortSignal(value);
    default: return typeof value === type;
  }
}

/**
 * `options` checked against `shape` (an options table above): undefined or null is `{}`; an unknown name or a value
 * of the wrong type is a TypeError naming `where` and the option. Options set to undefined or null count as not set
 * and are left out of the result.
 * @param {string} where the method, as the caller wrote it (`new Client()`, `client.rotateApiKey()`)
 * @param {string} name the parameter (`options`)
 */
function checkedOptions(where, name, options, shape) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(`${where}: ${name} must be an object; got ${described(options)}`);
  }
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    const type = shape[key];
    if (type === undefined) {
      throw typeError(`${where}: ${name}.${key} is not an option; the options are ${Object.keys(shape).join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    if (!hasType(type, value)) {
      throw typeError(`${where}: ${name}.${key} must be ${type === 'number[]' ? 'an array of numbers'
        : type === 'AbortSignal' ? 'an AbortSignal' : `a ${type}`}; got ${described(value)}`);
    }
    out[key] = value;
  }
  return out;
}

/** A required string argument. */
function string(where, name, value) {
  if (typeof value !== 'string') throw typeError(`${where}: ${name} must be a string; got ${described(value)}`);
  return value;
}

/** A key id: any number goes to the addon, which refuses one that is not a safe integer (NeonInvalidInputError). */
function keyId(where, name, value) {
  if (typeof value !== 'number') {
    throw typeError(`${where}: ${name} must be a number (a safe integer); got ${described(value)}`);
  }
  return value;
}

/** An optional `Date` (`since`); undefined or null is none. */
function optionalDate(where, name, value) {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw typeError(`${where}: ${name} must be a valid Date; got ${value instanceof Date ? 'an invalid Date'
      : described(value)}`);
  }
  return value;
}

module.exports = {
  CLIENT_OPTIONS, CALL_OPTIONS, ROTATE_OPTIONS, typeError, checkedOptions, string, keyId, optionalDate,
};
