// Credentials from the environment (new Client() without apiKey, Client.fromEnv), and what the client sends
// (User-Agent).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { startEmulator, withEnv } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Client, NeonClient, NeonConfigError, NeonPermissionDeniedError } = require('../lib/index.js');

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const fast = { maxRetries: 0, throttle: false };

test('NEON_API_KEY + NEON_API_HOST', async () => {
  await emu.reset();
  await withEnv({ NEON_API_KEY: emu.seed.keys.admin, NEON_API_HOST: emu.baseUrl }, async () => {
    const client = NeonClient.fromEnv(fast);
    assert.equal(client.baseUrl, emu.baseUrl);
    const keys = await client.listApiKeys();
    assert.ok(keys.some((k) => k.id === emu.seed.ids.admin));
  });
});

test('NEON_ORG_API_KEY is used for organization calls', async () => {
  await emu.reset();
  await withEnv({ NEON_ORG_API_KEY: emu.seed.keys.org, NEON_API_HOST: emu.baseUrl }, async () => {
    const keys = await NeonClient.fromEnv(fast).listOrgApiKeys(emu.seed.org_id);
    assert.ok(keys.some((k) => k.id === emu.seed.ids.org));
  });
});

test('explicit options win over the environment', async () => {
  await emu.reset();
  await withEnv({ NEON_API_KEY: emu.seed.keys.member, NEON_API_HOST: 'http://127.0.0.1:9/api/v2' }, async () => {
    const client = NeonClient.fromEnv({ ...fast, apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl });
    assert.equal(client.baseUrl, emu.baseUrl);
    const details = await client.authDetails();
    assert.equal(details.accountId, '11111111-1111-4111-8111-111111111111');
  });
});

test('no key in the environment → NeonConfigError naming NEON_API_KEY, nothing sent', async () => {
  await emu.reset();
  await withEnv({ NEON_API_HOST: emu.baseUrl }, async () => {
    const error = await NeonClient.fromEnv(fast).listApiKeys().catch((e) => e);
    assert.ok(error instanceof NeonConfigError, `${error}`);
    assert.match(error.message, /NEON_API_KEY/);
  });
  assert.deepEqual(await emu.requests(), []);
});

test('new Client() without apiKey reads NEON_API_KEY and NEON_API_HOST', async () => {
  await emu.reset();
  await withEnv({ NEON_API_KEY: emu.seed.keys.admin, NEON_API_HOST: emu.baseUrl }, async () => {
    const client = new Client(fast);
    assert.equal(client.baseUrl, emu.baseUrl);
    assert.equal((await client.authDetails()).accountId, '11111111-1111-4111-8111-111111111111');
    const bare = new Client();
    assert.equal(bare.baseUrl, emu.baseUrl);
  });
});

test('new Client() reads NEON_ORG_API_KEY and NEON_PROJECT_API_KEY too', async () => {
  await emu.reset();
  await withEnv({ NEON_ORG_API_KEY: emu.seed.keys.org, NEON_API_HOST: emu.baseUrl }, async () => {
    const keys = await new Client(fast).listOrgApiKeys(emu.seed.org_id);
    assert.ok(keys.some((k) => k.id === emu.seed.ids.org));
  });
  await withEnv({ NEON_PROJECT_API_KEY: emu.seed.keys.project, NEON_API_HOST: emu.baseUrl }, async () => {
    const project = await new Client(fast).getProject(emu.seed.project_id);
    assert.equal(project.orgId, emu.seed.org_id);
  });
});

test('new Client(): explicit options win over the environment', async () => {
  await emu.reset();
  await withEnv({ NEON_API_KEY: emu.seed.keys.admin, NEON_ORG_API_KEY: emu.seed.keys.project,
    NEON_API_HOST: 'http://127.0.0.1:9/api/v2' }, async () => {
    // No apiKey: the environment is read, but baseUrl and orgApiKey given here win.
    const client = new Client({ ...fast, baseUrl: emu.baseUrl, orgApiKey: emu.seed.keys.org });
    assert.equal(client.baseUrl, emu.baseUrl);
    assert.equal((await client.authDetails()).accountId, '11111111-1111-4111-8111-111111111111');
    const keys = await client.listOrgApiKeys(emu.seed.org_id);
    assert.ok(keys.some((k) => k.id === emu.seed.ids.project));
  });
  const orgCall = (await emu.requests()).find((r) => r.path.startsWith('/organizations/'));
  assert.equal(orgCall.auth, 'org');
});

test('new Client({apiKey}) uses only the options given: NEON_API_HOST is not read', async () => {
  await withEnv({ NEON_API_KEY: emu.seed.keys.member, NEON_API_HOST: emu.baseUrl }, () => {
    const client = new Client({ apiKey: emu.seed.keys.admin });
    assert.equal(client.baseUrl, 'https://console.neon.tech/api/v2');
  });
});

test('new Client() with nothing in the environment → NeonConfigError from the first call, nothing sent', async () => {
  await emu.reset();
  await withEnv({}, async () => {
    const error = await new Client({ ...fast, baseUrl: emu.baseUrl }).listApiKeys().catch((e) => e);
    assert.ok(error instanceof NeonConfigError, `${error}`);
    assert.match(error.message, /NEON_API_KEY/);
  });
  assert.deepEqual(await emu.requests(), []);
});

test('NeonClient is Client', () => {
  assert.equal(NeonClient, Client);
  assert.ok(NeonClient.fromEnv({ apiKey: 'k'.repeat(64) }) instanceof Client);
});

test('a project key from NEON_PROJECT_API_KEY is refused for personal keys', async () => {
  await emu.reset();
  await withEnv({ NEON_PROJECT_API_KEY: emu.seed.keys.project, NEON_API_HOST: emu.baseUrl }, async () => {
    const project = await NeonClient.fromEnv(fast).getProject(emu.seed.project_id);
    assert.equal(project.orgId, emu.seed.org_id);
    const error = await NeonClient.fromEnv(fast).listApiKeys().catch((e) => e);
    assert.ok(error instanceof NeonConfigError || error instanceof NeonPermissionDeniedError
      || error.kind === 'outside_project_scope', `${error}`);
  });
});

test('User-Agent carries node/<process.version>; X-Request-ID is sent', async () => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end('[]');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address();
    const client = new NeonClient({ ...fast, apiKey: 'k'.repeat(64), baseUrl: `http://127.0.0.1:${port}/api/v2` });
    assert.deepEqual(await client.listApiKeys({ requestId: 'req-ua' }), []);
  } finally {
    server.close();
  }
  assert.equal(seen.length, 1);
  assert.ok(seen[0]['user-agent'].includes(`node/${process.version}`), seen[0]['user-agent']);
  assert.equal(seen[0]['x-request-id'], 'req-ua');
  assert.equal(seen[0].authorization, `Bearer ${'k'.repeat(64)}`);
});
