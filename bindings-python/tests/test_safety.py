"""The safety promises of issue 10 in Python: two-phase rotation with a store, cancellation that never drops a
call mid-flight (every live key is returned or reported), ids past int64, durations checked by the core, and
calls that warn when never awaited."""

from __future__ import annotations

import asyncio
import collections.abc
import contextvars
import gc
import json
import subprocess
import sys
import textwrap
import threading
import warnings
from datetime import timedelta
from typing import Any

import pytest

import neon_api_keys as nak
from emulator import Emulator
from helpers import admin, admin_async

TRICKLE = {"type": "trickle", "bytes_per_chunk": 1, "interval_ms": 200}


def live(emulator: Emulator, name: str) -> list[dict[str, Any]]:
    return [k for k in emulator.all_keys() if k["name"] == name and not k.get("revoked")]


def reported(error: nak.OutcomeUnknownError, key: dict[str, Any]) -> bool:
    """The live key lies in the error's name and window (a second of slack: Neon stamps to the second)."""
    from datetime import datetime

    created = datetime.fromisoformat(key["created_at"].replace("Z", "+00:00"))
    assert error.not_before is not None and error.not_after is not None
    return (
        error.key_name == key["name"]
        and error.not_before - timedelta(seconds=1) <= created <= error.not_after + timedelta(seconds=1)
    )


# -- rotation: the store ------------------------------------------------------------------------------------


def test_sync_store_runs_on_the_callers_thread_before_the_old_key_is_revoked(emulator: Emulator) -> None:
    seen: list[tuple[int, bool]] = []

    def store(key: nak.CreatedApiKey) -> None:
        old_live = any(k["id"] == 1001 and not k.get("revoked") for k in emulator.all_keys())
        seen.append((threading.get_ident(), old_live))
        assert len(key.key.reveal()) == 64

    with admin(emulator) as client:
        rotation = client.rotate_api_key(1001, store=store)
    assert seen == [(threading.get_ident(), True)]
    assert rotation.is_complete and rotation.old_key_id == 1001 and rotation.revoke_error is None
    assert rotation.new_key_seen_in_use is None
    assert rotation.new_key.name.startswith("seed-admin-")  # derived like Neon's CLI names minted keys


def test_a_failing_store_is_reraised_as_itself_with_a_note(emulator: Emulator) -> None:
    class VaultDown(Exception):
        pass

    raised = VaultDown("vault is down")

    def store(key: nak.CreatedApiKey) -> None:
        raise raised

    with admin(emulator) as client:
        with pytest.raises(VaultDown) as info:
            client.rotate_api_key(1001, store=store)
    assert info.value is raised
    notes = getattr(info.value, "__notes__", [])
    assert len(notes) == 1 and "was revoked; the old key stays live" in notes[0]
    keys = {k["id"]: k for k in emulator.all_keys()}
    assert keys[1001]["revoked"] is False
    new = [k for k in keys.values() if k["id"] >= 5000]
    assert len(new) == 1 and new[0]["revoked"] is True


async def test_async_store_is_awaited_inside_the_callers_task(emulator: Emulator) -> None:
    marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker")
    marker.set("caller")
    seen: dict[str, Any] = {}

    async def store(key: nak.CreatedApiKey) -> None:
        await asyncio.sleep(0.01)
        seen["task"] = asyncio.current_task()
        seen["marker"] = marker.get()
        seen["key"] = key.id

    old = emulator.add_key({"owner": "admin", "name": "deploy"})
    async with admin_async(emulator) as client:
        rotation = await client.rotate_api_key(old["id"], store=store, new_name="rotated-async")
        assert seen == {"task": asyncio.current_task(), "marker": "caller", "key": rotation.new_key.id}
        plain: list[int] = []
        again = await client.rotate_api_key(rotation.new_key.id, store=lambda key: plain.append(key.id))
    assert plain == [again.new_key.id] and again.is_complete


async def test_async_store_failure_is_reraised(emulator: Emulator) -> None:
    async def store(key: nak.CreatedApiKey) -> None:
        await asyncio.sleep(0)
        raise PermissionError("no write access")

    async with admin_async(emulator) as client:
        with pytest.raises(PermissionError, match="no write access") as info:
            await client.rotate_org_api_key("org-acme-1234", 2001, store=store)
    assert "the old key stays live" in info.value.__notes__[0]
    assert live(emulator, "seed-org") != []


def test_client_refuses_a_coroutine_store_and_keeps_the_old_key(emulator: Emulator) -> None:
    async def store(key: nak.CreatedApiKey) -> None:
        pass

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the refused coroutine is closed: no "never awaited" warning
        with admin(emulator) as client:
            with pytest.raises(TypeError, match="use AsyncClient"):
                client.rotate_api_key(1001, store=store)
        gc.collect()
    assert [k["revoked"] for k in emulator.all_keys() if k["id"] == 1001] == [False]


def test_wait_for_use_revokes_only_after_a_use(emulator: Emulator) -> None:
    with admin(emulator) as client:
        unused = client.rotate_api_key(1001, store=lambda key: None, wait_for_use=0.3, poll_interval=0.05)
        assert unused.new_key_seen_in_use is False and not unused.is_complete
        used = client.rotate_api_key(
            unused.new_key.id, store=lambda key: emulator.use_key(key.id), wait_for_use=5.0, poll_interval=0.05
        )
    assert used.new_key_seen_in_use is True and used.is_complete


def test_rotation_arguments_are_checked(emulator: Emulator) -> None:
    with admin(emulator) as client:
        with pytest.raises(TypeError, match="store must be a callable"):
            client.rotate_api_key(1001, store="vault")  # type: ignore[arg-type]
        with pytest.raises(nak.InvalidInputError, match="wait_for_use"):
            client.rotate_api_key(1001, store=lambda key: None, wait_for_use=float("nan"))
        with pytest.raises(nak.InvalidInputError, match="old_id"):
            client.rotate_api_key(2**63, store=lambda key: None)
    assert emulator.requests() == []


# -- cancellation never drops work mid-flight ---------------------------------------------------------------


async def test_wait_for_on_a_create_reports_the_key(emulator: Emulator) -> None:
    """Reproduces "asyncio.wait_for(c.create_api_key(...), t) on a stalled create loses the details": the key is
    made, its answer trickles; the timeout must raise OutcomeUnknownError naming the key and its window."""
    emulator.add_fault({"method": "POST", "path": "/api_keys", "action": TRICKLE})
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        with pytest.raises(nak.OutcomeUnknownError) as info:
            await asyncio.wait_for(client.create_api_key("slow-answer"), 0.5)
    error = info.value
    assert isinstance(error.__context__, asyncio.CancelledError)
    keys = live(emulator, "slow-answer")
    assert keys and all(reported(error, k) for k in keys)


async def test_a_cancelled_create_reports_instead_of_cancelled_error(emulator: Emulator) -> None:
    """Reproduces "a cancelled Python create loses its details": task.cancel() on a create in flight."""
    emulator.add_fault({"method": "POST", "path": "/api_keys", "action": TRICKLE})
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        task = asyncio.create_task(client.create_api_key("cancelled-create"))
        await asyncio.sleep(0.4)
        task.cancel()
        with pytest.raises(nak.OutcomeUnknownError) as info:
            await task
    assert info.value.key_name == "cancelled-create"
    assert all(reported(info.value, k) for k in live(emulator, "cancelled-create"))
    assert live(emulator, "cancelled-create")


async def test_task_group_failure_reports_the_siblings_create(emulator: Emulator) -> None:
    emulator.add_fault({"method": "POST", "path": "/api_keys", "action": TRICKLE})
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:

        async def fail_soon() -> None:
            await asyncio.sleep(0.4)
            raise LookupError("sibling failed")

        with pytest.raises(BaseExceptionGroup) as info:
            async with asyncio.TaskGroup() as group:
                group.create_task(client.create_api_key("grouped"))
                group.create_task(fail_soon())
    kinds = sorted(type(e).__name__ for e in info.value.exceptions)
    assert kinds == ["LookupError", "OutcomeUnknownError"]
    unknown = next(e for e in info.value.exceptions if isinstance(e, nak.OutcomeUnknownError))
    assert all(reported(unknown, k) for k in live(emulator, "grouped"))


async def test_cancelling_a_read_raises_cancelled_error(emulator: Emulator) -> None:
    emulator.add_fault({"method": "GET", "path": "/api_keys", "times": 0, "action": {"type": "stall"}})
    async with admin_async(emulator, timeout=30.0, attempt_timeout=30.0) as client:
        task = asyncio.create_task(client.list_api_keys())
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.cancelled()


async def test_cancel_while_the_async_store_runs_keeps_the_old_key(emulator: Emulator) -> None:
    entered = asyncio.Event()

    async def slow_store(key: nak.CreatedApiKey) -> None:
        entered.set()
        await asyncio.sleep(30)

    async with admin_async(emulator) as client:
        task = asyncio.create_task(client.rotate_api_key(1001, store=slow_store))
        await asyncio.wait_for(entered.wait(), 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    keys = {k["id"]: k for k in emulator.all_keys()}
    assert keys[1001]["revoked"] is False
    assert [k["revoked"] for k in keys.values() if k["id"] >= 5000] == [True]


CTRL_C_CREATE = textwrap.dedent(
    """
    import json, os, signal, sys, threading
    import neon_api_keys as nak
    key, base, op = sys.argv[1], sys.argv[2], sys.argv[3]
    client = nak.Client(key, base_url=base, timeout=30.0, attempt_timeout=30.0, max_retries=0)
    threading.Timer(0.6, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    out = {}
    try:
        getattr(client, op)(*sys.argv[4:])
        out["outcome"] = "returned"
    except KeyboardInterrupt:
        out["outcome"] = "KeyboardInterrupt"
    except nak.OutcomeUnknownError as e:
        out.update(outcome="OutcomeUnknownError", key_name=e.key_name, context=type(e.__context__).__name__,
                   not_before=e.not_before.isoformat(), not_after=e.not_after.isoformat())
    print(json.dumps(out))
    """
)


def _ctrl_c(emulator: Emulator, *call: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", CTRL_C_CREATE, emulator.seed["keys"]["admin"], emulator.base_url, *call],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_ctrl_c_during_a_create_reports_the_key(emulator: Emulator) -> None:
    emulator.add_fault({"method": "POST", "path": "/api_keys", "action": TRICKLE})
    result = _ctrl_c(emulator, "create_api_key", "interrupted")
    assert result["outcome"] == "OutcomeUnknownError", result
    assert result["key_name"] == "interrupted" and result["context"] == "KeyboardInterrupt"
    assert live(emulator, "interrupted")


def test_ctrl_c_during_a_read_raises_keyboard_interrupt(emulator: Emulator) -> None:
    emulator.add_fault({"method": "GET", "path": "/api_keys", "times": 0, "action": {"type": "stall"}})
    assert _ctrl_c(emulator, "list_api_keys")["outcome"] == "KeyboardInterrupt"


# -- ids and durations ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_id", [2**63, -(2**63) - 1, 2**64 + 5])
def test_an_id_outside_int64_is_invalid_input(emulator: Emulator, key_id: int) -> None:
    with admin(emulator) as client:
        with pytest.raises(nak.InvalidInputError, match="key_id must be an integer") as info:
            client.revoke_api_key(key_id)
        assert not isinstance(info.value, OverflowError)
        with pytest.raises(nak.InvalidInputError, match="key_id"):
            client.revoke_org_api_key("org-acme-1234", key_id)
    with pytest.raises(nak.InvalidInputError, match="id must be"):
        nak.ApiKey(id=key_id, name="x")
    assert emulator.requests() == []


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), float("-inf")])
def test_durations_are_checked_by_the_core(emulator: Emulator, value: float) -> None:
    for name in ("timeout", "connect_timeout", "attempt_timeout", "backoff_base", "backoff_cap", "max_retry_wait"):
        with pytest.raises(nak.InvalidInputError, match=name):
            nak.Client("k" * 64, base_url=emulator.base_url, **{name: value})
    with admin(emulator) as client:
        with pytest.raises(nak.InvalidInputError, match="timeout must be a finite number of seconds"):
            client.list_api_keys(timeout=value)
    assert emulator.requests() == []


# -- coroutines -------------------------------------------------------------------------------------------


def test_a_call_never_awaited_warns_like_a_coroutine(emulator: Emulator) -> None:
    client = admin_async(emulator)
    with pytest.warns(RuntimeWarning, match="coroutine 'AsyncClient.revoke_api_key' was never awaited"):
        client.revoke_api_key(1001)
        gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call = client.revoke_api_key(1001)
        call.close()  # closing a call that never started is silent
        del call
        gc.collect()
    assert emulator.requests() == []


def test_a_call_is_a_coroutine_for_asyncio(emulator: Emulator) -> None:
    client = admin_async(emulator)
    call = client.list_api_keys()
    assert isinstance(call, collections.abc.Coroutine) and asyncio.iscoroutine(call)
    assert (call.__name__, call.__qualname__) == ("list_api_keys", "AsyncClient.list_api_keys")
    assert any(k.id == 1001 for k in asyncio.run(call))

    async def tasks() -> tuple[list[nak.ApiKey], nak.AuthDetails]:
        listed = asyncio.create_task(client.list_api_keys())
        async with asyncio.TaskGroup() as group:
            details = group.create_task(client.auth_details())
        return await listed, details.result()

    keys, details = asyncio.run(tasks())
    assert keys and details.auth_method == "api_key_user"


async def test_a_value_that_holds_a_secret_survives_cancellation() -> None:
    """When the core hands back a created key although the task was cancelled meanwhile, the key is returned
    (the task is not cancelled); a value without a secret gives way to CancelledError."""
    from neon_api_keys import _native

    task = asyncio.create_task(_native._late_value_for_test(0.3, True))
    await asyncio.sleep(0.05)
    task.cancel()
    created = await task
    assert not task.cancelled() and isinstance(created, nak.CreatedApiKey) and created.name == "late"
    listing = asyncio.create_task(_native._late_value_for_test(0.3, False))
    await asyncio.sleep(0.05)
    listing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await listing
