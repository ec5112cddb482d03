//! An item read by its typed reader inside the envelope's own pass, its exact text found from
//! where its member names sit: the item's bytes are scanned once instead of being captured as
//! text first and read again (the capture was about a fifth of a parse). Every typed read of an
//! item goes through the same watcher ([`read`] for a text of its own), so that each item's
//! reader is compiled once.
//!
//! serde_json reports no positions, but it hands out member names borrowed from the delivery.
//! The first name's address gives the item's opening brace (only whitespace lies between). The
//! last member's value gives the closing one: it ends where the reader's own copy of it ends when
//! the reader kept it as its exact text ([`Item::kept_text`]: a message's content, usually last),
//! else it is skipped over (serde_json has already read and checked it, so only strings and
//! brackets delimit it). An item this cannot place (a first or last name with escapes, an empty
//! object) or that its typed reader refuses is an error here: the delivery is then read the
//! slower way, which keeps every item.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::webhook::item::Item;

/// Reads one item as `T` with its exact text out of `text` (the whole input being read), and
/// hands both to `wrap`.
pub(crate) struct SpannedSeed<'de, T: Item, O> {
    pub(crate) text: &'de str,
    pub(crate) wrap: fn(T::Of<'de>, &'de RawValue) -> O,
}

impl<T: Item, O> Clone for SpannedSeed<'_, T, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Item, O> Copy for SpannedSeed<'_, T, O> {}

impl<'de, T: Item, O> DeserializeSeed<'de> for SpannedSeed<'de, T, O> {
    type Value = O;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<O, D::Error> {
        let mut names = Names::default();
        let item = watched::<T, D>(d, &mut names)?;
        let last_kept = names
            .last_name(self.text)
            .and_then(|name| T::kept_text(&item, name));
        match names.span(self.text, last_kept) {
            Some(raw) => Ok((self.wrap)(item, raw)),
            None => Err(de::Error::custom("an item whose text cannot be placed")),
        }
    }
}

/// An item read from a text of its own (no trailing characters).
pub(crate) fn read<T: Item>(text: &str) -> serde_json::Result<T::Of<'_>> {
    let mut d = serde_json::Deserializer::from_str(text);
    let item = watched::<T, _>(&mut d, &mut Names::default())?;
    d.end().map(|()| item)
}

/// `T`'s reader over `d`, noting its member names: the one instantiation of each item's reader.
#[inline(never)]
fn watched<'de, T: Item, D: Deserializer<'de>>(
    d: D,
    names: &mut Names,
) -> Result<T::Of<'de>, D::Error> {
    T::Of::<'de>::deserialize(Spy { inner: d, names })
}

/// Where the item's first member name starts and its last one sits (address, length); `None`
/// for a name that was not borrowed from the text (it holds escapes).
#[derive(Default)]
struct Names {
    first: Option<Option<usize>>,
    last: Option<(usize, usize)>,
}

impl Names {
    fn note(&mut self, name: Option<&str>) {
        let at = name.map(|n| (n.as_ptr() as usize, n.len()));
        self.first.get_or_insert(at.map(|(address, _)| address));
        self.last = at;
    }

    /// The item's text: from the brace before its first name to the brace after its last value.
    /// The last member's name, as it sits in `text`.
    fn last_name<'de>(&self, text: &'de str) -> Option<&'de str> {
        let (at, len) = self.last?;
        let from = at.checked_sub(text.as_ptr() as usize)?;
        text.get(from..from.checked_add(len)?)
    }

    /// The item's text. `last_kept`: the last member's value as the reader kept it, when it did
    /// (then that value is not looked through again to find where it ends).
    fn span<'de>(&self, text: &'de str, last_kept: Option<&str>) -> Option<&'de RawValue> {
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let bytes = text.as_bytes();
        let base = text.as_ptr() as usize;
        let start = opening_brace(text, (*self.first.as_ref()?)?)?;
        let (last, len) = self.last?;
        let mut end = last.checked_sub(base)?.checked_add(len)?;
        let expect = |end: &mut usize, byte: u8| -> Option<()> {
            while bytes.get(*end).is_some_and(is_space) {
                *end += 1;
            }
            (bytes.get(*end)? == &byte).then(|| *end += 1)
        };
        expect(&mut end, b'"')?;
        expect(&mut end, b':')?;
        while bytes.get(end).is_some_and(is_space) {
            end += 1;
        }
        end = match last_kept {
            // Only when it is the text right there (a copy, elsewhere, says nothing).
            Some(kept) if kept.as_ptr() as usize == base + end => end + kept.len(),
            _ => skip_value(bytes, end)?,
        };
        expect(&mut end, b'}')?;
        let item = text.get(start..end)?;
        // Tests run every item of the corpus through this check.
        debug_assert!(serde_json::from_str::<IgnoredAny>(item).is_ok(), "{item}");
        borrowed_raw(item)
    }
}

/// Where the object whose first member name starts at address `name` opens: back from the name's
/// opening quote over whitespace (all that JSON allows between) to the brace.
pub(crate) fn opening_brace(text: &str, name: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = name.checked_sub(text.as_ptr() as usize)?.checked_sub(1)?;
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    loop {
        at = at.checked_sub(1)?;
        match bytes.get(at)? {
            b' ' | b'\t' | b'\n' | b'\r' => continue,
            b'{' => return Some(at),
            _ => return None,
        }
    }
}

/// Where the JSON value at `at` ends. The text was already read whole by serde_json, so only
/// what delimits a value matters here: strings (skipped to their closing quote, escapes
/// included) and brackets; a scalar ends at the next delimiter.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    if !matches!(rest.first()?, b'"' | b'{' | b'[') {
        // A number or a literal.
        let scalar_end = |b: &u8| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r');
        return Some(at + rest.iter().position(scalar_end).unwrap_or(rest.len()));
    }
    let mut i = at;
    let mut depth = 0usize;
    loop {
        i += bytes
            .get(i..)?
            .iter()
            .position(|&b| DELIMITS.get(usize::from(b)) == Some(&true))?;
        match bytes.get(i)? {
            b'"' => i = skip_string(bytes, i + 1)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            _ => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

/// The bytes that open or close a string or a container: a table, one look per byte (pretty
/// bodies put long runs of spaces between them).
// Indexing in a constant is checked as it is built: it cannot fail at run time.
#[allow(clippy::indexing_slicing)]
const DELIMITS: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(byte as u8, b'"' | b'{' | b'[' | b'}' | b']');
        byte += 1;
    }
    table
};

/// After the closing quote of the string whose contents start at `at`.
fn skip_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let n = memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
        at += n;
        match bytes.get(at)? {
            b'"' => return Some(at + 1),
            _ => at += 2,
        }
    }
}

/// A `&RawValue` for a slice already read as exactly one JSON value, without reading it again.
/// serde_json hands out a borrowed `RawValue` as a one-member map under its private token (how its
/// own reader does it); should that ever stop working, the slice is read and checked instead.
fn borrowed_raw(text: &str) -> Option<&RawValue> {
    unread_raw(text).or_else(|| serde_json::from_str(text).ok())
}

/// The name under which serde_json hands out a `RawValue`.
const TOKEN: &str = "$serde_json::private::RawValue";

fn unread_raw(text: &str) -> Option<&RawValue> {
    let member = (
        BorrowedStrDeserializer::<serde_json::Error>::new(TOKEN),
        BorrowedStrDeserializer::<serde_json::Error>::new(text),
    );
    let map = MapDeserializer::new(std::iter::once(member));
    <&RawValue>::deserialize(map)
        .ok()
        .filter(|raw| raw.get().as_ptr() == text.as_ptr() && raw.get().len() == text.len())
}

/// The item's deserializer, noting the names of the top-level map's members on their way to
/// the item's own reader. Only maps are watched; everything nested reads straight from serde_json.
struct Spy<'n, D> {
    inner: D,
    names: &'n mut Names,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Spy<'_, D> {
    type Error = D::Error;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(v)
    }
    // An item is read as a map only: serde_json would also read a struct from an array, member
    // by member in order, which no item is (its text is placed from its member names, and one
    // that is not an object becomes `unknown`). Not taking that way leaves each item reader's
    // array visitor out of the module (measured: the webhooks module 3.3 KB smaller gzip, and
    // 9 KB less code compiled by a cold start's first parse).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_map(v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let watched = Watched {
            inner: v,
            names: self.names,
        };
        self.inner.deserialize_map(watched)
    }
    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct enum identifier
        ignored_any
    }
}

/// The item's visitor: its map, watched.
struct Watched<'n, V> {
    inner: V,
    names: &'n mut Names,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watched<'_, V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(WatchedMap {
            inner: map,
            names: self.names,
        })
    }
}

struct WatchedMap<'n, A> {
    inner: A,
    names: &'n mut Names,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchedMap<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(Name {
            inner: seed,
            names: self.names,
        })
    }
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A member name on its way to the item's reader (as seed, deserializer and visitor in turn).
struct Name<'n, T> {
    inner: T,
    names: &'n mut Names,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for Name<'_, K> {
    type Value = K::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K::Value, D::Error> {
        self.inner.deserialize(Name {
            inner: d,
            names: self.names,
        })
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Name<'_, D> {
    type Error = D::Error;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let v = Name {
            inner: v,
            names: self.names,
        };
        self.inner.deserialize_any(v)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let v = Name {
            inner: v,
            names: self.names,
        };
        self.inner.deserialize_identifier(v)
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let v = Name {
            inner: v,
            names: self.names,
        };
        self.inner.deserialize_str(v)
    }
    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        ignored_any
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Name<'_, V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.names.note(Some(v));
        self.inner.visit_borrowed_str(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.names.note(None);
        self.inner.visit_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.names.note(None);
        self.inner.visit_string(v)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Small<'a> {
        #[serde(borrow)]
        id: Option<&'a str>,
        #[serde(default)]
        n: Option<i64>,
        #[serde(default, borrow)]
        raw: Option<&'a RawValue>,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        nested: Option<Box<Small<'a>>>,
    }
    impl Item for Small<'static> {
        type Of<'x> = Small<'x>;
        fn kept_text<'x>(item: &Self::Of<'x>, name: &str) -> Option<&'x str> {
            (name == "raw").then_some(item.raw?.get())
        }
    }
    // Only the lenient re-reading detaches; these tests never do.
    impl<'y> crate::webhook::item::Detach<'y> for Small<'_> {
        type Out = Small<'y>;
        fn detach(self) -> Small<'y> {
            Small {
                id: None,
                n: self.n,
                raw: None,
                text: self.text,
                nested: None,
            }
        }
    }

    fn items(text: &str) -> serde_json::Result<Vec<(Small<'_>, &RawValue)>> {
        struct List<'de>(&'de str);
        impl<'de> Visitor<'de> for List<'de> {
            type Value = Vec<(Small<'de>, &'de RawValue)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                let seed = SpannedSeed::<Small<'static>, _> {
                    text: self.0,
                    wrap: |item, raw| (item, raw),
                };
                let mut out = Vec::new();
                while let Some(x) = s.next_element_seed(seed)? {
                    out.push(x);
                }
                Ok(out)
            }
        }
        let mut d = serde_json::Deserializer::from_str(text);
        d.deserialize_seq(List(text))
    }

    /// Each item's text is exactly the item, whatever the whitespace, member order and last value
    /// (a string, an escaped string, a raw text, a number, an object, `null`, an unknown member).
    #[test]
    fn items_are_placed_exactly() {
        let list = r#"[ {"id":"a","n":1} , { "n" : 2 ,
            "id" : "b" }
            ,{"id":"c","x":{"deep":["}",{"n":"]"}]}} ,{"x":"\"}\"","id":"d","z":-1.5e3}
            ,{"id":"e","text":"}"},{"id":"f","text":"\"}\"" },{"id":"g","raw":{"a":"}"}}
            ,{"id":"h","raw" : [1,"]"] } ,{"id":"i","raw":"x"},{"id":"j","raw":null}
            ,{"id":"k","nested":{"id":"l","text":"}"}},{"id":"m","text":null  }
            ,{"id":"n","raw":12},{"id":"o","text":"x","zz":"}"}]"#;
        let read = items(list).unwrap();
        let texts: Vec<&str> = read.iter().map(|(_, raw)| raw.get()).collect();
        let whole: Vec<&RawValue> = serde_json::from_str(list).unwrap();
        let expected: Vec<&str> = whole.iter().map(|raw| raw.get()).collect();
        assert_eq!(texts, expected);
        let ids: Vec<_> = read.iter().map(|(s, _)| s.id).collect();
        assert_eq!(ids.len(), 14);
        assert_eq!(read[10].0.nested.as_ref().unwrap().id, Some("l"));
        assert_eq!(ids[..4], [Some("a"), Some("b"), Some("c"), Some("d")]);
        assert_eq!(read[7].0.raw.unwrap().get(), r#"[1,"]"]"#);
    }

    /// What cannot be placed is an error, never a wrong text.
    #[test]
    fn unplaceable_items_are_errors() {
        for list in [
            r#"[{}]"#,
            r#"[{"\u0069d":"a"}]"#,
            r#"[{"id":"a","\u006e":1}]"#,
            r#"[["a",1]]"#,
        ] {
            assert!(items(list).is_err(), "{list}");
        }
        // An escape in a name that is neither first nor last does not matter.
        let read = items(r#"[{"id":"a","\u006e":1,"z":0}]"#).unwrap();
        assert_eq!(read[0].1.get(), r#"{"id":"a","\u006e":1,"z":0}"#);
    }

    /// A value ends where serde_json says it does, whatever it holds.
    #[test]
    fn values_end_where_serde_json_says() {
        for value in [
            r#""a\"b""#,
            r#""\\""#,
            r#""""#,
            r#"{"a":"}","b":{"c":[]}}"#,
            r#"[1,[2,{"x":"]\""}],[]]"#,
            "-1.5e3",
            "true",
            "null",
            "{ }",
            "[ \"]\" ]",
        ] {
            for after in ["}", ",", " }", "\n,", "]"] {
                let text = format!("{value}{after}");
                assert_eq!(skip_value(text.as_bytes(), 0), Some(value.len()), "{text}");
            }
            let mut stream = serde_json::Deserializer::from_str(value).into_iter::<IgnoredAny>();
            assert!(stream.next().unwrap().is_ok());
            assert_eq!(stream.byte_offset(), value.len(), "{value}");
        }
    }

    /// serde_json still hands out a `RawValue` this way: were it to stop, every item would be
    /// read a second time (correct, but the saving gone).
    #[test]
    fn a_raw_value_is_borrowed_without_a_second_read() {
        // Not JSON at all: accepted only because it is not read.
        let text = "{unread";
        assert_eq!(unread_raw(text).unwrap().get(), text);
        let text = r#"{"a": [1, 2]}"#;
        assert_eq!(borrowed_raw(text).unwrap().get().as_ptr(), text.as_ptr());
    }
}
