//! Media: upload (the type must agree with the bytes, the size with the kind's limit), look up,
//! download (bearer token required, as on Meta), delete.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

use super::Answer;
use crate::error::GraphError;
use crate::{now, AppState};

/// The largest upload body read: the largest media (a 100 MiB document) and its multipart.
pub const UPLOAD_BODY_MAX: usize = 100 * 1024 * 1024 + 64 * 1024;

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn no_such_media() -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        100,
        "Unsupported request: the media does not exist",
    )
}

/// The bytes of the multipart part named `file`.
pub async fn file_part(form: &mut axum::extract::Multipart) -> Result<Bytes, GraphError> {
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                return field
                    .bytes()
                    .await
                    .map_err(|e| GraphError::unreadable(e.status()))
            }
            Ok(Some(_)) => {}
            Ok(None) => return Err(GraphError::bad("the multipart body has no file part.")),
            Err(e) => return Err(GraphError::unreadable(e.status())),
        }
    }
}

/// `POST /{phone}/media`, multipart: `messaging_product`, `type`, `file`; the type must agree
/// with the bytes and the size with the kind's limit (the library's table). Meta documents
/// 131053 ("Media upload error") for an upload it refuses.
pub async fn upload_media(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Answer {
    let mut form = form.map_err(|_| {
        GraphError::bad("the body is multipart/form-data with parts type and file.")
    })?;
    let (mut declared, mut file) = (None, None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("type") => declared = field.text().await.ok(),
                Some("file") => {
                    file = Some(
                        field
                            .bytes()
                            .await
                            .map_err(|e| GraphError::unreadable(e.status()))?,
                    );
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return Err(GraphError::unreadable(e.status())),
        }
    }
    let (Some(mime), Some(bytes)) = (declared, file) else {
        return Err(GraphError::bad(
            "multipart parts type and file are required.",
        ));
    };
    let sniffed = wagroups::media::sniff_media(&bytes);
    if !sniffed.mime_types.contains(&mime.as_str()) {
        return Err(GraphError::bad("the file is not of the declared type."));
    }
    let kind = wagroups::media::SUPPORTED_MEDIA_TYPES
        .iter()
        .find(|(m, _, _)| *m == mime)
        .map(|(_, k, _)| *k)
        .ok_or_else(|| GraphError::bad("the declared type is not one WhatsApp accepts."))?;
    let limit = wagroups::media::media_limit(kind, sniffed.animated);
    if bytes.len() > limit {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            131053,
            format!(
                "Media upload error: {} bytes is over the {limit} bytes allowed for {mime}",
                bytes.len()
            ),
        ));
    }
    let store = state.lock();
    store.atomic(|store| {
        let id = format!("{}", 1_000_000_000_000_i64 + store.next("media")?);
        store.add_media(&id, &phone, &mime, &hex_sha256(&bytes), &bytes, now())?;
        Ok(Json(json!({"id": id})).into_response())
    })
}

/// `GET /{media_id}`: where to download it (this sandbox's `/_media/{id}`, token required).
/// `file_size` is a numeric string, as in Meta's OpenAPI file.
pub fn media_info(state: &AppState, id: &str) -> Answer {
    let m = state.lock().media(id)?.ok_or_else(no_such_media)?;
    Ok(Json(
        json!({"messaging_product": "whatsapp", "id": id, "mime_type": m.mime_type,
        "sha256": m.sha256, "file_size": m.size.to_string(),
        "url": format!("http://{}/_media/{id}", state.addr)}),
    )
    .into_response())
}

pub fn delete_media(state: &AppState, id: &str) -> Answer {
    if state.lock().delete_media(id)? {
        Ok(Json(json!({"success": true})).into_response())
    } else {
        Err(no_such_media())
    }
}

/// The bytes of an uploaded file, behind the bearer token (a Graph route).
pub async fn media_bytes(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Answer {
    let (mime, bytes) = state.lock().media_bytes(&id)?.ok_or_else(no_such_media)?;
    Ok(([(axum::http::header::CONTENT_TYPE, mime)], bytes).into_response())
}
