//! The Graph endpoints: bearer token first, then the documented rules, then the change, its
//! reply, and the webhook that reports it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::params;
use serde_json::{json, Value};

use crate::store::{Group, Store};
use crate::webhooks::envelope;
use crate::{now, AppState};

/// The most members a group holds, the business not counted.
pub const MAX_PARTICIPANTS: usize = 8;
const SUBJECT_MAX: usize = 128;
const DESCRIPTION_MAX: usize = 2048;

/// Meta's error envelope.
pub fn graph_error(status: StatusCode, code: i64, message: &str) -> Response {
    let body = json!({"error": {"message": format!("(#{code}) {message}"), "type": "OAuthException",
        "code": code, "error_data": {"messaging_product": "whatsapp", "details": message},
        "fbtrace_id": "SANDBOX"}});
    (status, Json(body)).into_response()
}

fn bad(message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, 100, message)
}

/// `Authorization: Bearer <token>` or Meta's 190.
fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    let want = format!("Bearer {}", state.config.access_token);
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some(got) if got == want => Ok(()),
        Some(_) => Err(graph_error(
            StatusCode::UNAUTHORIZED,
            190,
            "Error validating access token: The session is invalid.",
        )),
        None => Err(graph_error(
            StatusCode::UNAUTHORIZED,
            190,
            "An active access token must be used to query information.",
        )),
    }
}

/// Every Graph route goes through this first (a route layer): no handler repeats the check.
pub async fn require_token(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match authorised(&state, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(r) => r,
    }
}

/// A JSON request body (empty reads as `{}`), or Meta's answer to one that is not JSON.
pub struct GraphJson(pub Value);

impl<S: Send + Sync> axum::extract::FromRequest<S> for GraphJson {
    type Rejection = Response;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Response> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        json_body(&body).map(GraphJson)
    }
}

fn json_body(body: &Bytes) -> Result<Value, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|_| bad("The request body is not JSON."))
}

fn known_group(store: &Store, id: &str) -> Result<Group, Response> {
    match store.group(id) {
        Ok(Some(g)) => Ok(g),
        Ok(None) => Err(graph_error(
            StatusCode::BAD_REQUEST,
            131041,
            "Group unknown",
        )),
        Err(e) => Err(internal(&e)),
    }
}

/// The answer of an asynchronous operation: its id, the outcome following by webhook.
fn accepted(request_id: &str) -> Response {
    Json(json!({"messaging_product": "whatsapp", "request_id": request_id})).into_response()
}

fn internal(e: &dyn std::fmt::Display) -> Response {
    graph_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        1,
        &format!("sandbox storage: {e}"),
    )
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Queue a `groups[]` webhook item for a group.
pub fn group_webhook(state: &AppState, store: &Store, group: &Group, field: &str, item: Value) {
    let mut item = item;
    item["group_id"] = json!(group.id);
    item["timestamp"] = json!(now().to_string());
    let body = envelope(
        &state.config.waba_id,
        &group.phone,
        field,
        json!({"groups": [item]}),
    );
    let _ = store.enqueue(&body, now());
}

pub async fn create_group(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
    GraphJson(body): GraphJson,
) -> Response {
    let subject = body["subject"].as_str().unwrap_or("").trim().to_owned();
    if subject.is_empty() || chars(&subject) > SUBJECT_MAX {
        return bad("subject is required and at most 128 characters.");
    }
    let description = body["description"].as_str().map(str::to_owned);
    if description
        .as_deref()
        .is_some_and(|d| chars(d) > DESCRIPTION_MAX)
    {
        return bad("description is at most 2048 characters.");
    }
    let mode = body["join_approval_mode"]
        .as_str()
        .unwrap_or("auto_approve")
        .to_owned();
    if mode != "auto_approve" && mode != "approval_required" {
        return bad("join_approval_mode is auto_approve or approval_required.");
    }
    let store = state.lock();
    match store.groups_of(&phone) {
        Ok(g) if g.len() >= state.config.max_groups => {
            return graph_error(
                StatusCode::BAD_REQUEST,
                131211,
                "Group create limit reached",
            )
        }
        Ok(_) => {}
        Err(e) => return internal(&e),
    }
    let n = store.next("group").unwrap_or_default();
    let request_id = store.request_id();
    let group = Group {
        id: format!("SBX{phone}G{n:06}"),
        phone: phone.clone(),
        subject,
        description,
        join_approval_mode: mode,
        invite_code: format!("SBX{n:06}{}", store.next("invite").unwrap_or_default()),
        suspended: false,
        created_at: now(),
    };
    if let Err(e) = store.db.execute(
        "INSERT INTO groups (id, phone, subject, description, join_approval_mode, invite_code, suspended, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
        params![group.id, group.phone, group.subject, group.description, group.join_approval_mode, group.invite_code, group.created_at],
    ) {
        return internal(&e);
    }
    let mut item = json!({"type": "group_create", "request_id": request_id, "subject": group.subject,
        "join_approval_mode": group.join_approval_mode, "invite_link": invite_link(&group)});
    if let Some(d) = &group.description {
        item["description"] = json!(d);
    }
    group_webhook(&state, &store, &group, "group_lifecycle_update", item);
    accepted(&request_id)
}

pub fn invite_link(group: &Group) -> String {
    format!("https://chat.whatsapp.com/{}", group.invite_code)
}

pub async fn list_groups(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
) -> Response {
    let store = state.lock();
    match store.groups_of(&phone) {
        Ok(groups) => {
            let list: Vec<Value> = groups
                .iter()
                .map(|g| json!({"id": g.id, "subject": g.subject, "created_at": g.created_at}))
                .collect();
            Json(json!({"data": {"groups": list}})).into_response()
        }
        Err(e) => internal(&e),
    }
}

pub async fn group_info(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let store = state.lock();
    if id == state.config.waba_id {
        let fields = query.get("fields").map(String::as_str).unwrap_or_default();
        return waba_analytics(&state, &store, fields);
    }
    if is_media_id(&id) {
        return media_info(&state, &store, &id);
    }
    let group = match known_group(&store, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let members = store.members(&id).unwrap_or_default();
    let mut info = json!({"messaging_product": "whatsapp", "id": group.id, "subject": group.subject,
        "join_approval_mode": group.join_approval_mode, "suspended": group.suspended,
        "creation_timestamp": group.created_at, "total_participant_count": members.len(),
        "participants": members.iter().map(|m| json!({"wa_id": m})).collect::<Vec<_>>()});
    if let Some(d) = &group.description {
        info["description"] = json!(d);
    }
    Json(info).into_response()
}

pub async fn update_settings(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let multipart = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if multipart {
        return set_picture(&state, &id, &body);
    }
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let store = state.lock();
    let group = match known_group(&store, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    if group.suspended {
        return graph_error(StatusCode::FORBIDDEN, 131207, "Group suspended");
    }
    let subject = body["subject"].as_str().map(|s| s.trim().to_owned());
    let description = body["description"].as_str().map(str::to_owned);
    if subject.is_none() && description.is_none() {
        return bad("give subject or description.");
    }
    let request_id = store.request_id();
    let mut item = json!({"type": "group_settings_update", "request_id": request_id});
    if let Some(s) = &subject {
        let ok = !s.is_empty() && chars(s) <= SUBJECT_MAX;
        if ok {
            let _ = store.db.execute(
                "UPDATE groups SET subject = ?2 WHERE id = ?1",
                params![id, s],
            );
        }
        item["group_subject"] = setting(s, ok);
    }
    if let Some(d) = &description {
        let ok = chars(d) <= DESCRIPTION_MAX;
        if ok {
            let _ = store.db.execute(
                "UPDATE groups SET description = ?2 WHERE id = ?1",
                params![id, d],
            );
        }
        item["group_description"] = setting(d, ok);
    }
    group_webhook(&state, &store, &group, "group_settings_update", item);
    accepted(&request_id)
}

fn setting(text: &str, ok: bool) -> Value {
    if ok {
        json!({"text": text, "update_successful": true})
    } else {
        json!({"text": text, "update_successful": false, "errors": [{"code": 131009,
            "title": "Parameter value is not valid", "message": "Parameter value is not valid"}]})
    }
}

pub async fn delete_group(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let store = state.lock();
    if is_media_id(&id) {
        let gone = store
            .db
            .execute("DELETE FROM media WHERE id = ?1", params![id])
            .unwrap_or(0);
        return if gone == 1 {
            Json(json!({"success": true})).into_response()
        } else {
            graph_error(
                StatusCode::NOT_FOUND,
                100,
                "Unsupported request: the media does not exist",
            )
        };
    }
    let group = match known_group(&store, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    for table in ["members", "join_requests", "messages"] {
        let _ = store.db.execute(
            &format!("DELETE FROM {table} WHERE group_id = ?1"),
            params![id],
        );
    }
    let _ = store
        .db
        .execute("DELETE FROM groups WHERE id = ?1", params![id]);
    let request_id = store.request_id();
    group_webhook(
        &state,
        &store,
        &group,
        "group_lifecycle_update",
        json!({"type": "group_delete", "request_id": request_id}),
    );
    accepted(&request_id)
}

pub async fn get_invite_link(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let store = state.lock();
    match known_group(&store, &id) {
        Ok(g) => Json(json!({"messaging_product": "whatsapp", "invite_link": invite_link(&g)}))
            .into_response(),
        Err(r) => r,
    }
}

pub async fn reset_invite_link(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let store = state.lock();
    let mut group = match known_group(&store, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    group.invite_code = format!("SBXR{:08}", store.next("invite").unwrap_or_default());
    let _ = store.db.execute(
        "UPDATE groups SET invite_code = ?2 WHERE id = ?1",
        params![id, group.invite_code],
    );
    Json(json!({"messaging_product": "whatsapp", "invite_link": invite_link(&group)}))
        .into_response()
}

pub async fn list_join_requests(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let store = state.lock();
    if let Err(r) = known_group(&store, &id) {
        return r;
    }
    let data: Vec<Value> = store
        .join_requests(&id)
        .unwrap_or_default()
        .into_iter()
        .map(|(jr, wa, at)| json!({"join_request_id": jr, "wa_id": wa, "creation_timestamp": at}))
        .collect();
    Json(json!({"data": data})).into_response()
}

pub async fn approve_join_requests(
    state: State<Arc<AppState>>,
    path: Path<(String, String)>,
    body: GraphJson,
) -> Response {
    decide(state, path, body, true)
}

pub async fn reject_join_requests(
    state: State<Arc<AppState>>,
    path: Path<(String, String)>,
    body: GraphJson,
) -> Response {
    decide(state, path, body, false)
}

fn decide(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    GraphJson(body): GraphJson,
    approve: bool,
) -> Response {
    let Some(ids) = body["join_requests"].as_array().filter(|a| !a.is_empty()) else {
        return bad("join_requests is a non-empty array.");
    };
    let store = state.lock();
    let group = match known_group(&store, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let pending = store.join_requests(&id).unwrap_or_default();
    let (mut done, mut failed, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for jr in ids.iter().filter_map(Value::as_str) {
        let Some((_, wa, _)) = pending.iter().find(|(p, _, _)| p == jr) else {
            failed.push(json!({"join_request_id": jr, "errors": [{"code": 131213, "title": "Group join request does not exist."}]}));
            continue;
        };
        if approve && store.members(&id).unwrap_or_default().len() >= MAX_PARTICIPANTS {
            failed.push(json!({"join_request_id": jr, "errors": [{"code": 131204, "title": "Participant overlimit"}]}));
            continue;
        }
        let _ = store
            .db
            .execute("DELETE FROM join_requests WHERE id = ?1", params![jr]);
        if approve {
            let _ = store.db.execute(
                "INSERT OR IGNORE INTO members (group_id, wa_id, since) VALUES (?1, ?2, ?3)",
                params![id, wa, now()],
            );
            added.push(json!({"input": wa, "wa_id": wa}));
        }
        done.push(json!(jr));
    }
    if !added.is_empty() {
        group_webhook(
            &state,
            &store,
            &group,
            "group_participants_update",
            json!({"type": "group_participants_add", "reason": "invite_link", "added_participants": added}),
        );
    }
    let key = if approve {
        "approved_join_requests"
    } else {
        "rejected_join_requests"
    };
    let mut reply = json!({"messaging_product": "whatsapp", key: done});
    let status = if failed.is_empty() {
        StatusCode::OK
    } else {
        reply["failed_join_requests"] = json!(failed);
        reply["errors"] = json!([{"code": 131201, "title": "Request partially succeeded", "message": "Request partially succeeded"}]);
        StatusCode::PARTIAL_CONTENT
    };
    (status, Json(reply)).into_response()
}

pub async fn remove_participants(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    GraphJson(body): GraphJson,
) -> Response {
    let Some(list) = body["participants"]
        .as_array()
        .filter(|a| (1..=MAX_PARTICIPANTS).contains(&a.len()))
    else {
        return bad("participants is an array of 1 to 8 items.");
    };
    let store = state.lock();
    let group = match known_group(&store, &id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let members = store.members(&id).unwrap_or_default();
    let (mut removed, mut failed) = (Vec::new(), Vec::new());
    for p in list {
        let user = p["user"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('+')
            .to_owned();
        if members.contains(&user) {
            let _ = store.db.execute(
                "DELETE FROM members WHERE group_id = ?1 AND wa_id = ?2",
                params![id, user],
            );
            removed.push(json!({"input": user}));
        } else {
            failed.push(json!({"input": user, "errors": [{"code": 131212, "title": "Participant is not a part of the group."}]}));
        }
    }
    let request_id = store.request_id();
    let mut item = json!({"type": "group_participants_remove", "initiated_by": "business", "request_id": request_id,
        "removed_participants": removed});
    if !failed.is_empty() {
        item["failed_participants"] = json!(failed);
    }
    group_webhook(&state, &store, &group, "group_participants_update", item);
    accepted(&request_id)
}

/// A message to a group: `sent` for the group, then `delivered` per member with its pricing.
pub async fn send_message(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
    GraphJson(body): GraphJson,
) -> Response {
    if body["recipient_type"] == "individual" {
        return one_to_one(&state, &phone, &body);
    }
    if body["recipient_type"] != "group" {
        return bad("recipient_type is group (or individual for the invite-link template).");
    }
    let ty = body["type"].as_str().unwrap_or_default();
    if ![
        "text", "image", "video", "audio", "document", "sticker", "template", "pin",
    ]
    .contains(&ty)
    {
        return graph_error(
            StatusCode::BAD_REQUEST,
            131020,
            "Bad Group: message type not allowed in groups",
        );
    }
    let to = body["to"].as_str().unwrap_or_default();
    let store = state.lock();
    let group = match known_group(&store, to) {
        Ok(g) => g,
        Err(r) => return r,
    };
    if group.suspended {
        return graph_error(StatusCode::FORBIDDEN, 131207, "Group suspended");
    }
    if ty == "pin" {
        return pin(&state, &store, &group, &phone, &body);
    }
    let members = store.members(to).unwrap_or_default();
    if members.is_empty() {
        return graph_error(
            StatusCode::BAD_REQUEST,
            131020,
            "Bad Group: the business is the only member",
        );
    }
    let window_open = window_open(&store, to);
    let (category, pricing_type) = match ty {
        "template" => ("group_marketing", "regular"),
        _ if !window_open => {
            return graph_error(
                StatusCode::BAD_REQUEST,
                131047,
                "Re-engagement message: more than 24 hours since a participant's last message",
            )
        }
        _ => ("group_service", "free_group_customer_service"),
    };
    let wamid = format!("wamid.SBX{:012}", store.next("message").unwrap_or_default());
    let _ = store.db.execute(
        "INSERT INTO messages (id, group_id, sent_at, category) VALUES (?1, ?2, ?3, ?4)",
        params![wamid, to, now(), category],
    );
    // From 1 October 2026 service deliveries are free only within the number's free tier (per
    // calendar month; its size is not stated by Meta, so it is a flag); after that they are regular.
    let tier_key = format!("service_deliveries:{phone}:{}", now() / (30 * 24 * 60 * 60));
    let pricing_of = |_: &str| -> &'static str {
        if category != "group_service" {
            return pricing_type;
        }
        if now() < wagroups::state::PRICING_CHANGE_2026_10_01 {
            return "free_group_customer_service";
        }
        let used = store.next(&tier_key).unwrap_or(i64::MAX);
        if used <= state.config.free_tier {
            "free_group_customer_service"
        } else {
            "regular"
        }
    };
    let priced: Vec<(String, &'static str)> =
        members.iter().map(|m| (m.clone(), pricing_of(m))).collect();
    let status = |status: &str, participant: Option<(&str, &str)>| {
        let mut s = json!({"id": wamid, "status": status, "timestamp": now().to_string(), "recipient_id": to,
            "recipient_type": "group"});
        if let Some((p, ptype)) = participant {
            s["recipient_participant_id"] = json!(p);
            s["pricing"] = json!({"billable": ptype == "regular", "pricing_model": "PMP", "type": ptype, "category": category});
        }
        s
    };
    for m in &members {
        let _ = store.receipt(&wamid, m, "delivered", now());
    }
    let mut statuses = vec![status("sent", None)];
    statuses.extend(
        priced
            .iter()
            .map(|(m, t)| status("delivered", Some((m.as_str(), *t)))),
    );
    let body = envelope(
        &state.config.waba_id,
        &phone,
        "messages",
        json!({"statuses": statuses}),
    );
    let _ = store.enqueue(&body, now());
    Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": to}], "messages": [{"id": wamid}]})).into_response()
}

/// A participant's message in the last 24 hours opens the group's service window.
pub fn window_open(store: &Store, group: &str) -> bool {
    store
        .db
        .query_row(
            "SELECT value FROM counters WHERE name = ?1",
            params![format!("last_inbound:{group}")],
            |r| r.get::<_, i64>(0),
        )
        .is_ok_and(|t| now() - t < 24 * 60 * 60)
}

/// Media ids are digits; group ids here start with `SBX`.
fn is_media_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn media_info(state: &AppState, store: &Store, id: &str) -> Response {
    let row = store.db.query_row(
        "SELECT mime_type, sha256, length(bytes) FROM media WHERE id = ?1",
        params![id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        },
    );
    match row {
        Ok((mime, sha, size)) => Json(
            json!({"messaging_product": "whatsapp", "id": id, "mime_type": mime, "sha256": sha,
            "file_size": size, "url": format!("http://{}/_sandbox/media/{id}", state.addr)}),
        )
        .into_response(),
        Err(_) => graph_error(
            StatusCode::NOT_FOUND,
            100,
            "Unsupported request: the media does not exist",
        ),
    }
}

/// `POST /{phone}/media`, multipart: `messaging_product`, `type`, `file`.
pub async fn upload_media(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
    mut form: axum::extract::Multipart,
) -> Response {
    let (mut declared, mut file) = (None, None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("type") => declared = field.text().await.ok(),
            Some("file") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    let (Some(mime), Some(bytes)) = (declared, file) else {
        return bad("multipart parts type and file are required.");
    };
    if !wagroups::media::sniff_media(&bytes)
        .mime_types
        .contains(&mime.as_str())
    {
        return bad("the file is not of the declared type.");
    }
    let store = state.lock();
    let id = format!(
        "{}",
        1_000_000_000_000_i64 + store.next("media").unwrap_or_default()
    );
    let _ = store.db.execute(
        "INSERT INTO media (id, phone, mime_type, sha256, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, phone, mime, hex_sha256(&bytes), bytes.to_vec(), now()],
    );
    Json(json!({"id": id})).into_response()
}

/// A 1:1 template (the group invite link sent to one user, by phone number or BSUID).
fn one_to_one(state: &AppState, phone: &str, body: &Value) -> Response {
    if body["type"] != "template" {
        return bad("1:1 messages in this sandbox are templates (the invite-link template).");
    }
    let Some(to) = body["to"].as_str().or(body["recipient"].as_str()) else {
        return bad("to (a phone number) or recipient (a BSUID) is required.");
    };
    let store = state.lock();
    let wamid = format!(
        "wamid.SBX1T{:010}",
        store.next("message").unwrap_or_default()
    );
    let user = to.trim_start_matches('+');
    let statuses: Vec<Value> = ["sent", "delivered"]
        .iter()
        .map(|st| json!({"id": wamid, "status": st, "timestamp": now().to_string(), "recipient_id": user,
            "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "utility"}}))
        .collect();
    let _ = store.enqueue(
        &envelope(
            &state.config.waba_id,
            phone,
            "messages",
            json!({"statuses": statuses}),
        ),
        now(),
    );
    Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": user}], "messages": [{"id": wamid}]}))
        .into_response()
}

/// The group picture (multipart `file`): JPEG, square, 192 px or more, as the library checks.
fn set_picture(state: &AppState, id: &str, body: &Bytes) -> Response {
    let store = state.lock();
    let group = match known_group(&store, id) {
        Ok(g) => g,
        Err(r) => return r,
    };
    // The file part's bytes start after the blank line that ends its headers.
    let text = body.as_ref();
    let file = text
        .windows(21)
        .position(|w| w == b"name=\"file\"; filename")
        .and_then(|at| text.get(at..))
        .and_then(|rest| {
            rest.windows(4)
                .position(|w| w == b"\r\n\r\n")
                .and_then(|p| rest.get(p + 4..))
        })
        .unwrap_or_default();
    let check = wagroups::check_group_picture(file);
    let (code, message) = match check.problems.first() {
        None => (None, ""),
        Some(wagroups::Code::ImageNotSquare) => {
            (Some(131209), "Invalid Group Profile Picture Aspect Ratio")
        }
        Some(wagroups::Code::ImageTooSmall) => (Some(131210), "Image is Too Small to Process"),
        Some(_) => (Some(100), "The picture is not a readable JPEG."),
    };
    let request_id = store.request_id();
    let mut picture = json!({"mime_type": "image/jpeg", "sha256": hex_sha256(file), "update_successful": code.is_none()});
    if let Some(c) = code {
        picture["errors"] = json!([{"code": c, "title": message, "message": message}]);
    }
    group_webhook(
        state,
        &store,
        &group,
        "group_settings_update",
        json!({"type": "group_settings_update", "request_id": request_id, "profile_picture": picture}),
    );
    accepted(&request_id)
}

pub async fn delete_invite_link(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let store = state.lock();
    if let Err(r) = known_group(&store, &id) {
        return r;
    }
    let code = format!("SBXR{:08}", store.next("invite").unwrap_or_default());
    let _ = store.db.execute(
        "UPDATE groups SET invite_code = ?2 WHERE id = ?1",
        params![id, code],
    );
    Json(json!({"success": true})).into_response()
}

/// `GET /{waba_id}?fields=analytics…|pricing_analytics…`: counts from what the sandbox sent, in
/// one bucket covering everything.
pub fn waba_analytics(state: &AppState, store: &Store, fields: &str) -> Response {
    let count = |sql: &str| {
        store
            .db
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .unwrap_or(0)
    };
    let sent = count("SELECT count(*) FROM messages");
    let delivered = count("SELECT count(*) FROM receipts");
    let start = count("SELECT coalesce(min(sent_at), 0) FROM messages");
    let end = now();
    if fields.starts_with("pricing_analytics") {
        let mut points = Vec::new();
        if let Ok(mut st) = store.db.prepare(
            "SELECT m.category, count(*) FROM receipts r JOIN messages m ON m.id = r.message_id GROUP BY m.category ORDER BY m.category",
        ) {
            if let Ok(rows) = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))) {
                for (category, volume) in rows.filter_map(Result::ok) {
                    let free = category == "group_service";
                    points.push(json!({"start": start, "end": end, "pricing_category": category.to_uppercase(),
                        "pricing_type": if free { "FREE_GROUP_CUSTOMER_SERVICE" } else { "REGULAR" },
                        "volume": volume, "cost": 0}));
                }
            }
        }
        return Json(json!({"pricing_analytics": {"data": [{"data_points": points}]}, "id": state.config.waba_id})).into_response();
    }
    Json(json!({"analytics": {"phone_numbers": [], "granularity": "DAY",
        "data_points": [{"start": start, "end": end, "sent": sent, "delivered": delivered}]}, "id": state.config.waba_id}))
        .into_response()
}

/// A pin or unpin: the message must be one the group has; a pin lasts 1 to 30 days.
fn pin(state: &AppState, store: &Store, group: &Group, phone: &str, body: &Value) -> Response {
    let action = body["pin"]["type"].as_str().unwrap_or_default();
    let target = body["pin"]["message_id"].as_str().unwrap_or_default();
    let known = store
        .db
        .query_row(
            "SELECT count(*) FROM messages WHERE id = ?1 AND group_id = ?2",
            params![target, group.id],
            |r| r.get::<_, i64>(0),
        )
        .unwrap_or(0)
        == 1;
    if !known {
        return bad("pin.message_id is not a message of this group.");
    }
    match (action, body["pin"]["expiration_days"].as_i64()) {
        ("pin", Some(days)) if (1..=30).contains(&days) => {}
        ("pin", _) => return bad("a pin lasts 1 to 30 days (pin.expiration_days)."),
        ("unpin", None) => {}
        _ => return bad("pin.type is pin or unpin; an unpin takes no expiration_days."),
    }
    let wamid = format!(
        "wamid.SBXP{:011}",
        store.next("message").unwrap_or_default()
    );
    let status = json!({"id": wamid, "status": "sent", "timestamp": now().to_string(), "recipient_id": group.id,
        "recipient_type": "group"});
    let _ = store.enqueue(
        &envelope(
            &state.config.waba_id,
            phone,
            "messages",
            json!({"statuses": [status]}),
        ),
        now(),
    );
    Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": group.id}], "messages": [{"id": wamid}]})).into_response()
}
