"""Cancellation and timeouts: a cancelled asyncio task drops the core call, Ctrl-C interrupts a blocking call,
per-call and client deadlines raise NeonTimeoutError, and blocking calls release the GIL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import neon_api_keys as nak
from helpers import admin, admin_async, stall


async def _wait_until_idle(limit: float = 2.0) -> None:
    """Waits (at most `limit` seconds) until no core call is in flight; the caller asserts on the count."""
    deadline = time.monotonic() + limit
    while nak._native._in_flight() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def _wait_until_in_flight(count: int, limit: float = 10.0) -> None:
    """Waits (at most `limit` seconds) until `count` core calls are in flight; the caller asserts on the count."""
    deadline = time.monotonic() + limit
    while nak._native._in_flight() < count and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


def test_calls_are_lazy_coroutines(emulator) -> None:
    """An AsyncClient method returns a coroutine that does nothing until awaited, usable with asyncio.run."""
    client = admin_async(emulator)
    call = client.list_api_keys()
    assert asyncio.iscoroutine(call)
    assert "not started" in repr(call)
    assert emulator.requests() == []
    keys = asyncio.run(call)
    assert any(k.id == 1001 for k in keys)
    never = client.auth_details()
    never.close()  # closing a call that never started sends nothing
    assert len(emulator.requests()) == 1
    with pytest.raises(RuntimeError):
        asyncio.run(call)  # a call is awaited once


async def test_cancelling_the_task_drops_the_core_call(emulator) -> None:
    stall(emulator, "GET", "/api_keys")
    await _wait_until_idle()
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        task = asyncio.create_task(client.list_api_keys())
        await _wait_until_in_flight(1)
        assert nak._native._in_flight() == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The request stalls forever and the client allows 30 s: only the cancellation can end the call.
        await _wait_until_idle()
        assert nak._native._in_flight() == 0
        assert len(emulator.requests()) == 1  # it was in flight, and it was not retried


async def test_wait_for_timeout_cancels_the_core_call(emulator) -> None:
    stall(emulator, "GET", "/api_keys")
    await _wait_until_idle()
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.list_api_keys(), 0.3)
        await _wait_until_idle()
        assert nak._native._in_flight() == 0


async def test_task_group_cancellation(emulator) -> None:
    stall(emulator, "GET", "/api_keys")
    await _wait_until_idle()
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        with pytest.raises(ExceptionGroup):
            async with asyncio.TaskGroup() as group:
                group.create_task(client.list_api_keys())
                group.create_task(client.get_project("NOT VALID"))  # fails at once: cancels its sibling
        await _wait_until_idle()
        assert nak._native._in_flight() == 0


async def test_per_call_timeout_async(emulator) -> None:
    stall(emulator, "GET", "/api_keys")
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        with pytest.raises(nak.NeonTimeoutError) as info:
            await client.list_api_keys(timeout=0.3)
        assert isinstance(info.value, TimeoutError)
        assert "within its timeout of 300ms" in str(info.value)  # the call's own deadline, not the client's
    assert len(emulator.requests()) == 1


def test_per_call_timeout_sync(emulator) -> None:
    stall(emulator, "GET", "/api_keys")
    with admin(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        with pytest.raises(TimeoutError) as info:
            client.list_api_keys(timeout=0.3)
        assert info.value.kind == "timeout"
        assert "within its timeout of 300ms" in str(info.value)  # the call's own deadline, not the client's
        with pytest.raises(nak.InvalidInputError):
            client.list_api_keys(timeout=-1)


def test_client_timeout_and_attempt_timeout(emulator) -> None:
    stall(emulator, "GET", "/api_keys")
    with admin(emulator, timeout=0.4, attempt_timeout=30.0) as client:
        with pytest.raises(nak.NeonTimeoutError):
            client.list_api_keys()
    emulator.reset()
    emulator.add_fault({"method": "GET", "path": "/api_keys", "times": 1, "action": {"type": "stall"}})
    with admin(emulator, timeout=10.0, attempt_timeout=0.3, max_retries=1) as client:
        keys = client.list_api_keys()  # the first attempt times out, the retry succeeds
    assert any(k.id == 1001 for k in keys)
    assert len(emulator.requests()) == 2


def test_blocking_call_releases_the_gil(emulator) -> None:
    """Another Python thread runs while a blocking call is in flight: it sees the call in `_in_flight()`. A call
    holding the GIL would let no Python code run between its start and its end, so nobody could see it."""
    emulator.add_fault({"method": "GET", "path": "/api_keys", "action": {"type": "delay", "ms": 600}})
    seen = threading.Event()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if nak._native._in_flight():
                seen.set()
                return
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with admin(emulator) as client:
            client.list_api_keys()
    finally:
        done.set()
        watcher.join()
    assert seen.is_set()


def test_sync_calls_from_many_threads(emulator) -> None:
    errors: list[BaseException] = []
    with admin(emulator) as client:

        def work() -> None:
            try:
                for _ in range(3):
                    assert client.list_api_keys()
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors


def test_sync_calls_from_many_threads_run_concurrently(emulator) -> None:  # type: ignore[no-untyped-def]
    """8 threads each make one blocking call that the emulator holds for 2 s. With the GIL released while a call
    waits, all 8 are in flight at once (`_native._in_flight()` reaches 8). A call holding the GIL would serialise
    them: never more than one in flight."""
    from neon_api_keys import _native

    threads_n = 8
    emulator.add_fault({"method": "GET", "path": "/api_keys", "times": threads_n, "action": {"type": "delay", "ms": 2000}})
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n + 1)
    peak = 0

    with admin(emulator) as client:

        def work() -> None:
            barrier.wait()
            try:
                client.list_api_keys()
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        workers = [threading.Thread(target=work) for _ in range(threads_n)]
        for t in workers:
            t.start()
        barrier.wait()
        deadline = time.monotonic() + 10
        while peak < threads_n and time.monotonic() < deadline:
            peak = max(peak, _native._in_flight())
            time.sleep(0.005)
        for t in workers:
            t.join()
    assert not errors
    assert peak == threads_n
    log = emulator.requests()
    assert len(log) == threads_n and all(r.get("fault") == "delay" for r in log)


async def test_many_concurrent_async_calls(emulator) -> None:
    async with admin_async(emulator) as client:
        results = await asyncio.gather(*(client.list_api_keys() for _ in range(20)))
    assert all(any(k.id == 1001 for k in keys) for keys in results)


CTRL_C = textwrap.dedent(
    """
    import json, os, signal, sys, threading, time
    import neon_api_keys as nak
    key, base = sys.argv[1], sys.argv[2]
    # The request stalls forever and the call may take an hour: only Ctrl-C can end it before the test's limit.
    client = nak.Client(key, base_url=base, timeout=3600.0, attempt_timeout=3600.0, max_retries=0)
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    try:
        client.list_api_keys()
        outcome = "returned"
    except KeyboardInterrupt:
        outcome = "KeyboardInterrupt"
    except BaseException as e:
        outcome = type(e).__name__
    deadline = time.monotonic() + 2
    while nak._native._in_flight() and time.monotonic() < deadline:
        time.sleep(0.01)
    print(json.dumps({"outcome": outcome, "in_flight": nak._native._in_flight()}))
    """
)


def test_ctrl_c_interrupts_a_blocking_call(emulator) -> None:
    stall(emulator, "GET", "/api_keys")
    out = subprocess.run(
        [sys.executable, "-c", CTRL_C, emulator.seed["keys"]["admin"], emulator.base_url],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["outcome"] == "KeyboardInterrupt"
    assert result["in_flight"] == 0
