//! The receiving side, exported by both entries: the handshake, the signature, the parse and
//! the endpoint's whole answer.

use wagroups::json_api;
use wasm_bindgen::prelude::*;

use crate::{pairs, text};

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

/// A check's outcome: empty when it passed (the common case costs the JS no JSON), else the
/// error as JSON text.
fn checked(r: Result<serde_json::Value, wagroups::Error>) -> String {
    match r {
        Ok(_) => String::new(),
        Err(e) => text(Err(e)),
    }
}

#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(body: &[u8], header: Option<String>, secrets_json: &str) -> String {
    checked(
        secrets(secrets_json)
            .and_then(|s| json_api::verify_signature_json(body, header.as_deref(), &s)),
    )
}

/// The same check with the body's HMAC-SHA256 per secret computed by the host (Node's
/// `node:crypto`: OpenSSL hashes a 3 KB body in half the time SHA-256 in wasm takes); the
/// secrets, the header and the constant-time comparison are checked here all the same.
#[wasm_bindgen(js_name = verifySignatureMacs)]
pub fn verify_signature_macs(header: Option<String>, secrets_json: &str, macs: &[u8]) -> String {
    checked(
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

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
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
    // Written member by member: serialising `Received` whole would compile the batch's
    // serialisation a second time, for `Value`.
    let batch = received.batch.take();
    let head = serde_json::json!({
        "status": received.status,
        "content_type": received.content_type,
        "body": received.body,
        "problem": received.problem.as_ref().map(wagroups::Error::to_json),
    });
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
