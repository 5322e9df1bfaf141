'use strict';
// NeonError and one subclass per core ErrorKind. The native addon rejects with an Error whose `neon`
// property holds the core's details (kind, status, request id, ...); `translate` turns that into the class.

/** @type {ReadonlyArray<[kind: string, className: string]>} */
const KINDS = [
  ['invalid_input', 'NeonInvalidInputError'],
  ['config', 'NeonConfigError'],
  ['auth', 'NeonAuthError'],
  ['permission_denied', 'NeonPermissionDeniedError'],
  ['outside_project_scope', 'NeonOutsideProjectScopeError'],
  ['not_found', 'NeonNotFoundError'],
  ['conflict', 'NeonConflictError'],
  ['locked', 'NeonLockedError'],
  ['rate_limited', 'NeonRateLimitedError'],
  ['server', 'NeonServerError'],
  ['api', 'NeonApiError'],
  ['timeout', 'NeonTimeoutError'],
  ['network', 'NeonNetworkError'],
  ['decode', 'NeonDecodeError'],
  ['outcome_unknown', 'NeonOutcomeUnknownError'],
  ['verification_failed', 'NeonVerificationFailedError'],
  ['cancelled', 'NeonCancelledError'],
  ['internal', 'NeonInternalError'],
];

/** `NEON_` + the kind in upper case: `not_found` → `NEON_NOT_FOUND`. */
const codeOf = (kind) => `NEON_${kind.toUpperCase()}`;

class NeonError extends Error {
  /**
   * @param {string} message
   * @param {object} [info] the native details (`kind`, `status`, `neonCode`, `requestId`, `retryAfterMs`)
   * @param {{cause?: unknown}} [options]
   */
  constructor(message, info = {}, options = undefined) {
    super(message, options);
    const kind = typeof info.kind === 'string' ? info.kind : new.target.kind ?? 'internal';
    this.code = codeOf(kind);
    this.kind = kind;
    this.status = info.status ?? null;
    this.neonCode = info.neonCode ?? null;
    this.requestId = info.requestId ?? null;
  }
}
Object.defineProperty(NeonError.prototype, 'name', { value: 'NeonError', writable: true, configurable: true });

/** Defines `name` on the prototype (not an own enumerable field of each error). */
function named(cls, name) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  return cls;
}
named(NeonError, 'NeonError');

class NeonInvalidInputError extends NeonError { static kind = 'invalid_input'; }
class NeonConfigError extends NeonError { static kind = 'config'; }
class NeonAuthError extends NeonError { static kind = 'auth'; }
class NeonPermissionDeniedError extends NeonError { static kind = 'permission_denied'; }
class NeonOutsideProjectScopeError extends NeonError { static kind = 'outside_project_scope'; }
class NeonNotFoundError extends NeonError { static kind = 'not_found'; }
class NeonConflictError extends NeonError { static kind = 'conflict'; }
class NeonLockedError extends NeonError { static kind = 'locked'; }
class NeonServerError extends NeonError { static kind = 'server'; }
class NeonApiError extends NeonError { static kind = 'api'; }
class NeonTimeoutError extends NeonError { static kind = 'timeout'; }
class NeonNetworkError extends NeonError { static kind = 'network'; }
class NeonDecodeError extends NeonError { static kind = 'decode'; }
class NeonInternalError extends NeonError { static kind = 'internal'; }

class NeonRateLimitedError extends NeonError {
  static kind = 'rate_limited';
  constructor(message, info = {}, options = undefined) {
    super(message, info, options);
    /** Milliseconds the server asked to wait (`Retry-After`), or null. */
    this.retryAfterMs = info.retryAfterMs ?? null;
  }
}

class NeonOutcomeUnknownError extends NeonError {
  static kind = 'outcome_unknown';
  constructor(message, info = {}, options = undefined) {
    super(message, info, options);
    const o = info.outcomeUnknown ?? {};
    this.keyName = o.keyName ?? null;
    this.orgId = o.orgId ?? null;
    this.projectId = o.projectId ?? null;
    this.notBefore = o.notBefore ?? null;
    this.notAfter = o.notAfter ?? null;
  }
}

class NeonVerificationFailedError extends NeonError {
  static kind = 'verification_failed';
  constructor(message, info = {}, options = undefined) {
    super(message, info, options);
    const v = info.verification ?? {};
    this.keyId = v.keyId ?? null;
    this.revoked = v.revoked ?? null;
  }
}

/** Named `AbortError`, like the errors of fetch and timers, so `err.name === 'AbortError'` checks work. */
class NeonCancelledError extends NeonError { static kind = 'cancelled'; }

const classes = {
  NeonError, NeonInvalidInputError, NeonConfigError, NeonAuthError, NeonPermissionDeniedError,
  NeonOutsideProjectScopeError, NeonNotFoundError, NeonConflictError, NeonLockedError, NeonRateLimitedError,
  NeonServerError, NeonApiError, NeonTimeoutError, NeonNetworkError, NeonDecodeError, NeonOutcomeUnknownError,
  NeonVerificationFailedError, NeonCancelledError, NeonInternalError,
};
const byKind = new Map();
for (const [kind, className] of KINDS) {
  const cls = classes[className];
  if (cls.kind !== kind) throw new Error(`neon-api-keys: ${className} does not match kind ${kind}`);
  named(cls, kind === 'cancelled' ? 'AbortError' : className);
  byKind.set(kind, cls);
}

/** napi's own argument-conversion failures: the caller passed the wrong JS type. */
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
function fromInfo(info, options) {
  const cls = byKind.get(info.kind) ?? NeonInternalError;
  const cause = options && 'cause' in options ? options.cause : causeChain(info.causes);
  return new cls(String(info.message ?? info.kind), info, cause === undefined ? undefined : { cause });
}

/**
 * Any error thrown by the native addon → what the caller sees: a NeonError subclass, a TypeError for a wrong
 * argument type, or NeonInternalError for anything unexpected (a caught panic, a bug).
 * @param {unknown} error
 * @param {AbortSignal} [signal] the call's signal: its reason becomes the `cause` of NeonCancelledError
 */
function translate(error, signal) {
  if (error instanceof NeonError || error instanceof TypeError) return error;
  const info = error !== null && typeof error === 'object' ? error.neon : undefined;
  if (info !== null && typeof info === 'object' && typeof info.kind === 'string') {
    const options = info.kind === 'cancelled' && signal?.aborted ? { cause: signal.reason } : undefined;
    return fromInfo(info, options);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error !== null && typeof error === 'object' && NAPI_TYPE_CODES.has(error.code)) {
    const typeError = new TypeError(message);
    typeError.code = 'ERR_INVALID_ARG_TYPE';
    return typeError;
  }
  return new NeonInternalError(`internal: ${message}`, { kind: 'internal' }, { cause: error });
}

/** The error of a call whose signal was already aborted (nothing was sent). */
function abortedError(signal) {
  return new NeonCancelledError('cancelled: the call was aborted', { kind: 'cancelled' }, {
    cause: signal.reason,
  });
}

module.exports = { ...classes, KINDS, codeOf, fromInfo, translate, abortedError };
