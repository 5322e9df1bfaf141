'use strict';
// NeonError and one subclass per core error kind (`static kind`, the core's `ErrorKind::as_str`). This file is the
// one list of the public error classes: lib/index.js re-exports its `module.exports` as it is. lib/translate.js
// turns the addon's errors into these classes; test/errors.test.mjs checks that every kind of the core has one.

/** `NEON_` + the kind in upper case: `not_found` → `NEON_NOT_FOUND`. */
const codeOf = (kind) => `NEON_${kind.toUpperCase()}`;

class NeonError extends Error {
  /**
   * @param {string} message
   * @param {object} [info] the native details (`kind`, `status`, `neonCode`, `requestId`, ...)
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
class NeonKeychainError extends NeonError { static kind = 'keychain'; }
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
    this.candidateIds = o.candidateIds ?? [];
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

module.exports = {
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
  NeonKeychainError,
  NeonInternalError,
};

// `name` on each prototype (not an own enumerable field of every error): the class name, or `AbortError`.
for (const [className, cls] of Object.entries(module.exports)) {
  const name = cls === NeonCancelledError ? 'AbortError' : className;
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}
