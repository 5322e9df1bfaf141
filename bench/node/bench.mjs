// Node driver of `make bench`: neon-api-keys against @neon/sdk 6 (fetch), @neondatabase/api-client 2.7.3 (axios)
// and a raw undici loop. Same protocol as every driver (see bench/rust/src/main.rs): reads BENCH_BASE_URL and
// BENCH_API_KEY, prints {"ready":true,"contenders":[...]}, then answers one JSON command per stdin line.
// `--once '<command>'` runs one command in a fresh process and adds maxrss_kb.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const BASE = (process.env.BENCH_BASE_URL ?? '').replace(/\/$/, '');
const KEY = process.env.BENCH_API_KEY ?? '';
// The binding is built in the checkout, not installed from a registry.
const BINDING = process.env.BENCH_NODE_BINDING ?? path.resolve(here, '../../bindings-node');
const now = () => process.hrtime.bigint();

class Skip extends Error {}

// Each contender: make() once per process, then list(c) and createRevoke(c, i) return promises.
const CONTENDERS = {
  'node-nak': {
    make: () => {
      const { Client, NeonClient } = require(BINDING);
      return new (Client ?? NeonClient)({ apiKey: KEY, baseUrl: BASE, throttle: false });
    },
    list: async (c) => (await c.listApiKeys()).length,
    createRevoke: async (c, i) => c.revokeApiKey((await c.createApiKey(`bench-${i}`)).id),
  },
  'node-neon-sdk': {
    make: async () => {
      const { createNeonClient } = await import('@neon/sdk');
      return createNeonClient({ apiKey: KEY, baseUrl: BASE, throwOnError: true });
    },
    list: async (c) => (await c.apiKeys.list()).length,
    createRevoke: async (c, i) => c.apiKeys.revoke({ keyId: (await c.apiKeys.create({ keyName: `bench-${i}` })).id }),
  },
  'node-api-client': {
    make: () => {
      const { createApiClient } = require('@neondatabase/api-client');
      return createApiClient({ apiKey: KEY, baseURL: BASE });
    },
    list: async (c) => (await c.listApiKeys()).data.length,
    createRevoke: async (c, i) => c.revokeApiKey((await c.createApiKey({ key_name: `bench-${i}` })).data.id),
  },
  'node-undici': {
    make: () => {
      const { Agent } = require('undici');
      return { agent: new Agent(), headers: { authorization: `Bearer ${KEY}`, accept: 'application/json' } };
    },
    list: async (c) => (await call(c, 'GET', '/api_keys')).length,
    createRevoke: async (c, i) => {
      const created = await call(c, 'POST', '/api_keys', { key_name: `bench-${i}` });
      return call(c, 'DELETE', `/api_keys/${created.id}`);
    },
  },
};

async function call(c, method, p, body) {
  const { request } = require('undici');
  const headers = body ? { ...c.headers, 'content-type': 'application/json' } : c.headers;
  const res = await request(BASE + p, { method, headers, dispatcher: c.agent, body: body && JSON.stringify(body) });
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${await res.body.text()}`);
  return res.body.json();
}

const clients = new Map();
async function client(name) {
  if (!clients.has(name)) clients.set(name, await CONTENDERS[name].make());
  return clients.get(name);
}

async function timeEach(fn, n, warmup) {
  const samples = [];
  for (let i = 0; i < warmup + n; i++) {
    const t = now();
    await fn(i);
    if (i >= warmup) samples.push(Number(now() - t));
  }
  return samples;
}

async function pool(fn, n, conc) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: Math.min(conc, n) }, worker));
}

async function run({ contender, op, n = 1, warmup = 0, conc = 1 }) {
  const spec = CONTENDERS[contender];
  if (!spec) throw new Skip(`unknown contender ${contender}`);
  if (op === 'decode') {
    // In-process decode of one list body (JSON.parse is what every JS client does); ours decode in Rust.
    if (contender !== 'node-undici') throw new Skip('decoding happens inside the Rust core: see list minus rust-bytes');
    const c = await client(contender);
    const { request } = require('undici');
    const body = await (await request(BASE + '/api_keys', { headers: c.headers, dispatcher: c.agent })).body.text();
    return timeEach(() => JSON.parse(body), n, warmup);
  }
  const c = await client(contender);
  if (op === 'list') return timeEach(() => spec.list(c), n, warmup);
  if (op === 'create_revoke') return timeEach((i) => spec.createRevoke(c, i), n, warmup);
  if (op === 'conc') {
    await pool(() => spec.list(c), warmup, conc);
    const t = now();
    await pool(() => spec.list(c), n, conc);
    return [Number(now() - t)];
  }
  throw new Skip(`unknown op ${op}`);
}

async function answer(line) {
  try {
    return { ok: true, samples_ns: await run(JSON.parse(line)) };
  } catch (e) {
    if (e instanceof Skip) return { ok: false, skip: e.message };
    if (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') {
      return { ok: false, skip: `not installed: ${e.message.split('\n')[0]}` };
    }
    return { ok: false, error: `${e?.name}: ${e?.message}` };
  }
}

if (process.argv[2] === '--once') {
  const reply = await answer(process.argv[3]);
  reply.maxrss_kb = process.resourceUsage().maxRSS;
  console.log(JSON.stringify(reply));
  process.exit(0);
} else {
  console.log(JSON.stringify({ ready: true, contenders: Object.keys(CONTENDERS) }));
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line.trim()) process.stdout.write(JSON.stringify(await answer(line)) + '\n');
  }
  process.exit(0);
}
