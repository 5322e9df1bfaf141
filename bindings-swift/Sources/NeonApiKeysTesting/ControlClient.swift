import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Calls the emulator's HTTP control API (`/_emulator/...`) with JSON bodies.
struct ControlClient: Sendable {
    let controlURL: URL

    /// `method path` with `body` as JSON; the answer's bytes, or ``EmulatorError`` for a non-2xx answer.
    func call(_ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: controlURL.appendingPathComponent(String(path.dropFirst())))
        request.httpMethod = method
        // No keep-alive: an idle pooled connection would hold up the emulator's shutdown.
        request.setValue("close", forHTTPHeaderField: "Connection")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, status) = try await Self.send(request)
        guard (200..<300).contains(status) else {
            let text = String(decoding: data.prefix(500), as: UTF8.self)
            throw EmulatorError(message: "emulator control \(method) \(path): HTTP \(status): \(text)", status: status)
        }
        return data
    }

    private static func send(_ request: URLRequest) async throws -> (Data, Int) {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else {
                    continuation.resume(
                        returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                }
            }.resume()
        }
    }

    /// A JSON body (JSONSerialization's plain values).
    static func body(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    /// JSON text as a value for a body.
    static func parse(_ json: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            throw EmulatorError(message: "not JSON: \(json.prefix(200))", status: nil)
        }
    }

    /// An RFC 3339 timestamp in UTC.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw EmulatorError(message: "an answer of the emulator's control API did not decode: \(error)", status: nil)
        }
    }
}
