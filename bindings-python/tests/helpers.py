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


def write_raw_keychain_entry(service: str, account: str, payload: bytes) -> None:
    """Writes `payload` as the content of the Linux kernel keyring entry that `Keychain(service, account)` reads,
    bypassing the SDK (to give it records it did not write). Uses the `add_key` system call through ctypes, so
    nothing needs installing. `service` and `account` must not contain `%` or `:` (the core escapes those)."""
    import ctypes
    import platform

    assert "%" not in service + account and ":" not in service + account
    numbers = {"x86_64": 248, "aarch64": 217}
    machine = platform.machine()
    assert machine in numbers, f"no add_key syscall number for {machine}"
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    key_spec_user_keyring = -4
    description = f"neon-api-keys:{service}:{account}".encode()
    serial = libc.syscall(
        ctypes.c_long(numbers[machine]),
        ctypes.c_char_p(b"user"),
        ctypes.c_char_p(description),
        ctypes.c_char_p(payload),
        ctypes.c_size_t(len(payload)),
        ctypes.c_int(key_spec_user_keyring),
    )
    assert serial > 0, f"add_key failed: errno {ctypes.get_errno()}"
