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
/// function that decides its ids, query and body, the [`Reply`] variant and type its reply parses
/// into, its page in Meta's documentation, and `unverified` when only Meta's OpenAPI file
/// documents it. The enum, `method()`, `path()`, the request (the row's method and path filled
/// with the builder's ids), the reply dispatch and the reply names of the JSON Schema all come
/// from these rows (a test checks the table in docs/operations.md against them), so adding an
/// operation is one row plus its file.
macro_rules! operations {
    ($(
        $(#[doc = $doc:expr])*
        $(#[cfg($cfg:meta)])?
        $variant:ident = $name:ident: $method:ident $path:literal
            => $build:path, $rvariant:ident($reply:ident), $page:literal $(, $flag:ident)*;
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
                    $($(#[cfg($cfg)])? Operation::$variant => stringify!($name),)+
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

            /// The operation's page in Meta's documentation.
            pub fn docs_url(self) -> &'static str {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => concat!(
                        "https://developers.facebook.com/documentation/business-messaging/whatsapp/",
                        $page
                    ),)+
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
                let parts = match self {
                    $($(#[cfg($cfg)])? Operation::$variant => {
                        call_builder!($build, params, file, config; $($flag)*)?
                    })+
                };
                Ok(parts.assemble(config, self.method(), self.path()))
            }

            fn reply(
                self,
                status: u16,
                headers: &[(String, String)],
                body: &[u8],
            ) -> Result<Reply, Error> {
                match self {
                    $($(#[cfg($cfg)])? Operation::$variant => {
                        <$reply as ReplyBody>::parse(status, headers, body).map(Reply::$rvariant)
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

/// The operation table, handed to `$callback` (a macro taking the rows): the one place where an
/// operation's name, method, path, builder, reply and documentation page are written. Exported so
/// that a client crate can generate one method per operation from the same rows.
#[doc(hidden)]
#[macro_export]
macro_rules! with_operation_table {
    ($callback:ident) => {
        $callback! {
            CreateGroup = create_group: Post "/{phone_number_id}/groups"
                => groups::create_group, GroupCreated(CreateGroupReply), "groups/reference";
            ListGroups = list_groups: Get "/{phone_number_id}/groups"
                => groups::list_groups, Groups(GroupList), "groups/reference";
            GetGroupInfo = get_group_info: Get "/{group_id}"
                => groups::get_group_info, GroupInfo(GroupInfo), "groups/reference";
            UpdateGroupSettings = update_group_settings: Post "/{group_id}"
                => groups::update_group_settings, Accepted(Accepted), "groups/reference";
            SetGroupPicture = set_group_picture: Post "/{group_id}"
                => picture::set_group_picture, Accepted(Accepted), "groups/reference", file;
            DeleteGroup = delete_group: Delete "/{group_id}"
                => groups::delete_group, Accepted(Accepted), "groups/reference";
            GetInviteLink = get_invite_link: Get "/{group_id}/invite_link"
                => invite_link::get_invite_link, InviteLink(InviteLinkReply), "groups/reference";
            ResetInviteLink = reset_invite_link: Post "/{group_id}/invite_link"
                => invite_link::reset_invite_link, InviteLink(InviteLinkReply), "groups/reference";
            DeleteInviteLink = delete_invite_link: Delete "/{group_id}/invite_link"
                => invite_link::delete_invite_link, Accepted(Accepted), "reference/groups/groups-invite-link-api", unverified;
            ListJoinRequests = list_join_requests: Get "/{group_id}/join_requests"
                => join_requests::list_join_requests, JoinRequests(JoinRequestList), "groups/reference";
            ApproveJoinRequests = approve_join_requests: Post "/{group_id}/join_requests"
                => join_requests::approve_join_requests, JoinRequestsResult(JoinRequestsResult), "groups/reference";
            RejectJoinRequests = reject_join_requests: Delete "/{group_id}/join_requests"
                => join_requests::reject_join_requests, JoinRequestsResult(JoinRequestsResult), "groups/reference";
            RemoveParticipants = remove_participants: Delete "/{group_id}/participants"
                => participants::remove_participants, Participants(ParticipantsResult), "groups/reference";
            SendMessage = send_message: Post "/{phone_number_id}/messages"
                => messages::send_message, MessageSent(MessageSent), "groups/groups-messaging";
            PinMessage = pin_message: Post "/{phone_number_id}/messages"
                => messages::pin_message, MessageSent(MessageSent), "groups/groups-messaging";
            UnpinMessage = unpin_message: Post "/{phone_number_id}/messages"
                => messages::unpin_message, MessageSent(MessageSent), "groups/groups-messaging";
            SendInviteLinkTemplate = send_invite_link_template: Post "/{phone_number_id}/messages"
                => messages::send_invite_link_template, MessageSent(MessageSent), "groups/groups-messaging";
            UploadMedia = upload_media: Post "/{phone_number_id}/media"
                => media::upload_media, MediaUploaded(MediaUploaded), "business-phone-numbers/media", file;
            GetMedia = get_media: Get "/{media_id}"
                => media::get_media, Media(MediaInfo), "business-phone-numbers/media";
            DeleteMedia = delete_media: Delete "/{media_id}"
                => media::delete_media, Accepted(Accepted), "business-phone-numbers/media";
            DownloadMedia = download_media: Get "{url}"
                => media::download_media, MediaDownload(MediaDownload), "business-phone-numbers/media";
            GetMessageAnalytics = get_message_analytics: Get "/{waba_id}"
                => analytics::get_message_analytics, MessageAnalytics(MessageAnalyticsReply), "groups/pricing";
            GetPricingAnalytics = get_pricing_analytics: Get "/{waba_id}"
                => analytics::get_pricing_analytics, PricingAnalytics(PricingAnalyticsReply), "groups/pricing";
            /// Only in Meta's OpenAPI file; contradicts the guides, which say participants join only by
            /// invite link. Behind the `unstable-add-participants` feature.
            #[cfg(feature = "unstable-add-participants")]
            AddParticipants = add_participants: Post "/{group_id}/participants"
                => participants::add_participants, Participants(ParticipantsResult), "reference/groups/groups-participants-api", unverified;
        }
    };
}

with_operation_table!(operations);

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
    /// The operation's page in Meta's documentation.
    pub docs: &'static str,
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
                docs: op.docs_url(),
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

/// Each reply variant once (several operations share one, so the operation rows name them and
/// this table declares them): the [`Reply`] enum, and the plain reading of every reply type not
/// marked `own` (those complete or read themselves, below).
macro_rules! replies {
    ($( $(#[doc = $doc:expr])* $variant:ident($ty:ident) $($own:ident)?, )+) => {
        /// A parsed successful reply. Serialises to the reply's own JSON shape (normalised values,
        /// unknown members kept) plus computed members such as `outcome`.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum Reply {
            $( $(#[doc = $doc])* $variant($ty), )+
        }

        $( replies!(@body $ty $($own)?); )+
    };
    (@body $ty:ident) => {
        impl ReplyBody for $ty {}
    };
    (@body $ty:ident own) => {};
}

replies! {
    GroupCreated(CreateGroupReply),
    Groups(GroupList),
    GroupInfo(GroupInfo),
    /// Undocumented 2xx bodies (update settings, picture, remove participants, delete):
    /// `request_id`/`success` surfaced when present, everything kept: the guides do not
    /// document these bodies, so any 2xx counts as accepted.
    Accepted(Accepted),
    InviteLink(InviteLinkReply) own,
    JoinRequests(JoinRequestList),
    JoinRequestsResult(JoinRequestsResult) own,
    /// Remove (or add) participants: the body is not documented; the outcome comes from the
    /// status (206) and code 131201.
    Participants(ParticipantsResult) own,
    MessageSent(MessageSent) own,
    MediaUploaded(MediaUploaded),
    /// Where to download a media file (for 5 minutes) and what to expect.
    Media(MediaInfo),
    /// A downloaded file's size and SHA-256 (the bytes stay with the caller).
    MediaDownload(MediaDownload) own,
    MessageAnalytics(MessageAnalyticsReply),
    PricingAnalytics(PricingAnalyticsReply),
}

impl Reply {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A reply body: read from JSON, then completed with what the library computes (outcome,
/// message id, warnings; a 206 status means a partial result). The row wraps it in its variant.
trait ReplyBody: DeserializeOwned {
    /// Nothing to compute by default.
    fn complete(self, _status: u16) -> Self {
        self
    }

    /// A JSON body by default; a download overrides this.
    fn parse(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<Self, Error> {
        let text = json_reply(status, headers, body)?;
        Ok(decode_text::<Self>(text)?.complete(status))
    }
}

impl ReplyBody for InviteLinkReply {
    fn complete(self, _status: u16) -> Self {
        self.checked()
    }
}

impl ReplyBody for JoinRequestsResult {
    fn complete(self, status: u16) -> Self {
        self.with_outcome(status)
    }
}

impl ReplyBody for ParticipantsResult {
    fn complete(self, status: u16) -> Self {
        self.with_outcome(status)
    }
}

impl ReplyBody for MessageSent {
    fn complete(self, _status: u16) -> Self {
        self.with_message_id()
    }
}

impl ReplyBody for MediaDownload {
    /// The file itself: its size and SHA-256, never parsed.
    fn parse(_status: u16, _headers: &[(String, String)], body: &[u8]) -> Result<Self, Error> {
        Ok(MediaDownload::of(body))
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
    let named = |e: Error| match e {
        Error::Api(mut api) => {
            api.operation = Some(op.name());
            api.docs_url = Some(op.docs_url());
            Error::Api(api)
        }
        other => other,
    };
    if !(200..300).contains(&status) {
        return Err(named(classify_response_error(status, headers, body).into()));
    }
    op.reply(status, headers, body).map_err(named)
}

/// A 2xx JSON reply body's text, checked to be an object: empty counts as `{}`; a Graph `error`
/// inside is still an error.
fn json_reply<'b>(
    status: u16,
    headers: &[(String, String)],
    body: &'b [u8],
) -> Result<&'b str, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok("{}");
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| DecodeError {
        code: Code::DecodeInvalidJson,
        path: String::new(),
        message: format!("reply body is not JSON: {e}"),
    })?;
    if value.get("error").is_some_and(Value::is_object) {
        return Err(classify_response_error(status, headers, body).into());
    }
    if !value.is_object() {
        return Err(DecodeError::shape("", "reply body is not a JSON object").into());
    }
    // Read as JSON above: it is UTF-8.
    Ok(std::str::from_utf8(body).unwrap_or("{}"))
}

/// JSON → typed value, with the path of the first member that does not fit.
pub(crate) fn decode<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    decode_text(&value.to_string())
}

/// JSON text → typed value, with the path of the first member that does not fit. Read from the
/// text (not a `Value`): one reader per type, and serde_json's error position names the member.
pub(crate) fn decode_text<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    serde_json::from_str(text).map_err(|e| {
        let reread = |t: &str| serde_json::from_str::<T>(t).err();
        let path = crate::unreadable::member(text, &e, reread).map(|m| m.path);
        DecodeError::shape(path.unwrap_or_default(), crate::unreadable::reason(&e))
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

/// What an operation's builder decides: the values of its path's `{…}` placeholders in order,
/// the query and the body, with the warnings collected on the way. The operation's row supplies
/// the method and the path, so they are written once.
#[derive(Debug)]
pub struct Parts {
    pub(crate) ids: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    pub(crate) warnings: Vec<crate::error::Warning>,
}

impl Parts {
    /// The request: `path`'s placeholders filled with the ids (each one encoded path segment);
    /// a path that is only `{url}` is a full URL given by the builder (a media download).
    fn assemble(self, config: &Config, method: Method, path: &str) -> Request {
        let mut ids = self.ids.into_iter();
        let mut request = if path == "{url}" {
            crate::http::request_to(config, method, ids.next().unwrap_or_default(), self.body)
        } else {
            let segments: Vec<String> = path
                .trim_start_matches('/')
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') {
                        ids.next().unwrap_or_default()
                    } else {
                        seg.to_owned()
                    }
                })
                .collect();
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            crate::http::request(config, method, &segments, &self.query, self.body)
        };
        request.warnings.extend(self.warnings);
        request
    }
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
