//! Other ways to hand a batch over, and the parse alone: only for measuring the boundary
//! (`make bench-npm-boundary`).

use serde_json::Value;
use wagroups::json_api;
use wasm_bindgen::prelude::*;

/// The same batch as JSON text: only for measuring the other way across the boundary.
#[wasm_bindgen(js_name = parseWebhookText)]
pub fn parse_webhook_text(body: &[u8]) -> String {
    json_api::parse_webhook_text(body, &wagroups::webhook::WebhookLimits::default())
        .unwrap_or_default()
}

/// The parse alone, nothing returned but the event count: only for measurement.
#[wasm_bindgen(js_name = parseWebhookCount)]
pub fn parse_webhook_count(body: &[u8]) -> usize {
    wagroups::parse_webhook(body).map_or(0, |b| b.events.len())
}

/// The batch as JS objects built by serde-wasm-bindgen: only for measurement.
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
#[wasm_bindgen(js_name = parseValueCount)]
pub fn parse_value_count(body: &[u8]) -> usize {
    serde_json::from_slice::<Value>(body).map_or(0, |v| v.as_object().map_or(0, |o| o.len()))
}
