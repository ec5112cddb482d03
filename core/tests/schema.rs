//! The JSON Schema the typings are generated from must describe the real output: every
//! expected output in the fixture corpus validates against the schema of its type.
#![cfg(feature = "schema")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use serde_json::{json, Value};

fn validator(doc: &Value, def: &str) -> jsonschema::Validator {
    let root = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": format!("#/$defs/{def}"), "$defs": doc["$defs"]});
    jsonschema::validator_for(&root).unwrap()
}

#[test]
fn every_expected_output_matches_the_schema_of_its_type() {
    let doc = wagroups::schema::schema_document();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, case) in common::cases() {
        let input = &case["input"];
        let mut expect = &case["expect"];
        // A generated delivery's expectation is a summary: check the batch it summarises.
        let whole;
        if input.get("output_bound").is_some() {
            let batch = wagroups::json_api::parse_webhook_json(
                &common::body_bytes(input),
                &wagroups::webhook::WebhookLimits::default(),
            );
            whole = json!({ "ok": batch.unwrap() });
            expect = &whole;
        }
        let (def, value) = match (
            input["kind"].as_str().unwrap(),
            expect.get("ok"),
            expect.get("error"),
        ) {
            (_, _, Some(err)) => ("ErrorInfo".to_owned(), err),
            ("request", Some(ok), _) => ("Request".to_owned(), ok),
            ("response", Some(ok), _) => (
                doc["replies"][input["operation"].as_str().unwrap()]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                ok,
            ),
            ("webhook", Some(ok), _) => ("Batch".to_owned(), ok),
            ("image", None, None) => ("PictureCheck".to_owned(), expect),
            _ => continue,
        };
        let v = validator(&doc, &def);
        let errors: Vec<String> = v
            .iter_errors(value)
            .take(3)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{name} as {def}: {}", errors.join("; ")));
        }
        checked += 1;
    }
    assert!(checked > 300, "{checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_schema_refuses_a_wrong_shape() {
    let doc = wagroups::schema::schema_document();
    let v = validator(&doc, "Event");
    assert!(
        !v.is_valid(&json!({"type": "group_create"})),
        "common members are required"
    );
    let r = validator(&doc, "Request");
    assert!(!r.is_valid(&json!({"method": "PUT", "url": "u", "headers": {}, "body": null})));
}

#[test]
fn every_operation_names_a_reply_type_that_exists() {
    let doc = wagroups::schema::schema_document();
    for op in wagroups::Operation::ALL {
        let ty = doc["replies"][op.name()].as_str().unwrap();
        assert!(doc["$defs"].get(ty).is_some(), "{op}: {ty}");
    }
}
