// The ESM entry point of `neon-api-keys/testing`: the objects of lib/testing.js, re-exported by name.
import cjs from './testing.js';

export const { Emulator, EmulatorError } = cjs;
export default cjs;
