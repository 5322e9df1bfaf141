// Quickstart: create, list, rotate, audit and revoke personal API keys, with cancellation and error handling.
// The client reads NEON_API_KEY (and NEON_ORG_API_KEY, NEON_PROJECT_API_KEY, NEON_API_HOST) from the environment.
//
//   NEON_API_KEY=... node examples/quickstart.mjs
//
// The package's tests run this file against the in-process emulator (test/examples.test.mjs), so it stays correct.
import { Client, NeonError, NeonNotFoundError } from 'neon-api-keys';

const client = new Client(); // no apiKey: the environment is read

// Where your deployment reads its key from: a secret manager, a CI variable, ... (here: memory).
const vault = new Map();

// Create a key. Its secret is an ApiKeySecret: every printed form is [REDACTED] until you call reveal().
const created = await client.createApiKey('quickstart-ci');
console.log('created', created);
vault.set('ci', created.key.reveal()); // Neon shows it once: store it now
console.log(`secret of ${vault.get('ci').length} characters stored`);

// List: plain objects, timestamps are Dates, ids are numbers.
const keys = await client.listApiKeys();
console.log('keys:', keys.map((k) => `${k.id} ${k.name}`).join(', '));

// Rotate in two phases: the new key goes to your store first; the old key is revoked only once the store resolved.
// If the store throws, the new key is revoked, the old one stays live, and the rotation rejects with your error.
const rotation = await client.rotateApiKey(created.id, {
  newName: 'quickstart-ci-2',
  store: async (newKey) => { vault.set('ci', newKey.key.reveal()); },
});
if (rotation.revokeError) console.warn('the old key is still live:', rotation.revokeError.code);
console.log(`rotated to ${rotation.newKey.id}; the old key ${rotation.oldKeyId} revoked: ${rotation.revoked !== null}`);

// Audit: keys created more than 90 days ago and not used since then.
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
