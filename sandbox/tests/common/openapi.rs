//! Every reply the sandbox gave and every delivery it sent, checked against Meta's own OpenAPI
//! file (v23.0, vendored): replies against the operation's 200 response schema, deliveries
//! against `WebhookPayload`. Where the file and the documentation part ways, the deviation is
//! named with its reason, and each named one must still occur, so the list cannot go stale.

use serde_json::{json, Map, Value};
use wagroups::Operation;

#[path = "../../../core/tests/support/openapi.rs"]
mod file;

pub struct OpenApi {
    doc: Value,
}

/// Where the file has a 200 response schema for an operation; `Err` names why it has none.
fn response_of(op: Operation) -> Result<(&'static str, &'static str), &'static str> {
    Ok(match op {
        Operation::CreateGroup => ("/{Version}/{Phone-Number-ID}/groups", "post"),
        Operation::ListGroups => ("/{Version}/{Phone-Number-ID}/groups", "get"),
        Operation::GetGroupInfo => ("/{Version}/{group_id}", "get"),
        Operation::DeleteGroup => ("/{Version}/{group_id}", "delete"),
        Operation::ResetInviteLink => ("/{Version}/{group_id}/invite_link", "post"),
        Operation::DeleteInviteLink => ("/{Version}/{group_id}/invite_link", "delete"),
        Operation::ListJoinRequests => ("/{Version}/{group_id}/join_requests", "get"),
        Operation::ApproveJoinRequests => ("/{Version}/{group_id}/join_requests", "post"),
        Operation::RejectJoinRequests => ("/{Version}/{group_id}/join_requests", "delete"),
        Operation::SendMessage | Operation::PinMessage | Operation::SendInviteLinkTemplate => {
            ("/{Version}/{Phone-Number-ID}/messages", "post")
        }
        Operation::UploadMedia => ("/{Version}/{Phone-Number-ID}/media", "post"),
        Operation::GetMedia => ("/{Version}/{Media-ID}", "get"),
        Operation::DeleteMedia => ("/{Version}/{Media-ID}", "delete"),
        Operation::GetInviteLink => return Err("GET invite_link is in the guides, not in v23.0"),
        Operation::UpdateGroupSettings | Operation::RemoveParticipants => {
            return Err("v23.0 documents no response body (the outcome is a webhook)")
        }
        Operation::GetMessageAnalytics | Operation::GetPricingAnalytics => {
            return Err("WABA analytics are not in v23.0's paths")
        }
        _ => return Err("not called by the sandbox tests"),
    })
}

type Applies = fn(&Value) -> bool;
type Patch = fn(&mut Value);

/// Each group item of a delivery (`value.groups[]`), for patches.
fn group_items(b: &mut Value) -> impl Iterator<Item = &mut Value> {
    b["entry"][0]["changes"][0]["value"]["groups"]
        .as_array_mut()
        .into_iter()
        .flatten()
}

fn has_groups(b: &Value) -> bool {
    b["entry"][0]["changes"][0]["value"]["groups"].is_array()
}

fn group_type_in(b: &Value, types: &[&str]) -> bool {
    b["entry"][0]["changes"][0]["value"]["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|i| types.contains(&i["type"].as_str().unwrap_or_default()))
}

/// Where the documentation (and Meta's own example deliveries) and v23.0 part ways: the reason,
/// which deliveries it concerns, and the patch that writes v23.0's spelling. A delivery is
/// checked with every patch that applies; it must then conform, and must not conform without
/// them.
const DELIVERY_DEVIATIONS: &[(&str, Applies, Patch)] = &[
    (
        "group event timestamps are strings in the guides and Meta's deliveries; v23.0 types them integer",
        has_groups,
        |b| {
            for i in group_items(b) {
                if let Some(t) = i["timestamp"].as_str().and_then(|t| t.parse::<i64>().ok()) {
                    i["timestamp"] = json!(t);
                }
            }
        },
    ),
    (
        "v23.0 spells the field group_participant_update; the guides group_participants_update",
        |b| b["entry"][0]["changes"][0]["field"] == "group_participants_update",
        |b| b["entry"][0]["changes"][0]["field"] = json!("group_participant_update"),
    ),
    (
        "v23.0 spells the types group_add_participants/group_remove_participants; the guides group_participants_add/remove",
        |b| group_type_in(b, &["group_participants_add", "group_participants_remove"]),
        |b| {
            for i in group_items(b) {
                let t = match i["type"].as_str() {
                    Some("group_participants_add") => "group_add_participants",
                    Some("group_participants_remove") => "group_remove_participants",
                    _ => continue,
                };
                i["type"] = json!(t);
            }
        },
    ),
    (
        "v23.0 has no join-request or suspension events (nor the group_status_update field): checked as the nearest event it has",
        |b| group_type_in(b, &["group_join_request_created", "group_join_request_revoked", "group_suspend", "group_suspend_cleared"]),
        |b| {
            if b["entry"][0]["changes"][0]["field"] == "group_status_update" {
                b["entry"][0]["changes"][0]["field"] = json!("group_lifecycle_update");
            }
            for i in group_items(b) {
                let t = match i["type"].as_str() {
                    Some("group_join_request_created" | "group_join_request_revoked") => "group_add_participants",
                    Some("group_suspend" | "group_suspend_cleared") => "group_settings_update",
                    _ => continue,
                };
                i["type"] = json!(t);
            }
        },
    ),
    (
        "v23.0 requires request_id on every group event; the guides send none on joins, leaves, join requests and suspensions",
        |b| {
            b["entry"][0]["changes"][0]["value"]["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|i| i.get("request_id").is_none())
        },
        |b| {
            for i in group_items(b) {
                if i.get("request_id").is_none() {
                    i["request_id"] = json!("none-documented");
                }
            }
        },
    ),
    (
        "v23.0 describes incoming messages with the send-message request schema, which no received message can satisfy (from, id and timestamp are refused, to and recipient_type required): the rest of the value is checked here, the message items by the library's parser (no warnings)",
        |b| b["entry"][0]["changes"][0]["value"]["messages"].is_array(),
        |b| b["entry"][0]["changes"][0]["value"]["messages"] = json!([]),
    ),
];

/// The reasons of every named delivery deviation.
pub fn delivery_deviations() -> Vec<&'static str> {
    DELIVERY_DEVIATIONS.iter().map(|(why, _, _)| *why).collect()
}

impl OpenApi {
    pub fn load() -> OpenApi {
        OpenApi { doc: file::load() }
    }

    fn validator(&self, schema: &Value) -> jsonschema::Validator {
        let mut root: Map<String, Value> = schema.as_object().unwrap().clone();
        root.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        root.insert("components".into(), self.doc["components"].clone());
        jsonschema::validator_for(&Value::Object(root)).unwrap()
    }

    fn errors(&self, schema: &Value, v: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect()
    }

    /// Check every reply and delivery; returns how many of each were checked and the named
    /// deviations met. Panics with every failure at once.
    pub fn check(
        &self,
        replies: &[(Operation, Vec<u8>)],
        deliveries: &[Vec<u8>],
    ) -> (usize, usize, Vec<&'static str>) {
        let mut failures = Vec::new();
        let mut seen = Vec::new();
        let mut checked_replies = 0;
        for (op, bytes) in replies {
            let (path, method) = match response_of(*op) {
                Ok(p) => p,
                Err(why) => {
                    seen.push(why);
                    continue;
                }
            };
            let schema = &self.doc["paths"][path][method]["responses"]["200"]["content"]
                ["application/json"]["schema"];
            assert!(schema.is_object(), "no 200 schema for {method} {path}");
            let v: Value = serde_json::from_slice(bytes).unwrap();
            for e in self.errors(schema, &v) {
                failures.push(format!("{op} reply: {e}"));
            }
            checked_replies += 1;
        }
        let payload = json!({"$ref": "#/components/schemas/WebhookPayload"});
        for bytes in deliveries {
            let original: Value = serde_json::from_slice(bytes).unwrap();
            let mut v = original.clone();
            let mut patched = false;
            for (why, applies, patch) in DELIVERY_DEVIATIONS {
                if applies(&v) {
                    patch(&mut v);
                    seen.push(*why);
                    patched = true;
                }
            }
            for e in self.errors(&payload, &v) {
                failures.push(format!("delivery {}: {e}", String::from_utf8_lossy(bytes)));
            }
            if patched && self.errors(&payload, &original).is_empty() {
                failures.push(format!(
                    "delivery {} conforms as sent: a deviation is stale",
                    String::from_utf8_lossy(bytes)
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        seen.sort_unstable();
        seen.dedup();
        (checked_replies, deliveries.len(), seen)
    }

    /// A reply the schema must refuse proves the check can fail.
    pub fn refuses(&self, op: Operation, reply: &Value) -> bool {
        let (path, method) = response_of(op).unwrap();
        let schema = &self.doc["paths"][path][method]["responses"]["200"]["content"]
            ["application/json"]["schema"];
        !self.errors(schema, reply).is_empty()
    }
}
