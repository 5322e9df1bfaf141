'use strict';
// neon-api-keys for Node.js: a thin layer over the native addon (napi-rs). This file is the package's one list of
// public names (lib/index.mjs re-exports it for ESM): `Client` (lib/client.js), `Keychain` (lib/keychain.js),
// `ApiKeySecret` (lib/secret.js), the core's defaults (lib/defaults.js) and the error classes (lib/errors.js).

const { Client } = require('./client.js');
const { Keychain } = require('./keychain.js');
const { ApiKeySecret } = require('./secret.js');

module.exports = {
  Client,
  NeonClient: Client,
  Keychain,
  ApiKeySecret,
  ...require('./defaults.js'),
  ...require('./errors.js'),
};
