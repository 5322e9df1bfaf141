import NeonApiKeys
import XCTest

final class SmokeTests: XCTestCase {
    func testSecretIsRedacted() {
        let secret = ApiKeySecret(value: "s3cr3t-sentinel")
        XCTAssertFalse(String(describing: secret).contains("s3cr3t"))
        XCTAssertEqual(secret.reveal(), "s3cr3t-sentinel")
    }
}
