// neon-api-keys-example: create, list, rotate and revoke a personal API key.
//
//   swift run neon-api-keys-example              # against Neon: NEON_API_KEY (and NEON_API_HOST) from the environment
//   swift run neon-api-keys-example --emulator   # against the SDK's emulator, started in this process
import Foundation
import NeonApiKeys
import NeonApiKeysTesting

/// Where the example keeps the rotated key's secret; an app would use the Keychain.
actor SecretStore {
    private(set) var stored: [Int64: ApiKeySecret] = [:]

    func save(_ key: CreatedApiKey) {
        stored[key.id] = key.key
    }
}

func run() async throws {
    var emulator: NeonEmulator?
    let client: NeonClient
    if CommandLine.arguments.contains("--emulator") {
        let started = try NeonEmulator()
        emulator = started
        client = try started.client()
        print("emulator at \(started.baseURL)")
    } else {
        client = try NeonClient()
    }
    defer { emulator?.stop() }

    let created = try await client.createApiKey(name: "example-\(Int(Date().timeIntervalSince1970))")
    print("created \(created)")  // the secret prints as [REDACTED]

    let keys = try await client.listApiKeys()
    print("listed \(keys.count) keys: \(keys.map(\.name).joined(separator: ", "))")

    let store = SecretStore()
    let rotation = try await client.rotateApiKey(oldId: created.id) { newKey in
        await store.save(newKey)
    }
    print("rotated \(rotation.oldKeyId) → \(rotation.newKey.id) (\(rotation.newKey.name)), complete: \(rotation.isComplete)")

    let revoked = try await client.revokeApiKey(id: rotation.newKey.id)
    print("revoked \(revoked.id)")

    do {
        _ = try await client.revokeApiKey(id: revoked.id)
    } catch let error as NeonError where error.kind == .notFound {
        print("revoking again: \(error.kind) (\(error.status.map(String.init) ?? "-"))")
    }
}

do {
    try await run()
} catch {
    print("error: \(error)")
    exit(1)
}
