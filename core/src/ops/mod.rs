//! Every Groups API operation: parameters (JSON, the wire body's own members plus the path ids)
//! → validated request data; reply → typed value or classified error.
//!
//! One file per family of endpoints. Each operation has a `build` (params → request) and a
//! reply type; this module names them and dispatches.

mod analytics;
mod groups;
mod invite_link;
mod join_requests;
mod media;
mod messages;
mod participants;
mod picture;

use crate::error::Code;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::{classify_response_error, DecodeError, Error, ValidationError};
use crate::http::{Body, Method, Request};
use crate::validate::{check_id, IdRule, Obj, Problems, MAX_PARAMS_DEPTH};

pub use crate::wire::Outcome;
pub use analytics::{
    MessageAnalytics, MessageAnalyticsReply, MessageDataPoint, PricingAnalytics,
    PricingAnalyticsData, PricingAnalyticsReply, PricingDataPoint,
};
pub use groups::{
    CreateGroupReply, GroupField, GroupInfo, GroupList, GroupListData, GroupSummary,
    DESCRIPTION_MAX, LIST_LIMIT_MAX, SUBJECT_MAX,
};
pub use invite_link::InviteLinkReply;
pub use join_requests::{FailedJoinRequest, JoinRequest, JoinRequestList, JoinRequestsResult};
pub use media::{
    check_media_download, MediaDownload, MediaInfo, MediaUploaded, MEDIA_HOSTS, MEDIA_HOST_DOMAINS,
};
pub use messages::{MessageSent, SentContact, SentMessage, GROUP_MESSAGE_TYPES};
pub use participants::{ParticipantsResult, PARTICIPANTS_MAX};
pub use picture::{build_set_group_picture, PictureParams};

/// One row per operation: its variant and name, method and path (`{…}` are parameters), the
/// function that builds it and the type its reply parses into, and `unverified` when only Meta's
/// OpenAPI file documents it. The enum, `method()`, `path()`, the build and reply dispatch and
/// the reply names of the JSON Schema all come from these rows (a test checks the table in docs/operations.md
/// and every request the fixtures build against them), so adding an operation is one row plus
/// its file.
macro_rules! operations {
    ($(
        $(#[doc = $doc:expr])*
        $(#[cfg($cfg:meta)])?
        $variant:ident = $name:literal: $method:ident $path:literal
            => $build:path, $reply:ident $(, $flag:ident)*;
    )+) => {
        /// The operations, named the same in every language and in the CLI.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $($(#[doc = $doc])* $(#[cfg($cfg)])? $variant,)+
        }

        impl Operation {
            /// Every operation this build offers.
            pub const ALL: &'static [Operation] = &[$($(#[cfg($cfg)])? Operation::$variant,)+];

            pub fn name(self) -> &'static str {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => $name,)+
                }
            }

            pub fn method(self) -> Method {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => Method::$method,)+
                }
            }

            /// The path after the version, with `{parameter}` placeholders.
            pub fn path(self) -> &'static str {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => $path,)+
                }
            }

            /// Documented only in Meta's OpenAPI file, not in the guides.
            pub fn is_unverified(self) -> bool {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => flag!(unverified; $($flag)*),)+
                }
            }

            /// The name of the type the reply parses into (as in the JSON Schema).
            pub fn reply_type(self) -> &'static str {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => stringify!($reply),)+
                }
            }

            /// Uploads a file (given beside the parameters).
            pub fn takes_file(self) -> bool {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => flag!(file; $($flag)*),)+
                }
            }

            fn build(
                self,
                params: &Value,
                file: Option<&[u8]>,
                config: &Config,
            ) -> Result<Request, Error> {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => {
                        Ok(call_builder!($build, params, file, config; $($flag)*)?)
                    })+
                }
            }

            fn reply(
                self,
                status: u16,
                headers: &[(String, String)],
                body: &[u8],
            ) -> Result<Reply, Error> {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => {
                        <$reply as ReplyBody>::parse(status, headers, body)
                    })+
                }
            }
        }
    };
}

/// Whether a row's flags (after the reply type) include `unverified` or `file`.
macro_rules! flag {
    (unverified;) => { false };
    (unverified; unverified $($rest:ident)*) => { true };
    (file;) => { false };
    (file; file $($rest:ident)*) => { true };
    ($want:ident; $other:ident $($rest:ident)*) => { flag!($want; $($rest)*) };
}

/// A `file` row's builder takes the file; any other refuses one.
macro_rules! call_builder {
    ($build:path, $params:ident, $file:ident, $config:ident;) => {{
        refuse_file($file)?;
        $build($params, $config)
    }};
    ($build:path, $params:ident, $file:ident, $config:ident; file $($rest:ident)*) => {
        $build($params, $file, $config)
    };
    ($build:path, $params:ident, $file:ident, $config:ident; $other:ident $($rest:ident)*) => {
        call_builder!($build, $params, $file, $config; $($rest)*)
    };
}

fn refuse_file(file: Option<&[u8]>) -> Result<(), ValidationError> {
    match file {
        None => Ok(()),
        Some(_) => Err(ValidationError::single(
            Code::NotAllowed,
            "file",
            "this operation uploads no file",
        )),
    }
}

operations! {
    CreateGroup = "create_group": Post "/{phone_number_id}/groups"
        => groups::create_group, CreateGroupReply;
    ListGroups = "list_groups": Get "/{phone_number_id}/groups"
        => groups::list_groups, GroupList;
    GetGroupInfo = "get_group_info": Get "/{group_id}"
        => groups::get_group_info, GroupInfo;
    UpdateGroupSettings = "update_group_settings": Post "/{group_id}"
        => groups::update_group_settings, Accepted;
    SetGroupPicture = "set_group_picture": Post "/{group_id}"
        => picture::set_group_picture, Accepted, file;
    DeleteGroup = "delete_group": Delete "/{group_id}"
        => groups::delete_group, Accepted;
    GetInviteLink = "get_invite_link": Get "/{group_id}/invite_link"
        => invite_link::get_invite_link, InviteLinkReply;
    ResetInviteLink = "reset_invite_link": Post "/{group_id}/invite_link"
        => invite_link::reset_invite_link, InviteLinkReply;
    DeleteInviteLink = "delete_invite_link": Delete "/{group_id}/invite_link"
        => invite_link::delete_invite_link, Accepted, unverified;
    ListJoinRequests = "list_join_requests": Get "/{group_id}/join_requests"
        => join_requests::list_join_requests, JoinRequestList;
    ApproveJoinRequests = "approve_join_requests": Post "/{group_id}/join_requests"
        => join_requests::approve_join_requests, JoinRequestsResult;
    RejectJoinRequests = "reject_join_requests": Delete "/{group_id}/join_requests"
        => join_requests::reject_join_requests, JoinRequestsResult;
    RemoveParticipants = "remove_participants": Delete "/{group_id}/participants"
        => participants::remove_participants, ParticipantsResult;
    SendMessage = "send_message": Post "/{phone_number_id}/messages"
        => messages::send_message, MessageSent;
    PinMessage = "pin_message": Post "/{phone_number_id}/messages"
        => messages::pin_message, MessageSent;
    UnpinMessage = "unpin_message": Post "/{phone_number_id}/messages"
        => messages::unpin_message, MessageSent;
    SendInviteLinkTemplate = "send_invite_link_template": Post "/{phone_number_id}/messages"
        => messages::send_invite_link_template, MessageSent;
    UploadMedia = "upload_media": Post "/{phone_number_id}/media"
        => media::upload_media, MediaUploaded, file;
    GetMedia = "get_media": Get "/{media_id}"
        => media::get_media, MediaInfo;
    DeleteMedia = "delete_media": Delete "/{media_id}"
        => media::delete_media, Accepted;
    DownloadMedia = "download_media": Get "{url}"
        => media::download_media, MediaDownload;
    GetMessageAnalytics = "get_message_analytics": Get "/{waba_id}"
        => analytics::get_message_analytics, MessageAnalyticsReply;
    GetPricingAnalytics = "get_pricing_analytics": Get "/{waba_id}"
        => analytics::get_pricing_analytics, PricingAnalyticsReply;
    /// Only in Meta's OpenAPI file; contradicts the guides, which say participants join only by
    /// invite link. Behind the `unstable-add-participants` feature.
    #[cfg(feature = "unstable-add-participants")]
    AddParticipants = "add_participants": Post "/{group_id}/participants"
        => participants::add_participants, ParticipantsResult, unverified;
}

impl Operation {
    /// Where a listing's items sit in its reply (dotted), for clients that page through them;
    /// `None` for an operation that is not a listing.
    pub fn page_items(self) -> Option<&'static str> {
        match self {
            Operation::ListGroups => Some("data.groups"),
            Operation::ListJoinRequests => Some("data"),
            _ => None,
        }
    }

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
}

/// What the operation table says about one operation, as `operations()` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OperationInfo {
    pub name: &'static str,
    pub method: Method,
    /// After the version, with `{parameter}` placeholders.
    pub path: &'static str,
    /// The reply's type name in the JSON Schema and the typings.
    pub reply: &'static str,
    /// Documented only in Meta's OpenAPI file.
    pub unverified: bool,
    /// A listing's items in its reply (dotted path), for paging clients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<&'static str>,
}

impl OperationInfo {
    pub fn all() -> Vec<OperationInfo> {
        Operation::ALL
            .iter()
            .map(|op| OperationInfo {
                name: op.name(),
                method: op.method(),
                path: op.path(),
                reply: op.reply_type(),
                unverified: op.is_unverified(),
                items: op.page_items(),
            })
            .collect()
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Build the request of `op` from its JSON parameters. Validation collects every problem.
/// An operation that uploads a file (`set_group_picture`, `upload_media`) takes it as standard
/// base64 in the parameters' `file` here; [`build_request_with_file`] takes the bytes.
pub fn build_request(op: Operation, params: &Value, config: &Config) -> Result<Request, Error> {
    build_request_with_file(op, params, None, config)
}

/// [`build_request`] with the bytes of the operation's file beside the parameters (refused by
/// operations that upload none).
pub fn build_request_with_file(
    op: Operation,
    params: &Value,
    file: Option<&[u8]>,
    config: &Config,
) -> Result<Request, Error> {
    if let Some(path) = crate::validate::too_deep(params, MAX_PARAMS_DEPTH) {
        return Err(crate::validate::params_too_deep(path).into());
    }
    op.build(params, file, config)
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
    /// Remove (or add) participants: the body is not documented; the outcome comes from the
    /// status (206) and code 131201.
    Participants(ParticipantsResult),
    MessageSent(MessageSent),
    MediaUploaded(MediaUploaded),
    /// Where to download a media file (for 5 minutes) and what to expect.
    Media(MediaInfo),
    /// A downloaded file's size and SHA-256 (the bytes stay with the caller).
    MediaDownload(MediaDownload),
    MessageAnalytics(MessageAnalyticsReply),
    PricingAnalytics(PricingAnalyticsReply),
}

impl Reply {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A reply body: read from JSON, completed with what the library computes (outcome, message
/// id, warnings; a 206 status means a partial result), then wrapped as a [`Reply`].
trait ReplyBody: DeserializeOwned {
    fn into_reply(self, status: u16) -> Reply;

    /// A JSON body by default; a download overrides this.
    fn parse(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<Reply, Error> {
        let value = json_reply(status, headers, body)?;
        Ok(decode::<Self>(value)?.into_reply(status))
    }
}

impl ReplyBody for MessageAnalyticsReply {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::MessageAnalytics(self)
    }
}

impl ReplyBody for PricingAnalyticsReply {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::PricingAnalytics(self)
    }
}

impl ReplyBody for MediaUploaded {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::MediaUploaded(self)
    }
}

impl ReplyBody for MediaInfo {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::Media(self)
    }
}

impl ReplyBody for MediaDownload {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::MediaDownload(self)
    }

    /// The file itself: its size and SHA-256, never parsed.
    fn parse(_status: u16, _headers: &[(String, String)], body: &[u8]) -> Result<Reply, Error> {
        Ok(Reply::MediaDownload(MediaDownload::of(body)))
    }
}

impl ReplyBody for CreateGroupReply {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::GroupCreated(self)
    }
}

impl ReplyBody for GroupList {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::Groups(self)
    }
}

impl ReplyBody for GroupInfo {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::GroupInfo(self)
    }
}

impl ReplyBody for Accepted {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::Accepted(self)
    }
}

impl ReplyBody for InviteLinkReply {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::InviteLink(self.checked())
    }
}

impl ReplyBody for JoinRequestList {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::JoinRequests(self)
    }
}

impl ReplyBody for JoinRequestsResult {
    fn into_reply(self, status: u16) -> Reply {
        Reply::JoinRequestsResult(self.with_outcome(status))
    }
}

impl ReplyBody for ParticipantsResult {
    fn into_reply(self, status: u16) -> Reply {
        Reply::Participants(self.with_outcome(status))
    }
}

impl ReplyBody for MessageSent {
    fn into_reply(self, _status: u16) -> Reply {
        Reply::MessageSent(self.with_message_id())
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
    op.reply(status, headers, body)
}

/// A 2xx JSON reply body as an object: empty counts as `{}`; a Graph `error` inside is still
/// an error.
fn json_reply(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<Value, Error> {
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
    Ok(value)
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

/// The file of an operation that uploads one: the bytes given beside the parameters, or (for
/// callers that can only send JSON) standard base64 in the parameters' `file`; never both.
pub(crate) fn file_bytes<'a>(
    p: &mut Problems,
    o: &Obj<'_>,
    file: Option<&'a [u8]>,
) -> Option<std::borrow::Cow<'a, [u8]>> {
    use base64::Engine;
    let in_params = o.has("file");
    match (file, in_params) {
        (Some(_), true) => {
            p.push(
                Code::MutuallyExclusive,
                "file",
                "the file is given twice: as bytes and as base64 in the parameters",
            );
            None
        }
        (Some(bytes), false) => Some(std::borrow::Cow::Borrowed(bytes)),
        (None, _) => {
            let b64 = o.str(p, "file", true)?;
            match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
                Ok(bytes) => Some(std::borrow::Cow::Owned(bytes)),
                Err(_) => {
                    p.push(
                        Code::InvalidFormat,
                        "file",
                        "expected the file's bytes, or standard base64 in the parameters",
                    );
                    None
                }
            }
        }
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
