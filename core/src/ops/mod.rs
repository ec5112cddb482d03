//! Every Groups API operation: parameters (JSON, the wire body's own members plus the path ids)
//! → validated request data; reply → typed value or classified error.
//!
//! One file per family of endpoints. Each operation has a `build` (params → request) and a
//! reply type; this module names them and dispatches.

mod groups;
mod invite_link;
mod join_requests;
mod messages;
mod participants;
mod picture;

use crate::error::Code;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::{classify_response_error, DecodeError, Error, ValidationError};
use crate::http::{Body, Request};
use crate::validate::{check_id, IdRule, Obj, Problems, MAX_PARAMS_DEPTH};

pub use crate::wire::Outcome;
pub use groups::{CreateGroupReply, GroupField, GroupInfo, GroupList, GroupListData, GroupSummary};
pub use invite_link::InviteLinkReply;
pub use join_requests::{FailedJoinRequest, JoinRequest, JoinRequestList, JoinRequestsResult};
pub use messages::{MessageSent, SentContact, SentMessage, GROUP_MESSAGE_TYPES};
pub use picture::{build_set_group_picture, PictureParams};

macro_rules! operations {
    ($($variant:ident = $name:literal),+ $(,)?) => {
        /// The operations, named the same in every language and in the CLI.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $($variant,)+
            /// `POST /{group-id}/participants`: only in Meta's OpenAPI file, contradicts the
            /// guides, which say participants join only by invite link. Behind the
            /// `unstable-add-participants` feature.
            #[cfg(feature = "unstable-add-participants")]
            AddParticipants,
        }

        impl Operation {
            /// Every operation this build offers.
            pub const ALL: &'static [Operation] = &[
                $(Operation::$variant,)+
                #[cfg(feature = "unstable-add-participants")]
                Operation::AddParticipants,
            ];

            pub fn name(self) -> &'static str {
                match self {
                    $(Operation::$variant => $name,)+
                    #[cfg(feature = "unstable-add-participants")]
                    Operation::AddParticipants => "add_participants",
                }
            }
        }
    };
}

operations! {
    CreateGroup = "create_group",
    ListGroups = "list_groups",
    GetGroupInfo = "get_group_info",
    UpdateGroupSettings = "update_group_settings",
    SetGroupPicture = "set_group_picture",
    DeleteGroup = "delete_group",
    GetInviteLink = "get_invite_link",
    ResetInviteLink = "reset_invite_link",
    DeleteInviteLink = "delete_invite_link",
    ListJoinRequests = "list_join_requests",
    ApproveJoinRequests = "approve_join_requests",
    RejectJoinRequests = "reject_join_requests",
    RemoveParticipants = "remove_participants",
    SendMessage = "send_message",
    PinMessage = "pin_message",
    UnpinMessage = "unpin_message",
    SendInviteLinkTemplate = "send_invite_link_template",
}

impl Operation {
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// Parse an operation name, as a typed error when unknown.
    pub fn parse(name: &str) -> Result<Operation, ValidationError> {
        Operation::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
            ValidationError::single(
                Code::UnknownOperation,
                "operation",
                format!(
                    "unknown operation {name:?}; expected one of: {}",
                    names.join(", ")
                ),
            )
        })
    }

    /// Documented only in Meta's OpenAPI file, not in the guides.
    pub fn is_unverified(self) -> bool {
        matches!(self, Operation::DeleteInviteLink) || self.name() == "add_participants"
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Build the request of `op` from its JSON parameters. Validation collects every problem.
///
/// `set_group_picture` takes the picture as base64 in `file` here; Rust callers with bytes in
/// hand use [`build_set_group_picture`].
pub fn build_request(op: Operation, params: &Value, config: &Config) -> Result<Request, Error> {
    if let Some(path) = crate::validate::too_deep(params, MAX_PARAMS_DEPTH) {
        return Err(crate::validate::params_too_deep(path).into());
    }
    use Operation as O;
    let built = match op {
        O::CreateGroup => groups::create_group(params, config),
        O::ListGroups => groups::list_groups(params, config),
        O::GetGroupInfo => groups::get_group_info(params, config),
        O::UpdateGroupSettings => groups::update_group_settings(params, config),
        O::SetGroupPicture => return picture::set_group_picture_from_json(params, config),
        O::DeleteGroup => groups::delete_group(params, config),
        O::GetInviteLink => invite_link::get_invite_link(params, config),
        O::ResetInviteLink => invite_link::reset_invite_link(params, config),
        O::DeleteInviteLink => invite_link::delete_invite_link(params, config),
        O::ListJoinRequests => join_requests::list_join_requests(params, config),
        O::ApproveJoinRequests => join_requests::decide(params, config, true),
        O::RejectJoinRequests => join_requests::decide(params, config, false),
        O::RemoveParticipants => participants::remove_participants(params, config),
        O::SendMessage => messages::send_message(params, config),
        O::PinMessage => messages::pin(params, config, true),
        O::UnpinMessage => messages::pin(params, config, false),
        O::SendInviteLinkTemplate => messages::send_invite_link_template(params, config),
        #[cfg(feature = "unstable-add-participants")]
        O::AddParticipants => participants::add_participants(params, config),
    };
    Ok(built?)
}

/// A parsed successful reply. Serialises to the reply's own JSON shape (normalised values,
/// unknown members kept) plus computed members such as `outcome`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
#[non_exhaustive]
pub enum Reply {
    GroupCreated(CreateGroupReply),
    Groups(GroupList),
    GroupInfo(GroupInfo),
    /// Undocumented 2xx bodies (update settings, picture, remove participants, delete):
    /// `request_id`/`success` surfaced when present, everything kept: the guides do not
    /// document these bodies, so any 2xx counts as accepted.
    Accepted(Accepted),
    InviteLink(InviteLinkReply),
    JoinRequests(JoinRequestList),
    JoinRequestsResult(JoinRequestsResult),
    MessageSent(MessageSent),
}

impl Reply {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A 2xx answer whose body is not documented or only acknowledges.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Accepted {
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
    #[serde(flatten)]
    pub extra: crate::wire::Extra,
}

/// Parse the reply of `op`: a 2xx body becomes a typed [`Reply`]; any other status, or a 2xx
/// body holding a Graph `error`, becomes a classified [`crate::ApiError`]. Pass the reply's
/// headers to honour `Retry-After`.
pub fn parse_response(
    op: Operation,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Reply, Error> {
    if !(200..300).contains(&status) {
        return Err(classify_response_error(status, headers, body).into());
    }
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| DecodeError {
            code: Code::DecodeInvalidJson,
            path: String::new(),
            message: format!("reply body is not JSON: {e}"),
        })?
    };
    if value.get("error").is_some_and(Value::is_object) {
        return Err(classify_response_error(status, headers, body).into());
    }
    if !value.is_object() {
        return Err(DecodeError::shape("", "reply body is not a JSON object").into());
    }
    use Operation as O;
    Ok(match op {
        O::CreateGroup => Reply::GroupCreated(decode(value)?),
        O::ListGroups => Reply::Groups(decode(value)?),
        O::GetGroupInfo => Reply::GroupInfo(decode(value)?),
        O::UpdateGroupSettings
        | O::SetGroupPicture
        | O::RemoveParticipants
        | O::DeleteGroup
        | O::DeleteInviteLink => Reply::Accepted(decode(value)?),
        #[cfg(feature = "unstable-add-participants")]
        O::AddParticipants => Reply::Accepted(decode(value)?),
        O::GetInviteLink | O::ResetInviteLink => {
            Reply::InviteLink(decode::<InviteLinkReply>(value)?.checked())
        }
        O::ListJoinRequests => Reply::JoinRequests(decode(value)?),
        O::ApproveJoinRequests | O::RejectJoinRequests => {
            Reply::JoinRequestsResult(decode::<JoinRequestsResult>(value)?.with_outcome())
        }
        O::SendMessage | O::PinMessage | O::UnpinMessage | O::SendInviteLinkTemplate => {
            Reply::MessageSent(decode::<MessageSent>(value)?.with_message_id())
        }
    })
}

/// JSON → typed value, with the path of the first member that does not fit.
pub(crate) fn decode<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        DecodeError::shape(
            if path == "." { String::new() } else { path },
            e.inner().to_string(),
        )
    })
}

/// The parameters of the next page of a list operation, from the original parameters and the
/// reply: `after` set to the reply's cursor, `before` dropped. `None` at the end of the list
/// (no `next`). The library pages with cursors, never by fetching Meta's `next` URL as given.
pub fn next_page_params(params: &Value, reply: &Reply) -> Option<Value> {
    let paging = match reply {
        Reply::Groups(g) => g.paging.as_ref(),
        Reply::JoinRequests(j) => j.paging.as_ref(),
        _ => None,
    }?;
    let cursor = paging.next_cursor()?;
    let mut next = params.as_object()?.clone();
    next.remove("before");
    next.insert("after".into(), Value::String(cursor.to_owned()));
    Some(Value::Object(next))
}

// ---- helpers shared by the operation files ----

/// A JSON body: `messaging_product` first, then `members` in the given order.
pub(crate) fn json_body(members: Vec<(&str, Value)>) -> Body {
    let mut m = Map::new();
    m.insert("messaging_product".into(), Value::String("whatsapp".into()));
    for (k, v) in members {
        m.insert(k.to_owned(), v);
    }
    Body::Json(Value::Object(m).to_string())
}

pub(crate) fn phone_number_id<'a>(p: &mut Problems, o: &Obj<'a>) -> &'a str {
    match o.str(p, "phone_number_id", true) {
        Some(s) if check_id(p, "phone_number_id", s, IdRule::Digits) => s,
        _ => "",
    }
}

pub(crate) fn group_id<'a>(p: &mut Problems, o: &Obj<'a>) -> &'a str {
    match o.str(p, "group_id", true) {
        Some(s) if check_id(p, "group_id", s, IdRule::PathSegment) => s,
        _ => "",
    }
}

/// Parameters that are only the group id (get/delete calls).
pub(crate) fn only_group_id<'a>(p: &mut Problems, params: &'a Value) -> Option<&'a str> {
    let o = Obj::new(p, params, "", &["group_id"])?;
    Some(group_id(p, &o))
}
