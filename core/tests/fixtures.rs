//! The language-neutral fixture corpus: every case's input, run through the core, must give its
//! `expect` exactly. `WAGROUPS_BLESS=1` rewrites expectations from the core (review the diff).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

use serde_json::Value;
use wagroups::{error_catalog, Code, Operation};

#[test]
fn every_case_gives_its_expected_output() {
    let bless = std::env::var_os("WAGROUPS_BLESS").is_some();
    let mut failures = Vec::new();
    let cases = common::cases();
    assert!(
        cases.len() > 200,
        "the corpus went missing: {} cases",
        cases.len()
    );
    for (name, case) in &cases {
        let got = common::run(&case["input"]);
        if bless {
            let mut updated = case.clone();
            updated["expect"] = got;
            let path = common::fixtures_dir().join(name);
            let text = serde_json::to_string_pretty(&updated).unwrap() + "\n";
            std::fs::write(path, text).unwrap();
        } else if got != case["expect"] {
            failures.push(format!(
                "{name}\n  expected: {}\n  got:      {}",
                case["expect"], got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Codes that occur anywhere in an expected output: error codes, field error codes,
/// classification codes and image problems.
fn codes_in(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k == "code" {
                    if let Some(s) = v.as_str() {
                        out.insert(s.to_owned());
                    }
                }
                if k == "problems" {
                    for p in v.as_array().into_iter().flatten() {
                        out.insert(p.as_str().unwrap_or_default().to_owned());
                    }
                }
                codes_in(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| codes_in(v, out)),
        _ => {}
    }
}

#[test]
fn every_catalog_code_and_operation_has_a_case() {
    let cases = common::cases();
    let mut seen = BTreeSet::new();
    let mut ops_ok = BTreeSet::new();
    let mut ops_err = BTreeSet::new();
    for (_, case) in &cases {
        codes_in(&case["expect"], &mut seen);
        let input = &case["input"];
        if input["kind"] == "request" {
            let op = input["operation"].as_str().unwrap().to_owned();
            if case["expect"].get("ok").is_some() {
                ops_ok.insert(op);
            } else {
                ops_err.insert(op);
            }
        }
    }
    let missing_codes: Vec<&str> = error_catalog()
        .iter()
        // The command line's own code is tested by the CLI tests; the corpus runs the core.
        .filter(|e| e.code != Code::FileUnreadable)
        .map(|e| e.code.as_str())
        .filter(|c| !seen.contains(*c))
        .collect();
    assert!(
        missing_codes.is_empty(),
        "catalog codes with no fixture case: {missing_codes:?}"
    );
    for op in Operation::ALL {
        assert!(
            ops_ok.contains(op.name()),
            "{op} has no successful request case"
        );
        assert!(
            ops_err.contains(op.name()),
            "{op} has no refused request case"
        );
    }
    let replies: BTreeSet<&str> = cases
        .iter()
        .filter(|(_, c)| c["input"]["kind"] == "response" && c["expect"].get("ok").is_some())
        .map(|(_, c)| c["input"]["operation"].as_str().unwrap())
        .collect();
    for op in Operation::ALL {
        assert!(replies.contains(op.name()), "{op} has no parsed reply case");
    }
}

#[test]
fn every_example_is_in_the_corpus() {
    let dir = common::examples_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        panic!("examples not found at {}", dir.display());
    };
    let descriptions: BTreeSet<String> = common::cases()
        .iter()
        .map(|(_, c)| c["description"].as_str().unwrap_or_default().to_owned())
        .collect();
    let mut missing = Vec::new();
    for e in entries {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        // webhooks and signature vectors belong to the webhook corpus; media upload is not a
        // Groups API operation here.
        if name.starts_with("webhook.")
            || name.starts_with("signature.")
            || name == "README.md"
            || name == "response.upload_media.json"
        {
            continue;
        }
        if !descriptions.iter().any(|d| d.starts_with(&name)) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "examples with no fixture case: {missing:?}"
    );
}

/// Not blessed: the body built from a documented request example's own members equals that example
/// (as JSON), so the corpus cannot drift from the documentation.
#[test]
fn built_bodies_equal_the_request_examples() {
    let dir = common::examples_dir();
    let mut compared = 0;
    for (name, case) in common::cases() {
        let desc = case["description"].as_str().unwrap_or_default();
        let Some(file) = desc
            .split_whitespace()
            .next()
            .filter(|f| f.starts_with("request."))
        else {
            continue;
        };
        let Some(ok) = case["expect"].get("ok") else {
            continue;
        };
        let example: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let built: Value = serde_json::from_str(ok["body"]["text"].as_str().unwrap()).unwrap();
        assert_eq!(built, example, "{name} does not rebuild {file}");
        compared += 1;
    }
    assert!(compared >= 17, "only {compared} examples compared");
}
