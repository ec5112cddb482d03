//! `send_message`: a message to a group (`recipient_type` "group", `to` the group id).

use serde_json::Value;

use super::content::content_rules;
use crate::config::Config;
use crate::error::{Code, ValidationError};
use crate::ops::Parts;
use crate::ops::{group_id, phone_number_id};
use crate::validate::{check_id, IdRule, Obj, Problems};

/// Message types the builder accepts for groups: those the groups guide documents (`pin` has its own
/// operations).
pub const GROUP_MESSAGE_TYPES: [&str; 7] = [
    "text", "image", "video", "audio", "document", "sticker", "template",
];

/// Types Meta documents that groups reject, with the reason given.
const REJECTED_TYPES: [(&str, &str); 5] = [
    ("interactive", "groups reject interactive messages"),
    ("product", "groups reject commerce (product) messages"),
    ("product_list", "groups reject commerce (product) messages"),
    ("order", "groups reject commerce messages"),
    ("pin", "use the pin_message or unpin_message operation"),
];

const COMMON: [&str; 5] = [
    "phone_number_id",
    "group_id",
    "type",
    "context",
    "biz_opaque_callback_data",
];

pub(crate) fn send_message(params: &Value, config: &Config) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    // The type decides which member carries the content; read it before checking members.
    let ty = params.get("type").and_then(Value::as_str).unwrap_or("");
    // The member named after `type` is never "unknown": a wrong type is reported once, on `type`.
    let mut allowed = COMMON.to_vec();
    if !ty.is_empty() {
        allowed.push(ty);
    }
    let Some(o) = Obj::new(&mut p, params, "", &allowed) else {
        return Err(p.fail());
    };
    let phone = phone_number_id(&mut p, &o);
    let gid = group_id(&mut p, &o);
    // Documented types are checked member by member; any other well-formed type (reaction,
    // location, contacts, or one Meta adds later) is not confirmed for groups: refused, or sent
    // as given with a warning when the config allows unverified input. `content_kind`:
    // Some(true) documented and checked, Some(false) sent as given.
    let mut content_kind = None;
    if let Some(t) = o.str(&mut p, "type", true) {
        if let Some((_, why)) = REJECTED_TYPES.iter().find(|(name, _)| *name == t) {
            p.push(
                Code::MessageTypeNotSupportedInGroups,
                "type",
                format!("{t:?} cannot be sent to a group: {why}"),
            );
        } else if GROUP_MESSAGE_TYPES.contains(&t) {
            content_kind = Some(true);
        } else if t.is_empty() || !t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            p.push(
                Code::InvalidValue,
                "type",
                format!(
                    "{t:?} is not a message type; the documented group types are: {}",
                    GROUP_MESSAGE_TYPES.join(", ")
                ),
            );
        } else {
            if config.allow_unverified() {
                content_kind = Some(false);
            }
            p.unverified(
                config.allow_unverified(),
                Code::UnverifiedInGroups,
                "type",
                format!(
                    "{t:?} messages are not documented for groups (documented: {})",
                    GROUP_MESSAGE_TYPES.join(", ")
                ),
            );
        }
    }
    let content = content_kind.and_then(|_| o.get(&mut p, ty, true));
    if let Some(c) = content {
        if content_kind == Some(true) {
            content_rules(&mut p, ty, c, ty, false);
        } else if !c.is_object() {
            p.push(
                Code::WrongType,
                ty,
                format!("the {ty:?} content is an object"),
            );
        }
    }
    let context = optional_members(&mut p, &o);
    p.finish(())?;
    let mut members = vec![
        ("recipient_type", Value::from("group")),
        ("to", Value::from(gid)),
        ("type", Value::from(ty)),
    ];
    if let Some(c) = content {
        members.push((ty, c.clone()));
    }
    members.extend(context);
    Ok(super::post_message(p, phone, members))
}

/// `context.message_id` (a reply) and `biz_opaque_callback_data`: group support is unverified
/// (the guides do not say), so they go through only when the caller sets them.
fn optional_members(p: &mut Problems, o: &Obj<'_>) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    if let Some(ctx) = o.object(p, "context", false, &["message_id"]) {
        if let Some(id) = ctx.str(p, "message_id", true) {
            if check_id(p, &ctx.path("message_id"), id, IdRule::Body) {
                out.push(("context", serde_json::json!({ "message_id": id })));
            }
        }
    }
    if let Some(data) = o.text(p, "biz_opaque_callback_data", false, 512) {
        out.push(("biz_opaque_callback_data", Value::from(data)));
    }
    out
}
