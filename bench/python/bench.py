"""Python driver of `make bench`: neon_api_keys (Client, AsyncClient) against neon-api 0.3.0 and raw httpx.

Same protocol as every driver (see bench/rust/src/main.rs): reads BENCH_BASE_URL and BENCH_API_KEY, prints
{"ready":true,"contenders":[...]}, then answers one JSON command per stdin line with one JSON line of samples.
`--once '<command>'` runs one command in a fresh process and adds maxrss_kb.
"""

import asyncio
import json
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor

BASE = os.environ.get("BENCH_BASE_URL", "").rstrip("/")
KEY = os.environ.get("BENCH_API_KEY", "")
ns = time.perf_counter_ns


class Skip(Exception):
    pass


def _nak():
    import neon_api_keys

    return neon_api_keys


def make(contender):
    """The client object of a contender (built once per process, as a user would)."""
    if contender == "py-nak":
        return _nak().Client(api_key=KEY, base_url=BASE, throttle=False)
    if contender == "py-nak-async":
        return _nak().AsyncClient(api_key=KEY, base_url=BASE, throttle=False)
    if contender == "py-neon-api":
        import neon_api

        return neon_api.NeonAPI(KEY, base_url=BASE + "/")
    if contender in ("py-httpx", "py-httpx-async"):
        import httpx

        cls = httpx.AsyncClient if contender.endswith("async") else httpx.Client
        return cls(base_url=BASE, headers={"Authorization": f"Bearer {KEY}", "Accept": "application/json"})
    raise Skip(f"unknown contender {contender}")


CONTENDERS = ["py-nak", "py-nak-async", "py-neon-api", "py-httpx", "py-httpx-async"]

# One call of each op, per contender: sync functions, or coroutine functions for the async contenders.
SYNC = {
    "py-nak": {
        "list": lambda c: len(c.list_api_keys()),
        "create_revoke": lambda c, i: c.revoke_api_key(c.create_api_key(f"bench-{i}").id),
    },
    "py-neon-api": {
        "list": lambda c: len(c.api_keys()),
        "create_revoke": lambda c, i: c.api_key_revoke(c.api_key_create(key_name=f"bench-{i}").id),
    },
    "py-httpx": {
        "list": lambda c: len(c.get("/api_keys").raise_for_status().json()),
        "create_revoke": lambda c, i: c.delete(
            f"/api_keys/{c.post('/api_keys', json={'key_name': f'bench-{i}'}).raise_for_status().json()['id']}"
        ).raise_for_status().json(),
    },
}


async def _nak_async_create_revoke(c, i):
    created = await c.create_api_key(f"bench-{i}")
    return await c.revoke_api_key(created.id)


async def _httpx_async_list(c):
    r = await c.get("/api_keys")
    return len(r.raise_for_status().json())


async def _httpx_async_create_revoke(c, i):
    r = await c.post("/api_keys", json={"key_name": f"bench-{i}"})
    key_id = r.raise_for_status().json()["id"]
    return (await c.delete(f"/api_keys/{key_id}")).raise_for_status().json()


async def _nak_async_list(c):
    return len(await c.list_api_keys())


ASYNC = {
    "py-nak-async": {"list": _nak_async_list, "create_revoke": _nak_async_create_revoke},
    "py-httpx-async": {"list": _httpx_async_list, "create_revoke": _httpx_async_create_revoke},
}


def decode(contender, n, warmup):
    """In-process decode of one list body into the contender's objects (competitors only: ours decode in Rust)."""
    import httpx

    body = httpx.get(BASE + "/api_keys", headers={"Authorization": f"Bearer {KEY}"}).raise_for_status().content
    if contender == "py-neon-api":
        from neon_api import schema

        def one():
            return [schema.ApiKeysListResponseItem(**item) for item in json.loads(body)]
    elif contender == "py-httpx":

        def one():
            return json.loads(body)
    else:
        raise Skip("decoding happens inside the Rust core: see list minus rust-bytes")
    return time_each(lambda i: one(), n, warmup)


def time_each(fn, n, warmup):
    samples = []
    for i in range(warmup + n):
        t = ns()
        fn(i)
        if i >= warmup:
            samples.append(ns() - t)
    return samples


class Driver:
    def __init__(self):
        self.clients = {}
        self.loop = asyncio.new_event_loop()

    def client(self, contender):
        if contender not in self.clients:
            self.clients[contender] = make(contender)
        return self.clients[contender]

    def run(self, cmd):
        c, op = cmd["contender"], cmd["op"]
        n, warmup, conc = cmd.get("n", 1), cmd.get("warmup", 0), cmd.get("conc", 1)
        if c not in CONTENDERS:
            raise Skip(f"unknown contender {c}")
        if op == "decode":
            return decode(c, n, warmup)
        client = self.client(c)
        if c in SYNC:
            fns = SYNC[c]
            if op == "list":
                return time_each(lambda i: fns["list"](client), n, warmup)
            if op == "create_revoke":
                return time_each(lambda i: fns["create_revoke"](client, i), n, warmup)
            if op == "conc":  # a thread pool, as a sync client's user would do
                with ThreadPoolExecutor(max_workers=conc) as pool:
                    list(pool.map(lambda _: fns["list"](client), range(warmup)))
                    t = ns()
                    list(pool.map(lambda _: fns["list"](client), range(n)))
                    return [ns() - t]
        else:
            fns = ASYNC[c]
            if op in ("list", "create_revoke"):
                return self.loop.run_until_complete(self._seq(fns[op], client, op, n, warmup))
            if op == "conc":
                return self.loop.run_until_complete(self._conc(fns["list"], client, n, warmup, conc))
        raise Skip(f"unknown op {op}")

    async def _seq(self, fn, client, op, n, warmup):
        samples = []
        for i in range(warmup + n):
            t = ns()
            await (fn(client) if op == "list" else fn(client, i))
            if i >= warmup:
                samples.append(ns() - t)
        return samples

    async def _conc(self, fn, client, n, warmup, conc):
        sem = asyncio.Semaphore(conc)

        async def one():
            async with sem:
                return await fn(client)

        await asyncio.gather(*(one() for _ in range(warmup)))
        t = ns()
        await asyncio.gather(*(one() for _ in range(n)))
        return [ns() - t]


def answer(driver, line):
    try:
        return {"ok": True, "samples_ns": driver.run(json.loads(line))}
    except Skip as e:
        return {"ok": False, "skip": str(e)}
    except ImportError as e:
        return {"ok": False, "skip": f"not installed: {e}"}
    except Exception as e:  # noqa: BLE001 - reported to the harness, which records the failure
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}


def main():
    driver = Driver()
    if len(sys.argv) == 3 and sys.argv[1] == "--once":
        reply = answer(driver, sys.argv[2])
        reply["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(reply), flush=True)
        return
    print(json.dumps({"ready": True, "contenders": CONTENDERS}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(answer(driver, line)), flush=True)


if __name__ == "__main__":
    main()
