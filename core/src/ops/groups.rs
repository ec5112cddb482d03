//! Create, list, read, update and delete groups.

use crate::error::Code;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{group_id, json_body, only_group_id, phone_number_id};
use crate::config::Config;
use crate::error::ValidationError;
use crate::http::Body;
use crate::ops::Parts;
use crate::validate::{check_len, index, Obj, Problems};
use crate::wire::{
    lenient_bool, lenient_i64, required_id, Extra, JoinApprovalMode, Paging, Participant,
};

pub const SUBJECT_MAX: usize = 128;
pub const DESCRIPTION_MAX: usize = 2048;
pub const LIST_LIMIT_MAX: i64 = 1024;

/// The subject, trimmed (the server trims too, so the limit applies to what is kept).
fn subject<'a>(p: &mut Problems, o: &Obj<'a>, required: bool) -> Option<&'a str> {
    let s = o.str(p, "subject", required)?.trim();
    if s.is_empty() {
        p.push(
            Code::EmptyValue,
            "subject",
            "the subject must not be empty after trimming whitespace",
        );
        return None;
    }
    check_len(p, "subject", s, SUBJECT_MAX);
    Some(s)
}

/// A value outside the documented two is passed raw only with `allow_unverified`.
fn join_approval_mode<'a>(p: &mut Problems, o: &Obj<'a>, config: &Config) -> Option<&'a str> {
    let s = o.str(p, "join_approval_mode", false)?;
    if matches!(JoinApprovalMode::from_wire(s), JoinApprovalMode::Other(_)) {
        p.unverified(
            config.allow_unverified(),
            Code::UnverifiedValue,
            "join_approval_mode",
            format!("{s:?} is not one of the documented modes: auto_approve, approval_required"),
        );
    }
    Some(s)
}

pub(super) fn create_group(params: &Value, config: &Config) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let allowed = [
        "phone_number_id",
        "subject",
        "description",
        "join_approval_mode",
    ];
    let Some(o) = Obj::new(&mut p, params, "", &allowed) else {
        return Err(p.fail());
    };
    let phone = phone_number_id(&mut p, &o);
    let subject = subject(&mut p, &o, true);
    let description = o.text(&mut p, "description", false, DESCRIPTION_MAX);
    let mode = join_approval_mode(&mut p, &o, config);
    p.finish(())?;
    let mut members = vec![("subject", Value::from(subject.unwrap_or_default()))];
    if let Some(d) = description {
        members.push(("description", Value::from(d)));
    }
    if let Some(m) = mode {
        members.push(("join_approval_mode", Value::from(m)));
    }
    Ok(p.parts(&[phone], &[], json_body(members)))
}

pub(super) fn list_groups(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(
        &mut p,
        params,
        "",
        &["phone_number_id", "limit", "after", "before"],
    ) else {
        return Err(p.fail());
    };
    let phone = phone_number_id(&mut p, &o);
    let limit = o.int(&mut p, "limit", false);
    if let Some(l) = limit {
        if !(1..=LIST_LIMIT_MAX).contains(&l) {
            p.push(
                Code::OutOfRange,
                "limit",
                format!("{l} is outside 1 to {LIST_LIMIT_MAX}"),
            );
        }
    }
    let query = paging_query(&mut p, &o, limit);
    p.finish(())?;
    Ok(p.parts(&[phone], &query, Body::Empty))
}

/// `limit`, `after`, `before` as a query; at most one cursor, since Graph pages one way at a time.
pub(super) fn paging_query(
    p: &mut Problems,
    o: &Obj<'_>,
    limit: Option<i64>,
) -> Vec<(&'static str, String)> {
    let after = o.non_empty_str(p, "after", false);
    let before = o.non_empty_str(p, "before", false);
    if after.is_some() && before.is_some() {
        p.push(
            Code::MutuallyExclusive,
            "before",
            "send at most one of \"after\" and \"before\"",
        );
    }
    let mut q = Vec::new();
    if let Some(l) = limit {
        q.push(("limit", l.to_string()));
    }
    if let Some(a) = after {
        q.push(("after", a.to_owned()));
    }
    if let Some(b) = before {
        q.push(("before", b.to_owned()));
    }
    q
}

crate::wire::open_enum! {
    /// Fields of `GET /{group-id}?fields=…`, in the order they are sent.
    GroupField {
        Subject = "subject",
        Description = "description",
        JoinApprovalMode = "join_approval_mode",
        Suspended = "suspended",
        CreationTimestamp = "creation_timestamp",
        Participants = "participants",
        TotalParticipantCount = "total_participant_count",
    }
}

const KNOWN_FIELDS: [&str; 7] = [
    "subject",
    "description",
    "join_approval_mode",
    "suspended",
    "creation_timestamp",
    "participants",
    "total_participant_count",
];

pub(super) fn get_group_info(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(&mut p, params, "", &["group_id", "fields", "extra_fields"]) else {
        return Err(p.fail());
    };
    let gid = group_id(&mut p, &o);
    let mut known = Vec::new();
    for (i, v) in o
        .array(&mut p, "fields", false)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let path = index("fields", i);
        match v.as_str() {
            Some(s) if KNOWN_FIELDS.contains(&s) => known.push(s),
            Some(s) => p.push(
                Code::InvalidValue,
                &path,
                format!(
                    "{s:?} is not a group field; use extra_fields for others. Known: {}",
                    KNOWN_FIELDS.join(", ")
                ),
            ),
            None => p.push(Code::WrongType, &path, "expected a string"),
        }
    }
    let mut extra = Vec::new();
    for (i, v) in o
        .array(&mut p, "extra_fields", false)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let path = index("extra_fields", i);
        match v.as_str() {
            Some(s)
                if !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') =>
            {
                extra.push(s)
            }
            Some(_) => p.push(
                Code::InvalidFormat,
                &path,
                "a field name is lowercase letters, digits and _",
            ),
            None => p.push(Code::WrongType, &path, "expected a string"),
        }
    }
    p.finish(())?;
    // Stable order: documented fields in table order, then extras sorted; no duplicates.
    let mut names: Vec<&str> = KNOWN_FIELDS
        .iter()
        .copied()
        .filter(|f| known.contains(f))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    names.extend(extra.into_iter().filter(|e| !KNOWN_FIELDS.contains(e)));
    let query = if names.is_empty() {
        vec![]
    } else {
        vec![("fields", names.join(","))]
    };
    Ok(p.parts(&[gid], &query, Body::Empty))
}

pub(super) fn update_group_settings(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let Some(o) = Obj::new(&mut p, params, "", &["group_id", "subject", "description"]) else {
        return Err(p.fail());
    };
    let gid = group_id(&mut p, &o);
    let subject = subject(&mut p, &o, false);
    let description = o.text(&mut p, "description", false, DESCRIPTION_MAX);
    if !o.has("subject") && !o.has("description") {
        p.push(
            Code::MissingOneOf,
            "",
            "at least one of \"subject\" and \"description\" is required (the picture has its own operation, set_group_picture)",
        );
    }
    p.finish(())?;
    let mut members = Vec::new();
    if let Some(s) = subject {
        members.push(("subject", Value::from(s)));
    }
    if let Some(d) = description {
        members.push(("description", Value::from(d)));
    }
    Ok(p.parts(&[gid], &[], json_body(members)))
}

pub(super) fn delete_group(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let gid = only_group_id(&mut p, params);
    p.finish(())?;
    Ok(p.parts(&[gid.unwrap_or_default()], &[], Body::Empty))
}

// ---- replies ----

/// `POST /{phone-number-id}/groups`: the group id arrives later, by webhook, under this
/// `request_id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreateGroupReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::wire::lenient_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /{phone-number-id}/groups`. `data` is an object holding `groups`, not an array.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupList {
    pub data: GroupListData,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupListData {
    #[serde(default, deserialize_with = "crate::wire::list_or_null")]
    pub groups: Vec<GroupSummary>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupSummary {
    #[serde(deserialize_with = "required_id")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Unix seconds (a string in the OpenAPI schema; integers accepted too).
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /{group-id}`: only `id` is certain; the rest depends on `fields`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupInfo {
    #[serde(deserialize_with = "required_id")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_approval_mode: Option<JoinApprovalMode>,
    #[serde(
        default,
        deserialize_with = "lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub suspended: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub creation_timestamp: Option<i64>,
    /// Members, not counting the business.
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_participant_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
    #[serde(flatten)]
    pub extra: Extra,
}
