"""The committed typing files match the built module (scripts/gen-stubs.py --check), and the stubs accept the
patterns of tests/typing/patterns.py under mypy --strict and pyright --strict, while a wrong use fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]
SCRIPT = HERE / "scripts" / "gen-stubs.py"
PATTERNS = HERE / "tests" / "typing" / "patterns.py"
PYRIGHT = Path(sys.executable).parent / "pyright"

WRONG = '''
import asyncio
import neon_api_keys as nak

async def main(client: nak.AsyncClient) -> None:
    key: nak.ApiKey = await client.create_api_key("ci")   # a CreatedApiKey, not an ApiKey
    client.rotate_api_key(1, new_name="x")                # store is required
'''


def test_stubs_are_up_to_date() -> None:
    out = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def mypy(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", str(path)],
        capture_output=True, text=True, cwd=HERE,
    )


def pyright(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYRIGHT), "--project", str(HERE / "pyproject.toml"), "--pythonpath", sys.executable, str(path)],
        capture_output=True, text=True, cwd=HERE,
    )


@pytest.mark.parametrize("checker", [mypy, pyright], ids=["mypy", "pyright"])
def test_patterns_type_check_and_a_wrong_use_does_not(checker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = checker(PATTERNS)
    assert good.returncode == 0, good.stdout + good.stderr
    wrong = tmp_path / "wrong.py"
    wrong.write_text("# pyright: strict\n" + WRONG)
    bad = checker(wrong)
    assert bad.returncode != 0, "the checker accepted a wrong use: it is not reading the stubs"
    assert "store" in bad.stdout and "CreatedApiKey" in bad.stdout, bad.stdout
