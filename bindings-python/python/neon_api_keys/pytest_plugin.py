"""pytest fixtures for testing code that uses neon_api_keys, offline (registered as the ``pytest11`` entry point
``neon_api_keys``, so they are available once the package is installed; with plugin autoloading off, add
``pytest_plugins = ["neon_api_keys.pytest_plugin"]`` to a conftest.py).

- ``neon_emulator``: a :class:`neon_api_keys.testing.Emulator`, reset to its seed (rate limits off, no faults,
  empty request log) before each test. One emulator serves the whole session.
- ``neon_emulator_env``: the same, with ``NEON_API_KEY`` (the seeded admin's key) and ``NEON_API_HOST`` set for
  the test (and ``NEON_ORG_API_KEY`` / ``NEON_PROJECT_API_KEY`` removed), so ``neon_api_keys.Client()`` in the
  code under test talks to the emulator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    from .testing import Emulator

__all__ = ["neon_emulator", "neon_emulator_env"]


@pytest.fixture(scope="session")
def _neon_emulator_session() -> Iterator[Emulator]:
    from .testing import Emulator

    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def neon_emulator(_neon_emulator_session: Emulator) -> Emulator:
    """An in-process Neon emulator, reset to its seed for this test."""
    _neon_emulator_session.reset(rate_limits=False)
    return _neon_emulator_session


@pytest.fixture
def neon_emulator_env(neon_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """``neon_emulator`` with NEON_API_KEY and NEON_API_HOST pointing at it for this test."""
    monkeypatch.delenv("NEON_ORG_API_KEY", raising=False)
    monkeypatch.delenv("NEON_PROJECT_API_KEY", raising=False)
    for name, value in neon_emulator.env().items():
        monkeypatch.setenv(name, value)
    return neon_emulator
