#!/usr/bin/env node
// A release smoke test of the addon next to the loader (or in its platform package): load it through the package's
// own entry points, start the in-process emulator, create, list and revoke a key with one AbortSignal shared by the
// calls. The release workflow runs it on each target's own runner (or container) before anything is published.
//   node bindings-node/scripts/smoke.mjs
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client, NeonNotFoundError } = require('../lib/index.js');
const { Emulator } = require('../lib/testing.js');

const emu = await Emulator.start();
try {
  const client = emu.client();
  if (!(client instanceof Client)) throw new Error('emu.client() is not a Client');
  const { signal } = new AbortController();
  const created = await client.createApiKey('release-smoke', { signal });
  const keys = await Promise.all(Array.from({ length: 12 }, () => client.listApiKeys({ signal })));
  if (!keys.every((list) => list.some((k) => k.id === created.id))) throw new Error('the created key is not listed');
  await client.revokeApiKey(created.id, { signal });
  const again = await client.revokeApiKey(created.id).then(() => null, (e) => e);
  if (!(again instanceof NeonNotFoundError)) throw new Error(`revoking twice gave ${again}`);
  const addon = Object.keys(require.cache).find((file) => file.endsWith('.node'));
  console.log(`smoke ${process.platform}-${process.arch} node ${process.version}: ok (${addon})`);
} finally {
  await emu.stop();
}
