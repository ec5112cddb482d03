//! What the replies to the business's own calls teach the state. Some outcomes send no webhook
//! (a rejected join request, a reset or deleted invite link) and a creation is only matched to
//! its group through the `request_id` its reply gave, so a handler applies those replies too.
//!
//! Choices where Meta documents no body: `update_group_settings` changes the state only when its
//! reply says `success: true` (otherwise the `group_settings_update` webhook decides, setting by
//! setting); `remove_participants` records the departures only when the reply says the whole
//! call succeeded (a partial reply does not say who stayed; the webhook does).

use serde_json::Value;

use super::fold::{wa_id_of, Applied, Ignored, StateChange};
use super::model::{GroupState, GroupStatusValue, Setting};
use crate::ops::{Operation, Outcome, Reply};

impl GroupState {
    /// Fold the successful `reply` of `operation`, called with `params`, received at `now`
    /// (Unix seconds). A `create_group` reply is applied to a new state (`GroupState::new("")`):
    /// it then waits for the `group_create` event carrying the same `request_id`, and takes the
    /// group id from it. Replies of other groups, and replies that change nothing, are listed as
    /// ignored.
    pub fn apply_reply(
        &mut self,
        operation: Operation,
        params: &Value,
        reply: &Reply,
        now: i64,
    ) -> Applied {
        let mut out = Applied::default();
        let skip = |out: &mut Applied, reason: &str| {
            out.ignored.push(Ignored {
                event: format!("reply:{operation}"),
                reason: reason.to_owned(),
            });
        };
        if operation == Operation::CreateGroup {
            match reply {
                Reply::GroupCreated(r) if self.group_id.is_empty() => match &r.request_id {
                    Some(id) if self.create_request_id.as_ref() != Some(id) => {
                        self.create_request_id = Some(id.clone());
                        if self.status == GroupStatusValue::Unknown {
                            // No time fact: the `group_create` event settles the status.
                            self.status = GroupStatusValue::Creating;
                        }
                        out.changes.push(StateChange::GroupCreateRequested {
                            request_id: id.clone(),
                            at: now,
                        });
                    }
                    Some(_) => {}
                    None => skip(&mut out, "the create_group reply has no request_id"),
                },
                _ => skip(&mut out, "a create_group reply goes to a new state"),
            }
            return out;
        }
        match params.get("group_id").and_then(Value::as_str) {
            Some(g) if g == self.group_id => {}
            Some(_) => {
                skip(&mut out, "another group");
                return out;
            }
            None => {
                skip(&mut out, "not about a group");
                return out;
            }
        }
        let gid = self.group_id.clone();
        match (operation, reply) {
            (Operation::DeleteGroup, Reply::Accepted(a)) if a.success != Some(false) => {
                if self.set_status(GroupStatusValue::Deleted, now) {
                    out.changes.push(StateChange::GroupDeleted {
                        group_id: gid,
                        at: now,
                    });
                }
            }
            (
                Operation::ApproveJoinRequests | Operation::RejectJoinRequests,
                Reply::JoinRequestsResult(r),
            ) => {
                let answered = r
                    .approved_join_requests
                    .iter()
                    .chain(r.rejected_join_requests.iter())
                    .flatten();
                for id in answered {
                    self.close_request(id, now, &mut out);
                }
            }
            (Operation::RemoveParticipants, Reply::Participants(r)) => {
                if r.outcome != Outcome::Succeeded {
                    skip(
                        &mut out,
                        "not every removal succeeded: the group_participants_remove webhook names who left",
                    );
                    return out;
                }
                let items = params.get("participants").and_then(Value::as_array);
                for p in items.into_iter().flatten() {
                    let wa_id = wa_id_of(None, p.get("user").and_then(Value::as_str));
                    let user_id = p.get("user_id").and_then(Value::as_str).map(str::to_owned);
                    self.leave_ids(wa_id, user_id, now, &mut out);
                }
            }
            (Operation::UpdateGroupSettings, Reply::Accepted(a)) => {
                if a.success != Some(true) {
                    skip(
                        &mut out,
                        "the group_settings_update webhook says which settings were applied",
                    );
                    return out;
                }
                for (name, key) in [
                    (Setting::Subject, "subject"),
                    (Setting::Description, "description"),
                ] {
                    if let Some(v) = params.get(key).and_then(Value::as_str) {
                        let v = if name == Setting::Subject {
                            v.trim()
                        } else {
                            v
                        };
                        self.setting(name, Some(v), now, &mut out);
                    }
                }
            }
            (Operation::GetInviteLink | Operation::ResetInviteLink, Reply::InviteLink(r)) => {
                self.setting(Setting::InviteLink, Some(&r.invite_link), now, &mut out);
            }
            (Operation::DeleteInviteLink, Reply::Accepted(a)) if a.success != Some(false) => {
                self.setting(Setting::InviteLink, None, now, &mut out);
            }
            _ => skip(&mut out, "this reply changes no group state"),
        }
        out
    }
}
