import Foundation

/// The emulator refused a control request (a malformed fault, an unknown owner, a duplicate name, ...) or could
/// not start.
public struct EmulatorError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the control API's answer.
    public let message: String
    /// The control API's HTTP status, when it answered.
    public let status: Int?

    /// The same as ``message``.
    public var description: String { message }
}

/// How the emulator answers a create whose key name a live key of the same account already holds. Neon answers
/// 409; its message always contains `choose another unique name for api key`.
public enum NameConflictStatus: Int, Sendable, CaseIterable {
    /// 400 Bad Request.
    case badRequest = 400
    /// 409 Conflict (Neon's answer).
    case conflict = 409
    /// 422 Unprocessable Entity.
    case unprocessableEntity = 422
}

/// Whose key a seeded key is.
public enum Owner: String, Sendable, CaseIterable {
    /// The seeded admin (`Ada Admin`, admin of the organization): a personal key.
    case admin
    /// The seeded second admin (`Bo Admin`, also admin of the organization): a personal key.
    case secondAdmin = "admin2"
    /// The seeded plain member of the organization: a personal key.
    case member
    /// The organization: an organization key (project-scoped with `projectId`).
    case organization = "org"
}

/// The emulator's seeded world, restored by every reset. The secrets are the emulator's fixed test keys.
public struct Seed: Sendable, Hashable, Decodable {
    /// The seeded organization (`org-acme-1234`).
    public let orgId: String
    /// The project the seeded project-scoped key is limited to (`proj-alpha-5678`).
    public let projectId: String
    /// Another project of the organization (`proj-beta-9012`).
    public let otherProjectId: String
    /// A project the admin owns personally, outside any organization (`proj-solo-3456`).
    public let personalProjectId: String
    /// The seeded keys' secrets.
    public let keys: Keys
    /// The seeded keys' ids.
    public let ids: Ids
    /// The seeded users' ids (UUIDs).
    public let users: Users

    /// The secrets of the seeded keys.
    public struct Keys: Sendable, Hashable, Decodable {
        /// The admin's personal key (id 1001).
        public let admin: String
        /// The second admin's personal key (id 1004).
        public let secondAdmin: String
        /// The member's personal key (id 1002).
        public let member: String
        /// The organization-wide key (id 2001).
        public let org: String
        /// The key scoped to ``Seed/projectId`` (id 2002).
        public let project: String
        /// A revoked personal key of the admin (id 1003): always answers 401.
        public let revoked: String

        enum CodingKeys: String, CodingKey {
            case admin, member, org, project, revoked
            case secondAdmin = "admin2"
        }
    }

    /// The ids of the seeded keys.
    public struct Ids: Sendable, Hashable, Decodable {
        /// 1001.
        public let admin: Int64
        /// 1004.
        public let secondAdmin: Int64
        /// 1002.
        public let member: Int64
        /// 2001.
        public let org: Int64
        /// 2002.
        public let project: Int64
        /// 1003.
        public let revoked: Int64

        enum CodingKeys: String, CodingKey {
            case admin, member, org, project, revoked
            case secondAdmin = "admin2"
        }
    }

    /// The seeded users' ids.
    public struct Users: Sendable, Hashable, Decodable {
        /// Ada Admin, admin of the organization.
        public let admin: String
        /// Bo Admin, the second admin of the organization.
        public let secondAdmin: String
        /// Max Member, a plain member.
        public let member: String

        enum CodingKeys: String, CodingKey {
            case admin, member
            case secondAdmin = "admin2"
        }
    }

    enum CodingKeys: String, CodingKey {
        case keys, ids, users
        case orgId = "org_id"
        case projectId = "project_id"
        case otherProjectId = "other_project_id"
        case personalProjectId = "personal_project_id"
    }

    private struct Startup: Decodable {
        let seed: Seed
    }

    static func decode(startupJSON: Data) throws -> Seed {
        try JSONDecoder().decode(Startup.self, from: startupJSON).seed
    }
}

/// A request that reached the emulator's Neon API.
public struct RecordedRequest: Sendable, Hashable, Decodable {
    /// The order of arrival, from 1.
    public let sequence: Int64
    /// The HTTP method.
    public let method: String
    /// The path without `/api/v2` (`/api_keys`).
    public let path: String
    /// The `X-Request-ID` it carried.
    public let requestId: String?
    /// Which seeded key authenticated it (`admin`, `org`, ..., `unknown`, `none`); never the token.
    public let auth: String?
    /// The status answered; `nil` when no response was sent (a stall, a reset).
    public let status: Int?

    enum CodingKeys: String, CodingKey {
        case method, path, auth, status
        case sequence = "seq"
        case requestId = "request_id"
    }
}

/// A key as the emulator holds it (revoked ones included), without its secret.
public struct EmulatedKey: Sendable, Hashable, Decodable, Identifiable {
    /// The key id.
    public let id: Int64
    /// The key's name.
    public let name: String
    /// Whether it is revoked.
    public let isRevoked: Bool
    /// The user owning a personal key.
    public let ownerId: String?
    /// The organization of an organization key.
    public let orgId: String?
    /// The project a project-scoped key is limited to.
    public let projectId: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case isRevoked = "revoked"
        case ownerId = "owner_id"
        case orgId = "org_id"
        case projectId = "project_id"
    }
}

struct EmulatedState: Decodable {
    let apiKeys: [EmulatedKey]
    let orgApiKeys: [EmulatedKey]

    enum CodingKeys: String, CodingKey {
        case apiKeys = "api_keys"
        case orgApiKeys = "org_api_keys"
    }
}

struct SeededKey: Decodable {
    let id: Int64
    let key: String
    let name: String
    let createdBy: String?
    let projectId: String?

    enum CodingKeys: String, CodingKey {
        case id, key, name
        case createdBy = "created_by"
        case projectId = "project_id"
    }
}

/// A fault: the next ``times`` requests matching ``method`` and ``path`` get ``action`` instead of (or on top
/// of) Neon's answer.
public struct Fault: Sendable, Hashable {
    /// The HTTP method (case-insensitive); `nil`: any.
    public var method: String?
    /// The API path without `/api/v2`; `*` matches exactly one segment (`/api_keys/*`).
    public var path: String
    /// How many requests it applies to; 0: all of them.
    public var times: Int
    /// What happens to them.
    public var action: FaultAction

    /// A fault for the next `times` requests (default 1; 0: all) to `path`.
    public init(method: String? = nil, path: String, times: Int = 1, action: FaultAction) {
        self.method = method
        self.path = path
        self.times = times
        self.action = action
    }

    func json() throws -> Data {
        var body: [String: Any] = ["path": path, "times": times, "action": try action.json()]
        if let method { body["method"] = method }
        return try ControlClient.body(body)
    }
}

/// What a ``Fault`` does to a request (the emulator's README, "Faults", has every detail).
public enum FaultAction: Sendable, Hashable {
    /// Answer this instead of running the handler (nothing happens); `json` is the body as JSON text.
    case respond(status: Int, json: String? = nil, headers: [String: String] = [:])
    /// Run the handler (the key IS created or revoked), then answer this instead.
    case respondAfter(status: Int, json: String? = nil, headers: [String: String] = [:])
    /// Wait, then run the handler.
    case delay(Duration)
    /// Never answer; the connection stays open until the client gives up.
    case stall
    /// Close the connection with a TCP reset before the handler runs.
    case resetBefore
    /// Run the handler (the key IS created), then reset the connection.
    case resetAfter
    /// Send the head with the full `Content-Length`, then only `bytes` body bytes, then close.
    case truncate(bytes: Int)
    /// Any action as the emulator's JSON (`{"type": "trickle", "bytes_per_chunk": 1, "interval_ms": 200}`).
    case custom(json: String)

    func json() throws -> Any {
        func respond(_ type: String, _ status: Int, _ json: String?, _ headers: [String: String]) throws -> Any {
            var action: [String: Any] = ["type": type, "status": status]
            if let json { action["json"] = try ControlClient.parse(json) }
            if !headers.isEmpty { action["headers"] = headers }
            return action
        }
        switch self {
        case .respond(let status, let json, let headers): return try respond("respond", status, json, headers)
        case .respondAfter(let status, let json, let headers):
            return try respond("respond_after", status, json, headers)
        case .delay(let wait): return ["type": "delay", "ms": wait.milliseconds]
        case .stall: return ["type": "stall"]
        case .resetBefore: return ["type": "reset_before"]
        case .resetAfter: return ["type": "reset_after"]
        case .truncate(let bytes): return ["type": "truncate", "bytes": bytes]
        case .custom(let json): return try ControlClient.parse(json)
        }
    }
}
