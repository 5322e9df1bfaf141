import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Paths of the repository, found from this file's location (the same inside the Linux chroot).
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // NeonApiKeysTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // bindings-swift
        .deletingLastPathComponent()

    static var emulatorBinary: String {
        if let bin = ProcessInfo.processInfo.environment["NEON_EMULATOR_BIN"], !bin.isEmpty { return bin }
        return root.appendingPathComponent("target/debug/neon-api-keys-emulator").path
    }
}

struct EmulatorProcessError: Error, CustomStringConvertible {
    let description: String
}

/// The emulator binary for the conformance runner (tests/conformance/README.md starts the binary), with
/// `--port 0`; killed by `stop()` (and it exits by
/// itself when the test process dies, since its stdin closes).
final class Emulator: @unchecked Sendable {
    let process = Process()
    private let stdinPipe = Pipe()
    let baseUrl: String
    let controlUrl: String
    private(set) var seed: JSON

    init() throws {
        let binary = Repo.emulatorBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw EmulatorProcessError(description: "emulator binary \(binary) is missing: cargo build -p neon-api-keys-emulator")
        }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--exit-on-stdin-close"]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdinPipe
        try process.run()
        // Read the first line: {"base_url","control_url","seed"}.
        var line = Data()
        let handle = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let end = line.firstIndex(of: UInt8(ascii: "\n")) else {
            process.terminate()
            throw EmulatorProcessError(description: "the emulator printed no line")
        }
        let info = try JSON.parse(line[line.startIndex..<end])
        guard let base = info["base_url"]?.string, let control = info["control_url"]?.string,
              let seed = info["seed"] else {
            process.terminate()
            throw EmulatorProcessError(description: "unexpected first line from the emulator: \(info)")
        }
        baseUrl = base
        controlUrl = control
        self.seed = seed
    }

    private var stopped = false

    /// Stops the emulator (SIGTERM, then SIGKILL after 1 s: its graceful shutdown takes seconds and it holds
    /// nothing worth saving) and reaps it. Uses `waitpid` instead of
    /// `waitUntilExit()`, which never returns when called from an async context on Linux (it spins a run loop
    /// that nothing drives there).
    func stop() {
        guard !stopped else { return }
        stopped = true
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for attempt in 0..<100 {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || reaped == -1 { return }  // exited (or already reaped by Foundation)
            if attempt == 20 { kill(pid, SIGKILL) }
            usleep(50_000)
        }
    }

    deinit { stop() }

    /// Calls the control API (`/_emulator/...`).
    @discardableResult
    func control(_ method: String, _ path: String, _ body: JSON? = nil) async throws -> JSON {
        var request = URLRequest(url: URL(string: controlUrl + path)!)
        request.httpMethod = method
        // No keep-alive: an idle pooled connection would hold up the emulator's graceful shutdown.
        request.setValue("close", forHTTPHeaderField: "Connection")
        if let body {
            request.httpBody = try body.data()
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, status): (Data, Int) = try await withCheckedThrowingContinuation { cont in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    cont.resume(throwing: error)
                } else {
                    cont.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                }
            }.resume()
        }
        guard (200..<300).contains(status) else {
            throw EmulatorProcessError(description: "\(method) \(path) -> \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return data.isEmpty ? .null : try JSON.parse(data)
    }

    /// Restores the seed (and clears faults and the request log) with this reset body
    /// (`rate_limits`, `clock_offset_ms`, `name_conflict_status`).
    @discardableResult
    func reset(_ body: JSON) async throws -> JSON {
        let seed = try await control("POST", "/reset", body)
        self.seed = seed
        return seed
    }

    /// Adds a fault (`/_emulator/faults`).
    func fault(_ fault: JSON) async throws {
        try await control("POST", "/faults", fault)
    }

    /// The Neon API requests logged since the last reset.
    func requests() async throws -> [JSON] {
        try await control("GET", "/requests").array ?? []
    }
}
