//! Injected Graph errors, so that a client's retries can be tested against real HTTP:
//! `POST /_sandbox/faults {"operation", "code", "status"?, "times"?, "retry_after"?}` makes the
//! next `times` calls of that operation answer that error (with `Retry-After` when given) before
//! anything is read or changed. `GET` lists what is pending, `POST /_sandbox/faults/clear` drops it.
//!
//! Several operations share a method and a path; the sandbox tells them apart as Meta must: by
//! the id (the WABA, a media file or a group), the content type (a picture upload is multipart),
//! and for `POST /{phone}/messages` by the body (`type: "pin"` and its `pin.type`; a message to an
//! `individual` is the invite-link template).

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use wagroups::Operation;

use crate::error::{GraphError, Problem};
use crate::AppState;

/// One pending fault.
#[derive(Clone, Debug)]
pub struct Fault {
    pub operation: Operation,
    pub status: StatusCode,
    pub code: i64,
    pub times: u32,
    pub retry_after: Option<u64>,
}

impl Fault {
    fn to_json(&self) -> Value {
        json!({"operation": self.operation.name(), "status": self.status.as_u16(),
            "code": self.code, "times": self.times, "retry_after": self.retry_after})
    }
}

/// The pending faults, in the order they were asked for.
#[derive(Debug, Default)]
pub struct Faults(Mutex<Vec<Fault>>);

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The first pending fault of `op`, spent once.
    fn take(&self, op: Operation) -> Option<Fault> {
        let mut faults = self.lock();
        let i = faults.iter().position(|f| f.operation == op)?;
        let fault = faults.get_mut(i)?;
        fault.times -= 1;
        let taken = fault.clone();
        if fault.times == 0 {
            faults.remove(i);
        }
        Some(taken)
    }
}

/// `POST /_sandbox/faults`.
pub async fn add(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Response {
    match parse(&body) {
        Ok(fault) => {
            let answer = fault.to_json();
            state.faults.lock().push(fault);
            Json(answer).into_response()
        }
        Err(message) => Problem::new(StatusCode::BAD_REQUEST, message).into_response(),
    }
}

/// `GET /_sandbox/faults`.
pub async fn list(State(state): State<Arc<AppState>>) -> Response {
    let pending: Vec<Value> = state.faults.lock().iter().map(Fault::to_json).collect();
    Json(json!({ "faults": pending })).into_response()
}

/// `POST /_sandbox/faults/clear`.
pub async fn clear(State(state): State<Arc<AppState>>) -> Response {
    state.faults.lock().clear();
    Json(json!({ "faults": [] })).into_response()
}

fn parse(body: &Value) -> Result<Fault, String> {
    let allowed = ["operation", "status", "code", "times", "retry_after"];
    let Some(members) = body.as_object() else {
        return Err("a fault is a JSON object".into());
    };
    if let Some(k) = members.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!(
            "unknown member {k:?}; a fault has: {}",
            allowed.join(", ")
        ));
    }
    let name = body["operation"]
        .as_str()
        .ok_or("operation: an operation's name")?;
    let operation = Operation::parse(name).map_err(|e| e.to_string())?;
    let code = body["code"]
        .as_i64()
        .ok_or("code: the Graph error code to answer")?;
    let status = match &body["status"] {
        Value::Null => wagroups::error::lookup_graph(code)
            .and_then(|e| e.http_status)
            .unwrap_or(400),
        v => v
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| (400..600).contains(s))
            .ok_or("status: an HTTP error status, 400 to 599")?,
    };
    let times = match &body["times"] {
        Value::Null => 1,
        v => v
            .as_u64()
            .and_then(|t| u32::try_from(t).ok())
            .filter(|t| *t > 0)
            .ok_or("times: a positive number of calls")?,
    };
    let retry_after = match &body["retry_after"] {
        Value::Null => None,
        v => Some(v.as_u64().ok_or("retry_after: whole seconds")?),
    };
    Ok(Fault {
        operation,
        status: StatusCode::from_u16(status).map_err(|e| e.to_string())?,
        code,
        times,
        retry_after,
    })
}

/// A route layer on the Graph routes (inside the token check): a pending fault of the call's
/// operation answers instead of the handler.
pub async fn inject(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if state.faults.lock().is_empty() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // Only the messages route needs its body to tell its operations apart; it is small.
    let is_messages = parts.uri.path().ends_with("/messages");
    let (bytes, body) = if is_messages {
        match axum::body::to_bytes(body, crate::graph::SETTINGS_BODY_MAX).await {
            Ok(b) => (b.clone(), Body::from(b)),
            Err(_) => return GraphError::unreadable(StatusCode::PAYLOAD_TOO_LARGE).into_response(),
        }
    } else {
        (axum::body::Bytes::new(), body)
    };
    let op = operation_of(&state, &parts, &bytes);
    if let Some(fault) = op.and_then(|op| state.faults.take(op)) {
        let title = wagroups::error::lookup_graph(fault.code).map_or("Injected fault", |e| e.title);
        let mut response = GraphError::new(fault.status, fault.code, title).into_response();
        if let Some(s) = fault.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                response.headers_mut().insert("retry-after", v);
            }
        }
        return response;
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// Which operation a Graph request is.
fn operation_of(
    state: &AppState,
    parts: &axum::http::request::Parts,
    body: &[u8],
) -> Option<Operation> {
    let path = parts.uri.path();
    if path.starts_with("/_media/") {
        return Some(Operation::DownloadMedia);
    }
    // `/{version}/{id}` or `/{version}/{id}/{edge}`.
    let mut segments = path.trim_start_matches('/').split('/').skip(1);
    let id = segments.next()?;
    let edge = segments.next();
    let m = &parts.method;
    Some(match (edge, *m == Method::GET, *m == Method::POST) {
        (Some("groups"), true, _) => Operation::ListGroups,
        (Some("groups"), _, true) => Operation::CreateGroup,
        (Some("media"), _, true) => Operation::UploadMedia,
        (Some("invite_link"), true, _) => Operation::GetInviteLink,
        (Some("invite_link"), _, true) => Operation::ResetInviteLink,
        (Some("invite_link"), _, _) => Operation::DeleteInviteLink,
        (Some("join_requests"), true, _) => Operation::ListJoinRequests,
        (Some("join_requests"), _, true) => Operation::ApproveJoinRequests,
        (Some("join_requests"), _, _) => Operation::RejectJoinRequests,
        (Some("participants"), _, _) => Operation::RemoveParticipants,
        (Some("messages"), _, true) => message_operation(body),
        (None, true, _) if id == state.config.waba_id => {
            if parts
                .uri
                .query()
                .unwrap_or_default()
                .contains("pricing_analytics")
            {
                Operation::GetPricingAnalytics
            } else {
                Operation::GetMessageAnalytics
            }
        }
        (None, true, _) if is_media(state, id) => Operation::GetMedia,
        (None, true, _) => Operation::GetGroupInfo,
        (None, _, true) => {
            let multipart = parts
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("multipart/"));
            if multipart {
                Operation::SetGroupPicture
            } else {
                Operation::UpdateGroupSettings
            }
        }
        (None, false, false) if is_media(state, id) => Operation::DeleteMedia,
        (None, false, false) => Operation::DeleteGroup,
        _ => return None,
    })
}

fn is_media(state: &AppState, id: &str) -> bool {
    state.lock().media(id).ok().flatten().is_some()
}

fn message_operation(body: &[u8]) -> Operation {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match (v["type"].as_str(), v["recipient_type"].as_str()) {
        (Some("pin"), _) if v["pin"]["type"] == "unpin" => Operation::UnpinMessage,
        (Some("pin"), _) => Operation::PinMessage,
        (_, Some("individual")) => Operation::SendInviteLinkTemplate,
        _ => Operation::SendMessage,
    }
}
