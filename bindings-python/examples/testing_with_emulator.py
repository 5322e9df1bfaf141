"""Testing your own code offline with neon_api_keys.testing.Emulator (Neon's API emulated in-process).

Run the tests with pytest (the `neon_emulator` fixture comes with the package), or the file as a script:

    pytest examples/testing_with_emulator.py
    python examples/testing_with_emulator.py
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import neon_api_keys as nak
from neon_api_keys.testing import Emulator

# -- the code under test ----------------------------------------------------------------------------------


def revoke_stale_keys(client: nak.Client, older_than: timedelta) -> list[int]:
    """Revokes personal keys created before the cutoff and not used since (`unused_api_keys(since=...)`, so a
    key made a minute ago is never touched); returns their ids. Keys already gone are skipped; any other error
    stops the sweep."""
    cutoff = datetime.now(timezone.utc) - older_than
    revoked: list[int] = []
    for key in client.unused_api_keys(since=cutoff):
        try:
            revoked.append(client.revoke_api_key(key.id).id)
        except nak.NotFoundError:
            continue
    return revoked


# -- its tests --------------------------------------------------------------------------------------------


def test_revokes_only_stale_keys(neon_emulator: Emulator) -> None:
    old = neon_emulator.add_key("admin", "old-ci", created_at="2023-06-01T00:00:00Z", last_used_at="2024-01-01T00:00:00Z")
    used = neon_emulator.add_key("admin", "used-ci", created_at="2023-06-01T00:00:00Z",
                                 last_used_at=datetime.now(timezone.utc).isoformat())
    fresh = neon_emulator.add_key("admin", "fresh-never-used")  # made now: too new to be stale
    with neon_emulator.client() as client:
        revoked = revoke_stale_keys(client, timedelta(days=90))
    assert old["id"] in revoked
    assert used["id"] not in revoked and fresh["id"] not in revoked
    assert [k["revoked"] for k in neon_emulator.keys() if k["id"] == old["id"]] == [True]
    assert [k["revoked"] for k in neon_emulator.keys() if k["id"] == fresh["id"]] == [False]


def test_a_key_revoked_meanwhile_is_skipped(neon_emulator: Emulator) -> None:
    old = neon_emulator.add_key("admin", "old-ci", created_at="2023-06-01T00:00:00Z", last_used_at="2024-01-01T00:00:00Z")
    neon_emulator.respond("DELETE", f"/api_keys/{old['id']}", 404, json={"code": "", "message": "not found"})
    with neon_emulator.client() as client:
        assert old["id"] not in revoke_stale_keys(client, timedelta(days=90))


def test_server_trouble_is_retried_then_raised(neon_emulator: Emulator) -> None:
    neon_emulator.respond("GET", "/api_keys", 503, times=0)  # every listing fails
    with neon_emulator.client(max_retries=2) as client:
        try:
            revoke_stale_keys(client, timedelta(days=90))
        except nak.ServerError as e:
            assert e.status == 503
        else:
            raise AssertionError("expected ServerError")
    assert len(neon_emulator.requests(method="GET")) == 3  # the first try and two retries


def test_slow_api_hits_the_deadline(neon_emulator: Emulator) -> None:
    neon_emulator.stall("GET", "/api_keys")
    with neon_emulator.client(timeout=0.3, max_retries=0) as client:
        try:
            revoke_stale_keys(client, timedelta(days=90))
        except nak.NeonTimeoutError:
            pass
        else:
            raise AssertionError("expected NeonTimeoutError")


if __name__ == "__main__":
    with Emulator() as emu:
        for test in (
            test_revokes_only_stale_keys,
            test_a_key_revoked_meanwhile_is_skipped,
            test_server_trouble_is_retried_then_raised,
            test_slow_api_hits_the_deadline,
        ):
            emu.reset()
            test(emu)
            print(f"ok {test.__name__}")
