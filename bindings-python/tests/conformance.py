"""The Python conformance runner: every case of tests/conformance/cases/*.json on Client and AsyncClient.

Format and duties: tests/conformance/README.md. This module has the case loading, seed variables, the dispatch
table, canonical JSON and the matcher; test_conformance.py runs it under pytest.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import neon_api_keys as nak

from emulator import WORKSPACE, Emulator

SUITE = WORKSPACE / "tests" / "conformance"
NEON_ENV_VARS = ("NEON_API_KEY", "NEON_ORG_API_KEY", "NEON_PROJECT_API_KEY", "NEON_API_HOST")
SURFACES = ("sync", "async")
# Runs per surface (passed/failed), for the second summary line; the first line counts cases.
SURFACE_RESULTS: dict[str, dict[str, int]] = {s: {"passed": 0, "failed": 0} for s in SURFACES}
CLIENT_DEFAULTS = {
    "max_retries": 2,
    "timeout_ms": 10000,
    "attempt_timeout_ms": 5000,
    "backoff_ms": [1, 20],
    "throttle": False,
    "reconcile_creates": False,
}


@dataclass
class Case:
    file: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def operation(self) -> str:
        return self.data["operation"]


def load_cases() -> list[Case]:
    cases = []
    for path in sorted((SUITE / "cases").glob("*.json")):
        for data in json.loads(path.read_text()):
            cases.append(Case(path.name, data))
    return cases


def schema_operations() -> list[str]:
    schema = json.loads((SUITE / "schema.json").read_text())
    return list(schema["$defs"]["case"]["properties"]["operation"]["enum"])


# -- seed variables ---------------------------------------------------------------------------------------

_ALLOWED_ROOTS = ("keys", "ids", "org_id", "project_id", "other_project_id", "personal_project_id")


class CaseError(Exception):
    """The case itself could not run (unknown variable, bad argument type, ...)."""


def resolve(value: Any, seed: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        path = value[1:].split(".")
        current: Any = seed
        if path[0] not in _ALLOWED_ROOTS:
            raise CaseError(f"unknown seed variable {value!r}")
        for part in path:
            if not isinstance(current, dict) or part not in current:
                raise CaseError(f"unknown seed variable {value!r}")
            current = current[part]
        if isinstance(current, bool) or not isinstance(current, (str, int, float)):
            raise CaseError(f"unknown seed variable {value!r}")
        return current
    if isinstance(value, list):
        return [resolve(v, seed) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, seed) for k, v in value.items()}
    return value


# -- canonical JSON ---------------------------------------------------------------------------------------


def dt(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with Z; fractional seconds only when present (3 or 6 digits, like chrono's AutoSi)."""
    if value is None:
        return None
    value = value.astimezone(timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond // 1000:03d}" if value.microsecond % 1000 == 0 else f".{value.microsecond:06d}"
    return text + "Z"


def api_key(k: nak.ApiKey) -> dict[str, Any]:
    creator = k.created_by
    return {
        "id": k.id,
        "name": k.name,
        "created_at": dt(k.created_at),
        "created_by": None if creator is None else {"id": creator.id, "name": creator.name, "image": creator.image},
        "last_used_at": dt(k.last_used_at),
        "last_used_from_addr": list(k.last_used_from_addr),
        "project_id": k.project_id,
    }


def created_api_key(k: nak.CreatedApiKey) -> dict[str, Any]:
    return {
        "id": k.id,
        "key": k.key.reveal(),
        "name": k.name,
        "created_at": dt(k.created_at),
        "created_by": k.created_by,
        "project_id": k.project_id,
    }


def revoked_api_key(k: nak.RevokedApiKey) -> dict[str, Any]:
    return {
        "id": k.id,
        "name": k.name,
        "created_at": dt(k.created_at),
        "created_by": k.created_by,
        "last_used_at": dt(k.last_used_at),
        "last_used_from_addr": list(k.last_used_from_addr),
        "revoked": k.revoked,
        "project_id": k.project_id,
    }


def auth_details(a: nak.AuthDetails) -> dict[str, Any]:
    return {"account_id": a.account_id, "auth_method": a.auth_method, "auth_data": a.auth_data}


def project(p: nak.Project) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "org_id": p.org_id}


def rotation(r: nak.Rotation, stored: dict[str, Any] | None) -> dict[str, Any]:
    e = r.revoke_error
    return {
        "new_key": api_key(r.new_key),
        "old_key_id": r.old_key_id,
        "revoked": None if r.revoked is None else revoked_api_key(r.revoked),
        "revoke_error": None if e is None else {"kind": e.kind, "status": e.status, "message": e.message},
        "new_key_seen_in_use": r.new_key_seen_in_use,
        "stored": stored,
    }


def store_error(message: str) -> dict[str, Any]:
    """A rotation store's own exception: kind "store", every other field null but the message."""
    return {
        "kind": "store",
        "status": None,
        "message": message,
        "code": None,
        "request_id": None,
        "retry_after_ms": None,
        "outcome_unknown": None,
        "verification": None,
    }


def api_keys(keys: list[nak.ApiKey]) -> list[dict[str, Any]]:
    return [api_key(k) for k in keys]


def retry_after_ms(seconds: float | None) -> int | None:
    """Whole milliseconds, rounded down (after rounding away float noise at the microsecond), clamped to
    2^63 - 1 like the Rust runner (a `Retry-After` of u64::MAX seconds parses)."""
    if seconds is None:
        return None
    return min(int(round(seconds * 1_000_000)) // 1000, 2**63 - 1)


def error(e: nak.NeonError) -> dict[str, Any]:
    outcome = None
    if e.outcome_unknown is not None:
        o = e.outcome_unknown
        outcome = {
            "key_name": o.key_name,
            "org_id": o.org_id,
            "project_id": o.project_id,
            "not_before": dt(o.not_before),
            "not_after": dt(o.not_after),
            "candidate_ids": list(o.candidate_ids),
        }
    verification = None
    if e.verification is not None:
        verification = {"key_id": e.verification.key_id, "revoked": e.verification.revoked}
    return {
        "kind": e.kind,
        "status": e.status,
        "message": e.message,
        "code": e.code,
        "request_id": e.request_id,
        "retry_after_ms": retry_after_ms(e.retry_after),
        "outcome_unknown": outcome,
        "verification": verification,
    }


# -- dispatch table ---------------------------------------------------------------------------------------


class Args:
    def __init__(self, args: dict[str, Any]) -> None:
        self.args = args

    def string(self, name: str) -> str:
        value = self.opt_string(name)
        if value is None:
            raise CaseError(f"args.{name} is required")
        return value

    def opt_string(self, name: str) -> str | None:
        value = self.args.get(name)
        if value is not None and not isinstance(value, str):
            raise CaseError(f"args.{name} must be a string, got {value!r}")
        return value

    def id(self, name: str) -> int:
        value = self.args.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise CaseError(f"args.{name} must be an integer, got {value!r}")
        return value

    def opt_int(self, name: str) -> int | None:
        return None if self.args.get(name) is None else self.id(name)

    def since(self) -> datetime | None:
        value = self.opt_string("since")
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as e:
            raise CaseError(f"args.since {value!r} is not RFC 3339: {e}") from None


# operation -> (call on a client with Args, converter to canonical JSON)
DISPATCH: dict[str, tuple[Callable[[Any, Args], Any], Callable[[Any], Any]]] = {
    "list_api_keys": (lambda c, a: c.list_api_keys(), api_keys),
    "create_api_key": (lambda c, a: c.create_api_key(a.string("key_name")), created_api_key),
    "revoke_api_key": (lambda c, a: c.revoke_api_key(a.id("key_id")), revoked_api_key),
    "list_org_api_keys": (lambda c, a: c.list_org_api_keys(a.string("org_id")), api_keys),
    "create_org_api_key": (
        lambda c, a: c.create_org_api_key(a.string("org_id"), a.string("key_name"), a.opt_string("project_id")),
        created_api_key,
    ),
    "revoke_org_api_key": (
        lambda c, a: c.revoke_org_api_key(a.string("org_id"), a.id("key_id")),
        revoked_api_key,
    ),
    "create_project_api_key": (
        lambda c, a: c.create_project_api_key(a.string("project_id"), a.string("key_name")),
        created_api_key,
    ),
    "auth_details": (lambda c, a: c.auth_details(), auth_details),
    "get_project": (lambda c, a: c.get_project(a.string("project_id")), project),
    "unused_api_keys": (lambda c, a: c.unused_api_keys(a.since()), api_keys),
    "unused_org_api_keys": (lambda c, a: c.unused_org_api_keys(a.string("org_id"), a.since()), api_keys),
}


STORE_REFUSED = "store refused the key"
ROTATIONS = ("rotate_api_key", "rotate_org_api_key", "rotate_keychain_key")


class StoreRefused(Exception):
    """The runner's failing store (`args.store` = "fail")."""


class Rotate:
    """A rotation's arguments and the runner's store (tests/conformance/README.md, "Rotations: the runner's
    store"): a plain function for Client, a coroutine function for AsyncClient."""

    def __init__(self, operation: str, args: Args, emulator: Emulator) -> None:
        self.org_id = args.string("org_id") if operation == "rotate_org_api_key" else None
        # rotate_keychain_key: the entry rotated in place (what it holds afterwards is `stored`).
        self.keychain = keychain_entry(args.args) if operation == "rotate_keychain_key" else None
        self.old_id = 0 if self.keychain is not None else args.id("old_id")
        self.mode = args.opt_string("store") or "ok"
        if self.mode not in ("ok", "fail", "use"):
            raise CaseError(f"args.store {self.mode!r} is not ok, fail or use")
        self.kwargs: dict[str, Any] = {}
        if args.opt_string("new_name") is not None:
            self.kwargs["new_name"] = args.string("new_name")
        wait_ms = args.opt_int("wait_for_use_ms")
        if wait_ms is not None:
            self.kwargs["wait_for_use"] = wait_ms / 1000
            self.kwargs["poll_interval"] = 0.05
        self.emulator = emulator
        self.stored: dict[str, Any] | None = None

    def store(self, key: nak.CreatedApiKey) -> None:
        if self.mode == "fail":
            raise StoreRefused(STORE_REFUSED)
        self.stored = created_api_key(key)
        if self.mode == "use":
            self.emulator.use_key(key.id)

    async def astore(self, key: nak.CreatedApiKey) -> None:
        await asyncio.sleep(0)
        self.store(key)

    def call(self, client: Any, store: Callable[[nak.CreatedApiKey], Any]) -> Any:
        if self.keychain is not None:
            return client.rotate_keychain_key(self.keychain, **self.kwargs)
        if self.org_id is None:
            return client.rotate_api_key(self.old_id, store=store, **self.kwargs)
        return client.rotate_org_api_key(self.org_id, self.old_id, store=store, **self.kwargs)

    def result(self, outcome: nak.Rotation) -> dict[str, Any]:
        """The canonical Rotation: `stored` is what the store received, or for a keychain rotation what the entry
        holds now (null when empty or unreadable)."""
        if self.keychain is None:
            return rotation(outcome, self.stored)
        try:
            held = self.keychain.load()
        except nak.KeychainError:
            held = None
        return rotation(outcome, None if held is None else created_api_key(held))


# -- keychain entries -------------------------------------------------------------------------------------


def keychain_entry(value: Any) -> nak.Keychain:
    """The entry named by `{"service", "account"}`."""
    if not isinstance(value, dict) or not all(isinstance(value.get(n), str) for n in ("service", "account")):
        raise CaseError(f"a keychain entry needs a string service and account: {value!r}")
    try:
        return nak.Keychain(value["service"], value["account"])
    except nak.InvalidInputError as e:
        raise CaseError(f"bad keychain entry: {e}") from None


def keychain_entries(case: Case, args: Args, credentials: dict[str, Any] | None) -> list[nak.Keychain]:
    """Every entry the case names (setup, arguments, credentials)."""
    entries = [keychain_entry(item) for item in case.data.get("setup", {}).get("keychain", [])]
    if case.operation == "rotate_keychain_key":
        entries.append(keychain_entry(args.args))
    if credentials is not None and "keychain" in credentials:
        entries.append(keychain_entry(credentials["keychain"]))
    return entries


@contextmanager
def emptied(entries: list[nak.Keychain]) -> Iterator[None]:
    """Empties the entries now and again afterwards, also when the case fails."""

    def empty() -> None:
        for entry in entries:
            entry.delete()

    empty()
    try:
        yield
    finally:
        empty()


def created_from_control(spec: dict[str, Any], created: dict[str, Any], seed: dict[str, Any]) -> nak.CreatedApiKey:
    """The created key a setup key's control answer describes (an org key's organization is the seed's)."""
    created_at = created.get("created_at")
    return nak.CreatedApiKey(
        id=created["id"],
        key=created["key"],
        name=created.get("name") or "",
        created_at=None if created_at is None else datetime.fromisoformat(created_at.replace("Z", "+00:00")),
        created_by=created.get("created_by"),
        project_id=created.get("project_id"),
        org_id=seed.get("org_id") if spec.get("owner") == "org" else None,
    )


# -- matcher ----------------------------------------------------------------------------------------------


def _is_datetime(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 200 else text[:200] + "…"


def match(expected: Any, actual: Any, path: str = "$") -> list[str]:
    out: list[str] = []
    if isinstance(expected, str) and expected.startswith("$"):
        checks = {
            "$any": lambda v: True,
            "$nonempty": lambda v: isinstance(v, str) and v != "",
            "$null": lambda v: v is None,
            "$datetime": _is_datetime,
        }
        if expected not in checks:
            return [f"{path}: unknown special value {expected!r} in the case"]
        if not checks[expected](actual):
            out.append(f"{path}: expected {expected}, got {_short(actual)}")
        return out
    if isinstance(expected, dict) and len(expected) == 1 and next(iter(expected)).startswith("$"):
        op, arg = next(iter(expected.items()))
        if op == "$len":
            if not isinstance(actual, (list, str)) or len(actual) != arg:
                out.append(f"{path}: expected length {arg}, got {_short(actual)}")
        elif op in ("$contains", "$not_contains"):
            if not isinstance(actual, list):
                return [f"{path}: expected an array, got {_short(actual)}"]
            found = any(not match(arg, item) for item in actual)
            if op == "$contains" and not found:
                out.append(f"{path}: no element matches {_short(arg)}; got {_short(actual)}")
            if op == "$not_contains" and found:
                out.append(f"{path}: an element matches {_short(arg)} but must not; got {_short(actual)}")
        elif op in ("$prefix", "$includes"):
            if not isinstance(actual, str):
                return [f"{path}: expected a string for {op}, got {_short(actual)}"]
            ok = actual.startswith(arg) if op == "$prefix" else arg in actual
            if not ok:
                out.append(f"{path}: expected {op} {arg!r}, got {_short(actual)}")
        else:
            out.append(f"{path}: unknown special object {op!r} in the case")
        return out
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {_short(actual)}"]
        for key, exp in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing (expected {_short(exp)})")
            else:
                out.extend(match(exp, actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected an array, got {_short(actual)}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} elements, got {len(actual)}: {_short(actual)}"]
        for i, (exp, act) in enumerate(zip(expected, actual)):
            out.extend(match(exp, act, f"{path}[{i}]"))
        return out
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)) or expected != actual:
            out.append(f"{path}: expected {expected}, got {_short(actual)}")
        return out
    if expected != actual or type(expected) is not type(actual):
        out.append(f"{path}: expected {_short(expected)}, got {_short(actual)}")
    return out


# -- running a case ---------------------------------------------------------------------------------------


@contextmanager
def neon_env(values: dict[str, str] | None) -> Iterator[None]:
    """Clears every NEON_* variable (and sets `values`) for the duration; restores them after."""
    saved = {name: os.environ.get(name) for name in NEON_ENV_VARS}
    for name in NEON_ENV_VARS:
        os.environ.pop(name, None)
    try:
        for name, value in (values or {}).items():
            os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Outcome:
    passed: bool
    problems: list[str] = field(default_factory=list)
    actual: Any = None
    elapsed: float = 0.0


def client_kwargs(case: Case, credentials: dict[str, Any] | None, base_url: str | None) -> dict[str, Any]:
    settings = {**CLIENT_DEFAULTS, **case.data.get("client", {})}
    kwargs: dict[str, Any] = {
        "max_retries": settings["max_retries"],
        "timeout": settings["timeout_ms"] / 1000,
        "attempt_timeout": settings["attempt_timeout_ms"] / 1000,
        "backoff_base": settings["backoff_ms"][0] / 1000,
        "backoff_cap": settings["backoff_ms"][1] / 1000,
        "throttle": settings["throttle"],
        "reconcile_creates": settings["reconcile_creates"],
    }
    if base_url is not None:
        kwargs["base_url"] = base_url
    for name, value in (credentials or {}).items():
        if name == "keychain":
            kwargs["keychain"] = keychain_entry(value)
        elif name in ("api_key", "org_api_key"):
            kwargs[name] = value
        else:
            raise CaseError(f"unknown credentials field {name!r}")
    return kwargs


def _invoke_sync(case: Case, kwargs: dict[str, Any], from_env: bool, args: Args, emulator: Emulator) -> Any:
    cls = nak.Client
    rotate = Rotate(case.operation, args, emulator) if case.operation in ROTATIONS else None
    client = cls.from_env(**kwargs) if from_env else cls(**kwargs)
    with client:
        if rotate is not None:
            return rotate.result(rotate.call(client, rotate.store))
        call, convert = DISPATCH[case.operation]
        return convert(call(client, args))


async def _invoke_async(case: Case, kwargs: dict[str, Any], from_env: bool, args: Args, emulator: Emulator) -> Any:
    cls = nak.AsyncClient
    rotate = Rotate(case.operation, args, emulator) if case.operation in ROTATIONS else None
    client = cls.from_env(**kwargs) if from_env else cls(**kwargs)
    async with client:
        if rotate is not None:
            return rotate.result(await rotate.call(client, rotate.astore))
        call, convert = DISPATCH[case.operation]
        return convert(await call(client, args))


def expectation(case: Case) -> dict[str, Any]:
    """`expect_overrides.python` when the case has one (it replaces `expect` for Python), else `expect`."""
    overrides = case.data.get("expect_overrides") or {}
    return overrides.get("python", case.data["expect"])


def run_case(emulator: Emulator, case: Case, surface: str) -> Outcome:
    started = time.monotonic()
    try:
        return _run(emulator, case, surface)
    except CaseError as problem:
        return Outcome(False, [f"the case could not run: {problem}"], {"runner_error": str(problem)},
                       time.monotonic() - started)


def _run(emulator: Emulator, case: Case, surface: str) -> Outcome:
    data = case.data
    setup = data.get("setup", {})
    seed = emulator.reset(
        bool(setup.get("rate_limits", False)),
        clock_offset_ms=setup.get("clock_offset_ms"),
        name_conflict_status=setup.get("name_conflict_status"),
    )
    args = Args(resolve(data.get("args", {}), seed))
    credentials = resolve(data["credentials"], seed) if "credentials" in data else None
    env = resolve(data["env"], seed) if "env" in data else None
    added = []
    for key in setup.get("keys", []):
        spec = resolve(key, seed)
        added.append((spec, emulator.add_key(spec)))
    if case.operation not in DISPATCH and case.operation not in ROTATIONS:
        raise CaseError(f"operation {case.operation!r} has no entry in the Python dispatch table")
    with emptied(keychain_entries(case, args, credentials)):
        for item in setup.get("keychain", []):
            index = item.get("key")
            if not isinstance(index, int) or not 0 <= index < len(added):
                raise CaseError(f"setup.keychain[].key must index setup.keys: {item!r}")
            spec, created = added[index]
            keychain_entry(item).save(created_from_control(spec, created, seed))
        for fault in setup.get("faults", []):
            emulator.add_fault(resolve(fault, seed))
        return _run_operation(emulator, case, surface, args, credentials, env)


def _run_operation(
    emulator: Emulator,
    case: Case,
    surface: str,
    args: Args,
    credentials: dict[str, Any] | None,
    env: dict[str, Any] | None,
) -> Outcome:
    """Builds the client, runs the operation and checks the expectation (the emulator is set up)."""
    env_values = None
    if env is not None:
        env_values = {"NEON_API_HOST": emulator.base_url}
        for name, value in env.items():
            if not isinstance(value, str):
                raise CaseError(f"env.{name} must be a string")
            env_values[name] = value
    kwargs = client_kwargs(case, credentials, None if env is not None else emulator.base_url)

    started = time.monotonic()
    with neon_env(env_values):
        try:
            if surface == "sync":
                actual = {"result": _invoke_sync(case, kwargs, env is not None, args, emulator)}
            else:
                actual = {"result": asyncio.run(_invoke_async(case, kwargs, env is not None, args, emulator))}
        except nak.NeonError as e:
            actual = {"error": error(e)}
        except StoreRefused as e:
            actual = {"error": store_error(str(e))}
    elapsed = time.monotonic() - started

    expect = expectation(case)
    problems: list[str] = []
    if "result" in expect:
        if "result" in actual:
            problems += [f"result {p}" for p in match(expect["result"], actual["result"])]
        else:
            problems.append(f"expected a result, got an error: {_short(actual['error'])}")
    elif "error" in expect:
        pattern = {
            ("message" if key == "message_contains" else key): ({"$includes": value} if key == "message_contains" else value)
            for key, value in expect["error"].items()
        }
        if "error" in actual:
            problems += [f"error {p}" for p in match(pattern, actual["error"])]
        else:
            problems.append(f"expected an error, got a result: {_short(actual['result'])}")
    else:
        problems.append("the case expects neither result nor error")
    if "requests" in expect:
        logged = emulator.requests()
        if len(logged) != expect["requests"]:
            summary = ", ".join(f"{r.get('method')} {r.get('path')} -> {r.get('status')}" for r in logged)
            problems.append(f"requests: expected {expect['requests']}, the emulator logged {len(logged)}: [{summary}]")
    if "state" in expect:
        problems += check_state(emulator, expect["state"])
    return Outcome(not problems, problems, actual, elapsed)


def check_state(emulator: Emulator, expected: dict[str, Any] | list[dict[str, Any]]) -> list[str]:
    """`expect.state`: one check or a list, each against GET /_emulator/state."""
    checks = expected if isinstance(expected, list) else [expected]
    keys = emulator.all_keys()
    return [problem for check in checks for problem in state_check(keys, check)]


def state_check(all_keys: list[dict[str, Any]], check: dict[str, Any]) -> list[str]:
    """The keys named `key_named` (the newest of them) or the key `key_id`: `revoked: B`, or `absent: true`."""
    if "key_named" in check:
        what = f"key named {check['key_named']!r}"
        keys = [k for k in all_keys if k.get("name") == check["key_named"]]
    elif "key_id" in check:
        what = f"key {check['key_id']}"
        keys = [k for k in all_keys if k.get("id") == check["key_id"]]
    else:
        return [f"a state check needs key_named or key_id: {check}"]
    if check.get("absent") is True:
        return [f"state: expected no {what}, found {_short(keys)}"] if keys else []
    if "revoked" in check:
        if not keys:
            return [f"state: expected a {what}, found none"]
        newest = max(keys, key=lambda k: k.get("id", -(2**63)))
        if bool(newest.get("revoked", False)) != check["revoked"]:
            return [f"state: expected the newest {what} to have revoked={check['revoked']}, found {_short(newest)}"]
    return []
