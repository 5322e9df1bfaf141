'use strict';
// ApiKeySecret (src/secret.rs): the secret lives in Rust, and no JS property holds it. These make every way of
// printing one redacted (`toString` and `toJSON` are native).

const util = require('node:util');
const { native } = require('./native.js');

const { ApiKeySecret } = native;

const REDACTED = '[REDACTED]';

Object.defineProperties(ApiKeySecret.prototype, {
  [util.inspect.custom]: { value: () => `ApiKeySecret ${REDACTED}`, configurable: true },
  [Symbol.toPrimitive]: { value: () => REDACTED, configurable: true },
  [Symbol.toStringTag]: { value: 'ApiKeySecret', configurable: true },
});

module.exports = { ApiKeySecret };
