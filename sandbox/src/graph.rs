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

/// The most members a group holds, the business not counted (the same number as a remove
/// call's participants).
pub const MAX_PARTICIPANTS: usize = wagroups::ops::PARTICIPANTS_MAX;
use wagroups::ops::{DESCRIPTION_MAX, LIST_LIMIT_MAX, SUBJECT_MAX};

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
    match headers.get("authorization").map(|v| v.as_bytes()) {
        Some(got) if constant_time_eq(got, want.as_bytes()) => Ok(()),
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

/// Equal bytes, in a time that depends only on the lengths (a token is not guessed byte by
/// byte from response times).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
            .map_err(|e| too_large(e.status()))?;
        json_body(&body).map(GraphJson)
    }
}

/// A body the server would not read, as Meta's envelope (never axum's plain text). Meta does
/// not document the code for an oversized body; the sandbox answers 100 with HTTP 413.
pub fn too_large(status: StatusCode) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        graph_error(status, 100, "The request body is too large.")
    } else {
        bad("The request body could not be read.")
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
    group_webhook_at(state, store, group, field, item, crate::now_ms());
}

/// Queue a `groups[]` webhook item, sent (and timestamped) at `at_ms`.
fn group_webhook_at(
    state: &AppState,
    store: &Store,
    group: &Group,
    field: &str,
    item: Value,
    at_ms: i64,
) {
    let mut item = item;
    item["group_id"] = json!(group.id);
    item["timestamp"] = json!((at_ms / 1000).to_string());
    let body = envelope(
        &state.config.waba_id,
        &group.phone,
        field,
        json!({"groups": [item]}),
    );
    let _ = store.enqueue_at(&body, now(), at_ms);
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
    match store.group_count(&phone) {
        Ok(n) if n >= state.config.max_groups => {
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
    // Creation is asynchronous: the reply names only the request; the group exists (listing,
    // info, links) once its `group_create` webhook is due, after the configured delay.
    let ready_at_ms = crate::now_ms() + state.config.create_delay_ms;
    let group = Group {
        id: format!("SBX{phone}G{n:06}"),
        phone: phone.clone(),
        subject,
        description,
        join_approval_mode: mode,
        invite_code: format!("SBX{n:06}{}", store.next("invite").unwrap_or_default()),
        suspended: false,
        created_at: ready_at_ms / 1000,
    };
    if let Err(e) = store.db.execute(
        "INSERT INTO groups (id, phone, subject, description, join_approval_mode, invite_code, suspended, created_at, ready_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)",
        params![group.id, group.phone, group.subject, group.description, group.join_approval_mode, group.invite_code, ready_at_ms / 1000, ready_at_ms],
    ) {
        return internal(&e);
    }
    let mut item = json!({"type": "group_create", "request_id": request_id, "subject": group.subject,
        "join_approval_mode": group.join_approval_mode, "invite_link": invite_link(&group)});
    if let Some(d) = &group.description {
        item["description"] = json!(d);
    }
    group_webhook_at(
        &state,
        &store,
        &group,
        "group_lifecycle_update",
        item,
        ready_at_ms,
    );
    accepted(&request_id)
}

pub fn invite_link(group: &Group) -> String {
    format!("https://chat.whatsapp.com/{}", group.invite_code)
}

/// Cursors are opaque to callers: here the hex of `sbx:<offset>`.
fn cursor(offset: usize) -> String {
    format!("sbx:{offset}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn offset_of(cursor: &str) -> Option<usize> {
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| {
            cursor
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    String::from_utf8(bytes?)
        .ok()?
        .strip_prefix("sbx:")?
        .parse()
        .ok()
}

/// `GET /{phone}/groups?limit&after|before`: pages of at most `limit` (1 to 1024, default 25),
/// `paging.cursors` always, `next` (and `previous`) only when there is more that way.
pub async fn list_groups(
    State(state): State<Arc<AppState>>,
    Path((version, phone)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let limit = match query.get("limit").map(|l| l.parse::<i64>()) {
        None => 25,
        Some(Ok(l)) if (1..=LIST_LIMIT_MAX).contains(&l) => usize::try_from(l).unwrap_or(25),
        Some(_) => return bad("limit is a whole number from 1 to 1024."),
    };
    let start = match (query.get("after"), query.get("before")) {
        (Some(_), Some(_)) => return bad("give after or before, not both."),
        (Some(c), None) => offset_of(c),
        (None, Some(c)) => offset_of(c).map(|end| end.saturating_sub(limit)),
        (None, None) => Some(0),
    };
    let Some(start) = start else {
        return graph_error(StatusCode::BAD_REQUEST, 131059, "Invalid cursor");
    };
    let store = state.lock();
    let groups = match store.groups_of(&phone) {
        Ok(g) => g,
        Err(e) => return internal(&e),
    };
    let page: Vec<Value> = groups
        .iter()
        .skip(start)
        .take(limit)
        .map(|g| json!({"id": g.id, "subject": g.subject, "created_at": g.created_at.to_string()}))
        .collect();
    let end = start + page.len();
    let mut paging = json!({"cursors": {"before": cursor(start), "after": cursor(end)}});
    let base = format!(
        "http://{}/{version}/{phone}/groups?limit={limit}",
        state.addr
    );
    if end < groups.len() {
        paging["next"] = json!(format!("{base}&after={}", cursor(end)));
    }
    if start > 0 {
        paging["previous"] = json!(format!("{base}&before={}", cursor(start)));
    }
    Json(json!({"data": {"groups": page}, "paging": paging})).into_response()
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

/// The largest settings body read: a 5 MB picture and its multipart.
pub const SETTINGS_BODY_MAX: usize = 5 * 1024 * 1024 + 64 * 1024;

pub async fn update_settings(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    use axum::extract::FromRequest;
    let multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if multipart {
        let picture = match axum::extract::Multipart::from_request(request, &()).await {
            Ok(mut form) => file_part(&mut form).await,
            Err(_) => Err(bad("the body is multipart/form-data with a file part.")),
        };
        return match picture {
            Ok(bytes) => set_picture(&state, &id, &bytes),
            Err(r) => r,
        };
    }
    let body = match Bytes::from_request(request, &()).await {
        Ok(b) => b,
        Err(e) => return too_large(e.status()),
    };
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
    // Documented: `{"success": true}`; the outcome (with a request id) comes by webhook.
    Json(json!({"success": true})).into_response()
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
    let members = match store.member_ids(&id) {
        Ok(m) => m,
        Err(e) => return internal(&e),
    };
    let (mut removed, mut failed) = (Vec::new(), Vec::new());
    for p in list {
        // `user` is a phone number (with or without `+`), `user_id` a BSUID: never both.
        let (input, found) =
            match (p["user"].as_str(), p["user_id"].as_str()) {
                (Some(u), None) => {
                    let wa = u.trim_start_matches('+');
                    let m = members.iter().find(|(w, _)| w == wa);
                    (json!({"input": u}), m)
                }
                (None, Some(b)) => {
                    let m = members.iter().find(|(_, u)| u.as_deref() == Some(b));
                    (json!({"input": b, "user_id": b}), m)
                }
                _ => return bad(
                    "each participant has user (a phone number) or user_id (a BSUID), not both.",
                ),
            };
        match found {
            Some((wa, _)) => {
                let gone = store
                    .db
                    .execute(
                        "DELETE FROM members WHERE group_id = ?1 AND wa_id = ?2",
                        params![id, wa],
                    )
                    .and_then(|_| {
                        store.db.execute(
                            "INSERT OR IGNORE INTO removed (group_id, wa_id) VALUES (?1, ?2)",
                            params![id, wa],
                        )
                    });
                if let Err(e) = gone {
                    return internal(&e);
                }
                removed.push(input);
            }
            None => {
                let mut item = input;
                item["errors"] = json!([{"code": 131212, "title": "Participant is not a part of the group.",
                    "message": "Participant is not a part of the group."}]);
                failed.push(item);
            }
        }
    }
    let request_id = store.request_id();
    let mut item = json!({"type": "group_participants_remove", "initiated_by": "business", "request_id": request_id});
    if !removed.is_empty() {
        item["removed_participants"] = json!(removed);
    }
    if !failed.is_empty() {
        item["failed_participants"] = json!(failed);
        item["errors"] = if removed.is_empty() {
            json!([{"code": 131212, "title": "Participant is not a part of the group.",
                "message": "Participant is not a part of the group."}])
        } else {
            json!([{"code": 131201, "title": "Request partially succeeded",
                "message": "Request partially succeeded"}])
        };
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
    if ty != "pin" && !wagroups::ops::GROUP_MESSAGE_TYPES.contains(&ty) {
        // What Meta answers for a type it does not deliver (groups reject interactive,
        // commerce and the like).
        return graph_error(StatusCode::BAD_REQUEST, 131051, "Unsupported message type");
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
    let category = if ty == "template" {
        let name = body["template"]["name"].as_str().unwrap_or_default();
        match state.template_category(name) {
            crate::TemplateKind::Authentication => {
                // Groups reject authentication templates; Meta documents no code for it.
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    131009,
                    "Parameter value is not valid: authentication templates cannot be sent to groups",
                );
            }
            crate::TemplateKind::Utility => "group_utility",
            crate::TemplateKind::Marketing => "group_marketing",
        }
    } else if window_open(&store, to) {
        "group_service"
    } else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            131047,
            "Re-engagement message: more than 24 hours since a participant's last message",
        );
    };
    let sent_at = now();
    let wamid = format!("wamid.SBX{:012}", store.next("message").unwrap_or_default());
    if let Err(e) = store.db.execute(
        "INSERT INTO messages (id, group_id, sent_at, category) VALUES (?1, ?2, ?3, ?4)",
        params![wamid, to, sent_at, category],
    ) {
        return internal(&e);
    }
    let new_rules = sent_at >= wagroups::state::PRICING_CHANGE_2026_10_01;
    let window = window_open(&store, to);
    // Per delivery, by the rules of the day: marketing always regular; utility free inside the
    // window only before 1 October 2026; service free inside the window, from that date only
    // within the number's monthly free tier (per calendar month, UTC).
    let tier_key = format!("service_deliveries:{phone}:{}", month_of(sent_at));
    let pricing_of = |_: &str| -> &'static str {
        let free = match category {
            "group_service" if new_rules => {
                store.next(&tier_key).unwrap_or(i64::MAX) <= state.config.free_tier
            }
            "group_service" => true,
            "group_utility" => !new_rules && window,
            _ => false,
        };
        if free {
            "free_group_customer_service"
        } else {
            "regular"
        }
    };
    let priced: Vec<(String, &'static str)> =
        members.iter().map(|m| (m.clone(), pricing_of(m))).collect();
    let status = |status: &str, participant: Option<(&str, &str)>| {
        let mut s = json!({"id": wamid, "status": status, "timestamp": sent_at.to_string(), "recipient_id": to,
            "recipient_type": "group"});
        if let Some((p, ptype)) = participant {
            s["recipient_participant_id"] = json!(p);
            s["pricing"] = json!({"billable": ptype == "regular", "pricing_model": "PMP", "type": ptype, "category": category});
        }
        s
    };
    for (m, ptype) in &priced {
        if let Err(e) = store.receipt(&wamid, m, "delivered", ptype, sent_at) {
            return internal(&e);
        }
    }
    // Statuses of one type per delivery: Meta does not mix `sent` and `delivered`.
    let sent = json!({"statuses": [status("sent", None)]});
    let delivered: Vec<Value> = priced
        .iter()
        .map(|(m, t)| status("delivered", Some((m.as_str(), *t))))
        .collect();
    for value in [sent, json!({ "statuses": delivered })] {
        let body = envelope(&state.config.waba_id, &phone, "messages", value);
        if let Err(e) = store.enqueue(&body, sent_at) {
            return internal(&e);
        }
    }
    Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": to}], "messages": [{"id": wamid}]})).into_response()
}

/// `YYYY-MM` (UTC) of Unix seconds: the free tier counts per calendar month.
pub fn month_of(secs: i64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
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
            "file_size": size, "url": format!("http://{}/_media/{id}", state.addr)}),
        )
        .into_response(),
        Err(_) => graph_error(
            StatusCode::NOT_FOUND,
            100,
            "Unsupported request: the media does not exist",
        ),
    }
}

/// The largest upload body read: the largest media (a 100 MiB document) and its multipart.
pub const UPLOAD_BODY_MAX: usize = 100 * 1024 * 1024 + 64 * 1024;

/// `POST /{phone}/media`, multipart: `messaging_product`, `type`, `file`; the type must agree
/// with the bytes and the size with the kind's limit (the library's table).
pub async fn upload_media(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let mut form = match form {
        Ok(f) => f,
        Err(_) => return bad("the body is multipart/form-data with parts type and file."),
    };
    let (mut declared, mut file) = (None, None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("type") => declared = field.text().await.ok(),
                Some("file") => match field.bytes().await {
                    Ok(b) => file = Some(b),
                    Err(e) => return too_large(e.status()),
                },
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return too_large(e.status()),
        }
    }
    let (Some(mime), Some(bytes)) = (declared, file) else {
        return bad("multipart parts type and file are required.");
    };
    let sniffed = wagroups::media::sniff_media(&bytes);
    if !sniffed.mime_types.contains(&mime.as_str()) {
        return bad("the file is not of the declared type.");
    }
    let Some(kind) = wagroups::media::SUPPORTED_MEDIA_TYPES
        .iter()
        .find(|(m, _, _)| *m == mime)
        .map(|(_, k, _)| *k)
    else {
        return bad("the declared type is not one WhatsApp accepts.");
    };
    let limit = wagroups::media::media_limit(kind, sniffed.animated);
    if bytes.len() > limit {
        return graph_error(
            StatusCode::BAD_REQUEST,
            131053,
            &format!(
                "Media upload error: {} bytes is over the {limit} bytes allowed for {mime}",
                bytes.len()
            ),
        );
    }
    let store = state.lock();
    let id = format!(
        "{}",
        1_000_000_000_000_i64 + store.next("media").unwrap_or_default()
    );
    if let Err(e) = store.db.execute(
        "INSERT INTO media (id, phone, mime_type, sha256, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, phone, mime, hex_sha256(&bytes), bytes.to_vec(), now()],
    ) {
        return internal(&e);
    }
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
    // One status type per delivery, as Meta sends them.
    for st in ["sent", "delivered"] {
        let status = json!({"id": wamid, "status": st, "timestamp": now().to_string(), "recipient_id": user,
            "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "utility"}});
        let body = envelope(
            &state.config.waba_id,
            phone,
            "messages",
            json!({ "statuses": [status] }),
        );
        if let Err(e) = store.enqueue(&body, now()) {
            return internal(&e);
        }
    }
    Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": user}], "messages": [{"id": wamid}]}))
        .into_response()
}

/// The group picture (multipart `file`): JPEG, square, 192 px or more, as the library checks.
/// The bytes of the multipart part named `file`.
async fn file_part(form: &mut axum::extract::Multipart) -> Result<Bytes, Response> {
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                return field.bytes().await.map_err(|e| too_large(e.status()))
            }
            Ok(Some(_)) => {}
            Ok(None) => return Err(bad("the multipart body has no file part.")),
            Err(e) => return Err(too_large(e.status())),
        }
    }
}

fn set_picture(state: &AppState, id: &str, file: &[u8]) -> Response {
    let store = state.lock();
    let group = match known_group(&store, id) {
        Ok(g) => g,
        Err(r) => return r,
    };
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
    // Meta reports the stored picture's SHA-256 in base64.
    let sha256 = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(file))
    };
    let mut picture =
        json!({"mime_type": "image/jpeg", "sha256": sha256, "update_successful": code.is_none()});
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
