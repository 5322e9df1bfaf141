// Types of the ESM entry point of `neon-api-keys/testing` (lib/testing.mjs): the same as lib/testing.d.ts.
export * from './testing.js';
declare const _default: typeof import('./testing.js');
export default _default;
