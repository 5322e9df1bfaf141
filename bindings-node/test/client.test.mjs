// Values: plain objects, Date timestamps, string[] addresses, numeric ids; every method once; one runtime
// shared by many concurrent calls and clients.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startEmulator } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { NeonClient } = require('../lib/index.js');

let emu;
before(async () => { emu = await startEmulator(); });
after(() => emu?.stop());

const client = (options = {}) => new NeonClient({
  apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, maxRetries: 0, throttle: false, ...options,
});

test('personal keys: create, list, revoke, shapes', async () => {
  await emu.reset();
  const c = client();
  const created = await c.createApiKey('shape-check');
  assert.equal(typeof created.id, 'number');
  assert.ok(Number.isSafeInteger(created.id));
  assert.equal(created.name, 'shape-check');
  assert.ok(created.createdAt instanceof Date);
  assert.equal(created.createdBy, '11111111-1111-4111-8111-111111111111');
  assert.equal(created.projectId, null);
  assert.equal(created.key.reveal().length, 64);

  const keys = await c.listApiKeys();
  const listed = keys.find((k) => k.id === created.id);
  assert.ok(listed);
  assert.equal(Object.getPrototypeOf(listed), Object.prototype);
  assert.ok(Array.isArray(listed.lastUsedFromAddr));
  assert.equal(listed.lastUsedAt, null);
  assert.deepEqual(listed.createdBy, { id: '11111111-1111-4111-8111-111111111111', name: 'Ada Admin', image: listed.createdBy.image });
  const admin = keys.find((k) => k.id === emu.seed.ids.admin);
  assert.ok(admin.lastUsedAt instanceof Date, 'the admin key was just used');
  assert.ok(admin.lastUsedFromAddr.every((a) => typeof a === 'string' && a.length > 0));

  const revoked = await c.revokeApiKey(created.id);
  assert.equal(revoked.revoked, true);
  assert.equal(revoked.id, created.id);
  assert.ok(!(await c.listApiKeys()).some((k) => k.id === created.id));
});

test('organization and project keys', async () => {
  await emu.reset();
  const c = client();
  const { org_id: org, project_id: project } = emu.seed;
  const orgKey = await c.createOrgApiKey(org, 'org-wide');
  assert.equal(orgKey.projectId, null);
  const scoped = await c.createOrgApiKey(org, 'scoped', { projectId: project });
  assert.equal(scoped.projectId, project);
  const viaProject = await c.createProjectApiKey(project, 'via-project');
  assert.equal(viaProject.projectId, project);
  const listed = await c.listOrgApiKeys(org);
  assert.ok(listed.some((k) => k.id === scoped.id && k.projectId === project));
  const revoked = await c.revokeOrgApiKey(org, orgKey.id);
  assert.equal(revoked.revoked, true);
  const stored = [];
  const rotation = await c.rotateOrgApiKey(org, scoped.id, { store: (key) => stored.push(key), newName: 'scoped-2' });
  assert.equal(rotation.newKey.projectId, project);
  assert.equal(rotation.newKey.name, 'scoped-2');
  assert.deepEqual(stored.map((k) => [k.id, k.projectId]), [[rotation.newKey.id, project]]);
  assert.equal(rotation.oldKeyId, scoped.id);
  assert.equal(rotation.revoked?.id, scoped.id);
  assert.equal(rotation.revokeError, null);
});

test('auth details and projects', async () => {
  await emu.reset();
  const details = await client().authDetails();
  assert.deepEqual(details, { accountId: '11111111-1111-4111-8111-111111111111', authMethod: 'api_key_user', authData: details.authData });
  const project = await client().getProject(emu.seed.personal_project_id);
  assert.equal(project.id, emu.seed.personal_project_id);
  assert.equal(project.orgId, null);
});

test('rotate and unused keys', async () => {
  await emu.reset();
  await emu.control('POST', '/keys', { owner: 'admin', name: 'old-used', created_at: '2024-06-01T00:00:00Z',
    last_used_at: '2025-01-01T00:00:00Z' });
  await emu.control('POST', '/keys', { owner: 'admin', name: 'never-used' });
  const c = client();
  const never = await c.unusedApiKeys();
  assert.ok(never.some((k) => k.name === 'never-used'));
  assert.ok(!never.some((k) => k.name === 'old-used'));
  const stale = await c.unusedApiKeys({ since: new Date('2025-06-01T00:00:00Z') });
  assert.ok(stale.some((k) => k.name === 'old-used'));
  // A key created after `since` is not "unused since": it did not exist then.
  assert.ok(!stale.some((k) => k.name === 'never-used'), 'never-used was created after 2025-06-01');
  const orgUnused = await c.unusedOrgApiKeys(emu.seed.org_id, { since: new Date('2099-01-01T00:00:00Z') });
  assert.ok(Array.isArray(orgUnused));
  const rotation = await c.rotateApiKey(5000, { store: async () => {} });
  assert.match(rotation.newKey.name, /^old-used-\d{8}T\d{6}Z-[0-9a-f]{4}$/, 'named like Neon\'s CLI names a rotated key');
  assert.equal(rotation.revoked?.revoked, true);
});

test('listed keys come out exactly: escaped names, creators, dates, addresses, field order', async () => {
  await emu.reset();
  const odd = 'q"b\\s\n\t\u0001\u001f é 😀 \u2028 </script>';
  const body = JSON.stringify([
    { id: 9007199254740991, name: odd, created_at: '2025-03-04T05:06:07.089Z',
      created_by: { id: 'u-1', name: null, image: 'https://example.com/a?b="c"' },
      last_used_at: '1969-12-31T23:59:59.999Z', last_used_from_addr: '10.0.0.1,::1', project_id: 'p-1' },
    { id: -3, name: '', created_at: null, created_by: null, last_used_at: null, last_used_from_addr: '' },
  ]);
  for (const [path, call] of [['/api_keys', (c) => c.listApiKeys()],
    [`/organizations/${emu.seed.org_id}/api_keys`, (c) => c.listOrgApiKeys(emu.seed.org_id)]]) {
    await emu.fault({
      method: 'GET', path, times: 1,
      action: { type: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body },
    });
    const keys = await call(client());
    const expected = [
      { id: 9007199254740991, name: odd, createdAt: new Date(Date.UTC(2025, 2, 4, 5, 6, 7, 89)),
        createdBy: { id: 'u-1', name: null, image: 'https://example.com/a?b="c"' },
        lastUsedAt: new Date(-1), lastUsedFromAddr: ['10.0.0.1', '::1'], projectId: 'p-1' },
      { id: -3, name: '', createdAt: null, createdBy: null, lastUsedAt: null, lastUsedFromAddr: [], projectId: null },
    ];
    assert.deepStrictEqual(keys, expected, path);
    assert.deepEqual(keys.map(Object.keys), expected.map(Object.keys), path);
    assert.equal(JSON.stringify(keys), JSON.stringify(expected), path);
    for (const key of keys) assert.equal(Object.getPrototypeOf(key), Object.prototype);
  }
});

test('many concurrent calls over several clients share one runtime', async () => {
  await emu.reset();
  const clients = [client(), client(), NeonClient.fromEnv({ apiKey: emu.seed.keys.admin, baseUrl: emu.baseUrl, throttle: false })];
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => clients[i % 3].listApiKeys()));
  assert.equal(results.length, 30);
  for (const keys of results) assert.ok(keys.length >= 1);
});
