//! The normalised event model: one [`Event`] per item of a delivery, with common members, a
//! `type` tag, type-specific members, unknown members kept (`extra`), and the raw item.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire::{
    lenient_bool, lenient_i64, list_or_null, open_enum, ErrorObject, Extra, JoinApprovalMode,
    Outcome, Participant,
};

/// One item of a delivery, normalised.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event {
    #[serde(flatten)]
    pub body: EventBody,
    /// The documented field name (`group_participant_update` is read as `group_participants_update`).
    pub field: String,
    pub waba_id: Option<String>,
    pub phone_number_id: Option<String>,
    pub display_phone_number: Option<String>,
    /// The group the item concerns; `None` for 1:1 traffic and account-level errors.
    pub group_id: Option<String>,
    /// Unix seconds.
    pub timestamp: Option<i64>,
    pub request_id: Option<String>,
    /// Item-level errors, each classified through the catalog.
    pub errors: Vec<ErrorObject>,
    /// Stable across Meta's retries (up to 7 days): store it to handle each event once.
    pub dedup_key: String,
    /// Unknown members of the delivery, the entry, the change and the value (`contacts` among
    /// them), when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope: Option<std::sync::Arc<Map<String, Value>>>,
    /// The item exactly as delivered.
    pub raw: Value,
}

/// The `type`-tagged part of an event. Group types use Meta's documented names.
// Sizes differ, but each event is built once and moved a few times: boxing buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventBody {
    GroupCreate(GroupLifecycle),
    GroupDelete(GroupLifecycle),
    GroupParticipantsAdd(GroupParticipants),
    GroupParticipantsRemove(GroupParticipants),
    GroupJoinRequestCreated(GroupJoinRequest),
    GroupJoinRequestRevoked(GroupJoinRequest),
    GroupSettingsUpdate(GroupSettings),
    GroupSuspend(GroupStatus),
    GroupSuspendCleared(GroupStatus),
    /// An incoming message (in a group when `group_id` is set).
    Message(IncomingMessage),
    /// A status of a message the business sent.
    Status(MessageStatus),
    /// A value-level error (account, app or throughput): not tied to a message.
    Error(ValueError),
    /// Anything not recognised, kept whole in `raw`.
    Unknown(Unrecognised),
}

impl EventBody {
    /// The serialised `type` tag.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventBody::GroupCreate(_) => "group_create",
            EventBody::GroupDelete(_) => "group_delete",
            EventBody::GroupParticipantsAdd(_) => "group_participants_add",
            EventBody::GroupParticipantsRemove(_) => "group_participants_remove",
            EventBody::GroupJoinRequestCreated(_) => "group_join_request_created",
            EventBody::GroupJoinRequestRevoked(_) => "group_join_request_revoked",
            EventBody::GroupSettingsUpdate(_) => "group_settings_update",
            EventBody::GroupSuspend(_) => "group_suspend",
            EventBody::GroupSuspendCleared(_) => "group_suspend_cleared",
            EventBody::Message(_) => "message",
            EventBody::Status(_) => "status",
            EventBody::Error(_) => "error",
            EventBody::Unknown(_) => "unknown",
        }
    }
}

open_enum! {
    /// Who removed participants.
    InitiatedBy { Business = "business", Participant = "participant" }
}

/// `group_create` / `group_delete`. Every member but `type` is optional: Meta's samples differ
/// (invite link or participants on success, no group id on failure).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupLifecycle {
    pub outcome: Outcome,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub invite_link: Option<String>,
    pub join_approval_mode: Option<JoinApprovalMode>,
    /// Present in the OpenAPI shape of `group_create`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added_participants: Vec<Participant>,
    pub extra: Extra,
}

/// A participant Meta could not act on, with its own errors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FailedParticipant {
    #[serde(flatten)]
    pub participant: Participant,
    #[serde(default, deserialize_with = "list_or_null")]
    pub errors: Vec<ErrorObject>,
}

/// `group_participants_add` / `group_participants_remove`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupParticipants {
    pub outcome: Outcome,
    pub initiated_by: Option<InitiatedBy>,
    pub reason: Option<String>,
    pub added_participants: Vec<Participant>,
    pub removed_participants: Vec<Participant>,
    pub failed_participants: Vec<FailedParticipant>,
    pub extra: Extra,
}

/// `group_join_request_created` / `group_join_request_revoked`: the requester's identity sits on
/// the item itself.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupJoinRequest {
    pub join_request_id: Option<String>,
    pub requester: Participant,
    pub reason: Option<String>,
    pub extra: Extra,
}

/// One setting's result in `group_settings_update`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SettingResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// `update_successful` (some samples leave it out).
    #[serde(
        default,
        rename(deserialize = "update_successful"),
        deserialize_with = "lenient_bool"
    )]
    pub applied: Option<bool>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub errors: Vec<ErrorObject>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `group_settings_update`: a missing block was not part of the update.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupSettings {
    pub outcome: Outcome,
    pub subject: Option<SettingResult>,
    pub description: Option<SettingResult>,
    pub picture: Option<SettingResult>,
    pub extra: Extra,
}

/// `group_suspend` / `group_suspend_cleared`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupStatus {
    pub extra: Extra,
}

open_enum! {
    /// Message types the normaliser knows; any other is kept as `Other`.
    MessageKind {
        Text = "text", Image = "image", Video = "video", Audio = "audio", Document = "document",
        Sticker = "sticker", Location = "location", Contacts = "contacts", Reaction = "reaction",
        Interactive = "interactive", Button = "button", Order = "order", System = "system",
        Unsupported = "unsupported",
    }
}

/// Media of an incoming message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Media {
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Download URL (bearer token required, short-lived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub voice: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub animated: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An incoming message.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IncomingMessage {
    pub message_id: Option<String>,
    /// The sender's phone number / WhatsApp id; absent for BSUID-only senders.
    pub from: Option<String>,
    pub from_user_id: Option<String>,
    pub from_parent_user_id: Option<String>,
    pub kind: MessageKind,
    /// `text.body` for text messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// For image, video, audio, document and sticker messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    /// The member named after any other type (location, reaction, interactive…), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
    /// `context` (a reply or forward), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// The sender's entry of `value.contacts[]`, when one matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Value>,
    pub extra: Extra,
}

open_enum! {
    /// Delivery states; `played` exists for voice messages, others may appear.
    DeliveryStatus { Sent = "sent", Delivered = "delivered", Read = "read", Failed = "failed", Played = "played" }
}

/// `pricing` of a status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Pricing {
    #[serde(
        default,
        deserialize_with = "lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub billable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_model: Option<String>,
    /// `regular` (charged) or `free_group_customer_service`; unknown strings kept.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub pricing_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Pricing {
    /// `type == "regular"` (what Meta bills since per-message pricing), falling back to the older
    /// `billable` flag without a type.
    pub fn is_billable(&self) -> bool {
        match &self.pricing_type {
            Some(t) => t == "regular",
            None => self.billable == Some(true),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConversationOrigin {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub origin_type: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `conversation` (optional from v24.0). A `pricing` nested here is lifted to the status
/// (Meta's samples put it in either place) and also kept in `extra`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Conversation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_timestamp: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<ConversationOrigin>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A status of a message the business sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageStatus {
    pub message_id: Option<String>,
    pub status: Option<DeliveryStatus>,
    pub recipient_id: Option<String>,
    pub recipient_type: Option<String>,
    /// The participant's phone number (`recipient_participant_id` or the OpenAPI spelling
    /// `participant_recipient_id`); absent on group-wide statuses.
    pub recipient_participant_id: Option<String>,
    pub recipient_participant_user_id: Option<String>,
    pub recipient_participant_parent_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_identity_key_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    pub conversation: Option<Conversation>,
    pub pricing: Option<Pricing>,
    /// `read` and `played` imply delivered, even when no `delivered` status arrived.
    pub delivered: bool,
    /// One charge per (wamid, participant): set on participant statuses with billable pricing,
    /// never on the group-wide `sent`. Count distinct keys to count charges.
    pub charge_key: Option<String>,
    /// The participant's entry of `value.contacts[]`, when one matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Value>,
    pub extra: Extra,
}

/// A value-level error: the error itself is the event's only `errors[]` item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ValueError {}

/// Why an item was not recognised.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Unrecognised {
    pub reason: String,
}

/// What `parse_webhook` returns: every event, in delivery order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Batch {
    pub events: Vec<Event>,
}
