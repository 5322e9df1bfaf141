"""Keychain entries (on Linux the kernel keyring): round trips, overwrites, deletes and missing entries, records the
SDK did not write, a Keychain as a rotation's store and as a client's credentials, rotation in place (also when
the save fails), and secrets that never show in a repr, a str or an exception. Every entry is named for its test
and emptied after it (the `keychain_entry` fixture)."""

from __future__ import annotations

import json
import pickle
import sys
import traceback
from datetime import datetime, timezone
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import pytest

import neon_api_keys as nak
from emulator import Emulator
from helpers import FAST, admin, admin_async, write_raw_keychain_entry

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="tests the Linux kernel keyring backend")

SENTINEL = "sentinel" + "k9" * 28  # 64 characters, like a real key
Entry = Callable[..., nak.Keychain]


def _texts(*values: Any) -> str:
    """Everything a value or exception shows: repr, str, and for exceptions the traceback and attributes."""
    parts: list[str] = []
    for value in values:
        parts += [repr(value), str(value)]
        if isinstance(value, BaseException):
            parts.append("".join(traceback.format_exception(value)))
            parts += [repr(getattr(value, n, None)) for n in dir(value) if not n.startswith("__")]
    return "\n".join(parts)


def _key(**fields: Any) -> nak.CreatedApiKey:
    values: dict[str, Any] = {"id": 7001, "key": SENTINEL, "name": "deploy"}
    values.update(fields)
    return nak.CreatedApiKey(**values)


def _keys(emulator: Emulator) -> dict[int, dict[str, Any]]:
    return {k["id"]: k for k in emulator.all_keys()}


def _entry_holding_a_new_key(emulator: Emulator, keychain_entry: Entry, name: str) -> tuple[nak.Keychain,
                                                                                           nak.CreatedApiKey]:
    """An entry holding a personal key the seed admin just created."""
    entry = keychain_entry()
    with admin(emulator) as creator:
        key = creator.create_api_key(name)
    entry.save(key)
    return entry, key


@contextmanager
def _next_save_refused() -> Iterator[None]:
    """The next keychain save of this process fails with KeychainError (the core's test hook); none after."""
    nak._native._refuse_keychain_saves_for_test(1)
    try:
        yield
    finally:
        nak._native._refuse_keychain_saves_for_test(0)


def test_backend_and_names(keychain_entry: Entry) -> None:
    entry = keychain_entry()
    assert nak.Keychain.backend == "Linux kernel keyring (keyutils)"
    assert entry.backend == nak.Keychain.backend
    assert entry.account == "app" and entry.service.startswith("neon-api-keys-python-test-")
    assert repr(entry) == (
        f"Keychain(service={entry.service!r}, account='app', backend='Linux kernel keyring (keyutils)')"
    )
    same = nak.Keychain(entry.service, "app")
    assert same == entry and hash(same) == hash(entry) and same != nak.Keychain(entry.service, "other")
    assert pickle.loads(pickle.dumps(entry)) == entry


@pytest.mark.parametrize("service, account", [("", "a"), ("s", ""), ("s\n", "a"), ("s", "x" * 201)])
def test_bad_names_are_invalid_input(service: str, account: str) -> None:
    with pytest.raises(nak.InvalidInputError, match="keychain"):
        nak.Keychain(service, account)


def test_wrong_types_name_the_parameter(keychain_entry: Entry) -> None:
    with pytest.raises(TypeError, match="service must be a str, got int"):
        nak.Keychain(1, "a")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="key must be a CreatedApiKey, got dict"):
        keychain_entry().save({"id": 1})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="keychain must be a Keychain, got tuple"):
        nak.Client(keychain=("svc", "acct"))  # type: ignore[arg-type]


def test_missing_entry(keychain_entry: Entry) -> None:
    entry = keychain_entry()
    assert entry.load() is None
    assert entry.exists() is False
    assert entry.delete() is False


def test_round_trip_keeps_every_field(keychain_entry: Entry) -> None:
    entry = keychain_entry()
    created = datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    key = _key(created_at=created, created_by="11111111-1111-4111-8111-111111111111",
               project_id="proj-alpha-5678", org_id="org-acme-1234")
    assert entry.save(key) is None
    assert entry.exists() is True
    loaded = entry.load()
    assert isinstance(loaded, nak.CreatedApiKey) and isinstance(loaded.key, nak.ApiKeySecret)
    assert loaded.key.reveal() == SENTINEL
    assert loaded.to_dict() | {"key": None} == key.to_dict() | {"key": None}
    assert loaded == key
    personal = _key(id=7002)
    entry.save(personal)
    again = entry.load()
    assert again is not None and (again.id, again.org_id, again.project_id, again.created_at) == (
        7002, None, None, None)


def test_save_overwrites_and_delete_empties(keychain_entry: Entry) -> None:
    entry = keychain_entry()
    entry.save(_key(id=1, key="first-secret-value-0001"))
    entry(_key(id=2, key="second-secret-value-0002", name="second"))  # callable: the same as save
    loaded = entry.load()
    assert loaded is not None and (loaded.id, loaded.name, loaded.key.reveal()) == (
        2, "second", "second-secret-value-0002")
    assert entry.delete() is True
    assert (entry.load(), entry.exists(), entry.delete()) == (None, False, False)


def test_entries_are_independent(keychain_entry: Entry) -> None:
    one, two = keychain_entry("one"), keychain_entry("two")
    one.save(_key(id=11))
    assert two.load() is None
    two.save(_key(id=12))
    loaded_one, loaded_two = one.load(), two.load()
    assert loaded_one is not None and loaded_two is not None and (loaded_one.id, loaded_two.id) == (11, 12)


@pytest.mark.parametrize(
    "payload, names",
    [
        (f"not json {SENTINEL}".encode(), "holds no key record of this SDK"),
        (json.dumps({"version": 1, "id": 5, "name": "x", "key": SENTINEL, "extra": SENTINEL}).encode(),
         "holds no key record of this SDK"),
        (json.dumps({"version": 1, "id": 5, "name": "x"}).encode(), "holds no key record of this SDK"),
        (json.dumps({"version": 2, "id": 5, "name": "x", "key": SENTINEL}).encode(), "cannot use"),
        (json.dumps({"version": 1, "id": 0, "name": "x", "key": SENTINEL}).encode(), "cannot use"),
        (json.dumps({"version": 1, "id": 5, "name": "x", "key": ""}).encode(), "cannot use"),
        (b"\xff\xfe" + SENTINEL.encode(), "not UTF-8"),
    ],
    ids=["not-json", "unknown-field", "missing-field", "other-version", "bad-id", "empty-secret", "not-utf8"],
)
def test_a_record_the_sdk_did_not_write_is_a_clear_keychain_error(
    keychain_entry: Entry, payload: bytes, names: str
) -> None:
    entry = keychain_entry()
    write_raw_keychain_entry(entry.service, entry.account, payload)
    # The entry exists whatever it holds; only loading it says that it is no record of the SDK.
    assert entry.exists() is True
    with pytest.raises(nak.KeychainError) as info:
        entry.load()
    error = info.value
    assert error.kind == "keychain" and isinstance(error, nak.NeonError)
    assert names in str(error)
    assert "Linux kernel keyring (keyutils)" in str(error) and entry.service in str(error)
    assert SENTINEL not in _texts(error)
    # A client naming the entry fails to build with the same error, never with what the entry holds.
    with pytest.raises(nak.KeychainError) as built:
        nak.Client(keychain=entry, base_url="http://127.0.0.1:9", **FAST)
    assert SENTINEL not in _texts(built.value)
    assert entry.delete() is True and entry.load() is None


def test_secrets_of_an_entry_never_show(keychain_entry: Entry) -> None:
    entry = keychain_entry()
    entry.save(_key())
    loaded = entry.load()
    assert loaded is not None
    for text in (_texts(entry, loaded, loaded.key, loaded.to_dict()), f"{entry} {loaded} {loaded.key}"):
        assert SENTINEL not in text
    with pytest.raises(TypeError, match="secret"):
        pickle.dumps(loaded)


def test_a_keychain_is_a_rotation_store(emulator: Emulator, keychain_entry: Entry) -> None:
    entry = keychain_entry()
    with admin(emulator) as client:
        old = client.create_api_key("stored-app")
        rotation = client.rotate_api_key(old.id, store=entry, new_name="stored-app-2")
    held = entry.load()
    assert held is not None and held.id == rotation.new_key.id and held.name == "stored-app-2"
    assert rotation.is_complete and _keys(emulator)[old.id]["revoked"] is True


def test_a_refused_save_as_store_keeps_the_old_key(emulator: Emulator, keychain_entry: Entry) -> None:
    entry = keychain_entry()
    with admin(emulator) as client:
        old = client.create_api_key("refused-app")
        with _next_save_refused(), pytest.raises(nak.KeychainError) as info:
            client.rotate_api_key(old.id, store=entry, new_name="refused-app-2")
    assert "refused by a test hook" in str(info.value)
    assert any("the old key stays live" in note for note in getattr(info.value, "__notes__", []))
    keys = _keys(emulator)
    assert keys[old.id]["revoked"] is False
    assert [k["revoked"] for k in keys.values() if k["name"] == "refused-app-2"] == [True]
    assert entry.load() is None


def test_client_takes_its_key_from_the_entry(emulator: Emulator, keychain_entry: Entry) -> None:
    entry, key = _entry_holding_a_new_key(emulator, keychain_entry, "from-entry")
    with nak.Client(keychain=entry, base_url=emulator.base_url, **FAST) as client:
        assert any(k.id == key.id for k in client.list_api_keys())
    assert emulator.requests()[-1]["key_id"] == key.id
    # An explicit key wins over the entry.
    member = emulator.seed["keys"]["member"]
    with nak.Client(member, keychain=entry, base_url=emulator.base_url, **FAST) as client:
        client.auth_details()
    assert emulator.requests()[-1]["key_id"] == emulator.seed["ids"]["member"]


def test_an_empty_entry_is_reported_by_the_first_call(emulator: Emulator, keychain_entry: Entry) -> None:
    entry = keychain_entry()
    with nak.Client(keychain=entry, base_url=emulator.base_url, **FAST) as client:
        with pytest.raises(nak.ConfigError, match=entry.service):
            client.list_api_keys()
    assert emulator.requests() == []


def test_a_secret_loaded_from_the_entry_is_scrubbed(emulator: Emulator, keychain_entry: Entry) -> None:
    """The key came from the keychain, never through Python: still, an error echoing it shows [REDACTED]."""
    entry = keychain_entry()
    entry.save(_key())
    emulator.add_fault({"path": "/api_keys", "times": 0, "action": {
        "type": "respond", "status": 400, "json": {"code": "", "message": f"bad key {SENTINEL}"}}})
    with nak.Client(keychain=entry, base_url=emulator.base_url, **FAST) as client:
        with pytest.raises(nak.NeonError) as info:
            client.list_api_keys()
    assert "[REDACTED]" in str(info.value)
    assert SENTINEL not in _texts(info.value)


def test_rotate_keychain_key_in_place(emulator: Emulator, keychain_entry: Entry) -> None:
    entry, old = _entry_holding_a_new_key(emulator, keychain_entry, "in-place")
    with nak.Client(keychain=entry, base_url=emulator.base_url, **FAST) as client:
        rotation = client.rotate_keychain_key(entry, new_name="in-place-2")
        assert isinstance(rotation, nak.Rotation) and rotation.is_complete and rotation.old_key_id == old.id
        held = entry.load()
        assert held is not None and held.id == rotation.new_key.id and held.name == "in-place-2"
        assert held.key.reveal() != old.key.reveal()
        # The client that used the old key moved to the new one.
        client.list_api_keys()
    assert emulator.requests()[-1]["key_id"] == held.id
    assert _keys(emulator)[old.id]["revoked"] is True


def test_rotate_keychain_key_keeps_an_org_keys_scope(emulator: Emulator, keychain_entry: Entry) -> None:
    entry = keychain_entry()
    org, project = emulator.seed["org_id"], emulator.seed["project_id"]
    with admin(emulator) as client:
        old = client.create_org_api_key(org, "scoped", project_id=project)
        assert old.org_id == org
        entry.save(old)
        rotation = client.rotate_keychain_key(entry)
    held = entry.load()
    assert held is not None and (held.org_id, held.project_id) == (org, project)
    assert rotation.new_key.project_id == project and rotation.revoked is not None


def test_rotate_keychain_key_with_a_failing_save_leaves_entry_and_old_key(
    emulator: Emulator, keychain_entry: Entry
) -> None:
    entry = keychain_entry()
    with admin(emulator) as client:
        old = client.create_api_key("kept")
        entry.save(old)
        with _next_save_refused(), pytest.raises(nak.KeychainError) as info:
            client.rotate_keychain_key(entry, new_name="kept-2")
    assert "the old key stays live" in str(info.value)
    held = entry.load()
    assert held is not None and (held.id, held.key.reveal()) == (old.id, old.key.reveal())
    keys = _keys(emulator)
    assert keys[old.id]["revoked"] is False
    assert [k["revoked"] for k in keys.values() if k["name"] == "kept-2"] == [True]
    assert old.key.reveal() not in _texts(info.value)


async def test_rotate_keychain_key_async(emulator: Emulator, keychain_entry: Entry) -> None:
    entry = keychain_entry()
    async with admin_async(emulator) as client:
        old = await client.create_api_key("async-in-place")
        entry.save(old)
        rotation = await client.rotate_keychain_key(entry, new_name="async-in-place-2")
        held = entry.load()
        assert held is not None and held.id == rotation.new_key.id and rotation.is_complete
        with _next_save_refused(), pytest.raises(nak.KeychainError):
            await client.rotate_keychain_key(entry, new_name="async-in-place-3")
    after = entry.load()
    assert after is not None and after.id == held.id
    keys = _keys(emulator)
    assert keys[held.id]["revoked"] is False and keys[old.id]["revoked"] is True


def test_rotating_an_empty_entry_creates_nothing(emulator: Emulator, keychain_entry: Entry) -> None:
    entry = keychain_entry()
    with admin(emulator) as client:
        with pytest.raises(nak.NotFoundError, match="holds no key to rotate"):
            client.rotate_keychain_key(entry)
    assert emulator.requests() == []


def test_org_creates_carry_the_org_id(emulator: Emulator) -> None:
    org = emulator.seed["org_id"]
    with admin(emulator) as client:
        assert client.create_org_api_key(org, "with-org").org_id == org
        assert client.create_api_key("personal").org_id is None
    assert nak.CreatedApiKey(id=1, key="k", name="n", org_id="org-x").org_id == "org-x"
