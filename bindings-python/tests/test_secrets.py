"""Secrets never show: repr/str/format redact, pickling and copying are refused, and a sentinel secret pushed
through every path (errors, tracebacks, logging, reprs) is found nowhere."""

from __future__ import annotations

import copy
import logging
import pickle
import traceback

import pytest

import neon_api_keys as nak
from helpers import FAST, admin, admin_async

SENTINEL = "sentinel" + "q7" * 28  # 64 characters, like a real key


def test_api_key_secret_redacts() -> None:
    secret = nak.ApiKeySecret(SENTINEL)
    assert secret.reveal() == SENTINEL
    for text in (repr(secret), str(secret), f"{secret}", f"{secret!r}", "%s" % secret, format(secret, "")):
        assert SENTINEL not in text
        assert "REDACTED" in text
    assert secret == nak.ApiKeySecret(SENTINEL)
    assert secret != nak.ApiKeySecret("other-secret-value")


@pytest.mark.parametrize("dump", [pickle.dumps, copy.copy, copy.deepcopy])
def test_secret_refuses_pickle_and_copy(dump) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="secret"):
        dump(nak.ApiKeySecret(SENTINEL))


def test_client_accepts_an_api_key_secret(emulator) -> None:
    secret = nak.ApiKeySecret(emulator.seed["keys"]["admin"])
    with nak.Client(secret, base_url=emulator.base_url, **FAST) as client:
        assert any(k.id == 1001 for k in client.list_api_keys())
        assert emulator.seed["keys"]["admin"] not in repr(client)


def test_created_key_and_rotation_hide_the_secret(emulator) -> None:
    with admin(emulator) as client:
        created = client.create_api_key("hidden")
        secret = created.key.reveal()
        assert len(secret) == 64
        for text in (repr(created), str(created), repr(created.key), str(created.key)):
            assert secret not in text
        for dump in (pickle.dumps, copy.copy, copy.deepcopy):
            with pytest.raises(TypeError):
                dump(created)
        stored: list[nak.CreatedApiKey] = []
        rotation = client.rotate_api_key(created.id, store=stored.append, new_name="hidden-2")
        new_secret = stored[0].key.reveal()
        assert len(new_secret) == 64
        # The rotation holds no secret (the store got it), so it pickles: and the secret is in none of it.
        for text in (repr(rotation), str(rotation), repr(rotation.to_dict()), repr(pickle.dumps(rotation))):
            assert new_secret not in text


def _all_text(exc: BaseException) -> str:
    parts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    parts += [repr(getattr(exc, name, None)) for name in dir(exc) if not name.startswith("__")]
    parts += [repr(exc.args), repr(exc.__dict__)]
    return "\n".join(parts)


def _collect(fn, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    try:
        value = fn()
        texts.append(repr(value))
        texts.append(str(value))
    except nak.NeonError as exc:
        texts.append(_all_text(exc))
        logging.getLogger("leak-test").exception("call failed: %s", exc)


def test_sentinel_secret_leaks_nowhere(emulator, caplog, capsys) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    base = emulator.base_url
    # The caller's own (unknown) key: 401.
    with nak.Client(SENTINEL, base_url=base, **FAST) as bad:
        texts.append(repr(bad))
        _collect(bad.list_api_keys, texts)
        _collect(lambda: bad.create_api_key("x"), texts)
    # The caller's key echoed back in an error body.
    with nak.Client(SENTINEL, base_url=base, **FAST) as echo:
        emulator.add_fault({"path": "/api_keys", "times": 0, "action": {
            "type": "respond", "status": 400, "json": {"code": SENTINEL, "message": f"bad key {SENTINEL}",
                                                       "request_id": SENTINEL}}})
        _collect(echo.list_api_keys, texts)
        _collect(lambda: echo.create_api_key("echo"), texts)
        emulator.reset()
    # The org key as org_api_key, echoed in a 500 body (retried, then ServerError).
    with nak.Client(org_api_key=SENTINEL, base_url=base, **FAST) as org:
        emulator.add_fault({"path": "/organizations/*/api_keys", "times": 0, "action": {
            "type": "respond", "status": 500, "body": f"<html>{SENTINEL}</html>"}})
        _collect(lambda: org.list_org_api_keys("org-acme-1234"), texts)
        emulator.reset()
    # Created keys whose responses break: the new secret must not reach the error either.
    with admin(emulator) as client:
        emulator.add_fault({"method": "POST", "path": "/api_keys",
                            "action": {"type": "truncate", "bytes": 60}})
        _collect(lambda: client.create_api_key("truncated"), texts)
        emulator.add_fault({"method": "POST", "path": "/api_keys",
                            "action": {"type": "patch_json", "set": {"id": "not-a-number"}}})
        _collect(lambda: client.create_api_key("broken-id"), texts)
        emulator.add_fault({"method": "POST", "path": "/api_keys",
                            "action": {"type": "patch_json", "set": {"project_id": "proj-beta-9012"}}})
        _collect(lambda: client.create_api_key("bad-scope"), texts)
        created = client.create_api_key("fine")
        texts.append(repr(created))
        _collect(lambda: client.rotate_api_key(created.id, store=lambda key: texts.append(repr(key))), texts)

        def refuse(key: nak.CreatedApiKey) -> None:
            raise RuntimeError(f"vault refused {key!r}")

        try:
            client.rotate_api_key(emulator.seed["ids"]["admin"], store=refuse)
        except RuntimeError as refused:
            texts.append(_all_text(refused))
    secrets = set(emulator.secrets().values()) | {SENTINEL}
    secrets.discard(emulator.seed["keys"]["admin"])  # "aaaa…" would match ordinary runs of "a"
    blob = "\n".join(texts) + "\n" + caplog.text
    assert len(texts) > 10
    leaked = [s[:6] + "…" for s in secrets if s and s in blob]
    assert not leaked, f"secrets found in output: {leaked}"
    with capsys.disabled():
        print(f"\nsecrets sweep python: {len(secrets)} secrets (sentinel + issued), {len(texts)} texts + "
              f"{len(caplog.text)} log chars, {len(blob)} chars scanned: 0 leaks")


async def test_async_errors_do_not_leak(emulator) -> None:
    async with nak.AsyncClient(SENTINEL, base_url=emulator.base_url, **FAST) as bad:
        with pytest.raises(nak.AuthError) as info:
            await bad.list_api_keys()
    assert SENTINEL not in _all_text(info.value)
    async with admin_async(emulator) as client:
        created = await client.create_api_key("async-secret")
        assert created.key.reveal() not in repr(created)
