//! The group profile picture: `POST /{group-id}` as `multipart/form-data`.

use crate::error::Code;
use serde_json::Value;

use super::{file_bytes, group_id};
use crate::config::Config;
use crate::error::Error;
use crate::http::Request;
use crate::media::{check_group_picture, picture_problem_message, sniff_image};
use crate::multipart;
use crate::ops::{Operation, Parts};
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
    let op = Operation::SetGroupPicture;
    Ok(picture_parts(params)?.assemble(config, op.method(), op.path()))
}

/// What [`build_set_group_picture`] and the operation's row send.
fn picture_parts(params: &PictureParams<'_>) -> Result<Parts, Error> {
    let mut p = Problems::default();
    check_id(&mut p, "group_id", params.group_id, IdRule::PathSegment);
    picture_rules(&mut p, params.file);
    let filename = params.filename.unwrap_or(DEFAULT_FILENAME);
    check_jpeg_filename(&mut p, filename);
    let boundary = multipart::boundary(&mut p, params.boundary, params.file);
    p.finish(())?;
    let file = multipart::FilePart {
        name: "file",
        filename,
        content_type: "image/jpeg",
        bytes: params.file,
    };
    let body = multipart::form(&[("messaging_product", "whatsapp")], &file, &boundary);
    Ok(p.parts(&[params.group_id], &[], body))
}

/// `{"group_id", "filename"?, "boundary"?}` with the bytes as `file`, or (JSON-only callers)
/// as base64 in the parameters' `file`.
pub(super) fn set_group_picture(
    params: &Value,
    file: Option<&[u8]>,
    _config: &Config,
) -> Result<Parts, Error> {
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
    let file = file_bytes(&mut p, &o, file);
    let filename = o.str(&mut p, "filename", false);
    let boundary = o.str(&mut p, "boundary", false);
    if !p.is_empty() {
        // Report the shape problems together with everything else that can be checked.
        if let Some(bytes) = &file {
            picture_rules(&mut p, bytes);
        }
        check_jpeg_filename(&mut p, filename.unwrap_or(DEFAULT_FILENAME));
        if let Some(b) = boundary {
            multipart::check_boundary(&mut p, b, file.as_deref().unwrap_or_default());
        }
        return Err(p.fail().into());
    }
    picture_parts(&PictureParams {
        group_id: gid,
        file: file.as_deref().unwrap_or_default(),
        filename,
        boundary,
    })
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

fn check_jpeg_filename(p: &mut Problems, name: &str) {
    let lower = name.to_ascii_lowercase();
    if !(lower.ends_with(".jpg") || lower.ends_with(".jpeg")) {
        p.push(
            Code::InvalidFormat,
            "filename",
            "the file name must end in .jpg or .jpeg",
        );
    } else {
        multipart::check_filename(p, name);
    }
}
