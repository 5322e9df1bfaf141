'use strict';
// An AbortSignal → the native cancel handles of the calls it was passed to.
//
// One 'abort' listener per signal, however many calls share it: a listener per call would pass Node's limit of 10 per
// EventTarget (MaxListenersExceededWarning) as soon as 11 calls share one signal. The calls in flight on a signal keep
// their cancel handles here; the last one to settle removes the listener.

const watchers = new WeakMap(); // AbortSignal → { handles: Set<CancelHandle>, onAbort }

/** Cancels `handle` when `signal` aborts; returns the function that stops watching (call it when the call settles). */
function watchAbort(signal, handle) {
  let watcher = watchers.get(signal);
  if (watcher === undefined) {
    const handles = new Set();
    watcher = { handles, onAbort: () => { for (const h of handles) h.cancel(); } };
    watchers.set(signal, watcher);
    signal.addEventListener('abort', watcher.onAbort, { once: true });
  }
  const { handles, onAbort } = watcher;
  handles.add(handle);
  return () => {
    handles.delete(handle);
    if (handles.size === 0 && watchers.get(signal) === watcher) {
      watchers.delete(signal);
      signal.removeEventListener('abort', onAbort);
    }
  };
}

module.exports = { watchAbort };
