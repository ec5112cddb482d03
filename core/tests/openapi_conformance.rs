//! Every JSON body the library builds is checked against the request schema of the same path
//! and method in Meta's own OpenAPI file (v23.0), a reference nobody on this project wrote.
//! Deliberate differences are named below; each must still differ, so the list cannot go stale.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "support/openapi.rs"]
mod openapi_file;

use serde_json::{json, Map, Value};

type Patch = fn(&mut Value);

/// Where Meta's v23.0 file and the library part ways, with the reason, keyed by fixture path.
/// With a patch, the body must fail as built and pass once the patch undoes the difference, so
/// a deviation never hides anything else.
const DEVIATIONS: &[(&str, &str, Option<Patch>)] = &[
    ("requests/pin_message/", "the pin message type postdates v23.0 (guides: groups-messaging)", None),
    ("requests/unpin_message/", "the pin message type postdates v23.0 (guides: groups-messaging)", None),
    ("requests/remove_participants/example_user_id.json", "participants[].user_id (BSUID) postdates v23.0", None),
    ("requests/send_invite_link_template/example.json", "the group_id template parameter postdates v23.0", None),
    (
        "requests/send_message/example_template_",
        "v23.0 requires template.language.policy; the send-message guides do not",
        Some(|b| b["template"]["language"]["policy"] = json!("deterministic")),
    ),
    (
        "requests/send_message/text_with_context.json",
        "biz_opaque_callback_data (a general Cloud API member) is missing from v23.0's message schema",
        Some(|b| {
            b.as_object_mut().unwrap().remove("biz_opaque_callback_data");
        }),
    ),
    (
        "requests/send_message/template_currency_date_button.json",
        "v23.0's button index pattern ^[2-6, 11-14]$ is a broken character class that refuses index 0",
        Some(|b| b["template"]["components"][2]["index"] = json!("2")),
    ),
    (
        "requests/send_invite_link_template/bsuid_recipient.json",
        "the BSUID recipient member of 1:1 sends and the group_id template parameter postdate v23.0",
        None,
    ),
    (
        "requests/send_invite_link_template/own_template_link_in_body.json",
        "v23.0 requires template.language.policy; the send-message guides do not",
        Some(|b| b["template"]["language"]["policy"] = json!("deterministic")),
    ),
    (
        "requests/send_invite_link_template/own_template_url_button.json",
        "language.policy as above, and v23.0's broken button index pattern refuses index 0",
        Some(|b| {
            b["template"]["language"]["policy"] = json!("deterministic");
            b["template"]["components"][0]["index"] = json!("2");
        }),
    ),
    (
        "requests/create_group/join_approval_mode_unverified_allowed.json",
        "allow_unverified sends a mode outside the documented set on purpose",
        Some(|b| b["join_approval_mode"] = json!("approval_required")),
    ),
    (
        "requests/send_message/type_new_allowed_unverified.json",
        "allow_unverified sends a message type no schema knows on purpose",
        None,
    ),
];

fn operation_path(op: &str) -> (&'static str, &'static str) {
    match op {
        "create_group" => ("/{Version}/{Phone-Number-ID}/groups", "post"),
        "update_group_settings" => ("/{Version}/{group_id}", "post"),
        "reset_invite_link" => ("/{Version}/{group_id}/invite_link", "post"),
        "delete_invite_link" => ("/{Version}/{group_id}/invite_link", "delete"),
        "approve_join_requests" => ("/{Version}/{group_id}/join_requests", "post"),
        "reject_join_requests" => ("/{Version}/{group_id}/join_requests", "delete"),
        "remove_participants" => ("/{Version}/{group_id}/participants", "delete"),
        "send_message" | "pin_message" | "unpin_message" | "send_invite_link_template" => {
            ("/{Version}/{Phone-Number-ID}/messages", "post")
        }
        other => panic!("{other} has a JSON body but no OpenAPI path here"),
    }
}

fn openapi() -> Value {
    openapi_file::load()
}

fn validator(doc: &Value, op: &str) -> jsonschema::Validator {
    let (path, method) = operation_path(op);
    let schema =
        &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "no JSON request schema for {method} {path}"
    );
    // Resolve `#/components/...` against a root that carries the file's components.
    let mut root: Map<String, Value> = schema.as_object().unwrap().clone();
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("components".into(), doc["components"].clone());
    jsonschema::validator_for(&Value::Object(root)).unwrap()
}

#[test]
fn built_json_bodies_conform_to_metas_request_schemas() {
    let doc = openapi();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut deviations_seen = Vec::new();
    for (name, case) in common::cases() {
        let input = &case["input"];
        if input["kind"] != "request" {
            continue;
        }
        let Some(ok) = case["expect"].get("ok") else {
            continue;
        };
        if ok["body"]["type"] != "json" {
            continue;
        }
        let op = input["operation"].as_str().unwrap();
        let body: Value = serde_json::from_str(ok["body"]["text"].as_str().unwrap()).unwrap();
        let v = validator(&doc, op);
        let errors: Vec<String> = v
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        let deviation = DEVIATIONS
            .iter()
            .find(|(prefix, _, _)| name.starts_with(prefix));
        match deviation {
            None if errors.is_empty() => {}
            None => failures.push(format!("{name}: {}", errors.join("; "))),
            Some((prefix, why, _)) if errors.is_empty() => failures.push(format!(
                "{name} now conforms; drop the deviation {prefix:?} ({why})"
            )),
            Some((prefix, why, patch)) => {
                if let Some(patch) = patch {
                    let mut patched = body.clone();
                    patch(&mut patched);
                    let rest: Vec<String> =
                        v.iter_errors(&patched).map(|e| e.to_string()).collect();
                    if !rest.is_empty() {
                        failures.push(format!("{name}: besides {prefix:?}: {}", rest.join("; ")));
                    }
                }
                deviations_seen.push(format!("{prefix}: {why}"));
            }
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} bodies checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} bodies:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for (prefix, _, _) in DEVIATIONS {
        assert!(
            deviations_seen.iter().any(|d| d.starts_with(prefix)),
            "deviation {prefix:?} matched no fixture"
        );
    }
}

/// A body the schema must refuse proves the check can fail.
#[test]
fn the_schema_check_can_fail() {
    let doc = openapi();
    let v = validator(&doc, "create_group");
    assert!(v.is_valid(&json!({"messaging_product": "whatsapp", "subject": "x"})));
    assert!(!v.is_valid(&json!({"messaging_product": "whatsapp", "subject": "x".repeat(129)})));
    assert!(!v.is_valid(&json!({"messaging_product": "whatsapp"})));
    let m = validator(&doc, "send_message");
    let text = json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": "G", "type": "text", "text": {"body": "hi"}});
    assert!(m.is_valid(&text));
    let mut extra = text.clone();
    extra["text"]["bogus"] = json!(1);
    assert!(
        !m.is_valid(&extra),
        "unknown members inside text must be refused"
    );
    let mut top = text;
    top["bogus"] = json!(1);
    assert!(
        !m.is_valid(&top),
        "unknown top-level members must be refused (unevaluatedProperties)"
    );
}

/// Media uploads are multipart: every part the library sends must be a property of the file's
/// multipart schema for `POST /{Phone-Number-ID}/media`, except `type` (the MIME type Meta's
/// media guide requires, missing from v23.0's schema), and the file part is binary.
#[test]
fn upload_parts_are_the_media_schema_properties() {
    use base64::Engine;
    let doc = openapi();
    let schema = &doc["paths"]["/{Version}/{Phone-Number-ID}/media"]["post"]["requestBody"]
        ["content"]["multipart/form-data"]["schema"];
    let props = schema["properties"]
        .as_object()
        .expect("a multipart schema");
    assert_eq!(props["file"]["format"], "binary");
    let mut checked = 0;
    for (name, case) in common::cases() {
        let Some(ok) = case["expect"].get("ok") else {
            continue;
        };
        if case["input"]["operation"] != "upload_media" || case["input"]["kind"] != "request" {
            continue;
        }
        let body = base64::engine::general_purpose::STANDARD
            .decode(ok["body"]["base64"].as_str().unwrap())
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        let parts: Vec<&str> = text
            .split("Content-Disposition: form-data; name=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        assert_eq!(parts, ["messaging_product", "type", "file"], "{name}");
        for part in parts.iter().filter(|p| **p != "type") {
            assert!(
                props.contains_key(*part),
                "{name}: part {part} is not in Meta's schema"
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} uploads checked");
}

/// Every webhook delivery Meta's file gives as an example (one per message type, written by
/// Meta, not by this project), in the file's order, each once.
fn metas_webhook_examples(doc: &Value) -> Vec<(String, Value)> {
    fn walk(v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(examples)) = m.get("examples") {
                    for (name, example) in examples {
                        let value = &example["value"];
                        let new = out.iter().all(|(_, seen)| seen != value);
                        if value["object"] == "whatsapp_business_account" && new {
                            out.push((name.clone(), value.clone()));
                        }
                    }
                }
                m.values().for_each(|v| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut out);
    out
}

/// The benches read Meta's webhook examples from `webhook-examples.json` beside the vendored
/// file (Node and Python have no YAML reader at hand): it must be exactly what the file holds
/// (`WAGROUPS_BLESS=1` writes it), and every delivery in it must parse into typed events.
#[test]
fn metas_webhook_examples_are_vendored_for_the_benches() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vendor/meta-openapi/webhook-examples.json"
    );
    let deliveries: Vec<Value> = metas_webhook_examples(&openapi())
        .into_iter()
        .map(|(name, value)| {
            json!({"name": name, "body": serde_json::to_string_pretty(&value).unwrap()})
        })
        .collect();
    assert!(deliveries.len() >= 10, "{} examples", deliveries.len());
    let expected = serde_json::to_string_pretty(&json!({
        "source": "business-messaging-api_v23.0.yaml: every webhook example, each once, in its order (read by the benches; written by WAGROUPS_BLESS=1 cargo test --test openapi_conformance)",
        "deliveries": deliveries,
    }))
    .unwrap()
        + "\n";
    if std::env::var_os("WAGROUPS_BLESS").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let stored = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == expected,
        "{path} differs from Meta's file: run with WAGROUPS_BLESS=1"
    );
    // Each one parses; Meta's own examples are not all consistent (its "Group Remove
    // Participants" is a `group_create` item under `group_participants_update`: an unknown
    // event here, as any item of another field's type), so typed events are counted overall.
    let mut typed = 0;
    for d in &deliveries {
        let body = d["body"].as_str().unwrap();
        let batch = wagroups::parse_webhook(body.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e:?}", d["name"]));
        typed += batch
            .events
            .iter()
            .filter(|e| e.body.type_name() != "unknown")
            .count();
    }
    assert!(typed + 1 >= deliveries.len(), "{typed} typed events");
}
