//! Per-group state and cost ledger, folded from parsed webhook events (sans-IO: every time is an
//! argument). One record per group, so users can keep it wherever they keep things (a Durable
//! Object per group, a row per group) and partition on the group id.
//!
//! - [`GroupState::apply`] folds events: idempotent (a delivery applied twice changes nothing)
//!   and independent of arrival order where timestamps say what came first (membership,
//!   settings and status resolve by time; message statuses only move forward; one charge per
//!   message and participant).
//! - [`GroupState::seed`] starts from a `get_group_info` reply read at a known time.
//! - [`GroupState::quote`] answers, at a given time, whether free-form messages may be sent and
//!   what a message will count as.
//! - [`GroupState::prune`] drops message records older than a retention period; totals stay.

mod fold;
mod model;
mod quote;

pub use fold::{Applied, Ignored, StateChange, StateUpdate, SERVICE_WINDOW_SECONDS};
pub use model::{
    Charge, ClosedJoinRequest, Departure, Facts, GroupState, GroupStatusValue, Member,
    MessageRecord, PendingJoinRequest, Recipient, RecipientError, RecipientStatus, Totals,
    STATE_FORMAT,
};
pub use quote::{Quote, TemplateCategory, PRICING_CHANGE_2026_10_01};

use crate::ops::GroupInfo;

/// Message records are kept 30 days by default: Meta retries deliveries for up to 7.
pub const DEFAULT_RETENTION_SECONDS: i64 = 30 * 24 * 60 * 60;

impl GroupState {
    /// A state from a `get_group_info` reply read at `read_at` (Unix seconds): its members,
    /// subject, description, approval mode and suspension, each as a fact of that time, so later
    /// events older than the read do not undo it.
    pub fn seed(info: &GroupInfo, read_at: i64) -> GroupState {
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
