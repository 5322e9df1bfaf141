"""Test your own code against Neon's API-key endpoints offline: the SDK's emulator, in-process.

    from neon_api_keys.testing import Emulator

    with Emulator() as emu:
        with emu.client() as client:                  # a Client pointed at the emulator (the seeded admin key)
            key = client.create_api_key("ci")
        emu.add_fault("GET", "/api_keys", {"type": "delay", "ms": 300})
        emu.respond("POST", "/api_keys", 503, json={"code": "", "message": "down"})
        assert emu.requests()[-1]["path"] == "/api_keys"

With pytest the ``neon_emulator`` fixture (installed as a pytest plugin, ``neon_api_keys.pytest_plugin``) gives
each test an emulator reset to its seed, and ``neon_emulator_env`` also sets ``NEON_API_KEY`` and
``NEON_API_HOST`` so that code calling ``neon_api_keys.Client()`` talks to it.

The emulator follows Neon's API (shapes, errors, permissions, rate limits when switched on) and has a control API
(``control_url``) for seeding, inspection and fault injection down to the TCP connection: see the emulator's README
for every fault action (``respond``, ``respond_after``, ``delay``, ``stall``, ``reset_before``, ``reset_after``,
``truncate``, ``patch_json``, ``trickle``, ``close_after``).
"""

from __future__ import annotations

import json as _json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Dict, List, Mapping, Optional, Union

from . import AsyncClient, Client
from ._native import _Emulator  # pyright: ignore[reportPrivateUsage]

__all__ = ["Emulator", "EmulatorError", "Seed"]

# Client settings for tests: fast retries (the library's defaults back off for seconds on purpose).
_CLIENT_DEFAULTS: Dict[str, Any] = {"backoff_base": 0.01, "backoff_cap": 0.1, "max_retry_wait": 2.0}
_UNSET: Any = object()


class EmulatorError(RuntimeError):
    """The emulator's control API refused a request (a malformed fault, an unknown owner, ...)."""


@dataclass(frozen=True)
class Seed:
    """The emulator's seeded world (restored by every reset). Secrets are the emulator's fixed test keys."""

    personal_api_key: str
    """The admin's personal key (admin of ``org_id``)."""
    second_admin_api_key: str
    """The personal key of a second admin of ``org_id`` ("Bo Admin"): a colleague whose keys share the org."""
    member_api_key: str
    """A plain member's personal key."""
    org_api_key: str
    """The organization-wide key of ``org_id``."""
    project_api_key: str
    """An org key scoped to ``project_id``."""
    revoked_api_key: str
    """A revoked personal key (401)."""
    org_id: str
    project_id: str
    other_project_id: str
    """Another project of the org."""
    personal_project_id: str
    """The admin's own project (no org)."""
    ids: Dict[str, int] = field(default_factory=lambda: dict[str, int]())
    """Key ids by role: admin, admin2, member, org, project, revoked."""
    users: Dict[str, str] = field(default_factory=lambda: dict[str, str]())
    """User uuids: admin, admin2, member."""
    raw: Dict[str, Any] = field(default_factory=lambda: dict[str, Any](), repr=False)
    """The seed JSON as the emulator sent it."""

    @property
    def second_admin_key_id(self) -> int:
        """The id of the second admin's personal key."""
        return self.ids["admin2"]

    @property
    def second_admin_user_id(self) -> str:
        """The second admin's user uuid."""
        return self.users["admin2"]

    @classmethod
    def from_json(cls, seed: Mapping[str, Any]) -> Seed:
        keys = seed["keys"]
        return cls(
            personal_api_key=keys["admin"],
            second_admin_api_key=keys["admin2"],
            member_api_key=keys["member"],
            org_api_key=keys["org"],
            project_api_key=keys["project"],
            revoked_api_key=keys["revoked"],
            org_id=seed["org_id"],
            project_id=seed["project_id"],
            other_project_id=seed["other_project_id"],
            personal_project_id=seed["personal_project_id"],
            ids=dict(seed.get("ids", {})),
            users=dict(seed.get("users", {})),
            raw=dict(seed),
        )


Action = Union[str, Mapping[str, Any]]
"""A fault action: ``{"type": "delay", "ms": 300}``, or just the type for actions without fields (``"stall"``)."""


class Emulator:
    """Neon's API-key endpoints, emulated in this process on a free port of 127.0.0.1.

    ``Emulator(rate_limits=False)`` starts it; ``close()`` (or leaving the ``with`` block) stops it. Rate limits
    (Neon's 700/min, 40/s per route, 10/s org key creation) are off unless asked for.
    """

    def __init__(self, rate_limits: bool = False) -> None:
        self._server = _Emulator(rate_limits)
        self._rate_limits = rate_limits
        startup = _json.loads(self._server.startup_json)
        self.base_url: str = self._server.base_url
        """The Neon API base URL (``http://127.0.0.1:PORT/api/v2``): a client's ``base_url`` / ``NEON_API_HOST``."""
        self.control_url: str = self._server.control_url
        """The control API (``http://127.0.0.1:PORT/_emulator``)."""
        self.seed: Seed = Seed.from_json(startup["seed"])
        """The seeded keys and ids."""
        # Never send control calls through an HTTP proxy from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- lifecycle ----------------------------------------------------------------------------------------

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stops the server (idempotent); stalled requests end, clients see connection errors."""
        self._server.stop()

    @property
    def running(self) -> bool:
        """Whether the server is running."""
        return self._server.running

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r}, running={self.running})"

    # -- clients ------------------------------------------------------------------------------------------

    def client(self, **kwargs: Any) -> Client:
        """A ``Client`` pointed at the emulator with the seeded admin's personal key and fast retries; keyword
        arguments override (``api_key=emu.seed.org_api_key``, ``max_retries=0``, ...)."""
        return Client(**self._client_kwargs(kwargs))

    def async_client(self, **kwargs: Any) -> AsyncClient:
        """An ``AsyncClient`` pointed at the emulator, like ``client()``."""
        return AsyncClient(**self._client_kwargs(kwargs))

    def _client_kwargs(self, overrides: Mapping[str, Any]) -> Dict[str, Any]:
        return {"api_key": self.seed.personal_api_key, "base_url": self.base_url, **_CLIENT_DEFAULTS, **overrides}

    def env(self, api_key: Optional[str] = None) -> Dict[str, str]:
        """The environment that makes ``Client()`` use the emulator: ``NEON_API_KEY`` (the admin's key unless
        given) and ``NEON_API_HOST``."""
        return {"NEON_API_KEY": api_key or self.seed.personal_api_key, "NEON_API_HOST": self.base_url}

    # -- state --------------------------------------------------------------------------------------------

    def reset(self, rate_limits: Optional[bool] = None) -> Seed:
        """Restores the seed (keys, projects), clears faults and the request log; ``rate_limits`` sets the
        switch (``None``: the value given to the constructor)."""
        self._server.reset(self._rate_limits if rate_limits is None else rate_limits)
        return self.seed

    def set_rate_limits(self, enabled: bool) -> None:
        """Turns Neon's rate limits on or off (until the next reset)."""
        self._server.set_rate_limits(enabled)

    def set_clock_offset(self, seconds: float) -> None:
        """Runs the emulator's clock ``seconds`` ahead of this machine's (negative: behind) until the next reset:
        keys' timestamps and every response's ``Date`` header follow it, as a Neon whose clock differs from
        yours would. Seconds, like every duration of the SDK (rounded to the millisecond)."""
        self._server.set_clock_offset_ms(round(seconds * 1000))

    def set_name_conflict_status(self, status: int) -> None:
        """The status a duplicate key name gets until the next reset: 409 (Neon's), 400 or 422; anything else is
        a ValueError."""
        self._server.set_name_conflict_status(status)

    def state(self) -> Dict[str, Any]:
        """Every key, revoked ones included, without secrets: ``{"api_keys": [...], "org_api_keys": [...]}``."""
        result: Dict[str, Any] = self._call("GET", "/state")
        return result

    def keys(self) -> List[Dict[str, Any]]:
        """Personal and organization keys of ``state()`` in one list."""
        state = self.state()
        return list(state.get("api_keys", [])) + list(state.get("org_api_keys", []))

    def add_key(self, owner: str = "admin", name: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
        """Seeds a key: ``owner`` is ``admin``, ``admin2``, ``member`` or ``org``; optional ``name``,
        ``project_id`` (org keys), ``created_at``/``last_used_at`` (RFC 3339), ``created_by`` (``admin`` or
        ``admin2``), ``last_used_from_addr``, ``revoked``, ``allow_duplicate_name`` (names are otherwise unique
        among an account's live keys, as on Neon). Returns the create response (with the secret ``key``)."""
        body: Dict[str, Any] = {"owner": owner, **fields}
        if name is not None:
            body["name"] = name
        result: Dict[str, Any] = self._call("POST", "/keys", body)
        return result

    def use_key(self, key_id: int) -> None:
        """Marks a key as used, as an application using it would (its ``last_used_at`` moves one second later on
        the emulator's clock): for rotations with ``wait_for_use``."""
        self._call("POST", f"/keys/{key_id}/use")

    def secrets(self) -> Dict[str, str]:
        """The secret of every key that existed since the last reset, by id: for sweeps that assert no secret
        reached your logs, exceptions or output."""
        result: Dict[str, str] = self._call("GET", "/secrets")
        return result

    def requests(self, method: Optional[str] = None, path: Optional[str] = None) -> List[Dict[str, Any]]:
        """The Neon API requests received since the last reset, oldest first: ``{"seq", "method", "path",
        "request_id", "auth", "body", "status", "fault"?...}`` (``auth`` names the key's role, never the
        token). ``method``/``path`` filter."""
        query = {k: v for k, v in (("method", method), ("path", path)) if v is not None}
        suffix = "?" + urllib.parse.urlencode(query) if query else ""
        result: List[Dict[str, Any]] = self._call("GET", "/requests" + suffix)
        return result

    def clear_requests(self) -> None:
        """Empties the request log."""
        self._call("DELETE", "/requests")

    # -- faults -------------------------------------------------------------------------------------------

    def add_fault(self, method: Optional[str], path: str, action: Action, times: int = 1) -> None:
        """Makes the next ``times`` matching requests (0: all of them) misbehave. ``method`` is case-insensitive
        (``None``: any), ``path`` is without ``/api/v2`` and ``*`` matches one segment (``/api_keys/*``).
        ``action`` is ``{"type": ..., ...}`` or a bare type: ``{"type": "delay", "ms": 300}``, ``"stall"``,
        ``"reset_before"``, ``"reset_after"``, ``{"type": "truncate", "bytes": 10}``, ... Faults apply in the
        order they were added."""
        body: Dict[str, Any] = {
            "path": path,
            "times": times,
            "action": {"type": action} if isinstance(action, str) else dict(action),
        }
        if method is not None:
            body["method"] = method
        self._call("POST", "/faults", body)

    def respond(
        self,
        method: Optional[str],
        path: str,
        status: int,
        *,
        json: Any = _UNSET,
        body: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        times: int = 1,
        after: bool = False,
    ) -> None:
        """Answers the next ``times`` matching requests with ``status`` and a ``json`` value or a text ``body``
        (neither: Neon's generic error for that status) and extra ``headers`` (``{"retry-after": "1"}``).
        With ``after=True`` the real handler runs first (a create DOES happen) and its answer is replaced."""
        action: Dict[str, Any] = {"type": "respond_after" if after else "respond", "status": status}
        if json is not _UNSET:
            action["json"] = json
        if body is not None:
            action["body"] = body
        if headers is not None:
            action["headers"] = dict(headers)
        self.add_fault(method, path, action, times)

    def delay(self, method: Optional[str], path: str, ms: int, times: int = 1) -> None:
        """Waits ``ms`` milliseconds before handling the next ``times`` matching requests."""
        self.add_fault(method, path, {"type": "delay", "ms": ms}, times)

    def stall(self, method: Optional[str], path: str, times: int = 1) -> None:
        """Never answers the next ``times`` matching requests (the client's timeout must end them)."""
        self.add_fault(method, path, "stall", times)

    def faults(self) -> List[Dict[str, Any]]:
        """The queued faults with their remaining uses and hits."""
        result: List[Dict[str, Any]] = self._call("GET", "/faults")
        return result

    def clear_faults(self) -> None:
        """Removes every queued fault."""
        self._call("DELETE", "/faults")

    # -- control API --------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else _json.dumps(body).encode()
        request = urllib.request.Request(
            self.control_url + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        try:
            with self._opener.open(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace")
            raise EmulatorError(f"emulator control {method} {path}: HTTP {error.code}: {detail}") from None
        return _json.loads(raw) if raw.strip() else None
