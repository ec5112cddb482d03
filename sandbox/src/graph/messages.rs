//! `POST /{phone}/messages`: group messages (priced per delivery by the rules of the day), pins,
//! and the invite-link template sent 1:1.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::{known_group, statuses_webhook, window_open, Answer, GraphJson};
use crate::error::GraphError;
use crate::store::{Group, Store};
use crate::{now, AppState, TemplateKind};

fn sent_reply(input: &str, wamid: &str) -> axum::response::Response {
    Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": input}], "messages": [{"id": wamid}]}))
        .into_response()
}

/// A message to a group: `sent` for the group, then `delivered` per member with its pricing,
/// each status type in a delivery of its own.
pub async fn send_message(
    State(state): State<Arc<AppState>>,
    Path((_, phone)): Path<(String, String)>,
    GraphJson(body): GraphJson,
) -> Answer {
    if body["recipient_type"] == "individual" {
        return one_to_one(&state, &phone, &body);
    }
    if body["recipient_type"] != "group" {
        return Err(GraphError::bad(
            "recipient_type is group (or individual for the invite-link template).",
        ));
    }
    let ty = body["type"].as_str().unwrap_or_default();
    if ty != "pin" && !wagroups::ops::GROUP_MESSAGE_TYPES.contains(&ty) {
        // What Meta answers for a type it does not deliver (groups reject interactive,
        // commerce and the like).
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            131051,
            "Unsupported message type",
        ));
    }
    let to = body["to"].as_str().unwrap_or_default();
    let category = match ty {
        "template" => {
            let name = body["template"]["name"].as_str().unwrap_or_default();
            match state.template_category(name) {
                // Groups reject authentication templates; Meta documents no code for it.
                TemplateKind::Authentication => {
                    return Err(GraphError::new(
                        StatusCode::BAD_REQUEST,
                        131009,
                        "Parameter value is not valid: authentication templates cannot be sent to groups",
                    ))
                }
                TemplateKind::Utility => "group_utility",
                TemplateKind::Marketing => "group_marketing",
            }
        }
        _ => "group_service",
    };
    let store = state.lock();
    store.atomic(|store| {
        let group = known_group(store, to)?;
        if group.suspended {
            return Err(GraphError::suspended());
        }
        if ty == "pin" {
            return pin(&state, store, &group, &phone, &body);
        }
        let members = store.members(to)?;
        if members.is_empty() {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                131020,
                "Bad Group: the business is the only member",
            ));
        }
        let window = window_open(store, to)?;
        if category == "group_service" && !window {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                131047,
                "Re-engagement message: more than 24 hours since a participant's last message",
            ));
        }
        let sent_at = now();
        let wamid = format!("wamid.SBX{:012}", store.next("message")?);
        store.add_message(&wamid, to, sent_at, category, &body.to_string())?;
        let new_rules = sent_at >= wagroups::state::PRICING_CHANGE_2026_10_01;
        // Per delivery, by the rules of the day: marketing always regular; utility free inside
        // the window only before 1 October 2026; service free inside the window, from that date
        // only within the number's free tier (per calendar month, UTC).
        let tier_key = format!("service_deliveries:{phone}:{}", month_of(sent_at));
        let mut delivered = Vec::new();
        for m in &members {
            let free = match category {
                "group_service" if new_rules => store.next(&tier_key)? <= state.config.free_tier,
                "group_service" => true,
                "group_utility" => !new_rules && window,
                _ => false,
            };
            let ptype = if free {
                "free_group_customer_service"
            } else {
                "regular"
            };
            store.receipt(&wamid, m, "delivered", ptype, sent_at)?;
            delivered.push(json!({"id": wamid, "status": "delivered", "timestamp": sent_at.to_string(),
                "recipient_id": to, "recipient_type": "group", "recipient_participant_id": m,
                "pricing": {"billable": ptype == "regular", "pricing_model": "PMP", "type": ptype, "category": category}}));
        }
        let sent = json!({"id": wamid, "status": "sent", "timestamp": sent_at.to_string(), "recipient_id": to,
            "recipient_type": "group"});
        statuses_webhook(&state, store, &phone, vec![sent])?;
        statuses_webhook(&state, store, &phone, delivered)?;
        Ok(sent_reply(to, &wamid))
    })
}

/// `YYYY-MM` (UTC) of Unix seconds: the free tier counts per calendar month.
pub fn month_of(secs: i64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

/// A pin or unpin: the message must be one the group has; a pin lasts 1 to 30 days.
fn pin(state: &AppState, store: &Store, group: &Group, phone: &str, body: &Value) -> Answer {
    let action = body["pin"]["type"].as_str().unwrap_or_default();
    let target = body["pin"]["message_id"].as_str().unwrap_or_default();
    if store.message(target)?.map(|(g, _)| g).as_deref() != Some(group.id.as_str()) {
        return Err(GraphError::bad(
            "pin.message_id is not a message of this group.",
        ));
    }
    match (action, body["pin"]["expiration_days"].as_i64()) {
        ("pin", Some(days)) if (1..=30).contains(&days) => {}
        ("pin", _) => {
            return Err(GraphError::bad(
                "a pin lasts 1 to 30 days (pin.expiration_days).",
            ))
        }
        ("unpin", None) => {}
        _ => {
            return Err(GraphError::bad(
                "pin.type is pin or unpin; an unpin takes no expiration_days.",
            ))
        }
    }
    let wamid = format!("wamid.SBXP{:011}", store.next("message")?);
    let status = json!({"id": wamid, "status": "sent", "timestamp": now().to_string(), "recipient_id": group.id,
        "recipient_type": "group"});
    statuses_webhook(state, store, phone, vec![status])?;
    Ok(sent_reply(&group.id, &wamid))
}

/// A 1:1 template (the group invite link sent to one user, by phone number or BSUID).
fn one_to_one(state: &AppState, phone: &str, body: &Value) -> Answer {
    if body["type"] != "template" {
        return Err(GraphError::bad(
            "1:1 messages in this sandbox are templates (the invite-link template).",
        ));
    }
    let Some(to) = body["to"].as_str().or(body["recipient"].as_str()) else {
        return Err(GraphError::bad(
            "to (a phone number) or recipient (a BSUID) is required.",
        ));
    };
    let user = to.trim_start_matches('+');
    let store = state.lock();
    store.atomic(|store| {
        let wamid = format!("wamid.SBX1T{:010}", store.next("message")?);
        // One status type per delivery, as Meta sends them.
        for st in ["sent", "delivered"] {
            let status = json!({"id": wamid, "status": st, "timestamp": now().to_string(), "recipient_id": user,
                "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "utility"}});
            statuses_webhook(state, store, phone, vec![status])?;
        }
        Ok(Json(json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": user}], "messages": [{"id": wamid}]}))
            .into_response())
    })
}

#[cfg(test)]
mod tests {
    use super::month_of;

    #[test]
    fn the_free_tier_counts_per_calendar_month() {
        assert_eq!(month_of(0), "1970-01");
        assert_eq!(month_of(1_790_812_799), "2026-09");
        assert_eq!(month_of(1_790_812_800), "2026-10");
        assert_eq!(month_of(1_798_761_599), "2026-12");
        assert_eq!(month_of(1_798_761_600), "2027-01");
        assert_eq!(month_of(951_782_400), "2000-02"); // 29 February 2000
        assert_eq!(month_of(951_868_800), "2000-03");
    }
}
