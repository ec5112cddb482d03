//! Incoming messages (`value.messages[]` of the `messages` field), in groups and 1:1.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::envelope::Place;
use super::event::{key, short_hash, EventBody, ItemError};
use super::item;
use super::raw_json::RawJson;
use crate::wire::open_enum;

open_enum! {
    /// Message types the normaliser knows; any other is kept as `Other`.
    MessageKind {
        Text = "text", Image = "image", Video = "video", Audio = "audio", Document = "document",
        Sticker = "sticker", Location = "location", Contacts = "contacts", Reaction = "reaction",
        Interactive = "interactive", Button = "button", Order = "order", System = "system",
        Unsupported = "unsupported",
    }
}

/// Media<'a> of an incoming message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Media<'a> {
    #[serde(
        default,
        borrow,
        deserialize_with = "item::id_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<Cow<'a, str>>,
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
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub caption: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub filename: Option<Cow<'a, str>>,
    /// Download URL (bearer token required, short-lived).
    #[serde(
        default,
        borrow,
        deserialize_with = "item::text",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Cow<'a, str>>,
    #[serde(
        default,
        deserialize_with = "item::boolean",
        skip_serializing_if = "Option::is_none"
    )]
    pub voice: Option<bool>,
    #[serde(
        default,
        deserialize_with = "item::boolean",
        skip_serializing_if = "Option::is_none"
    )]
    pub animated: Option<bool>,
}

/// An incoming message.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IncomingMessage<'a> {
    pub message_id: Option<Cow<'a, str>>,
    /// The sender's phone number / WhatsApp id; absent for senders known only by `user_id`.
    pub from: Option<Cow<'a, str>>,
    pub from_user_id: Option<Cow<'a, str>>,
    pub from_parent_user_id: Option<Cow<'a, str>>,
    /// The sender's profile name, from the change's `contacts[]`.
    pub contact_name: Option<Cow<'a, str>>,
    pub kind: MessageKind,
    /// `text.body` for text messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Cow<'a, str>>,
    /// For image, video, audio, document and sticker messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<Media<'a>>,
    /// The member named after the other known types (location, reaction, interactive…), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<RawJson<'a>>,
    /// `context` (a reply or forward), as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<RawJson<'a>>,
}

#[derive(Deserialize)]
struct TextContent<'a> {
    #[serde(default, borrow, deserialize_with = "item::text")]
    body: Option<Cow<'a, str>>,
}

/// Every member a message item may have; the content sits under the member named by `type`.
#[derive(Deserialize)]
pub(super) struct MessageItem<'a> {
    #[serde(default, borrow, deserialize_with = "item::text")]
    id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    from: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    from_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    from_parent_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    group_id: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "item::int")]
    timestamp: Option<i64>,
    #[serde(rename = "type", default, borrow, deserialize_with = "item::text")]
    kind: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "item::list")]
    errors: Vec<ItemError<'a>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    context: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    text: Option<TextContent<'a>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    image: Option<Media<'a>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    video: Option<Media<'a>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    audio: Option<Media<'a>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    document: Option<Media<'a>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    sticker: Option<Media<'a>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    location: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    contacts: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    reaction: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    interactive: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    button: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    order: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    system: Option<Cow<'a, RawValue>>,
    #[serde(default, borrow, deserialize_with = "item::raw")]
    unsupported: Option<Cow<'a, RawValue>>,
}

// Not inlined into the envelope's build: a delivery compiles (wasm compiles lazily, per
// function) and runs only the builders of the item kinds it holds.
/// `read`: the item as the envelope's pass read it; `None` when it was only captured (it is then
/// read here, leniently).
#[inline(never)]
pub(super) fn message_event<'a>(
    place: &Place<'_, 'a>,
    raw: &'a RawValue,
    read: Option<MessageItem<'a>>,
) -> super::Event<'a> {
    let mut warnings = Vec::new();
    let read =
        place.item::<MessageItem<'static>>(raw, read, ("messages", "message"), &mut warnings);
    let item = match read {
        Ok(item) => item,
        Err(unknown) => return *unknown,
    };
    let kind = MessageKind::from_wire(item.kind.as_deref().unwrap_or(""));
    let mut text = None;
    let mut media = None;
    let mut content = None;
    match &kind {
        MessageKind::Text => text = item.text.and_then(|t| t.body),
        MessageKind::Image => media = item.image,
        MessageKind::Video => media = item.video,
        MessageKind::Audio => media = item.audio,
        MessageKind::Document => media = item.document,
        MessageKind::Sticker => media = item.sticker,
        MessageKind::Location => content = item.location,
        MessageKind::Contacts => content = item.contacts,
        MessageKind::Reaction => content = item.reaction,
        MessageKind::Interactive => content = item.interactive,
        MessageKind::Button => content = item.button,
        MessageKind::Order => content = item.order,
        MessageKind::System => content = item.system,
        MessageKind::Unsupported => content = item.unsupported,
        MessageKind::Other(_) => {}
    }
    let content = content.and_then(|raw| RawJson::checked(raw, kind.as_str(), &mut warnings));
    let context = (item.context).and_then(|raw| RawJson::checked(raw, "context", &mut warnings));
    let contact_name = place.contact_name(
        item.from.as_deref(),
        item.from_user_id.as_deref(),
        &mut warnings,
    );
    let dedup_key = match &item.id {
        Some(id) => key(&["message", id]),
        None => key(&["message", &short_hash(raw)]),
    };
    let msg = IncomingMessage {
        message_id: item.id,
        from: item.from,
        from_user_id: item.from_user_id,
        from_parent_user_id: item.from_parent_user_id,
        contact_name,
        kind,
        text,
        media,
        content,
        context,
    };
    let mut e = place.event(EventBody::Message(msg), raw, dedup_key, warnings);
    e.group_id = place.bounded_group_id(item.group_id.filter(|g| !g.is_empty()), &mut e.warnings);
    e.timestamp = item.timestamp;
    e.errors = item.errors;
    e
}

impl super::item::Item for MessageItem<'static> {
    type Of<'x> = MessageItem<'x>;

    fn kept_text<'x>(item: &Self::Of<'x>, name: &str) -> Option<&'x str> {
        let kept = match name {
            "context" => &item.context,
            "location" => &item.location,
            "contacts" => &item.contacts,
            "reaction" => &item.reaction,
            "interactive" => &item.interactive,
            "button" => &item.button,
            "order" => &item.order,
            "system" => &item.system,
            "unsupported" => &item.unsupported,
            _ => return None,
        };
        match kept {
            Some(Cow::Borrowed(raw)) => Some(raw.get()),
            _ => None,
        }
    }
}

super::item::detach! {
    TextContent { body }
    Media { id, mime_type, sha256, caption, filename, url, voice, animated }
    MessageItem {
        id, from, from_user_id, from_parent_user_id, group_id, timestamp, kind, errors, context,
        text, image, video, audio, document, sticker, location, contacts, reaction, interactive,
        button, order, system, unsupported,
    }
}
