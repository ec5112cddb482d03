//! The Graph endpoints, one file per family: bearer token first, then the documented rules,
//! then the change, its reply, and the webhook that reports it, written in one transaction.
//! Handlers answer `Result<Response, GraphError>`, so every failure, storage included, becomes
//! Meta's error envelope.

mod analytics;
mod groups;
mod invite_link;
mod join_requests;
mod media;
mod messages;
mod participants;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub use groups::{create_group, delete_group, group_info, list_groups, update_settings};
pub use invite_link::{delete_invite_link, get_invite_link, invite_link, reset_invite_link};
pub use join_requests::{approve_join_requests, list_join_requests, reject_join_requests};
pub use media::{media_bytes, upload_media, UPLOAD_BODY_MAX};
pub use messages::send_message;
pub use participants::remove_participants;

pub use groups::SETTINGS_BODY_MAX;

use crate::error::GraphError;
use crate::store::{Group, Store};
use crate::webhooks::envelope;
use crate::{now, AppState};

/// The most members a group holds, the business not counted (the same number as a remove
/// call's participants).
pub const MAX_PARTICIPANTS: usize = wagroups::ops::PARTICIPANTS_MAX;

/// A handler's answer.
pub type Answer = Result<Response, GraphError>;

/// Equal bytes, in a time that depends only on the lengths (a token is not guessed byte by
/// byte from response times).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `Authorization: Bearer <token>` or Meta's 190.
fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), GraphError> {
    let want = format!("Bearer {}", state.config.access_token);
    match headers.get("authorization").map(|v| v.as_bytes()) {
        Some(got) if constant_time_eq(got, want.as_bytes()) => Ok(()),
        Some(_) => Err(GraphError::new(
            StatusCode::UNAUTHORIZED,
            190,
            "Error validating access token: The session is invalid.",
        )),
        None => Err(GraphError::new(
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
        Err(e) => e.into_response(),
    }
}

/// A JSON request body (empty reads as `{}`), or Meta's answer to one that is not JSON.
pub struct GraphJson(pub Value);

impl<S: Send + Sync> axum::extract::FromRequest<S> for GraphJson {
    type Rejection = GraphError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, GraphError> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| GraphError::unreadable(e.status()))?;
        json_body(&body).map(GraphJson)
    }
}

fn json_body(body: &Bytes) -> Result<Value, GraphError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|_| GraphError::bad("The request body is not JSON."))
}

/// A group that exists (creation done), or Meta's 131041.
fn known_group(store: &Store, id: &str) -> Result<Group, GraphError> {
    store.group(id)?.ok_or_else(GraphError::group_unknown)
}

/// The answer of an asynchronous operation: its id, the outcome following by webhook.
fn accepted(request_id: &str) -> Response {
    Json(json!({"messaging_product": "whatsapp", "request_id": request_id})).into_response()
}

fn chars(s: &str) -> usize {
    wagroups::char_len(s)
}

/// Queue a `groups[]` webhook item for a group, sent now.
pub fn group_webhook(
    state: &AppState,
    store: &Store,
    group: &Group,
    field: &str,
    item: Value,
) -> rusqlite::Result<()> {
    group_webhook_at(state, store, group, field, item, crate::now_ms())
}

/// Queue a `groups[]` webhook item, sent (and timestamped) at `at_ms`.
fn group_webhook_at(
    state: &AppState,
    store: &Store,
    group: &Group,
    field: &str,
    item: Value,
    at_ms: i64,
) -> rusqlite::Result<()> {
    let mut item = item;
    item["group_id"] = json!(group.id);
    item["timestamp"] = json!((at_ms / 1000).to_string());
    let body = envelope(
        &state.config.waba_id,
        &group.phone,
        field,
        json!({"groups": [item]}),
    );
    store.enqueue_at(&body, now(), at_ms)
}

/// Queue a `messages` delivery with these statuses (all of one type, as Meta sends them).
fn statuses_webhook(
    state: &AppState,
    store: &Store,
    phone: &str,
    statuses: Vec<Value>,
) -> rusqlite::Result<()> {
    let body = envelope(
        &state.config.waba_id,
        phone,
        "messages",
        json!({ "statuses": statuses }),
    );
    store.enqueue(&body, now())
}

/// Whether a participant's message in the last 24 hours keeps the group's service window open.
pub fn window_open(store: &Store, group: &str) -> rusqlite::Result<bool> {
    Ok(store
        .last_inbound(group)?
        .is_some_and(|t| now() - t < wagroups::state::SERVICE_WINDOW_SECONDS))
}

/// Media ids are digits; group ids here start with `SBX`.
fn is_media_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}
