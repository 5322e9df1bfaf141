"""Credentials and the base URL from the environment (read by the core's from_env)."""

from __future__ import annotations

import asyncio

import pytest

import neon_api_keys as nak
from helpers import FAST


def test_from_env_reads_key_and_host(emulator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_API_KEY", emulator.seed["keys"]["admin"])
    monkeypatch.setenv("NEON_API_HOST", emulator.base_url)
    with nak.Client.from_env(**FAST) as client:
        assert client.base_url == emulator.base_url
        assert any(k.name == "seed-admin" for k in client.list_api_keys())


async def test_async_from_env(emulator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_API_KEY", emulator.seed["keys"]["admin"])
    monkeypatch.setenv("NEON_API_HOST", emulator.base_url)
    async with nak.AsyncClient.from_env(**FAST) as client:
        details = await client.auth_details()
    assert details.auth_method == "api_key_user"


def test_explicit_arguments_win_over_env(emulator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_API_KEY", "y" * 64)
    monkeypatch.setenv("NEON_API_HOST", "http://127.0.0.1:9/api/v2")
    with nak.Client.from_env(emulator.seed["keys"]["admin"], base_url=emulator.base_url, **FAST) as client:
        assert client.base_url == emulator.base_url
        assert client.list_api_keys()


def test_org_key_from_env(emulator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_ORG_API_KEY", emulator.seed["keys"]["org"])
    monkeypatch.setenv("NEON_API_HOST", emulator.base_url)
    with nak.Client.from_env(**FAST) as client:
        keys = client.list_org_api_keys(emulator.seed["org_id"])
    assert {k.id for k in keys} >= {2001, 2002}


def test_no_key_anywhere_is_a_config_error(emulator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_API_HOST", emulator.base_url)
    with nak.Client.from_env(**FAST) as client:
        with pytest.raises(nak.ConfigError):
            client.list_api_keys()
    assert emulator.requests() == []


@pytest.mark.parametrize("cls", [nak.Client, nak.AsyncClient])
def test_constructor_without_api_key_reads_env(emulator, monkeypatch, cls) -> None:  # type: ignore[no-untyped-def]
    """`Client()` / `AsyncClient()` with no api_key read NEON_API_KEY and NEON_API_HOST (the core's from_env)."""
    monkeypatch.setenv("NEON_API_KEY", emulator.seed["keys"]["admin"])
    monkeypatch.setenv("NEON_API_HOST", emulator.base_url)
    client = cls(**FAST)
    assert client.base_url == emulator.base_url
    keys = _call(client, "list_api_keys")
    assert any(k.name == "seed-admin" for k in keys)


@pytest.mark.parametrize("cls", [nak.Client, nak.AsyncClient])
def test_constructor_without_api_key_reads_org_and_project_keys(emulator, monkeypatch, cls) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_ORG_API_KEY", emulator.seed["keys"]["org"])
    monkeypatch.setenv("NEON_API_HOST", emulator.base_url)
    keys = _call(cls(**FAST), "list_org_api_keys", emulator.seed["org_id"])
    assert {k.id for k in keys} >= {2001, 2002}
    monkeypatch.delenv("NEON_ORG_API_KEY")
    monkeypatch.setenv("NEON_PROJECT_API_KEY", emulator.seed["keys"]["project"])
    details = _call(cls(**FAST), "auth_details")
    assert details.account_id == emulator.seed["org_id"]
    assert emulator.requests()[-1]["auth"] == "project"


@pytest.mark.parametrize("cls", [nak.Client, nak.AsyncClient])
def test_constructor_explicit_arguments_win(emulator, monkeypatch, cls) -> None:  # type: ignore[no-untyped-def]
    """An explicit base_url beats NEON_API_HOST and an explicit org key beats NEON_ORG_API_KEY, while the
    omitted api_key still comes from NEON_API_KEY."""
    monkeypatch.setenv("NEON_API_KEY", emulator.seed["keys"]["admin"])
    monkeypatch.setenv("NEON_ORG_API_KEY", "x" * 64)
    monkeypatch.setenv("NEON_API_HOST", "http://127.0.0.1:9/api/v2")
    client = cls(org_api_key=emulator.seed["keys"]["org"], base_url=emulator.base_url, **FAST)
    assert client.base_url == emulator.base_url
    assert _call(client, "list_api_keys")
    assert _call(client, "list_org_api_keys", emulator.seed["org_id"])
    assert [r["auth"] for r in emulator.requests()] == ["admin", "org"]


@pytest.mark.parametrize("cls", [nak.Client, nak.AsyncClient])
def test_constructor_with_api_key_ignores_env_key(emulator, monkeypatch, cls) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_API_KEY", "y" * 64)
    client = cls(emulator.seed["keys"]["member"], base_url=emulator.base_url, **FAST)
    assert _call(client, "auth_details").account_id == emulator.seed["users"]["member"]


@pytest.mark.parametrize("cls", [nak.Client, nak.AsyncClient])
def test_constructor_with_nothing_anywhere_is_a_config_error(emulator, cls) -> None:  # type: ignore[no-untyped-def]
    client = cls(base_url=emulator.base_url, **FAST)
    with pytest.raises(nak.ConfigError):
        _call(client, "list_api_keys")
    assert emulator.requests() == []


def _call(client, method: str, *args):  # type: ignore[no-untyped-def]
    """Runs `method` on a Client, or on an AsyncClient in a fresh event loop."""
    if isinstance(client, nak.AsyncClient):

        async def run():  # type: ignore[no-untyped-def]
            return await getattr(client, method)(*args)

        return asyncio.run(run())
    return getattr(client, method)(*args)
