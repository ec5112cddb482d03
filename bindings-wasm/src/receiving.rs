//! The receiving side, exported by both entries: the handshake, the signature, the parse and
//! the endpoint's whole answer.

use std::cell::RefCell;

use serde::Serialize;
use wagroups::json_api::{self, outcome};
use wagroups::webhook::{to_tape_into, Batch, Keys};
use wasm_bindgen::prelude::*;

use crate::{pairs, text};

thread_local! {
    /// The keys this module's JS already holds (see `to_tape`): both live as long as the module.
    static KEYS: RefCell<Keys> = RefCell::new(Keys::default());
    /// The last tape, which the JS reads in place (a view of this module's memory) before its
    /// next call: no copy, and no new JS buffer per call.
    static TAPE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// A tape buffer this large (in words, 4 MB) is not kept for the next call.
const KEPT_TAPE_WORDS: usize = 1 << 20;

/// `value` written as a tape whose strings inside `body` are its positions, and the tape's
/// address in this module's memory (its first words give its length, see `to_tape`); a value
/// that cannot be written (nothing the batch holds) writes the error instead.
fn tape<T: Serialize>(value: &T, body: &[u8]) -> usize {
    KEYS.with(|keys| {
        TAPE.with(|tape| {
            let mut keys = keys.borrow_mut();
            let mut out = tape.borrow_mut();
            if out.capacity() > KEPT_TAPE_WORDS {
                *out = Vec::new();
            }
            if let Err(e) = to_tape_into(value, body, &mut keys, &mut out) {
                let error = outcome(Err(wagroups::webhook::WebhookError {
                    code: wagroups::Code::WebhookUnexpectedShape,
                    path: String::new(),
                    message: format!("the batch could not be written: {e}"),
                }
                .into()));
                // A `Value` of an error always writes; were it not to, the JS reads `null`.
                let _ = to_tape_into(&error, &[], &mut keys, &mut out);
            }
            if out.is_empty() {
                out.extend_from_slice(&[1, wagroups::webhook::TAPE_NULL, 0]);
            }
            out.as_ptr() as usize
        })
    })
}

/// This module's memory, where the tapes are read.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// `{"ok": value}`, as every native answer is shaped.
#[derive(Serialize)]
struct Answered<'r, T> {
    ok: &'r T,
}

/// `{"ok": batch}` or `{"error": …}` as a tape (see `to_tape`: the package's JS slices every
/// string of the delivery out of the body it already holds); the tape's address.
#[wasm_bindgen(js_name = parseWebhook)]
pub fn parse_webhook(body: &[u8], max_bytes: Option<f64>, max_items: Option<f64>) -> usize {
    let limits = json_api::webhook_limits_from_numbers(max_bytes, max_items);
    match limits.and_then(|l| Ok(wagroups::webhook::parse_webhook_with(body, &l)?)) {
        Ok(batch) => tape(&Answered { ok: &batch }, body),
        Err(e) => tape(&outcome(Err(e)), &[]),
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

/// A check's outcome: nothing when it passed (the common case costs the JS no string), else the
/// error as JSON text.
fn checked(r: Result<serde_json::Value, wagroups::Error>) -> Option<String> {
    r.err().map(|e| text(Err(e)))
}

#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(body: &[u8], header: Option<String>, secrets_json: &str) -> Option<String> {
    checked(
        secrets(secrets_json)
            .and_then(|s| json_api::verify_signature_json(body, header.as_deref(), &s)),
    )
}

/// The same check with the body's HMAC-SHA256 per secret computed by the host (Node's
/// `node:crypto`: OpenSSL hashes a 3 KB body in half the time SHA-256 in wasm takes), which
/// computes them only once it found every secret present and non-empty (else it calls
/// `verifySignature`, which says why not); the header and the constant-time comparison are
/// checked here all the same. The secrets stay in JS: a third of the check was reading them.
#[wasm_bindgen(js_name = verifySignatureMacs)]
pub fn verify_signature_macs(header: Option<String>, macs: &[u8]) -> Option<String> {
    checked(json_api::verify_host_macs_json(header.as_deref(), macs))
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

/// The webhook endpoint's answer as `{"ok": {status, content_type, body, problem, batch}}`, as a
/// tape like [`parse_webhook`]'s; its address.
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
) -> usize {
    let limits = json_api::webhook_limits_from_numbers(max_bytes, max_items);
    let inputs = pairs(headers_json)
        .and_then(|h| secrets(secrets_json).map(|s| (h, s)))
        .and_then(|hs| limits.map(|l| (hs, l)));
    let ((headers, secrets), limits) = match inputs {
        Ok(v) => v,
        Err(e) => return tape(&outcome(Err(e)), &[]),
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
    // The answer with its problem as the error catalog writes it everywhere.
    let problem = received.problem.take();
    let answer = AnswerHead {
        status: received.status,
        content_type: received.content_type,
        body: &received.body,
        problem: problem.as_ref().map(wagroups::Error::to_json),
        batch: received.batch.as_ref(),
    };
    tape(&Answered { ok: &answer }, body)
}

/// [`Received`](wagroups::webhook::Received) with `problem` before `batch`, the order the
/// package has always given.
#[derive(Serialize)]
struct AnswerHead<'r, 'a> {
    status: u16,
    content_type: &'r str,
    body: &'r str,
    problem: Option<serde_json::Value>,
    batch: Option<&'r Batch<'a>>,
}
