"""Every conformance case (tests/conformance/cases/*.json) on both surfaces: Client and AsyncClient."""

from __future__ import annotations

import json

import pytest

from conformance import DISPATCH, SURFACES, load_cases, run_case, schema_operations

CASES = load_cases()


def test_suite_is_complete() -> None:
    """There are cases, every case's operation and every schema operation has a dispatch entry."""
    assert CASES, "no conformance cases found"
    assert sorted(DISPATCH) == sorted(schema_operations())
    unknown = [c.name for c in CASES if c.operation not in DISPATCH]
    assert not unknown, f"cases with an operation the Python runner lacks: {unknown}"
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}::{c.name}" for c in CASES])
def test_case(emulator_process, case, surface) -> None:  # type: ignore[no-untyped-def]
    outcome = run_case(emulator_process, case, surface)
    if not outcome.passed:
        pytest.fail(
            f"{case.file} :: {case.name} [{surface}]\n"
            f"  expected: {json.dumps(case.data['expect'])}\n"
            f"  actual:   {json.dumps(outcome.actual)}\n"
            + "\n".join(f"  - {p}" for p in outcome.problems),
            pytrace=False,
        )
