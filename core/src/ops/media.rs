//! Media for messages: upload (`POST /{phone-number-id}/media`, multipart), look up
//! (`GET /{media-id}`: a URL valid for 5 minutes, MIME type, SHA-256, size), delete, and download
//! (a GET of that URL with the bearer token). Uploaded ids last 30 days, ids from incoming
//! webhooks 7 days; the group picture does not use these endpoints.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{file_bytes, phone_number_id};
use crate::config::Config;
use crate::error::VerificationError;
use crate::error::{Code, Error, ValidationError};
use crate::http::Body;
use crate::media::{default_filename, sniff_media, upload_check};
use crate::multipart;
use crate::ops::Parts;
use crate::validate::{check_id, IdRule, Obj, Problems};
use crate::wire::{lenient_i64, Extra};

/// Hosts a media URL may point to for the token to go with it: Meta's attachment host
/// (`lookaside.fbsbx.com` in every documented media URL) and Meta's own CDN domains. A URL
/// elsewhere would hand the bearer token to whoever runs that host.
pub const MEDIA_HOSTS: [&str; 1] = ["lookaside.fbsbx.com"];
/// Subdomains of these are Meta's too.
pub const MEDIA_HOST_DOMAINS: [&str; 3] = ["fbsbx.com", "fbcdn.net", "whatsapp.net"];

/// `{"phone_number_id", "type"?: MIME, "filename"?, "boundary"?}` and the file's bytes. Without
/// `type`, the type the bytes show is used when they show exactly one (an MP4 file may hold
/// video or audio: say which).
pub(crate) fn upload_media(
    params: &Value,
    file: Option<&[u8]>,
    config: &Config,
) -> Result<Parts, Error> {
    let mut p = Problems::default();
    let allowed = ["phone_number_id", "type", "file", "filename", "boundary"];
    let Some(o) = Obj::new(&mut p, params, "", &allowed) else {
        return Err(p.fail().into());
    };
    let phone = phone_number_id(&mut p, &o);
    let given_type = o.non_empty_str(&mut p, "type", false);
    let bytes = file_bytes(&mut p, &o, file);
    // Without a declared type, the bytes' own type when they name exactly one.
    let sniffed_type = match (given_type, &bytes) {
        (None, Some(b)) if !o.has("type") => {
            let sniffed = sniff_media(b);
            match sniffed.mime_types.as_slice() {
                [one] => Some(*one),
                _ => {
                    p.push(
                        Code::MissingParameter,
                        "type",
                        format!(
                            "the bytes are {}: give their MIME type in \"type\"",
                            sniffed.description
                        ),
                    );
                    None
                }
            }
        }
        _ => None,
    };
    let declared = given_type.or(sniffed_type);
    let filename = o.str(&mut p, "filename", false);
    if let Some(name) = filename {
        multipart::check_filename(&mut p, name);
    }
    if let Some(t) = declared {
        // A MIME type goes into a part header: one token/token, nothing to escape.
        let well_formed = t.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && t.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/.+-_".contains(&c))
        });
        if !well_formed {
            p.push(
                Code::InvalidFormat,
                "type",
                "expected a MIME type such as image/jpeg",
            );
        } else if let Some(bytes) = &bytes {
            let check = upload_check(bytes, t);
            for (code, message) in check.problems {
                p.push(code, "file", message);
            }
            if check.unverified_type {
                p.unverified(
                    config.allow_unverified(),
                    Code::UnsupportedMediaType,
                    "type",
                    format!("{t:?} is not a type WhatsApp lists for uploads"),
                );
            }
        }
    }
    let bytes = bytes.unwrap_or_default();
    let given = o.str(&mut p, "boundary", false);
    let boundary = multipart::boundary(&mut p, given, &bytes);
    p.finish(())?;
    let declared = declared.unwrap_or_default();
    let filename = filename.map_or_else(|| default_filename(declared), str::to_owned);
    let part = multipart::FilePart {
        name: "file",
        filename: &filename,
        content_type: declared,
        bytes: &bytes,
    };
    let fields = [("messaging_product", "whatsapp"), ("type", declared)];
    let body = multipart::form(&fields, &part, &boundary);
    Ok(p.parts(&[phone], &[], body))
}

/// `{"media_id", "phone_number_id"?}`: the optional number makes Meta check that the media
/// belongs to it.
fn media_call(params: &Value) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(&mut p, params, "", &["media_id", "phone_number_id"]) else {
        return Err(p.fail());
    };
    let id = match o.str(&mut p, "media_id", true) {
        Some(s) if check_id(&mut p, "media_id", s, IdRule::Digits) => s,
        _ => "",
    };
    let mut query = Vec::new();
    if let Some(phone) = o.str(&mut p, "phone_number_id", false) {
        if check_id(&mut p, "phone_number_id", phone, IdRule::Digits) {
            query.push(("phone_number_id", phone.to_owned()));
        }
    }
    p.finish(())?;
    Ok(p.parts(&[id], &query, Body::Empty))
}

pub(crate) fn get_media(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    media_call(params)
}

pub(crate) fn delete_media(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    media_call(params)
}

/// `{"url"}` from `get_media`: fetched with the bearer token, so only from Meta's media hosts.
pub(crate) fn download_media(params: &Value, config: &Config) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(&mut p, params, "", &["url"]) else {
        return Err(p.fail());
    };
    let url = o.non_empty_str(&mut p, "url", true);
    if let Some(u) = url {
        if let Err(why) = media_host(u) {
            if !same_origin(u, config.configured_origin()) {
                p.push(Code::MediaHostNotAllowed, "url", why);
            }
        }
    }
    p.finish(())?;
    let url = url.unwrap_or_default().to_owned();
    Ok(p.parts(&[url.as_str()], &[], Body::Empty))
}

/// Whether `url` is on the origin of an explicitly configured base URL (a local stand-in such
/// as the sandbox serves its media there): that exact scheme, host and port, then a path.
fn same_origin(url: &str, origin: Option<&str>) -> bool {
    let Some(origin) = origin else {
        return false;
    };
    url.bytes().all(|b| b.is_ascii_graphic())
        && !url.contains('\\')
        && url
            .strip_prefix(origin)
            .is_some_and(|path| path.starts_with('/'))
}

/// The host of an `https://` URL when it is one of Meta's media hosts. The authority must be a
/// bare host: no user info (`https://meta.host@elsewhere/` goes elsewhere), no port, no
/// backslash (some clients read it as `/`), nothing outside visible ASCII.
fn media_host(url: &str) -> Result<&str, String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("a media URL is https://".into());
    };
    if !url.bytes().all(|b| b.is_ascii_graphic()) || url.contains('\\') {
        return Err("the URL has spaces, backslashes or characters outside visible ASCII".into());
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.contains(['@', ':']) {
        return Err(format!(
            "{host:?} is not a bare host name (user info or port)"
        ));
    }
    let lower = host.to_ascii_lowercase();
    let ours = MEDIA_HOSTS.contains(&lower.as_str())
        || MEDIA_HOST_DOMAINS.iter().any(|d| {
            lower
                .strip_suffix(d)
                .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1)
        });
    if ours {
        Ok(host)
    } else {
        Err(format!(
            "{host:?} is not one of Meta's media hosts ({}, or a subdomain of {}); the access \
             token is never sent elsewhere",
            MEDIA_HOSTS.join(", "),
            MEDIA_HOST_DOMAINS.join(", ")
        ))
    }
}

// ---- replies ----

/// `POST /{phone-number-id}/media`: the new media id (valid 30 days).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MediaUploaded {
    #[serde(deserialize_with = "crate::wire::required_id")]
    pub id: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /{media-id}`: where to download the media (for 5 minutes) and what to expect.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MediaInfo {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Hex SHA-256 of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Bytes (Meta sends a number or a numeric string).
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub file_size: Option<i64>,
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A downloaded file as `parse_response` sees it: its size and SHA-256, to compare with
/// [`MediaInfo`] (see [`check_media_download`]). The bytes stay with the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MediaDownload {
    pub size_bytes: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
}

impl MediaDownload {
    pub fn of(bytes: &[u8]) -> MediaDownload {
        let digest = Sha256::digest(bytes);
        MediaDownload {
            size_bytes: bytes.len() as u64,
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// The downloaded bytes against what `get_media` announced (`sha256`, `file_size`; either may
/// be absent, then it is not checked). The hash comparison ignores hex case.
pub fn check_media_download(
    bytes: &[u8],
    info: &MediaInfo,
) -> Result<MediaDownload, VerificationError> {
    let got = MediaDownload::of(bytes);
    if let Some(size) = info.file_size {
        if i64::try_from(got.size_bytes).ok() != Some(size) {
            return Err(VerificationError::new(
                Code::MediaSizeMismatch,
                format!(
                    "{} bytes downloaded, get_media announced {size}",
                    got.size_bytes
                ),
            ));
        }
    }
    if let Some(want) = &info.sha256 {
        if !want.eq_ignore_ascii_case(&got.sha256) {
            return Err(VerificationError::new(
                Code::MediaHashMismatch,
                format!(
                    "the bytes hash to {}, get_media announced {want}",
                    got.sha256
                ),
            ));
        }
    }
    Ok(got)
}
