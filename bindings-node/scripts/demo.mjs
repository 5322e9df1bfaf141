#!/usr/bin/env node
// Demo: create, list, rotate, audit and revoke keys with neon-api-keys for Node, against the emulator
// (target/debug/neon-api-keys-emulator, or $NEON_EMULATOR_BIN). Secrets print as [REDACTED].
// Run: bindings-node/scripts/build.sh && node bindings-node/scripts/demo.mjs
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { NeonClient, NeonNotFoundError } = require('../lib/index.js');

const bin = process.env.NEON_EMULATOR_BIN || path.resolve(here, '../../target/debug/neon-api-keys-emulator');
const emulator = spawn(bin, ['--port', '0', '--exit-on-stdin-close'], { stdio: ['pipe', 'pipe', 'inherit'] });
emulator.on('error', (error) => {
  console.error(`could not start the emulator (${bin}): ${error.message}; build it with cargo build -p neon-api-keys-emulator`);
  process.exit(1);
});

try {
  const [line] = await once(createInterface({ input: emulator.stdout }), 'line');
  const { base_url: baseUrl, seed } = JSON.parse(line);
  console.log(`emulator at ${baseUrl}`);

  // Explicit settings here; in real use `NeonClient.fromEnv()` reads NEON_API_KEY / NEON_ORG_API_KEY.
  const client = new NeonClient({ apiKey: seed.keys.admin, baseUrl });
  const auth = await client.authDetails();
  console.log(`authenticated as ${auth.accountId} (${auth.authMethod})`);

  const created = await client.createApiKey('demo-ci');
  console.log('created:', created); // key: ApiKeySecret [REDACTED]
  console.log(`  the secret has ${created.key.reveal().length} characters; store it now, Neon shows it once`);
  console.log('  as JSON:', JSON.stringify(created));

  const keys = await client.listApiKeys();
  console.log(`personal keys: ${keys.map((k) => `${k.id} ${k.name}`).join(', ')}`);

  const scoped = await client.createProjectApiKey(seed.project_id, 'demo-project');
  console.log(`project-scoped key ${scoped.id} limited to ${scoped.projectId}`);

  const rotation = await client.rotateApiKey(created.id, 'demo-ci-2');
  console.log(`rotated ${created.id} → ${rotation.newKey.id}; old revoked: ${rotation.revoked?.revoked ?? false}`);

  const unused = await client.unusedApiKeys();
  console.log(`never-used personal keys: ${unused.map((k) => k.name).join(', ') || '(none)'}`);
  const stale = await client.unusedOrgApiKeys(seed.org_id, { since: new Date(Date.now() - 86_400_000) });
  console.log(`org keys unused for a day: ${stale.map((k) => k.name).join(', ') || '(none)'}`);

  const revoked = await client.revokeApiKey(rotation.newKey.id);
  console.log(`revoked ${revoked.id} (${revoked.name})`);
  await client.revokeOrgApiKey(seed.org_id, scoped.id);

  try {
    await client.revokeApiKey(revoked.id);
  } catch (error) {
    if (!(error instanceof NeonNotFoundError)) throw error;
    console.log(`second revoke: ${error.code} (HTTP ${error.status})`);
  }

  const controller = new AbortController();
  controller.abort();
  await client.listApiKeys({ signal: controller.signal }).catch((error) => {
    console.log(`aborted call: ${error.name} ${error.code}`);
  });
} finally {
  emulator.kill('SIGTERM');
}
