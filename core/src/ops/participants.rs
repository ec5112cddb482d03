//! Remove participants, and the add that only Meta's OpenAPI file lists, behind a feature.

use crate::error::Code;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{group_id, json_body};
use crate::config::Config;
use crate::error::ValidationError;
use crate::ops::Parts;
use crate::validate::{index, is_bsuid, is_phone, Obj, Problems};
use crate::wire::{list_or_null, ErrorObject, Extra, Outcome, PARTIAL_CODE};

pub const PARTICIPANTS_MAX: usize = 8;

/// 1–8 items, each `{"user": phone}` or `{"user_id": BSUID}` (never both), no duplicates.
fn participants(p: &mut Problems, o: &Obj<'_>, allow_user_id: bool) -> Vec<Value> {
    let mut out = Vec::new();
    let Some(list) = o.array(p, "participants", true) else {
        return out;
    };
    if list.is_empty() {
        p.push(
            Code::TooFewItems,
            "participants",
            "at least one participant is required",
        );
    }
    if list.len() > PARTICIPANTS_MAX {
        p.push(
            Code::TooManyItems,
            "participants",
            format!(
                "{} participants; at most {PARTICIPANTS_MAX} per call",
                list.len()
            ),
        );
    }
    let keys: &[&str] = if allow_user_id {
        &["user", "user_id"]
    } else {
        &["user"]
    };
    let mut seen = HashSet::new();
    for (i, item) in list.iter().enumerate() {
        let path = index("participants", i);
        let Some(obj) = Obj::new(p, item, &path, keys) else {
            continue;
        };
        let user = obj.str(p, "user", false);
        let user_id = if allow_user_id {
            obj.str(p, "user_id", false)
        } else {
            None
        };
        let (key, value) = match (user, user_id) {
            (Some(_), Some(_)) => {
                p.push(
                    Code::MutuallyExclusive,
                    &path,
                    "give \"user\" or \"user_id\", not both",
                );
                continue;
            }
            (None, None) => {
                if !obj.has("user") && !obj.has("user_id") {
                    p.push(
                        Code::MissingOneOf,
                        &path,
                        format!("one of {} is required", keys.join(", ")),
                    );
                }
                continue;
            }
            (Some(u), None) => {
                if !is_phone(u) {
                    p.push(
                        Code::InvalidFormat,
                        &obj.path("user"),
                        "expected a phone number or WhatsApp id: digits with an optional leading +",
                    );
                    continue;
                }
                ("user", u)
            }
            (None, Some(u)) => {
                if !is_bsuid(u) {
                    p.push(
                        Code::InvalidFormat,
                        &obj.path("user_id"),
                        "expected a business-scoped user id like GB.48213377590021846511",
                    );
                    continue;
                }
                ("user_id", u)
            }
        };
        // "+1415…" and "1415…" are the same person: the server would answer 131202.
        let normalised = value.strip_prefix('+').unwrap_or(value);
        if !seen.insert(normalised.to_owned()) {
            p.push(
                Code::DuplicateValue,
                &obj.path(key),
                format!("{value:?} is listed more than once"),
            );
        }
        let mut m = Map::new();
        m.insert(key.to_owned(), Value::from(value));
        out.push(Value::Object(m));
    }
    out
}

/// `DELETE` (remove, `user` or `user_id`) or `POST` (the OpenAPI-only add, `user` only) on
/// `/{group-id}/participants`.
fn participants_request(params: &Value, allow_user_id: bool) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(&mut p, params, "", &["group_id", "participants"]) else {
        return Err(p.fail());
    };
    let gid = group_id(&mut p, &o);
    let list = participants(&mut p, &o, allow_user_id);
    p.finish(())?;
    let body = json_body(vec![("participants", Value::Array(list))]);
    Ok(p.parts(&[gid], &[], body))
}

pub(super) fn remove_participants(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    participants_request(params, true)
}

/// Unstable: the guides say participants cannot be added directly; only the OpenAPI file has it.
#[cfg(feature = "unstable-add-participants")]
pub(super) fn add_participants(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    participants_request(params, false)
}

/// The reply to removing (or adding) participants. Meta documents no body, so every member is
/// kept; `outcome` is `partially_failed` on HTTP 206 or a code 131201 error (some participants
/// were not removed: the webhook names them), `failed` when errors came without 131201.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParticipantsResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub success: Option<bool>,
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub errors: Vec<ErrorObject>,
    #[serde(flatten)]
    pub extra: Extra,
    #[serde(default, skip_deserializing)]
    pub outcome: Outcome,
}

impl ParticipantsResult {
    pub(super) fn with_outcome(mut self, status: u16) -> Self {
        let partial = status == 206
            || self
                .errors
                .iter()
                .any(|e| e.code.as_i64() == Some(PARTIAL_CODE));
        self.outcome = if partial {
            Outcome::PartiallyFailed
        } else if !self.errors.is_empty() || self.success == Some(false) {
            Outcome::Failed
        } else {
            Outcome::Succeeded
        };
        self
    }
}
