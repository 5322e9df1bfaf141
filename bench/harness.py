"""Runs `make bench` once everything is built (bench/run.sh builds, then calls this). Standard library only.

One emulator (rate limits off) serves every contender. Each language's driver runs as one long-lived process
answering JSON commands (see bench/rust/src/main.rs); every round walks the same plan of workloads and, within
each workload, runs the contenders of all languages in a fresh random order, so machine drift hits all alike.
Everything measured is appended to one JSONL file; bench/report.py turns it into medians and ratios.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


class Emulator:
    def __init__(self, binary):
        # --exit-on-stdin-close: the emulator dies with us, however we end.
        self.proc = subprocess.Popen(
            [binary, "--no-rate-limits", "--exit-on-stdin-close"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.ready = json.loads(self.proc.stdout.readline())
        self.base_url = self.ready["base_url"]
        self.admin_key = self.ready["seed"]["keys"]["admin"]
        u = urlparse(self.base_url)
        self.host, self.port = u.hostname, u.port
        self.conn = http.client.HTTPConnection(self.host, self.port)
        self.listed = len(self.list())

    def request(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body)
        hdrs = {"content-type": "application/json", **(headers or {})}
        try:
            self.conn.request(method, path, body=data, headers=hdrs)
            resp = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The emulator closed our idle keep-alive connection (it never saw this request): reconnect.
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port)
            self.conn.request(method, path, body=data, headers=hdrs)
            resp = self.conn.getresponse()
        payload = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{method} {path}: {resp.status} {payload[:200]!r}")
        return json.loads(payload)

    def reset(self):
        self.request("POST", "/_emulator/reset", {"rate_limits": False})
        self.listed = len(self.list())

    def list(self):
        return self.request("GET", "/api/v2/api_keys", headers={"authorization": f"Bearer {self.admin_key}"})

    def grow(self, target):
        """Seeds personal keys of the admin until its list holds `target` keys."""
        while self.listed < target:
            self.request("POST", "/_emulator/keys", {"owner": "admin", "name": f"seed-{self.listed}"})
            self.listed += 1
        assert len(self.list()) == target, "the emulator's list does not hold the seeded keys"

    def stop(self):
        self.conn.close()
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Driver:
    """One language's driver process; `ask` sends a command and returns its reply."""

    def __init__(self, name, argv, env, cwd=None):
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.stderr = open(os.path.join(tempfile.gettempdir(), f"bench-{name}.stderr"), "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     env=env, cwd=cwd, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"driver {name} did not start (see {self.stderr.name})")
        self.contenders = json.loads(line)["contenders"]

    def ask(self, cmd):
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"driver {self.name} died (see {self.stderr.name})")
        return json.loads(line)

    def once(self, cmd):
        out = subprocess.run(self.argv + ["--once", json.dumps(cmd)], env=self.env, cwd=self.cwd,
                             capture_output=True, text=True, timeout=300)
        lines = out.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else {"ok": False, "error": out.stderr[-500:]}

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# Each step: (keys the admin's list holds, workload name, op, n, warmup, conc). Sizes are per round.
def plan(smoke):
    if smoke:
        return [(10, "list10", "list", 3, 1, 1), (10, "create_revoke", "create_revoke", 2, 1, 1),
                (10, "conc32", "conc", 20, 4, 32), (100, "list100", "list", 2, 1, 1),
                (100, "decode100", "decode", 2, 1, 1), (1000, "list1000", "list", 2, 1, 1),
                (1000, "decode1000", "decode", 2, 1, 1)]
    return [(10, "list10", "list", 200, 20, 1), (10, "create_revoke", "create_revoke", 100, 10, 1),
            (10, "conc32", "conc", 1000, 64, 32), (10, "conc64", "conc", 1000, 128, 64),
            (100, "list100", "list", 100, 10, 1), (100, "decode100", "decode", 200, 20, 1),
            (1000, "list1000", "list", 40, 5, 1), (1000, "decode1000", "decode", 50, 5, 1),
            (10000, "list10000", "list", 8, 2, 1), (10000, "decode10000", "decode", 10, 2, 1)]


class Run:
    def __init__(self, args):
        self.args = args
        self.out = open(args.out, "w")
        self.errors = []  # a contender that fails (not skips) means the harness no longer fits the code

    def record(self, **rec):
        self.out.write(json.dumps(rec) + "\n")
        self.out.flush()

    # ---- per-call workloads, interleaved ----
    def rounds(self, emu, drivers):
        owner = {c: d for d in drivers for c in d.contenders}
        skipped = set()
        for rnd in range(self.args.rounds):
            emu.reset()
            rng = random.Random(rnd)
            t0 = time.time()
            steps = [p for p in plan(self.args.smoke) if not self.args.only or p[1] in self.args.only]
            for keys, workload, op, n, warmup, conc in steps:
                emu.grow(keys)
                order = [c for c in owner if (workload, c) not in skipped]
                rng.shuffle(order)
                for c in order:
                    reply = owner[c].ask({"contender": c, "op": op, "n": n, "warmup": warmup, "conc": conc})
                    if reply.get("ok"):
                        self.record(kind="samples", round=rnd, workload=workload, op=op, keys=keys, n=n,
                                    conc=conc, contender=c, samples_ns=reply["samples_ns"])
                    else:
                        skipped.add((workload, c))
                        why = reply.get("skip") or reply.get("error")
                        self.record(kind="skip" if "skip" in reply else "error", workload=workload,
                                    contender=c, why=why)
                        if "error" in reply:
                            log(f"ERROR {workload} {c}: {why}")
                            self.errors.append(f"{c} {workload}: {why}")
            log(f"round {rnd + 1}/{self.args.rounds} done in {time.time() - t0:.1f}s, load {os.getloadavg()[0]:.2f}")

    # ---- one-shot measurements ----
    def peaks(self, emu, drivers):
        """Peak memory of a fresh process that builds the contender's client and lists 10,000 keys 3 times."""
        keys = 1000 if self.args.smoke else 10000
        emu.reset()
        emu.grow(keys)
        for d in drivers:
            for c in d.contenders:
                if c.endswith("-bytes") or c.endswith("-async") and c.startswith("py-httpx"):
                    continue
                reply = d.once({"contender": c, "op": "list", "n": 3, "warmup": 0})
                if reply.get("ok"):
                    self.record(kind="peak", contender=c, keys=keys, maxrss_kb=reply["maxrss_kb"])
                else:
                    self.record(kind="skip", workload="peak", contender=c, why=reply.get("skip") or reply.get("error"))

    def imports(self, python, node_env):
        reps = 2 if self.args.smoke else 15
        py = ("import time, sys; t = time.perf_counter(); import {m}; "
              "print((time.perf_counter() - t) * 1e9)")
        js_cjs = ("const t = process.hrtime.bigint(); require({m!r}); "
                  "console.log(Number(process.hrtime.bigint() - t))")
        js_esm = ("const t = process.hrtime.bigint(); await import({m!r}); "
                  "console.log(Number(process.hrtime.bigint() - t))")
        binding = os.environ.get("BENCH_NODE_BINDING", os.path.join(ROOT, "bindings-node"))
        targets = [
            ("python", "neon_api_keys", [python, "-c", py.format(m="neon_api_keys")], None),
            ("python", "neon_api", [python, "-c", py.format(m="neon_api")], None),
            ("python", "httpx", [python, "-c", py.format(m="httpx")], None),
            ("node", "neon-api-keys", ["node", "-e", js_cjs.format(m=binding)], HERE + "/node"),
            ("node", "@neondatabase/api-client", ["node", "-e", js_cjs.format(m="@neondatabase/api-client")], HERE + "/node"),
            ("node", "@neon/sdk", ["node", "--input-type=module", "-e", js_esm.format(m="@neon/sdk")], HERE + "/node"),
            ("node", "undici", ["node", "-e", js_cjs.format(m="undici")], HERE + "/node"),
        ]
        samples = {t[1]: [] for t in targets}
        failed = set()
        for _ in range(reps):  # interleaved too
            for lang, name, argv, cwd in targets:
                if name in failed:
                    continue
                p = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=node_env)
                if p.returncode != 0:
                    failed.add(name)
                    self.record(kind="skip", workload="import", contender=name, why=p.stderr.strip()[-300:])
                    continue
                samples[name].append(float(p.stdout.strip().splitlines()[-1]))
        for lang, name, _, _ in targets:
            if samples[name]:
                self.record(kind="import", language=lang, target=name, samples_ns=samples[name])

    def sizes(self, artifacts):
        for label, path in artifacts:
            if not path or not os.path.exists(path):
                self.record(kind="skip", workload="size", contender=label, why=f"not built: {path}")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                stripped = os.path.join(tmp, "a")
                subprocess.run(["strip", "-o", stripped, path], check=True)
                self.record(kind="size", artifact=label, path=os.path.relpath(path, ROOT),
                            bytes=os.path.getsize(path), stripped=os.path.getsize(stripped))

    def throughput(self, emu):
        """wrk against the emulator and Prism (Neon's spec), same endpoints, interleaved."""
        if shutil.which("wrk") is None:
            self.record(kind="skip", workload="throughput", contender="wrk", why="wrk not installed")
            return
        prism_bin = os.path.join(HERE, "prism/node_modules/.bin/prism")
        if not os.path.exists(prism_bin):
            self.record(kind="skip", workload="throughput", contender="prism", why="Prism not installed (bench/prism)")
            return
        spec = os.path.join(HERE, "node/node_modules/@neondatabase/api-client/public-v2-for-users.gen.yaml")
        port = free_port()
        prism = subprocess.Popen([prism_bin, "mock", "-h", "127.0.0.1", "-p", str(port), spec],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_port(port, 60)
            emu.reset()
            emu.grow(10)
            post = os.path.join(tempfile.gettempdir(), "bench-post.lua")
            with open(post, "w") as f:
                f.write('wrk.method = "POST"\nwrk.body = \'{"key_name":"wrk"}\'\n'
                        'wrk.headers["Content-Type"] = "application/json"\n')
            servers = [("emulator", f"http://{emu.host}:{emu.port}/api/v2"), ("prism", f"http://127.0.0.1:{port}")]
            def wrk(secs, base, script):
                argv = ["wrk", "-t1", "-c32", f"-d{secs}s", "-H", f"Authorization: Bearer {emu.admin_key}"]
                if script:
                    argv += ["-s", script]
                return subprocess.run(argv + [base + "/api_keys"], capture_output=True, text=True).stdout

            endpoints = (("GET /api_keys", None), ("POST /api_keys", post))
            for _, base in servers:  # warm up (Prism's first requests are far slower than its steady state)
                for _, script in endpoints:
                    wrk(2, base, script)
            emu.reset()
            emu.grow(10)
            for rnd in range(self.args.wrk_rounds):
                for endpoint, script in endpoints:
                    for server, base in (servers if rnd % 2 == 0 else servers[::-1]):
                        out = wrk(self.args.wrk_seconds, base, script)
                        rps = parse_wrk(out)
                        self.record(kind="throughput", round=rnd, server=server, endpoint=endpoint, rps=rps,
                                    non2xx=parse_non2xx(out))
                        log(f"wrk {server} {endpoint}: {rps:.0f} req/s")
                emu.reset()  # POSTs minted keys: start the next round clean
                emu.grow(10)
        finally:
            os.killpg(prism.pid, signal.SIGTERM)
            prism.wait(timeout=10)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


def parse_wrk(out):
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(m.group(1)) if m else 0.0


def parse_non2xx(out):
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def cmd_out(argv, cwd=None):
    try:
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine(python):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    pyver = cmd_out([python, "-c", "import sys, importlib.metadata as m; print(sys.version.split()[0], "
                     "*[f'{p}=={m.version(p)}' for p in ('neon-api', 'httpx', 'requests', 'pydantic')])"])
    node_pkgs = {}
    for p in ("@neon/sdk", "@neondatabase/api-client", "axios", "undici", "../../prism/node_modules/@stoplight/prism-cli"):
        try:
            with open(os.path.join(HERE, "node/node_modules", p, "package.json")) as f:
                node_pkgs[p.split("node_modules/")[-1]] = json.load(f)["version"]
        except OSError:
            pass
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(), "loadavg": os.getloadavg(),
            "rustc": cmd_out(["rustc", "--version"]), "python": pyver, "node": cmd_out(["node", "--version"]),
            "node_packages": node_pkgs, "wrk": cmd_out(["sh", "-c", "wrk --version 2>&1 | head -1"]),
            "commit": cmd_out(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT),
            "uncommitted": len([l for l in cmd_out(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT)
                                .splitlines() if l.strip()]),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--rust-driver", required=True)
    ap.add_argument("--python", required=True, help="the bench venv's python (neon_api_keys, neon-api, httpx)")
    ap.add_argument("--swift-driver", default="", help="a command line running the Swift driver, if any")
    ap.add_argument("--artifact", action="append", default=[], help="LABEL=PATH of a built artifact to size")
    ap.add_argument("--left-out", action="append", default=[], help="LABEL=WHY: a contender run.sh could not build")
    ap.add_argument("--wrk-seconds", type=int, default=4)
    ap.add_argument("--wrk-rounds", type=int, default=3)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", type=lambda v: v.split(","), default=[],
                    help="comma-separated workloads (profiling); also skips peaks, wrk, imports and sizes")
    args = ap.parse_args()
    if args.smoke:
        args.rounds = 1
    run = Run(args)
    meta = machine(args.python)
    meta.update(smoke=args.smoke, rounds=args.rounds, plan=plan(args.smoke))
    run.record(kind="meta", **meta)
    for note in args.left_out:
        label, _, why = note.partition("=")
        run.record(kind="skip", workload="driver", contender=label, why=why)
    emu = Emulator(args.emulator)
    env = dict(os.environ, BENCH_BASE_URL=emu.base_url, BENCH_API_KEY=emu.admin_key)
    drivers = []
    try:
        specs = [("rust", [args.rust_driver], None), ("python", [args.python, os.path.join(HERE, "python/bench.py")], None),
                 ("node", ["node", os.path.join(HERE, "node/bench.mjs")], os.path.join(HERE, "node"))]
        if args.swift_driver:
            specs.append(("swift", args.swift_driver.split(), None))
        for name, argv, cwd in specs:
            try:
                drivers.append(Driver(name, argv, env, cwd))
            except (OSError, RuntimeError) as e:
                log(f"driver {name} unavailable: {e}")
                run.record(kind="skip", workload="driver", contender=name, why=str(e))
        log("contenders:", " ".join(c for d in drivers for c in d.contenders))
        run.rounds(emu, drivers)
        for d in drivers:
            d.stop()
        if not args.smoke and not args.only:
            run.peaks(emu, drivers)
            run.throughput(emu)
        if not args.only:
            run.imports(args.python, dict(os.environ))
            run.sizes([tuple(a.split("=", 1)) for a in args.artifact])
        run.record(kind="meta_end", loadavg=os.getloadavg())
        if args.smoke and run.errors:
            log(f"{len(run.errors)} contender(s) failed, so the harness is out of date: " + "; ".join(run.errors))
            sys.exit(1)
    finally:
        for d in drivers:
            if d.proc.poll() is None:
                d.proc.kill()
        emu.stop()


if __name__ == "__main__":
    main()
