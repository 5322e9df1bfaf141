// An operation is declared once, in the core (`neon_api_keys::OPERATIONS`); the addon hands the list over
// (`operations()`). These fail when `Client` misses one of them, or has a public method the core does not declare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const native = require('../index.js');
const { Client } = require('../lib/index.js');

const operations = native.operations();

test('the addon lists the core\'s fourteen operations, with camelCase names', () => {
  assert.equal(operations.length, 14);
  for (const op of operations) {
    assert.match(op.name, /^[a-z]+(_[a-z]+)*$/);
    assert.equal(op.camelName, op.name.replace(/_([a-z])/g, (_, c) => c.toUpperCase()));
    assert.ok(op.summary.length > 0 && Array.isArray(op.args), op.name);
  }
});

test('Client has a method for every operation, and no other public method', () => {
  const methods = Object.entries(Object.getOwnPropertyDescriptors(Client.prototype))
    .filter(([name, d]) => name !== 'constructor' && typeof d.value === 'function')
    .map(([name]) => name);
  assert.deepEqual(methods.sort(), operations.map((op) => op.camelName).sort());
});

test('NativeClient has a method for every operation', () => {
  for (const op of operations) assert.equal(typeof native.NativeClient.prototype[op.camelName], 'function', op.name);
});

test('each method takes the operation\'s required arguments, then its options', () => {
  // Optional arguments (`project_id?`, `since?`) and a rotation's store and options travel in option objects.
  for (const op of operations) {
    const required = op.args.filter((a) => !a.endsWith('?') && a !== 'store').length;
    const declared = Client.prototype[op.camelName].length;
    assert.equal(declared, required, `${op.camelName}(${op.args.join(', ')}) takes ${declared} required arguments`);
  }
});
