# Type stubs for the native module neon_api_keys._native (Rust, pyo3).
# Checked against the built module by `scripts/gen-stubs.py --check`: every public name, method, property and
# parameter (names, kinds, defaults) must match.

from collections.abc import Awaitable, Generator
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar, final

from typing_extensions import Self

_T = TypeVar("_T")

__version__: str

# -- errors -----------------------------------------------------------------------------------------------

class NeonError(Exception):
    """Base class of every error raised by neon_api_keys."""

    kind: str
    """Stable snake_case name of the error kind ("not_found", "outcome_unknown", ...)."""
    status: int | None
    """The HTTP status, when a response arrived."""
    code: str | None
    """Neon's error code, when non-empty."""
    message: str | None
    """Neon's message verbatim, or the SDK's explanation. Never contains a secret."""
    request_id: str | None
    """The request id (from the error body, the response header, or the X-Request-ID sent)."""
    retry_after: float | None
    """Seconds the server asked to wait, if it did."""

class InvalidInputError(NeonError, ValueError):
    """The input was rejected before anything was sent (also a ValueError)."""

class ConfigError(NeonError):
    """The client is misconfigured: no API key, a bad base URL, plain http to a remote host, a bad certificate."""

class AuthError(NeonError):
    """HTTP 401: the API key is missing, invalid or revoked."""

class PermissionDeniedError(NeonError):
    """HTTP 403: the key lacks the rights for this action."""

class OutsideProjectScopeError(NeonError):
    """HTTP 404 from a project-scoped key reaching outside its project."""

class NotFoundError(NeonError):
    """HTTP 404: the key, organization or project does not exist (or is not visible to this key)."""

class ConflictError(NeonError):
    """HTTP 409: the request conflicts with the current state."""

class LockedError(NeonError):
    """HTTP 423: the resource is locked (already retried)."""

class RateLimitedError(NeonError):
    """HTTP 429: Neon's rate limit (already retried); retry_after is the server's hint in seconds, or None."""

class ServerError(NeonError):
    """HTTP 5xx from Neon (already retried where safe)."""

class ApiError(NeonError):
    """Any other unexpected HTTP status."""

class NeonTimeoutError(NeonError, TimeoutError):
    """A connect, attempt or whole-call deadline passed (also the builtin TimeoutError)."""

class NetworkError(NeonError, ConnectionError):
    """The connection failed (refused, reset, DNS, TLS) with no usable response (also a ConnectionError)."""

class DecodeError(NeonError):
    """The response could not be understood."""

class OutcomeUnknownError(NeonError):
    """A create may or may not have happened: a live key may exist whose secret nobody saw."""

    key_name: str | None
    """The name the key was created with."""
    org_id: str | None
    """The organization, for an org or project-scoped key."""
    project_id: str | None
    """The project, for a project-scoped key."""
    not_before: datetime | None
    """The key, if it exists, was created no earlier than this."""
    not_after: datetime | None
    """... and no later than this."""

class VerificationFailedError(NeonError):
    """A created key failed verification; the client tried to revoke it."""

    key_id: int | None
    """The id of the key that came back wrong."""
    revoked: bool | None
    """Whether the client revoked it. False means a live key remains: revoke it by id."""

class CancelledError(NeonError):
    """The call was cancelled by the caller."""

class InternalError(NeonError):
    """A bug inside the SDK (for example a caught panic). Please report it."""

# -- values -----------------------------------------------------------------------------------------------

@final
class ApiKeySecret:
    """An API key secret. repr(), str() and f-strings print [REDACTED]; reveal() returns the value.
    It cannot be pickled or copied."""

    def __new__(cls, value: str) -> Self: ...
    def reveal(self) -> str:
        """The secret itself. Store it where it belongs and never log it."""
    def __reduce__(self) -> Any: ...
    def __eq__(self, other: object) -> bool: ...

@final
class Creator:
    """Who created a key."""

    @property
    def id(self) -> str | None:
        """The user's uuid."""
    @property
    def name(self) -> str | None:
        """The user's display name (lists only)."""
    @property
    def image(self) -> str | None:
        """The user's avatar URL (lists only; may be missing)."""
    def __eq__(self, other: object) -> bool: ...

@final
class ApiKey:
    """A key as listed (personal or organization). Never carries the secret."""

    @property
    def id(self) -> int:
        """The key id."""
    @property
    def name(self) -> str:
        """The key's name."""
    @property
    def created_at(self) -> datetime | None:
        """When it was created (UTC)."""
    @property
    def created_by(self) -> Creator | None:
        """Who created it."""
    @property
    def last_used_at(self) -> datetime | None:
        """When it was last used; None if never."""
    @property
    def last_used_from_addr(self) -> list[str]:
        """The addresses it was last used from (empty if never used)."""
    @property
    def project_id(self) -> str | None:
        """For a project-scoped organization key, its project."""
    def __eq__(self, other: object) -> bool: ...

@final
class CreatedApiKey:
    """A newly created key: store key.reveal() now, it is shown once. Cannot be pickled or copied."""

    @property
    def id(self) -> int:
        """The key id."""
    @property
    def key(self) -> ApiKeySecret:
        """The secret."""
    @property
    def name(self) -> str:
        """The key's name."""
    @property
    def created_at(self) -> datetime | None:
        """When it was created (UTC)."""
    @property
    def created_by(self) -> str | None:
        """The creator's uuid."""
    @property
    def project_id(self) -> str | None:
        """The project a project-scoped key is limited to."""
    def __reduce__(self) -> Any: ...
    def __eq__(self, other: object) -> bool: ...

@final
class RevokedApiKey:
    """A revoked key, as Neon returns it."""

    @property
    def id(self) -> int:
        """The key id."""
    @property
    def name(self) -> str:
        """The key's name."""
    @property
    def created_at(self) -> datetime | None:
        """When it was created (UTC)."""
    @property
    def created_by(self) -> str | None:
        """The creator's uuid."""
    @property
    def last_used_at(self) -> datetime | None:
        """When it was last used."""
    @property
    def last_used_from_addr(self) -> list[str]:
        """The addresses it was last used from."""
    @property
    def revoked(self) -> bool:
        """True once revoked."""
    @property
    def project_id(self) -> str | None:
        """The project a project-scoped key was limited to."""
    def __eq__(self, other: object) -> bool: ...

@final
class AuthDetails:
    """How the client is authenticated (GET /auth)."""

    @property
    def account_id(self) -> str:
        """The user or organization id the key belongs to."""
    @property
    def auth_method(self) -> str:
        """"api_key_user", "api_key_org", "keycloak", "session_cookie", "oauth", or a newer value verbatim."""
    @property
    def auth_data(self) -> str | None:
        """Extra data Neon may send."""
    def __eq__(self, other: object) -> bool: ...

@final
class Project:
    """The part of a project this SDK uses."""

    @property
    def id(self) -> str:
        """The project id."""
    @property
    def name(self) -> str | None:
        """The project name."""
    @property
    def org_id(self) -> str | None:
        """The organization owning the project; None for a personal project."""
    def __eq__(self, other: object) -> bool: ...

@final
class Rotation:
    """The result of a rotation: the new key is always handed back. Cannot be pickled or copied."""

    @property
    def new_key(self) -> CreatedApiKey:
        """The new key (store its secret now)."""
    @property
    def revoked(self) -> RevokedApiKey | None:
        """The revoked old key, when the revoke succeeded."""
    @property
    def revoke_error(self) -> NeonError | None:
        """Why revoking the old key failed, or None. The new key is valid either way."""
    @property
    def complete(self) -> bool:
        """Whether the old key is gone."""
    def __reduce__(self) -> Any: ...
    def __eq__(self, other: object) -> bool: ...

# -- clients ----------------------------------------------------------------------------------------------

@final
class Call(Generic[_T]):
    """A pending AsyncClient call: a coroutine that starts when first awaited."""

    def __await__(self) -> Generator[Any, Any, _T]: ...
    def __next__(self) -> Any: ...
    def send(self, value: Any) -> Any:
        """Coroutine protocol: starts the call on the first send, then resumes it."""
    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        """Coroutine protocol: raises the exception inside the call (a pending call is cancelled)."""
    def close(self) -> None:
        """Coroutine protocol: abandons the call."""

@final
class Client:
    """A synchronous client for Neon's API key endpoints (calls release the GIL; Ctrl-C interrupts them)."""

    def __new__(
        cls,
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 5.0,
        attempt_timeout: float = 30.0,
        max_retries: int = 2,
        throttle: bool = True,
        reconcile_creates: bool = False,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float = 0.25,
        backoff_cap: float = 10.0,
        max_retry_wait: float = 10.0,
    ) -> Self:
        """Without api_key, reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST
        (like from_env); explicit arguments win."""
    @staticmethod
    def from_env(
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 5.0,
        attempt_timeout: float = 30.0,
        max_retries: int = 2,
        throttle: bool = True,
        reconcile_creates: bool = False,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float = 0.25,
        backoff_cap: float = 10.0,
        max_retry_wait: float = 10.0,
    ) -> Client:
        """A client that also reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST."""
    @property
    def base_url(self) -> str:
        """The API base URL in use."""
    @property
    def closed(self) -> bool:
        """Whether close() was called."""
    def close(self) -> None:
        """Releases the client's connections. Later calls raise ConfigError."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *_exc: object) -> bool: ...
    def list_api_keys(self, *, timeout: float | None = None, request_id: str | None = None) -> list[ApiKey]:
        """Lists the personal API keys of the key's user."""
    def create_api_key(
        self, name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> CreatedApiKey:
        """Creates a personal API key. The secret is in the result, once."""
    def revoke_api_key(
        self, key_id: int, *, timeout: float | None = None, request_id: str | None = None
    ) -> RevokedApiKey:
        """Revokes a personal API key."""
    def list_org_api_keys(
        self, org_id: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> list[ApiKey]:
        """Lists an organization's API keys, org-wide and project-scoped."""
    def create_org_api_key(
        self,
        org_id: str,
        name: str,
        project_id: str | None = None,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> CreatedApiKey:
        """Creates an organization API key; with project_id, a key limited to that project."""
    def revoke_org_api_key(
        self, org_id: str, key_id: int, *, timeout: float | None = None, request_id: str | None = None
    ) -> RevokedApiKey:
        """Revokes an organization API key."""
    def create_project_api_key(
        self, project_id: str, name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> CreatedApiKey:
        """Creates a project-scoped key."""
    def auth_details(self, *, timeout: float | None = None, request_id: str | None = None) -> AuthDetails:
        """Which kind of key is in use."""
    def get_project(
        self, project_id: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Project:
        """Reads a project, for its organization."""
    def rotate_api_key(
        self, old_id: int, new_name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Rotation:
        """Creates new_name, then revokes old_id. The new key is always returned."""
    def rotate_org_api_key(
        self,
        org_id: str,
        old_id: int,
        new_name: str,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Rotation:
        """Rotates an organization key, keeping its project scope."""
    def unused_api_keys(
        self, since: datetime | None = None, *, timeout: float | None = None, request_id: str | None = None
    ) -> list[ApiKey]:
        """Personal keys never used, or not used since `since` (timezone-aware)."""
    def unused_org_api_keys(
        self,
        org_id: str,
        since: datetime | None = None,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> list[ApiKey]:
        """Organization keys never used, or not used since `since` (timezone-aware)."""

@final
class AsyncClient:
    """An asyncio client: the same methods as Client, each returning an awaitable Call."""

    def __new__(
        cls,
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 5.0,
        attempt_timeout: float = 30.0,
        max_retries: int = 2,
        throttle: bool = True,
        reconcile_creates: bool = False,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float = 0.25,
        backoff_cap: float = 10.0,
        max_retry_wait: float = 10.0,
    ) -> Self:
        """Without api_key, reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST
        (like from_env); explicit arguments win."""
    @staticmethod
    def from_env(
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 5.0,
        attempt_timeout: float = 30.0,
        max_retries: int = 2,
        throttle: bool = True,
        reconcile_creates: bool = False,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float = 0.25,
        backoff_cap: float = 10.0,
        max_retry_wait: float = 10.0,
    ) -> AsyncClient:
        """A client that also reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST."""
    @property
    def base_url(self) -> str:
        """The API base URL in use."""
    @property
    def closed(self) -> bool:
        """Whether close() was called."""
    def close(self) -> None:
        """Releases the client's connections. Later calls raise ConfigError."""
    def aclose(self) -> Call[None]:
        """Releases the client's connections (awaitable)."""
    def __aenter__(self) -> Awaitable[Self]: ...
    def __aexit__(self, *_exc: object) -> Awaitable[Literal[False]]: ...
    def list_api_keys(self, *, timeout: float | None = None, request_id: str | None = None) -> Call[list[ApiKey]]:
        """Lists the personal API keys of the key's user."""
    def create_api_key(
        self, name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[CreatedApiKey]:
        """Creates a personal API key. The secret is in the result, once."""
    def revoke_api_key(
        self, key_id: int, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[RevokedApiKey]:
        """Revokes a personal API key."""
    def list_org_api_keys(
        self, org_id: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[list[ApiKey]]:
        """Lists an organization's API keys, org-wide and project-scoped."""
    def create_org_api_key(
        self,
        org_id: str,
        name: str,
        project_id: str | None = None,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Call[CreatedApiKey]:
        """Creates an organization API key; with project_id, a key limited to that project."""
    def revoke_org_api_key(
        self, org_id: str, key_id: int, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[RevokedApiKey]:
        """Revokes an organization API key."""
    def create_project_api_key(
        self, project_id: str, name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[CreatedApiKey]:
        """Creates a project-scoped key."""
    def auth_details(self, *, timeout: float | None = None, request_id: str | None = None) -> Call[AuthDetails]:
        """Which kind of key is in use."""
    def get_project(
        self, project_id: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[Project]:
        """Reads a project, for its organization."""
    def rotate_api_key(
        self, old_id: int, new_name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[Rotation]:
        """Creates new_name, then revokes old_id. The new key is always returned."""
    def rotate_org_api_key(
        self,
        org_id: str,
        old_id: int,
        new_name: str,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Call[Rotation]:
        """Rotates an organization key, keeping its project scope."""
    def unused_api_keys(
        self, since: datetime | None = None, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[list[ApiKey]]:
        """Personal keys never used, or not used since `since` (timezone-aware)."""
    def unused_org_api_keys(
        self,
        org_id: str,
        since: datetime | None = None,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Call[list[ApiKey]]:
        """Organization keys never used, or not used since `since` (timezone-aware)."""

# -- emulator (private: use neon_api_keys.testing.Emulator) -----------------------------------------------

@final
class _Emulator:
    """An in-process Neon emulator (use neon_api_keys.testing.Emulator)."""

    def __new__(cls, rate_limits: bool = False) -> Self: ...
    @property
    def base_url(self) -> str:
        """The Neon API base URL, http://127.0.0.1:PORT/api/v2."""
    @property
    def control_url(self) -> str:
        """The control API URL, http://127.0.0.1:PORT/_emulator."""
    @property
    def startup_json(self) -> str:
        """The JSON line the emulator binary prints at start-up (URLs, seeded keys and ids, seed)."""
    @property
    def running(self) -> bool:
        """Whether the server is still running."""
    def reset(self, rate_limits: bool | None = None) -> None:
        """Restores the seed and clears faults and the request log."""
    def set_rate_limits(self, enabled: bool) -> None:
        """Turns rate limiting on or off."""
    def stop(self) -> None:
        """Stops the server (idempotent)."""
