//! The batch a delivery becomes: one [`Event`] per item, each with the item's exact text
//! (`raw`), its typed members, and the short identifiers handlers route on; what a change shares
//! (its contacts, the members this library does not know) is given once, in [`Change`].

use std::borrow::Cow;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::groups::{
    GroupJoinRequest, GroupLifecycle, GroupParticipants, GroupSettings, GroupStatus,
};
use super::item;
use super::messages::IncomingMessage;
use super::statuses::MessageStatus;
use crate::error::{Classification, GraphCode, Warning};

/// What `parse_webhook` returns: every event in delivery order, and what they share. Borrows the
/// delivery's bytes: `raw` and the unknown members are slices of it.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Batch<'a> {
    /// Members of the delivery's top level this library does not know (exact JSON text).
    #[serde(skip_serializing_if = "Members::is_empty")]
    pub unknown: Members<'a>,
    /// The delivery's `entry[]`, in order.
    pub entries: Vec<Entry<'a>>,
    /// Every `changes[]` item of every entry, in order; events refer to these by index.
    pub changes: Vec<Change<'a>>,
    pub events: Vec<Event<'a>>,
}

/// One `entry[]` item: the WhatsApp Business Account it is about.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Entry<'a> {
    pub waba_id: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Members::is_empty")]
    pub unknown: Members<'a>,
}

/// One `changes[]` item: what its events share, given once.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Change<'a> {
    /// Index into [`Batch::entries`].
    pub entry: usize,
    /// The documented field name (`group_participant_update` is read as
    /// `group_participants_update`).
    #[serde(serialize_with = "serialize_field_name")]
    pub field: Cow<'a, str>,
    pub phone_number_id: Option<Cow<'a, str>>,
    pub display_phone_number: Option<Cow<'a, str>>,
    /// `value.contacts[]`: who sent or received the change's messages.
    pub contacts: Vec<Contact<'a>>,
    /// Members this library does not know, by level (exact JSON text).
    #[serde(skip_serializing_if = "ChangeUnknown::is_empty")]
    pub unknown: ChangeUnknown<'a>,
    /// Problems with the change's own members (an identifier too long to copy, say).
    pub warnings: Vec<Warning>,
}

/// Unknown members of a change, its `value` and the value's `metadata`.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeUnknown<'a> {
    #[serde(skip_serializing_if = "Members::is_empty")]
    pub change: Members<'a>,
    #[serde(skip_serializing_if = "Members::is_empty")]
    pub value: Members<'a>,
    #[serde(skip_serializing_if = "Members::is_empty")]
    pub metadata: Members<'a>,
}

impl ChangeUnknown<'_> {
    pub fn is_empty(&self) -> bool {
        self.change.is_empty() && self.value.is_empty() && self.metadata.is_empty()
    }
}

/// One `value.contacts[]` item, typed, and its exact text.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Contact<'a> {
    pub wa_id: Option<Cow<'a, str>>,
    pub user_id: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_user_id: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<Cow<'a, str>>,
    /// `profile.name`.
    pub name: Option<Cow<'a, str>>,
    #[serde(serialize_with = "raw_text")]
    #[cfg_attr(feature = "schema", schemars(with = "ExactText"))]
    pub raw: &'a RawValue,
}

/// Members by name, each as its exact JSON text, in delivery order.
#[derive(Clone, Debug, Default)]
pub struct Members<'a>(pub Vec<(Cow<'a, str>, &'a RawValue)>);

impl Members<'_> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Members<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Text<'r>(&'r RawValue);
        impl Serialize for Text<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                raw_text(&self.0, s)
            }
        }
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(&super::tape::MemberName(k), &Text(v))?;
        }
        m.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Members<'_> {
    fn schema_name() -> Cow<'static, str> {
        "Members".into()
    }

    /// Each member's exact JSON text.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "additionalProperties": {"type": "string", "format": EXACT_TEXT}})
    }
}

/// The schema format of an exact text: a string to every reader, and what the bindings' generated
/// code looks for to put each text back from its span.
#[cfg(feature = "schema")]
pub const EXACT_TEXT: &str = "exact-text";

/// An exact text, as the schema names it (the field itself is a `&RawValue` or a string).
#[cfg(feature = "schema")]
struct ExactText;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ExactText {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "ExactText".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": EXACT_TEXT})
    }
}

/// A raw JSON value as its exact text: a string in JSON, JS and Python (a position in the
/// delivery in the JS binding's hand-over, see [`super::to_tape`]).
pub(crate) fn raw_text<S: Serializer>(raw: &&RawValue, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(raw.get())
}

/// One item of a delivery, normalised.
// Serialised by hand (below): the body's members first, then these, as one struct.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event<'a> {
    #[cfg_attr(feature = "schema", serde(flatten))]
    pub body: EventBody<'a>,
    /// Index into [`Batch::changes`].
    pub change: usize,
    /// The change's documented field name. These four identifiers are at most 256 bytes long
    /// (a longer one is left off, with a warning on the change).
    pub field: Cow<'a, str>,
    pub waba_id: Option<Cow<'a, str>>,
    pub phone_number_id: Option<Cow<'a, str>>,
    pub display_phone_number: Option<Cow<'a, str>>,
    /// The group the item concerns; `None` for 1:1 traffic and account-level errors.
    pub group_id: Option<Cow<'a, str>>,
    /// Unix seconds.
    pub timestamp: Option<i64>,
    pub request_id: Option<Cow<'a, str>>,
    /// Item-level errors, each classified through the catalog.
    pub errors: Vec<ItemError<'a>>,
    /// Stable across Meta's retries (up to 7 days): store it to handle each event once.
    pub dedup_key: String,
    /// Members left out of the typed view, replaced characters, values too long to copy.
    pub warnings: Vec<Warning>,
    /// The item exactly as delivered: a slice of the delivery's bytes.
    #[cfg_attr(feature = "schema", schemars(with = "ExactText"))]
    pub raw: &'a RawValue,
}

/// The same members as `#[serde(flatten)]` on `body` would give, but written as one struct
/// rather than a map: every key is then a `&'static str`, which the JS binding's hand-over
/// recognises by address instead of by content.
impl Serialize for Event<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // The widest body has 12 members; a serializer may use the count as a hint only.
        let mut st = s.serialize_struct("Event", 12 + 12)?;
        st.serialize_field("type", &ModelText(self.body.type_name()))?;
        let body = super::flat::Flat(&mut st);
        match &self.body {
            EventBody::GroupCreate(b) | EventBody::GroupDelete(b) => b.serialize(body)?,
            EventBody::GroupParticipantsAdd(b) | EventBody::GroupParticipantsRemove(b) => {
                b.serialize(body)?
            }
            EventBody::GroupJoinRequestCreated(b) | EventBody::GroupJoinRequestRevoked(b) => {
                b.serialize(body)?
            }
            EventBody::GroupSettingsUpdate(b) => b.serialize(body)?,
            EventBody::GroupSuspend(b) | EventBody::GroupSuspendCleared(b) => b.serialize(body)?,
            EventBody::Message(b) => b.serialize(body)?,
            EventBody::Status(b) => b.serialize(body)?,
            EventBody::Error(b) => b.serialize(body)?,
            EventBody::Unknown(b) => b.serialize(body)?,
        }
        st.serialize_field("change", &self.change)?;
        st.serialize_field("field", &field_name(&self.field))?;
        st.serialize_field("waba_id", &self.waba_id)?;
        st.serialize_field("phone_number_id", &self.phone_number_id)?;
        st.serialize_field("display_phone_number", &self.display_phone_number)?;
        st.serialize_field("group_id", &self.group_id)?;
        st.serialize_field("timestamp", &self.timestamp)?;
        st.serialize_field("request_id", &self.request_id)?;
        st.serialize_field("errors", &self.errors)?;
        st.serialize_field("dedup_key", &self.dedup_key)?;
        st.serialize_field("warnings", &self.warnings)?;
        st.serialize_field("raw", self.raw.get())?;
        st.end()
    }
}

/// A text of the model's own (`&'static`): a string to every serializer, written as a unit
/// variant so that the JS hand-over can send it by id instead of copying it each time.
pub(crate) struct ModelText(pub(crate) &'static str);

impl Serialize for ModelText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit_variant("", 0, self.0)
    }
}

/// A change's field name: the model's own text when it is a documented one.
pub(crate) fn field_name(name: &str) -> FieldName<'_> {
    let known = super::envelope::Field::from_wire(name).name();
    if !known.is_empty() && known == name {
        FieldName::Known(ModelText(known))
    } else {
        FieldName::Other(name)
    }
}

pub(crate) enum FieldName<'f> {
    Known(ModelText),
    Other(&'f str),
}

impl Serialize for FieldName<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldName::Known(t) => t.serialize(s),
            FieldName::Other(t) => s.serialize_str(t),
        }
    }
}

/// The `type`-tagged part of an event. Group types use Meta's documented names.
// Sizes differ, but each event is built once and moved a few times: boxing buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventBody<'a> {
    GroupCreate(GroupLifecycle<'a>),
    GroupDelete(GroupLifecycle<'a>),
    GroupParticipantsAdd(GroupParticipants<'a>),
    GroupParticipantsRemove(GroupParticipants<'a>),
    GroupJoinRequestCreated(GroupJoinRequest<'a>),
    GroupJoinRequestRevoked(GroupJoinRequest<'a>),
    GroupSettingsUpdate(GroupSettings<'a>),
    GroupSuspend(GroupStatus),
    GroupSuspendCleared(GroupStatus),
    /// An incoming message (in a group when `group_id` is set).
    Message(IncomingMessage<'a>),
    /// A status of a message the business sent.
    Status(MessageStatus<'a>),
    /// A value-level error (account, app or throughput): not tied to a message.
    Error(ValueError),
    /// Anything not recognised: the item is in `raw`.
    Unknown(Unrecognised),
}

impl EventBody<'_> {
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

/// A person as Meta names them in webhooks: every identity member optional (only a
/// business-scoped `user_id` may be known).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Person<'a> {
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
}

impl Person<'_> {
    /// The preferred key of a person: `user_id` (stable even when the number changes), then
    /// `wa_id`, then `input`.
    pub fn key(&self) -> Option<&str> {
        self.user_id
            .as_deref()
            .or(self.wa_id.as_deref())
            .or(self.input.as_deref())
    }
}

/// A Graph error object inside an item, with its classification through the catalog.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemError<'a> {
    /// Meta's code: an integer (a numeric string is read as one), anything else kept as text.
    pub code: GraphCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_data: Option<ItemErrorData<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<Cow<'a, str>>,
    /// Derived from `code` as the error is read.
    pub classification: Classification,
}

/// An item error as Meta sends it; [`ItemError`] adds its classification.
#[derive(Deserialize)]
struct ItemErrorWire<'a> {
    #[serde(default)]
    code: GraphCode,
    #[serde(default, borrow, deserialize_with = "item::text")]
    title: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    message: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    error_data: Option<ItemErrorData<'a>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    href: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ItemError<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ItemErrorWire::deserialize(d)?;
        Ok(ItemError {
            classification: crate::error::classify_code(&w.code),
            code: w.code,
            title: w.title,
            message: w.message,
            error_data: w.error_data,
            href: w.href,
        })
    }
}

/// `error_data` of an item error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemErrorData<'a> {
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub details: Option<Cow<'a, str>>,
}

// The signature serde's `serialize_with` calls.
#[allow(clippy::ptr_arg)]
fn serialize_field_name<S: Serializer>(name: &Cow<'_, str>, s: S) -> Result<S::Ok, S::Error> {
    field_name(name).serialize(s)
}

/// `parts` joined with `|`: dedup and charge keys, built without the formatting machinery (one
/// or two per event, on every user's hot path).
pub(crate) fn key(parts: &[&str]) -> String {
    let len = parts.iter().map(|p| p.len() + 1).sum();
    let mut out = String::with_capacity(len);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        out.push_str(part);
    }
    out
}

/// 24 hex digits of SHA-256 over an item's exact text: the dedup key of items without an id.
pub(crate) fn short_hash(raw: &RawValue) -> String {
    let digest = Sha256::digest(raw.get().as_bytes());
    let mut out = String::with_capacity(24);
    for b in digest.iter().take(12) {
        for nibble in [b >> 4, b & 0xf] {
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

impl super::item::Item for ItemError<'static> {
    type Of<'x> = ItemError<'x>;
}

super::item::detach!(as is: GraphCode, Classification);
super::item::detach! {
    ItemError { code, title, message, error_data, href, classification }
    ItemErrorData { details }
    Person { wa_id, user_id, parent_user_id, username, input }
}
