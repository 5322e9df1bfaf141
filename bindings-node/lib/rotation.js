'use strict';
// The caller's store of a rotation, between JavaScript and the core. The core revokes the old key only once the store
// has the new one (src/rotation.rs); the store may return a value or a Promise, or throw or reject.
//
// `storeBridge(store)` gives the addon a function that never throws: it resolves true once the store returned or
// resolved, false when it threw or rejected, and keeps that error. When the rotation then fails because of the store,
// `storeFailure` hands back THAT error object (so `err === theStoresError`), with the core's note on what happened to
// the new key (`RotateError::store_note`) attached as its `neonNote` property.

const { NeonInternalError } = require('./errors.js');
const { nativeInfo } = require('./translate.js');

/** The kind of the addon's error when the store failed (src/errors.rs `STORE_FAILED_KIND`). */
const STORE_FAILED_KIND = 'store';

/**
 * The function the addon calls with the new key, and where it keeps the store's error.
 * @param {(newKey: object) => unknown} store
 */
function storeBridge(store) {
  const kept = { failed: false, error: undefined };
  const bridge = async (newKey) => {
    try {
      await store(newKey);
      return true;
    } catch (error) {
      kept.failed = true;
      kept.error = error;
      return false;
    }
  };
  return { bridge, kept };
}

/**
 * Sets `neonNote` on the store's error. A value that cannot carry it (a primitive, a frozen object) is rethrown as
 * it is, and the note goes to a process warning instead, so that a live key it may name is never reported nowhere.
 */
function attachNote(error, note) {
  let attached = false;
  if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
    try {
      attached = Reflect.defineProperty(error, 'neonNote', {
        value: note, enumerable: true, writable: true, configurable: true,
      });
    } catch {
      attached = false; // a Proxy's trap threw
    }
  }
  if (!attached) {
    process.emitWarning(`a rotation's store failed with a value that cannot carry neonNote: ${note}`,
      { type: 'NeonRotationWarning', code: 'NEON_ROTATION_STORE_NOTE' });
  }
}

/**
 * `{error}`, the error a rotation rejects with, when the addon's error says the store failed; else undefined. That is
 * the store's own error, kept by the bridge; if the store never gave one (the addon could not call it), a
 * NeonInternalError.
 */
function storeFailure(nativeError, kept) {
  const info = nativeInfo(nativeError);
  if (info?.kind !== STORE_FAILED_KIND) return undefined;
  const note = String(info.message);
  if (!kept.failed) {
    const why = Array.isArray(info.causes) ? info.causes.join('; ') : '';
    return { error: new NeonInternalError(`internal: ${why}: ${note}`, { kind: 'internal' }) };
  }
  attachNote(kept.error, note);
  return { error: kept.error };
}

module.exports = { storeBridge, storeFailure };
