import Foundation

/// The conformance matcher (tests/conformance/README.md, "Matching"), ported from the Rust runner's
/// `matcher.rs`: an expected pattern against actual canonical JSON. Returns one line per mismatch.
enum Matcher {
    static func match(_ expected: JSON, _ actual: JSON, path: String = "$") -> [String] {
        var out: [String] = []
        walk(expected, actual, path, &out)
        return out
    }

    static func matches(_ expected: JSON, _ actual: JSON) -> Bool {
        match(expected, actual).isEmpty
    }

    private static func short(_ value: JSON) -> String {
        let text = value.description
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    private static func walk(_ expected: JSON, _ actual: JSON, _ path: String, _ out: inout [String]) {
        switch expected {
        case .string(let s) where s.hasPrefix("$"):
            special(s, actual, path, &out)
        case .object(let map) where map.count == 1 && map.keys.allSatisfy({ $0.hasPrefix("$") }):
            let (op, arg) = map.first!
            specialObject(op, arg, actual, path, &out)
        case .object(let map):
            guard let actualMap = actual.object else {
                out.append("\(path): expected an object, got \(short(actual))")
                return
            }
            for (key, exp) in map.sorted(by: { $0.key < $1.key }) {
                let sub = "\(path).\(key)"
                if let act = actualMap[key] {
                    walk(exp, act, sub, &out)
                } else {
                    out.append("\(sub): missing (expected \(short(exp)))")
                }
            }
        case .array(let items):
            guard let actualItems = actual.array else {
                out.append("\(path): expected an array, got \(short(actual))")
                return
            }
            guard items.count == actualItems.count else {
                out.append("\(path): expected \(items.count) elements, got \(actualItems.count): \(short(actual))")
                return
            }
            for (i, pair) in zip(items, actualItems).enumerated() {
                walk(pair.0, pair.1, "\(path)[\(i)]", &out)
            }
        default:
            if expected != actual {
                out.append("\(path): expected \(short(expected)), got \(short(actual))")
            }
        }
    }

    private static func special(_ s: String, _ actual: JSON, _ path: String, _ out: inout [String]) {
        let ok: Bool
        switch s {
        case "$any": ok = true
        case "$nonempty": ok = !(actual.string ?? "").isEmpty
        case "$null": ok = actual.isNull
        case "$datetime": ok = actual.string.flatMap(Canonical.parseDate) != nil
        default:
            out.append("\(path): unknown special value \(s) in the case")
            return
        }
        if !ok { out.append("\(path): expected \(s), got \(short(actual))") }
    }

    private static func specialObject(
        _ op: String, _ arg: JSON, _ actual: JSON, _ path: String, _ out: inout [String]
    ) {
        switch op {
        case "$len":
            let len: Int? = actual.array?.count ?? actual.string?.count
            if len == nil || arg.number == nil || Double(len!) != arg.number! {
                out.append("\(path): expected length \(arg), got \(short(actual))")
            }
        case "$contains", "$not_contains":
            guard let items = actual.array else {
                out.append("\(path): expected an array, got \(short(actual))")
                return
            }
            let found = items.contains { matches(arg, $0) }
            if op == "$contains" && !found {
                out.append("\(path): no element matches \(short(arg)); got \(short(actual))")
            }
            if op == "$not_contains" && found {
                out.append("\(path): an element matches \(short(arg)) but must not; got \(short(actual))")
            }
        case "$prefix", "$includes":
            guard let s = actual.string, let want = arg.string else {
                out.append("\(path): expected a string for \(op), got \(short(actual))")
                return
            }
            let ok = op == "$prefix" ? s.hasPrefix(want) : s.contains(want)
            if !ok { out.append("\(path): expected \(op) \(want), got \(short(actual))") }
        default:
            out.append("\(path): unknown special object \(op) in the case")
        }
    }
}
