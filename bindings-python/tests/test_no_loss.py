"""No created key is ever lost, through the Python binding (issue: reliability, "no loss").

N creates (NO_LOSS_CREATES, default 500 so `make test` stays quick; the Rust test runs 2,000) with 20 % ambiguous
failures injected after the key was made (reset after the handler, 500, 502 with an HTML page, 504 empty).
- reconcile on: the emulator's live keys equal exactly the keys handed to the caller;
- reconcile off: every live key the caller did not get lies inside an OutcomeUnknownError's name and window;
- both: the request log shows no automatic duplicate create.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

import pytest

import neon_api_keys as nak

from emulator import Emulator
from helpers import admin

N = int(os.environ.get("NO_LOSS_CREATES", "500"))


def ambiguous_fault(i: int) -> dict[str, Any]:
    kinds: list[dict[str, Any]] = [
        {"type": "reset_after"},
        {"type": "respond_after", "status": 500, "json": {"code": "", "message": "internal error"}},
        {"type": "respond_after", "status": 502, "body": "<html><body>Bad Gateway</body></html>",
         "headers": {"content-type": "text/html"}},
        {"type": "respond_after", "status": 504, "body": ""},
    ]
    return kinds[i % len(kinds)]


def live_keys(emulator: Emulator, prefix: str) -> dict[str, dict[str, Any]]:
    return {
        k["name"]: k
        for k in emulator.state()["api_keys"]
        if not k.get("revoked") and k["name"].startswith(prefix)
    }


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


@pytest.mark.parametrize("reconcile", [True, False], ids=["reconcile-on", "reconcile-off"])
def test_no_created_key_is_lost(emulator: Emulator, reconcile: bool) -> None:
    prefix = f"noloss-py-{'on' if reconcile else 'off'}-"
    handed: dict[str, int] = {}
    unknown: list[nak.OutcomeUnknownError] = []
    ambiguous = 0
    with admin(emulator, reconcile_creates=reconcile, max_retries=2) as client:
        for i in range(N):
            name = f"{prefix}{i:06d}"
            if i % 5 == 4:
                emulator.add_fault({"method": "POST", "path": "/api_keys", "times": 1,
                                    "action": ambiguous_fault(i // 5)})
                ambiguous += 1
            try:
                key = client.create_api_key(name)
            except nak.OutcomeUnknownError as error:
                assert not reconcile, f"reconcile on, yet {name} ended OutcomeUnknown: {error}"
                assert error.key_name == name
                unknown.append(error)
                continue
            assert key.key.reveal(), "a created key always carries its secret"
            handed[name] = key.id

    live = live_keys(emulator, prefix)
    if reconcile:
        assert {n: k["id"] for n, k in live.items()} == handed, "live keys must equal the keys handed out"
    else:
        assert len(unknown) == ambiguous
        for name, key in live.items():
            if name in handed:
                assert key["id"] == handed[name]
                continue
            created = parse(key["created_at"])
            assert any(
                e.key_name == name
                and e.not_before is not None and e.not_after is not None
                and e.not_before - timedelta(seconds=1) <= created <= e.not_after + timedelta(seconds=1)
                for e in unknown
            ), f"live key {name} was neither handed out nor reported in an OutcomeUnknownError"
    # No automatic duplicate: each name is POSTed once; or (reconcile) three times: the ambiguous create, a
    # second one that Neon's unique-name rule refuses (409), and a last one after the orphan was revoked.
    posts: dict[str, list[int]] = {}
    for request in emulator.requests():
        if request["method"] == "POST" and request["path"] == "/api_keys":
            body = request.get("body") or {}
            name = body.get("key_name", "")
            if name.startswith(prefix):
                posts.setdefault(name, []).append(request["status"])
    duplicates = {
        name: statuses
        for name, statuses in posts.items()
        if not (len(statuses) == 1 or (reconcile and len(statuses) == 3 and statuses[1] == 409))
    }
    assert not duplicates, duplicates
    lost = len(live) - len(handed) - (0 if reconcile else len(unknown))
    print(f"no-loss python (reconcile {'on' if reconcile else 'off'}): {N} creates, {ambiguous} ambiguous, "
          f"{len(handed)} handed, {len(unknown)} OutcomeUnknown, {len(live)} live, lost {max(lost, 0)}")
    assert len(live) == len(handed) + (0 if reconcile else len(unknown))
