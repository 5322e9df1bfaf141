"""The examples in examples/ run (against the in-process Emulator) so they cannot rot; scripts/test.sh also
type-checks them with mypy --strict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neon_api_keys.testing import Emulator

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(emu: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEON_")}
    env.update(emu.env())
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, cwd=EXAMPLES)


@pytest.mark.parametrize("name", ["quickstart_sync.py", "quickstart_async.py"])
def test_quickstart_runs_and_prints_no_secret(neon_emulator: Emulator, name: str) -> None:
    out = run(neon_emulator, str(EXAMPLES / name))
    assert out.returncode == 0, out.stdout + out.stderr
    created = [r for r in neon_emulator.requests(method="POST") if r["status"] == 200]
    assert created, "the example created no key"
    secrets = neon_emulator.secrets()
    assert len(secrets) > 5
    for secret in secrets.values():
        assert secret not in out.stdout + out.stderr


def test_rotation_example_stores_then_revokes(neon_emulator: Emulator, tmp_path: Path) -> None:
    old = neon_emulator.add_key("admin", "deploy")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEON_")}
    env.update(neon_emulator.env())
    out = subprocess.run([sys.executable, str(EXAMPLES / "rotate_with_store.py"), str(old["id"])], env=env,
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    stored = json.loads((tmp_path / "neon-api-key.json").read_text())
    keys = {k["id"]: k for k in neon_emulator.keys()}
    assert keys[old["id"]]["revoked"] is True
    assert keys[stored["id"]]["revoked"] is False and stored["key"] == neon_emulator.secrets()[str(stored["id"])]
    assert stored["key"] not in out.stdout + out.stderr


def test_rotation_example_keeps_the_old_key_when_the_store_fails(neon_emulator: Emulator, tmp_path: Path) -> None:
    old = neon_emulator.add_key("admin", "deploy")
    (tmp_path / "neon-api-key.json").mkdir()  # writing the file fails: the store raises
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEON_")}
    env.update(neon_emulator.env())
    out = subprocess.run([sys.executable, str(EXAMPLES / "rotate_with_store.py"), str(old["id"])], env=env,
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "was revoked; the old key stays live" in out.stdout
    live = [k for k in neon_emulator.keys() if not k["revoked"] and k["name"].startswith("deploy")]
    assert [k["id"] for k in live] == [old["id"]]


def test_testing_example_as_a_script(neon_emulator: Emulator) -> None:
    out = run(neon_emulator, str(EXAMPLES / "testing_with_emulator.py"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("ok test_") == 4


def test_testing_example_under_pytest(neon_emulator: Emulator) -> None:
    out = run(neon_emulator, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLES / "testing_with_emulator.py"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "4 passed" in out.stdout
