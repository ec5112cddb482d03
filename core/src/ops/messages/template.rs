//! Template objects: name, language, components and their parameters (a `group_id` parameter
//! only in the invite-link template).

use serde_json::Value;

use super::content::media;

/// Where invite links live (`https://chat.whatsapp.com/<code>`).
const INVITE_LINK_HOST: &str = "chat.whatsapp.com/";
use crate::error::Code;
use crate::validate::{check_id, index, IdRule, Obj, Problems};

pub(super) fn template(p: &mut Problems, v: &Value, path: &str, in_invite: bool) {
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
    // Parameters that carry the invite link: a group_id one, the link as body text, or a URL
    // button's parameter (its template holds the link's base).
    let mut links = 0;
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
        let mut url_button = false;
        if ctype == "button" {
            url_button = co.get(p, "sub_type", false).and_then(Value::as_str) == Some("url");
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
            let ty = template_parameter(p, param, &ppath, param_types);
            let text = param
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default();
            links += usize::from(match ty {
                Some("group_id") => true,
                Some("text") if ctype == "body" => text.contains(INVITE_LINK_HOST),
                Some("text") => url_button,
                _ => false,
            });
        }
    }
    if in_invite && links == 0 {
        p.push(
            Code::MissingParameter,
            &o.path("components"),
            "the template must carry the invite link: a body parameter {\"type\": \"group_id\", \
             \"group_id\": …}, the link (https://chat.whatsapp.com/…) as body text, or a URL button \
             parameter",
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
