"""Turns the JSONL of bench/harness.py into a Markdown table of medians and ratios (and a PNG chart).

usage: report.py RESULTS.jsonl --md OUT.md [--chart OUT.png]

Ratios are taken round by round between contenders that ran interleaved in that round, then the median over
rounds is reported: on a shared machine a ratio is trustworthy where a lone absolute time is not.
"""

import argparse
import json
import os
import statistics
from collections import defaultdict

FLOOR = "rust-floor"
BYTES = "rust-bytes"
OURS = ["rust-core-async", "rust-core-blocking", "py-nak", "py-nak-async", "node-nak", "swift-nak"]
LABELS = {
    "rust-floor": "Rust floor: bare reqwest + serde",
    "rust-bytes": "Rust reqwest, body bytes only (loopback round trip)",
    "rust-core-async": "Rust core, async",
    "rust-core-blocking": "Rust core, blocking",
    "py-nak": "Python neon_api_keys.Client",
    "py-nak-async": "Python neon_api_keys.AsyncClient",
    "py-neon-api": "Python neon-api 0.3.0 (requests)",
    "py-httpx": "Python raw httpx loop",
    "py-httpx-async": "Python raw httpx.AsyncClient",
    "node-nak": "Node neon-api-keys",
    "node-neon-sdk": "Node @neon/sdk 6 (fetch)",
    "node-api-client": "Node @neondatabase/api-client 2.7.3 (axios)",
    "node-undici": "Node raw undici loop",
    "swift-nak": "Swift NeonApiKeys",
    "swift-urlsession": "Swift raw URLSession loop",
    "rust-proto-decode": "Rust prototype decoder (bench/rust/src/proto_decode.rs)",
}
SHORT = {"node-api-client": "Node api-client (axios)", "node-neon-sdk": "Node @neon/sdk (fetch)",
         "rust-bytes": "Rust reqwest bytes only", "rust-floor": "Rust floor (reqwest+serde)",
         "rust-proto-decode": "Rust prototype decoder", "py-neon-api": "Python neon-api (requests)"}


def short(c):
    return SHORT.get(c, LABELS.get(c, c))
# (ours, Neon's own client in the same language): the "≥ 2× faster sequentially" target.
RIVALS = [("py-nak", "py-neon-api"), ("py-nak-async", "py-neon-api"), ("node-nak", "node-neon-sdk"),
          ("node-nak", "node-api-client")]
# (ours, the raw HTTP loop in the same language): informational, what the binding costs over hand-written code.
RAW = [("py-nak", "py-httpx"), ("py-nak-async", "py-httpx-async"), ("node-nak", "node-undici"),
       ("swift-nak", "swift-urlsession")]
SEQ = ["list10", "list100", "list1000", "list10000", "create_revoke"]
TARGET = {"floor": 1.25, "rival": 2.0, "conc64": 5.0, "emulator": 20.0, "import_ms": 50.0, "size_mb": 6.0,
          "decode_ms": 20.0}


def med(xs):
    return statistics.median(xs) if xs else None


def ms(ns):
    return None if ns is None else ns / 1e6


def fmt(x, unit="", digits=3):
    if x is None:
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}{unit}"
    return f"{x:.{digits}g}{unit}"


def ok(flag):
    return "✅" if flag else "❌"


class Results:
    def __init__(self, path):
        self.meta, self.meta_end = {}, {}
        # per[workload][contender][round] = list of samples
        self.per = defaultdict(lambda: defaultdict(dict))
        self.skips, self.imports, self.sizes, self.peaks, self.wrk = [], {}, [], {}, defaultdict(list)
        self.n = {}  # calls per sample of each workload (conc: the batch size)
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                k = r["kind"]
                if k == "meta":
                    self.meta = r
                elif k == "meta_end":
                    self.meta_end = r
                elif k == "samples":
                    self.per[r["workload"]][r["contender"]][r["round"]] = r["samples_ns"]
                    self.n[r["workload"]] = r["n"]
                elif k in ("skip", "error"):
                    self.skips.append(r)
                elif k == "import":
                    self.imports[(r["language"], r["target"])] = r["samples_ns"]
                elif k == "size":
                    self.sizes.append(r)
                elif k == "peak":
                    self.peaks[r["contender"]] = r
                elif k == "throughput":
                    self.wrk[(r["server"], r["endpoint"])].append(r)

    def contenders(self):
        seen = {c for w in self.per.values() for c in w}
        return [c for c in LABELS if c in seen] + sorted(seen - set(LABELS))

    def median(self, workload, c):
        """Median of all samples of c in workload (ns)."""
        rounds = self.per.get(workload, {}).get(c, {})
        return med([s for xs in rounds.values() for s in xs])

    def round_medians(self, workload, c):
        return {r: med(xs) for r, xs in self.per.get(workload, {}).get(c, {}).items()}

    def ratio(self, workload, a, b):
        """Median over rounds of median(a)/median(b), both from the same round."""
        ra, rb = self.round_medians(workload, a), self.round_medians(workload, b)
        common = [r for r in ra if r in rb and rb[r]]
        return med([ra[r] / rb[r] for r in common])

    def diff(self, workload, a, b):
        """Median over rounds of median(a) - median(b) (ns)."""
        ra, rb = self.round_medians(workload, a), self.round_medians(workload, b)
        return med([ra[r] - rb[r] for r in ra if r in rb])

    def decode_ns(self, keys, c):
        """Decoding `keys` keys into c's objects: measured in-process, or list minus raw bytes for ours."""
        direct = self.median(f"decode{keys}", c)
        if direct is None and c in OURS:
            return self.diff(f"list{keys}", c, BYTES)
        return direct

    def throughput(self, server, endpoint):
        return med([r["rps"] for r in self.wrk.get((server, endpoint), [])])


def targets(res):
    rows = []
    floor = [(c, res.ratio("list10", c, FLOOR)) for c in OURS if res.median("list10", c) is not None]
    if floor:
        rows.append(("each binding ≤ 1.25× the floor per call (list of 10)",
                     ", ".join(f"{c} {fmt(r)}×" for c, r in floor),
                     ok(all(r is not None and r <= TARGET["floor"] for _, r in floor))))
    riv = []
    for ours, theirs in RIVALS:
        for w in ("list10", "list1000", "create_revoke"):
            r = res.ratio(w, theirs, ours)
            if r is not None:
                riv.append((f"{theirs}/{ours} {w}", r))
    if riv:
        rows.append(("≥ 2× faster than Neon's own client, sequentially", ", ".join(f"{n} {fmt(r)}×" for n, r in riv),
                     ok(all(r >= TARGET["rival"] for _, r in riv))))
    r64 = res.ratio("conc64", "py-neon-api", "py-nak-async")
    if r64 is not None:
        rows.append(("≥ 5× neon-api (thread pool) for Python at 64 in flight", f"AsyncClient {fmt(r64)}× faster",
                     ok(r64 >= TARGET["conc64"])))
    emu = []
    for endpoint in ("GET /api_keys", "POST /api_keys"):
        e, p = res.throughput("emulator", endpoint), res.throughput("prism", endpoint)
        if e and p:
            emu.append((endpoint, e / p))
    if emu:
        rows.append(("emulator ≥ 20× Prism's throughput", ", ".join(f"{n} {fmt(r)}×" for n, r in emu),
                     ok(all(r >= TARGET["emulator"] for _, r in emu))))
    imp = [(t, ms(med(s))) for (lang, t), s in res.imports.items() if t in ("neon_api_keys", "neon-api-keys")]
    if imp:
        rows.append(("import neon_api_keys / require('neon-api-keys') ≤ 50 ms",
                     ", ".join(f"{t} {fmt(v)} ms" for t, v in imp), ok(all(v <= TARGET["import_ms"] for _, v in imp))))
    sz = [(s["artifact"], s["stripped"] / 1e6) for s in res.sizes if s["artifact"] != "emulator"]
    if sz:
        rows.append(("each artifact ≤ 6 MB stripped", ", ".join(f"{a} {v:.2f} MB" for a, v in sz),
                     ok(all(v <= TARGET["size_mb"] for _, v in sz))))
    dec = []
    for c in OURS:
        t10k, t1k = res.decode_ns(10000, c), res.decode_ns(1000, c)
        if t10k is not None:
            lin = t1k and t10k / t1k
            dec.append((c, ms(t10k), lin))
    if dec:
        rows.append(("10,000 keys decoded ≤ 20 ms, linear (time ×10 from 1,000 to 10,000 keys)",
                     ", ".join(f"{c} {fmt(v)} ms (×{fmt(lin, digits=2)})" for c, v, lin in dec),
                     ok(all(v <= TARGET["decode_ms"] and lin and lin <= 12.5 for _, v, lin in dec))))
    return rows


def markdown(res):
    m = res.meta
    out = ["# neon-api-keys benchmarks", ""]
    kind = "smoke run (tiny counts, debug builds: timings mean nothing)" if m.get("smoke") else "full run"
    dirty = f" (+ {m['uncommitted']} uncommitted files)" if m.get("uncommitted") else ""
    out += [f"{kind}, {m.get('date', '?')}, commit `{m.get('commit', '?')}`{dirty}, {m.get('rounds', '?')} interleaved "
            "rounds on one emulator (rate limits off).",
            "",
            f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, Linux {m.get('kernel', '?')}; load average "
            f"{fmt((m.get('loadavg') or [None])[0])} at the start, {fmt((res.meta_end.get('loadavg') or [None])[0])} "
            "at the end. The machine is shared with builds of other work: read the ratios (taken within each round, "
            "median over rounds); absolute times are indicative only.",
            "",
            f"Versions: {m.get('rustc', '?')}; Python {m.get('python', '?')}; Node {m.get('node', '?')} "
            + ", ".join(f"{k} {v}" for k, v in (m.get("node_packages") or {}).items()) + f"; {m.get('wrk', '')}.",
            "", "Why we miss what we miss, with instruction counts and the fixes: [FINDINGS.md](FINDINGS.md).",
            "", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in targets(res)]

    seq = [w for w in SEQ if w in res.per]
    out += ["", "## Per call, sequential: median ms (ratio to the floor, same round)", "",
            "| contender | " + " | ".join(seq) + " |", "|---" * (len(seq) + 1) + "|"]
    for c in res.contenders():
        cells = []
        for w in seq:
            v = res.median(w, c)
            r = res.ratio(w, c, FLOOR)
            cells.append("–" if v is None else f"{fmt(ms(v))} ({fmt(r)}×)")
        if any(x != "–" for x in cells):
            out.append(f"| {LABELS.get(c, c)} | " + " | ".join(cells) + " |")
    out += ["", "`list10` … `list10000`: one `GET /api_keys` returning that many keys; `create_revoke`: one create "
            "plus one revoke. The floor's `list10` median is the loopback round trip the SDKs start from."]

    pairs = [(a, b) for a, b in RIVALS + RAW if res.median("list10", a) and res.median("list10", b)]
    if pairs:
        cols = [w for w in ("list10", "list1000", "create_revoke", "conc32", "conc64") if w in res.per]
        out += ["", "## Head to head in each language: how many times faster ours is (same round)", "",
                "| ours vs | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
        for a, b in pairs:
            out.append(f"| {LABELS.get(a, a)} vs {LABELS.get(b, b)} | "
                       + " | ".join(f"{fmt(res.ratio(w, b, a))}×" for w in cols) + " |")

    conc = [w for w in ("conc32", "conc64") if w in res.per]
    if conc:
        out += ["", "## Lists in flight: calls/s (ratio to the floor, same round)", "",
                "| contender | " + " | ".join(conc) + " |", "|---" * (len(conc) + 1) + "|"]
        for c in res.contenders():
            cells = []
            for w in conc:
                v = res.median(w, c)
                r = res.ratio(w, FLOOR, c)
                cells.append("–" if v is None else f"{fmt(res.n[w] * 1e9 / v)} ({fmt(r)}×)")
            if any(x != "–" for x in cells):
                out.append(f"| {LABELS.get(c, c)} | " + " | ".join(cells) + " |")
        out += ["", "Sync Python clients run in a `ThreadPoolExecutor` of that many threads; async ones under a "
                "semaphore; Node through a pool of that many promise loops; Rust through `buffer_unordered`."]

    sizes = [k for k in (100, 1000, 10000) if f"list{k}" in res.per or f"decode{k}" in res.per]
    dec_rows = []
    for c in res.contenders():
        vals = [res.decode_ns(k, c) for k in sizes]
        if any(v is not None for v in vals):
            dec_rows.append((c, vals))
    if dec_rows:
        out += ["", "## Decoding N keys into the language's objects: ms (µs per key)", "",
                "| contender | " + " | ".join(f"{k:,} keys" for k in sizes) + " |", "|---" * (len(sizes) + 1) + "|"]
        for c, vals in dec_rows:
            cells = ["–" if v is None else f"{fmt(ms(v))} ({fmt(v / 1e3 / k)} µs)" for v, k in zip(vals, sizes)]
            out.append(f"| {LABELS.get(c, c)} | " + " | ".join(cells) + " |")
        out += ["", "Timed in-process on one captured body: the core's decoder (its `fuzzing::decode_api_key_list`), "
                "serde into plain structs (floor), `json.loads` + neon-api's models, `JSON.parse`, `JSONDecoder`. "
                "The bindings decode inside the Rust core and then build the language's objects, so theirs is "
                "the list call minus the same call reading raw bytes (Rust reqwest), per round."]

    if res.wrk:
        out += ["", "## Emulator throughput vs Prism (wrk, 1 thread, 32 connections): requests/s", "",
                "| endpoint | emulator | Prism (Neon's spec) | ratio |", "| --- | --- | --- | --- |"]
        for endpoint in ("GET /api_keys", "POST /api_keys"):
            e, p = res.throughput("emulator", endpoint), res.throughput("prism", endpoint)
            out.append(f"| {endpoint} | {fmt(e)} | {fmt(p)} | {fmt(e / p if e and p else None)}× |")

    if res.imports:
        out += ["", "## Import / require time (fresh process, median ms)", "", "| language | module | ms |",
                "| --- | --- | --- |"]
        out += [f"| {lang} | `{t}` | {fmt(ms(med(s)))} |" for (lang, t), s in res.imports.items()]
    if res.sizes:
        out += ["", "## Artifact size", "", "| artifact | file | MB | MB stripped |", "| --- | --- | --- | --- |"]
        out += [f"| {s['artifact']} | `{s['path']}` | {s['bytes'] / 1e6:.2f} | {s['stripped'] / 1e6:.2f} |"
                for s in res.sizes]
    if res.peaks:
        keys = next(iter(res.peaks.values()))["keys"]
        out += ["", f"## Peak memory (fresh process: build the client, list {keys:,} keys 3 times)", "",
                "| contender | peak RSS MB |", "| --- | --- |"]
        out += [f"| {LABELS.get(c, c)} | {p['maxrss_kb'] / 1024:.1f} |" for c, p in res.peaks.items()]
    notes = defaultdict(list)  # (contender, why) -> workloads
    for r in res.skips:
        why = (r.get("why") or "").strip().splitlines()
        why = why[-1] if why else ""
        if "decoding happens inside" not in why and "measured as the core's decoder" not in why:
            notes[(r["contender"], why)].append(r["workload"])
    if notes:
        out += ["", "## Not measured", ""]
        out += [f"- {c} ({', '.join(ws)}): {why}" for (c, why), ws in sorted(notes.items())]
    return "\n".join(out) + "\n"


def chart(res, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(16, 10))
    # 1. per-call ratio to the floor
    ax = axes[0][0]
    ws = [w for w in ("list10", "list1000", "create_revoke") if w in res.per]
    cs = [c for c in res.contenders() if c not in (FLOOR, BYTES) and any(res.median(w, c) for w in ws)]
    width = 0.8 / max(len(ws), 1)
    for i, w in enumerate(ws):
        vals = [res.ratio(w, c, FLOOR) or 0 for c in cs]
        ax.barh([y + i * width for y in range(len(cs))], vals, height=width, label=w)
    ax.axvline(1.25, color="red", linestyle="--", linewidth=1, label="1.25× target")
    ax.set_yticks([y + width * (len(ws) - 1) / 2 for y in range(len(cs))], [short(c) for c in cs], fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel("time per call ÷ Rust floor (lower is better)")
    ax.set_title("Per call, sequential")
    ax.legend(fontsize=7)
    # 2. in-flight throughput
    ax = axes[0][1]
    ws = [w for w in ("conc32", "conc64") if w in res.per]
    cs = [c for c in res.contenders() if any(res.median(w, c) for w in ws)]
    width = 0.8 / max(len(ws), 1)
    for i, w in enumerate(ws):
        vals = [res.n[w] * 1e9 / res.median(w, c) if res.median(w, c) else 0 for c in cs]
        ax.barh([y + i * width for y in range(len(cs))], vals, height=width, label=w)
    ax.set_yticks([y + width * (len(ws) - 1) / 2 for y in range(len(cs))], [short(c) for c in cs], fontsize=7)
    ax.set_xlabel("lists per second, 1,000 calls (higher is better)")
    ax.set_title("Calls in flight")
    ax.legend(fontsize=7)
    # 3. decode growth
    ax = axes[1][0]
    sizes = [k for k in (100, 1000, 10000)]
    colors = plt.get_cmap("tab20").colors
    for i, c in enumerate(res.contenders()):
        pts = [(k, res.decode_ns(k, c)) for k in sizes]
        pts = [(k, v / 1e6) for k, v in pts if v is not None and v > 0]
        if len(pts) >= 2:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="os^vD"[i % 5], color=colors[i % 20],
                    linestyle="-" if c in OURS or c == "rust-proto-decode" else "--", label=short(c))
    ax.axhline(20, color="red", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("keys in the list")
    ax.set_ylabel("ms to decode")
    ax.set_title("Decoding grows linearly? (20 ms target at 10,000)")
    ax.legend(fontsize=6)
    # 4. emulator vs prism
    ax = axes[1][1]
    eps = ["GET /api_keys", "POST /api_keys"]
    for i, server in enumerate(("emulator", "prism")):
        ax.bar([x + i * 0.4 for x in range(len(eps))], [res.throughput(server, e) or 0 for e in eps], width=0.4,
               label=server)
    ax.set_xticks([x + 0.2 for x in range(len(eps))], eps)
    if not res.wrk:
        ax.text(0.5, 0.5, "not measured in this run", transform=ax.transAxes, ha="center")
    if res.wrk:
        ax.set_yscale("log")
    ax.set_ylabel("requests/s (wrk)")
    ax.set_title("Emulator vs Prism serving Neon's spec")
    ax.legend(fontsize=7)
    m = res.meta
    fig.suptitle(f"neon-api-keys benchmarks — {m.get('date', '')}, commit {m.get('commit', '')}, "
                 f"{m.get('cores', '?')} shared cores, medians of {m.get('rounds', '?')} interleaved rounds")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--md", required=True)
    ap.add_argument("--chart")
    args = ap.parse_args()
    res = Results(args.results)
    with open(args.md, "w") as f:
        f.write(markdown(res))
    if args.chart:
        try:
            chart(res, args.chart)
        except ImportError:
            print("report.py: matplotlib missing, no chart")
    summary = {"targets": [{"target": a, "measured": b, "met": c == "✅"} for a, b, c in targets(res)]}
    with open(os.path.splitext(args.md)[0] + ".json", "w") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
