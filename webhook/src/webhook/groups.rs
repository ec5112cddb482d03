//! The four group fields' items (`value.groups[]`): lifecycle, participants and join requests,
//! settings, suspension. One item struct for the family, dispatched once on [`GroupType`].

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::envelope::{Field, Place};
use super::event::{key, EventBody, ItemError, Person};
use super::item;
use crate::wire::{open_enum, JoinApprovalMode, Outcome};

/// The group item types, Meta's OpenAPI spellings read as the documented ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GroupType {
    Create,
    Delete,
    ParticipantsAdd,
    ParticipantsRemove,
    JoinRequestCreated,
    JoinRequestRevoked,
    SettingsUpdate,
    Suspend,
    SuspendCleared,
}

impl GroupType {
    fn from_wire(s: &str) -> Option<GroupType> {
        use GroupType as T;
        Some(match s {
            "group_create" => T::Create,
            "group_delete" => T::Delete,
            "group_participants_add" | "group_add_participants" => T::ParticipantsAdd,
            "group_participants_remove" | "group_remove_participants" => T::ParticipantsRemove,
            "group_join_request_created" => T::JoinRequestCreated,
            "group_join_request_revoked" => T::JoinRequestRevoked,
            "group_settings_update" => T::SettingsUpdate,
            "group_suspend" => T::Suspend,
            "group_suspend_cleared" => T::SuspendCleared,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        use GroupType as T;
        match self {
            T::Create => "group_create",
            T::Delete => "group_delete",
            T::ParticipantsAdd => "group_participants_add",
            T::ParticipantsRemove => "group_participants_remove",
            T::JoinRequestCreated => "group_join_request_created",
            T::JoinRequestRevoked => "group_join_request_revoked",
            T::SettingsUpdate => "group_settings_update",
            T::Suspend => "group_suspend",
            T::SuspendCleared => "group_suspend_cleared",
        }
    }

    /// The field whose `groups[]` may carry this type.
    fn field(self) -> Field {
        use GroupType as T;
        match self {
            T::Create | T::Delete => Field::GroupLifecycle,
            T::ParticipantsAdd
            | T::ParticipantsRemove
            | T::JoinRequestCreated
            | T::JoinRequestRevoked => Field::GroupParticipants,
            T::SettingsUpdate => Field::GroupSettings,
            T::Suspend | T::SuspendCleared => Field::GroupStatus,
        }
    }
}

open_enum! {
    /// Who removed participants.
    InitiatedBy { Business = "business", Participant = "participant" }
}

/// `group_create` / `group_delete`. Every member is optional: Meta's samples differ (invite link
/// or participants on success, no group id on failure).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupLifecycle<'a> {
    pub outcome: Outcome,
    pub subject: Option<Cow<'a, str>>,
    pub description: Option<Cow<'a, str>>,
    pub invite_link: Option<Cow<'a, str>>,
    pub join_approval_mode: Option<JoinApprovalMode>,
    /// Present in the OpenAPI shape of `group_create`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added_participants: Vec<Person<'a>>,
}

/// A participant Meta could not act on, with its own errors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FailedParticipant<'a> {
    #[serde(
        default,
        borrow,
        deserialize_with = "item::id_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub wa_id: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_id: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_user_id: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub username: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::id_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub input: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "item::list")]
    pub errors: Vec<ItemError<'a>>,
}

impl FailedParticipant<'_> {
    /// The preferred key of the person, as [`Person::key`].
    pub fn key(&self) -> Option<&str> {
        self.user_id
            .as_deref()
            .or(self.wa_id.as_deref())
            .or(self.input.as_deref())
    }
}

/// `group_participants_add` / `group_participants_remove`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupParticipants<'a> {
    pub outcome: Outcome,
    pub initiated_by: Option<InitiatedBy>,
    pub reason: Option<Cow<'a, str>>,
    pub added_participants: Vec<Person<'a>>,
    pub removed_participants: Vec<Person<'a>>,
    pub failed_participants: Vec<FailedParticipant<'a>>,
}

/// `group_join_request_created` / `group_join_request_revoked`: the requester's identity sits on
/// the item itself.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupJoinRequest<'a> {
    pub join_request_id: Option<Cow<'a, str>>,
    pub requester: Person<'a>,
    pub reason: Option<Cow<'a, str>>,
}

/// One setting's result in `group_settings_update`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SettingResult<'a> {
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub text: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub mime_type: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub sha256: Option<Cow<'a, str>>,
    /// `update_successful` (some samples leave it out).
    #[serde(
        default,
        rename(deserialize = "update_successful"),
        deserialize_with = "item::boolean"
    )]
    pub applied: Option<bool>,
    #[serde(default, deserialize_with = "item::list")]
    pub errors: Vec<ItemError<'a>>,
}

/// `group_settings_update`: a missing block was not part of the update.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupSettings<'a> {
    pub outcome: Outcome,
    pub subject: Option<SettingResult<'a>>,
    pub description: Option<SettingResult<'a>>,
    pub picture: Option<SettingResult<'a>>,
}

/// `group_suspend` / `group_suspend_cleared`: nothing beyond the common members.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupStatus {}

/// Every member a group item may have.
#[derive(Deserialize)]
pub(super) struct GroupItem<'a> {
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    group_id: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    item_type: Cow<'a, str>,
    #[serde(default, deserialize_with = "item::int")]
    timestamp: Option<i64>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    request_id: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "item::list")]
    errors: Vec<ItemError<'a>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    subject: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    description: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    invite_link: Option<Cow<'a, str>>,
    #[serde(default)]
    join_approval_mode: Option<JoinApprovalMode>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    reason: Option<Cow<'a, str>>,
    #[serde(default)]
    initiated_by: Option<InitiatedBy>,
    #[serde(default, deserialize_with = "item::list")]
    added_participants: Vec<Person<'a>>,
    #[serde(default, deserialize_with = "item::list")]
    removed_participants: Vec<Person<'a>>,
    #[serde(default, deserialize_with = "item::list")]
    failed_participants: Vec<FailedParticipant<'a>>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    join_request_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    wa_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    parent_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    username: Option<Cow<'a, str>>,
    #[serde(default)]
    group_subject: Option<SettingResult<'a>>,
    #[serde(default)]
    group_description: Option<SettingResult<'a>>,
    #[serde(default)]
    profile_picture: Option<SettingResult<'a>>,
}

fn outcome(failed: bool, some_done: bool) -> Outcome {
    match (failed, some_done) {
        (false, _) => Outcome::Succeeded,
        (true, true) => Outcome::PartiallyFailed,
        (true, false) => Outcome::Failed,
    }
}

/// One `groups[]` item of a group field.
// Not inlined into the envelope's build: a delivery compiles (wasm compiles lazily, per
// function) and runs only the builders of the item kinds it holds.
/// `read`: the item as the envelope's pass read it; `None` when it was only captured (it is then
/// read here, leniently).
#[inline(never)]
pub(super) fn group_event<'a>(
    place: &Place<'_, 'a>,
    raw: &'a RawValue,
    read: Option<GroupItem<'a>>,
) -> super::Event<'a> {
    let mut warnings = Vec::new();
    let read = place.item::<GroupItem<'static>>(raw, read, ("groups", "group item"), &mut warnings);
    let item = match read {
        Ok(item) => item,
        Err(unknown) => return *unknown,
    };
    let Some(ty) = GroupType::from_wire(&item.item_type) else {
        let reason = format!("unknown group item type {:?}", item.item_type);
        return place.unknown(raw, reason, warnings);
    };
    if ty.field() != place.field {
        // A type under the wrong field stays unknown: guessing from the arrays present could
        // turn one event into another.
        let reason = format!(
            "type {:?} does not belong to field {:?}",
            item.item_type,
            place.field.name()
        );
        return place.unknown(raw, reason, warnings);
    }
    let errors = item.errors;
    let has_errors = !errors.is_empty();
    // Who the item is about, for its dedup key (joined before the members move into the body).
    let mut people: Vec<&str> = item
        .added_participants
        .iter()
        .chain(&item.removed_participants)
        .filter_map(Person::key)
        .chain(
            item.failed_participants
                .iter()
                .filter_map(FailedParticipant::key),
        )
        .collect();
    if let Some(k) = item.user_id.as_deref().or(item.wa_id.as_deref()) {
        people.push(k);
    }
    let people = people.join(",");
    use GroupType as T;
    let body = match ty {
        T::Create | T::Delete => {
            let lifecycle = GroupLifecycle {
                outcome: outcome(has_errors, false),
                subject: item.subject,
                description: item.description,
                invite_link: item.invite_link,
                join_approval_mode: item.join_approval_mode,
                added_participants: item.added_participants,
            };
            if ty == T::Create {
                EventBody::GroupCreate(lifecycle)
            } else {
                EventBody::GroupDelete(lifecycle)
            }
        }
        T::ParticipantsAdd | T::ParticipantsRemove => {
            let failed = has_errors || !item.failed_participants.is_empty();
            let some_done =
                !item.added_participants.is_empty() || !item.removed_participants.is_empty();
            let p = GroupParticipants {
                outcome: outcome(failed, some_done),
                initiated_by: item.initiated_by,
                reason: item.reason,
                added_participants: item.added_participants,
                removed_participants: item.removed_participants,
                failed_participants: item.failed_participants,
            };
            if ty == T::ParticipantsAdd {
                EventBody::GroupParticipantsAdd(p)
            } else {
                EventBody::GroupParticipantsRemove(p)
            }
        }
        T::JoinRequestCreated | T::JoinRequestRevoked => {
            let j = GroupJoinRequest {
                join_request_id: item.join_request_id.clone(),
                requester: Person {
                    wa_id: item.wa_id,
                    user_id: item.user_id,
                    parent_user_id: item.parent_user_id,
                    username: item.username,
                    input: None,
                },
                reason: item.reason,
            };
            if ty == T::JoinRequestCreated {
                EventBody::GroupJoinRequestCreated(j)
            } else {
                EventBody::GroupJoinRequestRevoked(j)
            }
        }
        T::SettingsUpdate => {
            let blocks = [
                item.group_subject,
                item.group_description,
                item.profile_picture,
            ];
            let present = blocks.iter().flatten().count();
            let failed = blocks
                .iter()
                .flatten()
                .filter(|b| b.applied == Some(false) || !b.errors.is_empty())
                .count();
            let [subject, description, picture] = blocks;
            EventBody::GroupSettingsUpdate(GroupSettings {
                outcome: outcome(failed > 0 || has_errors, present > failed),
                subject,
                description,
                picture,
            })
        }
        T::Suspend => EventBody::GroupSuspend(GroupStatus {}),
        T::SuspendCleared => EventBody::GroupSuspendCleared(GroupStatus {}),
    };
    let group_id = item.group_id.filter(|g| !g.is_empty()); // failed creates send ""
    let timestamp = item.timestamp.map(|t| t.to_string()).unwrap_or_default();
    let dedup_key = key(&[
        place.field.name(),
        ty.name(),
        group_id.as_deref().unwrap_or(""),
        &timestamp,
        item.request_id
            .as_deref()
            .or(item.join_request_id.as_deref())
            .unwrap_or(""),
        &people,
    ]);
    let mut e = place.event(body, raw, dedup_key, warnings);
    e.group_id = place.bounded_group_id(group_id, &mut e.warnings);
    e.timestamp = item.timestamp;
    e.request_id = item.request_id;
    e.errors = errors;
    e
}

impl super::item::Item for GroupItem<'static> {
    type Of<'x> = GroupItem<'x>;
}

super::item::detach!(as is: JoinApprovalMode, InitiatedBy);
super::item::detach! {
    FailedParticipant { wa_id, user_id, parent_user_id, username, input, errors }
    SettingResult { text, mime_type, sha256, applied, errors }
    GroupItem {
        group_id, item_type, timestamp, request_id, errors, subject, description, invite_link,
        join_approval_mode, reason, initiated_by, added_participants, removed_participants,
        failed_participants, join_request_id, wa_id, user_id, parent_user_id, username,
        group_subject, group_description, profile_picture,
    }
}
