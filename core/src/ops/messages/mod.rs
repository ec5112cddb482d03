//! Messages to a group, pins, and the invite-link template sent 1:1. All go to
//! `POST /{phone-number-id}/messages`; the library sets `recipient_type` and `to`. All reply
//! with [`MessageSent`].

mod content;
mod invite_template;
mod pin;
mod send;
mod template;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ops::json_body;
use crate::ops::Parts;
use crate::validate::Problems;
use crate::wire::{list_or_null, Extra};

pub(crate) use invite_template::send_invite_link_template;
pub(crate) use pin::{pin_message, unpin_message};
pub(crate) use send::send_message;
pub use send::GROUP_MESSAGE_TYPES;

/// `POST /{phone-number-id}/messages` with `members` (after `messaging_product`), carrying the
/// warnings `p` collected.
fn post_message(p: Problems, phone: &str, members: Vec<(&str, Value)>) -> Parts {
    p.parts(&[phone], &[], json_body(members))
}

/// `POST /{phone-number-id}/messages`: the wamid, whose statuses arrive by webhook.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageSent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub contacts: Vec<SentContact>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub messages: Vec<SentMessage>,
    #[serde(flatten)]
    pub extra: Extra,
    /// `messages[0].id`, the id to correlate statuses with.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SentContact {
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub input: Option<String>,
    /// Optional: Meta returns it for phone-number recipients, not reliably for groups.
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub wa_id: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SentMessage {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_status: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl MessageSent {
    pub(crate) fn with_message_id(mut self) -> Self {
        self.message_id = self.messages.first().map(|m| m.id.clone());
        self
    }
}
