//! The content object of each message type, shared by group messages and the invite-link
//! template: text and caption limits, media `id` xor `link`.

use serde_json::Value;

use super::template::template;
use crate::error::Code;
use crate::validate::{check_id, check_len, join, IdRule, Obj, Problems};

pub const TEXT_MAX: usize = 4096;
pub const CAPTION_MAX: usize = 1024;

/// The content object of one message type. `in_invite` allows the `group_id` template
/// parameter (only meaningful for the invite-link template).
pub(super) fn content_rules(p: &mut Problems, ty: &str, v: &Value, path: &str, in_invite: bool) {
    match ty {
        "text" => {
            if let Some(o) = Obj::new(p, v, path, &["body", "preview_url"]) {
                if let Some(body) = o.non_empty_str(p, "body", true) {
                    check_len(p, &o.path("body"), body, TEXT_MAX);
                }
                o.bool(p, "preview_url");
            }
        }
        "image" | "video" => media(p, v, path, &["caption"]),
        "document" => media(p, v, path, &["caption", "filename"]),
        "audio" => media(p, v, path, &["voice"]),
        "sticker" => media(p, v, path, &[]),
        "template" => template(p, v, path, in_invite),
        _ => {}
    }
}

/// A media object: exactly one of `id` and an http(s) `link`, plus the members its type allows.
pub(super) fn media(p: &mut Problems, v: &Value, path: &str, optional: &[&str]) {
    let mut allowed = vec!["id", "link"];
    allowed.extend_from_slice(optional);
    let Some(map) = v.as_object() else {
        Obj::new(p, v, path, &allowed);
        return;
    };
    // A caption on audio or a sticker is a rule about the type, not a typo: say so.
    if !optional.contains(&"caption") && map.contains_key("caption") {
        p.push(
            Code::NotAllowed,
            &join(path, "caption"),
            "this message type takes no caption",
        );
        allowed.push("caption");
    }
    let Some(o) = Obj::new(p, v, path, &allowed) else {
        return;
    };
    let id = o.non_empty_str(p, "id", false);
    let link = o.non_empty_str(p, "link", false);
    match (id, link) {
        (Some(_), Some(_)) => p.push(
            Code::MutuallyExclusive,
            path,
            "give the media \"id\" or a \"link\", not both",
        ),
        (None, None) if !o.has("id") && !o.has("link") => p.push(
            Code::MissingOneOf,
            path,
            "one of \"id\" (an uploaded media id) or \"link\" is required",
        ),
        (Some(id), None) => {
            check_id(p, &o.path("id"), id, IdRule::Digits);
        }
        (None, Some(link)) => check_link(p, &o.path("link"), link),
        _ => {}
    }
    if optional.contains(&"caption") {
        o.text(p, "caption", false, CAPTION_MAX);
    }
    o.str(p, "filename", false);
    o.bool(p, "voice");
}

/// A public `http://` or `https://` URL that Meta downloads. Both are documented; plain http
/// gets a warning, since anyone on the path can read or replace the file.
fn check_link(p: &mut Problems, path: &str, link: &str) {
    let rest = if let Some(r) = link.strip_prefix("https://") {
        r
    } else if let Some(r) = link.strip_prefix("http://") {
        p.warn(
            Code::InsecureLink,
            path,
            "plain http: Meta accepts it, but the file can be read or replaced on the way; prefer https",
        );
        r
    } else {
        p.push(
            Code::InvalidFormat,
            path,
            "expected an http:// or https:// URL",
        );
        return;
    };
    if rest.is_empty() || rest.starts_with('/') || rest.chars().any(char::is_whitespace) {
        p.push(
            Code::InvalidFormat,
            path,
            "expected a URL with a host and no spaces",
        );
    }
}
