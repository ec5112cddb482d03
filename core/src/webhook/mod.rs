//! The webhook side: the GET handshake, `X-Hub-Signature-256`, and normalising every delivery
//! into one event per item, losing nothing.
//!
//! Order of work in a handler: [`verify_signature`] on the raw body bytes, answer 200 quickly,
//! then [`parse_webhook`] the same bytes and handle each event once (by `dedup_key`).

use crate::error::Code;

mod event;
mod normalise;
mod signature;
mod subscribe;

pub use crate::wire::Outcome;
pub use event::*;
pub use normalise::parse_webhook;
pub use signature::{signature_header, verify_signature, AppSecret, SIGNATURE_HEADER};
pub use subscribe::{parse_query, verify_subscription};

/// The handshake or the signature did not check out: answer 403 (or 401) and do nothing else.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct VerificationError {
    pub code: Code,
    pub message: String,
}

impl VerificationError {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
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

impl WebhookError {
    pub(crate) fn shape(path: impl Into<String>, message: impl Into<String>) -> Self {
        WebhookError {
            code: Code::WebhookUnexpectedShape,
            path: path.into(),
            message: message.into(),
        }
    }
}
