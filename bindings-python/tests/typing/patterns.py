# pyright: strict
"""Patterns the stubs must accept under `mypy --strict` and `pyright --strict` (scripts/test.sh and
test_habits.py check this file; it is never run). A regression in the stubs makes one of them fail."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import datetime, timezone
from typing import Any

import neon_api_keys as nak


def sync_context_manager_returns(base_url: str) -> list[nak.ApiKey]:
    with nak.Client(base_url=base_url) as client:  # __exit__ returns None: the return below is reachable
        return client.list_api_keys()


async def async_context_manager_returns() -> nak.AuthDetails:
    async with nak.AsyncClient() as client:
        return await client.auth_details()


async def tasks_and_groups(client: nak.AsyncClient) -> tuple[nak.CreatedApiKey, list[nak.ApiKey]]:
    created = asyncio.create_task(client.create_api_key("ci"))
    async with asyncio.TaskGroup() as group:
        listed = group.create_task(client.list_api_keys())
    return await created, listed.result()


def run_a_call(client: nak.AsyncClient) -> nak.RevokedApiKey:
    call: Coroutine[Any, Any, nak.RevokedApiKey] = client.revoke_api_key(5000)
    return asyncio.run(call)


def rotate(client: nak.Client, vault: dict[str, str]) -> nak.Rotation:
    def store(key: nak.CreatedApiKey) -> None:
        vault[key.name] = key.key.reveal()

    rotation = client.rotate_api_key(1, store=store, new_name="ci-2", wait_for_use=30.0)
    error: nak.NeonError | None = rotation.revoke_error
    seen: bool | None = rotation.new_key_seen_in_use
    assert error is None or seen is None or rotation.is_complete
    return rotation


async def rotate_async(client: nak.AsyncClient) -> int:
    async def store(key: nak.CreatedApiKey) -> None:
        await asyncio.sleep(0)

    rotation = await client.rotate_org_api_key("org-acme-1234", 2, store=store)
    return rotation.new_key.id


def values_are_values() -> set[object]:
    key = nak.ApiKey(id=1, name="ci", created_at=datetime.now(timezone.utc), last_used_from_addr=["1.2.3.4"])
    revoked = nak.RevokedApiKey(id=1, name="ci")
    rotation = nak.Rotation(new_key=key, old_key_id=2, revoked=revoked)
    details = nak.AuthDetails(account_id="u", auth_method="api_key_user")
    project = nak.Project(id="proj-alpha-5678", org_id="org-acme-1234")
    creator = nak.Creator(id="11111111-1111-4111-8111-111111111111")
    as_dict: dict[str, Any] = key.to_dict()
    assert as_dict["id"] == 1
    return {key, revoked, rotation, details, project, creator}


def errors(error: Exception) -> float | None:
    if isinstance(error, nak.OutcomeUnknownError) and error.outcome_unknown is not None:
        ids: tuple[int, ...] = error.outcome_unknown.candidate_ids
        return float(len(ids))
    if isinstance(error, nak.RateLimitedError):
        return error.retry_after
    return nak.DEFAULT_TIMEOUT


def keychain_round_trip(key: nak.CreatedApiKey) -> nak.CreatedApiKey | None:
    entry = nak.Keychain("my-app", "neon-deploy")
    backend: str = nak.Keychain.backend
    assert backend == entry.backend and entry.service == "my-app" and entry.account == "neon-deploy"
    entry.save(key)
    entry(key)  # a Keychain is callable: a rotation's store
    existed: bool = entry.exists() and entry.delete()
    assert existed or not entry.exists()
    return entry.load()


def keychain_client_and_rotation(base_url: str) -> int:
    entry = nak.Keychain("my-app", "neon-deploy")
    with nak.Client(keychain=entry, base_url=base_url) as client:
        in_place: nak.Rotation = client.rotate_keychain_key(entry, new_name="deploy-2", wait_for_use=30.0)
        stored: nak.Rotation = client.rotate_api_key(in_place.new_key.id, store=entry)
    try:
        nak.Keychain("", "x")
    except nak.KeychainError as error:
        assert error.kind == "keychain"
    except nak.InvalidInputError:
        pass
    loaded = entry.load()
    org_id: str | None = None if loaded is None else loaded.org_id
    assert org_id is None or nak.CreatedApiKey(id=1, key="k", name="n", org_id=org_id).org_id == org_id
    return stored.new_key.id


async def keychain_rotation_async(entry: nak.Keychain) -> nak.Rotation:
    async with nak.AsyncClient(keychain=entry) as client:
        await client.rotate_org_api_key("org-acme-1234", 2, store=entry)
        return await client.rotate_keychain_key(entry, poll_interval=0.5, request_id="r-1")
