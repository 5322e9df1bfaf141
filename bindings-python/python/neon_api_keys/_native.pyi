# Type stubs for the native module neon_api_keys._native (Rust, pyo3).
# Checked against the built module by `scripts/gen-stubs.py --check`: every public name, method, property and
# parameter (names, kinds, defaults) must match. The exceptions live in neon_api_keys/errors.py.

from collections.abc import Awaitable, Callable, Coroutine, Generator
from datetime import datetime
from types import TracebackType
from typing import Any, ClassVar, TypeVar, final

from typing_extensions import Self

from .errors import NeonError

_T = TypeVar("_T")

__version__: str

OPERATIONS: tuple[tuple[str, tuple[str, ...], str], ...]
"""Every operation of the core (``neon_api_keys::OPERATIONS``): ``(name, args, summary)``; an optional argument
ends in ``?``. Client and AsyncClient have a method of each name."""

DEFAULT_TIMEOUT: float
"""Seconds a whole call may take, retries and waits included, unless ``timeout`` is given."""
DEFAULT_CONNECT_TIMEOUT: float
"""Seconds to wait for a TCP + TLS connection, unless ``connect_timeout`` is given."""
DEFAULT_ATTEMPT_TIMEOUT: float
"""Seconds one attempt (request and whole response) may take, unless ``attempt_timeout`` is given."""
DEFAULT_MAX_RETRIES: int
"""Retries after the first attempt, unless ``max_retries`` is given."""
DEFAULT_BACKOFF_BASE: float
"""Seconds: base of the full-jitter exponential backoff, unless ``backoff_base`` is given."""
DEFAULT_BACKOFF_CAP: float
"""Seconds: cap of the backoff, unless ``backoff_cap`` is given."""
DEFAULT_MAX_RETRY_WAIT: float
"""Seconds: the longest ``Retry-After`` accepted, unless ``max_retry_wait`` is given."""
DEFAULT_USE_POLL_INTERVAL: float
"""Seconds between looks at the new key's use during a rotation's ``wait_for_use``, unless ``poll_interval``."""
DEFAULT_BASE_URL: str
"""Neon's API base URL, unless ``base_url`` or ``NEON_API_HOST`` is given."""

# -- values -----------------------------------------------------------------------------------------------

@final
class ApiKeySecret:
    """An API key secret. repr(), str() and f-strings print [REDACTED]; reveal() returns the value.
    It cannot be pickled or copied."""

    def __new__(cls, value: str) -> Self:
        """Wraps a secret value (surrounding whitespace such as a trailing newline is removed)."""
    def reveal(self) -> str:
        """The secret itself. Store it where it belongs and never log it."""
    def __reduce__(self) -> Any: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Creator:
    """Who created a key. Lists give the uuid, name and avatar; create and revoke only the uuid."""

    def __new__(
        cls,
        *,
        id: str | None = None,
        name: str | None = None,
        image: str | None = None,
    ) -> Self:
        """Builds a value by hand (for tests of your own code)."""
    @property
    def id(self) -> str | None:
        """The user's uuid."""
    @property
    def name(self) -> str | None:
        """The user's display name (lists only)."""
    @property
    def image(self) -> str | None:
        """The user's avatar URL (lists only; may be missing)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (nested values as dicts; datetimes stay datetimes)."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Any: ...

@final
class ApiKey:
    """A key as listed (personal or organization). Never carries the secret."""

    def __new__(
        cls,
        *,
        id: int,
        name: str,
        created_at: datetime | None = None,
        created_by: Creator | None = None,
        last_used_at: datetime | None = None,
        last_used_from_addr: list[str] | None = None,
        project_id: str | None = None,
    ) -> Self:
        """Builds a value by hand (for tests of your own code)."""
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
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (nested values as dicts; datetimes stay datetimes)."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Any: ...

@final
class CreatedApiKey:
    """A newly created key: store key.reveal() now, it is shown once. Cannot be pickled, copied or hashed."""

    def __new__(
        cls,
        *,
        id: int,
        key: str | ApiKeySecret,
        name: str,
        created_at: datetime | None = None,
        created_by: str | None = None,
        project_id: str | None = None,
        org_id: str | None = None,
    ) -> Self:
        """Builds a value by hand (for tests of your own code)."""
    @property
    def id(self) -> int:
        """The key id."""
    @property
    def key(self) -> ApiKeySecret:
        """The secret (pass a str or an ApiKeySecret)."""
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
    @property
    def org_id(self) -> str | None:
        """The organization of an organization (or project-scoped) key; None for a personal key."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (nested values as dicts; datetimes stay datetimes)."""
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> Any: ...

@final
class RevokedApiKey:
    """A revoked key, as Neon returns it."""

    def __new__(
        cls,
        *,
        id: int,
        name: str,
        created_at: datetime | None = None,
        created_by: str | None = None,
        last_used_at: datetime | None = None,
        last_used_from_addr: list[str] | None = None,
        revoked: bool | None = None,
        project_id: str | None = None,
    ) -> Self:
        """Builds a value by hand (for tests of your own code)."""
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
        """True once revoked (the default when built by hand)."""
    @property
    def project_id(self) -> str | None:
        """The project a project-scoped key was limited to."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (nested values as dicts; datetimes stay datetimes)."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Any: ...

@final
class AuthDetails:
    """How the client is authenticated (GET /auth)."""

    def __new__(
        cls,
        *,
        account_id: str,
        auth_method: str,
        auth_data: str | None = None,
    ) -> Self:
        """Builds a value by hand (for tests of your own code)."""
    @property
    def account_id(self) -> str:
        """The user or organization id the key belongs to."""
    @property
    def auth_method(self) -> str:
        """"api_key_user", "api_key_org", "keycloak", "session_cookie", "oauth", or a newer value verbatim."""
    @property
    def auth_data(self) -> str | None:
        """Extra data Neon may send."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (nested values as dicts; datetimes stay datetimes)."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Any: ...

@final
class Project:
    """The part of a project this SDK uses (GET /projects/{id})."""

    def __new__(
        cls,
        *,
        id: str,
        name: str | None = None,
        org_id: str | None = None,
    ) -> Self:
        """Builds a value by hand (for tests of your own code)."""
    @property
    def id(self) -> str:
        """The project id."""
    @property
    def name(self) -> str | None:
        """The project name."""
    @property
    def org_id(self) -> str | None:
        """The organization owning the project; None for a personal project."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (nested values as dicts; datetimes stay datetimes)."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Any: ...

@final
class Rotation:
    """The result of a rotation whose store accepted the new key. The new key's secret is not in it (the store
    received it); revoke_error says why the old key is still live, if it is."""

    def __new__(
        cls,
        *,
        new_key: ApiKey,
        old_key_id: int,
        revoked: RevokedApiKey | None = None,
        revoke_error: BaseException | None = None,
        new_key_seen_in_use: bool | None = None,
    ) -> Self:
        """Builds a Rotation by hand (for tests of your own code)."""
    @property
    def new_key(self) -> ApiKey:
        """The new key (id, name, scope; no secret: the store received it)."""
    @property
    def old_key_id(self) -> int:
        """The id of the key that was rotated."""
    @property
    def revoked(self) -> RevokedApiKey | None:
        """The old key as revoked, when it was."""
    @property
    def revoke_error(self) -> NeonError | None:
        """Why the old key is still live, when revoking it failed or the call was cancelled after the store
        returned; else None. The new key is stored and valid either way."""
    @property
    def new_key_seen_in_use(self) -> bool | None:
        """With wait_for_use: whether a use of the new key showed in time (False: the old key was left live)."""
    @property
    def is_complete(self) -> bool:
        """Whether the old key is gone (revoked)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (new_key and revoked as dicts, revoke_error the exception or None)."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Any: ...

# -- keychain ---------------------------------------------------------------------------------------------

@final
class Keychain:
    """One entry of the platform's keychain (service, account), holding at most one key. Callable: keychain(key)
    saves key, so a Keychain can be a rotation's store. repr() shows service, account and backend, never a secret.
    Failures raise KeychainError."""

    backend: ClassVar[str]
    """The store this platform uses ("Linux kernel keyring (keyutils)", "macOS Keychain", ...)."""
    def __new__(cls, service: str, account: str) -> Self:
        """The entry named by service and account (each 1-200 characters without control characters)."""
    @property
    def service(self) -> str:
        """The entry's service name."""
    @property
    def account(self) -> str:
        """The entry's account name."""
    def save(self, key: CreatedApiKey) -> None:
        """Saves key (secret and metadata) in the entry, replacing what it held."""
    def __call__(self, key: CreatedApiKey) -> None:
        """save(key): a Keychain passed as a rotation's store= keeps the new key."""
    def load(self) -> CreatedApiKey | None:
        """The key the entry holds (its secret an ApiKeySecret), or None when it holds none."""
    def delete(self) -> bool:
        """Deletes the entry; whether there was one."""
    def exists(self) -> bool:
        """Whether the entry holds something."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> Any: ...

# -- clients ----------------------------------------------------------------------------------------------

@final
class Call(Coroutine[Any, Any, _T]):
    """A pending AsyncClient call: a coroutine that starts when first awaited (or run as a task). Cancelling it
    waits for the core to finish: a created key is returned, a possible create raises OutcomeUnknownError."""

    def __await__(self) -> Generator[Any, None, _T]: ...
    def __next__(self) -> Any: ...
    def send(self, value: Any, /) -> Any:
        """Coroutine protocol: starts the call on the first send, then resumes it."""
    def throw(
        self,
        typ: type[BaseException] | BaseException,
        val: object = None,
        tb: TracebackType | None = None,
        /,
    ) -> Any:
        """Coroutine protocol: cancels a running call and waits for it; a call not started never starts."""
    def close(self) -> None:
        """Coroutine protocol: abandons the call (one never started does not warn)."""
    __name__: str
    """The method's name."""
    __qualname__: str
    """AsyncClient.<method>."""

@final
class Client:
    """A synchronous client for Neon's API key endpoints (calls release the GIL; Ctrl-C stops them safely).
    Settings left as None take the defaults DEFAULT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_MAX_RETRIES, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP and DEFAULT_MAX_RETRY_WAIT (seconds)."""

    def __new__(
        cls,
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        attempt_timeout: float | None = None,
        max_retries: int | None = None,
        throttle: bool | None = None,
        reconcile_creates: bool | None = None,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float | None = None,
        backoff_cap: float | None = None,
        max_retry_wait: float | None = None,
        keychain: Keychain | None = None,
    ) -> Self:
        """Without api_key, reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST;
        explicit arguments win. With keychain, the entry's key is used when no key is given explicitly or by the
        environment."""
    @staticmethod
    def from_env(
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        attempt_timeout: float | None = None,
        max_retries: int | None = None,
        throttle: bool | None = None,
        reconcile_creates: bool | None = None,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float | None = None,
        backoff_cap: float | None = None,
        max_retry_wait: float | None = None,
        keychain: Keychain | None = None,
    ) -> Client:
        """Also reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST; explicit
        arguments win."""
    @property
    def base_url(self) -> str:
        """The API base URL in use."""
    @property
    def closed(self) -> bool:
        """Whether close() was called."""
    def close(self) -> None:
        """Releases the client's connections. Later calls raise ConfigError."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *_exc: object) -> None: ...
    def list_api_keys(
        self, *, timeout: float | None = None, request_id: str | None = None
    ) -> list[ApiKey]:
        """Lists the personal API keys of the key's user (GET /api_keys)."""
    def create_api_key(
        self, key_name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> CreatedApiKey:
        """Creates a personal API key (POST /api_keys). The secret is in the result, once."""
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
        key_name: str,
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
        self, project_id: str, key_name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> CreatedApiKey:
        """Creates a key limited to a project (an org key with the project's id)."""
    def auth_details(
        self, *, timeout: float | None = None, request_id: str | None = None
    ) -> AuthDetails:
        """Which kind of key is in use (GET /auth)."""
    def get_project(
        self, project_id: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Project:
        """Reads a project, for its organization."""
    def rotate_api_key(
        self,
        old_id: int,
        *,
        store: Callable[[CreatedApiKey], object],
        new_name: str | None = None,
        wait_for_use: float | None = None,
        poll_interval: float | None = None,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Rotation:
        """Rotates a personal key in two phases: the old key is revoked only after store(new_key) returned. If the store raises, the new key is revoked, the old one stays live, and the store's exception is re-raised with a note."""
    def rotate_org_api_key(
        self,
        org_id: str,
        old_id: int,
        *,
        store: Callable[[CreatedApiKey], object],
        new_name: str | None = None,
        wait_for_use: float | None = None,
        poll_interval: float | None = None,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Rotation:
        """Rotates an organization key in two phases like rotate_api_key, keeping its project scope."""
    def rotate_keychain_key(
        self,
        keychain: Keychain,
        *,
        new_name: str | None = None,
        wait_for_use: float | None = None,
        poll_interval: float | None = None,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Rotation:
        """Rotates in place the key a Keychain entry holds: the new key is saved over the entry before the old one is revoked; if the save fails, the new key is revoked and entry and old key stay (KeychainError). A client using the old key moves to the new one."""
    def unused_api_keys(
        self, since: datetime | None = None, *, timeout: float | None = None, request_id: str | None = None
    ) -> list[ApiKey]:
        """Personal keys not in use: created before since and not used since; without since, never used."""
    def unused_org_api_keys(
        self,
        org_id: str,
        since: datetime | None = None,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> list[ApiKey]:
        """Organization keys not in use, as unused_api_keys decides it."""

@final
class AsyncClient:
    """An asyncio client: the same methods as Client, each returning a Call coroutine (generated from Client
    by scripts/gen-stubs.py: edit Client)."""

    def __new__(
        cls,
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        attempt_timeout: float | None = None,
        max_retries: int | None = None,
        throttle: bool | None = None,
        reconcile_creates: bool | None = None,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float | None = None,
        backoff_cap: float | None = None,
        max_retry_wait: float | None = None,
        keychain: Keychain | None = None,
    ) -> Self:
        """Without api_key, reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST;
        explicit arguments win. With keychain, the entry's key is used when no key is given explicitly or by the
        environment."""
    @staticmethod
    def from_env(
        api_key: str | ApiKeySecret | None = None,
        *,
        org_api_key: str | ApiKeySecret | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        attempt_timeout: float | None = None,
        max_retries: int | None = None,
        throttle: bool | None = None,
        reconcile_creates: bool | None = None,
        ca_cert_pem: str | bytes | None = None,
        backoff_base: float | None = None,
        backoff_cap: float | None = None,
        max_retry_wait: float | None = None,
        keychain: Keychain | None = None,
    ) -> AsyncClient:
        """Also reads NEON_API_KEY, NEON_ORG_API_KEY, NEON_PROJECT_API_KEY and NEON_API_HOST; explicit
        arguments win."""
    @property
    def base_url(self) -> str:
        """The API base URL in use."""
    @property
    def closed(self) -> bool:
        """Whether close() was called."""
    def close(self) -> None:
        """Releases the client's connections. Later calls raise ConfigError."""
    def aclose(self) -> Call[None]:
        """Releases the client's connections (a coroutine). Later calls raise ConfigError."""
    def __aenter__(self) -> Call[Self]: ...
    def __aexit__(self, *_exc: object) -> Call[None]: ...
    def list_api_keys(
        self, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[list[ApiKey]]:
        """Lists the personal API keys of the key's user (GET /api_keys)."""
    def create_api_key(
        self, key_name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[CreatedApiKey]:
        """Creates a personal API key (POST /api_keys). The secret is in the result, once."""
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
        key_name: str,
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
        self, project_id: str, key_name: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[CreatedApiKey]:
        """Creates a key limited to a project (an org key with the project's id)."""
    def auth_details(
        self, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[AuthDetails]:
        """Which kind of key is in use (GET /auth)."""
    def get_project(
        self, project_id: str, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[Project]:
        """Reads a project, for its organization."""
    def rotate_api_key(
        self,
        old_id: int,
        *,
        store: Callable[[CreatedApiKey], Awaitable[object] | object],
        new_name: str | None = None,
        wait_for_use: float | None = None,
        poll_interval: float | None = None,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Call[Rotation]:
        """Rotates a personal key in two phases: the old key is revoked only after store(new_key) returned. If the store raises, the new key is revoked, the old one stays live, and the store's exception is re-raised with a note."""
    def rotate_org_api_key(
        self,
        org_id: str,
        old_id: int,
        *,
        store: Callable[[CreatedApiKey], Awaitable[object] | object],
        new_name: str | None = None,
        wait_for_use: float | None = None,
        poll_interval: float | None = None,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Call[Rotation]:
        """Rotates an organization key in two phases like rotate_api_key, keeping its project scope."""
    def rotate_keychain_key(
        self,
        keychain: Keychain,
        *,
        new_name: str | None = None,
        wait_for_use: float | None = None,
        poll_interval: float | None = None,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Call[Rotation]:
        """Rotates in place the key a Keychain entry holds: the new key is saved over the entry before the old one is revoked; if the save fails, the new key is revoked and entry and old key stay (KeychainError). A client using the old key moves to the new one."""
    def unused_api_keys(
        self, since: datetime | None = None, *, timeout: float | None = None, request_id: str | None = None
    ) -> Call[list[ApiKey]]:
        """Personal keys not in use: created before since and not used since; without since, never used."""
    def unused_org_api_keys(
        self,
        org_id: str,
        since: datetime | None = None,
        *,
        timeout: float | None = None,
        request_id: str | None = None,
    ) -> Call[list[ApiKey]]:
        """Organization keys not in use, as unused_api_keys decides it."""

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
    def set_clock_offset_ms(self, offset_ms: int) -> None:
        """Runs the emulator's clock offset_ms ahead of this machine's (negative: behind), until the next reset."""
    def set_name_conflict_status(self, status: int) -> None:
        """The status of a duplicate key name (400, 409 or 422) until the next reset."""
    def stop(self) -> None:
        """Stops the server (idempotent)."""
