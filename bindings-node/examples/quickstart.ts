// Quickstart in TypeScript (checked by `npm run check-types`, tsc --noEmit): create, list, rotate, audit and revoke
// personal API keys. The client reads NEON_API_KEY (and NEON_ORG_API_KEY, NEON_PROJECT_API_KEY, NEON_API_HOST).
import {
  Client,
  NeonError,
  NeonNotFoundError,
  NeonRateLimitedError,
  type ApiKey,
  type CreatedApiKey,
  type Rotation,
} from 'neon-api-keys';

/** Where your deployment reads keys from (a secret manager, a CI variable, ...). */
async function saveToVault(name: string, secret: string): Promise<void> {
  if (secret.length === 0) throw new Error(`refusing to store an empty secret for ${name}`);
}

async function main(): Promise<void> {
  const client = new Client({ timeoutMs: 30_000, maxRetries: 3 });

  const created: CreatedApiKey = await client.createApiKey('quickstart-ci');
  const secret: string = created.key.reveal(); // shown once by Neon: store it now
  console.log(`created key ${created.id} (${secret.length} characters)`);

  const keys: ApiKey[] = await client.listApiKeys();
  const lastUse: Date | null = keys[0]?.lastUsedAt ?? null;
  console.log(`${keys.length} keys, newest last used ${lastUse?.toISOString() ?? 'never'}`);

  // Rotate in two phases: the old key is revoked only once `store` has the new one (your secret manager).
  const rotation: Rotation = await client.rotateApiKey(created.id, {
    newName: 'quickstart-ci-2',
    store: async (newKey: CreatedApiKey) => saveToVault(newKey.name, newKey.key.reveal()),
  });
  if (rotation.revokeError) console.warn(`old key still live: ${rotation.revokeError.code}`);

  const stale: ApiKey[] = await client.unusedApiKeys({ since: new Date('2025-01-01T00:00:00Z') });
  console.log(`${stale.length} keys unused since 2025`);

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 10_000).unref();
  try {
    await client.revokeApiKey(rotation.newKey.id, { signal: controller.signal, requestId: 'quickstart-revoke' });
  } catch (error) {
    if (error instanceof NeonNotFoundError) {
      console.log('already revoked');
    } else if (error instanceof NeonRateLimitedError) {
      console.log(`rate limited; retry in ${error.retryAfterMs ?? 1000} ms`);
    } else if (error instanceof NeonError) {
      console.error(`${error.code} (HTTP ${error.status ?? '-'}, request ${error.requestId ?? '-'}): ${error.message}`,
        { cause: error.cause });
    } else {
      throw error;
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
