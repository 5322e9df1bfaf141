import Foundation
internal import NeonApiKeysBridge

/// A listed API key. Never carries the secret.
public struct ApiKey: Sendable, Hashable, Identifiable {
    /// The key id.
    public var id: Int64
    /// The key's name.
    public var name: String
    /// When it was created.
    public var createdAt: Date?
    /// Who created it.
    public var createdBy: Creator?
    /// When it was last used; `nil` if never.
    public var lastUsedAt: Date?
    /// The addresses it was last used from.
    public var lastUsedFromAddresses: [String]
    /// For organization keys: the project a project-scoped key is limited to; `nil` for org-wide and personal keys.
    public var projectId: String?

    /// A key with these values, for example for your own tests.
    public init(
        id: Int64, name: String, createdAt: Date? = nil, createdBy: Creator? = nil, lastUsedAt: Date? = nil,
        lastUsedFromAddresses: [String] = [], projectId: String? = nil
    ) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastUsedAt = lastUsedAt
        self.lastUsedFromAddresses = lastUsedFromAddresses
        self.projectId = projectId
    }

    init(_ k: FfiApiKey) {
        self.init(
            id: k.id, name: k.name, createdAt: k.createdAt, createdBy: k.createdBy.map(Creator.init),
            lastUsedAt: k.lastUsedAt, lastUsedFromAddresses: k.lastUsedFromAddr, projectId: k.projectId)
    }
}

/// Who created a key. Lists give every field; create and revoke answers give only ``id``.
public struct Creator: Sendable, Hashable {
    /// The user's id (a UUID).
    public var id: String?
    /// The user's display name.
    public var name: String?
    /// The user's avatar URL, as Neon sent it.
    public var image: String?

    /// A creator with these values, for example for your own tests.
    public init(id: String? = nil, name: String? = nil, image: String? = nil) {
        self.id = id
        self.name = name
        self.image = image
    }

    init(_ c: FfiCreator) {
        self.init(id: c.id, name: c.name, image: c.image)
    }
}

/// A newly created key. Its secret is shown once: ``key``'s ``ApiKeySecret/reveal()`` gives it; store it now.
/// Printing, dumping or interpolating this value never shows the secret.
public struct CreatedApiKey: Sendable, Equatable, Identifiable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The key id.
    public var id: Int64
    /// The secret.
    public var key: ApiKeySecret
    /// The key's name.
    public var name: String
    /// When it was created.
    public var createdAt: Date?
    /// The id (a UUID) of the user who created it.
    public var creatorId: String?
    /// The organization of an organization or project-scoped key; `nil` for a personal key. Neon's answer to a
    /// create does not carry it: the SDK fills it in from the request, and a ``Keychain`` keeps it, so that a key
    /// read back is used and rotated as the organization key it is.
    public var orgId: String?
    /// The project a project-scoped key is limited to.
    public var projectId: String?

    /// A created key with these values, for example for your own tests.
    public init(
        id: Int64, key: ApiKeySecret, name: String, createdAt: Date? = nil, creatorId: String? = nil,
        orgId: String? = nil, projectId: String? = nil
    ) {
        self.id = id
        self.key = key
        self.name = name
        self.createdAt = createdAt
        self.creatorId = creatorId
        self.orgId = orgId
        self.projectId = projectId
    }

    init(_ k: FfiCreatedApiKey) {
        self.init(
            id: k.id, key: ApiKeySecret(k.key), name: k.name, createdAt: k.createdAt, creatorId: k.createdBy,
            orgId: k.orgId, projectId: k.projectId)
    }

    /// The key without its secret: `CreatedApiKey(id: 5000, name: "ci", key: [REDACTED])`, with `orgId` and
    /// `projectId` when set.
    public var description: String {
        var text = "CreatedApiKey(id: \(id), name: \(String(reflecting: name)), key: \(key)"
        if let orgId { text += ", orgId: \(orgId)" }
        if let projectId { text += ", projectId: \(projectId)" }
        return text + ")"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// The fields, the secret as `[REDACTED]` (what `dump` and `Mirror` show).
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "key": key.description, "name": name, "createdAt": createdAt as Any,
                "creatorId": creatorId as Any, "orgId": orgId as Any, "projectId": projectId as Any,
            ],
            displayStyle: .struct)
    }
}

/// A revoked key, as Neon returns it.
public struct RevokedApiKey: Sendable, Hashable, Identifiable {
    /// The key id.
    public var id: Int64
    /// The key's name.
    public var name: String
    /// When it was created.
    public var createdAt: Date?
    /// The id (a UUID) of the user who created it.
    public var creatorId: String?
    /// When it was last used.
    public var lastUsedAt: Date?
    /// The addresses it was last used from.
    public var lastUsedFromAddresses: [String]
    /// Whether Neon reports it revoked (always `true` on success).
    public var isRevoked: Bool
    /// The project a project-scoped key was limited to.
    public var projectId: String?

    /// A revoked key with these values, for example for your own tests.
    public init(
        id: Int64, name: String, createdAt: Date? = nil, creatorId: String? = nil, lastUsedAt: Date? = nil,
        lastUsedFromAddresses: [String] = [], isRevoked: Bool = true, projectId: String? = nil
    ) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.creatorId = creatorId
        self.lastUsedAt = lastUsedAt
        self.lastUsedFromAddresses = lastUsedFromAddresses
        self.isRevoked = isRevoked
        self.projectId = projectId
    }

    init(_ k: FfiRevokedApiKey) {
        self.init(
            id: k.id, name: k.name, createdAt: k.createdAt, creatorId: k.createdBy, lastUsedAt: k.lastUsedAt,
            lastUsedFromAddresses: k.lastUsedFromAddr, isRevoked: k.revoked, projectId: k.projectId)
    }
}

/// How the client is authenticated (`GET /auth`).
public enum AuthMethod: Sendable, Hashable {
    /// A personal API key.
    case apiKeyUser
    /// An organization API key (org-wide or project-scoped).
    case apiKeyOrg
    /// Console login (keycloak).
    case keycloak
    /// Console session cookie.
    case sessionCookie
    /// OAuth.
    case oauth
    /// A value this SDK does not know yet, kept verbatim.
    case other(String)

    /// Neon's wire name (`"api_key_user"`, `"api_key_org"`, ...; ``other(_:)`` gives its value back).
    public var wireName: String { ffiAuthMethodWireName(method: ffi) }

    init(_ m: FfiAuthMethod) {
        switch m {
        case .apiKeyUser: self = .apiKeyUser
        case .apiKeyOrg: self = .apiKeyOrg
        case .keycloak: self = .keycloak
        case .sessionCookie: self = .sessionCookie
        case .oauth: self = .oauth
        case .other(let value): self = .other(value)
        }
    }

    var ffi: FfiAuthMethod {
        switch self {
        case .apiKeyUser: .apiKeyUser
        case .apiKeyOrg: .apiKeyOrg
        case .keycloak: .keycloak
        case .sessionCookie: .sessionCookie
        case .oauth: .oauth
        case .other(let value): .other(value: value)
        }
    }
}

/// The answer of `GET /auth`: which kind of key is in use.
public struct AuthDetails: Sendable, Hashable {
    /// The user id (personal keys) or organization id (organization keys) the key belongs to.
    public var accountId: String
    /// Which kind of credential is in use.
    public var authMethod: AuthMethod
    /// Extra data Neon may send.
    public var authData: String?

    /// Details with these values, for example for your own tests.
    public init(accountId: String, authMethod: AuthMethod, authData: String? = nil) {
        self.accountId = accountId
        self.authMethod = authMethod
        self.authData = authData
    }

    init(_ a: FfiAuthDetails) {
        self.init(accountId: a.accountId, authMethod: AuthMethod(a.authMethod), authData: a.authData)
    }
}

/// The part of a Neon project this SDK reads.
public struct Project: Sendable, Hashable, Identifiable {
    /// The project id.
    public var id: String
    /// The project name.
    public var name: String?
    /// The organization owning the project; `nil` for a personal project.
    public var orgId: String?

    /// A project with these values, for example for your own tests.
    public init(id: String, name: String? = nil, orgId: String? = nil) {
        self.id = id
        self.name = name
        self.orgId = orgId
    }

    init(_ p: FfiProject) {
        self.init(id: p.id, name: p.name, orgId: p.orgId)
    }
}
