"""Quickstart with the asyncio AsyncClient: the same methods as Client, each awaited.

    NEON_API_KEY=... python examples/quickstart_async.py
"""

from __future__ import annotations

import asyncio

import neon_api_keys as nak


async def main() -> None:
    async with nak.AsyncClient(timeout=30.0) as client:  # reads NEON_API_KEY / NEON_API_HOST
        keys, me = await asyncio.gather(client.list_api_keys(), client.auth_details())
        print(f"{me.account_id} has {len(keys)} keys")

        created = await asyncio.gather(*(client.create_api_key(f"worker-{i}") for i in range(3)))
        print("created", [k.id for k in created])

        vault: dict[str, str] = {}

        async def store(new: nak.CreatedApiKey) -> None:  # a coroutine function works as the store
            await asyncio.sleep(0)
            vault[new.name] = new.key.reveal()

        rotation = await client.rotate_api_key(created[0].id, store=store, new_name="worker-0-rotated", timeout=20.0)
        print(f"rotated {created[0].id} -> {rotation.new_key.id}, complete={rotation.is_complete}")

        try:
            # A call that takes too long is cancelled, and nothing it made is lost: a created key is returned,
            # a create that may have happened raises OutcomeUnknownError (name and window to look in).
            await asyncio.wait_for(client.list_api_keys(), timeout=10.0)
        except asyncio.TimeoutError:
            print("listing took too long")

        for key_id in [*(k.id for k in created[1:]), rotation.new_key.id]:
            revoked = await client.revoke_api_key(key_id)
            print(f"revoked {revoked.id} ({revoked.name})")

        try:
            await client.get_project("proj-does-not-exist-0000")
        except nak.NotFoundError as e:
            print(f"no such project: {e.message}")
        except nak.NeonError as e:
            print(f"failed: {e.kind}: {e.message}")


if __name__ == "__main__":
    asyncio.run(main())
