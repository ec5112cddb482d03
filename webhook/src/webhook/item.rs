//! Reading one item's exact text into its typed struct, never losing the item:
//! - the fast path is one serde pass over the item's text;
//! - a lone UTF-16 surrogate escape (`"\ud83d"`, which `JSON.parse` and Python accept) is
//!   replaced with U+FFFD in a same-length copy used for the typed view only;
//! - a member that does not have its documented type (Meta's documentation examples hold
//!   placeholders such as `"timestamp": "TIMESTAMP"`) is left out of the typed view, one at a
//!   time, each with a warning naming its path and what was expected.
//!
//! Only when an item's own shape is wrong (not an object, no `type`) does it become `unknown`.

use std::borrow::Cow;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Code, Warning};
use crate::unreadable;

use crate::wire::MAX_SAFE_INTEGER;

/// An item type that can be read at any lifetime: `Of<'x>` borrows its strings from text or a
/// JSON value that lives for `'x`.
/// `Detach` gives the same value with its borrowed strings copied: read from a local copy of an
/// item's text, it then outlives that copy.
pub(crate) trait Item {
    type Of<'x>: Deserialize<'x> + for<'y> Detach<'y, Out = Self::Of<'y>>;

    /// The member `name` as its exact text, when the reader keeps it so: where an item ends is
    /// then known without looking through that member again when it is the last one.
    fn kept_text<'x>(_item: &Self::Of<'x>, _name: &str) -> Option<&'x str> {
        None
    }
}

/// A value whose borrowed strings can be copied so that it lives as long as `'y`. Written out
/// per type (a few lines each) instead of reading the copy again through `serde_json::Value`,
/// which compiled every item's reader a second time.
pub(crate) trait Detach<'y> {
    type Out;
    fn detach(self) -> Self::Out;
}

impl<'y> Detach<'y> for Cow<'_, str> {
    type Out = Cow<'y, str>;
    fn detach(self) -> Cow<'y, str> {
        Cow::Owned(self.into_owned())
    }
}

impl<'y> Detach<'y> for Cow<'_, RawValue> {
    type Out = Cow<'y, RawValue>;
    fn detach(self) -> Cow<'y, RawValue> {
        Cow::Owned(self.into_owned())
    }
}

impl<'y, T: Detach<'y>> Detach<'y> for Option<T> {
    type Out = Option<T::Out>;
    fn detach(self) -> Self::Out {
        self.map(Detach::detach)
    }
}

impl<'y, T: Detach<'y>> Detach<'y> for Vec<T> {
    type Out = Vec<T::Out>;
    fn detach(self) -> Self::Out {
        self.into_iter().map(Detach::detach).collect()
    }
}

/// `Detach` for types that borrow nothing, and for structs field by field (every field listed:
/// the struct literal does not compile otherwise).
macro_rules! detach {
    (as is: $($ty:ty),* $(,)?) => {
        $(impl<'y> $crate::webhook::item::Detach<'y> for $ty {
            type Out = $ty;
            fn detach(self) -> $ty {
                self
            }
        })*
    };
    ($($name:ident { $($field:ident),* $(,)? })*) => {
        $(impl<'y> $crate::webhook::item::Detach<'y> for $name<'_> {
            type Out = $name<'y>;
            fn detach(self) -> $name<'y> {
                $name { $($field: $crate::webhook::item::Detach::detach(self.$field)),* }
            }
        })*
    };
}
pub(crate) use detach;

detach!(as is: bool, i64, String, serde_json::Value);

/// Decode `text` into `T`, collecting warnings; `Err` only when the item itself is unreadable
/// (the reason goes into the `unknown` event). On the fast path the result borrows its strings
/// from `text`. Otherwise the same reader runs again over a copy, each unreadable member cut out
/// of it in turn (found from where the read stopped), and the result is built from that copy
/// once, owning its strings.
pub(crate) fn decode_item<'a, T: Item>(
    text: &'a str,
    warnings: &mut Vec<Warning>,
) -> Result<T::Of<'a>, String> {
    match read::<T>(text) {
        Ok(t) => Ok(t),
        Err(first) => decode_leniently::<T>(text, first, warnings),
    }
}

/// The typed reader of `T`, the same one the envelope's pass runs (compiled once for it, the fast
/// path here and every re-reading of the slower ones).
fn read<T: Item>(text: &str) -> serde_json::Result<T::Of<'_>> {
    super::spanned::read::<T>(text)
}

/// The slower paths of [`decode_item`], apart so that a delivery that does not need them does
/// not compile them (wasm compiles lazily, per function).
#[cold]
#[inline(never)]
fn decode_leniently<'a, T: Item>(
    text: &'a str,
    first: serde_json::Error,
    warnings: &mut Vec<Warning>,
) -> Result<T::Of<'a>, String> {
    let copy = readable_copy(text, first, warnings, &|t| read::<T>(t).err())?;
    read::<T>(&copy)
        .map(Detach::detach)
        .map_err(|e| e.to_string())
}

/// A copy of `text` that `refuses` no longer refuses: lone surrogates replaced, then each member
/// it refuses cut out in turn, each with a warning. Not generic, so that one copy of the loop
/// serves every item type (the reader itself comes in as `refuses`).
#[inline(never)]
fn readable_copy(
    text: &str,
    first: serde_json::Error,
    warnings: &mut Vec<Warning>,
    refuses: &dyn Fn(&str) -> Option<serde_json::Error>,
) -> Result<String, String> {
    // Unrepaired, the copy is the text: its first error is `first`, not worth reading again.
    // Repaired, a copy that still does not read is reported with the original's error.
    let mut original = String::new();
    let (mut copy, mut pending) = match repair_lone_surrogates(text) {
        Some((fixed, n)) => {
            warnings.push(lone_surrogates_replaced(n));
            original = first.to_string();
            (fixed, None)
        }
        None => (text.to_owned(), Some(first)),
    };
    // Each round removes one unreadable member; an item has far fewer than this.
    for _ in 0..256 {
        let refused = match pending.take() {
            Some(e) => Some(e),
            None => refuses(&copy),
        };
        let e = match refused {
            None => return Ok(copy),
            Some(e) if e.is_data() => e,
            Some(e) if original.is_empty() => return Err(e.to_string()),
            Some(_) => return Err(original),
        };
        let reason = unreadable::reason(&e);
        let Some(member) = unreadable::member(&copy, &e, refuses) else {
            return Err(reason);
        };
        warnings.push(Warning {
            code: Code::WebhookMemberUnreadable,
            path: member.path,
            message: format!("left out of the typed view (kept in raw): {reason}"),
        });
        copy.replace_range(member.cut, "");
    }
    Err("too many unreadable members".into())
}

/// The warning of [`repair_lone_surrogates`]' replacements.
pub(crate) fn lone_surrogates_replaced(n: usize) -> Warning {
    Warning {
        code: Code::WebhookLoneSurrogate,
        path: String::new(),
        message: format!(
            "{n} lone UTF-16 surrogate escape(s) replaced with U+FFFD in the typed view; raw keeps them"
        ),
    }
}

/// A same-length copy of `text` with every unpaired `\uD800`–`\uDFFF` escape written as
/// `\uFFFD`, and how many there were; `None` when there are none. Same length keeps byte offsets
/// meaningful. Backslashes only occur inside JSON strings, so escapes are read in order.
pub(crate) fn repair_lone_surrogates(text: &str) -> Option<(String, usize)> {
    let b = text.as_bytes();
    let hex4 = |at: usize| -> Option<u16> {
        let s = b.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(s).ok()?, 16).ok()
    };
    let unicode_escape = |at: usize| -> Option<u16> {
        (b.get(at) == Some(&b'\\') && b.get(at + 1) == Some(&b'u'))
            .then(|| hex4(at + 2))
            .flatten()
    };
    let mut lone = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b.get(i) != Some(&b'\\') {
            i += 1;
            continue;
        }
        match unicode_escape(i) {
            Some(0xD800..=0xDBFF) => {
                if matches!(unicode_escape(i + 6), Some(0xDC00..=0xDFFF)) {
                    i += 12;
                } else {
                    lone.push(i);
                    i += 6;
                }
            }
            Some(0xDC00..=0xDFFF) => {
                lone.push(i);
                i += 6;
            }
            Some(_) => i += 6,
            None => i += 2,
        }
    }
    if lone.is_empty() {
        return None;
    }
    let mut out = text.as_bytes().to_vec();
    for at in &lone {
        if let Some(hex) = out.get_mut(at + 2..at + 6) {
            hex.copy_from_slice(b"FFFD");
        }
    }
    // Only ASCII hex digits were replaced by ASCII: still UTF-8.
    String::from_utf8(out).ok().map(|s| (s, lone.len()))
}

// ---- lenient members, read without building a `Value` ----

/// An integer from a JSON integer or a string of digits (Meta sends timestamps both ways),
/// within ±(2^53 − 1).
pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an integer (or a string of digits) within ±(2^53 - 1)")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&v) {
                Ok(Some(v))
            } else {
                Err(E::invalid_value(de::Unexpected::Signed(v), &self))
            }
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            match i64::try_from(v) {
                Ok(i) => self.visit_i64(i),
                Err(_) => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            match v.trim().parse::<i64>() {
                Ok(i) => self.visit_i64(i),
                Err(_) => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
            }
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_any(V)
}

/// `true`, `false`, `"true"`, `"false"` (Meta sends both forms).
pub(crate) fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a boolean (or \"true\"/\"false\")")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.eq_ignore_ascii_case("true") {
                Ok(Some(true))
            } else if v.eq_ignore_ascii_case("false") {
                Ok(Some(false))
            } else {
                Err(E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_any(V)
}

/// A string, or with `IDS` also an integer as its decimal text (ids are numbers in the OpenAPI
/// samples; converted without floating point, so large ids keep every digit). Borrowed from the
/// item's text when it holds no escapes; `null` reads as absent.
struct CowStr<const IDS: bool>;

impl<'de, const IDS: bool> Visitor<'de> for CowStr<IDS> {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if IDS {
            "an id (a string or an integer)"
        } else {
            "a string"
        })
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match IDS {
            true => Ok(Some(Cow::Owned(v.to_string()))),
            false => Err(E::invalid_type(de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match IDS {
            true => Ok(Some(Cow::Owned(v.to_string()))),
            false => Err(E::invalid_type(de::Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A string member, borrowed when it can be.
pub(crate) fn text<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    d.deserialize_option(CowStr::<false>)
}

/// An id member (string or integer), borrowed when it can be.
pub(crate) fn id_text<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    d.deserialize_option(CowStr::<true>)
}

/// A member kept as its exact text, borrowed from the item's text (`null` reads as absent).
pub(crate) fn raw<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, RawValue>>, D::Error> {
    Ok(Option::<&'de RawValue>::deserialize(d)?.map(Cow::Borrowed))
}

/// A list of objects where `null` reads as empty, each read as a map only (see [`object`]).
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let list = Option::<Vec<FromMap<T>>>::deserialize(d)?.unwrap_or_default();
    Ok(list.into_iter().map(|FromMap(t)| t).collect())
}

/// A member holding an object (`null` reads as absent), read as a map only: serde_json also
/// reads a struct from an array, member by member in order (`"text": ["hi"]` as a text whose body
/// is "hi"); such a member is refused here like any member of the wrong type (left out, with a
/// warning), and no reader of structs from arrays is compiled.
pub(crate) fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Ok(Option::<FromMap<T>>::deserialize(d)?.map(|FromMap(t)| t))
}

/// `T` read from a map only.
struct FromMap<T>(T);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for FromMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(MapOnly(d)).map(FromMap)
    }
}

/// A deserializer that reads a struct from a map only (every other request passes through).
struct MapOnly<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(v)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(v)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lone_surrogates_are_replaced_and_pairs_kept() {
        let (fixed, n) = repair_lone_surrogates(
            r#"{"a":"\ud83d","b":"\ud83d\ude00","c":"\\ud83d","d":"x\udc00"}"#,
        )
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            fixed,
            r#"{"a":"\uFFFD","b":"\ud83d\ude00","c":"\\ud83d","d":"x\uFFFD"}"#
        );
        assert!(repair_lone_surrogates(r#"{"b":"\ud83d\ude00 \u00e9"}"#).is_none());
    }
}
