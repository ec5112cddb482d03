//! One umbrella error with a few origins: caller input (validation), image bytes, a reply we
//! cannot read (decode), and the Graph API saying no (api). Every error has a stable code, a kind
//! and retry advice from [`catalog`].

pub mod catalog;
mod classify;

use serde::Serialize;
use serde_json::{json, Map, Value};

pub use catalog::{error_catalog, lookup, lookup_graph, CatalogEntry, Code, Kind, Origin, Retry};
pub use classify::{
    classify_code, classify_error_object, classify_response_error, Classification, GraphCode,
};

/// One problem with one parameter. `path` is dotted with indices: `participants[3].user`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    pub code: Code,
    pub path: String,
    pub message: String,
}

/// Something worth knowing that did not stop the work: a member left out of a webhook's typed
/// view, an identifier too long to copy onto every event… Same shape as [`FieldError`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Warning {
    pub code: Code,
    /// Where, relative to the item (`timestamp`, `errors[0].code`); empty for the whole item.
    pub path: String,
    pub message: String,
}

/// Every problem found in the caller's input, collected (never fail-fast).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid parameters: {}", summary(.errors))]
pub struct ValidationError {
    pub errors: Vec<FieldError>,
}

fn summary(errors: &[FieldError]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| {
            if e.path.is_empty() {
                e.message.clone()
            } else {
                format!("{}: {}", e.path, e.message)
            }
        })
        .collect();
    parts.join("; ")
}

impl ValidationError {
    #[doc(hidden)]
    pub fn single(code: Code, path: &str, message: impl Into<String>) -> Self {
        ValidationError {
            errors: vec![FieldError {
                code,
                path: path.to_owned(),
                message: message.into(),
            }],
        }
    }
}

/// Image bytes that cannot be read as an image at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ImageError {
    pub code: Code,
    pub message: String,
}

/// A reply or delivery that cannot be read: not JSON, or JSON of the wrong shape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    pub code: Code,
    /// Where in the document the problem is (`data.groups[2].id`); empty at the top.
    pub path: String,
    pub message: String,
}

impl DecodeError {
    #[doc(hidden)]
    pub fn shape(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError {
            code: Code::DecodeUnexpectedShape,
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The handshake or the signature did not check out: answer 403 (or 401) and do nothing else.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct VerificationError {
    pub code: Code,
    pub message: String,
}

impl VerificationError {
    #[doc(hidden)]
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        VerificationError {
            code,
            message: message.into(),
        }
    }
}

/// A delivery that is not a WhatsApp Business Account webhook at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct WebhookError {
    pub code: Code,
    /// Where in the delivery (`entry[0].changes`); empty at the top.
    pub path: String,
    pub message: String,
}

/// The Graph API answered with an error. Classified on its code (the HTTP status only decides for
/// unknown codes), raw kept.
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("Graph API error {graph_code} ({code}): {}", .message.as_deref().unwrap_or("no message"))]
pub struct ApiError {
    /// Catalog name of the Graph code, or `graph_unknown_error`.
    pub code: Code,
    pub kind: Kind,
    pub retry: Retry,
    /// The HTTP status of the reply.
    pub http_status: u16,
    /// `error.code` as Meta sent it (integer, raw string when not numeric, or absent).
    pub graph_code: GraphCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph_subcode: Option<i64>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// `error.message` as Meta wrote it.
    #[serde(rename = "graph_message", skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `error.error_data.details`: the most specific explanation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fbtrace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_transient: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_message: Option<String>,
    /// `Retry-After` in seconds, when the caller passed the reply's headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// The operation whose reply this was, when the error came from parsing one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<&'static str>,
    /// That operation's page in Meta's documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<&'static str>,
    /// The whole reply body (JSON, or a string when it was not JSON).
    pub raw: Value,
}

/// Everything that can go wrong, by origin.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Api(#[from] Box<ApiError>),
    #[error(transparent)]
    Verification(#[from] VerificationError),
    #[error(transparent)]
    Webhook(#[from] WebhookError),
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl Error {
    /// Stable snake_case code (catalog row).
    pub fn code(&self) -> Code {
        match self {
            Error::Validation(_) => Code::ValidationFailed,
            Error::Image(e) => e.code,
            Error::Decode(e) => e.code,
            Error::Api(e) => e.code,
            Error::Verification(e) => e.code,
            Error::Webhook(e) => e.code,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Error::Api(e) => e.kind,
            other => other.code().kind(),
        }
    }

    pub fn retry(&self) -> Retry {
        match self {
            Error::Api(e) => e.retry,
            other => other.code().retry(),
        }
    }

    /// The name of the error class the bindings raise for this error, the same in Rust, JS and
    /// Python (`ValidationError`, `VerificationError`, …).
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::Validation(_) => "ValidationError",
            Error::Image(_) => "ImageError",
            Error::Decode(_) => "DecodeError",
            Error::Api(_) => "ApiError",
            Error::Verification(_) => "VerificationError",
            Error::Webhook(_) => "WebhookError",
        }
    }

    pub fn origin(&self) -> Origin {
        match self {
            Error::Api(_) => Origin::Remote,
            _ => Origin::Local,
        }
    }

    /// The JSON form every front end prints and every binding returns:
    /// `{code, kind, retry, origin, error_class, message, …details}`. `error_class` names the
    /// class every binding raises, so that none of them decides it by its own rule.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("code".into(), json!(self.code()));
        out.insert("error_class".into(), json!(self.class_name()));
        out.insert("kind".into(), json!(self.kind()));
        out.insert("retry".into(), json!(self.retry()));
        out.insert("origin".into(), json!(self.origin()));
        out.insert("message".into(), json!(self.to_string()));
        match self {
            Error::Validation(e) => {
                out.insert("errors".into(), json!(e.errors));
            }
            Error::Decode(e) => {
                out.insert("path".into(), json!(e.path));
            }
            Error::Webhook(e) => {
                out.insert("path".into(), json!(e.path));
            }
            Error::Image(_) | Error::Verification(_) => {}
            Error::Api(e) => {
                if let Ok(Value::Object(api)) = serde_json::to_value(e.as_ref()) {
                    for (k, v) in api {
                        if k != "code" && k != "kind" && k != "retry" {
                            out.insert(k, v);
                        }
                    }
                }
            }
        }
        Value::Object(out)
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Error {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorInfo".into()
    }

    /// The shape of [`Error::to_json`].
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let kind = g.subschema_for::<Kind>();
        let retry = g.subschema_for::<Retry>();
        let origin = g.subschema_for::<Origin>();
        let field_errors = g.subschema_for::<Vec<FieldError>>();
        let graph_code = g.subschema_for::<GraphCode>();
        schemars::json_schema!({
            "type": "object",
            "required": ["code", "kind", "retry", "origin", "error_class", "message"],
            "properties": {
                "code": {"type": "string"},
                "error_class": {"enum": ["ValidationError", "ImageError", "DecodeError", "ApiError", "VerificationError", "WebhookError"]},
                "kind": kind,
                "retry": retry,
                "origin": origin,
                "message": {"type": "string"},
                "errors": field_errors,
                "path": {"type": "string"},
                "http_status": {"type": "integer"},
                "graph_code": graph_code,
                "graph_subcode": {"type": "integer"},
                "type": {"type": "string"},
                "graph_message": {"type": "string"},
                "details": {"type": "string"},
                "fbtrace_id": {"type": "string"},
                "is_transient": {"type": "boolean"},
                "user_title": {"type": "string"},
                "user_message": {"type": "string"},
                "retry_after_seconds": {"type": "integer"},
                "raw": true
            }
        })
    }
}
