"""Rotating a key with a store: the old key is revoked only once the new one is safely stored.

    NEON_API_KEY=... python examples/rotate_with_store.py KEY_ID

`store` receives the new key (a CreatedApiKey with its secret). If it raises, the new key is revoked, the old
key stays live, and the store's own exception comes back with a note saying so. With `wait_for_use`, the old key
is revoked only once the new key shows a use (deploy the new key from the store, then wait for it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import neon_api_keys as nak

SECRETS_FILE = Path("neon-api-key.json")  # stand-in for a vault


def store(new: nak.CreatedApiKey) -> None:
    """Writes the new key where the application reads it; raising here keeps the old key live."""
    SECRETS_FILE.write_text(json.dumps({"id": new.id, "name": new.name, "key": new.key.reveal()}))
    SECRETS_FILE.chmod(0o600)


def main(old_id: int) -> int:
    with nak.Client() as client:
        try:
            rotation = client.rotate_api_key(old_id, store=store)
        except OSError as e:  # the store's own error: the new key was revoked, the old one still works
            print(f"not rotated: {e}; {' '.join(getattr(e, '__notes__', []))}")
            return 1
        except nak.NeonError as e:
            print(f"not rotated: {e.kind}: {e.message}")
            return 1
    print(f"new key {rotation.new_key.id} ({rotation.new_key.name}) stored in {SECRETS_FILE}")
    if rotation.is_complete:
        print(f"old key {rotation.old_key_id} revoked")
    else:
        print(f"old key {rotation.old_key_id} is still live: {rotation.revoke_error}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
