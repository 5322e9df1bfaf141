'use strict';
// The addon's errors → what the caller sees. The addon rejects with an Error whose `neon` property holds the core's
// details (kind, status, request id, ...; src/errors.rs `ErrorInfo`); `translate` turns that into the NeonError
// subclass of the kind.

const errors = require('./errors.js');

const { NeonError, NeonCancelledError, NeonInternalError } = errors;

/** Each kind's class (`static kind`); NeonError itself has none. */
const byKind = new Map(Object.values(errors).filter((cls) => cls.kind !== undefined).map((cls) => [cls.kind, cls]));

/** napi's own argument-conversion failures: a value of the wrong JS type reached the addon. */
const NAPI_TYPE_CODES = new Set([
  'InvalidArg', 'ObjectExpected', 'StringExpected', 'NameExpected', 'FunctionExpected', 'NumberExpected',
  'BooleanExpected', 'ArrayExpected', 'GenericFailure_TypeError', 'BigintExpected', 'DateExpected',
]);

/**
 * The core error's source chain (the I/O, TLS or parse error underneath, outermost first) as plain `Error`s,
 * each the `cause` of the one before; undefined when there is none. Each text was scrubbed of secrets by the core.
 * @param {unknown} texts
 */
function causeChain(texts) {
  if (!Array.isArray(texts)) return undefined;
  return texts.reduceRight((cause, text) => new Error(String(text), cause === undefined ? undefined : { cause }),
    undefined);
}

/**
 * A NeonError of the right class from the native details. Its `cause` is `options.cause` when given (the
 * signal's reason for a cancellation), else the core error's source chain, if it has one.
 */
function fromInfo(info, options = undefined) {
  const cls = byKind.get(info.kind) ?? NeonInternalError;
  const cause = options && 'cause' in options ? options.cause : causeChain(info.causes);
  return new cls(String(info.message ?? info.kind), info, cause === undefined ? undefined : { cause });
}

/** The native details of an error the addon threw, or undefined for any other value. */
function nativeInfo(error) {
  const info = error !== null && typeof error === 'object' ? error.neon : undefined;
  return info !== null && typeof info === 'object' && typeof info.kind === 'string' ? info : undefined;
}

/**
 * Any error thrown by the addon → a NeonError subclass, a TypeError for a wrong argument type, or
 * NeonInternalError for anything unexpected (a caught panic, a bug).
 * @param {unknown} error
 * @param {AbortSignal} [signal] the call's signal: its reason becomes the `cause` of NeonCancelledError
 * @param {string} [where] the method, for a TypeError's message (`client.createApiKey()`)
 */
function translate(error, signal = undefined, where = 'neon-api-keys') {
  if (error instanceof NeonError || error instanceof TypeError) return error;
  const info = nativeInfo(error);
  if (info !== undefined) {
    const options = info.kind === 'cancelled' && signal?.aborted ? { cause: signal.reason } : undefined;
    return fromInfo(info, options);
  }
  if (error !== null && typeof error === 'object' && NAPI_TYPE_CODES.has(error.code)) {
    const typeError = new TypeError(`${where}: an argument has the wrong type`, { cause: error });
    typeError.code = 'ERR_INVALID_ARG_TYPE';
    return typeError;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new NeonInternalError(`internal: ${message}`, { kind: 'internal' }, { cause: error });
}

/** The error of a call whose signal was already aborted (nothing was sent). */
function abortedError(signal) {
  return new NeonCancelledError('cancelled: the call was aborted', { kind: 'cancelled' }, {
    cause: signal.reason,
  });
}

module.exports = { byKind, fromInfo, nativeInfo, translate, abortedError };
