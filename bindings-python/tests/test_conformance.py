"""Every conformance case (tests/conformance/cases/*.json), each one test that runs it on both surfaces:
Client and AsyncClient. A case passes only when it passed on both (tests/conformance/README.md, duty 5)."""

from __future__ import annotations

import json

import pytest

from conformance import (
    DISPATCH,
    ROTATIONS,
    SURFACE_RESULTS,
    SURFACES,
    expectation,
    load_cases,
    run_case,
    schema_operations,
)

CASES = load_cases()


def test_suite_is_complete() -> None:
    """There are cases, every case's operation and every schema operation has a dispatch entry."""
    assert CASES, "no conformance cases found"
    handled = sorted([*DISPATCH, *ROTATIONS])
    assert handled == sorted(schema_operations())
    unknown = [c.name for c in CASES if c.operation not in handled]
    assert not unknown, f"cases with an operation the Python runner lacks: {unknown}"
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}::{c.name}" for c in CASES])
def test_case(emulator_process, case) -> None:  # type: ignore[no-untyped-def]
    failures = []
    for surface in SURFACES:
        outcome = run_case(emulator_process, case, surface)
        SURFACE_RESULTS[surface]["passed" if outcome.passed else "failed"] += 1
        if not outcome.passed:
            failures.append(
                f"{case.file} :: {case.name} [{surface}]\n"
                f"  expected: {json.dumps(expectation(case))}\n"
                f"  actual:   {json.dumps(outcome.actual)}\n" + "\n".join(f"  - {p}" for p in outcome.problems)
            )
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_expect_overrides_python_replaces_expect() -> None:
    """`expect_overrides.python` replaces `expect` for this runner; other languages' overrides do not."""
    from conformance import Case

    base = {"name": "x", "description": "d", "operation": "auth_details", "expect": {"result": {"a": 1}}}
    assert expectation(Case("f.json", base)) == {"result": {"a": 1}}
    other = {**base, "expect_overrides": {"node": {"error": {"kind": "timeout"}}}}
    assert expectation(Case("f.json", other)) == {"result": {"a": 1}}
    mine = {**base, "expect_overrides": {"python": {"error": {"kind": "network"}}, "rust": {"result": {}}}}
    assert expectation(Case("f.json", mine)) == {"error": {"kind": "network"}}
