//! A member kept as sent (a message's `content` and `context`): its exact JSON text, borrowed
//! from the delivery, and a JSON value to whoever serializes it. Reading it into a
//! `serde_json::Value` while parsing cost about a sixth of the parse of Meta's example deliveries
//! (an ordered map per object, each key hashed and copied), for a value that a binding then
//! rebuilt in its own language anyway.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::item::{self, Detach};
use crate::error::{Code, Warning};

/// The newtype name under which a [`RawJson`] serializes: the npm package's tape sends the text
/// itself for its JS to read with `JSON.parse`; every other serializer sees the value.
pub(crate) const RAW_JSON: &str = "wagroups::raw_json";

/// A JSON value exactly as the delivery holds it (whitespace and member order included).
///
/// Serialized, it is the value (`serde_json` writes it compactly, Python gets dicts and lists),
/// never its text, except in a format that is not human-readable (CBOR, bincode…: such formats
/// rarely carry a free-form JSON value), which gets the text as a string. Its text always reads
/// as a JSON value: one that would not (a lone UTF-16 surrogate escape, a number out of range,
/// nesting deeper than `serde_json` reads) is repaired or left out when the event is built, each
/// with a warning.
#[derive(Clone)]
pub struct RawJson<'a> {
    text: Cow<'a, RawValue>,
    /// The value as serde_json reads it, when `JSON.parse` might read the text into another
    /// (see [`screen`]): what the npm package's tape then sends.
    value: Option<Box<serde_json::Value>>,
}

impl<'a> RawJson<'a> {
    /// The JSON text exactly as sent; only a lone surrogate escape is replaced, with a warning
    /// (the event's `raw` keeps it).
    pub fn get(&self) -> &str {
        self.text.get()
    }

    /// The value as a `serde_json::Value`.
    pub fn to_value(&self) -> serde_json::Value {
        // The text is known to read (see `checked`): the fallback cannot be reached.
        serde_json::from_str(self.get()).unwrap_or(serde_json::Value::Null)
    }

    /// Read into your own type.
    pub fn decode<'de, T: serde::Deserialize<'de>>(&'de self) -> serde_json::Result<T> {
        serde_json::from_str(self.get())
    }

    /// `raw` as a member of an item at `path`, when serde_json reads it into a value: as is when
    /// a look at its bytes tells, else once read (a lone surrogate becomes U+FFFD, in a copy;
    /// an unreadable text is left out), with a warning for either.
    pub(crate) fn checked(
        raw: Cow<'a, RawValue>,
        path: &str,
        warnings: &mut Vec<Warning>,
    ) -> Option<Self> {
        let look = screen(raw.get());
        if look.same_in_js
            && !(look.unicode_escapes && item::repair_lone_surrogates(raw.get()).is_some())
        {
            return Some(RawJson {
                text: raw,
                value: None,
            });
        }
        Self::checked_slowly(raw, path, warnings)
    }

    /// What [`checked`](Self::checked) does when a look at the bytes cannot tell: read the value.
    #[cold]
    #[inline(never)]
    fn checked_slowly(
        raw: Cow<'a, RawValue>,
        path: &str,
        warnings: &mut Vec<Warning>,
    ) -> Option<Self> {
        let repaired = item::repair_lone_surrogates(raw.get());
        let text = repaired
            .as_ref()
            .map_or(raw.get(), |(fixed, _)| fixed.as_str());
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            warnings.push(Warning {
                code: Code::WebhookMemberUnreadable,
                path: path.to_owned(),
                message: "left out of the typed view (kept in raw): not readable as a JSON value \
                          (a number out of range, or nested too deep)"
                    .into(),
            });
            return None;
        };
        let value = (!screen(text).same_in_js).then(|| Box::new(value));
        let text = match repaired {
            None => raw,
            Some((fixed, n)) => {
                warnings.push(Warning {
                    path: path.to_owned(),
                    ..item::lone_surrogates_replaced(n)
                });
                Cow::Owned(RawValue::from_string(fixed).ok()?)
            }
        };
        Some(RawJson { text, value })
    }
}

/// What a look at a JSON text's bytes (one well-formed value, as captured) tells.
struct Look {
    /// serde_json reads it without an error, and `JSON.parse` into the same value: no number
    /// has an exponent or 16 digits (so each is a double serde_json reads exactly: at most 15
    /// digits over a power of ten up to 10^15), and fewer than 100 brackets open (serde_json
    /// reads 127 levels).
    same_in_js: bool,
    /// A string holds a `\u` escape: a lone surrogate is looked for apart.
    unicode_escapes: bool,
}

fn screen(text: &str) -> Look {
    let doubtful = Look {
        same_in_js: false,
        unicode_escapes: true,
    };
    let bytes = text.as_bytes();
    let (mut digits, mut brackets, mut unicode_escapes) = (0u32, 0u32, false);
    let (mut at, mut prev) = (0usize, 0u8);
    while let Some(&b) = bytes.get(at) {
        at += 1;
        match b {
            // A string is skipped whole, from escape to escape (most of a text is strings).
            b'"' => loop {
                let rest = bytes.get(at..).unwrap_or_default();
                let Some(found) = memchr::memchr2(b'"', b'\\', rest) else {
                    return doubtful;
                };
                at += found + 1;
                if rest.get(found) == Some(&b'"') {
                    break;
                }
                unicode_escapes |= bytes.get(at) == Some(&b'u');
                at += 1;
            },
            b'0'..=b'9' => {
                digits += 1;
                if digits >= 16 {
                    return doubtful;
                }
            }
            // A number's digits run on through its point.
            b'.' => {}
            // Outside strings, an `e` after a digit starts an exponent (`true`, `false` have none).
            b'e' | b'E' if prev.is_ascii_digit() => return doubtful,
            b'{' | b'[' => {
                digits = 0;
                brackets += 1;
                if brackets >= 100 {
                    return doubtful;
                }
            }
            _ => digits = 0,
        }
        prev = b;
    }
    Look {
        same_in_js: true,
        unicode_escapes,
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&self.get()).finish()
    }
}

/// Equal when the texts are (how they are sent to JS follows from the text).
impl PartialEq for RawJson<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Serialize for RawJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.value {
            Some(value) => value.serialize(s),
            None => s.serialize_newtype_struct(RAW_JSON, &Transcoded(self.get())),
        }
    }
}

/// A JSON text's value, streamed from a reader of the text into the serializer (no `Value`
/// built in between); the text itself to a serializer that is not human-readable (the tape's
/// probe among them).
struct Transcoded<'t>(&'t str);

impl Serialize for Transcoded<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return s.serialize_str(self.0);
        }
        let mut d = serde_json::Deserializer::from_str(self.0);
        serde_transcode::transcode(&mut d, s)
    }
}

impl<'y> Detach<'y> for RawJson<'_> {
    type Out = RawJson<'y>;
    fn detach(self) -> RawJson<'y> {
        RawJson {
            text: Cow::Owned(self.text.into_owned()),
            value: self.value,
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for RawJson<'_> {
    fn schema_name() -> Cow<'static, str> {
        serde_json::Value::schema_name()
    }
    fn inline_schema() -> bool {
        serde_json::Value::inline_schema()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        serde_json::Value::json_schema(g)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn checked(text: &str) -> (Option<String>, Vec<Warning>) {
        let raw: &RawValue = serde_json::from_str(text).unwrap();
        let mut warnings = Vec::new();
        let json = RawJson::checked(Cow::Borrowed(raw), "content", &mut warnings);
        (json.map(|j| serde_json::to_string(&j).unwrap()), warnings)
    }

    #[test]
    fn serializes_as_the_value_it_holds() {
        let text = r#"{ "b": [1, 2.5, -0, 1e2, 0.1e-2, 18446744073709551616, "x\n\u00e9"],
            "a": {"c": null, "a": true}, "b": "again" }"#;
        let (json, warnings) = checked(text);
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        // Written from the text as `serde_json` writes the value (a repeated member read last).
        let reread: serde_json::Value = serde_json::from_str(&json.unwrap()).unwrap();
        assert_eq!(reread, value);
        assert_eq!(reread.get("b"), Some(&serde_json::json!("again")));
        assert!(warnings.is_empty());
    }

    #[test]
    fn what_serde_json_would_refuse_is_repaired_or_left_out_with_a_warning() {
        let (json, warnings) = checked(r#"{"emoji": "\ud83d"}"#);
        assert_eq!(json.as_deref(), Some("{\"emoji\":\"\u{FFFD}\"}"));
        assert_eq!(
            warnings.first().map(|w| w.code),
            Some(Code::WebhookLoneSurrogate)
        );
        for unreadable in [
            "[1e400]",
            &format!("{}1{}", "[".repeat(130), "]".repeat(130)),
            &format!("[{}]", "9".repeat(400)),
        ] {
            let (json, warnings) = checked(unreadable);
            assert_eq!(json, None, "{unreadable}");
            assert_eq!(
                warnings.first().map(|w| w.code),
                Some(Code::WebhookMemberUnreadable)
            );
        }
    }

    #[test]
    fn the_screen_lets_through_only_what_reads_the_same_everywhere() {
        let same = |t: &str| screen(t).same_in_js;
        assert!(same(
            r#"{"id": "wamid.HBgLMTY0NjcwNDM1OTUVAgAR5E12", "n": [1.5, -12, 123456789012345], "t": true, "f": false}"#
        ));
        assert!(same(&format!(
            r#"{{"digits": "{}", "e": "1e400"}}"#,
            "9".repeat(400)
        )));
        for doubtful in [
            "1e5",
            "[1.5E-3]",
            "1234567890123456",
            "0.000000000000001",
            &"[".repeat(100),
        ] {
            assert!(!same(doubtful), "{doubtful}");
        }
        assert!(!screen(r#"["\\u0041", "\"u"]"#).unicode_escapes);
        assert!(screen(r#"["\u0041"]"#).unicode_escapes);
    }

    /// A doubtful text is read: kept with its value when it reads (the tape sends the value).
    #[test]
    fn a_doubtful_text_is_read() {
        let raw: &RawValue = serde_json::from_str("[1e5, 0.1e1]").unwrap();
        let json = RawJson::checked(Cow::Borrowed(raw), "content", &mut Vec::new()).unwrap();
        assert_eq!(json.get(), "[1e5, 0.1e1]");
        assert_eq!(
            json.value.as_deref(),
            Some(&serde_json::json!([100000.0, 1.0]))
        );
        assert_eq!(serde_json::to_string(&json).unwrap(), "[100000.0,1.0]");
    }
}
