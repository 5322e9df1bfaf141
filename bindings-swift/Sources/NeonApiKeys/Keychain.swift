import Foundation
internal import NeonApiKeysBridge

/// One entry of the platform's keychain, named by a service and an account, holding at most one key: its id,
/// name, secret, organization and project (when scoped), creation time and creator.
///
/// On macOS and iOS the entry is a generic password item of the Keychain; on Linux a key of the kernel keyring
/// (keyutils), in the user's keyring. ``backend`` names the store in use.
///
/// ```swift
/// let keychain = try Keychain(service: "my-app", account: "neon-deploy")
/// let created = try await client.createApiKey(name: "deploy")
/// try keychain.save(created)                              // the secret goes straight into the keychain
///
/// let client = try NeonClient(keychain: keychain)         // later: the key the entry holds
/// let rotation = try await client.rotateKeychainKey(keychain)   // rotated in place
/// ```
///
/// An entry is also a `store` for any two-phase rotation: `store: { try keychain.save($0) }`.
///
/// A key loaded from the entry keeps its secret in an ``ApiKeySecret``, which the SDK scrubs from every error
/// message while it lives, like any other key. The ``description``, `dump` and `Mirror` show the service, the
/// account and the backend, never a secret; errors say what is wrong with an entry, never what it holds.
public struct Keychain: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The service name (for example your app's bundle identifier).
    public let service: String
    /// The account name within the service.
    public let account: String
    let ffi: FfiKeychain

    /// The entry named by `service` and `account`. Nothing is read or written until you call a method.
    ///
    /// - Throws: ``NeonErrorKind/invalidInput`` when either name is empty, longer than 200 characters or holds a
    ///   control character.
    public init(service: String, account: String) throws {
        ffi = try bridged { try FfiKeychain(service: service, account: account) }
        self.service = service
        self.account = account
    }

    /// The store this platform uses: `"macOS Keychain"` on Apple platforms, `"Linux kernel keyring (keyutils)"`
    /// on Linux.
    public static var backend: String { ffiKeychainBackend() }

    /// Saves `key` (its secret, id, name, scope, creation time and creator) in the entry, replacing what it held.
    ///
    /// - Throws: ``NeonErrorKind/keychain`` when the store refuses or is unavailable (locked, no access);
    ///   ``NeonErrorKind/invalidInput`` when ``CreatedApiKey/createdAt`` is not a finite date.
    public func save(_ key: CreatedApiKey) throws {
        let record = FfiKeyToSave(
            id: key.id, key: key.key.ffi, name: key.name, createdAtSeconds: key.createdAt?.timeIntervalSince1970,
            createdBy: key.creatorId, orgId: key.orgId, projectId: key.projectId)
        try bridged { try ffi.save(key: record) }
    }

    /// The key the entry holds, or `nil` when it holds none.
    ///
    /// - Throws: ``NeonErrorKind/keychain`` when the store is unavailable, or when the entry holds something that
    ///   is not a key record of this SDK (the message says what is wrong, never what the entry holds).
    public func load() throws -> CreatedApiKey? {
        try bridged { try ffi.load() }.map(CreatedApiKey.init)
    }

    /// Deletes the entry.
    ///
    /// - Returns: Whether there was one.
    /// - Throws: ``NeonErrorKind/keychain`` when the store is unavailable.
    @discardableResult
    public func delete() throws -> Bool {
        try bridged { try ffi.delete() }
    }

    /// Whether the entry holds something (a key record or not).
    ///
    /// - Throws: ``NeonErrorKind/keychain`` when the store is unavailable.
    public var exists: Bool {
        get throws { try bridged { try ffi.exists() } }
    }

    /// `Keychain(service: "my-app", account: "neon-deploy", backend: macOS Keychain)`.
    public var description: String {
        "Keychain(service: \(String(reflecting: service)), account: \(String(reflecting: account)), "
            + "backend: \(Self.backend))"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// The service, the account and the backend (what `dump` and `Mirror` show).
    public var customMirror: Mirror {
        Mirror(
            self, children: ["service": service, "account": account, "backend": Self.backend],
            displayStyle: .struct)
    }

    /// Whether both name the same entry.
    public static func == (lhs: Keychain, rhs: Keychain) -> Bool {
        lhs.service == rhs.service && lhs.account == rhs.account
    }

    /// Hashes the service and the account.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(service)
        hasher.combine(account)
    }
}
