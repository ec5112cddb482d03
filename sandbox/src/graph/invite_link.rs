//! The invite link: read, reset (every earlier link stops working), delete. No webhook follows
//! any of them.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

use super::{known_group, Answer};
use crate::store::Group;
use crate::AppState;

pub fn invite_link(group: &Group) -> String {
    format!("https://chat.whatsapp.com/{}", group.invite_code)
}

pub async fn get_invite_link(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Answer {
    let group = known_group(&state.lock(), &id)?;
    Ok(
        Json(json!({"messaging_product": "whatsapp", "invite_link": invite_link(&group)}))
            .into_response(),
    )
}

pub async fn reset_invite_link(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Answer {
    let store = state.lock();
    store.atomic(|store| {
        let mut group = known_group(store, &id)?;
        group.invite_code = format!("SBXR{:08}", store.next("invite")?);
        store.set_invite_code(&id, &group.invite_code)?;
        Ok(
            Json(json!({"messaging_product": "whatsapp", "invite_link": invite_link(&group)}))
                .into_response(),
        )
    })
}

/// Documented only in Meta's OpenAPI file, which types `success` as the string `"true"`.
pub async fn delete_invite_link(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Answer {
    let store = state.lock();
    store.atomic(|store| {
        known_group(store, &id)?;
        // A code nobody was given: the old link stops working, nobody can join by link.
        let code = format!("SBXD{:08}", store.next("invite")?);
        store.set_invite_code(&id, &code)?;
        Ok(Json(json!({"messaging_product": "whatsapp", "success": "true"})).into_response())
    })
}
