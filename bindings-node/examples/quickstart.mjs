// Quickstart: create, list, rotate, audit and revoke personal API keys, with cancellation and error handling.
// The client reads NEON_API_KEY (and NEON_ORG_API_KEY, NEON_PROJECT_API_KEY, NEON_API_HOST) from the environment.
//
//   NEON_API_KEY=... node examples/quickstart.mjs
//
// The package's tests run this file against the in-process emulator (test/examples.test.mjs), so it stays correct.
import { Client, NeonError, NeonNotFoundError } from 'neon-api-keys';

const client = new Client(); // no apiKey: the environment is read

// Create a key. Its secret is an ApiKeySecret: every printed form is [REDACTED] until you call reveal().
const created = await client.createApiKey('quickstart-ci');
console.log('created', created);
const secret = created.key.reveal(); // Neon shows it once: store it now (here we only measure it)
console.log(`secret of ${secret.length} characters stored`);

// List: plain objects, timestamps are Dates, ids are numbers.
const keys = await client.listApiKeys();
console.log('keys:', keys.map((k) => `${k.id} ${k.name}`).join(', '));

// Rotate: the new key always comes back; a failed revoke of the old one is reported, not thrown.
const rotation = await client.rotateApiKey(created.id, 'quickstart-ci-2');
if (rotation.revokeError) console.warn('the old key is still live:', rotation.revokeError.code);
console.log('rotated to', rotation.newKey.id);

// Audit: keys never used, or not used for 90 days.
const stale = await client.unusedApiKeys({ since: new Date(Date.now() - 90 * 24 * 3600 * 1000) });
console.log('unused for 90 days:', stale.map((k) => k.name).join(', ') || 'none');

// Cancellation and deadlines: an AbortSignal, and a timeout for the whole call (retries included).
const details = await client.authDetails({ signal: AbortSignal.timeout(10_000), timeoutMs: 5_000 });
console.log('authenticated as', details.authMethod);

// Errors: NeonError subclasses with a stable code.
await client.revokeApiKey(rotation.newKey.id);
try {
  await client.revokeApiKey(rotation.newKey.id);
} catch (error) {
  if (error instanceof NeonNotFoundError) console.log(`already revoked (${error.code}, HTTP ${error.status})`);
  else if (error instanceof NeonError) console.error(`${error.code}: ${error.message}`);
  else throw error;
}
