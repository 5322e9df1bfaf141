//! Seed variables (`$keys.admin`, `$ids.org`, `$project_id`, ...) resolved from the emulator's seed JSON.

use serde_json::Value;

/// Replaces every string starting with `$` inside `value` by the seed value it names. The whole string must be
/// the variable; a variable naming a number becomes that number. An unknown variable is an error.
pub fn resolve(value: &Value, seed: &Value) -> Result<Value, String> {
    match value {
        Value::String(s) if s.starts_with('$') => lookup(&s[1..], seed)
            .cloned()
            .ok_or_else(|| format!("unknown seed variable {s:?}")),
        Value::Array(items) => items
            .iter()
            .map(|v| resolve(v, seed))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                out.insert(k.clone(), resolve(v, seed)?);
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

/// The seed value named by a dotted path (`keys.admin`), if it is a string or a number.
fn lookup<'a>(path: &str, seed: &'a Value) -> Option<&'a Value> {
    let allowed = [
        "keys",
        "ids",
        "org_id",
        "project_id",
        "other_project_id",
        "personal_project_id",
    ];
    let first = path.split('.').next()?;
    if !allowed.contains(&first) {
        return None;
    }
    let mut current = seed;
    for part in path.split('.') {
        current = current.get(part)?;
    }
    match current {
        Value::String(_) | Value::Number(_) => Some(current),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_strings_numbers_and_nested_values() {
        let seed = json!({"org_id": "org-1", "keys": {"admin": "aaa"}, "ids": {"org": 2001}});
        let v =
            json!({"a": "$keys.admin", "b": ["$ids.org", 3], "c": {"d": "$org_id"}, "e": "plain"});
        assert_eq!(
            resolve(&v, &seed).unwrap(),
            json!({"a": "aaa", "b": [2001, 3], "c": {"d": "org-1"}, "e": "plain"})
        );
        assert!(resolve(&json!("$nope"), &seed).is_err());
        assert!(resolve(&json!("$keys"), &seed).is_err());
    }
}
