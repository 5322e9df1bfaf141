"""neon_api_keys.testing: the in-process Emulator, its helpers, and the pytest fixtures of the plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import neon_api_keys as nak
from neon_api_keys.testing import Emulator, EmulatorError, Seed


@pytest.fixture(scope="module")
def emu():  # type: ignore[no-untyped-def]
    with Emulator() as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def _fresh(emu) -> None:  # type: ignore[no-untyped-def]
    emu.reset()


def test_context_manager_urls_seed_and_stop() -> None:
    with Emulator() as emu:
        assert emu.running
        assert emu.base_url.startswith("http://127.0.0.1:") and emu.base_url.endswith("/api/v2")
        assert emu.control_url == emu.base_url[: -len("/api/v2")] + "/_emulator"
        assert isinstance(emu.seed, Seed)
        assert emu.seed.org_id == "org-acme-1234" and emu.seed.project_id == "proj-alpha-5678"
        assert len(emu.seed.personal_api_key) == 64 and emu.seed.ids["admin"] == 1001
        assert emu.seed.users["admin"] == "11111111-1111-4111-8111-111111111111"
        with emu.client() as client:
            assert client.base_url == emu.base_url
            assert any(k.name == "seed-admin" for k in client.list_api_keys())
        client = emu.client(max_retries=0, timeout=2.0)
    assert not emu.running
    with pytest.raises((nak.NetworkError, nak.NeonTimeoutError)):
        client.list_api_keys()  # the server is gone
    emu.close()  # idempotent


def test_two_emulators_are_independent() -> None:
    with Emulator() as a, Emulator() as b:
        assert a.base_url != b.base_url
        with a.client() as client:
            client.create_api_key("only-in-a")
        assert any(k["name"] == "only-in-a" for k in a.keys())
        assert not any(k["name"] == "only-in-a" for k in b.keys())


def test_state_requests_and_reset(emu) -> None:  # type: ignore[no-untyped-def]
    with emu.client() as client:
        created = client.create_api_key("ci-deploy", request_id="req-1")
        client.list_api_keys()
    assert any(k["id"] == created.id and k["name"] == "ci-deploy" for k in emu.state()["api_keys"])
    log = emu.requests()
    assert [(r["method"], r["path"]) for r in log] == [("POST", "/api_keys"), ("GET", "/api_keys")]
    assert log[0]["request_id"] == "req-1" and log[0]["auth"] == "admin"
    assert created.key.reveal() not in repr(log)  # the log never holds a token
    assert [r["method"] for r in emu.requests(method="GET")] == ["GET"]
    emu.clear_requests()
    assert emu.requests() == []
    assert emu.reset() == emu.seed
    assert not any(k["name"] == "ci-deploy" for k in emu.keys())


def test_add_key(emu) -> None:  # type: ignore[no-untyped-def]
    seeded = emu.add_key("org", "old-ci", project_id=emu.seed.other_project_id, last_used_at="2024-06-01T10:00:00Z")
    assert seeded["id"] == 5000 and len(seeded["key"]) == 64
    with emu.client() as client:
        keys = client.list_org_api_keys(emu.seed.org_id)
    key = next(k for k in keys if k.id == 5000)
    assert key.project_id == emu.seed.other_project_id and key.last_used_at is not None


def test_respond_json_headers_and_times(emu) -> None:  # type: ignore[no-untyped-def]
    emu.respond("GET", "/api_keys", 429, json={"code": "", "message": "slow down"}, headers={"retry-after": "1"})
    with emu.client(max_retries=0) as client:
        with pytest.raises(nak.RateLimitedError) as info:
            client.list_api_keys()
        assert info.value.retry_after == 1.0 and info.value.message == "slow down"
        assert client.list_api_keys()  # times=1: used up
    emu.respond(None, "/auth", 503, body="down for maintenance", times=0)
    with emu.client(max_retries=1) as client:
        with pytest.raises(nak.ServerError):
            client.auth_details()
    assert emu.faults()[0]["hits"] == 2
    emu.clear_faults()
    assert emu.faults() == []


def test_respond_after_runs_the_handler(emu) -> None:  # type: ignore[no-untyped-def]
    emu.respond("POST", "/api_keys", 500, after=True)
    with emu.client(max_retries=0) as client:
        with pytest.raises(nak.NeonError):
            client.create_api_key("made-anyway")
    assert any(k["name"] == "made-anyway" for k in emu.keys())


def test_fault_actions(emu) -> None:  # type: ignore[no-untyped-def]
    emu.delay("GET", "/auth", 200)
    with emu.client() as client:
        client.auth_details()
    assert [r.get("fault") for r in emu.requests("GET", "/auth")] == ["delay"]
    assert emu.faults() == []  # used up
    emu.stall("GET", "/auth")
    with emu.client(max_retries=0, attempt_timeout=0.2) as client:
        with pytest.raises(nak.NeonTimeoutError):
            client.auth_details()
    emu.add_fault("POST", "/api_keys", "reset_after")
    with emu.client(max_retries=0) as client:
        with pytest.raises(nak.OutcomeUnknownError) as info:
            client.create_api_key("lost-answer")
    assert info.value.key_name == "lost-answer"
    emu.add_fault(None, "/api_keys/*", {"type": "patch_json", "set": {"name": "patched"}})
    with emu.client() as client:
        assert client.revoke_api_key(emu.seed.ids["admin"]).name == "patched"


def test_bad_fault_is_an_emulator_error(emu) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EmulatorError, match="400"):
        emu.add_fault("GET", "/api_keys", {"type": "no_such_action"})


async def test_async_client(emu) -> None:  # type: ignore[no-untyped-def]
    async with emu.async_client(api_key=emu.seed.org_api_key) as client:
        details = await client.auth_details()
    assert details.account_id == emu.seed.org_id


def test_rate_limits(emu) -> None:  # type: ignore[no-untyped-def]
    emu.set_rate_limits(True)
    with emu.client(max_retries=0, throttle=False) as client:
        with pytest.raises(nak.RateLimitedError):
            for _ in range(60):
                client.auth_details()
    emu.reset()  # off again (the constructor's setting)
    with emu.client(max_retries=0, throttle=False) as client:
        for _ in range(60):
            client.auth_details()


def test_env_points_client_at_the_emulator(emu, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in emu.env().items():
        monkeypatch.setenv(name, value)
    with nak.Client() as client:
        assert client.base_url == emu.base_url
        assert client.auth_details().account_id == emu.seed.users["admin"]


def test_fixtures_are_installed_as_a_plugin(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A fresh pytest run with no conftest gets `neon_emulator` (reset between tests) and
    `neon_emulator_env` from the pytest11 entry point."""
    (tmp_path / "test_user_code.py").write_text(textwrap.dedent('''
        import neon_api_keys as nak

        def test_creates(neon_emulator):
            with neon_emulator.client() as client:
                client.create_api_key("from-test-one")
            assert any(k["name"] == "from-test-one" for k in neon_emulator.keys())

        def test_reset_between_tests(neon_emulator):
            assert not any(k["name"] == "from-test-one" for k in neon_emulator.keys())
            assert neon_emulator.requests() == []

        def test_env(neon_emulator_env):
            with nak.Client() as client:   # the code under test reads NEON_API_KEY / NEON_API_HOST
                assert client.list_api_keys()
            assert neon_emulator_env.requests()[0]["auth"] == "admin"
    '''))
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 passed" in out.stdout


def test_fixture_in_this_suite(neon_emulator) -> None:  # type: ignore[no-untyped-def]
    assert neon_emulator.running and neon_emulator.requests() == []


def test_seed_has_a_second_admin(emu) -> None:  # type: ignore[no-untyped-def]
    seed = emu.seed
    assert seed.second_admin_api_key == "b" * 64
    assert seed.second_admin_key_id == 1004
    assert seed.second_admin_user_id == "33333333-3333-4333-8333-333333333333"
    with emu.client(api_key=seed.second_admin_api_key) as client:
        assert client.auth_details().account_id == seed.second_admin_user_id
        made = client.create_org_api_key(seed.org_id, "bos-key")
    assert made.created_by == seed.second_admin_user_id


def test_clock_offset_moves_the_emulators_time(emu) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta, timezone

    emu.set_clock_offset(-3600.0)
    with emu.client() as client:
        made = client.create_api_key("an-hour-behind")
    assert made.created_at is not None
    behind = datetime.now(timezone.utc) - made.created_at
    assert timedelta(minutes=59) < behind < timedelta(minutes=61)
    emu.reset()
    with emu.client() as client:
        fresh = client.create_api_key("on-time")
    assert fresh.created_at is not None and datetime.now(timezone.utc) - fresh.created_at < timedelta(minutes=1)


def test_name_conflict_status(emu) -> None:  # type: ignore[no-untyped-def]
    with emu.client() as client:
        client.create_api_key("taken")
        with pytest.raises(nak.ConflictError, match="choose another unique name"):
            client.create_api_key("taken")
        emu.set_name_conflict_status(422)
        with pytest.raises(nak.ConflictError) as info:  # the core reads Neon's message, whatever the status
            client.create_api_key("taken")
    assert info.value.status == 422
    with pytest.raises(ValueError, match="400, 409 or 422"):
        emu.set_name_conflict_status(418)
