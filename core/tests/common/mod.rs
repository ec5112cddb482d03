//! Shared by the integration tests: the fixture corpus and how one case runs. The Node and
//! Python runners dispatch on the same `input.kind` values.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{json, Value};
use wagroups::json_api;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The documentation's own examples (requests, replies, deliveries, signature vectors).
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/examples")
}

/// Third-party reference files kept in the repository with their licences.
pub fn vendor_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vendor")
}

/// Every case file, sorted, with its path relative to the corpus.
pub fn cases() -> Vec<(String, Value)> {
    let root = fixtures_dir();
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.strip_prefix(&root).unwrap().display().to_string(), v)
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn headers(input: &Value) -> Vec<(String, String)> {
    input["headers"]
        .as_array()
        .map(|hs| {
            hs.iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_owned(),
                        h[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A body given as exact text (`body`) or as bytes (`body_base64`, for invalid UTF-8).
pub fn body_bytes(input: &Value) -> Vec<u8> {
    if let Some(parts) = input.get("body_parts").and_then(Value::as_array) {
        // `[text, times, separator]` each, `{i}` in the text standing for the repetition's
        // number: bodies too large to store, built alike everywhere.
        return parts
            .iter()
            .map(|p| {
                let times = usize::try_from(p[1].as_u64().unwrap()).unwrap();
                let text = p[0].as_str().unwrap();
                (0..times)
                    .map(|i| text.replace("{i}", &i.to_string()))
                    .collect::<Vec<_>>()
                    .join(p[2].as_str().unwrap())
            })
            .collect::<String>()
            .into_bytes();
    }
    match input.get("body_base64").and_then(Value::as_str) {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
        None => input["body"].as_str().unwrap().as_bytes().to_vec(),
    }
}

/// A generated delivery's outcome, summarised: its event count and whether the batch, as
/// compact JSON, is at most `output_bound` times the delivery's size.
pub fn summarise(outcome: Value, body_len: usize, bound: f64) -> Value {
    match outcome.get("ok") {
        Some(batch) => {
            let written = serde_json::to_string(batch).unwrap().len();
            json!({"ok": {
                "events": batch["events"].as_array().unwrap().len(),
                "output_within_bound": (written as f64) <= bound * body_len as f64,
            }})
        }
        None => outcome,
    }
}

/// Run one case's input through the core's JSON surface.
pub fn run(input: &Value) -> Value {
    let op = input["operation"].as_str().unwrap_or_default();
    match input["kind"].as_str().unwrap() {
        "request" => {
            // The file beside the parameters, as bindings pass it (bytes, not base64).
            let file = input
                .get("file_base64")
                .and_then(Value::as_str)
                .map(|b| base64::engine::general_purpose::STANDARD.decode(b).unwrap());
            json_api::outcome(json_api::build_request_with_file_json(
                op,
                &input["params"],
                file.as_deref(),
                input.get("config").unwrap_or(&json!({})),
            ))
        }
        "state_apply" => {
            let bodies: Vec<&[u8]> = input["deliveries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().as_bytes())
                .collect();
            json_api::outcome(json_api::apply_events_json(
                &input["states"],
                &bodies,
                &wagroups::webhook::WebhookLimits::default(),
            ))
        }
        "state_reply" => json_api::outcome(json_api::apply_reply_json(
            &input["states"],
            op,
            &input["params"],
            input["reply"].as_str().unwrap().as_bytes(),
            input["at"].as_i64().unwrap(),
        )),
        "retry" => json_api::outcome(json_api::next_attempt_json(
            &input["error"],
            input["attempt"].as_i64().unwrap(),
            &input["policy"],
            input["random"].as_f64().unwrap(),
        )),
        "receive" => {
            let query = wagroups::webhook::parse_query(input["query"].as_str().unwrap());
            let secrets: Vec<&str> = input["secrets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            let limits =
                json_api::webhook_limits_from_json(input.get("limits").unwrap_or(&json!({})))
                    .unwrap();
            json!({"ok": json_api::receive_json(
                input["method"].as_str().unwrap(),
                &query,
                &headers(input),
                &body_bytes(input),
                &secrets,
                input["verify_token"].as_str(),
                &limits,
                None,
            )})
        }
        "state_seed" => json_api::outcome(json_api::seed_from_group_info_json(
            input["reply"].as_str().unwrap().as_bytes(),
            input["read_at"].as_i64().unwrap(),
        )),
        "state_quote" => json_api::outcome(json_api::quote_message_json(
            &input["state"],
            input["now"].as_i64().unwrap(),
            input["template_category"].as_str().unwrap(),
        )),
        "state_prune" => json_api::outcome(json_api::prune_json(
            &input["state"],
            input["now"].as_i64().unwrap(),
            input["keep"].as_i64(),
        )),
        "media_download" => json_api::outcome(json_api::check_media_download_json(
            &body_bytes(input),
            &input["info"],
        )),
        "response" => json_api::outcome(json_api::parse_response_json(
            op,
            u16::try_from(input["status"].as_u64().unwrap()).unwrap(),
            &headers(input),
            &body_bytes(input),
        )),
        "next_page" => json_api::outcome(json_api::next_page_json(
            op,
            &input["params"],
            input["body"].as_str().unwrap().as_bytes(),
        )),
        "image" => {
            let mut bytes = base64::engine::general_purpose::STANDARD
                .decode(input["base64"].as_str().unwrap())
                .unwrap();
            let pad = input["pad_zero_bytes"].as_u64().unwrap_or(0);
            bytes.resize(bytes.len() + usize::try_from(pad).unwrap(), 0);
            json_api::check_image_json(&bytes)
        }
        "webhook" => {
            let body = body_bytes(input);
            let outcome = json_api::outcome(
                json_api::webhook_limits_from_json(input.get("limits").unwrap_or(&json!({})))
                    .and_then(|limits| json_api::parse_webhook_json(&body, &limits)),
            );
            match input.get("output_bound").and_then(Value::as_f64) {
                Some(bound) => summarise(outcome, body.len(), bound),
                None => outcome,
            }
        }
        "signature" => {
            let secrets: Vec<String> = input["secrets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect();
            json_api::outcome(json_api::verify_signature_json(
                &body_bytes(input),
                input["header"].as_str(),
                &secrets,
            ))
        }
        "subscription" => json_api::outcome(json_api::verify_subscription_json(
            input["query"].as_str().unwrap(),
            input["verify_token"].as_str().unwrap(),
        )),
        other => panic!("unknown fixture kind {other}"),
    }
}
