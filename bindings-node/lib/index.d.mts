// Types of the ESM entry point of `neon-api-keys` (lib/index.mjs): the same as lib/index.d.ts.
export * from './index.js';
declare const _default: typeof import('./index.js');
export default _default;
