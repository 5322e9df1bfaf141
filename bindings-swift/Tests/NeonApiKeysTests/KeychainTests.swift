import Foundation
import NeonApiKeys
import NeonApiKeysTestHooksBridge
import NeonApiKeysTesting
import XCTest

/// Keys kept in the platform's keychain (on Linux the kernel keyring, through the core): round trips, overwrite,
/// delete, missing and corrupted entries, a client taking its key from an entry, rotation in place (a failing save
/// included), an entry as a rotation's store, and no secret in any text.
///
/// Every test uses entries of its own service name and deletes them in `tearDown`.
final class KeychainTests: EmulatorTestCase {
    private var entries: [Keychain] = []

    /// A new entry of a service name no other test (or run) uses; deleted in `tearDown`.
    private func entry(account: String = "deploy") throws -> Keychain {
        let keychain = try Keychain(
            service: "neon-api-keys-swift-test-\(getpid())-\(UUID().uuidString.prefix(8))", account: account)
        entries.append(keychain)
        return keychain
    }

    override func tearDown() async throws {
        ffiKeychainRefuseNextSaves(count: 0)
        for keychain in entries {
            try keychain.delete()
            XCTAssertFalse(try keychain.exists, "\(keychain) is left behind")
        }
        entries = []
        try await super.tearDown()
    }

    // MARK: The entry itself

    func testARoundTripKeepsEveryField() async throws {
        let keychain = try entry()
        let secret = "kc-roundtrip-" + String(repeating: "r", count: 51)
        let key = CreatedApiKey(
            id: 5000, key: ApiKeySecret(secret), name: "ci", createdAt: Date(timeIntervalSince1970: 1_735_689_600),
            creatorId: "11111111-1111-4111-8111-111111111111", orgId: "org-acme-1234", projectId: "proj-alpha-5678")
        XCTAssertFalse(try keychain.exists)
        try keychain.save(key)
        XCTAssertTrue(try keychain.exists)
        let loaded = try XCTUnwrap(try keychain.load())
        XCTAssertEqual(loaded, key, "every field comes back, the secret included")
        XCTAssertEqual(loaded.key.reveal(), secret)
        XCTAssertEqual(loaded.createdAt, Date(timeIntervalSince1970: 1_735_689_600))
        XCTAssertEqual(loaded.orgId, "org-acme-1234")
        assertNoSecret([keychain, loaded, loaded.key], secrets: [secret])
    }

    func testAMissingEntryIsNilNotAnError() async throws {
        let keychain = try entry()
        XCTAssertNil(try keychain.load())
        XCTAssertFalse(try keychain.exists)
        XCTAssertFalse(try keychain.delete(), "nothing to delete")
    }

    func testASaveReplacesWhatTheEntryHeld() async throws {
        let keychain = try entry()
        try keychain.save(CreatedApiKey(id: 5000, key: ApiKeySecret(String(repeating: "a", count: 64)), name: "one"))
        let second = CreatedApiKey(id: 5001, key: ApiKeySecret(String(repeating: "b", count: 64)), name: "two")
        try keychain.save(second)
        XCTAssertEqual(try keychain.load(), second)
        let same = try Keychain(service: keychain.service, account: keychain.account)
        XCTAssertEqual(same, keychain)
        XCTAssertEqual(try same.load()?.id, 5001, "another value naming the same entry sees it")
        let other = try Keychain(service: keychain.service, account: "other")
        entries.append(other)
        XCTAssertNil(try other.load(), "another account of the service is another entry")
    }

    func testDeleteEmptiesTheEntry() async throws {
        let keychain = try entry()
        try keychain.save(CreatedApiKey(id: 7, key: ApiKeySecret(String(repeating: "d", count: 64)), name: "gone"))
        XCTAssertTrue(try keychain.delete())
        XCTAssertFalse(try keychain.exists)
        XCTAssertNil(try keychain.load())
        XCTAssertFalse(try keychain.delete())
    }

    func testBadNamesAndDatesAreInvalidInputNotATrap() async throws {
        for (service, account) in [("", "a"), ("s", ""), ("s\n", "a"), ("s", String(repeating: "x", count: 201))] {
            let error = await neonError { try Keychain(service: service, account: account) }
            XCTAssertEqual(error?.kind, .invalidInput, "\(String(reflecting: service))/\(String(reflecting: account))")
        }
        let keychain = try entry()
        for bad in [Double.nan, .infinity, -.infinity] {
            let key = CreatedApiKey(
                id: 1, key: ApiKeySecret(String(repeating: "n", count: 64)), name: "n",
                createdAt: Date(timeIntervalSince1970: bad))
            let error = await neonError { try keychain.save(key) }
            XCTAssertEqual(error?.kind, .invalidInput)
            XCTAssertTrue(error?.message.contains("createdAt") ?? false, "\(String(describing: error))")
        }
        XCTAssertFalse(try keychain.exists, "nothing was written")
    }

    func testACorruptedEntryIsAClearKeychainErrorShowingNothingItHolds() async throws {
        let keychain = try entry()
        let secret = "kc-corrupt-hunter2-" + String(repeating: "c", count: 40)
        let records: [(String, [UInt8])] = [
            ("not JSON", Array("not json at all, \(secret)".utf8)),
            ("fields missing", Array(#"{"version":1,"id":5,"name":"x"}"#.utf8)),
            ("an unknown field", Array(#"{"version":1,"id":5,"name":"x","key":"\#(secret)","extra":true}"#.utf8)),
            ("another version", Array(#"{"version":9,"id":5,"name":"x","key":"\#(secret)"}"#.utf8)),
            ("an empty secret", Array(#"{"version":1,"id":5,"name":"x","key":""}"#.utf8)),
            ("not UTF-8", [0xff, 0xfe, 0x00] + Array(secret.utf8)),
        ]
        for (what, bytes) in records {
            try ffiKeychainWriteRaw(service: keychain.service, account: keychain.account, bytes: Data(bytes))
            if what != "not UTF-8" {  // the core reads the entry as text to answer `exists`
                XCTAssertTrue(try keychain.exists, what)
            }
            let loadError = await neonError { try keychain.load() }
            let error = try XCTUnwrap(loadError, what)
            XCTAssertEqual(error.kind, .keychain, "\(what): \(error)")
            XCTAssertEqual(error.kind.name, "keychain")
            XCTAssertTrue(error.message.contains(Keychain.backend), "\(what): \(error)")
            XCTAssertTrue(error.message.contains(keychain.service), "\(what): the entry is named: \(error)")
            assertNoSecret([error], secrets: [secret])
            assertNoSecret([error], secrets: ["hunter2"])
        }
        // A client built on such an entry fails to build, with the same error.
        let error = await neonError {
            try NeonClient(keychain: keychain, baseURL: URL(string: "http://127.0.0.1:9/api/v2"))
        }
        XCTAssertEqual(error?.kind, .keychain)
        // Saving over it repairs the entry.
        let key = CreatedApiKey(id: 9, key: ApiKeySecret(String(repeating: "f", count: 64)), name: "fixed")
        try keychain.save(key)
        XCTAssertEqual(try keychain.load(), key)
    }

    func testTheDescriptionShowsTheEntryAndTheBackendNeverASecret() async throws {
        let keychain = try Keychain(service: "my-app", account: "neon-deploy")
        XCTAssertEqual(
            keychain.description,
            #"Keychain(service: "my-app", account: "neon-deploy", backend: \#(Keychain.backend))"#)
        XCTAssertEqual(String(reflecting: keychain), keychain.description)
        XCTAssertEqual(
            Mirror(reflecting: keychain).children.map { $0.label ?? "" }, ["service", "account", "backend"])
        #if os(Linux)
        XCTAssertEqual(Keychain.backend, "Linux kernel keyring (keyutils)")
        #elseif os(macOS) || os(iOS)
        XCTAssertEqual(Keychain.backend, "macOS Keychain")
        #endif
        XCTAssertEqual(Set([keychain, try Keychain(service: "my-app", account: "neon-deploy")]).count, 1)
    }

    // MARK: A client and its key

    func testAClientTakesItsKeyFromTheEntryAfterExplicitKeysAndTheEnvironment() async throws {
        let emulator = try self.emulator
        let keychain = try entry()
        try keychain.save(
            CreatedApiKey(id: emulator.seed.ids.admin, key: ApiKeySecret(emulator.seed.keys.admin), name: "admin"))
        let configuration = NeonEmulator.testConfiguration
        let fromEntry = try NeonClient(keychain: keychain, baseURL: emulator.baseURL, configuration: configuration)
        let details = try await fromEntry.authDetails()
        XCTAssertEqual(details.accountId, emulator.seed.users.admin)
        XCTAssertEqual(details.authMethod, .apiKeyUser)
        let explicit = try NeonClient(
            apiKey: emulator.seed.keys.member, keychain: keychain, baseURL: emulator.baseURL,
            configuration: configuration)
        let explicitAccount = try await explicit.authDetails().accountId
        XCTAssertEqual(explicitAccount, emulator.seed.users.member, "an explicit key wins")
        assertNoSecret([fromEntry, explicit], secrets: [emulator.seed.keys.admin])

        // An org key in the entry serves organization operations.
        let org = try entry(account: "org")
        let orgKey = try await emulator.addKey(owner: .organization, name: "kc-org")
        XCTAssertEqual(orgKey.orgId, emulator.seed.orgId, "the testing library names the organization")
        try org.save(orgKey)
        let orgClient = try NeonClient(keychain: org, baseURL: emulator.baseURL, configuration: configuration)
        let orgKeys = try await orgClient.listOrgApiKeys(orgId: emulator.seed.orgId)
        XCTAssertTrue(orgKeys.contains { $0.id == orgKey.id })

        // An empty entry: the first call says which entry held nothing, and sends nothing.
        try keychain.delete()
        let empty = try NeonClient(keychain: keychain, baseURL: emulator.baseURL, configuration: configuration)
        try await emulator.clearRequests()
        let error = await neonError { try await empty.listApiKeys() }
        XCTAssertEqual(error?.kind, .config)
        XCTAssertTrue(error?.message.contains(keychain.service) ?? false, "\(String(describing: error))")
        let sent = try await emulator.requests()
        XCTAssertEqual(sent.count, 0)
    }

    func testASecretLoadedFromTheEntryIsScrubbedFromErrors() async throws {
        let emulator = try self.emulator
        let keychain = try entry()
        let secret = "kc-scrub-\(UUID().uuidString)-" + String(repeating: "s", count: 20)
        // Written raw, so that nothing in this process holds the secret before the load.
        let record = #"{"version":1,"id":5555,"name":"scrub","key":"\#(secret)"}"#
        try ffiKeychainWriteRaw(service: keychain.service, account: keychain.account, bytes: Data(record.utf8))
        let echo = Fault(
            method: "GET", path: "/api_keys",
            action: .respond(status: 400, json: #"{"code": "", "message": "bad key \#(secret)"}"#))
        let client = try client(maxRetries: 0)

        try await emulator.addFault(echo)
        let before = await neonError { try await client.listApiKeys() }
        XCTAssertTrue(before?.message.contains(secret) ?? false, "an unknown value is not scrubbed: the check can fail")

        let loaded = try XCTUnwrap(try keychain.load())
        try await emulator.addFault(echo)
        let afterLoad = await neonError { try await client.listApiKeys() }
        let after = try XCTUnwrap(afterLoad)
        XCTAssertTrue(after.message.contains("[REDACTED]"), after.message)
        assertNoSecret([after, loaded], secrets: [secret])
        withExtendedLifetime(loaded) {}
    }

    // MARK: Rotation

    func testRotationInPlaceMovesTheEntryAndTheClientToTheNewKey() async throws {
        let emulator = try self.emulator
        let keychain = try entry()
        let old = try await client().createApiKey(name: "kc-app")
        try keychain.save(old)
        // The client itself uses the key the entry holds.
        let client = try NeonClient(
            keychain: keychain, baseURL: emulator.baseURL, configuration: NeonEmulator.testConfiguration)
        let rotation = try await client.rotateKeychainKey(keychain)
        let held = try XCTUnwrap(try keychain.load())
        XCTAssertEqual(held.id, rotation.newKey.id)
        XCTAssertNotEqual(held.key, old.key)
        XCTAssertTrue(held.name.hasPrefix("kc-app-"), held.name)
        XCTAssertEqual(rotation.oldKeyId, old.id)
        XCTAssertEqual(rotation.revoked?.id, old.id)
        XCTAssertTrue(rotation.isComplete)
        let keys = try await emulator.keys()
        XCTAssertEqual(keys.first { $0.id == old.id }?.isRevoked, true)
        XCTAssertEqual(keys.first { $0.id == held.id }?.isRevoked, false)
        // The client moved to the new key: it keeps working after its old key was revoked, and rotates again.
        _ = try await client.listApiKeys()
        let again = try await client.rotateKeychainKey(keychain, newName: "kc-app-v3")
        XCTAssertEqual(try keychain.load()?.id, again.newKey.id)
        XCTAssertEqual(try keychain.load()?.name, "kc-app-v3")
        assertNoSecret([rotation, again, client, keychain], secrets: [held.key.reveal()])
    }

    func testAnOrgKeyIsRotatedInPlaceKeepingItsScope() async throws {
        let emulator = try self.emulator
        let keychain = try entry()
        let seed = emulator.seed
        let scoped = try await client().createOrgApiKey(orgId: seed.orgId, name: "kc-scoped", projectId: seed.projectId)
        XCTAssertEqual(scoped.orgId, seed.orgId, "a created org key names its organization")
        try keychain.save(scoped)
        let rotation = try await client().rotateKeychainKey(keychain)
        let held = try XCTUnwrap(try keychain.load())
        XCTAssertEqual(held.orgId, seed.orgId)
        XCTAssertEqual(held.projectId, seed.projectId)
        XCTAssertEqual(rotation.newKey.projectId, seed.projectId)
        XCTAssertEqual(rotation.revoked?.id, scoped.id)
    }

    func testAFailingSaveLeavesTheEntryAndTheOldKeyAsTheyWere() async throws {
        let emulator = try self.emulator
        let keychain = try entry()
        let old = try await client().createApiKey(name: "kc-keep")
        try keychain.save(old)
        ffiKeychainRefuseNextSaves(count: 1)
        let refused = await neonError { try await self.client().rotateKeychainKey(keychain) }
        let error = try XCTUnwrap(refused)
        XCTAssertEqual(error.kind, .keychain)
        XCTAssertTrue(error.message.contains("was revoked"), "the message says what became of the new key: \(error)")
        let held = try XCTUnwrap(try keychain.load())
        XCTAssertEqual(held, old, "the entry still holds the old key")
        let keys = try await emulator.keys()
        XCTAssertEqual(keys.first { $0.id == old.id }?.isRevoked, false, "the old key stays live")
        let newer = keys.filter { $0.id > old.id }
        XCTAssertEqual(newer.count, 1, "one new key was made: \(newer)")
        XCTAssertEqual(newer.first?.isRevoked, true, "and revoked")
        assertNoSecret([error], secrets: [old.key.reveal()])
    }

    func testAnEmptyEntryHasNothingToRotate() async throws {
        let emulator = try self.emulator
        let keychain = try entry()
        try await emulator.clearRequests()
        let error = await neonError { try await self.client().rotateKeychainKey(keychain) }
        XCTAssertEqual(error?.kind, .notFound)
        XCTAssertTrue(error?.message.contains("holds no key") ?? false, "\(String(describing: error))")
        let sent = try await emulator.requests()
        XCTAssertEqual(sent.count, 0, "nothing created")
    }

    func testAnEntryIsAStoreOfATwoPhaseRotation() async throws {
        let emulator = try self.emulator
        let keychain = try entry()
        let client = try client()
        let seed = emulator.seed
        let old = try await client.createOrgApiKey(orgId: seed.orgId, name: "kc-store")
        let rotation = try await client.rotateOrgApiKey(orgId: seed.orgId, oldId: old.id) { try keychain.save($0) }
        let held = try XCTUnwrap(try keychain.load())
        XCTAssertEqual(held.id, rotation.newKey.id)
        XCTAssertEqual(held.orgId, seed.orgId, "the key handed to the store names its organization")
        XCTAssertTrue(rotation.isComplete)

        // The entry now rotates in place as the org key it holds; a refused save is the store's own error.
        ffiKeychainRefuseNextSaves(count: 1)
        let failures = Recorder<StoreFailure>()
        do {
            _ = try await client.rotateOrgApiKey(
                orgId: seed.orgId, oldId: held.id, onStoreFailure: { failures.add($0) }
            ) { try keychain.save($0) }
            XCTFail("the save was refused")
        } catch let error as NeonError {
            XCTAssertEqual(error.kind, .keychain)
        }
        XCTAssertEqual(failures.values.first?.isNewKeyRevoked, true)
        XCTAssertEqual(try keychain.load(), held, "the entry is as it was")
        let inPlace = try await client.rotateKeychainKey(keychain)
        XCTAssertNil(inPlace.newKey.projectId)
        XCTAssertEqual(inPlace.revoked?.id, held.id)
    }
}
