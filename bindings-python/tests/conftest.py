"""Shared fixtures: ONE emulator process per session (reset before each test that uses it), keychain entries
with names unique to the test (emptied after it, also when it fails), and the
`conformance python: N passed, M failed` line (N and M count cases) at the end of the session."""

from __future__ import annotations

import os
import re
import sys
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import neon_api_keys as nak  # noqa: E402
from emulator import Emulator  # noqa: E402

# Never let the developer's own keys reach a test.
for _name in ("NEON_API_KEY", "NEON_ORG_API_KEY", "NEON_PROJECT_API_KEY", "NEON_API_HOST"):
    os.environ.pop(_name, None)

_CONFORMANCE = {"passed": 0, "failed": 0}


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    emulator = Emulator()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def emulator(emulator_process: Emulator) -> Emulator:
    """The session's emulator, reset to the seed (rate limits off)."""
    emulator_process.reset(False)
    return emulator_process


@pytest.fixture
def keychain_entry(request: pytest.FixtureRequest) -> Iterator[Callable[..., nak.Keychain]]:
    """A factory of keychain entries, `keychain_entry(account="app")`, each under a service name unique to this
    test run (`neon-api-keys-python-test-<test>-<random>`). Every entry made is deleted after the test, also when
    it fails, and the test fails if one is still there."""
    made: list[nak.Keychain] = []
    tag = uuid.uuid4().hex[:8]

    def make(account: str = "app") -> nak.Keychain:
        name = re.sub(r"[^A-Za-z0-9_-]", "-", request.node.name)[:80]
        entry = nak.Keychain(f"neon-api-keys-python-test-{name}-{tag}", account)
        made.append(entry)
        return entry

    try:
        yield make
    finally:
        for entry in made:
            entry.delete()
        left = [repr(entry) for entry in made if entry.exists()]
        assert not left, f"keychain entries left behind: {left}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "test_conformance.py::test_case[" not in report.nodeid:
        return
    if report.when == "call":
        _CONFORMANCE["passed" if report.passed else "failed"] += 1
    elif report.failed:  # setup or teardown failed: the case did not pass
        _CONFORMANCE["failed"] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """`conformance python: N passed, M failed` counts CASES (a case passes when it passed on Client AND
    AsyncClient), then one line with the runs per surface."""
    total = _CONFORMANCE["passed"] + _CONFORMANCE["failed"]
    if total:
        from conformance import SURFACE_RESULTS

        terminalreporter.write_line(
            f"conformance python: {_CONFORMANCE['passed']} passed, {_CONFORMANCE['failed']} failed"
        )
        runs = ", ".join(
            f"{surface} {r['passed']} passed, {r['failed']} failed" for surface, r in SURFACE_RESULTS.items()
        )
        terminalreporter.write_line(f"conformance python runs per surface: {runs}")
