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
            "last_used_at": date(k.lastUsedAt), "last_used_from_addr": JSON(k.lastUsedFromAddresses),
            "project_id": JSON(k.projectId),
        ]
    }

    static func apiKeys(_ keys: [ApiKey]) -> JSON { .array(keys.map(apiKey)) }

    static func created(_ k: CreatedApiKey) -> JSON {
        [
            "id": JSON(k.id), "key": JSON(k.key.reveal()), "name": JSON(k.name), "created_at": date(k.createdAt),
            "created_by": JSON(k.creatorId), "project_id": JSON(k.projectId),
        ]
    }

    static func revoked(_ k: RevokedApiKey) -> JSON {
        [
            "id": JSON(k.id), "name": JSON(k.name), "created_at": date(k.createdAt),
            "created_by": JSON(k.creatorId), "last_used_at": date(k.lastUsedAt),
            "last_used_from_addr": JSON(k.lastUsedFromAddresses), "revoked": JSON(k.isRevoked),
            "project_id": JSON(k.projectId),
        ]
    }

    static func auth(_ a: AuthDetails) -> JSON {
        ["account_id": JSON(a.accountId), "auth_method": JSON(a.authMethod.wireName), "auth_data": JSON(a.authData)]
    }

    static func project(_ p: Project) -> JSON {
        ["id": JSON(p.id), "name": JSON(p.name), "org_id": JSON(p.orgId)]
    }

    /// Rotation; `stored` is what the runner's store received.
    static func rotation(_ r: Rotation, stored: CreatedApiKey?) -> JSON {
        [
            "new_key": apiKey(r.newKey),
            "old_key_id": JSON(r.oldKeyId),
            "revoked": r.revoked.map(revoked) ?? .null,
            "revoke_error": r.revokeError.map {
                ["kind": JSON($0.kind.name), "status": JSON($0.status), "message": JSON($0.message)]
            } ?? .null,
            "new_key_seen_in_use": r.newKeySeenInUse.map { .bool($0) } ?? .null,
            "stored": stored.map(created) ?? .null,
        ]
    }

    /// The error a rotation's store threw: `{"kind": "store", "message"}`, every other field null.
    static func storeError(_ error: any Error) -> JSON {
        [
            "kind": "store", "status": .null, "message": JSON(String(describing: error)), "code": .null,
            "request_id": .null, "retry_after_ms": .null, "outcome_unknown": .null, "verification": .null,
        ]
    }

    static func error(_ e: NeonError) -> JSON {
        let outcome: JSON = e.outcomeUnknown.map { d in
            [
                "key_name": JSON(d.keyName), "org_id": JSON(d.orgId), "project_id": JSON(d.projectId),
                "not_before": .string(date(d.notBefore)), "not_after": .string(date(d.notAfter)),
                "candidate_ids": .array(d.candidateIds.map { .int($0) }),
            ]
        } ?? .null
        let verification: JSON = e.verification.map {
            ["key_id": JSON($0.keyId), "revoked": JSON($0.isRevoked)]
        } ?? .null
        return [
            "kind": JSON(e.kind.name), "status": JSON(e.status), "message": JSON(e.message), "code": JSON(e.code),
            "request_id": JSON(e.requestId), "retry_after_ms": e.retryAfter.map { .int(milliseconds($0)) } ?? .null,
            "outcome_unknown": outcome, "verification": verification,
        ]
    }

    /// Whole milliseconds, rounded down, clamped to Int64.
    static func milliseconds(_ d: Duration) -> Int64 {
        let (seconds, atto) = d.components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? .max : ms + atto / 1_000_000_000_000_000
    }
}
