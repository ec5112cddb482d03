//! The group profile picture: `POST /{group-id}` as `multipart/form-data`.
//!
//! The multipart boundary is a parameter or derived from the picture's bytes, never random, so
//! identical input gives identical bytes.

use crate::error::Code;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::group_id;
use crate::config::Config;
use crate::error::Error;
use crate::http::{request, Body, Method, Request};
use crate::media::{check_group_picture, picture_problem_message, sniff_image};
use crate::validate::{check_id, IdRule, Obj, Problems};

pub const DEFAULT_FILENAME: &str = "group-picture.jpg";

/// Parameters of `set_group_picture` for Rust callers holding the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PictureParams<'a> {
    pub group_id: &'a str,
    /// The JPEG bytes.
    pub file: &'a [u8],
    /// Defaults to `group-picture.jpg`; must end in `.jpg` or `.jpeg`.
    pub filename: Option<&'a str>,
    /// Defaults to one derived from a SHA-256 of the bytes.
    pub boundary: Option<&'a str>,
}

/// Build `set_group_picture`. Every rule is checked from the bytes: JPEG, square, ≥192 px,
/// ≤5 MiB.
pub fn build_set_group_picture(
    params: &PictureParams<'_>,
    config: &Config,
) -> Result<Request, Error> {
    let mut p = Problems::default();
    check_id(&mut p, "group_id", params.group_id, IdRule::PathSegment);
    picture_rules(&mut p, params.file);
    let filename = params.filename.unwrap_or(DEFAULT_FILENAME);
    check_filename(&mut p, filename);
    let boundary = match params.boundary {
        Some(b) => {
            check_boundary(&mut p, b, params.file);
            b.to_owned()
        }
        None => derive_boundary(params.file),
    };
    p.finish(())?;
    let body = multipart(params.file, filename, &boundary);
    Ok(p.attach(request(config, Method::Post, &[params.group_id], &[], body)))
}

/// JSON form: `{"group_id", "file": base64, "filename"?, "boundary"?}`.
pub(super) fn set_group_picture_from_json(
    params: &Value,
    config: &Config,
) -> Result<Request, Error> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(
        &mut p,
        params,
        "",
        &["group_id", "file", "filename", "boundary"],
    ) else {
        return Err(p.fail().into());
    };
    let gid = group_id(&mut p, &o);
    let file =
        o.str(&mut p, "file", true)
            .and_then(
                |b64| match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
                    Ok(bytes) => Some(bytes),
                    Err(_) => {
                        p.push(
                            Code::InvalidFormat,
                            "file",
                            "expected the picture's bytes as standard base64",
                        );
                        None
                    }
                },
            );
    let filename = o.str(&mut p, "filename", false);
    let boundary = o.str(&mut p, "boundary", false);
    if !p.is_empty() {
        // Report the shape problems together with everything else that can be checked.
        if let Some(bytes) = &file {
            picture_rules(&mut p, bytes);
        }
        check_filename(&mut p, filename.unwrap_or(DEFAULT_FILENAME));
        if let Some(b) = boundary {
            check_boundary(&mut p, b, file.as_deref().unwrap_or_default());
        }
        return Err(p.fail().into());
    }
    build_set_group_picture(
        &PictureParams {
            group_id: gid,
            file: file.as_deref().unwrap_or_default(),
            filename,
            boundary,
        },
        config,
    )
}

/// Every rule that can be read from the bytes. A JPEG whose size cannot be read (no frame
/// header found, truncated, odd segments) is sent with a warning: the server decides, and a
/// reader this small must not block pictures it does not fully understand.
fn picture_rules(p: &mut Problems, bytes: &[u8]) {
    let check = check_group_picture(bytes);
    let sniff_error = sniff_image(bytes).err();
    let jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    for &code in &check.problems {
        let message = match &sniff_error {
            Some(e) if e.code == code => e.message.clone(),
            _ => picture_problem_message(code, &check),
        };
        if jpeg && matches!(code, Code::ImageTruncated | Code::ImageCorrupt) {
            p.warn(
                code,
                "file",
                format!("{message}; sent anyway, the server checks the size"),
            );
        } else {
            p.push(code, "file", message);
        }
    }
}

fn check_filename(p: &mut Problems, name: &str) {
    let lower = name.to_ascii_lowercase();
    if !(lower.ends_with(".jpg") || lower.ends_with(".jpeg")) {
        p.push(
            Code::InvalidFormat,
            "filename",
            "the file name must end in .jpg or .jpeg",
        );
    } else if name.len() > 255
        || !name
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    {
        p.push(
            Code::InvalidFormat,
            "filename",
            "use at most 255 visible ASCII characters without quotes or backslashes",
        );
    }
}

/// 1–70 characters and never inside the content. Of RFC 2046's boundary characters only those
/// that need no quoting in `Content-Type` are allowed: `( ) , / : = ?` are MIME specials, and
/// parsers that see them unquoted (Node's `Response.formData()`, Python's `email`) cut the
/// boundary short, so the body would not parse.
fn check_boundary(p: &mut Problems, b: &str, content: &[u8]) {
    let ok_chars = b
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"+_-.".contains(&c));
    if b.is_empty() || b.len() > 70 || !ok_chars {
        p.push(
            Code::InvalidBoundary,
            "boundary",
            "1 to 70 characters from A-Z a-z 0-9 + _ - .",
        );
    } else if contains(content, b.as_bytes()) {
        p.push(
            Code::InvalidBoundary,
            "boundary",
            "the boundary occurs inside the picture's bytes",
        );
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// `wagroups-` + 32 hex digits of SHA-256 over the content; re-hashed in the (astronomically
/// unlikely) case that it occurs inside the content.
pub(crate) fn derive_boundary(content: &[u8]) -> String {
    let mut digest = Sha256::digest(content);
    loop {
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let boundary = format!("wagroups-{hex}");
        if !contains(content, boundary.as_bytes()) {
            return boundary;
        }
        digest = Sha256::digest(digest);
    }
}

fn multipart(file: &[u8], filename: &str, boundary: &str) -> Body {
    let mut bytes = Vec::with_capacity(file.len() + 320);
    bytes.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    bytes.extend_from_slice(file);
    bytes.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Body::Multipart {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        bytes,
    }
}
