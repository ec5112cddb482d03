//! # wagroups
//!
//! The WhatsApp Cloud API **Groups API**, as a sans-IO library: it builds every request as
//! plain data, validates input before anything leaves, parses every reply into typed values, and
//! classifies every error. Bring your own HTTP client.
//!
//! ## The sans-IO contract
//! - No sockets, no HTTP client, no async, no threads.
//! - No global state, no clock, no randomness: time, secrets and multipart boundaries are
//!   arguments. Identical input gives identical bytes.
//! - Strict with the caller (unknown parameters are errors, every problem reported at once with
//!   a path), lenient with Meta (unknown members, codes and values are kept, never dropped).
//! - No panics on any input: every bad input is a typed [`Error`].
//!
//! ## Quickstart
//! ```
//! use serde_json::json;
//! use wagroups::{build_request, parse_response, AccessToken, Config, Operation, Reply};
//!
//! let config = Config::new("v23.0")?.with_token(AccessToken::new("EAAG-your-token")?);
//! let request = build_request(
//!     Operation::CreateGroup,
//!     &json!({"phone_number_id": "427119830566204", "subject": "Sunday Gravel Ride Crew"}),
//!     &config,
//! )?;
//! assert_eq!(request.method.as_str(), "POST");
//! assert_eq!(request.url, "https://graph.facebook.com/v23.0/427119830566204/groups");
//! assert_eq!(request.body.as_bytes(), br#"{"messaging_product":"whatsapp","subject":"Sunday Gravel Ride Crew"}"#);
//!
//! // … send it with any HTTP client, then hand the reply back:
//! let reply = parse_response(
//!     Operation::CreateGroup,
//!     200,
//!     &[],
//!     br#"{"messaging_product":"whatsapp","request_id":"A7F3C91E0B5D4286E1C3F9A0B7D25E64"}"#,
//! )?;
//! let Reply::GroupCreated(created) = reply else { unreachable!() };
//! assert_eq!(created.request_id.as_deref(), Some("A7F3C91E0B5D4286E1C3F9A0B7D25E64"));
//! # Ok::<(), wagroups::Error>(())
//! ```

pub mod config;
pub use wagroups_webhook::error;
pub mod http;
pub mod json_api;
pub mod media;
mod multipart;
pub mod ops;
pub mod retry;
#[cfg(feature = "schema")]
pub mod schema;
pub mod state;
pub mod surface;
use wagroups_webhook::unreadable;
mod validate;
pub use wagroups_webhook::{webhook, wire};

pub use config::{AccessToken, ApiVersion, Config};
pub use error::{
    error_catalog, ApiError, CatalogEntry, Code, DecodeError, Error, FieldError, ImageError, Kind,
    Origin, Retry, ValidationError,
};
pub use http::{Body, Method, Request};
pub use media::{check_group_picture, sniff_image, ImageFormat, ImageInfo, PictureCheck};
pub use ops::{
    build_request, build_request_with_file, build_set_group_picture, next_page_params,
    parse_response, Operation, OperationInfo, PictureParams, Reply,
};
pub use retry::{next_attempt, NextAttempt, RetryPolicy, StopReason};
pub use validate::{char_len, params_too_deep, MAX_PARAMS_DEPTH};
pub use webhook::{
    parse_webhook, verify_signature, verify_subscription, AppSecret, Batch, Event, EventBody,
};

/// The README's examples run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The Rust guide's examples run as doctests.
#[doc = include_str!("../../docs/rust.md")]
#[cfg(doctest)]
pub struct RustGuideDoctests;

/// The webhook guide's examples run as doctests.
#[doc = include_str!("../../docs/webhooks.md")]
#[cfg(doctest)]
pub struct WebhookGuideDoctests;
