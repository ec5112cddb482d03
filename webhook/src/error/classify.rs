//! Graph's error envelope (`{"error": {…}}`) and the error objects inside webhooks and partial
//! results → classified errors: catalog code, kind and retry advice.

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::catalog::{self, CatalogEntry, Code, Kind, Retry};
use super::ApiError;

/// `error.code` as Meta sent it: a number (a numeric string is read as one, since both occur), a non-numeric string kept
/// raw, or nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum GraphCode {
    Int(i64),
    Raw(String),
    #[default]
    Missing,
}

/// Read without building a JSON value: an integer within ±(2^53 − 1) (so every runtime holds it
/// exactly), a numeric string as that integer, any other number or string as its text.
impl<'de> serde::Deserialize<'de> for GraphCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use crate::wire::MAX_SAFE_INTEGER as SAFE;
        use serde::de::{self, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GraphCode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an error code (integer or string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<GraphCode, E> {
                Ok(if (-SAFE..=SAFE).contains(&v) {
                    GraphCode::Int(v)
                } else {
                    GraphCode::Raw(v.to_string())
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<GraphCode, E> {
                match i64::try_from(v) {
                    Ok(i) => self.visit_i64(i),
                    Err(_) => Ok(GraphCode::Raw(v.to_string())),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<GraphCode, E> {
                Ok(GraphCode::Raw(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<GraphCode, E> {
                Ok(GraphCode::Raw(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<GraphCode, E> {
                match v.trim().parse::<i64>() {
                    Ok(i) if (-SAFE..=SAFE).contains(&i) => Ok(GraphCode::Int(i)),
                    _ => Ok(GraphCode::Raw(v.to_owned())),
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<GraphCode, E> {
                Ok(GraphCode::Missing)
            }
            fn visit_none<E: de::Error>(self) -> Result<GraphCode, E> {
                Ok(GraphCode::Missing)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<GraphCode, D::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

impl GraphCode {
    #[doc(hidden)]
    pub fn from_json(v: Option<&Value>) -> GraphCode {
        match v {
            None | Some(Value::Null) => GraphCode::Missing,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => GraphCode::Int(i),
                None => GraphCode::Raw(n.to_string()),
            },
            Some(Value::String(s)) => match s.trim().parse::<i64>() {
                Ok(i) => GraphCode::Int(i),
                Err(_) => GraphCode::Raw(s.clone()),
            },
            Some(other) => GraphCode::Raw(other.to_string()),
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            GraphCode::Int(i) => Some(*i),
            _ => None,
        }
    }

    fn entry(&self) -> Option<&'static CatalogEntry> {
        self.as_i64().and_then(catalog::lookup_graph)
    }
}

impl std::fmt::Display for GraphCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GraphCode::Int(i) => write!(f, "{i}"),
            GraphCode::Raw(s) => write!(f, "{s:?}"),
            GraphCode::Missing => f.write_str("(none)"),
        }
    }
}

impl Serialize for GraphCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            GraphCode::Int(i) => s.serialize_i64(*i),
            GraphCode::Raw(r) => s.serialize_str(r),
            GraphCode::Missing => s.serialize_none(),
        }
    }
}

/// Catalog name, kind and retry advice of a Graph code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Classification {
    pub code: Code,
    pub kind: Kind,
    pub retry: Retry,
}

fn classification(
    code: &GraphCode,
    status: Option<u16>,
    is_transient: Option<bool>,
) -> Classification {
    if let Some(e) = code.entry() {
        return Classification {
            code: e.code,
            kind: e.kind,
            retry: e.retry,
        };
    }
    // An unknown code: retry with backoff only when Meta flags it transient or the transport
    // says so (429, 5xx), otherwise not at all. A 401 or 403 still names its kind, but an
    // unknown code there is not advice to re-authenticate: nothing says the token is the cause.
    let status = status.unwrap_or(0);
    let kind = match status {
        429 => Kind::RateLimit,
        500..=599 => Kind::Server,
        401 => Kind::Auth,
        403 => Kind::Permission,
        _ => Kind::Unknown,
    };
    let transient = is_transient == Some(true) || status == 429 || (500..600).contains(&status);
    let retry = if transient {
        Retry::Backoff
    } else {
        Retry::None
    };
    Classification {
        code: Code::GraphUnknownError,
        kind,
        retry,
    }
}

/// Catalog name, kind and retry advice of a code seen without a transport (webhooks, per-item
/// failures).
pub fn classify_code(code: &GraphCode) -> Classification {
    classification(code, None, None)
}

/// Classify one Graph error object (webhooks, per-item failures). Nothing retries automatically;
/// the advice is for the application.
pub fn classify_error_object(obj: &Map<String, Value>) -> Classification {
    classification(&GraphCode::from_json(obj.get("code")), None, None)
}

fn str_member(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn int_member(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    match obj.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn bool_member(obj: &Map<String, Value>, key: &str) -> Option<bool> {
    match obj.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// `Retry-After` as delta-seconds. An HTTP-date needs a clock, which a sans-IO core does not
/// have, so it is left in the headers for the caller.
fn retry_after(headers: &[(String, String)]) -> Option<u64> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// Classify a failed reply: any status, any body (a Graph envelope, another JSON value, or not
/// JSON at all). Never fails: what cannot be read is kept raw.
pub fn classify_response_error(status: u16, headers: &[(String, String)], body: &[u8]) -> ApiError {
    let raw: Value = serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()));
    let empty = Map::new();
    let err = raw
        .get("error")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let graph_code = GraphCode::from_json(err.get("code"));
    let is_transient = bool_member(err, "is_transient");
    let c = classification(&graph_code, Some(status), is_transient);
    let details = err
        .get("error_data")
        .and_then(Value::as_object)
        .and_then(|d| str_member(d, "details"));
    ApiError {
        code: c.code,
        kind: c.kind,
        retry: c.retry,
        http_status: status,
        graph_code,
        graph_subcode: int_member(err, "error_subcode"),
        error_type: str_member(err, "type"),
        message: str_member(err, "message"),
        details,
        fbtrace_id: str_member(err, "fbtrace_id"),
        is_transient,
        user_title: str_member(err, "error_user_title"),
        user_message: str_member(err, "error_user_msg"),
        retry_after_seconds: retry_after(headers),
        operation: None,
        docs_url: None,
        raw,
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for GraphCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GraphCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": ["integer", "string", "null"]})
    }
}
