//! A request as plain data: the caller sends it with any HTTP client.

use std::fmt;

use base64::Engine;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};

use crate::config::Config;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// The body of a request. Some HTTP clients silently drop `DELETE` bodies: reject join
/// requests, remove participants and delete invite link need theirs.
#[derive(Clone, PartialEq, Eq)]
pub enum Body {
    Empty,
    /// Compact JSON text, members in a fixed order.
    Json(String),
    /// `multipart/form-data` bytes and the full `Content-Type` (with its boundary).
    Multipart {
        content_type: String,
        bytes: Vec<u8>,
    },
}

impl Body {
    /// The bytes to put on the wire.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Empty => &[],
            Body::Json(text) => text.as_bytes(),
            Body::Multipart { bytes, .. } => bytes,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json(text) => f.debug_tuple("Json").field(text).finish(),
            Body::Multipart {
                content_type,
                bytes,
            } => f
                .debug_struct("Multipart")
                .field("content_type", content_type)
                .field("len", &bytes.len())
                .finish(),
        }
    }
}

impl Serialize for Body {
    /// `null`, `{"type":"json","text":…}` or `{"type":"multipart","content_type":…,"base64":…}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = match self {
            Body::Empty => Value::Null,
            Body::Json(text) => json!({"type": "json", "text": text}),
            Body::Multipart {
                content_type,
                bytes,
            } => json!({
                "type": "multipart",
                "content_type": content_type,
                "base64": base64::engine::general_purpose::STANDARD.encode(bytes),
            }),
        };
        v.serialize(s)
    }
}

/// Method, URL, headers and body: all an HTTP client needs.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// Header names in lowercase, in a fixed order.
    #[serde(serialize_with = "headers_as_object")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, String>")
    )]
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// What was let through although the documents do not confirm it (with `allow_unverified`),
    /// or is allowed but worth a second look (an `http://` media link).
    pub warnings: Vec<crate::error::Warning>,
}

fn headers_as_object<S: Serializer>(h: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    let map: serde_json::Map<String, Value> = h
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    map.serialize(s)
}

impl fmt::Debug for Request {
    /// The `Authorization` value is redacted: requests end up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k == "authorization" {
                    (k.as_str(), "Bearer <redacted>")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request as JSON (what the CLI prints and the bindings return).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// A request back from its JSON form (what the bindings hand out), so that a binding can
    /// send its body as bytes: a multipart body's base64 is decoded here, once.
    pub fn from_json(v: &Value) -> Result<Request, crate::error::DecodeError> {
        use crate::error::DecodeError;
        let text = |key: &str| -> Result<String, DecodeError> {
            v.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| DecodeError::shape(key, format!("a request has a string {key:?}")))
        };
        let method = match text("method")?.as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "DELETE" => Method::Delete,
            other => {
                return Err(DecodeError::shape(
                    "method",
                    format!("{other:?} is not GET, POST or DELETE"),
                ))
            }
        };
        let mut headers = Vec::new();
        for (k, h) in v
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let h = h.as_str().ok_or_else(|| {
                DecodeError::shape(format!("headers.{k}"), "a header is a string")
            })?;
            headers.push((k.clone(), h.to_owned()));
        }
        let body = match v.get("body") {
            None | Some(Value::Null) => Body::Empty,
            Some(b) => match b.get("type").and_then(Value::as_str) {
                Some("json") => Body::Json(
                    b.get("text")
                        .and_then(Value::as_str)
                        .ok_or_else(|| DecodeError::shape("body.text", "a JSON body has its text"))?
                        .to_owned(),
                ),
                Some("multipart") => {
                    let b64 = b.get("base64").and_then(Value::as_str).unwrap_or_default();
                    Body::Multipart {
                        content_type: b
                            .get("content_type")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        bytes: base64::engine::general_purpose::STANDARD
                            .decode(b64)
                            .map_err(|_| {
                                DecodeError::shape("body.base64", "not standard base64")
                            })?,
                    }
                }
                _ => return Err(DecodeError::shape("body.type", "\"json\" or \"multipart\"")),
            },
        };
        Ok(Request {
            method,
            url: text("url")?,
            headers,
            body,
            warnings: Vec::new(),
        })
    }
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded, so an opaque id
/// is always exactly one path segment.
pub(crate) fn encode_segment(s: &str) -> String {
    encode(s, b"")
}

/// Query values additionally keep `,` (the `fields` separator).
fn encode_query_value(s: &str) -> String {
    encode(s, b",")
}

fn encode(s: &str, keep: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Assemble a request: `{base}/{version}/{segments…}?{query}` plus headers for `body`.
pub(crate) fn request(
    config: &Config,
    method: Method,
    segments: &[&str],
    query: &[(&str, String)],
    body: Body,
) -> Request {
    let mut url = format!("{}/{}", config.base_url(), config.version().as_str());
    for seg in segments {
        url.push('/');
        url.push_str(&encode_segment(seg));
    }
    for (i, (k, v)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(k);
        url.push('=');
        url.push_str(&encode_query_value(v));
    }
    request_to(config, method, url, body)
}

/// A request to a full URL (a media download): the token and content type as for Graph calls.
pub(crate) fn request_to(config: &Config, method: Method, url: String, body: Body) -> Request {
    let mut headers = Vec::new();
    if let Some(token) = config.token() {
        headers.push((
            "authorization".to_owned(),
            format!("Bearer {}", token.expose()),
        ));
    }
    match &body {
        Body::Empty => {}
        Body::Json(_) => headers.push(("content-type".to_owned(), "application/json".to_owned())),
        Body::Multipart { content_type, .. } => {
            headers.push(("content-type".to_owned(), content_type.clone()))
        }
    }
    Request {
        method,
        url,
        headers,
        body,
        warnings: Vec::new(),
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Body {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Body".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "oneOf": [
                {"type": "null"},
                {"title": "JsonBody", "type": "object", "required": ["type", "text"],
                 "properties": {"type": {"const": "json"}, "text": {"type": "string"}}},
                {"title": "MultipartBody", "type": "object", "required": ["type", "content_type", "base64"],
                 "properties": {"type": {"const": "multipart"}, "content_type": {"type": "string"}, "base64": {"type": "string"}}}
            ]
        })
    }
}
