//! What only the main entry exports: requests, replies, media checks, the error catalog, the
//! retry decision and the per-group state.

use serde_json::Value;
use wagroups::json_api;
use wasm_bindgen::prelude::*;

use crate::{pairs, text};

fn ok(v: Value) -> String {
    text(Ok(v))
}

#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    operation: &str,
    params_json: &str,
    config_json: &str,
    file: Option<Vec<u8>>,
) -> String {
    let params = json_api::value_from_json_text(params_json, "params");
    let config = json_api::value_from_json_text(config_json, "config");
    text(params.and_then(|p| {
        config.and_then(|c| {
            json_api::build_request_with_file_json(operation, &p, file.as_deref(), &c)
        })
    }))
}

#[wasm_bindgen(js_name = checkMediaDownload)]
pub fn check_media_download(data: &[u8], info_json: &str) -> String {
    text(
        json_api::value_from_json_text(info_json, "info")
            .and_then(|i| json_api::check_media_download_json(data, &i)),
    )
}

#[wasm_bindgen(js_name = buildSetGroupPicture)]
pub fn build_set_group_picture(
    group_id: &str,
    file: &[u8],
    filename: Option<String>,
    boundary: Option<String>,
    config_json: &str,
) -> String {
    text(
        json_api::value_from_json_text(config_json, "config").and_then(|c| {
            json_api::build_set_group_picture_json(
                group_id,
                file,
                filename.as_deref(),
                boundary.as_deref(),
                &c,
            )
        }),
    )
}

#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response(operation: &str, status: u16, body: &[u8], headers_json: &str) -> String {
    text(
        pairs(headers_json)
            .and_then(|h| json_api::parse_response_json(operation, status, &h, body)),
    )
}

#[wasm_bindgen(js_name = nextPageParams)]
pub fn next_page_params(operation: &str, params_json: &str, body: &[u8]) -> String {
    text(
        json_api::value_from_json_text(params_json, "params")
            .and_then(|p| json_api::next_page_json(operation, &p, body)),
    )
}

#[wasm_bindgen(js_name = checkGroupPicture)]
pub fn check_group_picture(bytes: &[u8]) -> String {
    ok(json_api::check_image_json(bytes))
}

#[wasm_bindgen(js_name = sniffImage)]
pub fn sniff_image(bytes: &[u8]) -> String {
    text(json_api::sniff_image_json(bytes))
}

#[wasm_bindgen(js_name = classifyError)]
pub fn classify_error(status: u16, body: &[u8], headers_json: &str) -> String {
    text(pairs(headers_json).map(|h| json_api::classify_error_json(status, &h, body)))
}

#[wasm_bindgen(js_name = errorCatalog)]
pub fn error_catalog() -> String {
    ok(json_api::catalog_json(None).unwrap_or(Value::Null))
}

#[wasm_bindgen(js_name = applyEvents)]
pub fn apply_events(
    states_json: &str,
    delivery: &[u8],
    max_bytes: Option<f64>,
    max_items: Option<f64>,
) -> String {
    let states = json_api::value_from_json_text(states_json, "states");
    let limits = json_api::webhook_limits_from_numbers(max_bytes, max_items);
    text(states.and_then(|s| limits.and_then(|l| json_api::apply_events_json(&s, &[delivery], &l))))
}

#[wasm_bindgen(js_name = applyReply)]
pub fn apply_reply(
    states_json: &str,
    operation: &str,
    params_json: &str,
    reply: &[u8],
    at: f64,
) -> String {
    let states = json_api::value_from_json_text(states_json, "states");
    let params = json_api::value_from_json_text(params_json, "params");
    text(states.and_then(|s| {
        params.and_then(|p| {
            json_api::seconds_from_number(at, "at")
                .and_then(|t| json_api::apply_reply_json(&s, operation, &p, reply, t))
        })
    }))
}

#[wasm_bindgen(js_name = seedFromGroupInfo)]
pub fn seed_from_group_info(reply: &[u8], read_at: f64) -> String {
    text(
        json_api::seconds_from_number(read_at, "read_at")
            .and_then(|t| json_api::seed_from_group_info_json(reply, t)),
    )
}

#[wasm_bindgen(js_name = quoteMessage)]
pub fn quote_message(state_json: &str, now: f64, category: &str) -> String {
    let state = json_api::value_from_json_text(state_json, "state");
    text(state.and_then(|s| {
        json_api::seconds_from_number(now, "now")
            .and_then(|n| json_api::quote_message_json(&s, n, category))
    }))
}

#[wasm_bindgen]
pub fn prune(state_json: &str, now: f64, keep: Option<f64>) -> String {
    let state = json_api::value_from_json_text(state_json, "state");
    let keep = keep
        .map(|k| json_api::seconds_from_number(k, "keep"))
        .transpose();
    text(state.and_then(|s| {
        json_api::seconds_from_number(now, "now")
            .and_then(|n| keep.and_then(|k| json_api::prune_json(&s, n, k)))
    }))
}

#[wasm_bindgen]
pub fn operations() -> String {
    ok(json_api::operations_json())
}

/// The retry decision from an error's JSON form (its `info`).
#[wasm_bindgen(js_name = nextAttempt)]
pub fn next_attempt(error_json: &str, attempt: f64, policy_json: &str, random: f64) -> String {
    let error = json_api::value_from_json_text(error_json, "error");
    let policy = json_api::value_from_json_text(policy_json, "policy");
    text(error.and_then(|e| {
        policy.and_then(|p| {
            json_api::integer_from_number(attempt, "attempt")
                .and_then(|a| json_api::next_attempt_json(&e, a, &p, random))
        })
    }))
}
