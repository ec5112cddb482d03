//! The error catalog: every code this library can report, declared once as a table.
//!
//! Library codes (what we refuse before anything is sent, or cannot read) and Graph API codes
//! (spec §7) live side by side so bindings, docs and tests enumerate one list. The retry advice
//! column is library policy (spec §7.4), not Meta's wording.

use serde::Serialize;

/// What an error is about. Stable snake_case names cross every language boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The caller's input broke a rule before anything was sent.
    Validation,
    /// Graph API says the request itself is wrong.
    InvalidRequest,
    /// The token is missing, invalid or expired.
    Auth,
    /// The token or the business lacks a permission or eligibility.
    Permission,
    /// The group, participant, join request or template does not exist (for this business).
    NotFound,
    /// Too many calls.
    RateLimit,
    /// Blocked by a platform policy (suspension, spam, ecosystem protection).
    Policy,
    /// A hard limit was reached (group count, participant count).
    Limit,
    /// The request is fine but the state does not allow it now (only the business in the group…).
    Precondition,
    /// A paging cursor is expired or damaged.
    Cursor,
    /// Some items succeeded and some failed: a result, not a failure.
    Partial,
    /// Meta's side failed.
    Server,
    /// A message type that the API cannot represent or send.
    Unsupported,
    /// Image bytes that are not a usable picture.
    Image,
    /// A reply that cannot be read.
    Decode,
    /// A webhook signature or verification handshake that does not check out.
    Signature,
    /// A webhook delivery that is not a WhatsApp Business Account delivery.
    Webhook,
    /// An error code this library does not know.
    Unknown,
}

/// What the caller should do about an error (spec §7 "Library policy").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Retry {
    /// Transient: retry the same request with exponential backoff and jitter, capped.
    Backoff,
    /// Do not retry in a loop; minutes or hours later may work.
    Later,
    /// Throw the cursor away and page again from the first page (once).
    Restart,
    /// Not a failure: retry only the failed items whose own code allows it.
    Partial,
    /// The request is wrong: never resend it unchanged.
    Fix,
    /// The credentials are invalid: get a new token.
    Reauth,
    /// A permanent state or a policy problem: needs human action.
    None,
}

/// Who produced the error: this library (local) or Meta (remote), as h11 separates them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Local,
    Remote,
}

/// One row of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CatalogEntry {
    /// Stable snake_case code.
    pub code: &'static str,
    /// Graph API code (first of a range), when the row is Meta's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph_code: Option<i64>,
    /// Last Graph API code of a range (`200`–`299`), when the row covers several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph_code_last: Option<i64>,
    pub origin: Origin,
    pub kind: Kind,
    pub retry: Retry,
    /// HTTP status Meta documents for the code; indicative only (classify on the code).
    pub http_status: Option<u16>,
    pub title: &'static str,
}

const fn lib(code: &'static str, kind: Kind, retry: Retry, title: &'static str) -> CatalogEntry {
    CatalogEntry {
        code,
        graph_code: None,
        graph_code_last: None,
        origin: Origin::Local,
        kind,
        retry,
        http_status: None,
        title,
    }
}

const fn graph(
    graph_code: i64,
    code: &'static str,
    kind: Kind,
    retry: Retry,
    http_status: Option<u16>,
    title: &'static str,
) -> CatalogEntry {
    CatalogEntry {
        code,
        graph_code: Some(graph_code),
        graph_code_last: None,
        origin: Origin::Remote,
        kind,
        retry,
        http_status,
        title,
    }
}

use Kind as K;
use Retry as R;

const VALIDATION_FAILED: CatalogEntry = lib(
    "validation_failed",
    K::Validation,
    R::Fix,
    "The parameters break one or more rules",
);

/// The table. Order: library codes by area, then Graph codes as spec §7 lists them.
#[rustfmt::skip]
pub static CATALOG: &[CatalogEntry] = &[
    // Caller input (collected into one `validation_failed` error, each with a path).
    VALIDATION_FAILED,
    lib("unknown_operation", K::Validation, R::Fix, "No operation has this name"),
    lib("unknown_parameter", K::Validation, R::Fix, "This operation does not take this parameter"),
    lib("missing_parameter", K::Validation, R::Fix, "A required parameter is missing"),
    lib("wrong_type", K::Validation, R::Fix, "The parameter has the wrong JSON type"),
    lib("empty_value", K::Validation, R::Fix, "The value is empty or only whitespace"),
    lib("too_long", K::Validation, R::Fix, "The text has more characters than allowed"),
    lib("out_of_range", K::Validation, R::Fix, "The number is outside the allowed range"),
    lib("too_few_items", K::Validation, R::Fix, "The list has fewer items than required"),
    lib("too_many_items", K::Validation, R::Fix, "The list has more items than allowed"),
    lib("duplicate_value", K::Validation, R::Fix, "The same value appears more than once"),
    lib("invalid_format", K::Validation, R::Fix, "The value does not have the required form"),
    lib("invalid_value", K::Validation, R::Fix, "The value is not one of the allowed values"),
    lib("mutually_exclusive", K::Validation, R::Fix, "Parameters that cannot be used together"),
    lib("missing_one_of", K::Validation, R::Fix, "One of several parameters is required"),
    lib("not_allowed", K::Validation, R::Fix, "The parameter is not allowed in this context"),
    lib("insecure_link", K::Validation, R::Fix, "Media links must use https"),
    lib(
        "message_type_not_supported_in_groups",
        K::Validation,
        R::Fix,
        "Groups do not accept this message type",
    ),
    lib("invalid_version", K::Validation, R::Fix, "The Graph API version must look like v23.0"),
    lib("invalid_base_url", K::Validation, R::Fix, "The base URL must be an http(s) origin"),
    lib("invalid_boundary", K::Validation, R::Fix, "The multipart boundary is not usable"),
    // Image bytes (group profile picture).
    lib("image_unrecognized", K::Image, R::Fix, "The bytes are not a JPEG, PNG, WebP or GIF image"),
    lib("image_truncated", K::Image, R::Fix, "The image ends before its header is complete"),
    lib("image_corrupt", K::Image, R::Fix, "The image header is malformed"),
    lib("image_not_jpeg", K::Image, R::Fix, "Group pictures must be JPEG"),
    lib("image_not_square", K::Image, R::Fix, "Group pictures must be square"),
    lib("image_too_small", K::Image, R::Fix, "Group pictures must be at least 192 x 192 pixels"),
    lib("image_too_large", K::Image, R::Fix, "Group pictures must be at most 5 MiB"),
    // Replies we cannot read.
    lib("decode_invalid_json", K::Decode, R::None, "The body is not valid JSON"),
    lib("decode_unexpected_shape", K::Decode, R::None, "The JSON does not have the expected shape"),
    // Webhooks: the handshake, the signature, the delivery.
    lib("app_secret_missing", K::Signature, R::Fix, "An app secret is required and must not be empty"),
    lib("signature_missing", K::Signature, R::None, "The X-Hub-Signature-256 header is missing"),
    lib("signature_malformed", K::Signature, R::None, "The signature is not sha256= and 64 hex digits"),
    lib("signature_mismatch", K::Signature, R::None, "The signature does not match the body"),
    lib("verify_token_missing", K::Signature, R::Fix, "The expected verify token must not be empty"),
    lib("subscription_mode_invalid", K::Signature, R::None, "hub.mode is not subscribe"),
    lib("subscription_token_mismatch", K::Signature, R::None, "hub.verify_token does not match"),
    lib("subscription_challenge_missing", K::Signature, R::None, "hub.challenge is missing"),
    lib("webhook_invalid_json", K::Webhook, R::None, "The delivery is not valid JSON"),
    lib("webhook_wrong_object", K::Webhook, R::None, "The delivery is not for whatsapp_business_account"),
    lib("webhook_unexpected_shape", K::Webhook, R::None, "The delivery's envelope does not have the documented shape"),
    // Graph errors whose code is not in this table (policy by status, spec §7.4 step 2).
    lib("graph_unknown_error", K::Unknown, R::None, "Graph API error with a code this library does not know"),
    // §7.1 Group codes.
    graph(131020, "bad_group", K::Precondition, R::None, Some(400), "Bad Group"),
    graph(131041, "group_unknown", K::NotFound, R::None, Some(400), "Group unknown"),
    graph(131059, "invalid_cursor", K::Cursor, R::Restart, Some(400), "Invalid cursor"),
    graph(131201, "request_partially_succeeded", K::Partial, R::Partial, Some(206), "Request partially succeeded"),
    graph(131202, "duplicate_participant", K::InvalidRequest, R::Fix, Some(400), "Duplicate participant"),
    graph(131203, "unable_to_add_participant", K::Precondition, R::None, None, "Unable to add participant to group"),
    graph(131204, "participant_overlimit", K::Limit, R::None, Some(400), "Participant overlimit"),
    graph(131207, "group_suspended", K::Policy, R::None, Some(403), "Group suspended"),
    graph(131208, "group_rate_limit_hit", K::RateLimit, R::Backoff, Some(429), "Group Rate Limit Hit"),
    graph(131209, "invalid_group_picture_aspect_ratio", K::InvalidRequest, R::Fix, Some(400), "Invalid Group Profile Picture Aspect Ratio"),
    graph(131210, "group_picture_too_small", K::InvalidRequest, R::Fix, Some(400), "Image is Too Small to Process"),
    graph(131211, "group_create_limit_reached", K::Limit, R::None, Some(400), "Group create limit reached"),
    graph(131212, "participant_not_in_group", K::NotFound, R::None, Some(400), "Participant is not a part of the group."),
    graph(131213, "join_request_not_found", K::NotFound, R::None, Some(400), "Group join request does not exist."),
    graph(131214, "group_creation_temporarily_disabled", K::Policy, R::Later, Some(400), "Group creation is temporarily disabled"),
    graph(131215, "not_eligible_for_groups", K::Permission, R::None, Some(400), "This phone number is not eligible to access Groups APIs"),
    // §7.2 Other codes that occur with groups.
    graph(130501, "unsupported_message_type_incoming", K::Unsupported, R::None, None, "Unsupported message type"),
    graph(131062, "bsuid_recipient_not_allowed", K::InvalidRequest, R::Fix, None, "BSUID recipients are not allowed for this message"),
    graph(131049, "ecosystem_engagement_withheld", K::Policy, R::Later, None, "This message was not delivered to maintain healthy ecosystem engagement."),
    graph(130429, "throughput_rate_limit_hit", K::RateLimit, R::Backoff, Some(400), "Rate limit hit"),
    // §7.3 General codes.
    graph(0, "auth_exception", K::Auth, R::Reauth, Some(401), "AuthException"),
    graph(1, "api_unknown", K::Server, R::Later, Some(400), "API Unknown"),
    graph(2, "api_service", K::Server, R::Backoff, Some(503), "API Service"),
    graph(3, "api_method", K::Permission, R::None, Some(500), "API Method"),
    graph(4, "api_too_many_calls", K::RateLimit, R::Later, Some(400), "API Too Many Calls"),
    graph(10, "permission_denied", K::Permission, R::None, Some(403), "Permission Denied"),
    graph(100, "invalid_parameter", K::InvalidRequest, R::Fix, Some(400), "Invalid parameter"),
    graph(104, "access_token_missing", K::Auth, R::Reauth, Some(401), "Access token missing"),
    graph(190, "access_token_expired", K::Auth, R::Reauth, Some(401), "Access token has expired"),
    CatalogEntry {
        graph_code_last: Some(299),
        ..graph(200, "api_permission", K::Permission, R::None, Some(403), "API Permission")
    },
    graph(368, "temporarily_blocked_for_policy", K::Policy, R::None, Some(403), "Temporarily blocked for policies violations"),
    graph(80007, "waba_rate_limit", K::RateLimit, R::Later, Some(400), "Rate limit issues"),
    graph(131000, "something_went_wrong", K::Server, R::Backoff, Some(500), "Something went wrong"),
    graph(131005, "access_denied", K::Permission, R::None, Some(403), "Access denied"),
    graph(131008, "required_parameter_missing", K::InvalidRequest, R::Fix, Some(400), "Required parameter is missing"),
    graph(131009, "parameter_value_invalid", K::InvalidRequest, R::Fix, Some(400), "Parameter value is not valid"),
    graph(131016, "service_unavailable", K::Server, R::Backoff, Some(500), "Service unavailable"),
    graph(131021, "recipient_cannot_be_sender", K::InvalidRequest, R::Fix, Some(400), "Recipient cannot be sender"),
    graph(131026, "message_undeliverable", K::Precondition, R::None, Some(400), "Message Undeliverable"),
    graph(131031, "account_locked", K::Policy, R::None, Some(403), "Account has been locked"),
    graph(131042, "business_payment_issue", K::Permission, R::None, Some(400), "Business eligibility payment issue"),
    graph(131045, "incorrect_certificate", K::Permission, R::None, Some(500), "Incorrect certificate"),
    graph(131047, "reengagement_window_closed", K::Precondition, R::Fix, Some(400), "Re-engagement message"),
    graph(131048, "spam_rate_limit_hit", K::RateLimit, R::Later, Some(400), "Spam rate limit hit"),
    graph(131051, "unsupported_message_type", K::Unsupported, R::Fix, Some(400), "Unsupported message type"),
    graph(131052, "media_download_error", K::InvalidRequest, R::None, Some(400), "Media download error"),
    graph(131053, "media_upload_error", K::InvalidRequest, R::Fix, Some(400), "Media upload error"),
    graph(131056, "pair_rate_limit_hit", K::RateLimit, R::Backoff, Some(400), "(Business Account, Consumer Account) pair rate limit hit"),
    graph(131057, "account_in_maintenance_mode", K::Server, R::Later, Some(500), "Account in maintenance mode"),
    graph(132000, "template_param_count_mismatch", K::InvalidRequest, R::Fix, Some(400), "Template Param Count Mismatch"),
    graph(132001, "template_does_not_exist", K::NotFound, R::Fix, Some(404), "Template does not exist"),
    graph(132005, "template_hydrated_text_too_long", K::InvalidRequest, R::Fix, Some(400), "Template Hydrated Text Too Long"),
    graph(132007, "template_format_policy_violated", K::Policy, R::Fix, Some(400), "Template Format Character Policy Violated"),
    graph(132012, "template_parameter_format_mismatch", K::InvalidRequest, R::Fix, Some(400), "Template Parameter Format Mismatch"),
    graph(133010, "account_not_registered", K::Permission, R::None, None, "Account not registered"),
];

/// The whole catalog, for bindings, docs and tests.
pub fn error_catalog() -> &'static [CatalogEntry] {
    CATALOG
}

/// The row of a library or Graph code name (`"too_long"`, `"group_rate_limit_hit"`).
pub fn lookup(code: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.code == code)
}

/// The row of a numeric Graph API code, ranges included.
pub fn lookup_graph(code: i64) -> Option<&'static CatalogEntry> {
    CATALOG
        .iter()
        .find(|e| match (e.graph_code, e.graph_code_last) {
            (Some(first), Some(last)) => (first..=last).contains(&code),
            (Some(first), None) => first == code,
            _ => false,
        })
}

/// The row of a library code that the crate itself emits. Unknown names fall back to
/// `validation_failed` so a typo in our own code can never panic; a test asserts every
/// emitted code is in the table.
pub(crate) fn entry(code: &str) -> &'static CatalogEntry {
    lookup(code).unwrap_or(&VALIDATION_FAILED)
}
