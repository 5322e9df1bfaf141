"""Credentials and the base URL from the environment (read by the core's from_env)."""

from __future__ import annotations

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


def test_plain_constructor_ignores_env(emulator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEON_API_KEY", emulator.seed["keys"]["admin"])
    with nak.Client(base_url=emulator.base_url, **FAST) as client:
        with pytest.raises(nak.ConfigError):
            client.list_api_keys()
