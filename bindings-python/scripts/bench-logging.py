#!/usr/bin/env python3
"""What the logging bridge costs per call: `auth_details()` against the in-process emulator, with the logger
`neon_api_keys` at its default level (records below WARNING are never built) and at DEBUG with records dropped by
its NullHandler (built and handed to `logging`). Prints the best and the median of the rounds, in µs per call.

    bindings-python/.venv/bin/python bindings-python/scripts/bench-logging.py [--calls 2000] [--rounds 7]

Use a release build (`maturin develop --release`) for figures; README.md, "Logging", has the measured ones.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

import neon_api_keys as nak
from neon_api_keys.testing import Emulator


def per_call_us(client: nak.Client, calls: int, rounds: int) -> list[float]:
    for _ in range(300):
        client.auth_details()
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            client.auth_details()
        out.append((time.perf_counter() - started) / calls * 1e6)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    logger = logging.getLogger("neon_api_keys")
    logger.propagate = False  # nothing printed: the records end in the package's NullHandler
    with Emulator() as emu:
        client = nak.Client(emu.seed.personal_api_key, base_url=emu.base_url, throttle=False)
        for name, level in (("default (WARNING)", logging.NOTSET), ("DEBUG", logging.DEBUG)):
            logger.setLevel(level)
            rounds = per_call_us(client, options.calls, options.rounds)
            print(f"{name:>18}: best {min(rounds):.1f} us/call, median {statistics.median(rounds):.1f}")


if __name__ == "__main__":
    main()
