//! The envelope of a delivery (`object`, `entry[]`, `changes[]`, each change's `value`), read in
//! one borrowing pass: the known members typed, every item captured as its exact text
//! ([`RawValue`]) for the item parsers, every unknown member kept as its exact text.
//!
//! Shape problems are recorded where they are found instead of failing the serde pass, so that
//! a delivery for another `object` is reported as such even when its shape differs too.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::event::{
    short_hash, Batch, Change, ChangeUnknown, Contact, Entry, Event, EventBody, ItemError, Members,
    Unrecognised, ValueError,
};
use super::item::{self, decode_item};
use super::{groups, messages, statuses, WebhookError, WebhookLimits};
use crate::error::{Code, Warning};

/// The longest identifier or name copied onto every event of a change. Real ones are far
/// shorter (group ids ~60 bytes); a longer one is left off the events, with a warning, so that
/// one padded member cannot be multiplied by the number of events.
pub const MAX_COPIED_BYTES: usize = 256;

/// The fields this library reads, the OpenAPI spelling read as the documented one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    GroupLifecycle,
    GroupParticipants,
    GroupSettings,
    GroupStatus,
    Messages,
    Other,
    /// Not known yet (`value` came before `field`): every item member is read.
    Any,
}

impl Field {
    fn from_wire(s: &str) -> Field {
        match s {
            "group_lifecycle_update" => Field::GroupLifecycle,
            "group_participants_update" | "group_participant_update" => Field::GroupParticipants,
            "group_settings_update" => Field::GroupSettings,
            "group_status_update" => Field::GroupStatus,
            "messages" => Field::Messages,
            _ => Field::Other,
        }
    }

    /// The documented name; empty for fields this library does not know.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::GroupLifecycle => "group_lifecycle_update",
            Field::GroupParticipants => "group_participants_update",
            Field::GroupSettings => "group_settings_update",
            Field::GroupStatus => "group_status_update",
            Field::Messages => "messages",
            Field::Other | Field::Any => "",
        }
    }

    /// The `value` member an item array of this field sits under.
    fn item_kind(self, key: &str) -> Option<ItemKind> {
        match (self, key) {
            (Field::Any, "groups") => Some(ItemKind::Group),
            (Field::Any, "messages") => Some(ItemKind::Message),
            (Field::Any, "statuses") => Some(ItemKind::Status),
            (Field::Any, "errors") => Some(ItemKind::Error),
            (Field::Any, _) => None,
            (Field::Messages, "messages") => Some(ItemKind::Message),
            (Field::Messages, "statuses") => Some(ItemKind::Status),
            (Field::Messages, "errors") => Some(ItemKind::Error),
            (Field::Messages | Field::Other, _) => None,
            (_, "groups") => Some(ItemKind::Group),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ItemKind {
    Group,
    Message,
    Status,
    Error,
}

impl ItemKind {
    fn belongs_to(self, field: Field) -> bool {
        match self {
            ItemKind::Group => matches!(
                field,
                Field::GroupLifecycle
                    | Field::GroupParticipants
                    | Field::GroupSettings
                    | Field::GroupStatus
            ),
            ItemKind::Message | ItemKind::Status | ItemKind::Error => field == Field::Messages,
        }
    }
}

/// What stood where the documented shape has something else.
#[derive(Default)]
enum Found<T> {
    #[default]
    Missing,
    Wrong(&'static str),
    Ok(T),
}

/// The fallbacks of a visitor that expects one JSON kind: each kind listed is `Wrong`, consumed.
macro_rules! other_kinds {
    (expects $what:literal; $($kind:ident),*) => {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str($what)
        }
        $(other_kinds!(@ $kind);)*
    };
    (@ scalars) => {
        other_kinds!(@ bool);
        other_kinds!(@ numbers);
        other_kinds!(@ str);
        other_kinds!(@ null);
    };
    (@ bool) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Found::Wrong("a boolean"))
        }
    };
    (@ numbers) => {
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Found::Wrong("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Found::Wrong("a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Found::Wrong("a number"))
        }
    };
    (@ float) => {
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Found::Wrong("a number"))
        }
    };
    (@ str) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Found::Wrong("a string"))
        }
    };
    (@ null) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Found::Wrong("null"))
        }
    };
    (@ map) => {
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Found::Wrong("an object"))
        }
    };
    (@ seq) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
            while s.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Found::Wrong("an array"))
        }
    };
}

/// A member name, borrowed from the delivery unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A string member.
struct Text(Found<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Found<String>;
            other_kinds!(expects "a string"; bool, numbers, null, map, seq);
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Found::Ok(v.to_owned()))
            }
        }
        d.deserialize_any(V).map(Text)
    }
}

// ---- the delivery, its entries and their changes ----

#[derive(Default)]
struct DeliveryWire<'a> {
    object: Found<String>,
    entry: Found<Vec<Found<EntryWire<'a>>>>,
    unknown: Members<'a>,
}

/// How the envelope is read. `Fast` reads each value in the same pass as its change, which is
/// enough when every change has a known field and items under it; anything else (an unknown
/// field, an empty value, an item member that is not an array) needs the value's own text, so
/// the delivery is read again `Careful`ly, capturing each value whole first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Fast,
    Careful,
}

#[derive(Default)]
struct EntryWire<'a> {
    id: Option<Cow<'a, str>>,
    changes: Found<Vec<Found<ChangeWire<'a>>>>,
    unknown: Members<'a>,
}

#[derive(Default)]
struct ChangeWire<'a> {
    field: Option<String>,
    /// `Careful`: the value's exact text, read once the field is known.
    value_text: Option<&'a RawValue>,
    /// `Fast`: the value, read in the same pass.
    value: Found<ValueWire<'a>>,
    /// `Fast`: the value's exact text when it is needed (no items, or an unknown field).
    value_span: Option<&'a RawValue>,
    unknown: Members<'a>,
}

impl<'a> ChangeWire<'a> {
    /// Whether the fast reading of this change lacks something only the careful one keeps. When
    /// the value's own text is needed, it is found here (into `value_span`) if it can be.
    fn needs_care(&mut self, text: &'a str) -> bool {
        let field = Field::from_wire(self.field.as_deref().unwrap_or(""));
        let Found::Ok(v) = &self.value else {
            return true;
        };
        let kinds_fit = match field {
            // An unknown field's item-like members belong in `unknown`, whole.
            Field::Other => v.items.is_empty(),
            _ => v.items.iter().all(|(kind, _)| kind.belongs_to(field)),
        };
        if v.needs_care || !kinds_fit {
            return true;
        }
        if field == Field::Other || v.items.is_empty() {
            self.value_span = value_text(text, v);
            return self.value_span.is_none();
        }
        false
    }
}

#[derive(Clone, Copy)]
struct DeliverySeed(Mode);

impl<'de> DeserializeSeed<'de> for DeliverySeed {
    type Value = DeliveryWire<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match d.deserialize_any(self)? {
            Found::Ok(delivery) => Ok(delivery),
            _ => Err(de::Error::custom("the delivery is not a JSON object")),
        }
    }
}

impl<'de> Visitor<'de> for DeliverySeed {
    type Value = Found<DeliveryWire<'de>>;
    other_kinds!(expects "a delivery object"; scalars, seq);
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let mut out = DeliveryWire::default();
        while let Some(Key(k)) = m.next_key()? {
            match k.as_ref() {
                "object" => out.object = m.next_value::<Text>()?.0,
                "entry" => out.entry = m.next_value_seed(ListOf(EntrySeed(self.0)))?,
                _ => out.unknown.0.push((k, m.next_value()?)),
            }
        }
        Ok(Found::Ok(out))
    }
}

/// A JSON array whose elements are read by `S`.
struct ListOf<S>(S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for ListOf<S> {
    type Value = Found<Vec<S::Value>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for ListOf<S> {
    type Value = Found<Vec<S::Value>>;
    other_kinds!(expects "an array"; scalars, map);
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(s.size_hint().unwrap_or(0).min(64));
        while let Some(v) = s.next_element_seed(self.0)? {
            out.push(v);
        }
        Ok(Found::Ok(out))
    }
}

#[derive(Clone, Copy)]
struct EntrySeed(Mode);

impl<'de> DeserializeSeed<'de> for EntrySeed {
    type Value = Found<EntryWire<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed {
    type Value = Found<EntryWire<'de>>;
    other_kinds!(expects "an entry object"; scalars, seq);
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let mut out = EntryWire::default();
        while let Some(Key(k)) = m.next_key()? {
            match k.as_ref() {
                "id" => out.id = m.next_value_seed(IdSeed)?,
                "changes" => out.changes = m.next_value_seed(ListOf(ChangeSeed(self.0)))?,
                _ => out.unknown.0.push((k, m.next_value()?)),
            }
        }
        Ok(Found::Ok(out))
    }
}

#[derive(Clone, Copy)]
struct ChangeSeed(Mode);

impl<'de> DeserializeSeed<'de> for ChangeSeed {
    type Value = Found<ChangeWire<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ChangeSeed {
    type Value = Found<ChangeWire<'de>>;
    other_kinds!(expects "a change object"; scalars, seq);
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let mut out = ChangeWire::default();
        while let Some(Key(k)) = m.next_key()? {
            match k.as_ref() {
                "field" => match m.next_value::<Text>()?.0 {
                    Found::Ok(f) => out.field = Some(f),
                    _ => out.field = None,
                },
                "value" => match self.0 {
                    // Meta sends `value` before `field`: every item member is read then, and
                    // checked against the field afterwards.
                    Mode::Fast => {
                        let field = out.field.as_deref().map_or(Field::Any, Field::from_wire);
                        out.value = m.next_value_seed(ValueSeed {
                            field,
                            careful: false,
                        })?;
                    }
                    Mode::Careful => out.value_text = Some(m.next_value()?),
                },
                _ => out.unknown.0.push((k, m.next_value()?)),
            }
        }
        Ok(Found::Ok(out))
    }
}

/// An id: a string (borrowed from the delivery unless it holds escapes), or an integer as its
/// decimal text; anything else reads as absent.
#[derive(Clone, Copy)]
struct IdSeed;

impl<'de> DeserializeSeed<'de> for IdSeed {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match d.deserialize_any(IdSeed)? {
            Found::Ok(id) => Ok(Some(id)),
            _ => Ok(None),
        }
    }
}

impl<'de> Visitor<'de> for IdSeed {
    type Value = Found<Cow<'de, str>>;
    other_kinds!(expects "an id"; bool, float, null, map, seq);
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Found::Ok(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Found::Ok(Cow::Owned(v.to_owned())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Found::Ok(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Found::Ok(Cow::Owned(v.to_string())))
    }
}

// ---- a change's value ----

#[derive(Default)]
struct ValueWire<'a> {
    phone_number_id: Option<Cow<'a, str>>,
    display_phone_number: Option<Cow<'a, str>>,
    contacts: Vec<&'a RawValue>,
    items: Vec<(ItemKind, &'a RawValue)>,
    unknown: Members<'a>,
    metadata_unknown: Members<'a>,
    /// An item member that is not an array: read again, carefully, to keep it.
    needs_care: bool,
    /// Where the value's own text starts and ends, found from its members' positions (`Fast`
    /// only): the address of the first member name, and the address after the last member's
    /// value with the punctuation that must follow it before the closing brace.
    first_key_at: Option<usize>,
    last_value_end: Option<(usize, &'static [u8])>,
}

/// The value's exact text from the positions its visitor recorded. Between JSON tokens there is
/// only whitespace, so the braces are found by skipping it; serde_json then checks that the
/// slice is exactly one JSON value, which also guards against any misplaced boundary.
fn value_text<'a>(text: &'a str, value: &ValueWire<'a>) -> Option<&'a RawValue> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let bytes = text.as_bytes();
    let base = text.as_ptr() as usize;
    // Back from the first member name's opening quote to the brace.
    let mut start = value.first_key_at?.checked_sub(base)?.checked_sub(1)?;
    if bytes.get(start) != Some(&b'"') {
        return None;
    }
    loop {
        start = start.checked_sub(1)?;
        match bytes.get(start)? {
            b if is_space(b) => continue,
            b'{' => break,
            _ => return None,
        }
    }
    // Forward from the last member's value over the expected punctuation to the brace.
    let (after, punctuation) = value.last_value_end?;
    let mut end = after.checked_sub(base)?;
    for expected in punctuation.iter().chain(b"}") {
        while bytes.get(end).is_some_and(is_space) {
            end += 1;
        }
        if bytes.get(end)? != expected {
            return None;
        }
        end += 1;
    }
    serde_json::from_str(text.get(start..end)?).ok()
}

/// Reads a value for a known field. `careful` captures each item member whole first, so one that
/// is not an array is kept as an unknown member instead of being skipped.
#[derive(Clone, Copy)]
struct ValueSeed {
    field: Field,
    careful: bool,
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Found<ValueWire<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = Found<ValueWire<'de>>;
    other_kinds!(expects "a value object"; scalars, seq);
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let mut out = ValueWire::default();
        let mut first = true;
        while let Some(Key(k)) = m.next_key()? {
            // Positions are only known for names without escapes (borrowed from the text).
            let key_at = match &k {
                Cow::Borrowed(b) => Some((b.as_ptr() as usize, b.len())),
                Cow::Owned(_) => None,
            };
            if first {
                out.first_key_at = key_at.map(|(at, _)| at);
                first = false;
            }
            let end_of = |raw: &RawValue| (raw.get().as_ptr() as usize + raw.get().len(), &b""[..]);
            if let Some(kind) = self.field.item_kind(&k) {
                if self.careful {
                    let raw: &'de RawValue = m.next_value()?;
                    match serde_json::from_str::<Vec<&'de RawValue>>(raw.get()) {
                        Ok(items) => out.items.extend(items.into_iter().map(|i| (kind, i))),
                        Err(_) => out.unknown.0.push((k, raw)),
                    }
                } else {
                    match m.next_value_seed(ListOf(RawSeed))? {
                        Found::Ok(items) => {
                            out.last_value_end = match items.last() {
                                Some(last) => Some((end_of(last).0, &b"]"[..])),
                                // `"name":[]`: from after the name's closing quote.
                                None => key_at.map(|(at, len)| (at + len + 1, &b":[]"[..])),
                            };
                            out.items.extend(items.into_iter().map(|i| (kind, i)));
                        }
                        _ => out.needs_care = true,
                    }
                }
                continue;
            }
            let raw: &'de RawValue = m.next_value()?;
            out.last_value_end = Some(end_of(raw));
            let known = match k.as_ref() {
                "messaging_product" => raw.get() == "\"whatsapp\"",
                "metadata" => read_metadata(raw, &mut out),
                "contacts" => match serde_json::from_str::<Vec<&'de RawValue>>(raw.get()) {
                    Ok(contacts) => {
                        out.contacts = contacts;
                        true
                    }
                    Err(_) => false,
                },
                _ => false,
            };
            if !known {
                out.unknown.0.push((k, raw));
            }
        }
        Ok(Found::Ok(out))
    }
}

/// `metadata` when it is an object: its ids, and its unknown members. False when it is not.
fn read_metadata<'a>(raw: &'a RawValue, out: &mut ValueWire<'a>) -> bool {
    struct V<'o, 'a>(&'o mut ValueWire<'a>);
    impl<'de, 'o> Visitor<'de> for V<'o, 'de> {
        type Value = Found<()>;
        other_kinds!(expects "a metadata object"; scalars, seq);
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            while let Some(Key(k)) = m.next_key()? {
                match k.as_ref() {
                    "phone_number_id" => self.0.phone_number_id = m.next_value_seed(IdSeed)?,
                    "display_phone_number" => {
                        self.0.display_phone_number = m.next_value_seed(IdSeed)?
                    }
                    _ => self.0.metadata_unknown.0.push((k, m.next_value()?)),
                }
            }
            Ok(Found::Ok(()))
        }
    }
    let mut d = serde_json::Deserializer::from_str(raw.get());
    matches!(d.deserialize_any(V(out)), Ok(Found::Ok(())))
}

/// An array element captured as its exact text.
#[derive(Clone, Copy)]
struct RawSeed;

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = &'de RawValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        <&RawValue>::deserialize(d)
    }
}

// ---- from the wire to the batch ----

/// Read a whole delivery into a batch. `text` is the delivery, already checked as UTF-8.
pub(super) fn read<'a>(text: &'a str, limits: &WebhookLimits) -> Result<Batch<'a>, WebhookError> {
    let mut delivery = parse(text, Mode::Fast)?;
    let mut needs_care = false;
    if let Found::Ok(entries) = &mut delivery.entry {
        for entry in entries.iter_mut() {
            if let Found::Ok(EntryWire {
                changes: Found::Ok(changes),
                ..
            }) = entry
            {
                for change in changes.iter_mut() {
                    if let Found::Ok(c) = change {
                        needs_care |= c.needs_care(text);
                    }
                }
            }
        }
    }
    if needs_care {
        delivery = parse(text, Mode::Careful)?;
    }
    build(delivery, limits)
}

fn parse(text: &str, mode: Mode) -> Result<DeliveryWire<'_>, WebhookError> {
    let mut d = serde_json::Deserializer::from_str(text);
    let delivery = DeliverySeed(mode)
        .deserialize(&mut d)
        .and_then(|delivery| d.end().map(|()| delivery));
    delivery.map_err(|e| WebhookError {
        code: if e.is_data() {
            Code::WebhookUnexpectedShape
        } else {
            Code::WebhookInvalidJson
        },
        path: String::new(),
        message: if e.is_data() {
            e.to_string()
        } else {
            format!("the delivery is not valid JSON: {e}")
        },
    })
}

fn build<'a>(
    delivery: DeliveryWire<'a>,
    limits: &WebhookLimits,
) -> Result<Batch<'a>, WebhookError> {
    match &delivery.object {
        Found::Ok(o) if o == "whatsapp_business_account" => {}
        other => {
            let got = match other {
                Found::Ok(o) => format!("{o:?}"),
                Found::Wrong(what) => (*what).to_owned(),
                Found::Missing => "nothing".to_owned(),
            };
            return Err(WebhookError {
                code: Code::WebhookWrongObject,
                path: "object".into(),
                message: format!("expected object \"whatsapp_business_account\", got {got}"),
            });
        }
    }
    let entries = match delivery.entry {
        Found::Ok(e) => e,
        Found::Wrong(what) => {
            return Err(WebhookError::shape(
                "entry",
                format!("\"entry\" must be an array, not {what}"),
            ))
        }
        Found::Missing => return Err(WebhookError::shape("entry", "\"entry\" is missing")),
    };
    let mut batch = Batch {
        unknown: delivery.unknown,
        ..Batch::default()
    };
    // (change, value as read, the value's text): the items are counted before any is parsed.
    let mut values = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let entry = match entry {
            Found::Ok(e) => e,
            Found::Wrong(what) => {
                return Err(WebhookError::shape(
                    format!("entry[{i}]"),
                    format!("an entry must be an object, not {what}"),
                ))
            }
            Found::Missing => continue,
        };
        let changes = match entry.changes {
            Found::Ok(c) => c,
            Found::Wrong(what) => {
                return Err(WebhookError::shape(
                    format!("entry[{i}].changes"),
                    format!("\"changes\" must be an array, not {what}"),
                ))
            }
            Found::Missing => {
                return Err(WebhookError::shape(
                    format!("entry[{i}].changes"),
                    "\"changes\" is missing",
                ))
            }
        };
        batch.entries.push(Entry {
            waba_id: entry.id,
            unknown: entry.unknown,
        });
        for (j, change) in changes.into_iter().enumerate() {
            let change = match change {
                Found::Ok(c) => c,
                Found::Wrong(what) => {
                    return Err(WebhookError::shape(
                        format!("entry[{i}].changes[{j}]"),
                        format!("a change must be an object, not {what}"),
                    ))
                }
                Found::Missing => continue,
            };
            let raw_field = change.field.unwrap_or_default();
            let field = Field::from_wire(&raw_field);
            let name = match field {
                Field::Other => Cow::Owned(raw_field),
                known => Cow::Borrowed(known.name()),
            };
            let value = match change.value_text {
                Some(v) => read_value(v, field)?,
                None => change.value,
            };
            let mut c = Change {
                entry: batch.entries.len() - 1,
                field: name,
                unknown: ChangeUnknown {
                    change: change.unknown,
                    ..ChangeUnknown::default()
                },
                ..Change::default()
            };
            let mut parsed = ValueWire::default();
            if let Found::Ok(v) = value {
                parsed = v;
                c.phone_number_id = parsed.phone_number_id.take();
                c.display_phone_number = parsed.display_phone_number.take();
                c.unknown.value = std::mem::take(&mut parsed.unknown);
                c.unknown.metadata = std::mem::take(&mut parsed.metadata_unknown);
                c.contacts = read_contacts(&parsed.contacts, &mut c.warnings);
                if field == Field::Other {
                    parsed.items.clear();
                }
            }
            batch.changes.push(c);
            values.push((field, parsed, change.value_text.or(change.value_span)));
        }
    }
    let items: usize = values.iter().map(|(_, v, _)| v.items.len().max(1)).sum();
    if items > limits.max_items {
        return Err(WebhookError {
            code: Code::WebhookTooLarge,
            path: String::new(),
            message: format!(
                "the delivery holds {items} items; this parse accepts at most {} (raise max_items to accept it)",
                limits.max_items
            ),
        });
    }
    batch.events.reserve(items);
    for (index, (field, value, value_text)) in values.into_iter().enumerate() {
        let Some(change) = batch.changes.get_mut(index) else {
            continue;
        };
        let waba_id = batch
            .entries
            .get(change.entry)
            .and_then(|e| e.waba_id.as_ref());
        let place = Place::new(index, field, change, waba_id);
        let before = batch.events.len();
        for (kind, raw) in value.items {
            batch.events.push(match kind {
                ItemKind::Group => groups::group_event(&place, raw),
                ItemKind::Message => messages::message_event(&place, raw),
                ItemKind::Status => statuses::status_event(&place, raw),
                ItemKind::Error => value_error_event(&place, raw),
            });
        }
        if batch.events.len() == before {
            // Nothing recognisable inside: the whole value becomes one event rather than be lost.
            let raw = value_text.unwrap_or(RawValue::NULL);
            let reason = match (field, value_text) {
                (_, None) => "the change has no value".to_owned(),
                (Field::Other, _) => format!("unknown field {:?}", change.field),
                _ if !raw.get().starts_with('{') => "the change's value is not an object".into(),
                _ => "the value holds no items this library knows".into(),
            };
            batch.events.push(place.unknown(raw, reason, Vec::new()));
        }
        change.warnings.extend(place.change_warnings);
    }
    Ok(batch)
}

fn read_value(text: &RawValue, field: Field) -> Result<Found<ValueWire<'_>>, WebhookError> {
    let parse = |careful| {
        let mut d = serde_json::Deserializer::from_str(text.get());
        ValueSeed { field, careful }.deserialize(&mut d)
    };
    // The value was already read once as a whole: it is valid JSON.
    let first = parse(false).map_err(|e| WebhookError::shape(String::new(), e.to_string()))?;
    match first {
        Found::Ok(v) if v.needs_care => {
            parse(true).map_err(|e| WebhookError::shape(String::new(), e.to_string()))
        }
        other => Ok(other),
    }
}

#[derive(Default, Deserialize)]
struct ContactWire {
    #[serde(default, deserialize_with = "item::id")]
    wa_id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    parent_user_id: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    name: Option<String>,
}

fn read_contacts<'a>(raws: &[&'a RawValue], warnings: &mut Vec<Warning>) -> Vec<Contact<'a>> {
    raws.iter()
        .enumerate()
        .map(|(i, raw)| {
            let mut w = Vec::new();
            let wire: Option<ContactWire> = decode_item::<ContactWire>(raw.get(), &mut w).ok();
            warnings.extend(w.into_iter().map(|mut w| {
                w.path = format!(
                    "contacts[{i}]{}{}",
                    if w.path.is_empty() { "" } else { "." },
                    w.path
                );
                w
            }));
            let wire = wire.unwrap_or_default();
            Contact {
                wa_id: wire.wa_id,
                user_id: wire.user_id,
                parent_user_id: wire.parent_user_id,
                username: wire.username,
                name: wire.profile.and_then(|p| p.name),
                raw,
            }
        })
        .collect()
}

/// Where items sit: what every event of one change carries, each identifier bounded.
pub(crate) struct Place<'p, 'a> {
    index: usize,
    pub(crate) field: Field,
    field_name: Cow<'a, str>,
    waba_id: Option<Cow<'a, str>>,
    phone_number_id: Option<Cow<'a, str>>,
    display_phone_number: Option<Cow<'a, str>>,
    contacts: &'p [Contact<'a>],
    change_warnings: Vec<Warning>,
}

/// Whether a value of `len` bytes may be copied onto events; a warning when it may not.
fn fits(len: usize, what: &str, warnings: &mut Vec<Warning>) -> bool {
    if len <= MAX_COPIED_BYTES {
        return true;
    }
    warnings.push(Warning {
        code: Code::WebhookValueTooLong,
        path: what.to_owned(),
        message: format!(
            "{len} bytes: too long to copy onto each event (at most {MAX_COPIED_BYTES}); left out"
        ),
    });
    false
}

fn bounded<'a>(
    value: Option<&Cow<'a, str>>,
    what: &str,
    warnings: &mut Vec<Warning>,
) -> Option<Cow<'a, str>> {
    value.filter(|v| fits(v.len(), what, warnings)).cloned()
}

impl<'p, 'a> Place<'p, 'a> {
    fn new(
        index: usize,
        field: Field,
        change: &'p Change<'a>,
        waba_id: Option<&Cow<'a, str>>,
    ) -> Self {
        let mut w = Vec::new();
        let field_name = bounded(Some(&change.field), "field", &mut w).unwrap_or_default();
        Place {
            index,
            field,
            field_name,
            waba_id: bounded(waba_id, "entry.id", &mut w),
            phone_number_id: bounded(
                change.phone_number_id.as_ref(),
                "value.metadata.phone_number_id",
                &mut w,
            ),
            display_phone_number: bounded(
                change.display_phone_number.as_ref(),
                "value.metadata.display_phone_number",
                &mut w,
            ),
            contacts: &change.contacts,
            change_warnings: w,
        }
    }

    pub(crate) fn event(
        &self,
        body: EventBody<'a>,
        raw: &'a RawValue,
        dedup_key: String,
        warnings: Vec<Warning>,
    ) -> Event<'a> {
        Event {
            body,
            change: self.index,
            field: self.field_name.clone(),
            waba_id: self.waba_id.clone(),
            phone_number_id: self.phone_number_id.clone(),
            display_phone_number: self.display_phone_number.clone(),
            group_id: None,
            timestamp: None,
            request_id: None,
            errors: Vec::new(),
            dedup_key,
            warnings,
            raw,
        }
    }

    /// An item this library cannot type: its group and time when they can be read.
    pub(crate) fn unknown(
        &self,
        raw: &'a RawValue,
        reason: String,
        warnings: Vec<Warning>,
    ) -> Event<'a> {
        #[derive(Deserialize)]
        struct Probe<'r> {
            #[serde(default, borrow, deserialize_with = "item::id_text")]
            group_id: Option<Cow<'r, str>>,
            #[serde(default, deserialize_with = "item::int")]
            timestamp: Option<i64>,
        }
        let key = format!("unknown|{}|{}", self.field_name, short_hash(raw));
        let mut e = self.event(
            EventBody::Unknown(Unrecognised { reason }),
            raw,
            key,
            warnings,
        );
        if raw.get().starts_with('{') {
            if let Ok(p) = serde_json::from_str::<Probe>(raw.get()) {
                e.group_id =
                    self.bounded_group_id(p.group_id.filter(|g| !g.is_empty()), &mut e.warnings);
                e.timestamp = p.timestamp;
            }
        }
        e
    }

    pub(crate) fn bounded_group_id(
        &self,
        group_id: Option<Cow<'a, str>>,
        warnings: &mut Vec<Warning>,
    ) -> Option<Cow<'a, str>> {
        group_id.filter(|g| fits(g.len(), "group_id", warnings))
    }

    /// The profile name of the contact with this `user_id` or `wa_id`, bounded.
    pub(crate) fn contact_name(
        &self,
        wa_id: Option<&str>,
        user_id: Option<&str>,
        warnings: &mut Vec<Warning>,
    ) -> Option<Cow<'a, str>> {
        let contact = self.contacts.iter().find(|c| {
            (user_id.is_some() && c.user_id.as_deref() == user_id)
                || (wa_id.is_some() && c.wa_id.as_deref() == wa_id)
        })?;
        let name = contact.name.as_ref()?;
        fits(name.len(), "contact_name", warnings).then(|| Cow::Owned(name.clone()))
    }
}

/// A `value.errors[]` item: an account, app or throughput error.
fn value_error_event<'a>(place: &Place<'_, 'a>, raw: &'a RawValue) -> Event<'a> {
    let mut warnings = Vec::new();
    let error = match decode_item::<ItemError<'static>>(raw.get(), &mut warnings) {
        Ok(error) if raw.get().starts_with('{') => error,
        _ => {
            return place.unknown(
                raw,
                "a value errors[] item is not an error object".into(),
                warnings,
            )
        }
    };
    let key = format!(
        "error|{}|{}|{}|{}",
        place.waba_id.as_deref().unwrap_or(""),
        place.phone_number_id.as_deref().unwrap_or(""),
        error.code,
        short_hash(raw)
    );
    let mut e = place.event(EventBody::Error(ValueError {}), raw, key, warnings);
    e.errors = vec![error];
    e
}

impl super::item::Item for ContactWire {
    type Of<'x> = ContactWire;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    /// The value's text found from member positions equals what the careful reading captures,
    /// whatever the whitespace and whatever the last member is.
    #[test]
    fn value_text_from_positions_is_the_exact_value() {
        let values = [
            r#"{"metadata":{"phone_number_id":"1"}}"#,
            "{ \n\t\"metadata\" : { \"phone_number_id\" : \"1\" } \r\n }",
            r#"{"messaging_product":"whatsapp","groups":[]}"#,
            "{\"groups\" :\n [ ] ,\"x\": 1 }",
            "{\"x\":1, \"statuses\" : [ {\"id\":\"w\"} ,{\"id\":\"v\"}\n ]\n}",
            r#"{"anything":[1, 2], "nested": {"a": {"b": [{}]}}}"#,
        ];
        for value in values {
            for field in ["group_pins_update", "messages"] {
                let body = format!(
                    r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"value": {value} ,"field":"{field}"}}]}}]}}"#
                );
                let fast = parse(&body, Mode::Fast).unwrap();
                let Found::Ok(entries) = fast.entry else {
                    panic!()
                };
                let Found::Ok(entry) = &entries[0] else {
                    panic!()
                };
                let Found::Ok(changes) = &entry.changes else {
                    panic!()
                };
                let Found::Ok(change) = &changes[0] else {
                    panic!()
                };
                let Found::Ok(v) = &change.value else {
                    panic!()
                };
                let found = value_text(&body, v).unwrap_or_else(|| panic!("no span: {value}"));
                assert_eq!(found.get(), value.trim(), "{value}");
                let careful = parse(&body, Mode::Careful).unwrap();
                let Found::Ok(entries) = careful.entry else {
                    panic!()
                };
                let Found::Ok(entry) = &entries[0] else {
                    panic!()
                };
                let Found::Ok(changes) = &entry.changes else {
                    panic!()
                };
                let Found::Ok(change) = &changes[0] else {
                    panic!()
                };
                assert_eq!(change.value_text.unwrap().get(), value.trim());
            }
        }
    }
}
