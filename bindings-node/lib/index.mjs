// The ESM entry point of `neon-api-keys`: the very objects of the CommonJS entry (lib/index.js), re-exported by
// name, so `instanceof` works across `import` and `require` and the addon loads once.
import cjs from './index.js';

export const {
  Client,
  NeonClient,
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
} = cjs;
export default cjs;
