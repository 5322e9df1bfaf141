//! The Rust conformance runner: validates every case file against `schema.json`, checks names and operations,
//! starts the emulator binary, and runs every case on the async and the blocking client.
//!
//! Prints `conformance rust: N passed, M failed` and fails if M > 0 or N == 0. N and M count cases, as in every
//! language: a case passes only when it passed on both surfaces. A second line gives the per-surface counts.
//! `CONFORMANCE_FILTER=<substring>` runs only the cases whose file or name contains it;
//! `CONFORMANCE_VERBOSE=1` prints every case with the time its operation took.

#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

use neon_api_keys_conformance::case::{load_raw_files, parse_cases};
use neon_api_keys_conformance::emulator::{emulator_binary, EmulatorProcess};
use neon_api_keys_conformance::runner::{Runner, Surface, DISPATCH_TABLE, LANGUAGE};
use neon_api_keys_conformance::suite;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    // `cargo test -- --list` and friends: there is one test, this one.
    let argv: Vec<String> = std::env::args().collect();
    if argv.iter().any(|a| a == "--list") {
        println!("conformance: test");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(problem) => {
            eprintln!("conformance rust: {problem}");
            println!("conformance rust: 0 passed, 0 failed");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, String> {
    let dir = suite::suite_dir();
    let schema = suite::load_schema(&dir)?;
    let files = load_raw_files(&dir.join("cases"))?;

    // Static checks first: a broken case file fails the suite before anything runs.
    let mut problems = suite::validate_files(&schema, &files);
    let cases = if problems.is_empty() {
        parse_cases(&files)?
    } else {
        Vec::new()
    };
    problems.extend(suite::check_unique_names(&cases));
    problems.extend(suite::check_operations(&schema, &cases, &DISPATCH_TABLE));
    problems.extend(suite::check_overrides(&cases));
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("INVALID {p}");
        }
        return Err(format!("{} problem(s) in the case files", problems.len()));
    }

    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let selected: Vec<_> = cases
        .iter()
        .filter(|c| filter.is_empty() || c.name.contains(&filter) || c.file.contains(&filter))
        .collect();

    let emulator = EmulatorProcess::start(&emulator_binary(&suite::workspace_root()))?;
    let runner = Runner::new(&emulator.base_url, &emulator.control_url)?;

    let verbose = std::env::var_os("CONFORMANCE_VERBOSE").is_some();
    let started = Instant::now();
    let (mut passed, mut failed) = (0usize, 0usize);
    let (mut runs_passed, mut runs_failed) = (0usize, 0usize);
    for case in &selected {
        let mut case_passed = true;
        for surface in Surface::ALL {
            let outcome = runner.run(case, surface);
            if outcome.passed {
                runs_passed += 1;
            } else {
                runs_failed += 1;
                case_passed = false;
                println!(
                    "FAIL [{surface}] {} :: {} ({} ms)\n  why: {}\n  expect: {}\n  actual: {}",
                    case.file,
                    case.name,
                    outcome.elapsed.as_millis(),
                    case.description,
                    serde_json::to_string(&expect_json(case)).unwrap_or_default(),
                    outcome.actual
                );
                for p in &outcome.problems {
                    println!("  - {p}");
                }
            }
            if verbose {
                println!(
                    "{} [{surface}] {} :: {} {} ms",
                    if outcome.passed { "ok  " } else { "FAIL" },
                    case.file,
                    case.name,
                    outcome.elapsed.as_millis()
                );
            }
            if outcome.elapsed.as_millis() > 1500 {
                println!(
                    "SLOW [{surface}] {} :: {} took {} ms",
                    case.file,
                    case.name,
                    outcome.elapsed.as_millis()
                );
            }
        }
        if case_passed {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    drop(runner);
    drop(emulator);
    eprintln!(
        "({} cases from {} files in {:.1} s)",
        selected.len(),
        files.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "conformance rust surfaces (async + blocking): {runs_passed} runs passed, {runs_failed} failed"
    );
    println!("conformance rust: {passed} passed, {failed} failed");
    Ok(failed == 0 && passed > 0)
}

fn expect_json(case: &neon_api_keys_conformance::Case) -> serde_json::Value {
    let e = case.expect_for(LANGUAGE);
    let mut m = serde_json::Map::new();
    if let Some(r) = &e.result {
        m.insert("result".into(), r.clone());
    }
    if let Some(err) = &e.error {
        m.insert("error".into(), serde_json::Value::Object(err.clone()));
    }
    if let Some(n) = e.requests {
        m.insert("requests".into(), n.into());
    }
    if let Some(s) = &e.state {
        m.insert("state".into(), s.clone());
    }
    serde_json::Value::Object(m)
}
