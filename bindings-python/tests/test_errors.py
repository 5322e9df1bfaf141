"""The exception hierarchy and the attributes errors carry."""

from __future__ import annotations

import pickle
import traceback
from datetime import datetime

import pytest

import neon_api_keys as nak
from helpers import admin, admin_async

KINDS = {
    "invalid_input": nak.InvalidInputError,
    "config": nak.ConfigError,
    "auth": nak.AuthError,
    "permission_denied": nak.PermissionDeniedError,
    "outside_project_scope": nak.OutsideProjectScopeError,
    "not_found": nak.NotFoundError,
    "conflict": nak.ConflictError,
    "locked": nak.LockedError,
    "rate_limited": nak.RateLimitedError,
    "server": nak.ServerError,
    "api": nak.ApiError,
    "timeout": nak.NeonTimeoutError,
    "network": nak.NetworkError,
    "decode": nak.DecodeError,
    "outcome_unknown": nak.OutcomeUnknownError,
    "verification_failed": nak.VerificationFailedError,
    "cancelled": nak.CancelledError,
    "internal": nak.InternalError,
}


def test_every_kind_has_a_subclass_of_neon_error() -> None:
    assert issubclass(nak.NeonError, Exception)
    for cls in KINDS.values():
        assert issubclass(cls, nak.NeonError), cls
        assert cls.__module__ == "neon_api_keys"
        assert cls.__doc__
    assert len(set(KINDS.values())) == len(KINDS)


def test_builtin_bases() -> None:
    assert issubclass(nak.NeonTimeoutError, TimeoutError)
    assert issubclass(nak.InvalidInputError, ValueError)
    assert issubclass(nak.NetworkError, ConnectionError)
    assert not issubclass(nak.NotFoundError, TimeoutError)


def test_not_found_carries_status_message_and_request_id(emulator) -> None:
    with admin(emulator) as client:
        with pytest.raises(nak.NotFoundError) as info:
            client.revoke_api_key(999999, request_id="req-python-404")
    e = info.value
    assert e.kind == "not_found"
    assert e.status == 404
    assert e.request_id == "req-python-404"
    assert isinstance(e.message, str) and e.message
    assert e.code is None
    assert e.retry_after is None
    assert "not_found" in str(e) and "404" in str(e)


def test_request_id_is_sent(emulator) -> None:
    with admin(emulator) as client:
        client.list_api_keys(request_id="req-python-sent")
    assert [r["request_id"] for r in emulator.requests()] == ["req-python-sent"]


def test_auth_error_for_unknown_key(emulator) -> None:
    with nak.Client("z" * 64, base_url=emulator.base_url, max_retries=0) as client:
        with pytest.raises(nak.AuthError) as info:
            client.list_api_keys()
    assert info.value.status == 401


def test_invalid_input_is_raised_before_sending(emulator) -> None:
    with admin(emulator) as client:
        with pytest.raises(nak.InvalidInputError) as info:
            client.create_api_key("x" * 65)
        with pytest.raises(ValueError):
            client.create_api_key("")
    assert info.value.kind == "invalid_input"
    assert emulator.requests() == []


def test_config_errors(emulator) -> None:
    with pytest.raises(nak.ConfigError):
        nak.Client("a" * 64, base_url="http://example.com/api/v2")
    with nak.Client(base_url=emulator.base_url) as client:
        with pytest.raises(nak.ConfigError):
            client.list_api_keys()
    with pytest.raises(nak.InvalidInputError):
        nak.Client("a" * 64, timeout=-1.0)
    with pytest.raises(nak.InvalidInputError):
        nak.Client("a" * 64, connect_timeout=float("nan"))


def test_rate_limited_carries_retry_after(emulator) -> None:
    emulator.add_fault({"method": "GET", "path": "/api_keys", "times": 0, "action": {
        "type": "respond", "status": 429, "json": {"code": "", "message": "slow down"},
        "headers": {"retry-after": "1"}}})
    with admin(emulator) as client:
        with pytest.raises(nak.RateLimitedError) as info:
            client.list_api_keys()
    assert info.value.retry_after == pytest.approx(1.0)
    assert info.value.status == 429


def test_outcome_unknown_carries_the_window(emulator) -> None:
    emulator.add_fault({"method": "POST", "path": "/api_keys", "action": {"type": "reset_after"}})
    with admin(emulator) as client:
        with pytest.raises(nak.OutcomeUnknownError) as info:
            client.create_api_key("maybe-made")
    e = info.value
    assert e.kind == "outcome_unknown"
    assert e.key_name == "maybe-made"
    assert e.org_id is None and e.project_id is None
    assert isinstance(e.not_before, datetime) and isinstance(e.not_after, datetime)
    assert e.not_before.tzinfo is not None
    assert e.not_before <= e.not_after


def test_verification_failed_carries_key_id_and_revoked(emulator) -> None:
    emulator.add_fault({"method": "POST", "path": "/api_keys",
                        "action": {"type": "patch_json", "set": {"key": ""}}})
    with admin(emulator) as client:
        with pytest.raises(nak.VerificationFailedError) as info:
            client.create_api_key("v-key")
    assert info.value.key_id == 5000
    assert info.value.revoked is True


def test_rotation_keeps_the_revoke_error_as_an_exception(emulator) -> None:
    emulator.add_fault({"method": "DELETE", "path": "/api_keys/*", "times": 0,
                        "action": {"type": "respond", "status": 403, "json": {"code": "", "message": "nope"}}})
    with admin(emulator) as client:
        rotation = client.rotate_api_key(emulator.seed["ids"]["admin"], store=lambda key: None, new_name="rotated")
    assert rotation.new_key.name == "rotated"
    assert rotation.revoked is None
    assert rotation.is_complete is False
    assert isinstance(rotation.revoke_error, nak.PermissionDeniedError)
    assert rotation.revoke_error is rotation.revoke_error  # cached, one instance
    assert rotation.revoke_error.status == 403


def test_errors_pickle_with_their_attributes(emulator) -> None:
    with admin(emulator) as client:
        with pytest.raises(nak.NotFoundError) as info:
            client.revoke_api_key(424242)
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is nak.NotFoundError
    assert (copy.kind, copy.status, copy.message) == (info.value.kind, 404, info.value.message)


def test_panic_becomes_internal_error() -> None:
    with pytest.raises(nak.InternalError) as info:
        nak._native._panic_for_test()
    assert "panicked" in str(info.value)


async def test_panic_becomes_internal_error_async() -> None:
    with pytest.raises(nak.InternalError):
        await nak._native._panic_for_test(True)


async def test_async_errors_are_the_same_classes(emulator) -> None:
    async with admin_async(emulator) as client:
        with pytest.raises(nak.NotFoundError) as info:
            await client.revoke_api_key(999999, request_id="req-async-404")
    assert info.value.request_id == "req-async-404"
    assert info.value.status == 404


# -- __cause__: the core error's source chain -------------------------------------------------------------


def test_cause_chain_carries_each_source_scrubbed() -> None:
    """A core error with a source chain (the I/O / TLS error under a network error) raises with `__cause__`
    set to an exception per link, outermost first, each with its text scrubbed of known secrets."""
    from neon_api_keys import _native

    secret = "cause-sentinel-" + "k" * 49
    held = nak.ApiKeySecret(secret)  # scrubbed from every message while it is alive
    e = _native._error_for_test(
        "network",
        "could not connect",
        ["client error (Connect)", f"tcp connect error: token {secret}", "Connection refused (os error 111)"],
    )
    assert isinstance(e, nak.NetworkError)
    assert e.__suppress_context__ is True
    links = []
    cause = e.__cause__
    while cause is not None:
        links.append(cause)
        cause = cause.__cause__
    assert [type(c) for c in links] == [Exception] * 3
    assert [str(c) for c in links] == [
        "client error (Connect)",
        "tcp connect error: token [REDACTED]",
        "Connection refused (os error 111)",
    ]
    text = "".join(traceback.format_exception(type(e), e, None))
    assert "Connection refused (os error 111)" in text
    assert "direct cause" in text
    assert secret not in text
    assert held.reveal() == secret


def test_cause_is_set_on_a_raised_error() -> None:
    from neon_api_keys import _native

    with pytest.raises(nak.DecodeError) as info:
        raise _native._error_for_test("decode", "unreadable", ["expected value at line 1 column 1"])
    assert str(info.value.__cause__) == "expected value at line 1 column 1"


def test_no_source_no_cause(emulator) -> None:  # type: ignore[no-untyped-def]
    from neon_api_keys import _native

    assert _native._error_for_test("network", "x", []).__cause__ is None
    with admin(emulator) as client:
        with pytest.raises(nak.NotFoundError) as info:
            client.revoke_api_key(424242)
    assert info.value.__cause__ is None  # an HTTP error has no underlying cause


def test_real_connection_refused_has_a_cause() -> None:
    with nak.Client("k" * 64, base_url="http://127.0.0.1:9/api/v2", max_retries=0, timeout=5.0) as client:
        with pytest.raises(nak.NetworkError) as info:
            client.list_api_keys()
    cause = info.value.__cause__
    assert cause is not None
    assert "refused" in str(cause).lower() or "connect" in str(cause).lower()
