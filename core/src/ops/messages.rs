//! Messages to a group, pins, and the invite-link template sent 1:1. All go
//! to `POST /{phone-number-id}/messages`; the library sets `recipient_type` and `to`.

use crate::error::Code;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{group_id, json_body, phone_number_id};
use crate::config::Config;
use crate::error::ValidationError;
use crate::http::{request, Method, Request};
use crate::validate::{check_id, check_len, index, is_phone, join, IdRule, Obj, Problems};
use crate::wire::{list_or_null, Extra};

pub const TEXT_MAX: usize = 4096;
pub const CAPTION_MAX: usize = 1024;
pub const PIN_DAYS: std::ops::RangeInclusive<i64> = 1..=30;

/// Message types the builder accepts for groups: those the groups guide documents (`pin` has its own
/// operations).
pub const GROUP_MESSAGE_TYPES: [&str; 7] = [
    "text", "image", "video", "audio", "document", "sticker", "template",
];

/// Types groups reject, or that no Meta page documents for groups, with the reason given.
const REFUSED_TYPES: [(&str, &str); 8] = [
    ("interactive", "groups reject interactive messages"),
    ("product", "groups reject commerce (product) messages"),
    ("product_list", "groups reject commerce (product) messages"),
    ("order", "groups reject commerce messages"),
    (
        "reaction",
        "reactions are not documented for groups (unverified)",
    ),
    (
        "location",
        "location messages are not documented for groups (unverified)",
    ),
    (
        "contacts",
        "contacts messages are not documented for groups (unverified)",
    ),
    ("pin", "use the pin_message or unpin_message operation"),
];

const COMMON: [&str; 5] = [
    "phone_number_id",
    "group_id",
    "type",
    "context",
    "biz_opaque_callback_data",
];

pub(super) fn send_message(params: &Value, config: &Config) -> Result<Request, ValidationError> {
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
    if let Some(t) = o.str(&mut p, "type", true) {
        if let Some((_, why)) = REFUSED_TYPES.iter().find(|(name, _)| *name == t) {
            p.push(
                Code::MessageTypeNotSupportedInGroups,
                "type",
                format!("{t:?} cannot be sent to a group: {why}"),
            );
        } else if !GROUP_MESSAGE_TYPES.contains(&t) {
            p.push(
                Code::InvalidValue,
                "type",
                format!(
                    "{t:?} is not a group message type; expected one of: {}",
                    GROUP_MESSAGE_TYPES.join(", ")
                ),
            );
        }
    }
    let content = if GROUP_MESSAGE_TYPES.contains(&ty) {
        o.get(&mut p, ty, true)
    } else {
        None
    };
    if let Some(c) = content {
        content_rules(&mut p, ty, c, ty, false);
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
    Ok(request(
        config,
        Method::Post,
        &[phone, "messages"],
        &[],
        json_body(members),
    ))
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

/// The content object of one message type. `in_invite` allows the `group_id` template
/// parameter (only meaningful for the invite-link template).
fn content_rules(p: &mut Problems, ty: &str, v: &Value, path: &str, in_invite: bool) {
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

/// A media object: exactly one of `id` and an https `link`, plus the members its type allows.
fn media(p: &mut Problems, v: &Value, path: &str, optional: &[&str]) {
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

fn check_link(p: &mut Problems, path: &str, link: &str) {
    let rest = link.strip_prefix("https://");
    match rest {
        None if link.starts_with("http://") => {
            p.push(Code::InsecureLink, path, "media links must use https")
        }
        None => p.push(Code::InvalidFormat, path, "expected an https:// URL"),
        Some(r) if r.is_empty() || r.starts_with('/') || r.chars().any(char::is_whitespace) => p
            .push(
                Code::InvalidFormat,
                path,
                "expected an https:// URL with a host and no spaces",
            ),
        Some(_) => {}
    }
}

fn template(p: &mut Problems, v: &Value, path: &str, in_invite: bool) {
    let Some(o) = Obj::new(p, v, path, &["name", "language", "components"]) else {
        return;
    };
    o.non_empty_str(p, "name", true);
    if let Some(lang) = o.object(p, "language", true, &["code", "policy"]) {
        lang.non_empty_str(p, "code", true);
        if let Some(policy) = lang.str(p, "policy", false) {
            if policy != "deterministic" {
                p.push(
                    Code::InvalidValue,
                    &lang.path("policy"),
                    "the only language policy is \"deterministic\"",
                );
            }
        }
    }
    let mut group_ids = 0;
    for (i, c) in o
        .array(p, "components", false)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let cpath = index(&o.path("components"), i);
        let Some(co) = Obj::new(p, c, &cpath, &["type", "parameters", "sub_type", "index"]) else {
            continue;
        };
        let ctype = co.str(p, "type", true).unwrap_or("");
        let param_types: &[&str] = match ctype {
            "header" => &["text", "image", "video", "document"],
            "body" if in_invite => &["text", "currency", "date_time", "group_id"],
            "body" => &["text", "currency", "date_time"],
            "button" => &["payload", "text", "action"],
            "" => &[],
            other => {
                p.push(
                    Code::InvalidValue,
                    &co.path("type"),
                    format!("{other:?} is not one of: header, body, button"),
                );
                &[]
            }
        };
        if ctype == "button" {
            match co.str(p, "sub_type", true) {
                Some("quick_reply" | "url" | "catalog") | None => {}
                Some(other) => p.push(
                    Code::InvalidValue,
                    &co.path("sub_type"),
                    format!("{other:?} is not one of: quick_reply, url, catalog"),
                ),
            }
            if let Some(idx) = co.get(p, "index", true) {
                let ok = match idx {
                    Value::Number(n) => n.as_u64().is_some_and(|n| n < 10),
                    Value::String(s) => s.len() == 1 && s.bytes().all(|b| b.is_ascii_digit()),
                    _ => false,
                };
                if !ok {
                    p.push(
                        Code::InvalidValue,
                        &co.path("index"),
                        "a button index is 0 to 9",
                    );
                }
            }
        } else {
            for key in ["sub_type", "index"] {
                if co.has(key) {
                    p.push(
                        Code::NotAllowed,
                        &co.path(key),
                        "only button components take sub_type and index",
                    );
                }
            }
        }
        for (j, param) in co
            .array(p, "parameters", false)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let ppath = index(&co.path("parameters"), j);
            if template_parameter(p, param, &ppath, param_types) == Some("group_id") {
                group_ids += 1;
            }
        }
    }
    if in_invite && group_ids == 0 {
        p.push(
            Code::MissingParameter,
            &o.path("components"),
            "the invite-link template needs a body parameter {\"type\": \"group_id\", \"group_id\": …}",
        );
    }
}

/// One template parameter; returns its type when valid.
fn template_parameter<'a>(
    p: &mut Problems,
    v: &'a Value,
    path: &str,
    types: &[&str],
) -> Option<&'a str> {
    let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
    let known = types.contains(&ty);
    let allowed = ["type", ty, "parameter_name"];
    let o = Obj::new(p, v, path, &allowed)?;
    let ty = o.str(p, "type", true)?;
    if !known {
        p.push(
            Code::InvalidValue,
            &o.path("type"),
            format!(
                "{ty:?} is not a parameter type here; expected one of: {}",
                types.join(", ")
            ),
        );
        return None;
    }
    o.str(p, "parameter_name", false);
    let inner = o.get(p, ty, true)?;
    let ipath = o.path(ty);
    match ty {
        "text" | "payload" => {
            if let Some(s) = inner.as_str() {
                if s.trim().is_empty() {
                    p.push(Code::EmptyValue, &ipath, "must not be empty");
                }
            } else {
                p.push(Code::WrongType, &ipath, "expected a string");
            }
        }
        "group_id" => match inner.as_str() {
            Some(s) => {
                check_id(p, &ipath, s, IdRule::PathSegment);
            }
            None => p.push(Code::WrongType, &ipath, "expected a group id string"),
        },
        "image" | "video" => media(p, inner, &ipath, &[]),
        "document" => media(p, inner, &ipath, &["filename"]),
        "currency" => {
            if let Some(c) = Obj::new(p, inner, &ipath, &["fallback_value", "code", "amount_1000"])
            {
                c.non_empty_str(p, "fallback_value", true);
                c.non_empty_str(p, "code", true);
                c.int(p, "amount_1000", true);
            }
        }
        "date_time" => {
            let keys = [
                "fallback_value",
                "day_of_week",
                "year",
                "month",
                "day_of_month",
                "hour",
                "minute",
                "calendar",
            ];
            if let Some(d) = Obj::new(p, inner, &ipath, &keys) {
                d.non_empty_str(p, "fallback_value", true);
            }
        }
        "action" => {
            Obj::new(
                p,
                inner,
                &ipath,
                &[
                    "thumbnail_product_retailer_id",
                    "flow_token",
                    "flow_action_data",
                ],
            );
        }
        _ => {}
    }
    Some(ty)
}

/// Pin (`expiration_days` 1–30, required) or unpin (no `expiration_days`) one message.
pub(super) fn pin(params: &Value, config: &Config, pin: bool) -> Result<Request, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(
        &mut p,
        params,
        "",
        &["phone_number_id", "group_id", "type", "pin"],
    ) else {
        return Err(p.fail());
    };
    let phone = phone_number_id(&mut p, &o);
    let gid = group_id(&mut p, &o);
    if let Some(t) = o.str(&mut p, "type", false) {
        if t != "pin" {
            p.push(
                Code::InvalidValue,
                "type",
                "the message type of a pin or unpin is \"pin\"",
            );
        }
    }
    let action = if pin { "pin" } else { "unpin" };
    let mut out = serde_json::Map::new();
    out.insert("type".into(), Value::from(action));
    if let Some(po) = o.object(
        &mut p,
        "pin",
        true,
        &["type", "message_id", "expiration_days"],
    ) {
        if let Some(t) = po.str(&mut p, "type", false) {
            if t != action {
                p.push(Code::InvalidValue, "pin.type", format!("this operation sends pin.type {action:?}; use the {t}_message operation for {t:?}"));
            }
        }
        if let Some(id) = po.str(&mut p, "message_id", true) {
            if check_id(&mut p, "pin.message_id", id, IdRule::Body) {
                out.insert("message_id".into(), Value::from(id));
            }
        }
        match (pin, po.int(&mut p, "expiration_days", pin)) {
            (true, Some(days)) if PIN_DAYS.contains(&days) => {
                out.insert("expiration_days".into(), Value::from(days));
            }
            (true, Some(days)) => p.push(
                Code::OutOfRange,
                "pin.expiration_days",
                format!("{days} is outside 1 to 30 days"),
            ),
            (false, Some(_)) => p.push(
                Code::NotAllowed,
                "pin.expiration_days",
                "an unpin takes no expiration_days",
            ),
            _ => {}
        }
    }
    p.finish(())?;
    let members = vec![
        ("recipient_type", Value::from("group")),
        ("to", Value::from(gid)),
        ("type", Value::from("pin")),
        ("pin", Value::Object(out)),
    ];
    Ok(request(
        config,
        Method::Post,
        &[phone, "messages"],
        &[],
        json_body(members),
    ))
}

/// The group invite-link template, sent 1:1 to a user's phone number. A body parameter of type
/// `group_id` becomes the invite link on delivery.
pub(super) fn send_invite_link_template(
    params: &Value,
    config: &Config,
) -> Result<Request, ValidationError> {
    let mut p = Problems::default();
    let allowed = [
        "phone_number_id",
        "to",
        "recipient_type",
        "type",
        "template",
        "biz_opaque_callback_data",
    ];
    let Some(o) = Obj::new(&mut p, params, "", &allowed) else {
        return Err(p.fail());
    };
    let phone = phone_number_id(&mut p, &o);
    let to = o.str(&mut p, "to", true);
    if let Some(t) = to {
        if !is_phone(t) {
            p.push(
                Code::InvalidFormat,
                "to",
                "expected the user's phone number: digits with an optional leading +",
            );
        }
    }
    if let Some(rt) = o.str(&mut p, "recipient_type", false) {
        if rt != "individual" {
            p.push(
                Code::InvalidValue,
                "recipient_type",
                "the invite-link template goes to one user: \"individual\"",
            );
        }
    }
    if let Some(t) = o.str(&mut p, "type", false) {
        if t != "template" {
            p.push(
                Code::InvalidValue,
                "type",
                "the invite link is sent as a \"template\"",
            );
        }
    }
    let tpl = o.get(&mut p, "template", true);
    if let Some(t) = tpl {
        content_rules(&mut p, "template", t, "template", true);
    }
    let data = o.text(&mut p, "biz_opaque_callback_data", false, 512);
    p.finish(())?;
    let mut members = vec![
        ("recipient_type", Value::from("individual")),
        ("to", Value::from(to.unwrap_or_default())),
        ("type", Value::from("template")),
        ("template", tpl.cloned().unwrap_or(Value::Null)),
    ];
    if let Some(d) = data {
        members.push(("biz_opaque_callback_data", Value::from(d)));
    }
    Ok(request(
        config,
        Method::Post,
        &[phone, "messages"],
        &[],
        json_body(members),
    ))
}

// ---- reply ----

/// `POST /{phone-number-id}/messages`: the wamid, whose statuses arrive by webhook.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageSent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub contacts: Vec<SentContact>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub messages: Vec<SentMessage>,
    #[serde(flatten)]
    pub extra: Extra,
    /// `messages[0].id`, the id to correlate statuses with.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SentContact {
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub input: Option<String>,
    /// Optional: Meta returns it for phone-number recipients, not reliably for groups.
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub wa_id: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SentMessage {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_status: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl MessageSent {
    pub(super) fn with_message_id(mut self) -> Self {
        self.message_id = self.messages.first().map(|m| m.id.clone());
        self
    }
}
