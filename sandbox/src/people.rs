//! What people do on their phones, on demand: join by link, write, leave, read; and what Meta
//! does to a group (suspend, clear). Each answers with what happened and queues the webhook, in
//! one transaction.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::error::Problem;
use crate::graph::{group_webhook, invite_link, MAX_PARTICIPANTS};
use crate::store::{Group, Store};
use crate::webhooks::envelope;
use crate::{now, AppState};

type Done = Result<Response, Problem>;

fn group_of(store: &Store, id: &str) -> Result<Group, Problem> {
    store
        .group(id)?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "no such group"))
}

fn text(body: &Value, key: &str) -> Result<String, Problem> {
    body[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| Problem::new(StatusCode::BAD_REQUEST, format!("{key} is required")))
}

fn done(v: Value) -> Done {
    Ok(Json(v).into_response())
}

/// `{"name", "category"}`: a template the business has, with its category (`marketing`,
/// `utility`, `authentication`): deliveries of it are priced by that category.
pub async fn template(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Done {
    let name = text(&body, "name")?;
    let kind = body["category"]
        .as_str()
        .and_then(crate::TemplateKind::parse)
        .ok_or_else(|| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "category is marketing, utility or authentication",
            )
        })?;
    state.register_template(&name, kind);
    done(json!({"result": "registered"}))
}

/// `{"invite_link", "wa_id", "user_id"?}`: joins, or asks to join when approval is required.
/// Someone the business removed cannot come back by the link.
pub async fn join(State(state): State<Arc<AppState>>, Json(body): Json<Value>) -> Done {
    let link = text(&body, "invite_link")?;
    let wa_id = text(&body, "wa_id")?;
    let user_id = body["user_id"].as_str().map(str::to_owned);
    let code = link.rsplit('/').next().unwrap_or_default();
    let store = state.lock();
    store.atomic(|store| {
        let group = store.group_by_invite(code)?.ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "the invite link is not valid (reset, deleted, or never issued)",
            )
        })?;
        let members = store.members(&group.id)?;
        if members.contains(&wa_id) {
            return done(json!({"result": "already_member"}));
        }
        if store.was_removed(&group.id, &wa_id)? {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "removed from this group by the business: they cannot rejoin by the invite link",
            ));
        }
        if members.len() >= MAX_PARTICIPANTS {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "the group is full (8 participants)",
            ));
        }
        if group.join_approval_mode == "approval_required" {
            let id = format!("SBXJR{:08}", store.next("join_request")?);
            store.add_join_request(&id, &group.id, &wa_id, now())?;
            group_webhook(
                &state,
                store,
                &group,
                "group_participants_update",
                json!({"type": "group_join_request_created", "join_request_id": id, "wa_id": wa_id}),
            )?;
            return done(json!({"result": "join_request_created", "join_request_id": id}));
        }
        store.add_member(&group.id, &wa_id, user_id.as_deref(), now())?;
        let mut who = json!({"wa_id": wa_id});
        if let Some(u) = &user_id {
            who["user_id"] = json!(u);
        }
        group_webhook(
            &state,
            store,
            &group,
            "group_participants_update",
            json!({"type": "group_participants_add", "reason": "invite_link", "added_participants": [who]}),
        )?;
        done(json!({"result": "joined", "group_id": group.id}))
    })
}

/// `{"from", "text"}` or `{"from", "media": {"type": "image"|…, "mime_type", "caption"?}}`: a
/// member writes to the group (opens the service window for 24 hours).
pub async fn message(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Done {
    let from = text(&body, "from")?;
    let media = body["media"].as_object().cloned();
    let body_text = match &media {
        Some(_) => String::new(),
        None => text(&body, "text")?,
    };
    let store = state.lock();
    store.atomic(|store| {
        let group = group_of(store, &id)?;
        if !store.members(&id)?.contains(&from) {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "only members write to the group",
            ));
        }
        let wamid = format!("wamid.SBXIN{:010}", store.next("inbound")?);
        let at = now();
        store.inbound(&id, at)?;
        let mut item = json!({"from": from, "group_id": id, "id": wamid, "timestamp": at.to_string()});
        match &media {
            Some(m) => {
                let kind = m
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("image")
                    .to_owned();
                if !["image", "video", "audio", "document", "sticker"].contains(&kind.as_str()) {
                    return Err(Problem::new(
                        StatusCode::BAD_REQUEST,
                        "media.type is image, video, audio, document or sticker",
                    ));
                }
                // The file is kept, so the business can look it up and download it (token
                // required) as on Meta; the webhook carries its SHA-256 in base64, as Meta's do.
                let (default_mime, sample) = sample_media(&kind);
                let mime = m
                    .get("mime_type")
                    .and_then(Value::as_str)
                    .unwrap_or(default_mime)
                    .to_owned();
                let bytes = match m.get("bytes_base64").and_then(Value::as_str) {
                    Some(b) => {
                        use base64::Engine;
                        base64::engine::general_purpose::STANDARD
                            .decode(b)
                            .map_err(|_| {
                                Problem::new(StatusCode::BAD_REQUEST, "media.bytes_base64 is not base64")
                            })?
                    }
                    None => sample.to_vec(),
                };
                let media_id = format!("{}", 2_000_000_000_000_i64 + store.next("inbound_media")?);
                let (hex, b64) = {
                    use base64::Engine;
                    use sha2::Digest;
                    let digest = sha2::Sha256::digest(&bytes);
                    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                    (hex, base64::engine::general_purpose::STANDARD.encode(digest))
                };
                store.add_media(&media_id, &group.phone, &mime, &hex, &bytes, at)?;
                let mut content = json!({"id": media_id, "mime_type": mime, "sha256": b64,
                    "url": format!("http://{}/_media/{media_id}", state.addr)});
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
        store.enqueue(
            &envelope(&state.config.waba_id, &group.phone, "messages", value),
            at,
        )?;
        done(json!({"message_id": wamid}))
    })
}

/// A small file of each kind a person may send (the type and a few bytes), when the request
/// gives none.
fn sample_media(kind: &str) -> (&'static str, &'static [u8]) {
    match kind {
        "video" => ("video/mp4", b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"),
        "audio" => ("audio/ogg", b"OggS\0\x02\0\0\0\0\0\0\0\0OpusHead"),
        "document" => ("application/pdf", b"%PDF-1.4\n%sandbox\n"),
        "sticker" => ("image/webp", b"RIFF\x0c\0\0\0WEBPVP8 "),
        _ => (
            "image/jpeg",
            &[
                0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0xFF, 0xD9,
            ],
        ),
    }
}

/// `{"wa_id"}`: a member leaves (and may come back by the link: leaving is not a removal).
pub async fn leave(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Done {
    let wa_id = text(&body, "wa_id")?;
    let store = state.lock();
    store.atomic(|store| {
        let group = group_of(store, &id)?;
        if !store.remove_member(&id, &wa_id)? {
            return Err(Problem::new(StatusCode::CONFLICT, "not a member"));
        }
        group_webhook(
            &state,
            store,
            &group,
            "group_participants_update",
            json!({"type": "group_participants_remove", "initiated_by": "participant", "removed_participants": [{"wa_id": wa_id}]}),
        )?;
        done(json!({"result": "left"}))
    })
}

/// `{"wa_id"}`: a member reads a message the business sent. Only a member the message was
/// delivered to reads it, once; the read carries the same pricing as that delivery (one charge
/// per delivery).
pub async fn read(
    State(state): State<Arc<AppState>>,
    Path(wamid): Path<String>,
    Json(body): Json<Value>,
) -> Done {
    let wa_id = text(&body, "wa_id")?;
    let store = state.lock();
    store.atomic(|store| {
        let (group_id, category) = store.message(&wamid)?.ok_or_else(|| {
            Problem::new(StatusCode::NOT_FOUND, "no such message from the business")
        })?;
        let group = group_of(store, &group_id)?;
        let pricing_type = match store.receipt_of(&wamid, &wa_id)? {
            Some((status, _)) if status == "read" => return done(json!({"result": "already_read"})),
            Some((_, pricing_type)) => pricing_type,
            None => {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "only a member the message was delivered to can read it",
                ))
            }
        };
        if !store.members(&group_id)?.contains(&wa_id) {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "no longer a member of the group",
            ));
        }
        let at = now();
        store.receipt(&wamid, &wa_id, "read", &pricing_type, at)?;
        let status = json!({"id": wamid, "status": "read", "timestamp": at.to_string(), "recipient_id": group_id,
            "recipient_type": "group", "recipient_participant_id": wa_id,
            "pricing": {"billable": pricing_type == "regular", "pricing_model": "PMP", "type": pricing_type, "category": category}});
        store.enqueue(
            &envelope(
                &state.config.waba_id,
                &group.phone,
                "messages",
                json!({"statuses": [status]}),
            ),
            at,
        )?;
        done(json!({"result": "read"}))
    })
}

fn set_suspended(state: &AppState, id: &str, suspended: bool) -> Done {
    let store = state.lock();
    store.atomic(|store| {
        let group = group_of(store, id)?;
        store.set_suspended(id, suspended)?;
        let ty = if suspended {
            "group_suspend"
        } else {
            "group_suspend_cleared"
        };
        group_webhook(
            state,
            store,
            &group,
            "group_status_update",
            json!({"type": ty}),
        )?;
        done(json!({"result": ty}))
    })
}

pub async fn suspend(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Done {
    set_suspended(&state, &id, true)
}

pub async fn unsuspend(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Done {
    set_suspended(&state, &id, false)
}

/// Everything the console shows: groups with members, pending requests and the business's
/// messages with each member's receipt.
pub async fn world(State(state): State<Arc<AppState>>) -> Done {
    let store = state.lock();
    let mut list = Vec::new();
    for g in store.all_groups()? {
        let mut messages = Vec::new();
        for (id, at, category) in store.messages_of(&g.id)? {
            let receipts: Vec<Value> = store
                .receipts_of(&id)?
                .into_iter()
                .map(|(wa, status)| json!({"wa_id": wa, "status": status}))
                .collect();
            messages
                .push(json!({"id": id, "sent_at": at, "category": category, "receipts": receipts}));
        }
        let pending: Vec<Value> = store
            .join_requests(&g.id)?
            .into_iter()
            .map(|(id, wa, at)| json!({"join_request_id": id, "wa_id": wa, "created_at": at}))
            .collect();
        list.push(json!({"id": g.id, "phone_number_id": g.phone, "subject": g.subject, "description": g.description,
            "join_approval_mode": g.join_approval_mode, "invite_link": invite_link(&g),
            "suspended": g.suspended, "participants": store.members(&g.id)?,
            "pending_join_requests": pending, "messages": messages}));
    }
    done(json!({ "groups": list }))
}

/// The console: one page, no build step.
pub async fn console() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("console.html"),
    )
        .into_response()
}
