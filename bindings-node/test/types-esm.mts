// Compiled by `npm run check-types` (tsc --noEmit), never run: the ESM entry points' types (lib/*.d.mts through the
// `import` condition of the exports map) for `neon-api-keys` and `neon-api-keys/testing`.
import neonDefault, {
  Client, Keychain, NeonClient, NeonError, NeonKeychainError, NeonNotFoundError, type ClientOptions, type Logger,
} from 'neon-api-keys';
import { Emulator, EmulatorError, type Fault, type Seed } from 'neon-api-keys/testing';

const emu: Emulator = await Emulator.start({ rateLimits: false });
const seed: Seed = emu.seed;
const colleague: string = seed.secondAdminApiKey;
const colleagueId: number = seed.ids.admin2;
emu.setClockOffsetMs(60_000);
emu.setNameConflictStatus(422);
emu.reset({ clockOffsetMs: -1_000, nameConflictStatus: 400 });
// @ts-expect-error 418 is no status Neon gives a duplicate name
emu.setNameConflictStatus(418);
const options: ClientOptions = { apiKey: seed.personalApiKey, baseUrl: emu.baseUrl, maxRetries: 0 };
const client: Client = new NeonClient(options);
const viaHelper: Client = emu.client({ timeoutMs: 1000 });
const fromDefault: typeof Client = neonDefault.Client;
const fault: Fault = { method: 'POST', path: '/api_keys', action: { type: 'respond', status: 503 }, times: 1 };
await emu.addFault(fault);
await emu.addFault({ path: '/auth', action: 'stall' });
const adminId: number = seed.ids.admin;
try {
  await client.revokeApiKey(adminId);
} catch (error) {
  if (error instanceof NeonNotFoundError) void error.status;
  if (error instanceof NeonError) void error.cause;
  if (error instanceof EmulatorError) void error.status;
}
const count: number = (await emu.requests({ method: 'POST' })).length;
const state = await emu.state();
const revoked: boolean = state.api_keys[0].revoked;
emu.reset({ rateLimits: true });
await emu.stop();
// @ts-expect-error the constructor is private: use Emulator.start()
new Emulator();
// @ts-expect-error a fault needs a path
await emu.addFault({ action: 'stall' });
const used = await emu.useKey(adminId, { from: '10.0.0.1' });
const keychain = new Keychain('my-app', 'deploy');
await keychain.save(await client.createApiKey('kept'));
const logger: Logger = { debug: (message, fields) => void [message, fields.op], warn: () => undefined };
const fromKeychain = new Client({ keychain, baseUrl: emu.baseUrl, logger });
await fromKeychain.rotateKeychainKey(keychain, { newName: 'kept-2' });
const sameKeychain: typeof Keychain = neonDefault.Keychain;
try {
  await keychain.load();
} catch (error) {
  if (error instanceof NeonKeychainError) void error.message;
}
void [viaHelper, fromDefault, count, revoked, colleague, colleagueId, used.last_used_at, sameKeychain];
