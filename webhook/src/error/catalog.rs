//! The error catalog: every code this library can report, declared once as a table.
//!
//! Library codes (what we refuse before anything is sent, or cannot read) and Graph API codes
//! live side by side so bindings, docs and tests enumerate one list. The table also generates
//! [`Code`], the enum every error carries: a code that is not a row does not compile. The retry
//! advice column is library policy, not Meta's wording.

use serde::Serialize;

/// What an error is about. Stable snake_case names cross every language boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
    /// A webhook signature or the subscription handshake does not check out.
    Verification,
    /// A webhook delivery that is not a WhatsApp Business Account delivery.
    Webhook,
    /// An error code this library does not know.
    Unknown,
}

/// What the caller should do about an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
    pub code: Code,
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

macro_rules! optional {
    () => {
        None
    };
    ($v:literal) => {
        Some($v)
    };
}

/// Declares the catalog once: the [`Code`] enum, its names, and one [`CatalogEntry`] per code.
macro_rules! catalog {
    (
        library {
            $( $(#[$lmeta:meta])* $lv:ident = $lcode:literal, $lkind:ident, $lretry:ident, $ltitle:literal; )*
        }
        graph {
            $( $(#[$gmeta:meta])* $gnum:literal $(..= $glast:literal)? => $gv:ident = $gcode:literal,
               $gkind:ident, $gretry:ident, $gstatus:expr, $gtitle:literal; )*
        }
    ) => {
        /// Every code this library reports, library and Graph alike. Serialised as its stable
        /// snake_case name (`"too_long"`, `"group_rate_limit_hit"`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$lmeta])* $lv, )*
            $( $(#[$gmeta])* $gv, )*
        }

        impl Code {
            /// Every code, in catalog order.
            pub const ALL: &'static [Code] = &[ $(Code::$lv,)* $(Code::$gv,)* ];

            /// The stable snake_case name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$lv => $lcode, )*
                    $( Code::$gv => $gcode, )*
                }
            }

            /// The code's row. Total: every code has exactly one.
            pub fn entry(self) -> CatalogEntry {
                // `CATALOG` lists the codes in declaration order, so a code's row sits at its
                // index: a lookup in data instead of a match compiled into code (5.7 KB of wasm).
                // Evaluated while compiling: an empty catalog would not build.
                #[allow(clippy::indexing_slicing)]
                const FIRST: CatalogEntry = Code::ALL[0].row();
                CATALOG.get(self as usize).copied().unwrap_or(FIRST)
            }

            /// The code's row, written out: what `CATALOG` is built from, at compile time.
            const fn row(self) -> CatalogEntry {
                match self {
                    $( Code::$lv => CatalogEntry {
                        code: Code::$lv,
                        graph_code: None,
                        graph_code_last: None,
                        origin: Origin::Local,
                        kind: Kind::$lkind,
                        retry: Retry::$lretry,
                        http_status: None,
                        title: $ltitle,
                    }, )*
                    $( Code::$gv => CatalogEntry {
                        code: Code::$gv,
                        graph_code: Some($gnum),
                        graph_code_last: optional!($($glast)?),
                        origin: Origin::Remote,
                        kind: Kind::$gkind,
                        retry: Retry::$gretry,
                        http_status: $gstatus,
                        title: $gtitle,
                    }, )*
                }
            }
        }

        /// The table, in catalog order: library codes by area, then Graph codes.
        pub static CATALOG: &[CatalogEntry] = &[ $(Code::$lv.row(),)* $(Code::$gv.row(),)* ];
    };
}

#[rustfmt::skip]
catalog! {
    library {
        // Caller input (collected into one `validation_failed` error, each with a path).
        ValidationFailed = "validation_failed", Validation, Fix, "The parameters break one or more rules";
        UnknownOperation = "unknown_operation", Validation, Fix, "No operation has this name";
        UnknownParameter = "unknown_parameter", Validation, Fix, "This operation does not take this parameter";
        MissingParameter = "missing_parameter", Validation, Fix, "A required parameter is missing";
        WrongType = "wrong_type", Validation, Fix, "The parameter has the wrong JSON type";
        EmptyValue = "empty_value", Validation, Fix, "The value is empty or only whitespace";
        TooLong = "too_long", Validation, Fix, "The text has more characters than allowed";
        OutOfRange = "out_of_range", Validation, Fix, "The number is outside the allowed range";
        TooFewItems = "too_few_items", Validation, Fix, "The list has fewer items than required";
        TooManyItems = "too_many_items", Validation, Fix, "The list has more items than allowed";
        DuplicateValue = "duplicate_value", Validation, Fix, "The same value appears more than once";
        InvalidFormat = "invalid_format", Validation, Fix, "The value does not have the required form";
        InvalidValue = "invalid_value", Validation, Fix, "The value is not one of the allowed values";
        MutuallyExclusive = "mutually_exclusive", Validation, Fix, "Parameters that cannot be used together";
        MissingOneOf = "missing_one_of", Validation, Fix, "One of several parameters is required";
        NotAllowed = "not_allowed", Validation, Fix, "The parameter is not allowed in this context";
        InsecureLink = "insecure_link", Validation, Fix, "The media link uses plain http: allowed, but anyone on the path can read or swap the file";
        MessageTypeNotSupportedInGroups = "message_type_not_supported_in_groups", Validation, Fix, "Meta documents that groups reject this message type";
        UnverifiedInGroups = "unverified_in_groups", Validation, Fix, "Meta does not document this message type for groups: set allow_unverified to send it anyway";
        UnverifiedValue = "unverified_value", Validation, Fix, "The value is not one Meta documents: set allow_unverified to send it anyway";
        InvalidVersion = "invalid_version", Validation, Fix, "The Graph API version must look like v23.0";
        InvalidBaseUrl = "invalid_base_url", Validation, Fix, "The base URL must be an http(s) origin";
        InvalidId = "invalid_id", Validation, Fix, "The id is empty, a dot segment, or has characters Graph ids never use";
        TooDeep = "too_deep", Validation, Fix, "The parameters are nested too deeply (or refer to themselves)";
        FileUnreadable = "file_unreadable", Validation, Fix, "An input file cannot be read (command line only)";
        InvalidBoundary = "invalid_boundary", Validation, Fix, "The multipart boundary is not usable";
        UnsupportedMediaType = "unsupported_media_type", Validation, Fix, "WhatsApp does not list this MIME type for uploads: set allow_unverified to send it anyway";
        MediaTypeMismatch = "media_type_mismatch", Validation, Fix, "The bytes are not of the declared MIME type";
        MediaTooLarge = "media_too_large", Validation, Fix, "The file is over the size limit of its media kind";
        MediaHostNotAllowed = "media_host_not_allowed", Validation, Fix, "The media URL is not an https URL on one of Meta's media hosts: the token is never sent elsewhere";
        MediaSizeMismatch = "media_size_mismatch", Verification, Restart, "The downloaded bytes are not the size get_media announced: fetch a fresh URL and download again";
        MediaHashMismatch = "media_hash_mismatch", Verification, Restart, "The downloaded bytes do not have the SHA-256 get_media announced: fetch a fresh URL and download again";
        // Image bytes (group profile picture).
        ImageUnrecognized = "image_unrecognized", Image, Fix, "The bytes are not a JPEG, PNG, WebP or GIF image";
        ImageTruncated = "image_truncated", Image, Fix, "The image ends before its header is complete";
        ImageCorrupt = "image_corrupt", Image, Fix, "The image header is malformed";
        ImageNotJpeg = "image_not_jpeg", Image, Fix, "Group pictures must be JPEG";
        ImageNotSquare = "image_not_square", Image, Fix, "Group pictures must be square";
        ImageTooSmall = "image_too_small", Image, Fix, "Group pictures must be at least 192 x 192 pixels";
        ImageTooLarge = "image_too_large", Image, Fix, "Group pictures must be at most 5 MiB";
        // Replies we cannot read.
        DecodeInvalidJson = "decode_invalid_json", Decode, None, "The body is not valid JSON";
        DecodeUnexpectedShape = "decode_unexpected_shape", Decode, None, "The JSON does not have the expected shape";
        // Webhooks: the handshake, the signature, the delivery.
        AppSecretMissing = "app_secret_missing", Verification, Fix, "An app secret is required and must not be empty";
        SignatureMissing = "signature_missing", Verification, None, "The X-Hub-Signature-256 header is missing";
        SignatureMalformed = "signature_malformed", Verification, None, "The signature is not sha256= and 64 hex digits";
        SignatureMismatch = "signature_mismatch", Verification, None, "The signature does not match the body";
        VerifyTokenMissing = "verify_token_missing", Verification, Fix, "The expected verify token must not be empty";
        SubscriptionModeInvalid = "subscription_mode_invalid", Verification, None, "hub.mode is not subscribe";
        SubscriptionTokenMismatch = "subscription_token_mismatch", Verification, None, "hub.verify_token does not match";
        SubscriptionChallengeMissing = "subscription_challenge_missing", Verification, None, "hub.challenge is missing";
        WebhookInvalidJson = "webhook_invalid_json", Webhook, None, "The delivery is not valid JSON";
        WebhookWrongObject = "webhook_wrong_object", Webhook, None, "The delivery is not for whatsapp_business_account";
        WebhookTooLarge = "webhook_too_large", Webhook, None, "The delivery is over the byte size or item count this parse accepts";
        WebhookMemberUnreadable = "webhook_member_unreadable", Webhook, None, "A member does not have its documented type: left out of the typed view, kept in raw (warning)";
        WebhookLoneSurrogate = "webhook_lone_surrogate", Webhook, None, "A lone UTF-16 surrogate escape was replaced with U+FFFD in the typed view (warning)";
        WebhookValueTooLong = "webhook_value_too_long", Webhook, None, "An identifier or name too long to copy onto every event was left out (warning)";
        WebhookUnexpectedShape = "webhook_unexpected_shape", Webhook, None, "The delivery's envelope does not have the documented shape";
        // Graph errors whose code is not in this table (judged by HTTP status, see classify).
        GraphUnknownError = "graph_unknown_error", Unknown, None, "Graph API error with a code this library does not know";
    }
    graph {
        // Group codes.
        131020 => BadGroup = "bad_group", Precondition, None, Some(400), "Bad Group";
        131041 => GroupUnknown = "group_unknown", NotFound, None, Some(400), "Group unknown";
        131059 => InvalidCursor = "invalid_cursor", Cursor, Restart, Some(400), "Invalid cursor";
        131201 => RequestPartiallySucceeded = "request_partially_succeeded", Partial, Partial, Some(206), "Request partially succeeded";
        131202 => DuplicateParticipant = "duplicate_participant", InvalidRequest, Fix, Some(400), "Duplicate participant";
        131203 => UnableToAddParticipant = "unable_to_add_participant", Precondition, None, None, "Unable to add participant to group";
        131204 => ParticipantOverlimit = "participant_overlimit", Limit, None, Some(400), "Participant overlimit";
        131207 => GroupSuspended = "group_suspended", Policy, None, Some(403), "Group suspended";
        131208 => GroupRateLimitHit = "group_rate_limit_hit", RateLimit, Backoff, Some(429), "Group Rate Limit Hit";
        131209 => InvalidGroupPictureAspectRatio = "invalid_group_picture_aspect_ratio", InvalidRequest, Fix, Some(400), "Invalid Group Profile Picture Aspect Ratio";
        131210 => GroupPictureTooSmall = "group_picture_too_small", InvalidRequest, Fix, Some(400), "Image is Too Small to Process";
        131211 => GroupCreateLimitReached = "group_create_limit_reached", Limit, None, Some(400), "Group create limit reached";
        131212 => ParticipantNotInGroup = "participant_not_in_group", NotFound, None, Some(400), "Participant is not a part of the group.";
        131213 => JoinRequestNotFound = "join_request_not_found", NotFound, None, Some(400), "Group join request does not exist.";
        131214 => GroupCreationTemporarilyDisabled = "group_creation_temporarily_disabled", Policy, Later, Some(400), "Group creation is temporarily disabled";
        131215 => NotEligibleForGroups = "not_eligible_for_groups", Permission, None, Some(400), "This phone number is not eligible to access Groups APIs";
        // Other codes that occur with groups.
        130501 => UnsupportedMessageTypeIncoming = "unsupported_message_type_incoming", Unsupported, None, None, "Unsupported message type";
        131062 => BsuidRecipientNotAllowed = "bsuid_recipient_not_allowed", InvalidRequest, Fix, None, "BSUID recipients are not allowed for this message";
        131049 => EcosystemEngagementWithheld = "ecosystem_engagement_withheld", Policy, Later, None, "This message was not delivered to maintain healthy ecosystem engagement.";
        130429 => ThroughputRateLimitHit = "throughput_rate_limit_hit", RateLimit, Backoff, Some(400), "Rate limit hit";
        // General Graph API codes.
        0 => AuthException = "auth_exception", Auth, Reauth, Some(401), "AuthException";
        1 => ApiUnknown = "api_unknown", Server, Later, Some(400), "API Unknown";
        2 => ApiService = "api_service", Server, Backoff, Some(503), "API Service";
        3 => ApiMethod = "api_method", Permission, None, Some(500), "API Method";
        4 => ApiTooManyCalls = "api_too_many_calls", RateLimit, Later, Some(400), "API Too Many Calls";
        10 => PermissionDenied = "permission_denied", Permission, None, Some(403), "Permission Denied";
        100 => InvalidParameter = "invalid_parameter", InvalidRequest, Fix, Some(400), "Invalid parameter";
        104 => AccessTokenMissing = "access_token_missing", Auth, Reauth, Some(401), "Access token missing";
        190 => AccessTokenExpired = "access_token_expired", Auth, Reauth, Some(401), "Access token has expired";
        200 ..= 299 => ApiPermission = "api_permission", Permission, None, Some(403), "API Permission";
        368 => TemporarilyBlockedForPolicy = "temporarily_blocked_for_policy", Policy, None, Some(403), "Temporarily blocked for policies violations";
        80007 => WabaRateLimit = "waba_rate_limit", RateLimit, Later, Some(400), "Rate limit issues";
        131000 => SomethingWentWrong = "something_went_wrong", Server, Backoff, Some(500), "Something went wrong";
        131005 => AccessDenied = "access_denied", Permission, None, Some(403), "Access denied";
        131008 => RequiredParameterMissing = "required_parameter_missing", InvalidRequest, Fix, Some(400), "Required parameter is missing";
        131009 => ParameterValueInvalid = "parameter_value_invalid", InvalidRequest, Fix, Some(400), "Parameter value is not valid";
        131016 => ServiceUnavailable = "service_unavailable", Server, Backoff, Some(500), "Service unavailable";
        131021 => RecipientCannotBeSender = "recipient_cannot_be_sender", InvalidRequest, Fix, Some(400), "Recipient cannot be sender";
        131026 => MessageUndeliverable = "message_undeliverable", Precondition, None, Some(400), "Message Undeliverable";
        131031 => AccountLocked = "account_locked", Policy, None, Some(403), "Account has been locked";
        131042 => BusinessPaymentIssue = "business_payment_issue", Permission, None, Some(400), "Business eligibility payment issue";
        131045 => IncorrectCertificate = "incorrect_certificate", Permission, None, Some(500), "Incorrect certificate";
        131047 => ReengagementWindowClosed = "reengagement_window_closed", Precondition, Fix, Some(400), "Re-engagement message";
        131048 => SpamRateLimitHit = "spam_rate_limit_hit", RateLimit, Later, Some(400), "Spam rate limit hit";
        131051 => UnsupportedMessageType = "unsupported_message_type", Unsupported, Fix, Some(400), "Unsupported message type";
        131052 => MediaDownloadError = "media_download_error", InvalidRequest, None, Some(400), "Media download error";
        131053 => MediaUploadError = "media_upload_error", InvalidRequest, Fix, Some(400), "Media upload error";
        131056 => PairRateLimitHit = "pair_rate_limit_hit", RateLimit, Backoff, Some(400), "(Business Account, Consumer Account) pair rate limit hit";
        131057 => AccountInMaintenanceMode = "account_in_maintenance_mode", Server, Later, Some(500), "Account in maintenance mode";
        132000 => TemplateParamCountMismatch = "template_param_count_mismatch", InvalidRequest, Fix, Some(400), "Template Param Count Mismatch";
        132001 => TemplateDoesNotExist = "template_does_not_exist", NotFound, Fix, Some(404), "Template does not exist";
        132005 => TemplateHydratedTextTooLong = "template_hydrated_text_too_long", InvalidRequest, Fix, Some(400), "Template Hydrated Text Too Long";
        132007 => TemplateFormatPolicyViolated = "template_format_policy_violated", Policy, Fix, Some(400), "Template Format Character Policy Violated";
        132012 => TemplateParameterFormatMismatch = "template_parameter_format_mismatch", InvalidRequest, Fix, Some(400), "Template Parameter Format Mismatch";
        133010 => AccountNotRegistered = "account_not_registered", Permission, None, None, "Account not registered";
    }
}

impl Code {
    /// The code with this snake_case name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    pub fn kind(self) -> Kind {
        self.entry().kind
    }

    pub fn retry(self) -> Retry {
        self.entry().retry
    }

    pub fn title(self) -> &'static str {
        self.entry().title
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Code::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown error code {name:?}")))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }

    /// A plain string: new codes may appear in later versions without breaking readers.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string"})
    }
}

/// The whole catalog, for bindings, docs and tests.
pub fn error_catalog() -> &'static [CatalogEntry] {
    CATALOG
}

/// The row of a library or Graph code name (`"too_long"`, `"group_rate_limit_hit"`).
pub fn lookup(code: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.code.as_str() == code)
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
