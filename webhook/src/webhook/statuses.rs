//! Statuses of messages the business sent (`value.statuses[]` of the `messages` field),
//! including the per-participant statuses of group messages and their pricing.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::envelope::Place;
use super::event::{key, short_hash, EventBody, ItemError};
use super::item;
use crate::wire::open_enum;

open_enum! {
    /// Delivery states; `played` exists for voice messages, others may appear.
    DeliveryStatus { Sent = "sent", Delivered = "delivered", Read = "read", Failed = "failed", Played = "played" }
}

/// `pricing` of a status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Pricing<'a> {
    #[serde(
        default,
        deserialize_with = "item::boolean",
        skip_serializing_if = "Option::is_none"
    )]
    pub billable: Option<bool>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub pricing_model: Option<Cow<'a, str>>,
    /// `regular` (charged) or `free_group_customer_service`; unknown strings kept.
    #[serde(
        default,
        rename = "type",
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub pricing_type: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub category: Option<Cow<'a, str>>,
}

impl Pricing<'_> {
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
pub struct ConversationOrigin<'a> {
    #[serde(
        default,
        rename = "type",
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub origin_type: Option<Cow<'a, str>>,
}

/// `conversation` (optional from v24.0). A `pricing` nested here is lifted to the status (Meta's
/// samples put it in either place).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Conversation<'a> {
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<Cow<'a, str>>,
    #[serde(
        default,
        deserialize_with = "item::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_timestamp: Option<i64>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub origin: Option<ConversationOrigin<'a>>,
    #[serde(default, borrow, deserialize_with = "item::object", skip_serializing)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pricing: Option<Pricing<'a>>,
}

/// A status of a message the business sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageStatus<'a> {
    pub message_id: Option<Cow<'a, str>>,
    pub status: Option<DeliveryStatus>,
    pub recipient_id: Option<Cow<'a, str>>,
    pub recipient_type: Option<Cow<'a, str>>,
    /// The participant's phone number (`recipient_participant_id` or the OpenAPI spelling
    /// `participant_recipient_id`); absent on group-wide statuses.
    pub recipient_participant_id: Option<Cow<'a, str>>,
    pub recipient_participant_user_id: Option<Cow<'a, str>>,
    pub recipient_participant_parent_user_id: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_identity_key_hash: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<Cow<'a, str>>,
    pub conversation: Option<Conversation<'a>>,
    pub pricing: Option<Pricing<'a>>,
    /// `read` and `played` imply delivered, even when no `delivered` status arrived.
    pub delivered: bool,
    /// One charge per (wamid, participant): set on participant statuses with billable pricing,
    /// never on the group-wide `sent`. Count distinct keys to count charges.
    pub charge_key: Option<Cow<'a, str>>,
    /// The recipient's profile name, from the change's `contacts[]`.
    pub contact_name: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(super) struct StatusItem<'a> {
    #[serde(default, borrow, deserialize_with = "item::text")]
    id: Option<Cow<'a, str>>,
    #[serde(default)]
    status: Option<DeliveryStatus>,
    #[serde(default, deserialize_with = "item::int")]
    timestamp: Option<i64>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    recipient_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    recipient_type: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    recipient_participant_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    participant_recipient_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    recipient_participant_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    recipient_participant_parent_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    recipient_identity_key_hash: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    biz_opaque_callback_data: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    group_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    conversation: Option<Conversation<'a>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    pricing: Option<Pricing<'a>>,
    #[serde(default, deserialize_with = "item::list")]
    errors: Vec<ItemError<'a>>,
}

// Not inlined into the envelope's build: a delivery compiles (wasm compiles lazily, per
// function) and runs only the builders of the item kinds it holds.
/// `read`: the item as the envelope's pass read it; `None` when it was only captured (it is then
/// read here, leniently).
#[inline(never)]
pub(super) fn status_event<'a>(
    place: &Place<'_, 'a>,
    raw: &'a RawValue,
    read: Option<StatusItem<'a>>,
) -> super::Event<'a> {
    let mut warnings = Vec::new();
    let read = place.item::<StatusItem<'static>>(raw, read, ("statuses", "status"), &mut warnings);
    let mut item = match read {
        Ok(item) => item,
        Err(unknown) => return *unknown,
    };
    // Either spelling (guides or OpenAPI); `recipient_participant_id` wins.
    let participant = item
        .recipient_participant_id
        .take()
        .or(item.participant_recipient_id.take());
    // A sibling `pricing` wins over one nested in `conversation` (samples use both places).
    let nested = item.conversation.as_mut().and_then(|c| c.pricing.take());
    let pricing = item.pricing.take().or(nested);
    // The group is `recipient_id` for group statuses, else an OpenAPI-style `group_id`.
    let group_id = if item.recipient_type.as_deref() == Some("group") {
        item.recipient_id.clone()
    } else {
        item.group_id.take()
    }
    .filter(|g| !g.is_empty());
    let who = item
        .recipient_participant_user_id
        .clone()
        .or(participant.clone());
    let delivered = matches!(
        item.status,
        Some(DeliveryStatus::Delivered | DeliveryStatus::Read | DeliveryStatus::Played)
    );
    let charge_key = match (&item.id, &who, &pricing) {
        (Some(id), Some(p), Some(pr)) if pr.is_billable() => Some(key(&[id, p])),
        _ => None,
    };
    let hash;
    let dedup_key = key(&[
        "status",
        match &item.id {
            Some(id) => id,
            None => {
                hash = short_hash(raw);
                &hash
            }
        },
        item.status.as_ref().map(|s| s.as_str()).unwrap_or_default(),
        who.as_deref().unwrap_or("group"),
    ]);
    let contact_name = place.contact_name(
        participant.as_deref(),
        item.recipient_participant_user_id.as_deref(),
        &mut warnings,
    );
    let status = MessageStatus {
        message_id: item.id,
        status: item.status,
        recipient_id: item.recipient_id,
        recipient_type: item.recipient_type,
        recipient_participant_id: participant,
        recipient_participant_user_id: item.recipient_participant_user_id,
        recipient_participant_parent_user_id: item.recipient_participant_parent_user_id,
        recipient_identity_key_hash: item.recipient_identity_key_hash,
        biz_opaque_callback_data: item.biz_opaque_callback_data,
        conversation: item.conversation,
        pricing,
        delivered,
        charge_key: charge_key.map(Cow::Owned),
        contact_name,
    };
    let mut e = place.event(EventBody::Status(status), raw, dedup_key, warnings);
    e.group_id = place.bounded_group_id(group_id, &mut e.warnings);
    e.timestamp = item.timestamp;
    e.errors = item.errors;
    e
}

impl super::item::Item for StatusItem<'static> {
    type Of<'x> = StatusItem<'x>;
}

super::item::detach!(as is: DeliveryStatus);
super::item::detach! {
    Pricing { billable, pricing_model, pricing_type, category }
    ConversationOrigin { origin_type }
    Conversation { id, expiration_timestamp, origin, pricing }
    StatusItem {
        id, status, timestamp, recipient_id, recipient_type, recipient_participant_id,
        participant_recipient_id, recipient_participant_user_id,
        recipient_participant_parent_user_id, recipient_identity_key_hash,
        biz_opaque_callback_data, group_id, conversation, pricing, errors,
    }
}
