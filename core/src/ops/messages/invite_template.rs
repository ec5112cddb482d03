//! `send_invite_link_template`: the group invite link, sent 1:1 as a template.

use serde_json::Value;

use super::content::content_rules;
use crate::config::Config;
use crate::error::{Code, ValidationError};
use crate::http::{request, Method, Request};
use crate::ops::{json_body, phone_number_id};
use crate::validate::{is_phone, Obj, Problems};

/// The group invite-link template, sent 1:1 to a user's phone number. A body parameter of type
/// `group_id` becomes the invite link on delivery.
pub(crate) fn send_invite_link_template(
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
    Ok(p.attach(request(
        config,
        Method::Post,
        &[phone, "messages"],
        &[],
        json_body(members),
    )))
}
