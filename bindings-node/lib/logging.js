'use strict';
// The core's log records (src/logging.rs) in JavaScript: written to `util.debuglog('neon-api-keys')` when NODE_DEBUG
// names that section (checked once, when the package loads; the process has one such listener, in the first thread
// that loaded the package, so a worker loading it too writes nothing twice), and handed to the `logger` of a client
// that has one.
//
// A record is `{level, message, fields}`: the core's level (`trace` goes to a logger's `debug`), what happened
// (`retrying`, `response`, ...), and its fields as an object of strings under the core's own names (`op`, `method`,
// `route`, `status`, `elapsed_ms`, `request_id`, `attempt`, `failure`, `wait_ms`, ...), the same in every language of
// the SDK. The core scrubs every text of secrets before a record is made. Nothing is forwarded, and nothing crosses
// into JavaScript, for a level nobody listens to.

const util = require('node:util');
const { native } = require('./native.js');
const { LOGGER_METHODS } = require('./arguments.js');

/** The logger method of each level of the core. */
const METHOD_OF = Object.freeze({ trace: 'debug', debug: 'debug', info: 'info', warn: 'warn', error: 'error' });

/** A record's fields (`[name, value, ...]` from the addon) as an object. */
function fieldsOf(entry) {
  const fields = {};
  const list = entry.fields;
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]] = list[i + 1];
  return fields;
}

/** `name=value` (quoted when the value has a space, a quote or `=`), as the core prints a record. */
const pair = (name, value) => `${name}=${/[\s"=]/.test(value) ? JSON.stringify(value) : value}`;

/** One debuglog line: `info retrying attempt=1 failure="status 503" wait_ms=12 op=list_api_keys ...`. */
function line(entry) {
  const list = entry.fields;
  let text = `${entry.level} ${entry.message}`;
  for (let i = 0; i + 1 < list.length; i += 2) text += ` ${pair(list[i], list[i + 1])}`;
  return text;
}

const debuglog = util.debuglog('neon-api-keys');
if (debuglog.enabled) {
  try {
    native.listenToLogs((entry) => debuglog('%s', line(entry)), 'trace');
  } catch (error) {
    // The package still works without its log; say why there is none.
    process.emitWarning(`NODE_DEBUG=neon-api-keys: the SDK's log is unavailable: ${error?.message ?? error}`,
      { type: 'NeonLoggerWarning', code: 'NEON_LOG_UNAVAILABLE' });
  }
}

/** The loggers that threw already (warned about once each). */
const threw = new WeakSet();

/** Hands `entry` to `logger`'s method of its level; a logger that throws is reported once, never to the addon. */
function deliver(logger, entry) {
  const method = logger[METHOD_OF[entry.level]];
  if (typeof method !== 'function') return;
  try {
    method.call(logger, entry.message, fieldsOf(entry));
  } catch (error) {
    if (threw.has(logger)) return;
    threw.add(logger);
    process.emitWarning(`the logger given to neon-api-keys threw (${error?.message ?? error}); its records keep going to ` +
      'it, and this warning is not repeated', { type: 'NeonLoggerWarning', code: 'NEON_LOGGER_THREW' });
  }
}

/**
 * What `NativeClient` takes for a client's `logger` (checked by lib/arguments.js): the function that delivers the
 * client's records, and the lowest level the logger has a method for.
 */
function clientLog(logger) {
  const lowest = LOGGER_METHODS.find((name) => typeof logger[name] === 'function');
  return { forward: (entry) => deliver(logger, entry), level: lowest === 'debug' ? 'trace' : lowest };
}

module.exports = { clientLog };
