//! The npm package's native half. Every export takes strings and bytes, calls one function of
//! the core's JSON surface and returns the outcome as JSON text (`{"ok": …}` or `{"error": …}`);
//! the package's JS turns that into values and `Error` subclasses. The webhook parse, everyone's
//! hot path, returns its batch as JS objects instead (an error still as JSON text). No logic
//! lives here, and nothing can panic (a panic would kill a Worker).

use serde_json::Value;
use wagroups::json_api::{self, outcome};
use wasm_bindgen::prelude::*;

fn text(r: Result<Value, wagroups::Error>) -> String {
    outcome(r).to_string()
}

fn ok(v: Value) -> String {
    text(Ok(v))
}

/// Headers or query pairs arrive as JSON `[[name, value], …]` from the package's JS.
fn pairs(json: &str) -> Result<Vec<(String, String)>, wagroups::Error> {
    json_api::pairs_from_json_text(json)
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

/// `{"ok": batch, "ascii": bool}` with every exact text as its byte range in `body` (the
/// package's JS slices the strings out of the body it already holds), or `{"error": …}`.
#[wasm_bindgen(js_name = parseWebhook)]
pub fn parse_webhook(body: &[u8], max_bytes: Option<f64>, max_items: Option<f64>) -> String {
    let limits = json_api::webhook_limits_from_numbers(max_bytes, max_items);
    let batch = limits.and_then(|l| Ok(wagroups::webhook::parse_webhook_with(body, &l)?));
    match batch.map(|b| wagroups::webhook::to_json_with_spans(&b, body)) {
        Ok(Ok(json)) => format!("{{\"ascii\":{},\"ok\":{json}}}", body.is_ascii()),
        Ok(Err(e)) => text(Err(wagroups::webhook::WebhookError {
            code: wagroups::Code::WebhookUnexpectedShape,
            path: String::new(),
            message: format!("the batch could not be written: {e}"),
        }
        .into())),
        Err(e) => text(Err(e)),
    }
}

/// The same batch as JSON text: only for measuring the other way across the boundary.
#[cfg(feature = "boundary-bench")]
#[wasm_bindgen(js_name = parseWebhookText)]
pub fn parse_webhook_text(body: &[u8]) -> String {
    text(
        json_api::parse_webhook_text(body, &wagroups::webhook::WebhookLimits::default())
            .map(|t| serde_json::from_str(&t).unwrap_or(Value::Null)),
    )
}

/// Secrets as the package's JS sends them: a JSON array (a non-string reads as empty, which
/// the core refuses).
fn secrets(json: &str) -> Result<Vec<String>, wagroups::Error> {
    json_api::value_from_json_text(json, "secrets").map(|v| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    })
}

#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(body: &[u8], header: Option<String>, secrets_json: &str) -> String {
    text(
        secrets(secrets_json)
            .and_then(|s| json_api::verify_signature_json(body, header.as_deref(), &s)),
    )
}

/// The same check with the body's HMAC-SHA256 per secret computed by the host (Node's
/// `node:crypto`: OpenSSL hashes a 3 KB body in half the time SHA-256 in wasm takes); the
/// secrets, the header and the constant-time comparison are checked here all the same.
#[wasm_bindgen(js_name = verifySignatureMacs)]
pub fn verify_signature_macs(header: Option<String>, secrets_json: &str, macs: &[u8]) -> String {
    text(
        secrets(secrets_json)
            .and_then(|s| json_api::verify_signature_macs_json(header.as_deref(), &s, macs)),
    )
}

/// The handshake from the raw query string, decoded by the core as in Python and the CLI.
#[wasm_bindgen(js_name = verifySubscriptionQuery)]
pub fn verify_subscription_query(query: &str, verify_token: &str) -> String {
    text(json_api::verify_subscription_json(query, verify_token))
}

#[wasm_bindgen(js_name = verifySubscription)]
pub fn verify_subscription(pairs_json: &str, verify_token: &str) -> String {
    text(pairs(pairs_json).and_then(|p| json_api::verify_subscription_pairs_json(&p, verify_token)))
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

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The parse alone, nothing returned but the event count: only for measurement.
#[cfg(feature = "boundary-bench")]
#[wasm_bindgen(js_name = parseWebhookCount)]
pub fn parse_webhook_count(body: &[u8]) -> usize {
    wagroups::parse_webhook(body).map_or(0, |b| b.events.len())
}

/// The batch as JS objects built by serde-wasm-bindgen: only for measurement.
#[cfg(feature = "boundary-bench")]
#[wasm_bindgen(js_name = parseWebhookObjects)]
pub fn parse_webhook_objects(body: &[u8]) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    match wagroups::parse_webhook(body) {
        Ok(batch) => serde::Serialize::serialize(&batch, &serializer).unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    }
}

/// An untyped `serde_json::Value` parse of the same bytes: the baseline the parse is measured
/// against inside wasm (only for measurement).
#[cfg(feature = "boundary-bench")]
#[wasm_bindgen(js_name = parseValueCount)]
pub fn parse_value_count(body: &[u8]) -> usize {
    serde_json::from_slice::<Value>(body).map_or(0, |v| v.as_object().map_or(0, |o| o.len()))
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

/// The webhook endpoint's answer as `{"ok": {status, content_type, body, problem, batch}}`; the
/// batch, when there is one, has its exact texts as byte ranges like [`parse_webhook`]'s.
/// `macs`: the body's HMAC-SHA256 per secret when the host computed them, else empty.
// One plain value per argument: the boundary takes strings, bytes and numbers.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn receive(
    method: &str,
    query: &str,
    headers_json: &str,
    body: &[u8],
    secrets_json: &str,
    verify_token: Option<String>,
    max_bytes: Option<f64>,
    max_items: Option<f64>,
    macs: &[u8],
) -> String {
    let limits = json_api::webhook_limits_from_numbers(max_bytes, max_items);
    let inputs = pairs(headers_json)
        .and_then(|h| secrets(secrets_json).map(|s| (h, s)))
        .and_then(|hs| limits.map(|l| (hs, l)));
    let ((headers, secrets), limits) = match inputs {
        Ok(v) => v,
        Err(e) => return text(Err(e)),
    };
    let query = wagroups::webhook::parse_query(query);
    let mut received = json_api::receive_answer(
        method,
        &query,
        &headers,
        body,
        &secrets,
        verify_token.as_deref(),
        &limits,
        (!macs.is_empty()).then_some(macs),
    );
    // The answer without its batch; the batch (if any) beside it, written like parseWebhook's.
    let batch = received.batch.take();
    let mut head = serde_json::to_value(&received).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut head {
        m.remove("batch");
    }
    match batch.map(|b| wagroups::webhook::to_json_with_spans(&b, body)) {
        None => format!("{{\"ok\":{head}}}"),
        Some(Ok(json)) => format!(
            "{{\"ascii\":{},\"ok\":{head},\"batch\":{json}}}",
            body.is_ascii()
        ),
        Some(Err(e)) => text(Err(wagroups::webhook::WebhookError {
            code: wagroups::Code::WebhookUnexpectedShape,
            path: String::new(),
            message: format!("the batch could not be written: {e}"),
        }
        .into())),
    }
}
