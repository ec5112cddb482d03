//! What people do on their phones, on demand: join by link, write, leave, read; and what Meta
//! does to a group (suspend, clear). Each answers with what happened and queues the webhook.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::params;
use serde_json::{json, Value};

use crate::graph::{group_webhook, MAX_PARTICIPANTS};
use crate::store::Group;
use crate::webhooks::envelope;
use crate::{now, AppState};

fn problem(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

fn group_of(state: &AppState, id: &str) -> Result<Group, Response> {
    match state.lock().group(id) {
        Ok(Some(g)) => Ok(g),
        _ => Err(problem(StatusCode::NOT_FOUND, "no such group")),
    }
}

fn text(body: &Value, key: &str) -> Result<String, Response> {
    body[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| problem(StatusCode::BAD_REQUEST, &format!("{key} is required")))
}

/// `{"name", "category"}`: a template the business has, with its category (`marketing`,
/// `utility`, `authentication`): deliveries of it are priced by that category.
pub async fn template(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Response {
    let name = match text(&body, "name") {
        Ok(n) => n,
        Err(r) => return r,
    };
    let Some(kind) = body["category"]
        .as_str()
        .and_then(crate::TemplateKind::parse)
    else {
        return problem(
            StatusCode::BAD_REQUEST,
            "category is marketing, utility or authentication",
        );
    };
    state.register_template(&name, kind);
    Json(json!({"result": "registered"})).into_response()
}

/// `{"invite_link", "wa_id", "user_id"?}`: joins, or asks to join when approval is required.
/// Someone the business removed cannot come back by the link.
pub async fn join(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Response {
    let (link, wa_id) = match (text(&body, "invite_link"), text(&body, "wa_id")) {
        (Ok(l), Ok(w)) => (l, w),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let code = link.rsplit('/').next().unwrap_or_default();
    let store = state.lock();
    let Ok(Some(group)) = store.group_by_invite(code) else {
        return problem(
            StatusCode::NOT_FOUND,
            "the invite link is not valid (reset, or never issued)",
        );
    };
    let members = store.members(&group.id).unwrap_or_default();
    if members.contains(&wa_id) {
        return Json(json!({"result": "already_member"})).into_response();
    }
    if store.was_removed(&group.id, &wa_id).unwrap_or(true) {
        return problem(
            StatusCode::FORBIDDEN,
            "removed from this group by the business: they cannot rejoin by the invite link",
        );
    }
    let user_id = body["user_id"].as_str().map(str::to_owned);
    if members.len() >= MAX_PARTICIPANTS {
        return problem(StatusCode::CONFLICT, "the group is full (8 participants)");
    }
    if group.join_approval_mode == "approval_required" {
        let id = format!("SBXJR{:08}", store.next("join_request").unwrap_or_default());
        let _ = store.db.execute(
            "INSERT INTO join_requests (id, group_id, wa_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, group.id, wa_id, now()],
        );
        group_webhook(
            &state,
            &store,
            &group,
            "group_participants_update",
            json!({"type": "group_join_request_created", "join_request_id": id, "wa_id": wa_id}),
        );
        return Json(json!({"result": "join_request_created", "join_request_id": id}))
            .into_response();
    }
    if let Err(e) = store.db.execute(
        "INSERT INTO members (group_id, wa_id, user_id, since) VALUES (?1, ?2, ?3, ?4)",
        params![group.id, wa_id, user_id, now()],
    ) {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, &format!("storage: {e}"));
    }
    let mut who = json!({"wa_id": wa_id});
    if let Some(u) = &user_id {
        who["user_id"] = json!(u);
    }
    group_webhook(
        &state,
        &store,
        &group,
        "group_participants_update",
        json!({"type": "group_participants_add", "reason": "invite_link", "added_participants": [who]}),
    );
    Json(json!({"result": "joined", "group_id": group.id})).into_response()
}

/// `{"from", "text"}` or `{"from", "media": {"type": "image"|…, "mime_type", "caption"?}}`: a
/// member writes to the group (opens the service window for 24 hours).
pub async fn message(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let from = match text(&body, "from") {
        Ok(f) => f,
        Err(r) => return r,
    };
    let media = body["media"].as_object().cloned();
    let body_text = match (&media, text(&body, "text")) {
        (Some(_), _) => String::new(),
        (None, Ok(t)) => t,
        (None, Err(r)) => return r,
    };
    let group = match group_of(&state, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let store = state.lock();
    if !store.members(&id).unwrap_or_default().contains(&from) {
        return problem(StatusCode::CONFLICT, "only members write to the group");
    }
    let wamid = format!(
        "wamid.SBXIN{:010}",
        store.next("inbound").unwrap_or_default()
    );
    let _ = store.db.execute(
        "INSERT INTO counters (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
        params![format!("last_inbound:{id}"), now()],
    );
    let mut item =
        json!({"from": from, "group_id": id, "id": wamid, "timestamp": now().to_string()});
    match &media {
        Some(m) => {
            let kind = m
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("image")
                .to_owned();
            if !["image", "video", "audio", "document", "sticker"].contains(&kind.as_str()) {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "media.type is image, video, audio, document or sticker",
                );
            }
            let media_id = format!(
                "{}",
                2_000_000_000_000_i64 + store.next("inbound_media").unwrap_or_default()
            );
            let mut content = json!({"id": media_id, "mime_type": m.get("mime_type").cloned().unwrap_or(json!("image/jpeg")),
                "sha256": "0000000000000000000000000000000000000000000000000000000000000000"});
            if let Some(c) = m.get("caption") {
                content["caption"] = c.clone();
            }
            item["type"] = json!(kind);
            item[kind.as_str()] = content;
        }
        None => {
            item["type"] = json!("text");
            item["text"] = json!({"body": body_text});
        }
    }
    let value = json!({"contacts": [{"profile": {"name": format!("Sandbox {from}")}, "wa_id": from}], "messages": [item]});
    let _ = store.enqueue(
        &envelope(&state.config.waba_id, &group.phone, "messages", value),
        now(),
    );
    Json(json!({"message_id": wamid})).into_response()
}

/// `{"wa_id"}`: a member leaves.
pub async fn leave(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let wa_id = match text(&body, "wa_id") {
        Ok(w) => w,
        Err(r) => return r,
    };
    let group = match group_of(&state, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let store = state.lock();
    let gone = store
        .db
        .execute(
            "DELETE FROM members WHERE group_id = ?1 AND wa_id = ?2",
            params![id, wa_id],
        )
        .unwrap_or(0);
    if gone == 0 {
        return problem(StatusCode::CONFLICT, "not a member");
    }
    group_webhook(
        &state,
        &store,
        &group,
        "group_participants_update",
        json!({"type": "group_participants_remove", "initiated_by": "participant", "removed_participants": [{"wa_id": wa_id}]}),
    );
    Json(json!({"result": "left"})).into_response()
}

/// `{"wa_id"}`: a member reads a message the business sent.
pub async fn read(
    State(state): State<Arc<AppState>>,
    Path(wamid): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let wa_id = match text(&body, "wa_id") {
        Ok(w) => w,
        Err(r) => return r,
    };
    let store = state.lock();
    let Ok((group_id, category)) = store.db.query_row(
        "SELECT group_id, category FROM messages WHERE id = ?1",
        params![wamid],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    ) else {
        return problem(StatusCode::NOT_FOUND, "no such message from the business");
    };
    let Ok(Some(group)) = store.group(&group_id) else {
        return problem(StatusCode::NOT_FOUND, "the group is gone");
    };
    // Only a member the message was delivered to reads it, once; the read carries the same
    // pricing as that delivery (one charge per delivery).
    let pricing_type = match store.receipt_of(&wamid, &wa_id) {
        Ok(Some((status, _))) if status == "read" => {
            return Json(json!({"result": "already_read"})).into_response()
        }
        Ok(Some((_, pricing_type))) => pricing_type,
        Ok(None) => {
            return problem(
                StatusCode::CONFLICT,
                "only a member the message was delivered to can read it",
            )
        }
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &format!("storage: {e}")),
    };
    if !store
        .members(&group_id)
        .unwrap_or_default()
        .contains(&wa_id)
    {
        return problem(StatusCode::CONFLICT, "no longer a member of the group");
    }
    let at = now();
    if let Err(e) = store.receipt(&wamid, &wa_id, "read", &pricing_type, at) {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, &format!("storage: {e}"));
    }
    let status = json!({"id": wamid, "status": "read", "timestamp": at.to_string(), "recipient_id": group_id,
        "recipient_type": "group", "recipient_participant_id": wa_id,
        "pricing": {"billable": pricing_type == "regular", "pricing_model": "PMP", "type": pricing_type, "category": category}});
    if let Err(e) = store.enqueue(
        &envelope(
            &state.config.waba_id,
            &group.phone,
            "messages",
            json!({"statuses": [status]}),
        ),
        at,
    ) {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, &format!("storage: {e}"));
    }
    Json(json!({"result": "read"})).into_response()
}

fn set_suspended(state: &AppState, id: &str, suspended: bool) -> Response {
    let group = match group_of(state, id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let store = state.lock();
    let _ = store.db.execute(
        "UPDATE groups SET suspended = ?2 WHERE id = ?1",
        params![id, suspended],
    );
    let ty = if suspended {
        "group_suspend"
    } else {
        "group_suspend_cleared"
    };
    group_webhook(
        state,
        &store,
        &group,
        "group_status_update",
        json!({"type": ty}),
    );
    Json(json!({"result": ty})).into_response()
}

pub async fn suspend(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    set_suspended(&state, &id, true)
}

pub async fn unsuspend(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    set_suspended(&state, &id, false)
}

/// The webhook log: every delivery with its attempts and last answer.
pub async fn deliveries(State(state): State<Arc<AppState>>) -> Response {
    let store = state.lock();
    let Ok(mut st) = store.db.prepare(
        "SELECT id, body, created_at, attempts, delivered_at, last_status, last_error, abandoned_at FROM deliveries ORDER BY id",
    ) else {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, "storage");
    };
    let rows: Vec<Value> = st
        .query_map([], |r| {
            Ok(json!({"id": r.get::<_, i64>(0)?, "body": r.get::<_, String>(1)?, "created_at": r.get::<_, i64>(2)?,
                "attempts": r.get::<_, i64>(3)?, "delivered_at": r.get::<_, Option<i64>>(4)?,
                "last_status": r.get::<_, Option<i64>>(5)?, "last_error": r.get::<_, Option<String>>(6)?,
                "abandoned_at": r.get::<_, Option<i64>>(7)?}))
        })
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default();
    Json(json!({"deliveries": rows})).into_response()
}

/// Everything the console shows: groups with members, pending requests and the business's
/// messages with each member's receipt.
pub async fn world(State(state): State<Arc<AppState>>) -> Response {
    let store = state.lock();
    let groups = store.all_groups().unwrap_or_default();
    let list: Vec<Value> = groups
        .iter()
        .map(|g| {
            let messages: Vec<Value> = store
                .db
                .prepare("SELECT id, sent_at, category FROM messages WHERE group_id = ?1 ORDER BY sent_at, id")
                .and_then(|mut st| {
                    st.query_map(params![g.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))
                        .map(|rows| rows.filter_map(Result::ok).collect::<Vec<_>>())
                })
                .unwrap_or_default()
                .into_iter()
                .map(|(id, at, category)| {
                    let receipts: Vec<Value> = store
                        .db
                        .prepare("SELECT wa_id, status FROM receipts WHERE message_id = ?1 ORDER BY wa_id")
                        .and_then(|mut st| {
                            st.query_map(params![id], |r| Ok(json!({"wa_id": r.get::<_, String>(0)?, "status": r.get::<_, String>(1)?})))
                                .map(|rows| rows.filter_map(Result::ok).collect())
                        })
                        .unwrap_or_default();
                    json!({"id": id, "sent_at": at, "category": category, "receipts": receipts})
                })
                .collect();
            json!({"id": g.id, "phone_number_id": g.phone, "subject": g.subject, "description": g.description,
                "join_approval_mode": g.join_approval_mode, "invite_link": crate::graph::invite_link(g),
                "suspended": g.suspended, "participants": store.members(&g.id).unwrap_or_default(),
                "pending_join_requests": store.join_requests(&g.id).unwrap_or_default().into_iter()
                    .map(|(id, wa, at)| json!({"join_request_id": id, "wa_id": wa, "created_at": at})).collect::<Vec<_>>(),
                "messages": messages})
        })
        .collect();
    Json(json!({"groups": list})).into_response()
}

/// The console: one page, no build step.
pub async fn console() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("console.html"),
    )
        .into_response()
}

/// The bytes of an uploaded media file (where `get_media`'s `url` points in the sandbox).
pub async fn media_bytes(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let store = state.lock();
    match store.db.query_row(
        "SELECT mime_type, bytes FROM media WHERE id = ?1",
        params![id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)),
    ) {
        Ok((mime, bytes)) => ([(axum::http::header::CONTENT_TYPE, mime)], bytes).into_response(),
        Err(_) => problem(StatusCode::NOT_FOUND, "no such media"),
    }
}
