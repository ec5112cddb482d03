//! Removing participants: by phone number (`user`) or BSUID (`user_id`); someone removed
//! cannot rejoin by the invite link. The reply is the request id, the outcome a webhook.

use std::sync::Arc;

use axum::extract::{Path, State};
use serde_json::json;

use super::{accepted, group_webhook, known_group, Answer, GraphJson, MAX_PARTICIPANTS};
use crate::error::GraphError;
use crate::AppState;

pub async fn remove_participants(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    GraphJson(body): GraphJson,
) -> Answer {
    let Some(list) = body["participants"]
        .as_array()
        .filter(|a| (1..=MAX_PARTICIPANTS).contains(&a.len()))
    else {
        return Err(GraphError::bad("participants is an array of 1 to 8 items."));
    };
    let store = state.lock();
    store.atomic(|store| {
        let group = known_group(store, &id)?;
        let members = store.member_ids(&id)?;
        let (mut removed, mut failed) = (Vec::new(), Vec::new());
        for p in list {
            let (input, found) = match (p["user"].as_str(), p["user_id"].as_str()) {
                (Some(u), None) => {
                    let wa = u.trim_start_matches('+');
                    (json!({"input": u}), members.iter().find(|(w, _)| w == wa))
                }
                (None, Some(b)) => (
                    json!({"input": b, "user_id": b}),
                    members.iter().find(|(_, u)| u.as_deref() == Some(b)),
                ),
                _ => {
                    return Err(GraphError::bad(
                        "each participant has user (a phone number) or user_id (a BSUID), not both.",
                    ))
                }
            };
            match found {
                Some((wa, _)) => {
                    store.remove_member(&id, wa)?;
                    store.mark_removed(&id, wa)?;
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
        let request_id = store.request_id()?;
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
        group_webhook(&state, store, &group, "group_participants_update", item)?;
        Ok(accepted(&request_id))
    })
}
