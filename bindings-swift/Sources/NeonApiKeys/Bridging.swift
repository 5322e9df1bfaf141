// How the public API reaches the bridge: durations, dates and cancellation. Durations and dates cross as `Double`
// seconds, never as uniffi's `TimeInterval`/`Date` lowering, which traps on a negative, NaN or infinite value;
// every duration is checked here, by the core's rule and under its Swift name, before it crosses.
import Foundation
internal import NeonApiKeysBridge

extension Duration {
    /// A duration from the bridge, exactly.
    init(_ d: FfiDuration) {
        self = .seconds(Int64(clamping: d.seconds)) + .nanoseconds(Int64(d.nanoseconds))
    }

    /// The duration in seconds (attoseconds included).
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

/// Runs a synchronous bridge call, its error as ``NeonError``.
func bridged<T>(_ call: () throws -> T) throws -> T {
    do {
        return try call()
    } catch let error as FfiError {
        throw NeonError(error)
    }
}

/// `seconds` as a duration, checked by the core's rule (finite, not negative; clamped past 1e12 s):
/// ``NeonErrorKind/invalidInput`` naming `name` otherwise.
func checkedDuration(_ seconds: Double, name: String) throws -> Duration {
    Duration(try bridged { try ffiDuration(what: name, seconds: seconds) })
}

/// `duration` in seconds for the bridge, checked as ``checkedDuration(_:name:)`` checks.
func checkedSeconds(_ duration: Duration?, name: String) throws -> Double? {
    guard let duration else { return nil }
    return try checkedDuration(duration.seconds, name: name).seconds
}

extension NeonClient {
    /// Runs one bridge call with a fresh cancellation token that is cancelled when the calling `Task` is
    /// cancelled (also when it already was), and turns bridge errors into ``NeonError`` (a rotation's store
    /// failure into ``StoreFailedSignal``, for the rotation to rethrow the store's own error).
    func perform<T: Sendable>(
        _ call: (FfiClient, FfiCancellationToken) async throws -> T
    ) async throws -> T {
        let token = FfiCancellationToken()
        return try await withTaskCancellationHandler {
            do {
                return try await call(ffi, token)
            } catch FfiError.StoreFailed(let failure) {
                throw StoreFailedSignal(failure: failure)
            } catch let error as FfiError {
                throw NeonError(error)
            }
        } onCancel: {
            token.cancel()
        }
    }
}
