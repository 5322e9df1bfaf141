// The ESM entry point of `neon-api-keys/testing`: the objects of lib/testing.js (the one list of names).
export * from './testing.js';
export { default } from './testing.js';
