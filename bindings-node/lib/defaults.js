'use strict';
// The core's defaults (`neon_api_keys::DEFAULT_*`, src/catalog.rs), in the units of the options that take them.
// Each is one `exports.NAME =` line, the form Node's ESM import sees as a named export.

const { native } = require('./native.js');

exports.DEFAULT_TIMEOUT_MS = native.DEFAULT_TIMEOUT_MS;
exports.DEFAULT_CONNECT_TIMEOUT_MS = native.DEFAULT_CONNECT_TIMEOUT_MS;
exports.DEFAULT_ATTEMPT_TIMEOUT_MS = native.DEFAULT_ATTEMPT_TIMEOUT_MS;
exports.DEFAULT_MAX_RETRIES = native.DEFAULT_MAX_RETRIES;
exports.DEFAULT_BACKOFF_BASE_MS = native.DEFAULT_BACKOFF_BASE_MS;
exports.DEFAULT_BACKOFF_CAP_MS = native.DEFAULT_BACKOFF_CAP_MS;
exports.DEFAULT_MAX_RETRY_WAIT_MS = native.DEFAULT_MAX_RETRY_WAIT_MS;
exports.DEFAULT_USE_POLL_INTERVAL_MS = native.DEFAULT_USE_POLL_INTERVAL_MS;
exports.DEFAULT_BASE_URL = native.DEFAULT_BASE_URL;
