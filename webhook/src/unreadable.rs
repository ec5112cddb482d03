//! Which member of a JSON text a typed read failed on, found from where serde_json stopped: one
//! way to name (and cut out) an unreadable member that serves every type, instead of a
//! path-tracking wrapper compiled again for each type (in wasm that wrapper was a tenth of the
//! module).
//!
//! serde_json reports a type or value error at the offending value's first byte (before reading
//! it), just after it (once read), just inside its opening bracket (an object or array rejected
//! whole) or just after its closing one (a missing member). Each of those positions lies within
//! the value's own text, and inside no deeper member's, except one: just inside an array's `[`
//! is also where its first element starts, and "invalid type: sequence" there may be about
//! either: reading again with that element replaced by a number tells them apart (the same
//! error means the array itself was refused).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// An unreadable member: its path (`image.voice`, `errors[1].code`, as serde paths are
/// written) and the bytes that remove it with one adjacent comma.
#[derive(Debug, PartialEq, Eq)]
pub struct Member {
    pub path: String,
    pub cut: Range<usize>,
}

/// The error's message without serde_json's " at line L column C".
pub fn reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(bare) => bare.to_owned(),
        None => text,
    }
}

/// The member of `text` (a JSON object or array) that `e`, an error of a typed read of `text`,
/// is about; `None` when it is about the whole text or cannot be placed. `reread` reads a text
/// the same way, for the one ambiguous position: just inside an array's `[`, where its first
/// element starts, the error is about the array if it stays the same with that element
/// replaced by `0`.
pub fn member(
    text: &str,
    e: &serde_json::Error,
    reread: impl Fn(&str) -> Option<serde_json::Error>,
) -> Option<Member> {
    let found = innermost(text, e)?;
    let Some((array, first)) = found.or_array else {
        return Some(found.member);
    };
    let mut probe = text.to_owned();
    probe.replace_range(first, "0");
    match reread(&probe) {
        Some(again) if again.to_string() == e.to_string() => Some(array),
        _ => Some(found.member),
    }
}

/// The innermost member holding the error's position and, when that is an array's first
/// element at its very start, the array with that element's bytes.
struct Found {
    member: Member,
    or_array: Option<(Member, Range<usize>)>,
}

fn innermost(text: &str, e: &serde_json::Error) -> Option<Found> {
    let at = offset(text, e)?;
    let sequence = e.to_string().starts_with("invalid type: sequence");
    let base = text.as_ptr() as usize;
    let mut path = String::new();
    let mut found: Option<Found> = None;
    let mut level: &str = text;
    // Down one level per round, as long as one of the level's members holds the position.
    // serde_json reads at most 128 levels.
    for _ in 0..128 {
        let Ok(Level(members, is_array)) = serde_json::from_str::<Level>(level) else {
            break;
        };
        let open = level.as_ptr() as usize - base;
        let spans: Vec<Range<usize>> = members
            .iter()
            .map(|(_, raw)| {
                let s = raw.get().as_ptr() as usize - base;
                s..s + raw.get().len()
            })
            .collect();
        let Some(i) = spans.iter().position(|s| s.start <= at && at <= s.end) else {
            break;
        };
        let (Some((key, raw)), Some(span)) = (members.get(i), spans.get(i)) else {
            break;
        };
        let ambiguous = is_array && i == 0 && sequence && span.start == at;
        match key {
            Some(k) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            None => path.push_str(&format!("[{i}]")),
        }
        let cut = match i.checked_sub(1).and_then(|p| spans.get(p)) {
            // `, "name": value` after the previous member.
            Some(previous) => previous.end..span.end,
            // The first member: from just inside the bracket, through a following comma.
            None => open + 1..after_comma(text, span.end),
        };
        let member = Member {
            path: path.clone(),
            cut,
        };
        found = Some(Found {
            or_array: match (ambiguous, found) {
                (true, Some(array)) => Some((array.member, span.clone())),
                _ => None,
            },
            member,
        });
        let first = raw.get().as_bytes().first();
        if !matches!(first, Some(b'{' | b'[')) {
            break;
        }
        level = raw.get();
    }
    found
}

/// The byte offset of the error's line and column (both as serde_json counts them: lines from
/// 1, columns as bytes before the position).
fn offset(text: &str, e: &serde_json::Error) -> Option<usize> {
    let mut start = 0usize;
    for _ in 1..e.line() {
        start += text.get(start..)?.find('\n')? + 1;
    }
    (e.line() > 0).then_some(start + e.column())
}

/// Past the comma that follows `end` and the whitespace around it, or `end` when no comma does.
fn after_comma(text: &str, end: usize) -> usize {
    let space = |from: usize| {
        let rest = text.as_bytes().get(from..).unwrap_or_default();
        from + rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count()
    };
    let comma = space(end);
    match text.as_bytes().get(comma) {
        Some(b',') => space(comma + 1),
        _ => end,
    }
}

/// One level of a JSON text: its members (named in an object) each as its exact text, and
/// whether it is an array; a scalar has no members.
struct Level<'a>(Vec<(Option<Cow<'a, str>>, &'a RawValue)>, bool);

impl<'de> Deserialize<'de> for Level<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Level<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Level<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<Cow<'de, str>>()? {
                    out.push((Some(k), m.next_value()?));
                }
                Ok(Level(out, false))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Level<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = s.next_element()? {
                    out.push((None, v));
                }
                Ok(Level(out, true))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Level<'de>, E> {
                Ok(Level(Vec::new(), false))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Level<'de>, E> {
                Ok(Level(Vec::new(), false))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Level<'de>, E> {
                Ok(Level(Vec::new(), false))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Level<'de>, E> {
                Ok(Level(Vec::new(), false))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Level<'de>, E> {
                Ok(Level(Vec::new(), false))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Level<'de>, E> {
                Ok(Level(Vec::new(), false))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Media {
        #[serde(default)]
        voice: Option<bool>,
        #[serde(default)]
        mime_type: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        #[serde(default)]
        timestamp: Option<i64>,
        #[serde(default)]
        image: Option<Media>,
        #[serde(default)]
        errors: Vec<Coded>,
        #[serde(default)]
        list: Option<Vec<String>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Coded {
        code: i64,
    }

    /// The member the read failed on, and the text without it.
    fn first_unreadable(text: &str) -> Option<(String, String)> {
        let e = serde_json::from_str::<Item>(text).err()?;
        let m = member(text, &e, |t| serde_json::from_str::<Item>(t).err())?;
        let mut rest = text.to_owned();
        rest.replace_range(m.cut, "");
        Some((m.path, rest))
    }

    #[test]
    fn each_error_position_names_its_member_and_cuts_it_out() {
        let cases = [
            // read, then refused: the position is after the value
            (
                r#"{"timestamp":"TIMESTAMP","x":1}"#,
                "timestamp",
                r#"{"x":1}"#,
            ),
            // refused before reading: the position is at the value's first byte
            (
                r#"{"a":1, "image": {"voice": "sometimes", "mime_type": "x"}}"#,
                "image.voice",
                r#"{"a":1, "image": {"mime_type": "x"}}"#,
            ),
            (
                r#"{"image": {"voice": true, "mime_type": 7}}"#,
                "image.mime_type",
                r#"{"image": {"voice": true}}"#,
            ),
            (
                r#"{"errors": [{"code": 1}, {"code": {}}]}"#,
                "errors[1].code",
                r#"{"errors": [{"code": 1}, {}]}"#,
            ),
            // a missing member: the position is after the object that lacks it
            (
                r#"{"errors": [{"code": 1}, {"c": 2}], "z": 0}"#,
                "errors[1]",
                r#"{"errors": [{"code": 1}], "z": 0}"#,
            ),
            // an array where a string is expected, and a whole array refused
            (
                "{\n  \"list\": [[\"a\"]]\n}",
                "list[0]",
                "{\n  \"list\": []\n}",
            ),
            (r#"{"timestamp":[1,2]}"#, "timestamp", r#"{}"#),
            (r#"{"timestamp":[[1]]}"#, "timestamp", r#"{}"#),
            (
                r#"{"list":[["a"],["b"]]}"#,
                "list[0]",
                r#"{"list":[["b"]]}"#,
            ),
            (
                r#"{"image":"x","timestamp":3}"#,
                "image",
                r#"{"timestamp":3}"#,
            ),
        ];
        for (text, path, rest) in cases {
            assert_eq!(
                first_unreadable(text),
                Some((path.to_owned(), rest.to_owned())),
                "{text}"
            );
            assert!(serde_json::from_str::<serde_json::Value>(rest).is_ok());
        }
    }

    #[test]
    fn an_error_about_the_whole_text_names_no_member() {
        let e = serde_json::from_str::<Coded>(r#"{"c": 1}"#).unwrap_err();
        let reread = |t: &str| serde_json::from_str::<Coded>(t).err();
        assert_eq!(member(r#"{"c": 1}"#, &e, reread), None);
        assert_eq!(reason(&e), "missing field `code`");
    }
}
