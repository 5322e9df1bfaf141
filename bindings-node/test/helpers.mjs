// Shared test helpers: one emulator process per test file, its control API, env isolation.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORKSPACE_DIR = path.resolve(PACKAGE_DIR, '..');
export const NEON_ENV_VARS = ['NEON_API_KEY', 'NEON_ORG_API_KEY', 'NEON_PROJECT_API_KEY', 'NEON_API_HOST'];

/** `$NEON_EMULATOR_BIN`, else the workspace's debug build. */
export function emulatorBinary() {
  const bin = process.env.NEON_EMULATOR_BIN || path.join(WORKSPACE_DIR, 'target', 'debug', 'neon-api-keys-emulator');
  if (!existsSync(bin)) {
    throw new Error(`emulator binary not found at ${bin}: run \`cargo build -p neon-api-keys-emulator\``);
  }
  return bin;
}

/**
 * Starts the emulator (`--port 0 --exit-on-stdin-close`: it dies with this process), reads its first stdout line and returns
 * `{baseUrl, controlUrl, seed, control(method, path, body), reset(rateLimits), stop()}`.
 */
export async function startEmulator() {
  const child = spawn(emulatorBinary(), ['--port', '0', '--exit-on-stdin-close'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator did not print its JSON line within 20 s')), 20_000);
    lines.once('line', (line) => { clearTimeout(timer); resolve(line); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited early (${code})`)); });
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
  });
  lines.on('line', () => {}); // keep draining stdout
  const info = JSON.parse(first);
  const controlUrl = info.control_url;

  /** A control call with a JSON text body (or none). */
  async function controlRaw(method, urlPath, body = undefined) {
    const response = await fetch(controlUrl + urlPath, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${urlPath} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
  const control = (method, urlPath, body = undefined) =>
    controlRaw(method, urlPath, body === undefined ? undefined : JSON.stringify(body));

  return {
    baseUrl: info.base_url,
    controlUrl,
    seed: info.seed,
    control,
    controlRaw,
    reset: (rateLimits = false) => control('POST', '/reset', { rate_limits: rateLimits }),
    requests: () => control('GET', '/requests'),
    fault: (fault) => control('POST', '/faults', fault),
    stop() {
      lines.close();
      child.stdin.end();
      child.kill('SIGTERM');
    },
  };
}

/** Runs `fn` with the NEON_* variables cleared and `vars` set, restoring the environment afterwards. */
export async function withEnv(vars, fn) {
  const saved = Object.fromEntries(NEON_ENV_VARS.map((name) => [name, process.env[name]]));
  for (const name of NEON_ENV_VARS) delete process.env[name];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const name of Object.keys(vars)) delete process.env[name];
    for (const [name, value] of Object.entries(saved)) {
      if (value !== undefined) process.env[name] = value;
    }
  }
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
