import Foundation
internal import NeonApiKeysBridge

/// An API key secret. Opaque: `print`, `debugPrint`, `dump`, `Mirror` and string interpolation never show the
/// value; only ``reveal()`` gives it out.
///
/// The value lives in Rust memory and is zeroized when the last reference goes away. While it is alive the SDK
/// scrubs it from every error message.
public final class ApiKeySecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let ffi: FfiSecret

    /// Wraps a secret you already have (surrounding whitespace, such as a trailing newline, is removed).
    public init(_ value: String) {
        ffi = FfiSecret(value: value)
    }

    init(_ ffi: FfiSecret) {
        self.ffi = ffi
    }

    /// The secret itself. Store it (for example in the Keychain) and never log or print it.
    public func reveal() -> String {
        ffi.reveal()
    }

    /// Whether the secret is empty.
    public var isEmpty: Bool { ffi.isEmpty() }

    /// `[REDACTED]`.
    public var description: String { ffi.description }

    /// `ApiKeySecret([REDACTED])`.
    public var debugDescription: String { ffi.debugDescription }

    /// No children: `dump` and `Mirror` show nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }

    /// Whether both hold the same value (compared in Rust; the value is not copied out).
    public static func == (lhs: ApiKeySecret, rhs: ApiKeySecret) -> Bool {
        lhs.ffi == rhs.ffi
    }
}
