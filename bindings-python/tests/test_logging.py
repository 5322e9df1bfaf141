"""The core's log events in Python's `logging` (logger `neon_api_keys`): a retried call yields a retry record with
its reason, wait and request id; records carry their fields as attributes; nothing below the configured level is
emitted; level changes apply from the next call; no record holds a secret; and interpreter exit with calls still
logging neither hangs nor crashes."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest

import neon_api_keys as nak
from emulator import Emulator
from helpers import FAST, admin

LOGGER = "neon_api_keys"


def _fail_once(emulator: Emulator, status: int = 503) -> None:
    emulator.add_fault({"method": "GET", "path": "/api_keys", "action": {"type": "respond", "status": status}})


def _ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER]


def _everything(record: logging.LogRecord) -> str:
    """All a handler could show of a record: its message and every attribute."""
    return record.getMessage() + "\n" + "\n".join(f"{k}={v!r}" for k, v in vars(record).items())


def test_a_retried_call_logs_the_retry_with_reason_wait_and_request_id(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    _fail_once(emulator)
    with admin(emulator, max_retries=2) as client:
        client.list_api_keys(request_id="req-retried-1")
    records = _ours(caplog)
    retries = [r for r in records if getattr(r, "neon_event", None) == "retrying"]
    assert len(retries) == 1
    retry: Any = retries[0]
    assert retry.levelno == logging.INFO
    assert "503" in retry.failure and retry.wait_ms.isdigit() and retry.attempt == "1"
    assert retry.request_id == "req-retried-1"
    assert (retry.op, retry.method, retry.route) == ("list_api_keys", "GET", "/api_keys")
    assert retry.neon_fields["failure"] == retry.failure and retry.neon_fields["request_id"] == "req-retried-1"
    message = retry.getMessage()
    assert message.startswith("retrying ") and "wait_ms=" in message and "request_id=req-retried-1" in message
    responses = [r for r in records if getattr(r, "neon_event", None) == "response"]
    assert [(r.levelno, getattr(r, "status")) for r in responses] == [(logging.DEBUG, "503"), (logging.DEBUG, "200")]
    assert all(getattr(r, "elapsed_ms").isdigit() for r in responses)
    assert len(emulator.requests()) == 2


async def test_async_calls_log_from_the_runtime(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    _fail_once(emulator)
    async with nak.AsyncClient(emulator.seed["keys"]["admin"], base_url=emulator.base_url,
                               **{**FAST, "max_retries": 1}) as client:
        await client.list_api_keys(request_id="req-async-1")
    retries = [r for r in _ours(caplog) if getattr(r, "neon_event", None) == "retrying"]
    assert [getattr(r, "request_id") for r in retries] == ["req-async-1"]


@pytest.fixture
def forwarded(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> list[int]:
    """The levels of the records the SDK handed to the logger (its `log` method, which the bridge calls), with
    the logger at DEBUG and caplog capturing everything: what a test sees here got past the SDK's own level
    check, before `logging` filtered anything."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    logger = logging.getLogger(LOGGER)
    levels: list[int] = []
    log = logger.log

    def counting(level: int, msg: object, *args: object, **kwargs: Any) -> None:
        levels.append(level)
        log(level, msg, *args, **kwargs)

    monkeypatch.setattr(logger, "log", counting)
    return levels


def test_nothing_below_the_configured_level(emulator: Emulator, forwarded: list[int]) -> None:
    """Records below the logger's level are never built: the SDK does not even call into Python for them."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    _fail_once(emulator)
    with admin(emulator, max_retries=1) as client:
        client.list_api_keys()
    assert forwarded == [logging.INFO]  # the retry; the sends and responses at DEBUG were never built
    forwarded.clear()
    logger.setLevel(logging.WARNING)
    _fail_once(emulator)
    with admin(emulator, max_retries=1) as client:
        client.list_api_keys()
    assert forwarded == []
    assert len(emulator.requests()) == 4  # both calls were retried all the same


def test_a_level_change_applies_from_the_next_call(emulator: Emulator, forwarded: list[int]) -> None:
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.WARNING)
    with admin(emulator) as client:
        client.auth_details()
        assert forwarded == []
        logger.setLevel(logging.DEBUG)
        client.auth_details()
        assert forwarded == [logging.DEBUG, logging.DEBUG]  # sending, response
        forwarded.clear()
        logger.disabled = True
        try:
            client.auth_details()
        finally:
            logger.disabled = False
        assert forwarded == []
        logging.disable(logging.INFO)
        try:
            client.auth_details()
        finally:
            logging.disable(logging.NOTSET)
        assert forwarded == []
        logging.getLogger().setLevel(logging.getLogger().level)  # any reconfiguration is noticed
        client.auth_details()
        assert forwarded == [logging.DEBUG, logging.DEBUG]


def test_a_lost_create_is_a_warning(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER)
    emulator.add_fault({"method": "POST", "path": "/api_keys", "action": {"type": "reset_after"}})
    with admin(emulator) as client:
        with pytest.raises(nak.OutcomeUnknownError):
            client.create_api_key("lost")
    warnings = [r for r in _ours(caplog) if r.levelno == logging.WARNING]
    assert [getattr(r, "neon_event") for r in warnings] == ["create outcome unknown"]
    assert getattr(warnings[0], "op") == "create_api_key"


def test_no_record_holds_a_secret(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    """A retried call, a rotation and a failing create, all logged at DEBUG with a client whose key and whose
    created keys are random secrets: none of them is in any record."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    with admin(emulator) as creator:
        own = creator.create_api_key("logging-client")
    stored: list[nak.CreatedApiKey] = []
    with nak.Client(own.key, base_url=emulator.base_url, **{**FAST, "max_retries": 2}) as client:
        _fail_once(emulator)
        client.list_api_keys(request_id="req-secret-sweep")
        made = client.create_api_key("logged-create")
        client.rotate_api_key(made.id, store=stored.append, new_name="logged-create-2")
        emulator.add_fault({"method": "POST", "path": "/api_keys", "action": {"type": "respond", "status": 500,
                            "json": {"code": "", "message": f"echo {own.key.reveal()}"}}})
        with pytest.raises(nak.NeonError):
            client.create_api_key("logged-failure")
    secrets = [own.key.reveal(), made.key.reveal(), stored[0].key.reveal()]
    records = _ours(caplog)
    assert {"retrying", "response", "rotation: the new key is stored"} <= {getattr(r, "neon_event") for r in records}
    text = "\n".join(_everything(r) for r in records)
    assert not [s[:6] for s in secrets if s in text]
    assert len(records) > 10


def test_the_logger_has_only_a_null_handler_and_propagates() -> None:
    logger = logging.getLogger(LOGGER)
    assert [type(h) for h in logger.handlers] == [logging.NullHandler]
    assert logger.propagate


EXIT_WHILE_LOGGING = textwrap.dedent(
    """
    import atexit, sys, time

    def after_the_sdk_stopped():
        # atexit runs last-registered first: this runs after neon_api_keys' own exit hook, while the calls
        # still retry on their threads. No record may reach logging from here on.
        sys.stderr.write("EXIT BEGAN\\n")
        time.sleep(0.5)

    atexit.register(after_the_sdk_stopped)

    import asyncio, logging, threading
    import neon_api_keys as nak
    key, base = sys.argv[1], sys.argv[2]
    logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    settings = dict(base_url=base, max_retries=1000, backoff_base=0.001, backoff_cap=0.002, throttle=False)
    retrying = {"blocking": threading.Event(), "async": threading.Event()}

    class Watch(logging.Handler):
        def emit(self, record):
            if getattr(record, "neon_event", None) == "retrying":
                retrying[record.request_id].set()

    logging.getLogger("neon_api_keys").addHandler(Watch())

    def blocking():
        try:
            nak.Client(key, **settings).list_api_keys(request_id="blocking")
        except nak.NeonError:
            pass  # out of retries: the call ended, which is fine too

    def in_a_loop():
        async def call():
            try:
                await nak.AsyncClient(key, **settings).list_api_keys(request_id="async")
            except nak.NeonError:
                pass
        asyncio.run(call())

    for target in (blocking, in_a_loop):
        threading.Thread(target=target, daemon=True).start()
    for event in retrying.values():
        assert event.wait(30), "no retry was logged"
    print("exiting", flush=True)
    """
)


def test_interpreter_exit_while_calls_are_logging(emulator: Emulator) -> None:
    """Calls on a daemon thread and on the runtime keep retrying (and logging) while the interpreter exits: once
    exit has begun no record reaches Python any more (later, during finalization, taking the GIL from another
    thread would crash or hang), and the process exits cleanly."""
    emulator.add_fault({"method": "GET", "path": "/api_keys", "times": 0, "action": {"type": "respond",
                                                                                   "status": 503}})
    out = subprocess.run(
        [sys.executable, "-c", EXIT_WHILE_LOGGING, emulator.seed["keys"]["admin"], emulator.base_url],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "exiting"
    assert "Fatal Python error" not in out.stderr and "panicked" not in out.stderr
    before, began, after = out.stderr.partition("EXIT BEGAN\n")
    assert began and "retrying" in before
    assert not re.search(r"^[A-Z]+:neon_api_keys:", after, re.MULTILINE), after[:2000]
