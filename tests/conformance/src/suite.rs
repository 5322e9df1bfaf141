//! Suite-level checks: schema validation of every case file, unique names, operations every runner knows.

use crate::case::Case;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `tests/conformance/` (where `schema.json` and `cases/` live).
pub fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root (two levels above `tests/conformance/`).
pub fn workspace_root() -> PathBuf {
    suite_dir()
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(suite_dir)
}

/// Loads `schema.json`.
pub fn load_schema(dir: &Path) -> Result<Value, String> {
    let path = dir.join("schema.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Validates every file against the schema (draft 2020-12). Returns one line per violation.
pub fn validate_files(schema: &Value, files: &[(String, Value)]) -> Vec<String> {
    let validator = match jsonschema::draft202012::new(schema) {
        Ok(v) => v,
        Err(e) => {
            return vec![format!(
                "schema.json is not a valid draft 2020-12 schema: {e}"
            )]
        }
    };
    let mut problems = Vec::new();
    for (file, value) in files {
        for error in validator.iter_errors(value) {
            let mut where_ = error.instance_path().to_string();
            // Name the case, not just its index.
            if let Some(index) = where_
                .trim_start_matches('/')
                .split('/')
                .next()
                .and_then(|i| i.parse::<usize>().ok())
            {
                if let Some(name) = value
                    .get(index)
                    .and_then(|c| c.get("name"))
                    .and_then(Value::as_str)
                {
                    where_ = format!("{where_} (case {name})");
                }
            }
            problems.push(format!("{file}{where_}: {error}"));
        }
    }
    if files.is_empty() {
        problems.push("no case files found".to_string());
    }
    problems
}

/// Case names must be unique across all files.
pub fn check_unique_names(cases: &[Case]) -> Vec<String> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for case in cases {
        if let Some(first) = seen.insert(&case.name, &case.file) {
            problems.push(format!(
                "case name {:?} is used twice ({first} and {})",
                case.name, case.file
            ));
        }
    }
    problems
}

/// `expect_overrides` may only name known languages (the schema checks this too; this keeps the Rust model
/// honest when the schema is not used).
pub fn check_overrides(cases: &[Case]) -> Vec<String> {
    let mut problems = Vec::new();
    for case in cases {
        for language in case.expect_overrides.keys() {
            if !crate::case::LANGUAGES.contains(&language.as_str()) {
                problems.push(format!(
                    "{} :: {}: expect_overrides names {language:?}, not one of {:?}",
                    case.file,
                    case.name,
                    crate::case::LANGUAGES
                ));
            }
        }
    }
    problems
}

/// The operation enum of the schema.
pub fn schema_operations(schema: &Value) -> Vec<String> {
    schema
        .pointer("/$defs/case/properties/operation/enum")
        .and_then(Value::as_array)
        .map(|ops| {
            ops.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Every case's operation must be in the dispatch table `known`, and the schema's operations must be exactly
/// `known` (a new operation in the schema without a runner entry fails here).
pub fn check_operations(schema: &Value, cases: &[Case], known: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for case in cases {
        if !known.contains(&case.operation.as_str()) {
            problems.push(format!(
                "{} :: {}: operation {:?} has no entry in the runner's dispatch table",
                case.file, case.name, case.operation
            ));
        }
    }
    let schema_ops = schema_operations(schema);
    for op in &schema_ops {
        if !known.contains(&op.as_str()) {
            problems.push(format!(
                "schema.json allows operation {op:?}, which the runner's dispatch table lacks"
            ));
        }
    }
    for op in known {
        if !schema_ops.iter().any(|s| s == op) {
            problems.push(format!(
                "the dispatch table has {op:?}, which schema.json does not allow"
            ));
        }
    }
    problems
}
