//! Create, list, read, update and delete groups; the group picture.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};
use wagroups::ops::{DESCRIPTION_MAX, LIST_LIMIT_MAX, SUBJECT_MAX};

use super::invite_link::invite_link;
use super::{
    accepted, chars, group_webhook, group_webhook_at, is_media_id, json_body, known_group, Answer,
};
use crate::error::GraphError;
use crate::store::Group;
use crate::AppState;

/// The largest settings body read: a 5 MB picture and its multipart.
pub const SETTINGS_BODY_MAX: usize = 5 * 1024 * 1024 + 64 * 1024;

type Params = Query<std::collections::HashMap<String, String>>;

/// `POST /{phone}/groups`. Creation is asynchronous: the reply names only the request; the
/// group exists (listing, info, links) once its `group_create` webhook is due, after the
/// configured delay.
pub async fn create_group(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
    super::GraphJson(body): super::GraphJson,
) -> Answer {
    let subject = body["subject"].as_str().unwrap_or("").trim().to_owned();
    if subject.is_empty() || chars(&subject) > SUBJECT_MAX {
        return Err(GraphError::bad(
            "subject is required and at most 128 characters.",
        ));
    }
    let description = body["description"].as_str().map(str::to_owned);
    if description
        .as_deref()
        .is_some_and(|d| chars(d) > DESCRIPTION_MAX)
    {
        return Err(GraphError::bad("description is at most 2048 characters."));
    }
    let mode = body["join_approval_mode"]
        .as_str()
        .unwrap_or("auto_approve")
        .to_owned();
    if mode != "auto_approve" && mode != "approval_required" {
        return Err(GraphError::bad(
            "join_approval_mode is auto_approve or approval_required.",
        ));
    }
    let store = state.lock();
    store.atomic(|store| {
        if store.group_count(&phone)? >= state.config.max_groups {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                131211,
                "Group create limit reached",
            ));
        }
        let n = store.next("group")?;
        let request_id = store.request_id()?;
        let ready_at_ms = crate::now_ms() + state.config.create_delay_ms;
        let group = Group {
            id: format!("SBX{phone}G{n:06}"),
            phone: phone.clone(),
            subject,
            description,
            join_approval_mode: mode,
            invite_code: format!("SBX{n:06}{}", store.next("invite")?),
            suspended: false,
            created_at: ready_at_ms / 1000,
        };
        store.insert_group(&group, ready_at_ms)?;
        let mut item = json!({"type": "group_create", "request_id": request_id, "subject": group.subject,
            "join_approval_mode": group.join_approval_mode, "invite_link": invite_link(&group)});
        if let Some(d) = &group.description {
            item["description"] = json!(d);
        }
        group_webhook_at(
            &state,
            store,
            &group,
            "group_lifecycle_update",
            item,
            ready_at_ms,
        )?;
        Ok(accepted(&request_id))
    })
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
    Query(query): Params,
) -> Answer {
    let limit = match query.get("limit").map(|l| l.parse::<i64>()) {
        None => 25,
        Some(Ok(l)) if (1..=LIST_LIMIT_MAX).contains(&l) => usize::try_from(l).unwrap_or(25),
        Some(_) => return Err(GraphError::bad("limit is a whole number from 1 to 1024.")),
    };
    let start = match (query.get("after"), query.get("before")) {
        (Some(_), Some(_)) => return Err(GraphError::bad("give after or before, not both.")),
        (Some(c), None) => offset_of(c),
        (None, Some(c)) => offset_of(c).map(|end| end.saturating_sub(limit)),
        (None, None) => Some(0),
    };
    let start =
        start.ok_or_else(|| GraphError::new(StatusCode::BAD_REQUEST, 131059, "Invalid cursor"))?;
    let groups = state.lock().groups_of(&phone)?;
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
    Ok(Json(json!({"data": {"groups": page}, "paging": paging})).into_response())
}

/// `GET /{id}`: a group's info, or (the same path shape) a media file's or the WABA's
/// analytics.
pub async fn group_info(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    Query(query): Params,
) -> Answer {
    if id == state.config.waba_id {
        let fields = query.get("fields").map(String::as_str).unwrap_or_default();
        return super::analytics::waba_analytics(&state, fields);
    }
    if is_media_id(&id) {
        return super::media::media_info(&state, &id);
    }
    let store = state.lock();
    let group = known_group(&store, &id)?;
    let members = store.member_ids(&id)?;
    let participants: Vec<Value> = members
        .iter()
        .map(|(wa, user)| match user {
            Some(u) => json!({"wa_id": wa, "user_id": u}),
            None => json!({"wa_id": wa}),
        })
        .collect();
    let mut info = json!({"messaging_product": "whatsapp", "id": group.id, "subject": group.subject,
        "join_approval_mode": group.join_approval_mode, "suspended": group.suspended,
        "creation_timestamp": group.created_at, "total_participant_count": members.len(),
        "participants": participants});
    if let Some(d) = &group.description {
        info["description"] = json!(d);
    }
    Ok(Json(info).into_response())
}

/// `POST /{group}`: subject and description (JSON), or the picture (multipart).
pub async fn update_settings(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Answer {
    let multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if multipart {
        let mut form = axum::extract::Multipart::from_request(request, &())
            .await
            .map_err(|_| GraphError::bad("the body is multipart/form-data with a file part."))?;
        let picture = super::media::file_part(&mut form).await?;
        return set_picture(&state, &id, &picture);
    }
    let body = Bytes::from_request(request, &())
        .await
        .map_err(|e| GraphError::unreadable(e.status()))?;
    let body = json_body(&body)?;
    let subject = body["subject"].as_str().map(|s| s.trim().to_owned());
    let description = body["description"].as_str().map(str::to_owned);
    if subject.is_none() && description.is_none() {
        return Err(GraphError::bad("give subject or description."));
    }
    let store = state.lock();
    store.atomic(|store| {
        let group = known_group(store, &id)?;
        if group.suspended {
            return Err(GraphError::suspended());
        }
        let request_id = store.request_id()?;
        let mut item = json!({"type": "group_settings_update", "request_id": request_id});
        if let Some(s) = &subject {
            let ok = !s.is_empty() && chars(s) <= SUBJECT_MAX;
            if ok {
                store.set_subject(&id, s)?;
            }
            item["group_subject"] = setting(s, ok);
        }
        if let Some(d) = &description {
            let ok = chars(d) <= DESCRIPTION_MAX;
            if ok {
                store.set_description(&id, d)?;
            }
            item["group_description"] = setting(d, ok);
        }
        group_webhook(&state, store, &group, "group_settings_update", item)?;
        Ok(accepted(&request_id))
    })
}

fn setting(text: &str, ok: bool) -> Value {
    if ok {
        json!({"text": text, "update_successful": true})
    } else {
        json!({"text": text, "update_successful": false, "errors": [{"code": 131009,
            "title": "Parameter value is not valid", "message": "Parameter value is not valid"}]})
    }
}

/// The group picture: JPEG, square, 192 px or more, as the library checks; the webhook reports
/// the stored picture's SHA-256 in base64, as Meta's do.
fn set_picture(state: &AppState, id: &str, file: &[u8]) -> Answer {
    let check = wagroups::check_group_picture(file);
    let (code, message) = match check.problems.first() {
        None => (None, ""),
        Some(wagroups::Code::ImageNotSquare) => {
            (Some(131209), "Invalid Group Profile Picture Aspect Ratio")
        }
        Some(wagroups::Code::ImageTooSmall) => (Some(131210), "Image is Too Small to Process"),
        Some(_) => (Some(100), "The picture is not a readable JPEG."),
    };
    let sha256 = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(file))
    };
    let store = state.lock();
    store.atomic(|store| {
        let group = known_group(store, id)?;
        if group.suspended {
            return Err(GraphError::suspended());
        }
        let request_id = store.request_id()?;
        let mut picture = json!({"mime_type": "image/jpeg", "sha256": sha256, "update_successful": code.is_none()});
        if let Some(c) = code {
            picture["errors"] = json!([{"code": c, "title": message, "message": message}]);
        }
        group_webhook(
            state,
            store,
            &group,
            "group_settings_update",
            json!({"type": "group_settings_update", "request_id": request_id, "profile_picture": picture}),
        )?;
        Ok(accepted(&request_id))
    })
}

/// `DELETE /{id}`: a group (answered `{"success": true}`, the outcome by webhook with a
/// request id), or a media file.
pub async fn delete_group(
    State(state): State<Arc<AppState>>,
    Path((_, id)): Path<(String, String)>,
) -> Answer {
    if is_media_id(&id) {
        return super::media::delete_media(&state, &id);
    }
    let store = state.lock();
    store.atomic(|store| {
        let group = known_group(store, &id)?;
        store.delete_group(&id)?;
        let request_id = store.request_id()?;
        group_webhook(
            &state,
            store,
            &group,
            "group_lifecycle_update",
            json!({"type": "group_delete", "request_id": request_id}),
        )?;
        Ok(Json(json!({"success": true})).into_response())
    })
}

#[cfg(test)]
mod tests {
    use super::{cursor, offset_of};

    #[test]
    fn cursors_round_trip_and_refuse_what_they_did_not_make() {
        assert_eq!(offset_of(&cursor(0)), Some(0));
        assert_eq!(offset_of(&cursor(1024)), Some(1024));
        assert_eq!(offset_of("zz"), None);
        assert_eq!(offset_of("616263"), None);
        assert_eq!(offset_of("abc"), None);
    }
}
