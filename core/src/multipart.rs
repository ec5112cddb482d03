//! `multipart/form-data` bodies (the group picture, media uploads): text parts, then one file.
//!
//! The boundary is a parameter or derived from the file's bytes, never random, so identical
//! input gives identical bytes. Only boundary characters that need no quoting are allowed:
//! `( ) , / : = ?` are MIME specials, and parsers that see them unquoted (Node's
//! `Response.formData()`, Python's `email`) cut the boundary short.

use sha2::{Digest, Sha256};

use crate::error::Code;
use crate::http::Body;
use crate::validate::Problems;

/// The one file part of a form.
pub(crate) struct FilePart<'a> {
    pub name: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// `fields` (name, value) in order, then `file`, as a multipart body.
pub(crate) fn form(fields: &[(&str, &str)], file: &FilePart<'_>, boundary: &str) -> Body {
    let mut bytes = Vec::with_capacity(file.bytes.len() + 200 + 120 * fields.len());
    for (name, value) in fields {
        bytes.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    bytes.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
             Content-Type: {}\r\n\r\n",
            file.name, file.filename, file.content_type
        )
        .as_bytes(),
    );
    bytes.extend_from_slice(file.bytes);
    bytes.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Body::Multipart {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        bytes,
    }
}

/// The caller's boundary, checked, or one derived from the content.
pub(crate) fn boundary(p: &mut Problems, given: Option<&str>, content: &[u8]) -> String {
    match given {
        Some(b) => {
            check_boundary(p, b, content);
            b.to_owned()
        }
        None => derive_boundary(content),
    }
}

/// 1–70 characters from `A-Z a-z 0-9 + _ - .`, never inside the content.
pub(crate) fn check_boundary(p: &mut Problems, b: &str, content: &[u8]) {
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
            "the boundary occurs inside the file's bytes",
        );
    }
}

/// A file name for a `Content-Disposition` header: visible ASCII without quotes or
/// backslashes (nothing to escape), at most 255 bytes.
pub(crate) fn check_filename(p: &mut Problems, name: &str) -> bool {
    let ok = !name.is_empty()
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\');
    if !ok {
        p.push(
            Code::InvalidFormat,
            "filename",
            "use 1 to 255 visible ASCII characters without quotes or backslashes",
        );
    }
    ok
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
