//! `pin_message` and `unpin_message`: a `pin` message naming a wamid in the group.

use serde_json::Value;

use crate::config::Config;
use crate::error::{Code, ValidationError};
use crate::ops::Parts;
use crate::ops::{group_id, phone_number_id};
use crate::validate::{check_id, IdRule, Obj, Problems};

pub const PIN_DAYS: std::ops::RangeInclusive<i64> = 1..=30;

pub(crate) fn pin_message(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    pin(params, true)
}

pub(crate) fn unpin_message(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    pin(params, false)
}

/// Pin (`expiration_days` 1–30, required) or unpin (no `expiration_days`) one message.
fn pin(params: &Value, pin: bool) -> Result<Parts, ValidationError> {
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
    o.fixed(
        &mut p,
        "type",
        "pin",
        "the message type of a pin or unpin is \"pin\"",
    );
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
    Ok(super::post_message(p, phone, members))
}
