//! The delivery as serde reads it, in one borrowing pass: typed where the shape is documented,
//! each item and unknown member kept as its exact text, and whatever stood elsewhere recorded as
//! `Found::Wrong` instead of failing the pass.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::webhook::event::{ItemError, Members};
use crate::webhook::groups::GroupItem;
use crate::webhook::item;
use crate::webhook::messages::MessageItem;
use crate::webhook::spanned::{opening_brace, SpannedSeed};
use crate::webhook::statuses::StatusItem;

use super::place::{Field, ItemKind};

/// What stood where the documented shape has something else.
#[derive(Default)]
pub(super) enum Found<T> {
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
pub(super) struct Key<'a>(Cow<'a, str>);

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

/// A string member, borrowed from the delivery unless it holds escapes.
pub(super) struct Text<'a>(Found<Cow<'a, str>>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Found<Cow<'de, str>>;
            other_kinds!(expects "a string"; bool, numbers, null, map, seq);
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Found::Ok(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Found::Ok(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_any(V).map(Text)
    }
}

// ---- the delivery, its entries and their changes ----

#[derive(Default)]
pub(super) struct DeliveryWire<'a> {
    pub(super) object: Found<Cow<'a, str>>,
    pub(super) entry: Found<Vec<Found<EntryWire<'a>>>>,
    pub(super) unknown: Members<'a>,
}

/// How the envelope is read. `Typed` reads every item with its typed reader in the envelope's
/// pass (the text given is the delivery, where items are placed); an item that reader refuses
/// fails the pass, and the delivery is read `Fast`: each item captured as its text, for the
/// lenient item reader. Both read each value in the same pass as its change, which is enough
/// when every change has a known field and items under it; anything else (an unknown field, an
/// empty value, an item member that is not an array) needs the value's own text, so the
/// delivery is read again `Careful`ly, capturing each value whole first.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode<'a> {
    Typed(&'a str),
    Fast,
    Careful,
}

#[derive(Default)]
pub(super) struct EntryWire<'a> {
    pub(super) id: Option<Cow<'a, str>>,
    pub(super) changes: Found<Vec<Found<ChangeWire<'a>>>>,
    pub(super) unknown: Members<'a>,
}

#[derive(Default)]
pub(super) struct ChangeWire<'a> {
    pub(super) field: Option<Cow<'a, str>>,
    /// `Careful`: the value's exact text, read once the field is known.
    pub(super) value_text: Option<&'a RawValue>,
    /// `Fast`: the value, read in the same pass.
    pub(super) value: Found<ValueWire<'a>>,
    /// `Fast`: the value's exact text when it is needed (no items, or an unknown field).
    pub(super) value_span: Option<&'a RawValue>,
    pub(super) unknown: Members<'a>,
}

impl<'a> ChangeWire<'a> {
    /// Whether the fast reading of this change lacks something only the careful one keeps. When
    /// the value's own text is needed, it is found here (into `value_span`) if it can be.
    pub(super) fn needs_care(&mut self, text: &'a str) -> bool {
        let field = Field::from_wire(self.field.as_deref().unwrap_or(""));
        let Found::Ok(v) = &self.value else {
            return true;
        };
        let kinds_fit = match field {
            // An unknown field's item-like members belong in `unknown`, whole.
            Field::Other => v.items.is_empty(),
            _ => v.items.iter().all(|item| item.kind().belongs_to(field)),
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
pub(super) struct DeliverySeed<'a>(pub(super) Mode<'a>);

impl<'de> DeserializeSeed<'de> for DeliverySeed<'de> {
    type Value = DeliveryWire<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match d.deserialize_any(self)? {
            Found::Ok(delivery) => Ok(delivery),
            _ => Err(de::Error::custom("the delivery is not a JSON object")),
        }
    }
}

impl<'de> Visitor<'de> for DeliverySeed<'de> {
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
pub(super) struct ListOf<S>(S);

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
pub(super) struct EntrySeed<'a>(pub(super) Mode<'a>);

impl<'de> DeserializeSeed<'de> for EntrySeed<'de> {
    type Value = Found<EntryWire<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed<'de> {
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
pub(super) struct ChangeSeed<'a>(pub(super) Mode<'a>);

impl<'de> DeserializeSeed<'de> for ChangeSeed<'de> {
    type Value = Found<ChangeWire<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ChangeSeed<'de> {
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
                    Mode::Careful => out.value_text = Some(m.next_value()?),
                    // Meta sends `value` before `field`: every item member is read then, and
                    // checked against the field afterwards.
                    mode => {
                        let field = out.field.as_deref().map_or(Field::Any, Field::from_wire);
                        out.value = m.next_value_seed(ValueSeed {
                            field,
                            careful: false,
                            typed: match mode {
                                Mode::Typed(text) => Some(text),
                                _ => None,
                            },
                        })?;
                    }
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
pub(super) struct IdSeed;

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
pub(super) struct ValueWire<'a> {
    pub(super) phone_number_id: Option<Cow<'a, str>>,
    pub(super) display_phone_number: Option<Cow<'a, str>>,
    /// Each contact's text, and the contact when the envelope's pass read it.
    pub(super) contacts: Vec<(&'a RawValue, Option<ContactWire<'a>>)>,
    pub(super) items: Vec<ItemWire<'a>>,
    pub(super) unknown: Members<'a>,
    pub(super) metadata_unknown: Members<'a>,
    /// An item member that is not an array: read again, carefully, to keep it.
    pub(super) needs_care: bool,
    /// Where the value's own text starts and ends, found from its members' positions (`Fast`
    /// only): the address of the first member name, and the address after the last member's
    /// value with the punctuation that must follow it before the closing brace.
    pub(super) first_key_at: Option<usize>,
    pub(super) last_value_end: Option<(usize, &'static [u8])>,
}

/// The value's exact text from the positions its visitor recorded. Between JSON tokens there is
/// only whitespace, so the braces are found by skipping it; serde_json then checks that the
/// slice is exactly one JSON value, which also guards against any misplaced boundary.
pub(super) fn value_text<'a>(text: &'a str, value: &ValueWire<'a>) -> Option<&'a RawValue> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let bytes = text.as_bytes();
    let base = text.as_ptr() as usize;
    let start = opening_brace(text, value.first_key_at?)?;
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

/// One item of a value: its exact text, read by its typed reader in the envelope's pass or
/// captured for the lenient one.
pub(super) enum ItemWire<'a> {
    Captured(ItemKind, &'a RawValue),
    Group(Box<GroupItem<'a>>, &'a RawValue),
    Message(Box<MessageItem<'a>>, &'a RawValue),
    Status(Box<StatusItem<'a>>, &'a RawValue),
    Error(ItemError<'a>, &'a RawValue),
}

impl<'a> ItemWire<'a> {
    pub(super) fn kind(&self) -> ItemKind {
        match self {
            ItemWire::Captured(kind, _) => *kind,
            ItemWire::Group(..) => ItemKind::Group,
            ItemWire::Message(..) => ItemKind::Message,
            ItemWire::Status(..) => ItemKind::Status,
            ItemWire::Error(..) => ItemKind::Error,
        }
    }

    fn raw(&self) -> &'a RawValue {
        match self {
            ItemWire::Captured(_, raw)
            | ItemWire::Group(_, raw)
            | ItemWire::Message(_, raw)
            | ItemWire::Status(_, raw)
            | ItemWire::Error(_, raw) => raw,
        }
    }
}

/// Reads a value for a known field. `careful` captures each item member whole first, so one that
/// is not an array is kept as an unknown member instead of being skipped; `typed` (the whole
/// input) reads each item with its typed reader.
#[derive(Clone, Copy)]
pub(super) struct ValueSeed<'t> {
    pub(super) field: Field,
    pub(super) careful: bool,
    pub(super) typed: Option<&'t str>,
}

/// An item read by its typed reader in the envelope's pass, with its exact text.
#[derive(Clone, Copy)]
struct TypedItem<'t> {
    kind: ItemKind,
    text: &'t str,
}

impl<'de> DeserializeSeed<'de> for TypedItem<'de> {
    type Value = ItemWire<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let text = self.text;
        match self.kind {
            ItemKind::Group => SpannedSeed::<GroupItem<'static>, _> {
                text,
                wrap: |item, raw| ItemWire::Group(Box::new(item), raw),
            }
            .deserialize(d),
            ItemKind::Message => SpannedSeed::<MessageItem<'static>, _> {
                text,
                wrap: |item, raw| ItemWire::Message(Box::new(item), raw),
            }
            .deserialize(d),
            ItemKind::Status => SpannedSeed::<StatusItem<'static>, _> {
                text,
                wrap: |item, raw| ItemWire::Status(Box::new(item), raw),
            }
            .deserialize(d),
            ItemKind::Error => SpannedSeed::<ItemError<'static>, _> {
                text,
                wrap: ItemWire::Error,
            }
            .deserialize(d),
        }
    }
}

/// A JSON array whose elements are read by `S`; anything else is an error (the envelope's
/// pass then gives way to one that keeps it).
#[derive(Clone, Copy)]
struct Strict<S>(S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for Strict<S> {
    type Value = Vec<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for Strict<S> {
    type Value = Vec<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = s.next_element_seed(self.0)? {
            out.push(v);
        }
        Ok(out)
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'de> {
    type Value = Found<ValueWire<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'de> {
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
                        Ok(items) => out
                            .items
                            .extend(items.into_iter().map(|raw| ItemWire::Captured(kind, raw))),
                        Err(_) => out.unknown.0.push((k, raw)),
                    }
                } else {
                    let items = match self.typed {
                        Some(text) => {
                            Found::Ok(m.next_value_seed(Strict(TypedItem { kind, text }))?)
                        }
                        None => m.next_value_seed(ListOf(RawSeed(kind)))?,
                    };
                    match items {
                        Found::Ok(items) => {
                            out.last_value_end = match items.last() {
                                Some(last) => Some((end_of(last.raw()).0, &b"]"[..])),
                                // `"name":[]`: from after the name's closing quote.
                                None => key_at.map(|(at, len)| (at + len + 1, &b":[]"[..])),
                            };
                            out.items.extend(items);
                        }
                        _ => out.needs_care = true,
                    }
                }
                continue;
            }
            if let (false, Some(text)) = (self.careful, self.typed) {
                // Read in this pass; what is not an object or an array is kept by the careful one.
                match k.as_ref() {
                    "metadata" => {
                        let metadata = m.next_value_seed(MetadataSeed(&mut out))?;
                        out.needs_care |= !matches!(metadata, Found::Ok(()));
                        // Where it ends is not known: a value that needs its text is read carefully.
                        out.last_value_end = None;
                        continue;
                    }
                    "contacts" => {
                        let seed = SpannedSeed::<ContactWire<'static>, _> {
                            text,
                            wrap: |contact, raw| (raw, Some(contact)),
                        };
                        let contacts = m.next_value_seed(Strict(seed))?;
                        out.last_value_end = match contacts.last() {
                            Some((last, _)) => Some((end_of(last).0, &b"]"[..])),
                            None => key_at.map(|(at, len)| (at + len + 1, &b":[]"[..])),
                        };
                        out.contacts = contacts;
                        continue;
                    }
                    _ => {}
                }
            }
            let raw: &'de RawValue = m.next_value()?;
            out.last_value_end = Some(end_of(raw));
            let known = match k.as_ref() {
                "messaging_product" => raw.get() == "\"whatsapp\"",
                "metadata" => {
                    let mut d = serde_json::Deserializer::from_str(raw.get());
                    matches!(
                        MetadataSeed(&mut out).deserialize(&mut d),
                        Ok(Found::Ok(()))
                    )
                }
                "contacts" => match serde_json::from_str::<Vec<&'de RawValue>>(raw.get()) {
                    Ok(contacts) => {
                        out.contacts = contacts.into_iter().map(|raw| (raw, None)).collect();
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

/// `metadata`: its ids and its unknown members when it is an object.
pub(super) struct MetadataSeed<'o, 'a>(&'o mut ValueWire<'a>);

impl<'de> DeserializeSeed<'de> for MetadataSeed<'_, 'de> {
    type Value = Found<()>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MetadataSeed<'_, 'de> {
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

/// A contact of `value.contacts[]`: who sent the messages beside it.
#[derive(Default, Deserialize)]
pub(super) struct ContactWire<'a> {
    #[serde(default, borrow, deserialize_with = "item::id_text")]
    pub(super) wa_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    pub(super) user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    pub(super) parent_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::text")]
    pub(super) username: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "item::object")]
    pub(super) profile: Option<Profile<'a>>,
}

#[derive(Deserialize)]
pub(super) struct Profile<'a> {
    #[serde(default, borrow, deserialize_with = "item::text")]
    pub(super) name: Option<Cow<'a, str>>,
}

impl crate::webhook::item::Item for ContactWire<'static> {
    type Of<'x> = ContactWire<'x>;
}

crate::webhook::item::detach! {
    ContactWire { wa_id, user_id, parent_user_id, username, profile }
    Profile { name }
}

/// An item captured as its exact text.
#[derive(Clone, Copy)]
pub(super) struct RawSeed(ItemKind);

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = ItemWire<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        <&RawValue>::deserialize(d).map(|raw| ItemWire::Captured(self.0, raw))
    }
}
