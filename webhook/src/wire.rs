//! Lenient reading of what Meta sends: numbers or digit strings for timestamps and
//! ids, `"true"` for `true`, unknown members kept in `extra`, unknown enum values kept as
//! `Other`. Shared by the reply parsers and the webhook model.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::{classify_error_object, Classification, GraphCode};

/// The largest integer every runtime represents exactly (JavaScript's `Number.MAX_SAFE_INTEGER`).
/// Webhook numbers beyond it are not real and would round in JS: they are refused (timestamps)
/// or kept as text (error codes), never rounded.
#[doc(hidden)]
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Unknown members, kept in order so nothing Meta adds is lost.
pub type Extra = Map<String, Value>;

/// An integer, from a JSON integer or a string of digits (Meta sends timestamps and counts as
/// either).
#[doc(hidden)]
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("expected an integer, got {n}"))),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected an integer, got {s:?}"))),
        Some(other) => Err(de::Error::custom(format!(
            "expected an integer, got {other}"
        ))),
    }
}

/// `true`, `false`, `"true"`, `"false"` (Meta sends both forms).
#[doc(hidden)]
pub fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(de::Error::custom(format!(
            "expected a boolean, got {other}"
        ))),
    }
}

/// An id as a string, also from a JSON number as in the OpenAPI samples (converted without
/// floating point, so large ids keep every digit).
#[doc(hidden)]
pub fn lenient_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(other) => Err(de::Error::custom(format!(
            "expected an id string, got {other}"
        ))),
    }
}

/// A required id (string or integer).
#[doc(hidden)]
pub fn required_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    lenient_id(d)?.ok_or_else(|| de::Error::custom("expected an id string, got null"))
}

/// `null` or a missing list reads as empty.
#[doc(hidden)]
pub fn list_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An enum of the values Meta documents that keeps any other as sent (`Other`); shared with
/// the core crate's models.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($variant,)+
            /// A value this library does not know yet, kept as sent.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(s) => s,
                }
            }

            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            /// The known values, or any other string (kept as sent).
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"anyOf": [{"enum": [$($wire),+]}, {"type": "string"}]})
            }
        }

        /// Read without allocating for the known values.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from_wire(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::open_enum;

open_enum! {
    /// Who may join through the invite link.
    JoinApprovalMode { AutoApprove = "auto_approve", ApprovalRequired = "approval_required" }
}

/// Did an operation do everything it was asked? (Batches, group operations, settings.)
/// "Request partially succeeded", sent with HTTP 206: a result, never an exception.
#[doc(hidden)]
pub const PARTIAL_CODE: i64 = 131_201;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    #[default]
    Succeeded,
    /// Some items failed: a result, not an exception.
    PartiallyFailed,
    /// Every item failed.
    Failed,
}

/// Every identity Meta may send for a person: all optional, BSUID-era members
/// included. An item with no identity at all is still kept (only a BSUID may be known).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Participant {
    #[serde(
        default,
        deserialize_with = "lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub wa_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub input: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Participant {
    /// The preferred key of a person: `user_id` (stable even when the number changes), then
    /// `wa_id`, then `input`.
    pub fn key(&self) -> Option<&str> {
        self.user_id
            .as_deref()
            .or(self.wa_id.as_deref())
            .or(self.input.as_deref())
    }
}

/// `error_data` of a Graph error object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The error object inside webhooks and partial results, with its classification.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorObject {
    /// Meta's code (integer, numeric string read as integer, anything else kept raw).
    pub code: GraphCode,
    pub title: Option<String>,
    pub message: Option<String>,
    pub error_data: Option<ErrorData>,
    pub href: Option<String>,
    pub extra: Extra,
    pub classification: Classification,
}

#[derive(Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct ErrorObjectWire {
    #[serde(default)]
    code: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error_data: Option<ErrorData>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl<'de> Deserialize<'de> for ErrorObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ErrorObjectWire::deserialize(d)?;
        let mut for_class = Map::new();
        if let Some(c) = &w.code {
            for_class.insert("code".into(), c.clone());
        }
        Ok(ErrorObject {
            code: GraphCode::from_json(w.code.as_ref()),
            classification: classify_error_object(&for_class),
            title: w.title,
            message: w.message,
            error_data: w.error_data,
            href: w.href,
            extra: w.extra,
        })
    }
}

impl Serialize for ErrorObject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = Map::new();
        m.insert(
            "code".into(),
            serde_json::to_value(&self.code).unwrap_or(Value::Null),
        );
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), Value::String(v.clone()));
            }
        };
        put("title", &self.title);
        put("message", &self.message);
        if let Some(d) = &self.error_data {
            m.insert(
                "error_data".into(),
                serde_json::to_value(d).unwrap_or(Value::Null),
            );
        }
        if let Some(h) = &self.href {
            m.insert("href".into(), Value::String(h.clone()));
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        m.insert(
            "classification".into(),
            serde_json::to_value(&self.classification).unwrap_or(Value::Null),
        );
        m.serialize(s)
    }
}

/// Graph cursor paging.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Paging {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cursors {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Paging {
    /// The cursor of the next page: only when Meta says one exists (`next` present). A short
    /// page does not mean the end; a missing `next` does.
    pub fn next_cursor(&self) -> Option<&str> {
        self.next.as_ref()?;
        self.cursors.as_ref()?.after.as_deref()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ErrorObject {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorObject".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let code = g.subschema_for::<GraphCode>();
        let data = g.subschema_for::<ErrorData>();
        let class = g.subschema_for::<Classification>();
        schemars::json_schema!({
            "type": "object",
            "required": ["code", "classification"],
            "properties": {
                "code": code,
                "title": {"type": "string"},
                "message": {"type": "string"},
                "error_data": data,
                "href": {"type": "string"},
                "classification": class
            },
            "additionalProperties": true
        })
    }
}
