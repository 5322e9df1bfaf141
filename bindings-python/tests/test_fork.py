"""Fork safety: after os.fork() the child rebuilds the runtime and the client's connections and keeps working."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

import neon_api_keys as nak
from helpers import admin, admin_async

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _in_child(fn) -> dict:  # type: ignore[no-untyped-def]
    """Runs fn() in a forked child and returns what it reported (or the exception it hit)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            report = {"ok": True, "value": fn()}
        except BaseException as e:  # noqa: BLE001
            report = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        os.write(write, json.dumps(report).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return json.loads(b"".join(chunks) or b'{"ok": false, "error": "no report"}')


def test_sync_client_works_in_a_forked_child(emulator) -> None:
    client = admin(emulator)
    assert client.list_api_keys()  # the parent's runtime and pool are warm
    report = _in_child(lambda: [k.id for k in client.list_api_keys()])
    assert report["ok"], report
    assert 1001 in report["value"]
    assert client.list_api_keys()  # and the parent still works
    client.close()


def test_async_client_works_in_a_forked_child(emulator) -> None:
    client = admin_async(emulator)
    assert asyncio.run(client.list_api_keys())

    def child() -> list[int]:
        async def main() -> list[int]:
            created = await client.create_api_key("from-child")
            return [created.id]
        return asyncio.run(main())

    report = _in_child(child)
    assert report["ok"], report
    assert any(k["name"] == "from-child" for k in emulator.all_keys())
    assert asyncio.run(client.list_api_keys())


def test_new_client_in_a_forked_child(emulator) -> None:
    admin(emulator).list_api_keys()
    report = _in_child(lambda: admin(emulator).auth_details().auth_method)
    assert report == {"ok": True, "value": "api_key_user"}
