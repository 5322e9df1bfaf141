import Foundation
import NeonApiKeys

/// The canonical JSON of results and errors (tests/conformance/README.md, "Canonical JSON"), from the Swift
/// API's values. Mirrors the Rust runner's `canonical.rs`.
enum Canonical {
    /// RFC 3339 in UTC with `Z`, fractional seconds only when present (chrono's `SecondsFormat::AutoSi`).
    static func date(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = t.rounded(.down)
        var micros = Int(((t - seconds) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros = 0
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let base = formatter.string(from: Date(timeIntervalSince1970: seconds))
        if micros == 0 { return base + "Z" }
        if micros % 1000 == 0 { return base + String(format: ".%03d", micros / 1000) + "Z" }
        return base + String(format: ".%06d", micros) + "Z"
    }

    static func date(_ date: Date?) -> JSON {
        date.map { .string(Canonical.date($0)) } ?? .null
    }

    /// Parses an RFC 3339 date-time (with or without fractional seconds, any offset).
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static func apiKey(_ k: ApiKey) -> JSON {
        [
            "id": JSON(k.id), "name": JSON(k.name), "created_at": date(k.createdAt),
            "created_by": k.createdBy.map { ["id": JSON($0.id), "name": JSON($0.name), "image": JSON($0.image)] }
                ?? .null,
            "last_used_at": date(k.lastUsedAt), "last_used_from_addr": JSON(k.lastUsedFromAddr),
            "project_id": JSON(k.projectId),
        ]
    }

    static func apiKeys(_ keys: [ApiKey]) -> JSON { .array(keys.map(apiKey)) }

    static func created(_ k: CreatedApiKey) -> JSON {
        [
            "id": JSON(k.id), "key": JSON(k.key.reveal()), "name": JSON(k.name), "created_at": date(k.createdAt),
            "created_by": JSON(k.createdBy), "project_id": JSON(k.projectId),
        ]
    }

    static func revoked(_ k: RevokedApiKey) -> JSON {
        [
            "id": JSON(k.id), "name": JSON(k.name), "created_at": date(k.createdAt),
            "created_by": JSON(k.createdBy), "last_used_at": date(k.lastUsedAt),
            "last_used_from_addr": JSON(k.lastUsedFromAddr), "revoked": JSON(k.revoked),
            "project_id": JSON(k.projectId),
        ]
    }

    static func auth(_ a: AuthDetails) -> JSON {
        ["account_id": JSON(a.accountId), "auth_method": JSON(a.authMethod.wireName), "auth_data": JSON(a.authData)]
    }

    static func project(_ p: Project) -> JSON {
        ["id": JSON(p.id), "name": JSON(p.name), "org_id": JSON(p.orgId)]
    }

    static func rotation(_ r: Rotation) -> JSON {
        [
            "new_key": created(r.newKey),
            "revoked": r.revoked.map(revoked) ?? .null,
            "revoke_error": r.revokeError.map {
                ["kind": JSON($0.kindName), "status": JSON($0.status), "message": JSON($0.message)]
            } ?? .null,
        ]
    }

    static func error(_ e: NeonError) -> JSON {
        var outcome: JSON = .null
        var verification: JSON = .null
        switch e {
        case .OutcomeUnknown(_, _, _, _, _, let details?):
            outcome = [
                "key_name": JSON(details.keyName), "org_id": JSON(details.orgId),
                "project_id": JSON(details.projectId),
                "not_before": .string(date(details.notBefore)), "not_after": .string(date(details.notAfter)),
            ]
        case .VerificationFailed(_, _, _, _, _, let details?):
            verification = ["key_id": JSON(details.keyId), "revoked": JSON(details.revoked)]
        default:
            break
        }
        return [
            "kind": JSON(e.kindName), "status": JSON(e.status), "message": JSON(e.message), "code": JSON(e.code),
            "request_id": JSON(e.requestId),
            "retry_after_ms": e.retryAfter.map { .int(Int64(($0 * 1000).rounded())) } ?? .null,
            "outcome_unknown": outcome, "verification": verification,
        ]
    }
}
