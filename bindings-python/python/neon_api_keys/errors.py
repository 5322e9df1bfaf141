"""The exceptions of neon_api_keys: ``NeonError`` and one subclass per error kind of the core.

The native module raises instances of these classes (every kind of the core's ``ErrorKind`` has one here, found
through ``KIND_CLASSES``). Each carries ``kind`` (the stable snake_case name, the same in every language),
``status``, ``code``, ``message``, ``request_id`` and ``retry_after``; ``__cause__`` holds the underlying causes
(an I/O or TLS error), each as an ``Exception`` with its text. No message ever contains a secret.

They can be raised and constructed in your own tests: ``NotFoundError("not found", status=404)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Optional, Tuple, Type

__all__ = [
    "ApiError",
    "AuthError",
    "CancelledError",
    "ConfigError",
    "ConflictError",
    "DecodeError",
    "InternalError",
    "InvalidInputError",
    "KIND_CLASSES",
    "KeychainError",
    "LockedError",
    "NeonError",
    "NeonTimeoutError",
    "NetworkError",
    "NotFoundError",
    "OutcomeUnknown",
    "OutcomeUnknownError",
    "OutsideProjectScopeError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "Verification",
    "VerificationFailedError",
]


@dataclass(frozen=True)
class OutcomeUnknown:
    """Where to look for a key whose create may have happened although no answer arrived."""

    key_name: str
    """The name the key was created with."""
    org_id: Optional[str]
    """The organization, for an org or project-scoped key."""
    project_id: Optional[str]
    """The project, for a project-scoped key."""
    not_before: datetime
    """The key, if it exists, was created no earlier than this (Neon's clock, comparable with ``created_at``)."""
    not_after: datetime
    """... and no later than this (Neon's clock)."""
    candidate_ids: Tuple[int, ...] = ()
    """Live keys with this name that may be the one created, when the client looked; else empty."""


@dataclass(frozen=True)
class Verification:
    """What happened to a created key that failed verification."""

    key_id: int
    """The id of the key that came back wrong."""
    revoked: bool
    """Whether the client revoked it. False means a live key remains: revoke it by id."""


class NeonError(Exception):
    """Base class of every error raised by neon_api_keys.

    ``str(error)`` is the full explanation; the attributes give its parts. Messages never contain a secret.
    """

    kind: str = "neon"
    """Stable snake_case name of the error kind (``"not_found"``, ``"outcome_unknown"``, ...)."""
    status: Optional[int]
    """The HTTP status, when a response arrived."""
    code: Optional[str]
    """Neon's error code, when non-empty."""
    message: Optional[str]
    """Neon's message verbatim, or the SDK's explanation."""
    request_id: Optional[str]
    """The request id (from the error body, the response header, or the X-Request-ID sent)."""
    retry_after: Optional[float]
    """Seconds the server asked to wait, if it did."""
    outcome_unknown: Optional[OutcomeUnknown]
    """Where to look for a key a create may have made (OutcomeUnknownError, and errors of a reconciled create)."""
    verification: Optional[Verification]
    """What became of a created key that failed verification (VerificationFailedError)."""

    def __init__(
        self,
        *args: object,
        kind: Optional[str] = None,
        status: Optional[int] = None,
        code: Optional[str] = None,
        message: Optional[str] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        outcome_unknown: Optional[OutcomeUnknown] = None,
        verification: Optional[Verification] = None,
    ) -> None:
        super().__init__(*args)
        if kind is not None:
            self.kind = kind
        self.status = status
        self.code = code
        self.message = message if message is not None else (str(args[0]) if args else None)
        self.request_id = request_id
        self.retry_after = retry_after
        self.outcome_unknown = outcome_unknown
        self.verification = verification


class InvalidInputError(NeonError, ValueError):
    """The input was rejected before anything was sent (also a ValueError)."""

    kind = "invalid_input"


class ConfigError(NeonError):
    """The client is misconfigured: no API key, a bad base URL, plain http to a remote host, a bad certificate."""

    kind = "config"


class AuthError(NeonError):
    """HTTP 401: the API key is missing, invalid or revoked."""

    kind = "auth"


class PermissionDeniedError(NeonError):
    """HTTP 403: the key lacks the rights for this action (only a personal key creates keys)."""

    kind = "permission_denied"


class OutsideProjectScopeError(NeonError):
    """HTTP 404 from a project-scoped key reaching outside its project."""

    kind = "outside_project_scope"


class NotFoundError(NeonError):
    """HTTP 404: the key, organization or project does not exist (or is not visible to this key)."""

    kind = "not_found"


class ConflictError(NeonError):
    """HTTP 409: the request conflicts with the current state (a key name already in use)."""

    kind = "conflict"


class LockedError(NeonError):
    """HTTP 423: the resource is locked (already retried)."""

    kind = "locked"


class RateLimitedError(NeonError):
    """HTTP 429: Neon's rate limit (already retried); ``retry_after`` is the server's hint in seconds, or None."""

    kind = "rate_limited"


class ServerError(NeonError):
    """HTTP 5xx from Neon (already retried where safe)."""

    kind = "server"


class ApiError(NeonError):
    """Any other unexpected HTTP status."""

    kind = "api"


class NeonTimeoutError(NeonError, TimeoutError):
    """A connect, attempt or whole-call deadline passed (also the builtin TimeoutError)."""

    kind = "timeout"


class NetworkError(NeonError, ConnectionError):
    """The connection failed (refused, reset, DNS, TLS) with no usable response (also a ConnectionError)."""

    kind = "network"


class DecodeError(NeonError):
    """The response could not be understood."""

    kind = "decode"


def _detail(details: object, kind: type, name: str) -> Any:
    """Attribute ``name`` of an error's detail object (``OutcomeUnknown``, ``Verification``); its empty value
    when the error has none; ``AttributeError`` for a name the detail class does not have."""
    if name not in kind.__dataclass_fields__:  # type: ignore[attr-defined]
        raise AttributeError(name)
    if details is None:
        return () if name == "candidate_ids" else None
    return getattr(details, name)


class OutcomeUnknownError(NeonError):
    """A create may or may not have happened (its response was lost, or the call was cancelled or timed out
    after the request was sent): a live key may exist whose secret nobody saw.

    ``outcome_unknown`` tells where to look, and its fields are also attributes of the error: the window is on
    Neon's clock, comparable with the keys' ``created_at``; ``candidate_ids`` lists the live keys of that name
    the client found, when it looked. Revoke what you cannot use.
    """

    kind = "outcome_unknown"
    key_name: Optional[str]
    """The name the key was created with."""
    org_id: Optional[str]
    """The organization, for an org or project-scoped key."""
    project_id: Optional[str]
    """The project, for a project-scoped key."""
    not_before: Optional[datetime]
    """The key, if it exists, was created no earlier than this (Neon's clock)."""
    not_after: Optional[datetime]
    """... and no later than this (Neon's clock)."""
    candidate_ids: Tuple[int, ...]
    """Live keys with this name that may be the one created; empty when the client did not look."""

    def __getattr__(self, name: str) -> Any:
        return _detail(self.__dict__.get("outcome_unknown"), OutcomeUnknown, name)


class VerificationFailedError(NeonError):
    """A created key failed verification; ``key_id`` is its id and ``revoked`` whether the client managed to
    revoke it (False means a live key remains: revoke it by id)."""

    kind = "verification_failed"
    key_id: Optional[int]
    """The id of the key that came back wrong."""
    revoked: Optional[bool]
    """Whether the client revoked it."""

    def __getattr__(self, name: str) -> Any:
        return _detail(self.__dict__.get("verification"), Verification, name)


class CancelledError(NeonError):
    """The call was cancelled by the caller (with nothing left behind: a create that may have happened raises
    OutcomeUnknownError instead)."""

    kind = "cancelled"


class KeychainError(NeonError):
    """The platform's keychain refused or could not be reached (locked, no access, no service), or an entry holds
    something that is not a key record of this SDK. The message names the backend and the entry, never what it
    holds."""

    kind = "keychain"


class InternalError(NeonError):
    """A bug inside the SDK (for example a caught panic). Please report it."""

    kind = "internal"


KIND_CLASSES: Dict[str, Type[NeonError]] = {
    cls.kind: cls
    for cls in (
        InvalidInputError,
        ConfigError,
        AuthError,
        PermissionDeniedError,
        OutsideProjectScopeError,
        NotFoundError,
        ConflictError,
        LockedError,
        RateLimitedError,
        ServerError,
        ApiError,
        NeonTimeoutError,
        NetworkError,
        DecodeError,
        OutcomeUnknownError,
        VerificationFailedError,
        CancelledError,
        KeychainError,
        InternalError,
    )
}
"""The class of each error kind, by ``kind``; the native module raises ``NeonError`` itself for a kind not listed."""



def _shown_as_neon_api_keys() -> None:
    """Shows the classes as ``neon_api_keys.NotFoundError`` in tracebacks and reprs, where users import them."""
    for cls in (NeonError, OutcomeUnknown, Verification, *KIND_CLASSES.values()):
        cls.__module__ = "neon_api_keys"


_shown_as_neon_api_keys()
