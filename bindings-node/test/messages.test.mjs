// Error messages speak JavaScript: a wrong argument type is a TypeError naming the method and the option (`timeoutMs`,
// `new Client()`), a bad value a NeonError naming the JS parameter, and no message carries Rust or napi text (Rust
// types, `Failed to convert JavaScript value`, `ClientBuilder::...`, `api_key()`, snake_case option names).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client, Keychain, NeonError, NeonInvalidInputError, NeonConfigError } = require('../lib/index.js');
const { Emulator } = require('../lib/testing.js');

/** What a message must never contain. */
const RUST_ISMS = [
  /rust type/i, /failed to convert/i, /javascript value/i, /\bnapi\b/i, /\b[fiu](8|16|32|64|128)\b/, /\busize\b/,
  /\b(Option|Vec|Result|Box|Arc)</, /\bString\b/, /\b[A-Za-z_]\w*::[A-Za-z_]/, /ClientBuilder|CallOptions|RotateOptions/,
  /\b[a-z]+(_[a-z]+)+\(\)/, /panicked|unwrap|\.rs:\d/,
  /\b(api_key|org_api_key|base_url|timeout_ms|connect_timeout|attempt_timeout|max_retries|max_retry_wait|backoff_ms|reconcile_creates|ca_cert_pem|wait_for_use|poll_interval|new_name|request_id)\b/,
];

function rustIsms(message) {
  return RUST_ISMS.filter((pattern) => pattern.test(message)).map(String);
}

const OFFLINE = { apiKey: 'k'.repeat(64), baseUrl: 'http://127.0.0.1:9/api/v2', maxRetries: 0 };

/** The error `fn` throws or its Promise rejects with. */
async function failure(fn) {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail(`expected a failure from ${fn}`);
}

let emu;
before(async () => { emu = await Emulator.start(); });
after(() => emu?.stop());

/** [description, call, expected class, text the message must contain] */
function cases() {
  const c = new Client(OFFLINE);
  const keychain = new Keychain('neon-api-keys-messages', 'never-written');
  const wrongTypes = [
    ['apiKey', 42], ['orgApiKey', {}], ['baseUrl', 1], ['timeoutMs', '5s'], ['connectTimeoutMs', true],
    ['attemptTimeoutMs', [1]], ['maxRetries', '2'], ['backoffMs', [1, '2']], ['backoffMs', 5],
    ['maxRetryWaitMs', 10n], ['throttle', 'yes'], ['reconcileCreates', 1], ['caCertPem', Buffer.from('x')],
  ];
  return [
    ...wrongTypes.map(([option, value]) => [`new Client({${option}: ${typeof value}})`,
      () => new Client({ ...OFFLINE, [option]: value }), TypeError, `new Client(): options.${option} must be`]),
    ...wrongTypes.map(([option, value]) => [`Client.fromEnv({${option}: ${typeof value}})`,
      () => Client.fromEnv({ [option]: value }), TypeError, `Client.fromEnv(): options.${option} must be`]),
    ['an unknown option', () => new Client({ ...OFFLINE, timeoutMS: 5 }), TypeError,
      'new Client(): options.timeoutMS is not an option'],
    ['options not an object', () => new Client('key'), TypeError, 'new Client(): options must be an object'],
    ['options an array', () => new Client([]), TypeError, 'options must be an object; got an array'],
    ['a negative timeout', () => new Client({ ...OFFLINE, timeoutMs: -1 }), NeonInvalidInputError, 'timeoutMs'],
    ['a NaN connect timeout', () => new Client({ ...OFFLINE, connectTimeoutMs: NaN }), NeonInvalidInputError,
      'connectTimeoutMs'],
    ['an infinite attempt timeout', () => new Client({ ...OFFLINE, attemptTimeoutMs: Infinity }),
      NeonInvalidInputError, 'attemptTimeoutMs'],
    ['a fractional maxRetries', () => new Client({ ...OFFLINE, maxRetries: 1.5 }), NeonInvalidInputError,
      'maxRetries'],
    ['a short backoff', () => new Client({ ...OFFLINE, backoffMs: [1] }), NeonInvalidInputError, 'backoffMs'],
    ['a negative backoff cap', () => new Client({ ...OFFLINE, backoffMs: [1, -1] }), NeonInvalidInputError,
      'backoffMs[1]'],
    ['a bad base URL', () => new Client({ ...OFFLINE, baseUrl: 'not a url' }), NeonConfigError, 'base URL'],
    ['plain http to a remote host', () => new Client({ ...OFFLINE, baseUrl: 'http://example.com/api/v2' }),
      NeonConfigError, 'http'],
    ['credentials in the base URL', () => new Client({ ...OFFLINE, baseUrl: 'https://u:p@example.com/api/v2' }),
      NeonConfigError, 'credentials'],
    ['a bad certificate', () => new Client({ ...OFFLINE, caCertPem: 'not a certificate' }), NeonConfigError, ''],
    ['a name of the wrong type', () => c.createApiKey(42), TypeError, 'client.createApiKey(): name must be a string'],
    ['an id of the wrong type', () => c.revokeApiKey('1'), TypeError, 'client.revokeApiKey(): keyId must be a number'],
    ['an org id of the wrong type', () => c.listOrgApiKeys(null), TypeError, 'client.listOrgApiKeys(): orgId'],
    ['a project id of the wrong type', () => c.createOrgApiKey('org-1', 'n', { projectId: 7 }), TypeError,
      'client.createOrgApiKey(): createOptions.projectId must be a string'],
    ['since not a Date', () => c.unusedApiKeys({ since: '2025-01-01' }), TypeError,
      'client.unusedApiKeys(): unusedOptions.since must be'],
    ['an invalid Date', () => c.unusedOrgApiKeys('org-1', { since: new Date('x') }), TypeError, 'an invalid Date'],
    ['a signal that is not one', () => c.listApiKeys({ signal: 'nope' }), TypeError,
      'client.listApiKeys(): options.signal must be an AbortSignal'],
    ['a call option of the wrong type', () => c.authDetails({ timeoutMs: '1' }), TypeError,
      'client.authDetails(): options.timeoutMs must be a number'],
    ['an unknown call option', () => c.getProject('p', { retries: 1 }), TypeError,
      'client.getProject(): options.retries is not an option'],
    ['a fractional id', () => c.revokeApiKey(1.5), NeonInvalidInputError, 'keyId'],
    ['an id past 2^53', () => c.revokeOrgApiKey('org-1', 2 ** 53), NeonInvalidInputError, 'keyId'],
    ['a NaN per-call timeout', () => c.listApiKeys({ timeoutMs: NaN }), NeonInvalidInputError, 'timeoutMs'],
    ['a negative per-call maxRetries', () => c.listApiKeys({ maxRetries: -1 }), NeonInvalidInputError, 'maxRetries'],
    ['an empty name', () => c.createApiKey(''), NeonInvalidInputError, ''],
    ['a bad org id', () => c.listOrgApiKeys('Org_X'), NeonInvalidInputError, ''],
    ['a rotation without a store', () => c.rotateApiKey(1, {}), TypeError,
      'client.rotateApiKey(): options.store is required'],
    ['a store that is not a function', () => c.rotateOrgApiKey('org-1', 1, { store: {} }), TypeError,
      'client.rotateOrgApiKey(): options.store must be a function'],
    ['a negative waitForUseMs', () => c.rotateApiKey(1, { store() {}, waitForUseMs: -5 }), NeonInvalidInputError,
      'waitForUseMs'],
    ['an infinite pollIntervalMs', () => c.rotateApiKey(1, { store() {}, pollIntervalMs: Infinity }),
      NeonInvalidInputError, 'pollIntervalMs'],
    ['an old id of the wrong type', () => c.rotateApiKey('1', { store() {} }), TypeError,
      'client.rotateApiKey(): oldId must be a number'],
    ['a keychain service of the wrong type', () => new Keychain(1, 'a'), TypeError,
      'new Keychain(): service must be a string'],
    ['an empty keychain account', () => new Keychain('s', ''), NeonInvalidInputError, 'keychain account'],
    ['a key to save that is not one', () => keychain.save('key'), TypeError, 'keychain.save(): key must be'],
    ['a key to save without its secret', () => keychain.save({ id: 1, name: 'n' }), TypeError,
      'keychain.save(): key.key is required'],
    ['a key to save with a misspelt field', () => keychain.save({ id: 1, name: 'n', key: 'k', projectID: 'p' }),
      TypeError, 'keychain.save(): key.projectID is not a field'],
    ['a key to save with a fractional id', () => keychain.save({ id: 1.5, name: 'n', key: 'k' }),
      NeonInvalidInputError, 'key.id'],
    ['a keychain option that is not an entry', () => new Client({ ...OFFLINE, keychain: 'app/deploy' }), TypeError,
      'new Client(): options.keychain must be a Keychain or {service, account}'],
    ['a logger without methods', () => new Client({ ...OFFLINE, logger: {} }), TypeError,
      'new Client(): options.logger must be a logger'],
    ['a keychain rotation without an entry', () => c.rotateKeychainKey('deploy'), TypeError,
      'client.rotateKeychainKey(): keychain must be a Keychain or {service, account}'],
    ['a keychain rotation given a store', () => c.rotateKeychainKey(keychain, { store() {} }), TypeError,
      'client.rotateKeychainKey(): options.store is not an option'],
    ['a keychain rotation with an empty service', () => c.rotateKeychainKey({ service: '', account: 'a' }),
      NeonInvalidInputError, 'keychain service'],
    ['an emulator status out of range', () => emu.setNameConflictStatus(418), RangeError, 'nameConflictStatus'],
    ['an emulator clock offset that is not whole', () => emu.setClockOffsetMs(0.5), RangeError, 'offsetMs'],
  ];
}

test('every bad argument fails with the right class, naming the JS method and option, in JS words', async () => {
  const seen = [];
  for (const [what, call, cls, needle] of cases()) {
    const error = await failure(call);
    assert.ok(error instanceof cls, `${what}: ${error?.constructor?.name} ${error?.message}`);
    if (cls === TypeError) assert.equal(error.code, 'ERR_INVALID_ARG_TYPE', what);
    assert.ok(String(error.message).includes(needle), `${what}: "${error.message}" lacks "${needle}"`);
    assert.deepEqual(rustIsms(error.message), [], `${what}: "${error.message}"`);
    if (error instanceof NeonError) {
      for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
        assert.deepEqual(rustIsms(cause.message), [], `${what}, cause: "${cause.message}"`);
      }
    }
    seen.push(error.message);
  }
  assert.ok(seen.length > 50, `${seen.length} messages checked`);
});

test('the scan itself catches the Rust-isms it looks for', () => {
  for (const message of [
    'Failed to convert JavaScript value `String "5s"` into rust type `f64` on ClientOptions.timeoutMs',
    'the base URL must not contain credentials; pass the API key with api_key()',
    'invalid value for u32', 'expected Option<String>', 'neon_api_keys::ClientBuilder', 'timeout_ms must be',
  ]) {
    assert.notDeepEqual(rustIsms(message), [], message);
  }
  assert.deepEqual(rustIsms('new Client(): options.timeoutMs must be a number; got a string'), []);
});
