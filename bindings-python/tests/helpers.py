"""Small helpers shared by the behaviour tests."""

from __future__ import annotations

from typing import Any

import neon_api_keys as nak

from emulator import Emulator

FAST = {"max_retries": 0, "timeout": 10.0, "attempt_timeout": 5.0, "backoff_base": 0.001, "backoff_cap": 0.02,
        "throttle": False}


def admin(emulator: Emulator, **overrides: Any) -> nak.Client:
    """A sync client with the seed admin's personal key against the emulator."""
    return nak.Client(emulator.seed["keys"]["admin"], base_url=emulator.base_url, **{**FAST, **overrides})


def admin_async(emulator: Emulator, **overrides: Any) -> nak.AsyncClient:
    """An async client with the seed admin's personal key against the emulator."""
    return nak.AsyncClient(emulator.seed["keys"]["admin"], base_url=emulator.base_url, **{**FAST, **overrides})


def stall(emulator: Emulator, method: str, path: str) -> None:
    """The next matching request never gets an answer."""
    emulator.add_fault({"method": method, "path": path, "times": 0, "action": {"type": "stall"}})
