'use strict';
// `Keychain`: one entry of the platform's keychain holding one key (src/keychain.rs over the core's `Keychain`). Every
// access returns a Promise and runs on libuv's thread pool: on macOS it may wait for the user to answer a prompt, and
// the event loop must not. What an entry holds and how it is checked are the core's (docs/keychain.md).

const util = require('node:util');
const { native } = require('./native.js');
const { ApiKeySecret } = require('./secret.js');
const { translate } = require('./translate.js');
const { KEY_TO_SAVE, checkedOptions, string, typeError } = require('./arguments.js');

const { NativeKeychain, keychainBackend } = native;

const BACKEND = keychainBackend();

/**
 * One entry of the platform's keychain, named by a service and an account (`new Keychain('my-app', 'deploy')`). It
 * holds at most one key: its secret and what identifies it (id, name, organization, project). Printing it shows the
 * names and the backend, never a secret.
 */
class Keychain {
  #native;

  /**
   * @param {string} service the service name (for example your application's)
   * @param {string} account the account name (for example what the key is for)
   */
  constructor(service, account) {
    const where = 'new Keychain()';
    string(where, 'service', service);
    string(where, 'account', account);
    try {
      this.#native = new NativeKeychain(service, account);
    } catch (error) {
      throw translate(error, undefined, where);
    }
  }

  /** Where this platform keeps the entries (`'Linux kernel keyring (keyutils)'`, `'macOS Keychain'`, ...). */
  static get backend() {
    return BACKEND;
  }

  /** The service name. */
  get service() {
    return this.#native.service;
  }

  /** The account name. */
  get account() {
    return this.#native.account;
  }

  /** Saves `key` (a `CreatedApiKey`; its `key` an `ApiKeySecret` or a string) in the entry, replacing what it held. */
  async save(key) {
    const where = 'keychain.save()';
    if (typeof key !== 'object' || key === null) {
      throw typeError(`${where}: key must be a CreatedApiKey; got ${key === null ? 'null' : `a ${typeof key}`}`);
    }
    const fields = checkedOptions(where, 'key', key, KEY_TO_SAVE, 'field');
    for (const required of ['id', 'name', 'key']) {
      if (fields[required] === undefined) throw typeError(`${where}: key.${required} is required`);
    }
    const { key: secret, ...rest } = fields;
    const [object, secretText] = secret instanceof ApiKeySecret ? [secret, undefined] : [undefined, secret];
    return this.#call(where, () => this.#native.save({ ...rest, secretText }, object));
  }

  /** The key the entry holds (a `CreatedApiKey`, its secret an `ApiKeySecret`), or `null` when it holds none. */
  load() {
    return this.#call('keychain.load()', () => this.#native.load());
  }

  /** Deletes the entry; resolves with whether there was one. */
  delete() {
    return this.#call('keychain.delete()', () => this.#native.delete());
  }

  /** Whether the entry holds something (a key, or something that is not one of this SDK's records). */
  exists() {
    return this.#call('keychain.exists()', () => this.#native.exists());
  }

  async #call(where, invoke) {
    try {
      return await invoke();
    } catch (error) {
      throw translate(error, undefined, where);
    }
  }

  /** `{service, account, backend}`. */
  toJSON() {
    return { service: this.service, account: this.account, backend: BACKEND };
  }

  /** `Keychain(service/account, backend)`. */
  toString() {
    return `Keychain(${this.service}/${this.account}, ${BACKEND})`;
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Keychain ${inspect(this.toJSON(), options)}`;
  }
}

Object.defineProperty(Keychain.prototype, Symbol.toStringTag, { value: 'Keychain', configurable: true });

module.exports = { Keychain };
