'use strict';
// Loads the native addon through napi's generated loader (../index.js). When no binary loads, the loader's own error
// blames npm and lists every file and package it tried; this replaces it with one message naming the platform
// package to install. The binaries ship as napi-rs platform packages, `neon-api-keys-<platform>`, which the published
// package.json lists in optionalDependencies so that npm installs only the one matching os, cpu and libc.

const fs = require('node:fs');
const path = require('node:path');
const { version } = require('../package.json');

/** The platforms with a prebuilt binary (package.json `napi.targets`, `npm/<platform>/`). */
const PLATFORMS = Object.freeze([
  'linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl', 'linux-arm64-musl',
  'darwin-x64', 'darwin-arm64', 'win32-x64-msvc',
]);

/** This process's platform in napi's naming (`linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, ...). */
function currentPlatform() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    let glibc = false;
    try {
      glibc = Boolean(process.report.getReport().header.glibcVersionRuntime);
    } catch {
      // no report: assume glibc, as napi's loader does
      glibc = true;
    }
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** Requires `id` and returns the error it throws (undefined when it loads). */
function loadErrorOf(id) {
  try {
    require(id);
    return undefined;
  } catch (e) {
    return e;
  }
}

/** The error for a binary that did not load: the package to install, or why the binary that is there failed. */
function missingBinaryError(loaderError) {
  const platform = currentPlatform();
  const pkg = `neon-api-keys-${platform}`;
  const local = path.join(__dirname, '..', `neon-api-keys.${platform}.node`);
  let error;
  if (process.env.NAPI_RS_NATIVE_LIBRARY_PATH) {
    error = new Error(`neon-api-keys: the native binary at NAPI_RS_NATIVE_LIBRARY_PATH ` +
      `(${process.env.NAPI_RS_NATIVE_LIBRARY_PATH}) did not load`);
    error.cause = loadErrorOf(process.env.NAPI_RS_NATIVE_LIBRARY_PATH) ?? loaderError;
  } else if (!PLATFORMS.includes(platform)) {
    error = new Error(
      `neon-api-keys: no prebuilt native binary exists for ${platform} (${process.platform} ${process.arch}). ` +
        `Binaries are published for ${PLATFORMS.join(', ')}; on another platform, build the addon from the ` +
        'repository (bindings-node/scripts/build.sh --release, with Rust installed).');
  } else if (fs.existsSync(local)) {
    // A checkout's own build (scripts/build.sh) that is there but broken.
    const cause = loadErrorOf(local);
    error = new Error(`neon-api-keys: the native binary ${local} did not load: ${cause?.message}`);
    error.cause = cause;
  } else if (resolves(`${pkg}/package.json`)) {
    const cause = loadErrorOf(pkg);
    error = new Error(`neon-api-keys: ${pkg} is installed but its native binary did not load: ${cause?.message}`);
    error.cause = cause;
  } else {
    error = new Error(
      `neon-api-keys: the native binary for ${platform} is missing. Install the package that holds it: ` +
        `\`npm install ${pkg}@${version}\`. It is an optional dependency of neon-api-keys, so npm skips it when ` +
        'optional dependencies are omitted (--omit=optional) or when the lockfile was written on another ' +
        'platform (delete node_modules and package-lock.json, then run npm install again).');
  }
  error.code = 'ERR_NEON_API_KEYS_NATIVE_BINARY';
  error.platformPackage = pkg;
  return error;
}

function resolves(id) {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

let native;
try {
  native = require('../index.js');
} catch (loaderError) {
  throw missingBinaryError(loaderError);
}

module.exports = { native, PLATFORMS };
