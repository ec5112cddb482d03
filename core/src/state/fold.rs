//! Folding parsed events into group states. Every rule is a "latest fact wins" merge with a
//! fixed tie-break, so applying a delivery twice changes nothing and the order events arrive in
//! does not matter where their timestamps say what came first.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{
    Charge, ClosedJoinRequest, Departure, GroupState, GroupStatusValue, Member, MessageRecord,
    PendingJoinRequest, Recipient, RecipientError, RecipientStatus, Setting, Totals,
};
use crate::webhook::{DeliveryStatus, Event, EventBody, ItemError, Person};
use crate::wire::Outcome;

/// The group customer-service window: 24 hours after a participant's message.
pub const SERVICE_WINDOW_SECONDS: i64 = 24 * 60 * 60;

/// What a fold changed, for a handler to act on. Only real changes are listed: a repeated or
/// outdated event gives none.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StateChange {
    /// The `group_create` event: the group exists. `request_id` matches the `create_group`
    /// reply that asked for it.
    GroupCreated {
        group_id: String,
        at: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
    /// A `create_group` reply: the group is being created under this `request_id`.
    GroupCreateRequested {
        request_id: String,
        at: i64,
    },
    /// The `group_create` event reported a failure for a creation this state was waiting for.
    GroupCreateFailed {
        request_id: String,
        errors: Vec<RecipientError>,
        at: i64,
    },
    GroupDeleted {
        group_id: String,
        at: i64,
    },
    Suspended {
        group_id: String,
        at: i64,
    },
    SuspensionCleared {
        group_id: String,
        at: i64,
    },
    ParticipantJoined {
        group_id: String,
        participant: Member,
    },
    ParticipantLeft {
        group_id: String,
        participant: Departure,
    },
    JoinRequestPending {
        group_id: String,
        request: PendingJoinRequest,
    },
    JoinRequestClosed {
        group_id: String,
        join_request_id: String,
        at: i64,
    },
    SettingsChanged {
        group_id: String,
        setting: Setting,
        value: Option<String>,
        at: i64,
    },
    WindowOpened {
        group_id: String,
        until: i64,
    },
    /// A message failed: for the whole group (no `participant`) or for one participant. A
    /// failed delivery is never charged.
    MessageFailed {
        group_id: String,
        message_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        participant: Option<String>,
        errors: Vec<RecipientError>,
        at: i64,
    },
    StatusAdvanced {
        group_id: String,
        message_id: String,
        participant: String,
        status: RecipientStatus,
        at: i64,
    },
    ChargeRecorded {
        group_id: String,
        message_id: String,
        participant: String,
        charge: Charge,
    },
}

/// An event that changed no state, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ignored {
    /// The event's `dedup_key`.
    pub event: String,
    pub reason: String,
}

/// Group states by group id after folding deliveries, with what changed and what was ignored
/// (what `apply_events` returns in every language).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StateUpdate {
    pub state: std::collections::BTreeMap<String, GroupState>,
    pub changes: Vec<StateChange>,
    pub ignored: Vec<Ignored>,
}

/// The outcome of [`GroupState::apply`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Applied {
    pub changes: Vec<StateChange>,
    pub ignored: Vec<Ignored>,
}

impl GroupState {
    /// Fold `events` into this group's state. Events of other groups, unknown items and errors
    /// are listed as ignored.
    pub fn apply(&mut self, events: &[Event<'_>]) -> Applied {
        let mut out = Applied::default();
        for e in events {
            if self.awaits(e) {
                // The creation this state waits for: it takes the group id the event gives.
                if let (Some(g), EventBody::GroupCreate(c)) = (e.group_id.as_deref(), &e.body) {
                    if c.outcome != Outcome::Failed {
                        self.group_id = g.to_owned();
                    }
                }
                self.apply_one(e, &mut out);
                continue;
            }
            match e.group_id.as_deref() {
                Some(g) if g == self.group_id => self.apply_one(e, &mut out),
                Some(_) => out.ignored.push(ignored(e, "another group")),
                None => out.ignored.push(ignored(e, "not about a group")),
            }
        }
        self.participants.sort_by(|a, b| key_of(a).cmp(&key_of(b)));
        self.pending_join_requests
            .sort_by(|a, b| a.join_request_id.cmp(&b.join_request_id));
        out
    }

    /// Whether `e` is the `group_create` event of the creation this state is waiting for.
    pub(super) fn awaits(&self, e: &Event<'_>) -> bool {
        self.group_id.is_empty()
            && matches!(e.body, EventBody::GroupCreate(_))
            && e.request_id.is_some()
            && e.request_id.as_deref() == self.create_request_id.as_deref()
    }

    fn apply_one(&mut self, e: &Event<'_>, out: &mut Applied) {
        let at = e.timestamp.unwrap_or(0);
        let gid = self.group_id.clone();
        match &e.body {
            EventBody::GroupCreate(_) if self.group_id.is_empty() => {
                // A failure of the creation this state waits for: the group will not exist.
                if self.status == GroupStatusValue::Creating {
                    self.status = GroupStatusValue::CreateFailed;
                    self.facts.status_at = Some(at);
                    out.changes.push(StateChange::GroupCreateFailed {
                        request_id: self.create_request_id.clone().unwrap_or_default(),
                        errors: errors_of(&e.errors),
                        at,
                    });
                }
            }
            EventBody::GroupCreate(g) if g.outcome != Outcome::Failed => {
                if self.create_request_id.is_none() {
                    self.create_request_id = e.request_id.as_deref().map(str::to_owned);
                }
                if self.set_status(GroupStatusValue::Active, at) {
                    out.changes.push(StateChange::GroupCreated {
                        group_id: gid.clone(),
                        at,
                        request_id: e.request_id.as_deref().map(str::to_owned),
                    });
                }
                let settings = [
                    (Setting::Subject, g.subject.as_deref()),
                    (Setting::Description, g.description.as_deref()),
                    (Setting::InviteLink, g.invite_link.as_deref()),
                    (
                        Setting::JoinApprovalMode,
                        g.join_approval_mode.as_ref().map(|m| m.as_str()),
                    ),
                ];
                for (name, value) in settings {
                    if let Some(v) = value {
                        self.setting(name, Some(v), at, out);
                    }
                }
                for p in &g.added_participants {
                    self.join(p, at, out);
                }
            }
            EventBody::GroupDelete(g) if g.outcome != Outcome::Failed => {
                if self.set_status(GroupStatusValue::Deleted, at) {
                    out.changes
                        .push(StateChange::GroupDeleted { group_id: gid, at });
                }
            }
            EventBody::GroupSuspend(_) => {
                if self.set_status(GroupStatusValue::Suspended, at) {
                    out.changes
                        .push(StateChange::Suspended { group_id: gid, at });
                }
            }
            EventBody::GroupSuspendCleared(_) => {
                if self.set_status(GroupStatusValue::Active, at) {
                    out.changes
                        .push(StateChange::SuspensionCleared { group_id: gid, at });
                }
            }
            EventBody::GroupParticipantsAdd(g) => {
                for p in &g.added_participants {
                    self.join(p, at, out);
                    // An approved join request arrives as the requester joining.
                    self.close_requests_of(p, at, out);
                }
            }
            // Only the participants that were removed; failed ones stay.
            EventBody::GroupParticipantsRemove(g) => {
                for p in &g.removed_participants {
                    self.leave(p, at, out);
                }
            }
            EventBody::GroupJoinRequestCreated(r) => {
                if let Some(id) = r.join_request_id.as_deref() {
                    self.request_created(id, &r.requester, at, out);
                }
            }
            EventBody::GroupJoinRequestRevoked(r) => {
                if let Some(id) = r.join_request_id.as_deref() {
                    self.close_request(id, at, out);
                }
            }
            EventBody::GroupSettingsUpdate(s) => {
                for (name, result) in [
                    (Setting::Subject, &s.subject),
                    (Setting::Description, &s.description),
                ] {
                    if let Some(r) = result {
                        if r.applied == Some(true) {
                            self.setting(name, r.text.as_deref(), at, out);
                        }
                    }
                }
            }
            EventBody::Message(_) => {
                let until = at + SERVICE_WINDOW_SECONDS;
                let was_open = self.service_window_until.is_some_and(|u| u > at);
                if self.service_window_until.map_or(true, |u| u < until) {
                    self.service_window_until = Some(until);
                    if !was_open {
                        out.changes.push(StateChange::WindowOpened {
                            group_id: gid,
                            until,
                        });
                    }
                }
            }
            EventBody::Status(s) => self.status(e, s, at, out),
            _ => out.ignored.push(ignored(e, "changes no group state")),
        }
    }

    /// Deleted over suspended over active at the same second; a later fact always wins.
    pub(super) fn set_status(&mut self, status: GroupStatusValue, at: i64) -> bool {
        let newer = match self.facts.status_at {
            None => true,
            Some(t) => at > t || (at == t && status > self.status),
        };
        if newer && (self.status != status || self.facts.status_at != Some(at)) {
            let changed = self.status != status;
            self.status = status;
            self.facts.status_at = Some(at);
            return changed;
        }
        false
    }

    pub(super) fn setting(
        &mut self,
        name: Setting,
        value: Option<&str>,
        at: i64,
        out: &mut Applied,
    ) {
        let (slot, slot_at) = match name {
            Setting::Subject => (&mut self.subject, &mut self.facts.subject_at),
            Setting::Description => (&mut self.description, &mut self.facts.description_at),
            Setting::InviteLink => (&mut self.invite_link, &mut self.facts.invite_link_at),
            Setting::JoinApprovalMode => (
                &mut self.join_approval_mode,
                &mut self.facts.join_approval_mode_at,
            ),
        };
        let value = value.map(str::to_owned);
        let newer = match *slot_at {
            None => true,
            Some(t) => at > t || (at == t && value > *slot),
        };
        if newer {
            *slot_at = Some(at);
            if *slot != value {
                slot.clone_from(&value);
                out.changes.push(StateChange::SettingsChanged {
                    group_id: self.group_id.clone(),
                    setting: name,
                    value,
                    at,
                });
            }
        }
    }

    /// Membership is one fact per person, the latest wins (a removal at the same second as a
    /// join wins): joined at `since`, or departed at `at`.
    fn join(&mut self, p: &Person<'_>, at: i64, out: &mut Applied) {
        let (wa_id, user_id) = ids(p);
        if wa_id.is_none() && user_id.is_none() {
            return;
        }
        if let Some(m) = self
            .participants
            .iter_mut()
            .find(|m| same(&m.wa_id, &m.user_id, &wa_id, &user_id))
        {
            learn(&mut m.wa_id, &mut m.user_id, wa_id, user_id);
            m.since = m.since.max(at);
            let (w, u) = (m.wa_id.clone(), m.user_id.clone());
            self.merge_recipients(w, u);
            return;
        }
        if self.before_snapshot(at) {
            // Not a member in a snapshot taken at or after this join: they left since.
            return;
        }
        let mut member = Member {
            wa_id,
            user_id,
            since: at,
        };
        if let Some(i) = self
            .facts
            .departed
            .iter()
            .position(|d| same(&d.wa_id, &d.user_id, &member.wa_id, &member.user_id))
        {
            let d = self.facts.departed.remove(i);
            if d.at >= at {
                // Departed at the same second or later: the join is outdated.
                let mut kept = d;
                learn(
                    &mut kept.wa_id,
                    &mut kept.user_id,
                    member.wa_id,
                    member.user_id,
                );
                self.facts.departed.insert(i, kept);
                return;
            }
            learn(&mut member.wa_id, &mut member.user_id, d.wa_id, d.user_id);
        }
        self.merge_recipients(member.wa_id.clone(), member.user_id.clone());
        self.participants.push(member.clone());
        out.changes.push(StateChange::ParticipantJoined {
            group_id: self.group_id.clone(),
            participant: member,
        });
    }

    fn leave(&mut self, p: &Person<'_>, at: i64, out: &mut Applied) {
        let (wa_id, user_id) = ids(p);
        self.leave_ids(wa_id, user_id, at, out);
    }

    /// A snapshot (`seed`) says who was a member at `seeded_at`: no membership fact at or
    /// before it can change that.
    fn before_snapshot(&self, at: i64) -> bool {
        self.facts.seeded_at.is_some_and(|s| at <= s)
    }

    pub(super) fn leave_ids(
        &mut self,
        wa_id: Option<String>,
        user_id: Option<String>,
        at: i64,
        out: &mut Applied,
    ) {
        if wa_id.is_none() && user_id.is_none() {
            return;
        }
        if self.before_snapshot(at) {
            // Still a member in a later snapshot: the ids are all this can teach.
            if let Some(m) = self
                .participants
                .iter_mut()
                .find(|m| same(&m.wa_id, &m.user_id, &wa_id, &user_id))
            {
                learn(&mut m.wa_id, &mut m.user_id, wa_id, user_id);
            }
            return;
        }
        if let Some(d) = self
            .facts
            .departed
            .iter_mut()
            .find(|d| same(&d.wa_id, &d.user_id, &wa_id, &user_id))
        {
            learn(&mut d.wa_id, &mut d.user_id, wa_id, user_id);
            d.at = d.at.max(at);
            return;
        }
        let mut departure = Departure { wa_id, user_id, at };
        if let Some(i) = self
            .participants
            .iter()
            .position(|m| same(&m.wa_id, &m.user_id, &departure.wa_id, &departure.user_id))
        {
            let m = self.participants.remove(i);
            if m.since > at {
                // Left before the latest join: the membership stands.
                let mut kept = m;
                learn(
                    &mut kept.wa_id,
                    &mut kept.user_id,
                    departure.wa_id,
                    departure.user_id,
                );
                self.participants.insert(i, kept);
                return;
            }
            learn(
                &mut departure.wa_id,
                &mut departure.user_id,
                m.wa_id,
                m.user_id,
            );
            out.changes.push(StateChange::ParticipantLeft {
                group_id: self.group_id.clone(),
                participant: departure.clone(),
            });
        }
        self.merge_recipients(departure.wa_id.clone(), departure.user_id.clone());
        self.facts.departed.push(departure);
        self.facts
            .departed
            .sort_by(|a, b| (&a.user_id, &a.wa_id).cmp(&(&b.user_id, &b.wa_id)));
    }

    /// Once a person's phone number and BSUID are known together, the statuses that arrived
    /// under either spelling are one recipient: the furthest status, one charge.
    fn merge_recipients(&mut self, wa_id: Option<String>, user_id: Option<String>) {
        let (Some(_), Some(user)) = (&wa_id, &user_id) else {
            return;
        };
        for record in self.messages.values_mut() {
            if let Some(mut merged) = take_person(record, &mut self.totals, &wa_id, &user_id) {
                learn(
                    &mut merged.wa_id,
                    &mut merged.user_id,
                    wa_id.clone(),
                    user_id.clone(),
                );
                record.recipients.insert(user.clone(), merged);
            }
        }
    }

    fn request_created(&mut self, id: &str, who: &Person<'_>, at: i64, out: &mut Applied) {
        let closed = self
            .facts
            .closed_join_requests
            .iter()
            .any(|c| c.join_request_id == id && c.at >= at);
        if closed
            || self
                .pending_join_requests
                .iter()
                .any(|r| r.join_request_id == id)
        {
            return;
        }
        let (wa_id, user_id) = ids(who);
        // Already approved: the requester joined at or after the request.
        let joined = self
            .participants
            .iter()
            .find(|m| same(&m.wa_id, &m.user_id, &wa_id, &user_id) && m.since >= at)
            .map(|m| m.since);
        if let Some(since) = joined {
            self.close_request(id, since, out);
            return;
        }
        let request = PendingJoinRequest {
            join_request_id: id.to_owned(),
            wa_id,
            user_id,
            created_at: at,
        };
        self.pending_join_requests.push(request.clone());
        out.changes.push(StateChange::JoinRequestPending {
            group_id: self.group_id.clone(),
            request,
        });
    }

    pub(super) fn close_request(&mut self, id: &str, at: i64, out: &mut Applied) {
        match self
            .facts
            .closed_join_requests
            .iter_mut()
            .find(|c| c.join_request_id == id)
        {
            Some(c) => c.at = c.at.max(at),
            None => {
                self.facts.closed_join_requests.push(ClosedJoinRequest {
                    join_request_id: id.to_owned(),
                    at,
                });
                self.facts
                    .closed_join_requests
                    .sort_by(|a, b| a.join_request_id.cmp(&b.join_request_id));
            }
        }
        let before = self.pending_join_requests.len();
        self.pending_join_requests
            .retain(|r| !(r.join_request_id == id && r.created_at <= at));
        if self.pending_join_requests.len() < before {
            out.changes.push(StateChange::JoinRequestClosed {
                group_id: self.group_id.clone(),
                join_request_id: id.to_owned(),
                at,
            });
        }
    }

    fn close_requests_of(&mut self, p: &Person<'_>, at: i64, out: &mut Applied) {
        let (wa_id, user_id) = ids(p);
        let ids: Vec<String> = self
            .pending_join_requests
            .iter()
            .filter(|r| same(&r.wa_id, &r.user_id, &wa_id, &user_id) && r.created_at <= at)
            .map(|r| r.join_request_id.clone())
            .collect();
        for id in ids {
            self.close_request(&id, at, out);
        }
    }

    fn status(
        &mut self,
        e: &Event<'_>,
        s: &crate::webhook::MessageStatus<'_>,
        at: i64,
        out: &mut Applied,
    ) {
        let Some(wamid) = s.message_id.as_deref() else {
            out.ignored
                .push(ignored(e, "a status without a message id"));
            return;
        };
        let wa_id = s.recipient_participant_id.as_deref().map(str::to_owned);
        let user_id = s
            .recipient_participant_user_id
            .as_deref()
            .map(str::to_owned);
        let gid = self.group_id.clone();
        // Both spellings of one participant meet in the member list (or the departures).
        let known = self
            .participants
            .iter()
            .map(|m| (&m.wa_id, &m.user_id))
            .chain(self.facts.departed.iter().map(|d| (&d.wa_id, &d.user_id)))
            .find(|(w, u)| same(w, u, &wa_id, &user_id))
            .map(|(w, u)| (w.clone(), u.clone()));
        let (wa_id, user_id) = match known {
            Some((w, u)) => (w.or(wa_id), u.or(user_id)),
            None => (wa_id, user_id),
        };
        let status = match s.status {
            Some(DeliveryStatus::Sent) => Some(RecipientStatus::Sent),
            Some(DeliveryStatus::Failed) => Some(RecipientStatus::Failed),
            Some(DeliveryStatus::Delivered) => Some(RecipientStatus::Delivered),
            Some(DeliveryStatus::Read | DeliveryStatus::Played) => Some(RecipientStatus::Read),
            _ => None,
        };
        let record = self.messages.entry(wamid.to_owned()).or_default();
        record.last_at = record.last_at.max(at);
        if wa_id.is_none() && user_id.is_none() {
            // A group-wide status names no participant and is never a charge.
            match status {
                Some(RecipientStatus::Sent) if record.sent_at.map_or(true, |t| at < t) => {
                    record.sent_at = Some(at);
                }
                Some(RecipientStatus::Failed) => {
                    let errors = errors_of(&e.errors);
                    let first = record.failed_at.is_none();
                    if record
                        .failed_at
                        .map_or(true, |t| at < t || (at == t && errors < record.errors))
                    {
                        record.failed_at = Some(at);
                        record.errors.clone_from(&errors);
                    }
                    if first {
                        out.changes.push(StateChange::MessageFailed {
                            group_id: gid,
                            message_id: wamid.to_owned(),
                            participant: None,
                            errors,
                            at,
                        });
                    }
                }
                _ => {}
            }
            return;
        }
        let mut rec =
            take_person(record, &mut self.totals, &wa_id, &user_id).unwrap_or(Recipient {
                at: i64::MIN,
                ..Recipient::default()
            });
        learn(&mut rec.wa_id, &mut rec.user_id, wa_id, user_id);
        // Keyed by the BSUID once known, else the phone number: the same key in any order.
        let participant = rec
            .user_id
            .clone()
            .or_else(|| rec.wa_id.clone())
            .unwrap_or_default();
        if let Some(status) = status {
            let fresh = rec.at == i64::MIN;
            let errors = if status == RecipientStatus::Failed {
                errors_of(&e.errors)
            } else {
                Vec::new()
            };
            // Forward only; at the same status the earliest time is when it was reached.
            if fresh
                || status > rec.status
                || (status == rec.status && (at < rec.at || (at == rec.at && errors < rec.errors)))
            {
                let advanced = fresh || status != rec.status;
                rec.status = status;
                rec.at = at;
                rec.errors.clone_from(&errors);
                if advanced {
                    out.changes.push(if status == RecipientStatus::Failed {
                        StateChange::MessageFailed {
                            group_id: gid.clone(),
                            message_id: wamid.to_owned(),
                            participant: Some(participant.clone()),
                            errors,
                            at,
                        }
                    } else {
                        StateChange::StatusAdvanced {
                            group_id: gid.clone(),
                            message_id: wamid.to_owned(),
                            participant: participant.clone(),
                            status,
                            at,
                        }
                    });
                }
            }
        }
        if rec.at == i64::MIN {
            rec.at = at;
        }
        // A failed delivery is never charged, whatever pricing its status carries.
        let pricing = s
            .pricing
            .as_ref()
            .filter(|_| status != Some(RecipientStatus::Failed));
        if let Some(pricing) = pricing {
            let charge = Charge {
                billable: pricing.is_billable(),
                category: pricing.category.as_deref().unwrap_or("unknown").to_owned(),
                pricing_type: pricing.pricing_type.as_deref().map(str::to_owned),
            };
            // One charge per participant; of two different pricings the larger one counts.
            if rec.charge.as_ref().map_or(true, |c| charge > *c) {
                if let Some(old) = rec.charge.take() {
                    count(record, &mut self.totals, &old, false);
                }
                count(record, &mut self.totals, &charge, true);
                rec.charge = Some(charge.clone());
                out.changes.push(StateChange::ChargeRecorded {
                    group_id: gid,
                    message_id: wamid.to_owned(),
                    participant: participant.clone(),
                    charge,
                });
            }
        }
        record.recipients.insert(participant, rec);
    }
}

/// Take every record of `record` that is this person (by either id) out and fold them into
/// one: the furthest status (at a status, the earliest time), both ids, one charge (the larger;
/// the others taken back from the totals). `None` when there was none.
fn take_person(
    record: &mut MessageRecord,
    totals: &mut BTreeMap<String, Totals>,
    wa_id: &Option<String>,
    user_id: &Option<String>,
) -> Option<Recipient> {
    let keys: Vec<String> = record
        .recipients
        .iter()
        .filter(|(_, r)| same(&r.wa_id, &r.user_id, wa_id, user_id))
        .map(|(k, _)| k.clone())
        .collect();
    let mut parts = keys
        .iter()
        .filter_map(|k| record.recipients.remove(k))
        .collect::<Vec<_>>()
        .into_iter();
    let mut merged = parts.next()?;
    for other in parts {
        let further = other.status > merged.status
            || (other.status == merged.status
                && (other.at < merged.at
                    || (other.at == merged.at && other.errors < merged.errors)));
        if further {
            merged.status = other.status;
            merged.at = other.at;
            merged.errors = other.errors;
        }
        // Keep the larger charge, count the other one out.
        let (keep, drop) = match (merged.charge.take(), other.charge) {
            (Some(a), Some(b)) if b > a => (Some(b), Some(a)),
            (Some(a), Some(b)) => (Some(a), Some(b)),
            (a, b) => (a.or(b), None),
        };
        if let Some(d) = drop {
            count(record, totals, &d, false);
        }
        merged.charge = keep;
        learn(
            &mut merged.wa_id,
            &mut merged.user_id,
            other.wa_id,
            other.user_id,
        );
    }
    Some(merged)
}

/// Item errors as the state keeps them: code and title, in a fixed order.
fn errors_of(errors: &[ItemError<'_>]) -> Vec<RecipientError> {
    let mut out: Vec<RecipientError> = errors
        .iter()
        .map(|x| RecipientError {
            code: x.code.to_string(),
            title: x.title.as_deref().map(str::to_owned),
        })
        .collect();
    out.sort();
    out
}

/// Add (or take back) one delivery of `charge` to the message and the group's totals.
fn count(
    record: &mut MessageRecord,
    totals: &mut BTreeMap<String, Totals>,
    charge: &Charge,
    add: bool,
) {
    let t = totals.entry(charge.category.clone()).or_default();
    let (msg, total) = if charge.billable {
        (&mut record.billable_deliveries, &mut t.billable_deliveries)
    } else {
        (&mut record.free_deliveries, &mut t.free_deliveries)
    };
    if add {
        *msg += 1;
        *total += 1;
    } else {
        *msg = msg.saturating_sub(1);
        *total = total.saturating_sub(1);
    }
}

/// Both spellings of a person, once either side knows them.
pub(super) fn learn(
    wa: &mut Option<String>,
    user: &mut Option<String>,
    new_wa: Option<String>,
    new_user: Option<String>,
) {
    if wa.is_none() {
        *wa = new_wa;
    }
    if user.is_none() {
        *user = new_user;
    }
}

fn ids(p: &Person<'_>) -> (Option<String>, Option<String>) {
    (
        wa_id_of(p.wa_id.as_deref(), p.input.as_deref()),
        p.user_id.as_deref().map(str::to_owned),
    )
}

/// A person's wa_id, or the phone number they were given as (`+61…` is the wa_id's digits).
pub(super) fn wa_id_of(wa_id: Option<&str>, input: Option<&str>) -> Option<String> {
    wa_id
        .or(input.map(|i| i.strip_prefix('+').unwrap_or(i)))
        .map(str::to_owned)
}

/// One person when any id both sides know matches.
pub(super) fn same(
    a_wa: &Option<String>,
    a_user: &Option<String>,
    b_wa: &Option<String>,
    b_user: &Option<String>,
) -> bool {
    (a_user.is_some() && a_user == b_user) || (a_wa.is_some() && a_wa == b_wa)
}

fn key_of(m: &Member) -> (Option<&String>, Option<&String>) {
    (m.user_id.as_ref(), m.wa_id.as_ref())
}

fn ignored(e: &Event<'_>, reason: &str) -> Ignored {
    Ignored {
        event: e.dedup_key.clone(),
        reason: reason.to_owned(),
    }
}
