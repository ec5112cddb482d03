//! What the console shows, computed here with the library itself: each delivery parsed with
//! `parse_webhook`, a group's conversation from its events and the business's messages, and
//! its ledger folded by the library's state module from the deliveries the sandbox sent.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};
use wagroups::webhook::parse_webhook;

use crate::error::Problem;
use crate::store::Delivery;
use crate::{now, AppState, Chaos};

type Done = Result<axum::response::Response, Problem>;

/// A delivery's events as JSON (none when it cannot be parsed: the log still shows it).
fn events_of(d: &Delivery) -> Vec<Value> {
    parse_webhook(d.body.as_bytes())
        .map(|b| {
            b.events
                .iter()
                .filter_map(|e| serde_json::to_value(e).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The webhook log for the inspector: each delivery with its field, event types and groups,
/// attempts, the callback's last answer (status, first kilobyte, milliseconds) and its body.
pub async fn deliveries(State(state): State<Arc<AppState>>) -> Done {
    let rows: Vec<Value> = state
        .lock()
        .deliveries()?
        .into_iter()
        .map(|d| {
            let events = events_of(&d);
            let mut types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
            types.dedup();
            let mut groups: Vec<&str> = events.iter().filter_map(|e| e["group_id"].as_str()).collect();
            groups.sort_unstable();
            groups.dedup();
            let field = events.first().and_then(|e| e["field"].as_str()).unwrap_or_default();
            json!({"id": d.id, "body": d.body, "created_at": d.created_at, "attempts": d.attempts,
                "delivered_at": d.delivered_at, "last_status": d.last_status, "last_error": d.last_error,
                "abandoned_at": d.abandoned_at, "last_body": d.last_body, "last_ms": d.last_ms,
                "redelivery_of": d.redelivery_of, "field": field, "types": types, "groups": groups})
        })
        .collect();
    Ok(Json(json!({ "deliveries": rows, "chaos": state.chaos().name() })).into_response())
}

/// `POST /_sandbox/deliveries/{id}/redeliver`: the same bytes (and so the same signature)
/// again, as Meta's retries send them.
pub async fn redeliver(State(state): State<Arc<AppState>>, Path(id): Path<i64>) -> Done {
    let again = state
        .lock()
        .redeliver(id, now())?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "no such delivery"))?;
    Ok(Json(json!({"result": "queued", "id": again, "redelivery_of": id})).into_response())
}

/// `POST /_sandbox/chaos {"mode": "off"|"duplicate"|"shuffle"}`.
pub async fn chaos(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Done {
    let mode = body["mode"]
        .as_str()
        .and_then(Chaos::parse)
        .ok_or_else(|| {
            Problem::new(StatusCode::BAD_REQUEST, "mode is off, duplicate or shuffle")
        })?;
    state.set_chaos(mode);
    Ok(Json(json!({ "mode": mode.name() })).into_response())
}

/// A person as the conversation names them: profile name and id, or the id.
fn person(p: &Value) -> String {
    let id = p["wa_id"]
        .as_str()
        .or(p["input"].as_str())
        .or(p["user_id"].as_str())
        .unwrap_or("someone");
    id.trim_start_matches('+').to_owned()
}

fn line(at: i64, text: String) -> Value {
    json!({"kind": "line", "at": at, "text": text})
}

/// `GET /_sandbox/groups/{id}/view`: the conversation in order (members' messages, the
/// business's with a tick per member, joins, departures, requests) and the group's ledger.
pub async fn group_view(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Done {
    let store = state.lock();
    let group = store
        .group(&id)?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "no such group"))?;
    let mut timeline: Vec<(i64, i64, Value)> = Vec::new();
    let mut states = wagroups::state::States::new();
    let mut seq = 0;
    for d in store.deliveries()? {
        if d.redelivery_of.is_some() {
            continue;
        }
        let Ok(batch) = parse_webhook(d.body.as_bytes()) else {
            continue;
        };
        let ours: Vec<_> = batch
            .events
            .iter()
            .filter(|e| e.group_id.as_deref() == Some(id.as_str()))
            .cloned()
            .collect();
        wagroups::state::apply_events(&mut states, &ours);
        for e in &ours {
            let v = serde_json::to_value(e).unwrap_or(Value::Null);
            let at = e.timestamp.unwrap_or(d.created_at);
            seq += 1;
            let item = match v["type"].as_str().unwrap_or_default() {
                "group_create" => Some(line(
                    at,
                    format!("The group \"{}\" was created", group.subject),
                )),
                "group_participants_add" => {
                    let who: Vec<String> = v["added_participants"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(person)
                        .collect();
                    Some(line(at, format!("{} joined", who.join(", "))))
                }
                "group_participants_remove" => {
                    let who: Vec<String> = v["removed_participants"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(person)
                        .collect();
                    let how = if v["initiated_by"] == "business" {
                        "was removed by the business"
                    } else {
                        "left"
                    };
                    (!who.is_empty()).then(|| line(at, format!("{} {how}", who.join(", "))))
                }
                "group_join_request_created" => Some(line(
                    at,
                    format!("{} asked to join", person(&v["requester"])),
                )),
                "group_join_request_revoked" => Some(line(
                    at,
                    format!("{} withdrew the request to join", person(&v["requester"])),
                )),
                "group_suspend" => Some(line(at, "WhatsApp suspended the group".into())),
                "group_suspend_cleared" => Some(line(at, "The suspension was cleared".into())),
                "message" => Some(
                    json!({"kind": "in", "at": at, "id": v["message_id"], "from": v["from"],
                    "name": v["contact_name"], "text": v["text"], "media_kind": v["media"].is_object().then(|| v["kind"].clone()),
                    "caption": v["media"]["caption"]}),
                ),
                _ => None,
            };
            if let Some(item) = item {
                timeline.push((at, seq, item));
            }
        }
    }
    let ledger = states
        .remove(&id)
        .unwrap_or_else(|| wagroups::state::GroupState::new(&id));
    for m in store.sent_messages(&id)? {
        let (wamid, at, category) = (m.id, m.sent_at, m.category);
        let body: Value = m
            .body
            .and_then(|b| serde_json::from_str(&b).ok())
            .unwrap_or(Value::Null);
        let kind = body["type"].as_str().unwrap_or("text").to_owned();
        let text = match kind.as_str() {
            "text" => body["text"]["body"].clone(),
            "template" => json!(format!(
                "template {}",
                body["template"]["name"].as_str().unwrap_or("?")
            )),
            other => body[other]["caption"].clone(),
        };
        let ticks: Vec<Value> = ledger
            .messages
            .get(&wamid)
            .map(|m| {
                m.recipients
                    .iter()
                    .map(|(who, r)| {
                        json!({"participant": who, "status": r.status,
                "code": r.errors.first().map(|e| e.code.clone())})
                    })
                    .collect()
            })
            .unwrap_or_default();
        seq += 1;
        timeline.push((
            at,
            seq,
            json!({"kind": "out", "at": at, "id": wamid, "category": category,
            "message_kind": kind, "text": text, "ticks": ticks}),
        ));
    }
    timeline.sort_by_key(|(at, seq, _)| (*at, *seq));
    let (billable, free) = ledger.totals.values().fold((0, 0), |(b, f), t| {
        (b + t.billable_deliveries, f + t.free_deliveries)
    });
    let last = ledger
        .messages
        .iter()
        .max_by_key(|(_, m)| m.last_at)
        .map(|(id, m)| json!({"id": id, "billable_deliveries": m.billable_deliveries, "free_deliveries": m.free_deliveries}));
    let members: Vec<Value> = store
        .member_ids(&id)?
        .into_iter()
        .map(|(wa, user)| json!({"wa_id": wa, "user_id": user}))
        .collect();
    let pending: Vec<Value> = store
        .join_requests(&id)?
        .into_iter()
        .map(|(jr, wa, at)| json!({"join_request_id": jr, "wa_id": wa, "created_at": at}))
        .collect();
    Ok(Json(json!({
        "group": {"id": group.id, "subject": group.subject, "invite_link": crate::graph::invite_link(&group),
            "join_approval_mode": group.join_approval_mode, "suspended": group.suspended,
            "members": members, "pending_join_requests": pending},
        "timeline": timeline.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>(),
        "ledger": {"participants": ledger.participants, "pending_join_requests": ledger.pending_join_requests,
            "service_window_until": ledger.service_window_until, "window_open": ledger.window_open(now()),
            "totals": ledger.totals, "billable_deliveries": billable, "free_deliveries": free,
            "last_message": last, "status": ledger.status},
        "now": now(),
    }))
    .into_response())
}
