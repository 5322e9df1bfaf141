import Foundation
internal import NeonApiKeysBridge

/// The result of a rotation whose store accepted the new key. The new key's secret is not in it: your `store`
/// received it, and nothing else keeps it.
public struct Rotation: Sendable, Hashable {
    /// The new key: id, name, scope (no secret).
    public let newKey: ApiKey
    /// The id of the key that was rotated.
    public let oldKeyId: Int64
    /// The old key as revoked, when it was.
    public let revoked: RevokedApiKey?
    /// Why the old key is still live, when revoking it failed or the call was cancelled after the store
    /// returned. The new key is stored and valid either way.
    public let revokeError: NeonError?
    /// With `waitForUse`: whether a use of the new key showed in time (`false`: the old key was left live).
    /// `nil` when no wait was asked for.
    public let newKeySeenInUse: Bool?
    /// Whether the old key is gone.
    public let isComplete: Bool

    init(_ r: FfiRotation) {
        newKey = ApiKey(r.newKey)
        oldKeyId = r.oldKeyId
        revoked = r.revoked.map(RevokedApiKey.init)
        revokeError = r.revokeError.map(NeonError.init)
        newKeySeenInUse = r.newKeySeenInUse
        isComplete = r.isComplete
    }
}

/// What happened to the new key of a rotation whose store threw. The rotation rethrows the store's own error;
/// pass `onStoreFailure:` to receive this.
public struct StoreFailure: Sendable, Hashable, CustomStringConvertible {
    /// The id of the new key handed to the store.
    public let newKeyId: Int64
    /// Whether the new key was revoked. `false` means a live key remains: revoke it by ``newKeyId``.
    public let isNewKeyRevoked: Bool
    /// Why revoking the new key failed, if it did.
    public let revokeError: NeonError?
    /// The core's sentence on the new key, for example "the store failed, so the new key 5001 was revoked; the
    /// old key stays live", to attach to your own report of the store's error.
    public let note: String

    /// The same as ``note``.
    public var description: String { note }

    init(_ f: FfiStoreFailure) {
        newKeyId = f.newKeyId
        isNewKeyRevoked = f.newKeyRevoked
        revokeError = f.revokeError.map(NeonError.init)
        note = f.note
    }
}

extension NeonClient {
    /// Rotates a personal key in two phases, so that nobody is locked out: checks that `oldId` exists, creates
    /// the new key, checks that it authenticates, hands it to `store`, and only when `store` returns revokes the
    /// old key (with `waitForUse`, only once the new key shows a use).
    ///
    /// ```swift
    /// let rotation = try await client.rotateApiKey(oldId: old.id) { newKey in
    ///     try await vault.save(newKey.key.reveal(), for: "ci")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - oldId: The key to replace.
    ///   - newName: The new key's name; default: derived from the old one as Neon's CLI names keys
    ///     (`<base>-<UTC yyyymmddThhmmssZ>-<4 hex>`).
    ///   - waitForUse: Revoke the old key only once the new key's last use shows, waiting at most this long; if
    ///     none shows, the old key is left live and ``Rotation/newKeySeenInUse`` is `false`.
    ///   - pollInterval: How often to look for that use; default ``NeonDefaults/pollInterval``.
    ///   - onStoreFailure: Called when `store` throws, before its error is rethrown, with what happened to the
    ///     new key (``StoreFailure/note`` says it in a sentence).
    ///   - store: Receives the new key with its secret, the only place the secret goes. When it throws, the new
    ///     key is revoked, the old one stays live, and this method throws the store's own error. A ``Keychain``
    ///     entry is a store: `store: { try keychain.save($0) }` (or rotate the key an entry holds in place with
    ///     ``rotateKeychainKey(_:newName:waitForUse:pollInterval:)``).
    /// - Returns: The rotation; a failed revoke of the old key is in ``Rotation/revokeError``, not thrown.
    /// - Throws: The store's own error; else ``NeonError`` (``NeonErrorKind/notFound`` for an unknown `oldId`,
    ///   creating nothing; ``NeonErrorKind/cancelled`` when the `Task` is cancelled before the store returned,
    ///   after the new key was revoked).
    public func rotateApiKey(
        oldId: Int64,
        newName: String? = nil,
        waitForUse: Duration? = nil,
        pollInterval: Duration? = nil,
        onStoreFailure: (@Sendable (StoreFailure) -> Void)? = nil,
        store: @escaping @Sendable (CreatedApiKey) async throws -> Void
    ) async throws -> Rotation {
        let options = try rotateOptions(newName, waitForUse, pollInterval)
        return try await rotate(store, onStoreFailure) { client, token, bridge in
            try await client.rotateApiKey(cancellation: token, oldId: oldId, options: options, store: bridge)
        }
    }

    /// Rotates an organization key in two phases like ``rotateApiKey(oldId:newName:waitForUse:pollInterval:onStoreFailure:store:)``,
    /// keeping its project scope.
    ///
    /// - Throws: As ``rotateApiKey(oldId:newName:waitForUse:pollInterval:onStoreFailure:store:)``;
    ///   ``NeonErrorKind/notFound`` (nothing created) when `oldId` is not one of the organization's keys.
    public func rotateOrgApiKey(
        orgId: String,
        oldId: Int64,
        newName: String? = nil,
        waitForUse: Duration? = nil,
        pollInterval: Duration? = nil,
        onStoreFailure: (@Sendable (StoreFailure) -> Void)? = nil,
        store: @escaping @Sendable (CreatedApiKey) async throws -> Void
    ) async throws -> Rotation {
        let options = try rotateOptions(newName, waitForUse, pollInterval)
        return try await rotate(store, onStoreFailure) { client, token, bridge in
            try await client.rotateOrgApiKey(
                cancellation: token, orgId: orgId, oldId: oldId, options: options, store: bridge)
        }
    }

    /// Rotates, in place, the key a ``Keychain`` entry holds: loads it, creates the new key with the same scope
    /// (personal, organization-wide or project-scoped), checks that it authenticates, saves it over the entry,
    /// and only then revokes the old key (with `waitForUse`, only once the new key shows a use).
    ///
    /// ```swift
    /// let keychain = try Keychain(service: "my-app", account: "neon-deploy")
    /// let rotation = try await client.rotateKeychainKey(keychain)
    /// ```
    ///
    /// If the save fails, the new key is revoked, and the entry and the old key are as they were. The save runs to
    /// its end once started (cancelling the `Task` cannot cut it in half). A client that itself uses the old key
    /// (``init(apiKey:orgApiKey:keychain:baseURL:configuration:)`` with this entry) uses the new one from then on.
    ///
    /// - Parameters:
    ///   - keychain: The entry whose key to rotate.
    ///   - newName: The new key's name; default: derived from the old one as
    ///     ``rotateApiKey(oldId:newName:waitForUse:pollInterval:onStoreFailure:store:)`` derives it.
    ///   - waitForUse: Revoke the old key only once the new key's last use shows, waiting at most this long.
    ///   - pollInterval: How often to look for that use; default ``NeonDefaults/pollInterval``.
    /// - Returns: The rotation; the entry holds the new key. A failed revoke of the old key is in
    ///   ``Rotation/revokeError``, not thrown.
    /// - Throws: ``NeonError``: ``NeonErrorKind/notFound`` when the entry holds no key (nothing created);
    ///   ``NeonErrorKind/keychain`` when the entry cannot be read or the save fails (the message says what became
    ///   of the new key); otherwise as ``rotateApiKey(oldId:newName:waitForUse:pollInterval:onStoreFailure:store:)``.
    public func rotateKeychainKey(
        _ keychain: Keychain,
        newName: String? = nil,
        waitForUse: Duration? = nil,
        pollInterval: Duration? = nil
    ) async throws -> Rotation {
        let options = try rotateOptions(newName, waitForUse, pollInterval)
        return Rotation(
            try await perform { client, token in
                try await client.rotateKeychainKey(cancellation: token, keychain: keychain.ffi, options: options)
            })
    }

    private func rotateOptions(
        _ newName: String?, _ waitForUse: Duration?, _ pollInterval: Duration?
    ) throws -> FfiRotateOptions {
        FfiRotateOptions(
            newName: newName,
            waitForUseSeconds: try checkedSeconds(waitForUse, name: "waitForUse"),
            pollIntervalSeconds: try checkedSeconds(pollInterval, name: "pollInterval"))
    }

    /// Runs a rotation with `store` behind the bridge; a store failure rethrows the store's own error.
    private func rotate(
        _ store: @escaping @Sendable (CreatedApiKey) async throws -> Void,
        _ onStoreFailure: (@Sendable (StoreFailure) -> Void)?,
        _ call: (FfiClient, FfiCancellationToken, StoreBridge) async throws -> FfiRotation
    ) async throws -> Rotation {
        let bridge = StoreBridge(store)
        do {
            return Rotation(try await perform { client, token in try await call(client, token, bridge) })
        } catch let error as NeonError {
            throw error
        } catch let failure as StoreFailedSignal {
            onStoreFailure?(StoreFailure(failure.failure))
            if let thrown = bridge.thrown { throw thrown }
            throw NeonError(kind: .internal, message: "the store's error was lost; " + failure.failure.note)
        }
    }
}

/// A bridge failure that is a rotation's store failure (``NeonClient/perform(_:)`` hands it through).
struct StoreFailedSignal: Error {
    let failure: FfiStoreFailure
}

/// The caller's `store` closure as the bridge's key store: each ``store(key:completion:)`` runs the closure in a
/// task and answers through `completion`. When the closure throws, its error is kept here and the bridge only
/// learns that the key was refused (nothing of the caller's error crosses into Rust).
final class StoreBridge: FfiKeyStore, @unchecked Sendable {
    private let body: @Sendable (CreatedApiKey) async throws -> Void
    private let lock = NSLock()
    private var error: (any Error)?
    private var task: Task<Void, Never>?

    init(_ body: @escaping @Sendable (CreatedApiKey) async throws -> Void) {
        self.body = body
    }

    private func locked<T>(_ f: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return f()
    }

    /// The error the closure threw, if it did.
    var thrown: (any Error)? { locked { error } }

    func store(key: FfiCreatedApiKey, completion: FfiStoreCompletion) {
        let body = body
        let task = Task {
            do {
                try await body(CreatedApiKey(key))
                completion.finish(answer: .stored)
            } catch {
                self.locked { self.error = error }
                completion.finish(answer: .refused)
            }
        }
        locked { self.task = task }
    }

    func cancel() {
        locked { task }?.cancel()
    }
}
