// Swift driver of `make bench`: NeonApiKeys against a raw URLSession + JSONDecoder loop. Same protocol as every
// driver (see bench/rust/src/main.rs): reads BENCH_BASE_URL and BENCH_API_KEY, prints {"ready":true,...}, then
// answers one JSON command per stdin line with one JSON line of samples.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NeonApiKeys

let env = ProcessInfo.processInfo.environment
let base = (env["BENCH_BASE_URL"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
let key = env["BENCH_API_KEY"] ?? ""
let contenders = ["swift-nak", "swift-urlsession"]

struct Skip: Error { let why: String }

// What the raw loop decodes into: the list item as the spec gives it, strings left as strings.
struct RawCreator: Decodable { let id: String; let name: String; let image: String? }
struct RawKey: Decodable {
    let id: Int64; let name: String; let created_at: String; let created_by: RawCreator?
    let last_used_at: String?; let last_used_from_addr: String; let project_id: String?
}
struct RawCreated: Decodable { let id: Int64; let key: String; let name: String }

let session = URLSession(configuration: .default)

func fetch(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Data {
    var req = URLRequest(url: URL(string: base + path)!)
    req.httpMethod = method
    req.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
    req.setValue("application/json", forHTTPHeaderField: "Accept")
    if let body {
        req.httpBody = try JSONSerialization.data(withJSONObject: body)
        req.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    return try await withCheckedThrowingContinuation { cont in
        session.dataTask(with: req) { data, resp, err in
            if let err { return cont.resume(throwing: err) }
            let status = (resp as? HTTPURLResponse)?.statusCode ?? 0
            if status != 200 { return cont.resume(throwing: Skip(why: "HTTP \(status)")) }
            cont.resume(returning: data ?? Data())
        }.resume()
    }
}

var nak: NeonClient?
func client() throws -> NeonClient {
    if let nak { return nak }
    let c = try NeonClient(options: NeonClientOptions(apiKey: ApiKeySecret(value: key), baseUrl: base, throttle: false))
    nak = c
    return c
}

func list(_ contender: String) async throws -> Int {
    if contender == "swift-nak" { return try await client().listApiKeys().count }
    return try JSONDecoder().decode([RawKey].self, from: try await fetch("GET", "/api_keys")).count
}

func createRevoke(_ contender: String, _ i: Int) async throws {
    if contender == "swift-nak" {
        let c = try client()
        let created = try await c.createApiKey(name: "bench-\(i)")
        _ = try await c.revokeApiKey(id: created.id)
        return
    }
    let created = try JSONDecoder().decode(RawCreated.self, from: try await fetch("POST", "/api_keys", ["key_name": "bench-\(i)"]))
    _ = try await fetch("DELETE", "/api_keys/\(created.id)")
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func timeEach(_ n: Int, _ warmup: Int, _ body: (Int) async throws -> Void) async throws -> [UInt64] {
    var samples: [UInt64] = []
    for i in 0..<(warmup + n) {
        let t = now()
        try await body(i)
        if i >= warmup { samples.append(now() - t) }
    }
    return samples
}

func inFlight(_ contender: String, _ n: Int, _ conc: Int) async throws {
    try await withThrowingTaskGroup(of: Int.self) { group in
        var started = 0
        while started < min(conc, n) { group.addTask { try await list(contender) }; started += 1 }
        while try await group.next() != nil {
            if started < n { group.addTask { try await list(contender) }; started += 1 }
        }
    }
}

func run(_ cmd: [String: Any]) async throws -> [UInt64] {
    let c = cmd["contender"] as? String ?? "", op = cmd["op"] as? String ?? ""
    let n = cmd["n"] as? Int ?? 1, warmup = cmd["warmup"] as? Int ?? 0, conc = cmd["conc"] as? Int ?? 1
    guard contenders.contains(c) else { throw Skip(why: "unknown contender \(c)") }
    switch op {
    case "list": return try await timeEach(n, warmup) { _ in _ = try await list(c) }
    case "create_revoke": return try await timeEach(n, warmup) { i in try await createRevoke(c, i) }
    case "conc":
        try await inFlight(c, warmup, conc)
        let t = now()
        try await inFlight(c, n, conc)
        return [now() - t]
    case "decode":
        guard c == "swift-urlsession" else { throw Skip(why: "decoding happens inside the Rust core: see list minus rust-bytes") }
        let body = try await fetch("GET", "/api_keys")
        return try await timeEach(n, warmup) { _ in _ = try JSONDecoder().decode([RawKey].self, from: body) }
    default: throw Skip(why: "unknown op \(op)")
    }
}

func answer(_ line: String) async -> [String: Any] {
    do {
        let cmd = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        return ["ok": true, "samples_ns": try await run(cmd)]
    } catch let e as Skip {
        return ["ok": false, "skip": e.why]
    } catch {
        return ["ok": false, "error": "\(error)"]
    }
}

func emit(_ obj: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: obj)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func maxrssKb() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
}

let args = CommandLine.arguments
if args.count == 3 && args[1] == "--once" {
    var reply = await answer(args[2])
    reply["maxrss_kb"] = maxrssKb()
    emit(reply)
} else {
    emit(["ready": true, "contenders": contenders])
    while let line = readLine() {
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { emit(await answer(line)) }
    }
}
