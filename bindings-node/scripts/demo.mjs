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

  // A two-phase rotation: the store (your secret manager; a Map here) gets the new key first, and the old key is
  // revoked only once it resolved. A store that throws leaves the old key live; the rotation rejects with its error.
  const vault = new Map();
  const rotation = await client.rotateApiKey(created.id, {
    store: async (newKey) => { vault.set('ci', newKey.key.reveal()); },
  });
  console.log(`rotated ${created.id} → ${rotation.newKey.id} (${rotation.newKey.name}); the vault holds the new `
    + `secret: ${vault.get('ci').length} characters; old revoked: ${rotation.revoked?.revoked ?? false}`);
  const refused = await client.rotateApiKey(rotation.newKey.id, {
    store: () => { throw new Error('the vault is read-only'); },
  }).catch((error) => error);
  console.log(`a refusing store: "${refused.message}"; ${refused.neonNote}`);

  // Audit: keys created before `since` and not used since then (without `since`: never used).
  await emulator.addKey({ name: 'demo-old', created_at: '2024-01-01T00:00:00Z', last_used_at: '2024-03-01T00:00:00Z' });
  const unused = await client.unusedApiKeys();
  console.log(`never-used personal keys: ${unused.map((k) => k.name).join(', ') || '(none)'}`);
  const stale = await client.unusedApiKeys({ since: new Date('2025-01-01T00:00:00Z') });
  console.log(`personal keys unused since 2025: ${stale.map((k) => k.name).join(', ') || '(none)'}`);
  const staleOrg = await client.unusedOrgApiKeys(seed.orgId, { since: new Date(Date.now() - 86_400_000) });
  console.log(`org keys unused for a day: ${staleOrg.map((k) => k.name).join(', ') || '(none)'}`);

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
