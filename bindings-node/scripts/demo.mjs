#!/usr/bin/env node
// Demo: create, list, rotate, audit and revoke keys with neon-api-keys for Node, against the emulator running
// in this process (neon-api-keys/testing). Secrets print as [REDACTED].
// Run: bindings-node/scripts/build.sh && node bindings-node/scripts/demo.mjs
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client, NeonNotFoundError } = require('../lib/index.js');
const { Emulator } = require('../lib/testing.js');

const emulator = await Emulator.start();

try {
  const { baseUrl, seed } = emulator;
  console.log(`emulator at ${baseUrl}`);

  // Explicit settings here; in real use `new Client()` (no apiKey) reads NEON_API_KEY / NEON_ORG_API_KEY.
  const client = new Client({ apiKey: seed.personalApiKey, baseUrl });
  const auth = await client.authDetails();
  console.log(`authenticated as ${auth.accountId} (${auth.authMethod})`);

  const created = await client.createApiKey('demo-ci');
  console.log('created:', created); // key: ApiKeySecret [REDACTED]
  console.log(`  the secret has ${created.key.reveal().length} characters; store it now, Neon shows it once`);
  console.log('  as JSON:', JSON.stringify(created));

  const keys = await client.listApiKeys();
  console.log(`personal keys: ${keys.map((k) => `${k.id} ${k.name}`).join(', ')}`);

  const scoped = await client.createProjectApiKey(seed.projectId, 'demo-project');
  console.log(`project-scoped key ${scoped.id} limited to ${scoped.projectId}`);

  const rotation = await client.rotateApiKey(created.id, 'demo-ci-2');
  console.log(`rotated ${created.id} → ${rotation.newKey.id}; old revoked: ${rotation.revoked?.revoked ?? false}`);

  const unused = await client.unusedApiKeys();
  console.log(`never-used personal keys: ${unused.map((k) => k.name).join(', ') || '(none)'}`);
  const stale = await client.unusedOrgApiKeys(seed.orgId, { since: new Date(Date.now() - 86_400_000) });
  console.log(`org keys unused for a day: ${stale.map((k) => k.name).join(', ') || '(none)'}`);

  const revoked = await client.revokeApiKey(rotation.newKey.id);
  console.log(`revoked ${revoked.id} (${revoked.name})`);
  await client.revokeOrgApiKey(seed.orgId, scoped.id);

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
  await emulator.stop();
}
