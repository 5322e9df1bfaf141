// The ESM entry point of `neon-api-keys`: the very objects of the CommonJS entry (lib/index.js, the one list of
// names), so `instanceof` works across `import` and `require` and the addon loads once.
export * from './index.js';
export { default } from './index.js';
