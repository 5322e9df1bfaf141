"""Quickstart with the blocking Client: create a key, list keys, rotate, revoke, and handle errors.

    NEON_API_KEY=... python examples/quickstart_sync.py

`nak.Client()` without an api_key reads NEON_API_KEY (or NEON_ORG_API_KEY / NEON_PROJECT_API_KEY) and
NEON_API_HOST from the environment. The secret of a created key is an ApiKeySecret: printing it shows
[REDACTED]; `reveal()` returns it, once, for your vault.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import neon_api_keys as nak

VAULT: dict[str, str] = {}  # stand-in for a real secret store


def store_in_vault(name: str, secret: nak.ApiKeySecret) -> None:
    VAULT[name] = secret.reveal()


def main() -> None:
    with nak.Client(timeout=30.0) as client:  # other settings: the defaults, nak.DEFAULT_*
        me = client.auth_details()
        print(f"authenticated as {me.account_id} ({me.auth_method})")

        key = client.create_api_key("quickstart-ci")
        store_in_vault(key.name, key.key)
        print(f"created {key}")  # the secret prints as [REDACTED]

        for k in client.list_api_keys():
            print(f"  {k.id:>6} {k.name:<20} last used {k.last_used_at or 'never'}")

        # Two-phase rotation: the old key is revoked only after the store took the new one.
        rotation = client.rotate_api_key(
            key.id, store=lambda new: store_in_vault(new.name, new.key), request_id="rotate-quickstart"
        )
        if rotation.revoke_error is not None:  # the new key is stored and works either way
            print(f"old key {key.id} still live: {rotation.revoke_error}")
        else:
            print(f"rotated {key.id} -> {rotation.new_key.id} ({rotation.new_key.name})")

        stale = client.unused_api_keys(since=datetime.now(timezone.utc) - timedelta(days=90))
        print(f"{len(stale)} keys unused for 90 days")

        try:
            client.revoke_api_key(rotation.new_key.id)
            client.revoke_api_key(rotation.new_key.id)  # already revoked
        except nak.NotFoundError as e:
            print(f"not found: {e.message} (request {e.request_id})")
        except nak.RateLimitedError as e:
            time.sleep(e.retry_after or 1.0)
        except nak.NeonError as e:
            print(f"failed: {e.kind} {e.status} {e.message}")


if __name__ == "__main__":
    main()
