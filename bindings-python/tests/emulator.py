"""The emulator process (neon-api-keys-emulator) and a small client for its control API (/_emulator)."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

WORKSPACE = Path(__file__).resolve().parents[2]


def emulator_binary() -> Path:
    """$NEON_EMULATOR_BIN, else <workspace>/target/debug/neon-api-keys-emulator (or $CARGO_TARGET_DIR's)."""
    explicit = os.environ.get("NEON_EMULATOR_BIN")
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or WORKSPACE / "target")
    return target / "debug" / "neon-api-keys-emulator"


class Emulator:
    """A running emulator child process. `stop()` kills it."""

    def __init__(self, binary: Path | None = None) -> None:
        binary = binary or emulator_binary()
        if not binary.exists():
            raise RuntimeError(
                f"emulator binary {binary} not found: run `cargo build -p neon-api-keys-emulator` "
                "or set NEON_EMULATOR_BIN"
            )
        stderr = None if os.environ.get("CONFORMANCE_EMULATOR_LOG") else subprocess.DEVNULL
        self._proc = subprocess.Popen(
            [str(binary), "--port", "0", "--host", "127.0.0.1"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError("the emulator exited before printing its JSON line")
        ready = json.loads(line)
        self.base_url: str = ready["base_url"]
        self.control_url: str = ready["control_url"]
        self.seed: dict[str, Any] = ready["seed"]

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait(timeout=10)

    # -- control API -------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.control_url + path,
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError(
                f"control {method} {path} failed: {error.code} {error.read()[:500]!r}"
            ) from None
        return json.loads(raw) if raw.strip() else None

    def reset(
        self,
        rate_limits: bool = False,
        clock_offset_ms: int | None = None,
        name_conflict_status: int | None = None,
    ) -> dict[str, Any]:
        """Restores the seed, clears faults and the request log, sets the reset's rules; returns the seed."""
        body: dict[str, Any] = {"rate_limits": rate_limits}
        if clock_offset_ms is not None:
            body["clock_offset_ms"] = clock_offset_ms
        if name_conflict_status is not None:
            body["name_conflict_status"] = name_conflict_status
        self.seed = self._call("POST", "/reset", body)
        return self.seed

    def use_key(self, key_id: int) -> None:
        """Marks a key used (it shows a use one second later on the emulator's clock)."""
        self._call("POST", f"/keys/{key_id}/use")

    def add_key(self, key: dict[str, Any]) -> Any:
        return self._call("POST", "/keys", key)

    def add_fault(self, fault: dict[str, Any]) -> Any:
        return self._call("POST", "/faults", fault)

    def requests(self) -> list[dict[str, Any]]:
        return self._call("GET", "/requests")

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/state")

    def secrets(self) -> dict[str, str]:
        return self._call("GET", "/secrets")

    def all_keys(self) -> list[dict[str, Any]]:
        state = self.state()
        return list(state.get("api_keys", [])) + list(state.get("org_api_keys", []))
