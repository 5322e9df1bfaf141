"""Values: typed frozen attributes, equality, reprs; the clients' surface: context managers, user agent,
datetimes in and out, every operation on both clients."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

import neon_api_keys as nak
from helpers import FAST, admin, admin_async

METHODS = [op[0] for op in nak.OPERATIONS]


def test_both_clients_have_the_same_methods() -> None:
    for name in METHODS:
        sync, asyn = getattr(nak.Client, name), getattr(nak.AsyncClient, name)
        assert sync.__doc__ and asyn.__doc__
        assert sync.__text_signature__ == asyn.__text_signature__
        assert "timeout=None, request_id=None" in sync.__text_signature__


def test_listed_keys_are_typed_and_frozen(emulator) -> None:
    with admin(emulator) as client:
        keys = client.list_api_keys()
    key = next(k for k in keys if k.id == 1001)
    assert key.name == "seed-admin"
    assert isinstance(key.created_at, datetime) and key.created_at.utcoffset() == timedelta(0)
    assert isinstance(key.last_used_from_addr, list)
    assert key.created_by is not None and key.created_by.name == "Ada Admin"
    assert key.project_id is None
    with pytest.raises(AttributeError):
        key.name = "other"  # type: ignore[misc]
    assert key == next(k for k in keys if k.id == 1001)
    assert "seed-admin" in repr(key) and repr(key).startswith("ApiKey(")


def test_every_operation_sync(emulator) -> None:
    seed = emulator.seed
    with admin(emulator) as client:
        created = client.create_api_key("every-op")
        assert isinstance(created, nak.CreatedApiKey) and isinstance(created.key, nak.ApiKeySecret)
        assert created.created_by == "11111111-1111-4111-8111-111111111111"
        unused = client.unused_api_keys()
        assert any(k.id == created.id for k in unused)
        since = datetime.now(timezone.utc) + timedelta(days=1)
        assert any(k.id == created.id for k in client.unused_api_keys(since))
        with pytest.raises(TypeError):
            client.unused_api_keys(datetime(2020, 1, 1))  # naive datetimes are ambiguous
        stored: list[nak.CreatedApiKey] = []
        rotation = client.rotate_api_key(created.id, store=stored.append, new_name="every-op-2")
        assert rotation.is_complete and rotation.revoked is not None and rotation.revoked.id == created.id
        assert rotation.old_key_id == created.id and rotation.new_key.id == stored[0].id
        revoked = client.revoke_api_key(rotation.new_key.id)
        assert revoked.revoked is True and isinstance(revoked.last_used_from_addr, list)
        org = seed["org_id"]
        org_key = client.create_org_api_key(org, "org-op", project_id=seed["project_id"])
        assert org_key.project_id == seed["project_id"]
        assert any(k.id == org_key.id for k in client.list_org_api_keys(org))
        assert any(k.id == org_key.id for k in client.unused_org_api_keys(org))
        org_rotation = client.rotate_org_api_key(org, org_key.id, store=lambda key: None, new_name="org-op-2")
        assert org_rotation.new_key.project_id == seed["project_id"]
        assert client.revoke_org_api_key(org, org_rotation.new_key.id).revoked
        project_key = client.create_project_api_key(seed["other_project_id"], "proj-op")
        assert project_key.project_id == seed["other_project_id"]
        project = client.get_project(seed["project_id"])
        assert (project.id, project.org_id) == (seed["project_id"], org)
        assert "Project(" in repr(project)
        details = client.auth_details()
        assert details.auth_method == "api_key_user" and isinstance(details.account_id, str)


async def test_every_operation_async(emulator) -> None:
    seed = emulator.seed
    async with admin_async(emulator) as client:
        created = await client.create_api_key("async-op")
        assert any(k.id == created.id for k in await client.list_api_keys())
        assert any(k.id == created.id for k in await client.unused_api_keys(None))
        rotation = await client.rotate_api_key(created.id, store=lambda key: None, new_name="async-op-2")
        assert rotation.is_complete
        assert (await client.revoke_api_key(rotation.new_key.id)).revoked
        org = seed["org_id"]
        org_key = await client.create_org_api_key(org, "async-org")
        assert org_key.project_id is None
        assert any(k.id == org_key.id for k in await client.list_org_api_keys(org))
        assert await client.unused_org_api_keys(org, datetime.now(timezone.utc))
        async def store(key: nak.CreatedApiKey) -> None:
            await asyncio.sleep(0)

        assert (await client.rotate_org_api_key(org, org_key.id, store=store, new_name="async-org-2")).is_complete
        assert (await client.create_project_api_key(seed["project_id"], "async-proj")).project_id
        assert (await client.get_project(seed["project_id"])).org_id == org
        assert (await client.auth_details()).auth_method == "api_key_user"
        assert (await client.revoke_org_api_key(org, 2002)).revoked


def test_context_managers_close(emulator) -> None:
    with admin(emulator) as client:
        assert not client.closed
    assert client.closed
    with pytest.raises(nak.ConfigError, match="closed"):
        client.list_api_keys()
    assert repr(client) == f"Client(base_url='{emulator.base_url}')"


async def test_async_context_manager_and_aclose(emulator) -> None:
    async with admin_async(emulator) as client:
        assert isinstance(client, nak.AsyncClient)
    assert client.closed
    with pytest.raises(nak.ConfigError):
        await client.list_api_keys()
    other = admin_async(emulator)
    await other.aclose()
    assert other.closed


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802
        _Recorder.seen.append({k.lower(): v for k, v in self.headers.items()})
        body = json.dumps([]).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


def test_user_agent_names_python() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/api/v2"
        with nak.Client("u" * 64, base_url=base, **FAST) as client:
            assert client.list_api_keys() == []
    finally:
        server.shutdown()
    import sys

    agent = _Recorder.seen[-1]["user-agent"]
    assert f"python/{sys.version_info.major}.{sys.version_info.minor}" in agent
    assert "u" * 64 not in json.dumps(_Recorder.seen[-1]["user-agent"])
