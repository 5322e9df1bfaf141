'use strict';
// JS argument types, checked before anything reaches the addon, so that a wrong type is a TypeError naming the
// method and the option in JavaScript's words (never napi's conversion text). Only types are checked here: the
// values themselves (an empty name, a negative timeout, NaN) are the core's to judge, and it rejects them with
// NeonInvalidInputError naming the parameter.

const { ApiKeySecret } = require('./secret.js');

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
  keychain: 'KeychainEntry',
  logger: 'Logger',
});

/** The last argument of every method (src/options.rs `CallOptions`, plus the signal). */
const CALL_OPTIONS = Object.freeze({
  signal: 'AbortSignal',
  timeoutMs: 'number',
  requestId: 'string',
  maxRetries: 'number',
});

/** The options of `rotateKeychainKey`: src/rotation.rs `RotateOptions` and the call's. */
const ROTATE_KEYCHAIN_OPTIONS = Object.freeze({
  newName: 'string',
  waitForUseMs: 'number',
  pollIntervalMs: 'number',
  ...CALL_OPTIONS,
});

/** The options of `rotateApiKey` / `rotateOrgApiKey`: the store, then those of `rotateKeychainKey`. */
const ROTATE_OPTIONS = Object.freeze({ store: 'store', ...ROTATE_KEYCHAIN_OPTIONS });

/** The fields of a key `Keychain.save` takes: a `CreatedApiKey`'s (src/keychain.rs `KeyToSave`). */
const KEY_TO_SAVE = Object.freeze({
  id: 'number',
  name: 'string',
  key: 'secret',
  orgId: 'string',
  projectId: 'string',
  createdAt: 'Date',
  createdBy: 'string',
});

/** The levels a logger has methods for (`trace` records go to `debug`). */
const LOGGER_METHODS = Object.freeze(['debug', 'info', 'warn', 'error']);

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

const isObject = (value) => typeof value === 'object' && value !== null;

/** A logger: an object with at least one of the methods `debug`, `info`, `warn`, `error`, and no other value there. */
function isLogger(value) {
  if (!isObject(value)) return false;
  const methods = LOGGER_METHODS.filter((name) => value[name] !== undefined);
  return methods.length > 0 && methods.every((name) => typeof value[name] === 'function');
}

/** What each type of an options table accepts, and how a message names it. */
const TYPES = {
  'number[]': [(v) => Array.isArray(v) && v.every((n) => typeof n === 'number'), 'an array of numbers'],
  AbortSignal: [isAbortSignal, 'an AbortSignal'],
  Date: [(v) => v instanceof Date && !Number.isNaN(v.getTime()), 'a valid Date'],
  KeychainEntry: [(v) => isObject(v) && typeof v.service === 'string' && typeof v.account === 'string',
    'a Keychain or {service, account} (two strings)'],
  Logger: [isLogger, 'a logger: an object with debug, info, warn and/or error methods'],
  // A `Keychain` (or any object with a `save(key)` method) or a function.
  store: [(v) => typeof v === 'function' || (isObject(v) && typeof v.save === 'function'),
    'a function or an object with a save(key) method (a Keychain)'],
  secret: [(v) => typeof v === 'string' || v instanceof ApiKeySecret, 'an ApiKeySecret or a string'],
};

/** Whether `value` has the JS `type` of an options table. */
function hasType(type, value) {
  const known = TYPES[type];
  return known ? known[0](value) : typeof value === type;
}

/** How a message names `type`. */
const typeName = (type) => TYPES[type]?.[1] ?? `a ${type}`;

/**
 * `options` checked against `shape` (an options table above): undefined or null is `{}`; an unknown name or a value
 * of the wrong type is a TypeError naming `where` and the option. Options set to undefined or null count as not set
 * and are left out of the result.
 * @param {string} where the method, as the caller wrote it (`new Client()`, `client.rotateApiKey()`)
 * @param {string} name the parameter (`options`)
 * @param {string} [noun] what the names are, for a message (`option`; `field` for a record)
 */
function checkedOptions(where, name, options, shape, noun = 'option') {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(`${where}: ${name} must be an object; got ${described(options)}`);
  }
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    const type = shape[key];
    if (type === undefined) {
      throw typeError(`${where}: ${name}.${key} is not ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}; the ${noun}s are ${
        Object.keys(shape).join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    if (!hasType(type, value)) throw typeError(`${where}: ${name}.${key} must be ${typeName(type)}; got ${described(value)}`);
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
  if (!hasType('Date', value)) {
    throw typeError(`${where}: ${name} must be a valid Date; got ${value instanceof Date ? 'an invalid Date'
      : described(value)}`);
  }
  return value;
}

/** A keychain entry by name (a `Keychain` or `{service, account}`) as the addon takes it: `{service, account}`. */
function keychainEntry(where, name, value) {
  if (!hasType('KeychainEntry', value)) {
    throw typeError(`${where}: ${name} must be ${typeName('KeychainEntry')}; got ${described(value)}`);
  }
  return { service: value.service, account: value.account };
}

module.exports = {
  CLIENT_OPTIONS, CALL_OPTIONS, ROTATE_OPTIONS, ROTATE_KEYCHAIN_OPTIONS, KEY_TO_SAVE, LOGGER_METHODS, typeError,
  checkedOptions, string, keyId, optionalDate, keychainEntry,
};
