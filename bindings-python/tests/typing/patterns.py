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
