// Compiled by `npm run check-types` (tsc --noEmit), never run: the public types must allow this usage
// and reject the lines marked @ts-expect-error.
import {
  ApiKeySecret,
  Client,
  NeonClient,
  Keychain,
  NeonError,
  NeonKeychainError,
  NeonNotFoundError,
  NeonOutcomeUnknownError,
  NeonRateLimitedError,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USE_POLL_INTERVAL_MS,
  type ApiKey,
  type CreatedApiKey,
  type KeychainKey,
  type LogFields,
  type Logger,
  type RotateKeychainOptions,
  type Rotation,
} from '../lib/index.js';

async function usage(): Promise<void> {
  const client = new NeonClient({ apiKey: 'secret', baseUrl: 'http://127.0.0.1:1/api/v2', timeoutMs: 5000 });
  const fromEnv: NeonClient = NeonClient.fromEnv({ maxRetries: 0, throttle: false });
  const fromEnvToo: Client = new Client(); // no apiKey: reads NEON_API_KEY, ...
  const same: Client = fromEnv;
  const controller = new AbortController();

  const keys: ApiKey[] = await client.listApiKeys({ signal: controller.signal, timeoutMs: 1000, requestId: 'r-1' });
  const firstUsed: Date | null = keys[0].lastUsedAt;
  const addrs: string[] = keys[0].lastUsedFromAddr;
  const created: CreatedApiKey = await client.createApiKey('ci');
  const secret: string = created.key.reveal();
  const isSecret: boolean = created.key instanceof ApiKeySecret;
  await client.revokeApiKey(created.id);
  await client.createOrgApiKey('org-1', 'deploy', { projectId: 'proj-1' });
  await client.createOrgApiKey('org-1', 'deploy', undefined, { signal: AbortSignal.timeout(100) });
  await client.revokeOrgApiKey('org-1', 1);
  await client.createProjectApiKey('proj-1', 'p');
  const method: string = (await client.authDetails()).authMethod;
  const org: string | null = (await client.getProject('proj-1')).orgId;
  const rotation: Rotation = await client.rotateApiKey(1, {
    store: async (key: CreatedApiKey) => { void key.key.reveal(); },
    newName: 'new',
    waitForUseMs: 60_000,
    signal: controller.signal,
  });
  const revokeFailure: NeonError | null = rotation.revokeError;
  const seen: boolean | null = rotation.newKeySeenInUse;
  const newId: number = rotation.newKey.id;
  await fromEnv.rotateOrgApiKey('org-1', 2, { store: () => undefined });
  const defaults: number[] = [DEFAULT_TIMEOUT_MS, DEFAULT_MAX_RETRIES, DEFAULT_USE_POLL_INTERVAL_MS];
  // @ts-expect-error a rotation needs a store
  await client.rotateApiKey(1, { newName: 'new' });
  // @ts-expect-error the new key of a rotation carries no secret
  void rotation.newKey.key;
  // Keychain entries: save what a create returned (or a key held as text), load it, use it, rotate it in place.
  const keychain = new Keychain('my-app', 'deploy');
  const backend: string = Keychain.backend;
  await keychain.save(created);
  const held: KeychainKey = { id: 1, name: 'from-elsewhere', key: 'neon-secret', orgId: null };
  await keychain.save(held);
  const loaded: CreatedApiKey | null = await keychain.load();
  const loadedOrg: string | null | undefined = loaded?.orgId;
  const wasThere: boolean = await keychain.delete();
  const isThere: boolean = await keychain.exists();
  const printed: { service: string; account: string; backend: string } = keychain.toJSON();
  const logger: Logger = { info: (message: string, fields: LogFields) => void [message, fields.request_id] };
  const fromKeychain = new Client({ keychain, logger });
  const byName = new Client({ keychain: { service: 'my-app', account: 'deploy' }, logger: console });
  const inPlaceOptions: RotateKeychainOptions = { newName: 'deploy-2', waitForUseMs: 1000, signal: controller.signal };
  const inPlace: Rotation = await fromKeychain.rotateKeychainKey(keychain, inPlaceOptions);
  await byName.rotateKeychainKey({ service: 'my-app', account: 'deploy' });
  await client.rotateApiKey(1, { store: keychain });
  await client.rotateApiKey(1, { store: (key) => keychain.save(key) });
  // @ts-expect-error a keychain rotation's store is the entry itself
  await client.rotateKeychainKey(keychain, { store: () => undefined });
  // @ts-expect-error a logger's methods take (message, fields)
  new Client({ logger: { info: (n: number) => n } });
  // @ts-expect-error the secret of a key to save is an ApiKeySecret or a string
  await keychain.save({ id: 1, name: 'n', key: 42 });
  // @ts-expect-error Keychain.backend is read-only
  Keychain.backend = 'mine';
  await client.unusedApiKeys({ since: new Date() });
  await client.unusedOrgApiKeys('org-1');
  const url: string = client.baseUrl;

  try {
    await client.listOrgApiKeys('org-1');
  } catch (error) {
    if (error instanceof NeonNotFoundError) {
      const status: number | null = error.status;
      const code: 'NEON_NOT_FOUND' | string = error.code;
      const cause: unknown = error.cause;
      void status;
      void code;
      void cause;
    }
    if (error instanceof NeonRateLimitedError) void error.retryAfterMs;
    if (error instanceof NeonOutcomeUnknownError) void [error.notBefore?.getTime(), error.candidateIds.length];
    if (error instanceof NeonKeychainError) void (error.kind === 'keychain' && error.code === 'NEON_KEYCHAIN');
  }

  // @ts-expect-error ids are numbers
  await client.revokeApiKey('1');
  // @ts-expect-error since is a Date
  await client.unusedApiKeys({ since: '2025-01-01' });
  // @ts-expect-error unknown client option
  new NeonClient({ apiKeyy: 'x' });

  void [fromEnvToo, same, isSecret, firstUsed, addrs, secret, method, org, revokeFailure, url, seen, newId, defaults];
  void [backend, loadedOrg, wasThere, isThere, printed, inPlace];
}
void usage;
