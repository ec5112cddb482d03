//! Join requests: list, approve (the requester joins, by webhook), reject (no webhook).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::{group_webhook, known_group, Answer, GraphJson, MAX_PARTICIPANTS};
use crate::error::GraphError;
use crate::{now, AppState};

pub async fn list_join_requests(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Answer {
    let store = state.lock();
    known_group(&store, &id)?;
    let data: Vec<Value> = store
        .join_requests(&id)?
        .into_iter()
        .map(|(jr, wa, at)| json!({"join_request_id": jr, "wa_id": wa, "creation_timestamp": at}))
        .collect();
    Ok(Json(json!({"data": data})).into_response())
}

pub async fn approve_join_requests(
    state: State<Arc<AppState>>,
    path: Path<(String, String)>,
    body: GraphJson,
) -> Answer {
    decide(state, path, body, true)
}

pub async fn reject_join_requests(
    state: State<Arc<AppState>>,
    path: Path<(String, String)>,
    body: GraphJson,
) -> Answer {
    decide(state, path, body, false)
}

fn decide(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    GraphJson(body): GraphJson,
    approve: bool,
) -> Answer {
    let Some(ids) = body["join_requests"].as_array().filter(|a| !a.is_empty()) else {
        return Err(GraphError::bad("join_requests is a non-empty array."));
    };
    let store = state.lock();
    store.atomic(|store| {
        let group = known_group(store, &id)?;
        let pending = store.join_requests(&id)?;
        let (mut done, mut failed, mut added) = (Vec::new(), Vec::new(), Vec::new());
        for jr in ids.iter().filter_map(Value::as_str) {
            let Some((_, wa, _)) = pending.iter().find(|(p, _, _)| p == jr) else {
                failed.push(json!({"join_request_id": jr, "errors": [{"code": 131213,
                    "title": "Group join request does not exist.", "message": "Group join request does not exist."}]}));
                continue;
            };
            if approve && store.members(&id)?.len() >= MAX_PARTICIPANTS {
                failed.push(json!({"join_request_id": jr, "errors": [{"code": 131204,
                    "title": "Participant overlimit", "message": "Participant overlimit"}]}));
                continue;
            }
            store.close_join_request(jr)?;
            if approve {
                store.add_member(&id, wa, None, now())?;
                added.push(json!({"input": wa, "wa_id": wa}));
            }
            done.push(json!(jr));
        }
        if !added.is_empty() {
            group_webhook(
                &state,
                store,
                &group,
                "group_participants_update",
                json!({"type": "group_participants_add", "reason": "invite_link", "added_participants": added}),
            )?;
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
        Ok((status, Json(reply)).into_response())
    })
}
