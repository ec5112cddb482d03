//! Per-group state and cost ledger, folded from parsed webhook events (sans-IO: every time is an
//! argument). One record per group, so users can keep it wherever they keep things (a Durable
//! Object per group, a row per group) and partition on the group id.
//!
//! - [`GroupState::apply`] folds events: idempotent (a delivery applied twice changes nothing)
//!   and independent of arrival order where timestamps say what came first (membership,
//!   settings and status resolve by time; message statuses only move forward; one charge per
//!   message and participant).
//! - [`GroupState::seed_from_group_info`] starts from a `get_group_info` reply read at a known time.
//! - [`GroupState::quote_message`] answers, at a given time, whether free-form messages may be sent and
//!   what a message will count as.
//! - [`GroupState::apply_reply`] folds the replies to the business's own calls (some outcomes
//!   send no webhook; a creation is matched to its group by the reply's `request_id`).
//! - [`GroupState::prune`] drops message records older than a retention period; totals stay.
//!
//! [`apply_events`] and [`apply_reply`] route to the right state of a map keyed by group id (a
//! creation still waiting for its group: by its request id), as every binding stores them.

mod fold;
mod model;
mod quote;
mod reply;

pub use fold::{Applied, Ignored, StateChange, StateUpdate, SERVICE_WINDOW_SECONDS};
pub use model::{
    Charge, ClosedJoinRequest, Departure, Facts, GroupState, GroupStatusValue, Member,
    MessageRecord, PendingJoinRequest, Recipient, RecipientError, RecipientStatus, Setting, Totals,
    STATE_FORMAT,
};
pub use quote::{Quote, QuoteRefusal, TemplateCategory, PRICING_CHANGE_2026_10_01};

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Code, DecodeError};
use crate::ops::{GroupInfo, Operation, Reply};
use crate::webhook::Event;

/// Group states by group id; a creation still waiting for its `group_create` event is kept
/// under its `request_id`.
pub type States = BTreeMap<String, GroupState>;

/// Fold `events` into `states`: each event to its group's state (a new one for a group first
/// seen), the `group_create` event of a waiting creation to the state kept under its
/// `request_id` (which moves under the group id).
pub fn apply_events(states: &mut States, events: &[Event<'_>]) -> Applied {
    let mut out = Applied::default();
    for e in events {
        let waiting = e
            .request_id
            .as_deref()
            .filter(|r| states.get(*r).is_some_and(|s| s.awaits(e)));
        if let Some(mut pending) = waiting.and_then(|r| states.remove(r)) {
            let applied = pending.apply(std::slice::from_ref(e));
            out.changes.extend(applied.changes);
            out.ignored.extend(applied.ignored);
            if pending.group_id.is_empty() {
                // The creation failed: the state stays under its request id, saying so.
                if let Some(r) = pending.create_request_id.clone() {
                    states.insert(r, pending);
                }
            } else if let Some(known) = states.get_mut(&pending.group_id) {
                // Events of the group came before its creation's: one state, which learns
                // the request id.
                known.create_request_id = pending.create_request_id.take();
                let applied = known.apply(std::slice::from_ref(e));
                out.changes.extend(applied.changes);
                out.ignored.extend(applied.ignored);
            } else {
                states.insert(pending.group_id.clone(), pending);
            }
            continue;
        }
        let Some(gid) = e.group_id.as_deref() else {
            out.ignored.push(Ignored {
                event: e.dedup_key.clone(),
                reason: "not about a group".into(),
            });
            continue;
        };
        let applied = states
            .entry(gid.to_owned())
            .or_insert_with(|| GroupState::new(gid))
            .apply(std::slice::from_ref(e));
        out.changes.extend(applied.changes);
        out.ignored.extend(applied.ignored);
    }
    out
}

/// Fold the successful `reply` of `operation` into `states`: a `create_group` reply starts a
/// state under its `request_id`; any other goes to the state of `params.group_id`.
pub fn apply_reply(
    states: &mut States,
    operation: Operation,
    params: &Value,
    reply: &Reply,
    now: i64,
) -> Applied {
    let key = match (operation, reply) {
        (Operation::CreateGroup, Reply::GroupCreated(r)) => r.request_id.clone(),
        (Operation::CreateGroup, _) => None,
        _ => params
            .get("group_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    let Some(key) = key else {
        let mut out = Applied::default();
        out.ignored.push(Ignored {
            event: format!("reply:{operation}"),
            reason: "names no group and no request_id".into(),
        });
        return out;
    };
    let gid = if operation == Operation::CreateGroup {
        ""
    } else {
        key.as_str()
    };
    let state = states
        .entry(key.clone())
        .or_insert_with(|| GroupState::new(gid));
    state.apply_reply(operation, params, reply, now)
}

/// One stored state, its format checked first: a state of another format is refused as such,
/// not misread.
pub fn decode_state(value: &Value) -> Result<GroupState, DecodeError> {
    check_format(value, "")?;
    crate::ops::decode(value.clone())
}

/// Stored states (group id → state; `null` for none yet), each format checked, each under its
/// own group id (or, while created, its request id).
pub fn decode_states(value: &Value) -> Result<States, DecodeError> {
    if value.is_null() {
        return Ok(States::new());
    }
    for (key, s) in value.as_object().into_iter().flatten() {
        check_format(s, key)?;
    }
    let map: States = crate::ops::decode(value.clone())?;
    let misplaced = map.iter().find(|(key, s)| {
        let waiting = s.group_id.is_empty() && s.create_request_id.as_ref() == Some(*key);
        s.group_id != **key && !waiting
    });
    if let Some((key, s)) = misplaced {
        return Err(DecodeError::shape(
            key.clone(),
            format!("the state of group {:?} is stored under {key:?}: states are keyed by their group id (a creation by its request id)", s.group_id),
        ));
    }
    Ok(map)
}

fn check_format(state: &Value, path: &str) -> Result<(), DecodeError> {
    let format = state.get("format").and_then(Value::as_u64);
    if format == Some(u64::from(STATE_FORMAT)) {
        return Ok(());
    }
    Err(DecodeError {
        code: Code::DecodeUnexpectedShape,
        path: if path.is_empty() {
            "format".into()
        } else {
            format!("{path}.format")
        },
        message: format!(
            "a state of format {}; this library reads format {STATE_FORMAT}",
            format.map_or_else(|| "none".to_owned(), |f| f.to_string()),
        ),
    })
}

/// Message records are kept 30 days by default: Meta retries deliveries for up to 7.
pub const DEFAULT_RETENTION_SECONDS: i64 = 30 * 24 * 60 * 60;

impl GroupState {
    /// Renamed [`GroupState::seed_from_group_info`], the name every binding uses.
    #[deprecated(since = "0.1.0", note = "renamed seed_from_group_info")]
    pub fn seed(info: &GroupInfo, read_at: i64) -> GroupState {
        GroupState::seed_from_group_info(info, read_at)
    }

    /// A state from a `get_group_info` reply read at `read_at` (Unix seconds), a snapshot: its
    /// members, subject, description, approval mode and suspension, each as a fact of that time,
    /// and no membership fact at or before it can change what it says.
    pub fn seed_from_group_info(info: &GroupInfo, read_at: i64) -> GroupState {
        let mut s = GroupState::new(&info.id);
        s.facts.seeded_at = Some(read_at);
        let settings = [
            (
                &mut s.subject,
                &mut s.facts.subject_at,
                info.subject.clone(),
            ),
            (
                &mut s.description,
                &mut s.facts.description_at,
                info.description.clone(),
            ),
            (
                &mut s.join_approval_mode,
                &mut s.facts.join_approval_mode_at,
                info.join_approval_mode
                    .as_ref()
                    .map(|m| m.as_str().to_owned()),
            ),
        ];
        for (slot, at, value) in settings {
            if value.is_some() {
                *slot = value;
                *at = Some(read_at);
            }
        }
        if let Some(suspended) = info.suspended {
            s.status = if suspended {
                GroupStatusValue::Suspended
            } else {
                GroupStatusValue::Active
            };
            s.facts.status_at = Some(read_at);
        }
        for p in info.participants.iter().flatten() {
            let wa_id = fold::wa_id_of(p.wa_id.as_deref(), p.input.as_deref());
            if wa_id.is_some() || p.user_id.is_some() {
                s.participants.push(Member {
                    wa_id,
                    user_id: p.user_id.clone(),
                    since: read_at,
                });
            }
        }
        s.participants
            .sort_by(|a, b| (&a.user_id, &a.wa_id).cmp(&(&b.user_id, &b.wa_id)));
        s
    }

    /// Drop message records whose last status is older than `now - keep`, and the departure and
    /// closed-request facts as old; the per-category totals stay.
    pub fn prune(&mut self, now: i64, keep: i64) {
        let cutoff = now.saturating_sub(keep);
        self.messages.retain(|_, m| m.last_at >= cutoff);
        self.facts.departed.retain(|d| d.at >= cutoff);
        self.facts.closed_join_requests.retain(|c| c.at >= cutoff);
    }
}
