// ESM named imports see every export of the CommonJS entry point (cjs-module-lexer reads lib/index.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as neon from '../lib/index.js';
import { NeonClient, NeonError, NeonCancelledError, NeonInternalError, ApiKeySecret } from '../lib/index.js';

test('every class is a named ESM export', () => {
  for (const value of [NeonClient, NeonError, NeonCancelledError, NeonInternalError, ApiKeySecret]) {
    assert.equal(typeof value, 'function');
  }
  const names = Object.keys(neon).filter((n) => n !== 'default').sort();
  assert.equal(names.filter((n) => /^Neon.+Error$/.test(n)).length, 18);
  assert.ok(names.includes('NeonClient') && names.includes('ApiKeySecret'));
  assert.deepEqual(Object.keys(neon.default).sort(), names);
});
