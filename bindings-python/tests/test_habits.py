"""Python habits (issue 12) and one place for each decision (issue 14), on the Python side: values behave like
Python values, messages speak Python, every operation of the core is on both clients and in the stubs, every
error kind has its class, and the defaults are the core's."""

from __future__ import annotations

import ast
import copy
import pickle
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

import neon_api_keys as nak
from emulator import Emulator
from helpers import admin, admin_async

STUB = Path(__file__).resolve().parents[1] / "python" / "neon_api_keys" / "_native.pyi"
WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def values() -> list[Any]:
    creator = nak.Creator(id="11111111-1111-4111-8111-111111111111", name="Ada Admin")
    key = nak.ApiKey(id=7, name="ci", created_at=WHEN, created_by=creator, last_used_from_addr=["10.0.0.1"])
    revoked = nak.RevokedApiKey(id=7, name="ci", created_at=WHEN)
    return [
        creator,
        key,
        revoked,
        nak.AuthDetails(account_id="u-1", auth_method="api_key_user"),
        nak.Project(id="proj-alpha-5678", name="alpha", org_id="org-acme-1234"),
        nak.Rotation(new_key=key, old_key_id=6, revoked=revoked, new_key_seen_in_use=True),
        nak.Rotation(new_key=key, old_key_id=6, revoke_error=nak.PermissionDeniedError("no", status=403)),
    ]


# -- values -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", values(), ids=lambda v: type(v).__name__)
def test_values_hash_pickle_copy_and_compare(value: Any) -> None:
    again = pickle.loads(pickle.dumps(value))
    assert again == value and type(again) is type(value)
    assert hash(again) == hash(value)
    assert copy.copy(value) == value and copy.deepcopy(value) == value
    assert len({value, again}) == 1
    assert repr(value).startswith(type(value).__name__ + "(")


def test_values_differ_by_every_field() -> None:
    key = nak.ApiKey(id=7, name="ci")
    assert key != nak.ApiKey(id=8, name="ci") and key != nak.ApiKey(id=7, name="cd")
    assert key != nak.ApiKey(id=7, name="ci", project_id="proj-alpha-5678")
    assert nak.RevokedApiKey(id=1, name="x").revoked is True
    assert nak.RevokedApiKey(id=1, name="x", revoked=False).revoked is False


def test_to_dict_nests_values() -> None:
    key = values()[1]
    assert key.to_dict() == {
        "id": 7,
        "name": "ci",
        "created_at": WHEN,
        "created_by": {"id": "11111111-1111-4111-8111-111111111111", "name": "Ada Admin", "image": None},
        "last_used_at": None,
        "last_used_from_addr": ["10.0.0.1"],
        "project_id": None,
    }
    rotation = values()[5].to_dict()
    assert rotation["new_key"]["id"] == 7 and rotation["revoked"]["revoked"] is True
    assert rotation["old_key_id"] == 6 and rotation["new_key_seen_in_use"] is True


def test_values_from_a_real_call_match_hand_built_ones(emulator: Emulator) -> None:
    with admin(emulator) as client:
        listed = next(k for k in client.list_api_keys() if k.id == 1001)
    assert nak.ApiKey(**{**listed.to_dict(), "created_by": listed.created_by}) == listed
    assert pickle.loads(pickle.dumps(listed)) == listed


def test_created_key_and_secret_stay_unpicklable_and_unhashable() -> None:
    created = nak.CreatedApiKey(id=1, key="s" * 64, name="ci")
    assert isinstance(created.key, nak.ApiKeySecret) and created.key.reveal() == "s" * 64
    for value in (created, created.key):
        with pytest.raises(TypeError):
            pickle.dumps(value)
        with pytest.raises(TypeError):
            hash(value)
    assert "s" * 64 not in repr(created) and "s" * 64 not in repr(created.to_dict())


def test_api_key_secret_trims_a_trailing_newline() -> None:
    assert nak.ApiKeySecret("  abc\n").reveal() == "abc"


# -- messages speak Python -----------------------------------------------------------------------------------

RUST_ISMS = re.compile(
    r"\w::\w|failed to extract|SecretArg|Pem\b|Option<|Vec<|PyAny|Bound<|\bi64\b|\bu32\b|\bu16\b|\bf64\b|"
    r"ClientBuilder|from_env\(\)|expose_secret|RotateError|CancellationToken|PyErr|struct|enum "
)


def _message(call: Callable[[], Any]) -> tuple[type[BaseException], str]:
    try:
        call()
    except BaseException as e:  # noqa: BLE001
        return type(e), str(e)
    raise AssertionError("the call did not raise")


def test_wrong_argument_types_raise_type_errors_naming_the_parameter(emulator: Emulator) -> None:
    base = emulator.base_url
    with admin(emulator) as client:
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("api_key", lambda: nak.Client(123, base_url=base)),  # type: ignore[arg-type]
            ("org_api_key", lambda: nak.Client(org_api_key=b"k", base_url=base)),  # type: ignore[arg-type]
            ("base_url", lambda: nak.Client("k" * 64, base_url=5)),  # type: ignore[arg-type]
            ("timeout", lambda: nak.Client("k" * 64, timeout="60")),  # type: ignore[arg-type]
            ("max_retries", lambda: nak.Client("k" * 64, max_retries=1.5)),  # type: ignore[arg-type]
            ("throttle", lambda: nak.Client("k" * 64, throttle="yes")),  # type: ignore[arg-type]
            ("ca_cert_pem", lambda: nak.Client("k" * 64, ca_cert_pem=1)),  # type: ignore[arg-type]
            ("key_name", lambda: client.create_api_key(None)),  # type: ignore[arg-type]
            ("key_id", lambda: client.revoke_api_key("5000")),  # type: ignore[arg-type]
            ("key_id", lambda: client.revoke_api_key(True)),
            ("org_id", lambda: client.list_org_api_keys(42)),  # type: ignore[arg-type]
            ("project_id", lambda: client.create_org_api_key("org-acme-1234", "n", 7)),  # type: ignore[arg-type]
            ("since", lambda: client.unused_api_keys("2024-01-01")),  # type: ignore[arg-type]
            ("since", lambda: client.unused_api_keys(datetime(2024, 1, 1))),
            ("request_id", lambda: client.list_api_keys(request_id=1)),  # type: ignore[arg-type]
            ("store", lambda: client.rotate_api_key(1001, store=None)),  # type: ignore[arg-type]
            ("new_name", lambda: client.rotate_api_key(1001, store=print, new_name=1)),  # type: ignore[arg-type]
            ("value", lambda: nak.ApiKeySecret(42)),  # type: ignore[arg-type]
            ("id", lambda: nak.ApiKey(id="1", name="x")),  # type: ignore[arg-type]
            ("new_key", lambda: nak.Rotation(new_key=None, old_key_id=1)),  # type: ignore[arg-type]
            ("created_by", lambda: nak.ApiKey(id=1, name="x", created_by="me")),  # type: ignore[arg-type]
            ("last_used_from_addr", lambda: nak.ApiKey(id=1, name="x", last_used_from_addr="1.2.3.4")),  # type: ignore[arg-type]
        ]
        for parameter, call in cases:
            kind, text = _message(call)
            assert kind is TypeError, (parameter, kind, text)
            assert text.startswith(parameter + " must be"), (parameter, text)
            assert not RUST_ISMS.search(text), (parameter, text)
    assert emulator.requests() == []


def test_no_message_a_user_sees_names_rust(emulator: Emulator) -> None:
    texts: list[str] = []
    with admin(emulator) as client:
        for call in (
            lambda: client.revoke_api_key(2**64),
            lambda: client.revoke_api_key(-1),
            lambda: client.create_api_key(""),
            lambda: client.create_api_key("x\u202ey"),
            lambda: client.list_org_api_keys("Not An Org"),
            lambda: client.list_api_keys(timeout=float("nan")),
            lambda: client.rotate_api_key(999999, store=print),
            lambda: nak.Client("k" * 64, max_retries=-1),
            lambda: nak.Client("k" * 64, base_url="http://example.com/api/v2"),
            lambda: nak.Client(base_url=emulator.base_url).list_api_keys(),
            lambda: nak.Client(org_api_key="k" * 64, base_url=emulator.base_url).list_api_keys(),
            lambda: client.rotate_api_key(1001, store=print, wait_for_use=-1),
        ):
            texts.append(_message(call)[1])
    leaks = [t for t in texts if RUST_ISMS.search(t)]
    assert not leaks, leaks
    assert len(texts) == 12


async def test_async_messages_speak_python(emulator: Emulator) -> None:
    async with admin_async(emulator) as client:
        with pytest.raises(TypeError, match="^key_id must be an int, got str$"):
            await client.revoke_api_key("1")  # type: ignore[arg-type]
        with pytest.raises(RuntimeError, match="cannot reuse already awaited coroutine"):
            call = client.auth_details()
            await call
            await call


# -- one place for each decision ------------------------------------------------------------------------------


def _stub_methods(class_name: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(STUB.read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    return {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("class_name", ["Client", "AsyncClient"])
def test_every_core_operation_is_a_method_and_in_the_stub(class_name: str) -> None:
    """Fails when Client, AsyncClient or _native.pyi misses one of the core's OPERATIONS (or an argument)."""
    import inspect

    cls = getattr(nak, class_name)
    stub = _stub_methods(class_name)
    assert len(nak.OPERATIONS) == 14
    names = [op[0] for op in nak.OPERATIONS]
    assert names.index("rotate_keychain_key") == names.index("rotate_org_api_key") + 1
    assert dict((op[0], op[1]) for op in nak.OPERATIONS)["rotate_keychain_key"] == (
        "keychain", "new_name?", "wait_for_use?")
    for name, args, summary in nak.OPERATIONS:
        assert summary
        assert hasattr(cls, name), f"{class_name} lacks {name}"
        params = inspect.signature(getattr(cls, name)).parameters
        node = stub.get(name)
        assert node is not None, f"_native.pyi lacks {class_name}.{name}"
        stub_names = {a.arg for a in node.args.args + node.args.kwonlyargs}
        for arg in args:
            bare = arg.rstrip("?")
            assert bare in params, f"{class_name}.{name} lacks argument {bare}"
            assert bare in stub_names, f"_native.pyi {class_name}.{name} lacks argument {bare}"
            optional = params[bare].default is not inspect.Parameter.empty
            assert optional == arg.endswith("?"), f"{class_name}.{name}({bare}): optional is {optional}"


def test_every_error_kind_has_its_class() -> None:
    from neon_api_keys import _native
    from neon_api_keys.errors import KIND_CLASSES

    assert sorted(_native._ERROR_KINDS) == sorted(KIND_CLASSES)
    for kind, cls in KIND_CLASSES.items():
        assert cls.kind == kind and issubclass(cls, nak.NeonError) and cls.__doc__
        assert getattr(nak, cls.__name__) is cls


def test_the_defaults_are_the_cores() -> None:
    assert (nak.DEFAULT_TIMEOUT, nak.DEFAULT_CONNECT_TIMEOUT, nak.DEFAULT_ATTEMPT_TIMEOUT) == (60.0, 5.0, 30.0)
    assert (nak.DEFAULT_MAX_RETRIES, nak.DEFAULT_BACKOFF_BASE, nak.DEFAULT_BACKOFF_CAP) == (2, 0.25, 10.0)
    assert nak.DEFAULT_MAX_RETRY_WAIT == 10.0 and nak.DEFAULT_BASE_URL.startswith("https://")
    import inspect

    for cls in (nak.Client, nak.AsyncClient):
        for method in (cls, cls.from_env):
            params = inspect.signature(method).parameters
            assert all(p.default is None for p in params.values()), "a copied default number in the signature"
        assert "DEFAULT_TIMEOUT" in (cls.__doc__ or "") + (cls.__new__.__doc__ or "")
