//! `send_invite_link_template`: the group invite link, sent 1:1 as a template.

use serde_json::Value;

use super::content::content_rules;
use crate::config::Config;
use crate::error::{Code, ValidationError};
use crate::ops::phone_number_id;
use crate::ops::Parts;
use crate::validate::{is_bsuid, is_phone, Obj, Problems};

/// A template carrying a group's invite link, sent 1:1: Meta's group-invite utility template (a
/// body parameter of type `group_id` becomes the link on delivery) or any template of the
/// business's own that carries the link. The user is given by phone number (`to`) or, for users
/// known only by their business-scoped id, by BSUID (`recipient`).
pub(crate) fn send_invite_link_template(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let allowed = [
        "phone_number_id",
        "to",
        "recipient",
        "recipient_type",
        "type",
        "template",
        "biz_opaque_callback_data",
    ];
    let Some(o) = Obj::new(&mut p, params, "", &allowed) else {
        return Err(p.fail());
    };
    let phone = phone_number_id(&mut p, &o);
    let to = o.str(&mut p, "to", false);
    let bsuid = o.str(&mut p, "recipient", false);
    match (to, bsuid) {
        (Some(_), Some(_)) => p.push(
            Code::MutuallyExclusive,
            "",
            "give the user's phone number (to) or their BSUID (recipient), not both",
        ),
        (None, None) if !o.has("to") && !o.has("recipient") => p.push(
            Code::MissingOneOf,
            "",
            "one of \"to\" (a phone number) or \"recipient\" (a BSUID) is required",
        ),
        (Some(t), None) if !is_phone(t) => p.push(
            Code::InvalidFormat,
            "to",
            "expected the user's phone number: digits with an optional leading +",
        ),
        (None, Some(r)) if !is_bsuid(r) => p.push(
            Code::InvalidFormat,
            "recipient",
            "expected a BSUID: a country code, '.', and up to 128 letters and digits (GB.4821…)",
        ),
        _ => {}
    }
    o.fixed(
        &mut p,
        "recipient_type",
        "individual",
        "the invite-link template goes to one user: \"individual\"",
    );
    o.fixed(
        &mut p,
        "type",
        "template",
        "the invite link is sent as a \"template\"",
    );
    let tpl = o.get(&mut p, "template", true);
    if let Some(t) = tpl {
        content_rules(&mut p, "template", t, "template", true);
    }
    let data = o.text(&mut p, "biz_opaque_callback_data", false, 512);
    p.finish(())?;
    let mut members = vec![
        ("recipient_type", Value::from("individual")),
        match bsuid {
            Some(r) => ("recipient", Value::from(r)),
            None => ("to", Value::from(to.unwrap_or_default())),
        },
        ("type", Value::from("template")),
        ("template", tpl.cloned().unwrap_or(Value::Null)),
    ];
    if let Some(d) = data {
        members.push(("biz_opaque_callback_data", Value::from(d)));
    }
    Ok(super::post_message(p, phone, members))
}
