#!/usr/bin/env python3
"""A tour of neon_api_keys against an embedded emulator (target/debug/neon-api-keys-emulator or
$NEON_EMULATOR_BIN): create, list, rotate with a store, find unused keys, revoke, a cancelled create that still
reports its key, and what errors look like, sync then async. Secrets are never printed: only their redacted form
and length.

    bindings-python/scripts/build.sh && cargo build -p neon-api-keys-emulator
    bindings-python/.venv/bin/python bindings-python/scripts/demo.py
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import neon_api_keys as nak  # noqa: E402
from emulator import Emulator  # noqa: E402


def sync_tour(emulator: Emulator) -> None:
    print("== sync Client ==")
    with nak.Client(emulator.seed["keys"]["admin"], base_url=emulator.base_url) as client:
        print("auth:", client.auth_details())
        created = client.create_api_key("demo-ci")
        print("created:", created)
        print(f"  secret: {created.key} ({len(created.key.reveal())} characters, shown once)")
        for key in client.list_api_keys():
            print("listed:", key)
        vault: dict[str, str] = {}
        rotation = client.rotate_api_key(created.id, store=lambda new: vault.update({new.name: new.key.reveal()}))
        print("rotated:", rotation.new_key.name, "complete:", rotation.is_complete, "stored:", list(vault))

        def refuse(new: nak.CreatedApiKey) -> None:
            raise OSError("vault is read-only")

        try:
            client.rotate_api_key(rotation.new_key.id, store=refuse)
        except OSError as e:
            print(f"store failed: {e} ({e.__notes__[0]})")
        unused = client.unused_api_keys(datetime.now(timezone.utc) + timedelta(minutes=1))
        print("created before a minute from now and not used since:", [k.name for k in unused])
        print("revoked:", client.revoke_api_key(rotation.new_key.id))
        try:
            client.revoke_api_key(rotation.new_key.id, request_id="demo-second-revoke")
        except nak.NotFoundError as e:
            print(f"second revoke: {type(e).__name__} status={e.status} request_id={e.request_id}: {e.message}")
        org = emulator.seed["org_id"]
        scoped = client.create_project_api_key(emulator.seed["project_id"], "demo-scoped")
        print("project-scoped:", scoped)
        print("org keys:", [(k.id, k.name, k.project_id) for k in client.list_org_api_keys(org)])
        client.revoke_org_api_key(org, scoped.id)


async def async_tour(emulator: Emulator) -> None:
    print("== async AsyncClient ==")
    async with nak.AsyncClient(emulator.seed["keys"]["admin"], base_url=emulator.base_url) as client:
        keys, details = await asyncio.gather(client.list_api_keys(), client.auth_details())
        print(f"{len(keys)} keys, auth method {details.auth_method}")
        created = await client.create_api_key("demo-async")
        print("created:", created)
        emulator.add_fault({"method": "GET", "path": "/api_keys", "action": {"type": "stall"}})
        try:
            await client.list_api_keys(timeout=0.3)
        except nak.NeonTimeoutError as e:
            print(f"stalled call: {type(e).__name__} (a TimeoutError too: {isinstance(e, TimeoutError)})")
        print("revoked:", await client.revoke_api_key(created.id))
        emulator.add_fault({"method": "POST", "path": "/api_keys",
                            "action": {"type": "trickle", "bytes_per_chunk": 1, "interval_ms": 200}})
        try:
            await asyncio.wait_for(client.create_api_key("demo-slow"), 0.5)
        except nak.OutcomeUnknownError as e:
            print(f"cancelled create: {type(e).__name__} key {e.key_name!r} made between {e.not_before} and "
                  f"{e.not_after} (instead of a silent CancelledError)")
    try:
        with nak.Client("not-a-real-key-" * 4, base_url=emulator.base_url, max_retries=0) as bad:
            bad.list_api_keys()
    except nak.AuthError as e:
        print(f"unknown key: {e}")


def main() -> None:
    emulator = Emulator()
    try:
        print("emulator at", emulator.base_url)
        sync_tour(emulator)
        asyncio.run(async_tour(emulator))
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
