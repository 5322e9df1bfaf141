//! The matcher: an expected pattern against actual canonical JSON (rules in the README, "Matching").

use serde_json::Value;

/// Matches `actual` against the pattern `expected`. Returns one line per mismatch (`$.path: ...`);
/// empty means it matches.
pub fn match_value(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(expected, actual, "$", &mut out);
    out
}

/// Whether `actual` matches `expected`.
pub fn matches(expected: &Value, actual: &Value) -> bool {
    match_value(expected, actual).is_empty()
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// Whether `s` is an RFC 3339 date-time.
pub fn is_datetime(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn walk(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match expected {
        Value::String(s) if s.starts_with('$') => special_string(s, actual, path, out),
        Value::Object(map) if map.len() == 1 && map.keys().all(|k| k.starts_with('$')) => {
            if let Some((op, arg)) = map.iter().next() {
                special_object(op, arg, actual, path, out);
            }
        }
        Value::Object(map) => {
            let Some(actual_map) = actual.as_object() else {
                out.push(format!("{path}: expected an object, got {}", short(actual)));
                return;
            };
            for (key, exp) in map {
                let sub = format!("{path}.{key}");
                match actual_map.get(key) {
                    Some(act) => walk(exp, act, &sub, out),
                    None => out.push(format!("{sub}: missing (expected {})", short(exp))),
                }
            }
        }
        Value::Array(items) => {
            let Some(actual_items) = actual.as_array() else {
                out.push(format!("{path}: expected an array, got {}", short(actual)));
                return;
            };
            if items.len() != actual_items.len() {
                out.push(format!(
                    "{path}: expected {} elements, got {}: {}",
                    items.len(),
                    actual_items.len(),
                    short(actual)
                ));
                return;
            }
            for (i, (exp, act)) in items.iter().zip(actual_items).enumerate() {
                walk(exp, act, &format!("{path}[{i}]"), out);
            }
        }
        Value::Number(n) => match actual {
            Value::Number(m) if numbers_equal(n, m) => {}
            _ => out.push(format!("{path}: expected {n}, got {}", short(actual))),
        },
        _ => {
            if expected != actual {
                out.push(format!(
                    "{path}: expected {}, got {}",
                    short(expected),
                    short(actual)
                ));
            }
        }
    }
}

fn special_string(s: &str, actual: &Value, path: &str, out: &mut Vec<String>) {
    let ok = match s {
        "$any" => true,
        "$nonempty" => actual.as_str().is_some_and(|v| !v.is_empty()),
        "$null" => actual.is_null(),
        "$datetime" => actual.as_str().is_some_and(is_datetime),
        other => {
            out.push(format!(
                "{path}: unknown special value {other:?} in the case"
            ));
            return;
        }
    };
    if !ok {
        out.push(format!("{path}: expected {s}, got {}", short(actual)));
    }
}

fn special_object(op: &str, arg: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match op {
        "$len" => {
            let len = match actual {
                Value::Array(a) => Some(a.len()),
                Value::String(s) => Some(s.chars().count()),
                _ => None,
            };
            let want = arg.as_u64();
            if len.map(|l| l as u64) != want || want.is_none() {
                out.push(format!(
                    "{path}: expected length {arg}, got {}",
                    short(actual)
                ));
            }
        }
        "$contains" | "$not_contains" => {
            let Some(items) = actual.as_array() else {
                out.push(format!("{path}: expected an array, got {}", short(actual)));
                return;
            };
            let found = items.iter().any(|item| matches(arg, item));
            if op == "$contains" && !found {
                out.push(format!(
                    "{path}: no element matches {}; got {}",
                    short(arg),
                    short(actual)
                ));
            }
            if op == "$not_contains" && found {
                out.push(format!(
                    "{path}: an element matches {} but must not; got {}",
                    short(arg),
                    short(actual)
                ));
            }
        }
        "$prefix" | "$includes" => {
            let (Some(s), Some(want)) = (actual.as_str(), arg.as_str()) else {
                out.push(format!(
                    "{path}: expected a string for {op}, got {}",
                    short(actual)
                ));
                return;
            };
            let ok = if op == "$prefix" {
                s.starts_with(want)
            } else {
                s.contains(want)
            };
            if !ok {
                out.push(format!(
                    "{path}: expected {op} {want:?}, got {}",
                    short(actual)
                ));
            }
        }
        other => out.push(format!(
            "{path}: unknown special object {other:?} in the case"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_arrays_and_specials() {
        let actual = json!({"id": 5000, "key": "abc", "name": "x", "extra": true, "list": [1, 2],
                            "t": "2025-01-01T00:00:00Z", "n": null, "msg": "hello world"});
        assert!(matches(
            &json!({"id": 5000.0, "key": "$nonempty", "list": [1, 2], "t": "$datetime", "n": "$null",
                    "msg": {"$includes": "lo wo"}, "name": {"$prefix": "x"}, "extra": "$any"}),
            &actual
        ));
        assert!(!matches(&json!({"list": [1]}), &actual));
        assert!(!matches(&json!({"missing": "$any"}), &actual));
        assert!(matches(&json!({"list": {"$contains": 2}}), &actual));
        assert!(matches(&json!({"list": {"$not_contains": 3}}), &actual));
        assert!(matches(
            &json!({"key": {"$len": 3}, "list": {"$len": 2}}),
            &actual
        ));
        assert!(!matches(&json!({"key": "$weird"}), &actual));
        assert!(!matches(&json!({"n": "$nonempty"}), &actual));
    }
}
