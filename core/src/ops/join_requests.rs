//! Join requests of `approval_required` groups: list, approve, reject.

use crate::error::Code;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{group_id, json_body};
use crate::config::Config;
use crate::error::ValidationError;
use crate::http::Body;
use crate::ops::Parts;
use crate::validate::{check_id, index, IdRule, Obj, Problems};
use crate::wire::PARTIAL_CODE;
use crate::wire::{lenient_i64, list_or_null, ErrorObject, Extra, Outcome, Paging};

/// Paging parameters on this edge are undocumented: passed through without range checks, so
/// whatever the server accepts works.
pub(super) fn list_join_requests(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(
        &mut p,
        params,
        "",
        &["group_id", "limit", "after", "before"],
    ) else {
        return Err(p.fail());
    };
    let gid = group_id(&mut p, &o);
    let limit = o.int(&mut p, "limit", false);
    let query = super::groups::paging_query(&mut p, &o, limit);
    p.finish(())?;
    Ok(p.parts(&[gid], &query, Body::Empty))
}

/// `POST /{group-id}/join_requests`.
pub(super) fn approve_join_requests(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    decide(params)
}

/// `DELETE /{group-id}/join_requests`, with a body (some HTTP clients drop DELETE bodies).
pub(super) fn reject_join_requests(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    decide(params)
}

/// The same body for both decisions; only the method says which.
fn decide(params: &Value) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(&mut p, params, "", &["group_id", "join_requests"]) else {
        return Err(p.fail());
    };
    let gid = group_id(&mut p, &o);
    let mut ids = Vec::new();
    if let Some(list) = o.array(&mut p, "join_requests", true) {
        if list.is_empty() {
            p.push(
                Code::TooFewItems,
                "join_requests",
                "at least one join request id is required",
            );
        }
        let mut seen = HashSet::new();
        for (i, v) in list.iter().enumerate() {
            let path = index("join_requests", i);
            match v.as_str() {
                Some(id) if check_id(&mut p, &path, id, IdRule::Body) => {
                    if !seen.insert(id) {
                        p.push(
                            Code::DuplicateValue,
                            &path,
                            format!("join request {id:?} is listed more than once"),
                        );
                    }
                    ids.push(Value::from(id));
                }
                Some(_) => {}
                None => p.push(Code::WrongType, &path, "expected a join request id string"),
            }
        }
    }
    p.finish(())?;
    let body = json_body(vec![("join_requests", Value::Array(ids))]);
    Ok(p.parts(&[gid], &[], body))
}

/// `GET /{group-id}/join_requests`. Here `data` is an array.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JoinRequestList {
    #[serde(default, deserialize_with = "list_or_null")]
    pub data: Vec<JoinRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JoinRequest {
    #[serde(deserialize_with = "crate::wire::required_id")]
    pub join_request_id: String,
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
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
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub creation_timestamp: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Approve/reject reply: per-item successes and failures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JoinRequestsResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_join_requests: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_join_requests: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub failed_join_requests: Vec<FailedJoinRequest>,
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub errors: Vec<ErrorObject>,
    #[serde(flatten)]
    pub extra: Extra,
    /// `partially_failed` is still a result (HTTP 200 or 206, code 131201), never an exception.
    #[serde(default, skip_deserializing)]
    pub outcome: Outcome,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FailedJoinRequest {
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub join_request_id: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub errors: Vec<ErrorObject>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl JoinRequestsResult {
    /// Succeeded only when nothing says otherwise: no failed item, no top-level error, no 206.
    /// Failed when something went wrong and nothing was done (and no 131201 says part was).
    pub(super) fn with_outcome(mut self, status: u16) -> Self {
        let done = self.approved_join_requests.as_ref().map_or(0, Vec::len)
            + self.rejected_join_requests.as_ref().map_or(0, Vec::len);
        let partial_code = self
            .errors
            .iter()
            .any(|e| e.code.as_i64() == Some(PARTIAL_CODE));
        let trouble =
            !self.failed_join_requests.is_empty() || !self.errors.is_empty() || status == 206;
        self.outcome = if !trouble {
            Outcome::Succeeded
        } else if done == 0 && !partial_code && status != 206 {
            Outcome::Failed
        } else {
            Outcome::PartiallyFailed
        };
        self
    }
}
