//! The webhook side: the GET handshake, `X-Hub-Signature-256`, and every delivery read into
//! one event per item, losing nothing.
//!
//! Order of work in a handler: [`verify_signature`] on the raw body bytes, answer 200 quickly,
//! then [`parse_webhook`] the same bytes and handle each event once (by `dedup_key`).
//!
//! One module per item family, each model next to its parser: [`envelope`] (delivery, entries,
//! changes, values), `groups`, `messages`, `statuses`; `item` reads one item's text leniently.

use crate::error::Code;

pub mod envelope;
mod event;
mod flat;
mod groups;
mod item;
mod messages;
mod raw_json;
mod receive;
mod signature;
mod spanned;
mod statuses;
mod subscribe;
mod tape;

// The errors of this side live with every other error; named here too, where they are raised.
pub use crate::error::{VerificationError, WebhookError};
pub use crate::wire::Outcome;
pub use envelope::MAX_COPIED_BYTES;
pub use event::*;
pub use groups::{
    FailedParticipant, GroupJoinRequest, GroupLifecycle, GroupParticipants, GroupSettings,
    GroupStatus, InitiatedBy, SettingResult,
};
pub use messages::{IncomingMessage, Media, MessageKind};
pub use raw_json::RawJson;
pub use receive::{Incoming, Received, Receiver};
pub use signature::{
    signature_header, verify_host_macs, verify_signature, verify_signature_macs, AppSecret,
    SIGNATURE_HEADER,
};
pub use statuses::{Conversation, ConversationOrigin, DeliveryStatus, MessageStatus, Pricing};
pub use subscribe::{parse_query, verify_subscription};
pub use tape::{to_tape, to_tape_into, Keys, TapeError, NULL as TAPE_NULL};

/// How much one call of [`parse_webhook_with`] accepts. Meta's deliveries are a few KB; the
/// defaults leave room for large batches and refuse what would only cost memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebhookLimits {
    /// The most bytes a delivery may have (default 8 MiB).
    pub max_bytes: usize,
    /// The most items (events) a delivery may hold (default 10,000).
    pub max_items: usize,
}

impl WebhookLimits {
    /// Limits from what a caller gives (absent: the default); each must be a positive integer.
    /// Every binding and the CLI build their limits here.
    pub fn new(
        max_bytes: Option<i64>,
        max_items: Option<i64>,
    ) -> Result<Self, crate::error::ValidationError> {
        let mut errors = Vec::new();
        let mut limits = WebhookLimits::default();
        for (key, given, slot) in [
            ("max_bytes", max_bytes, &mut limits.max_bytes),
            ("max_items", max_items, &mut limits.max_items),
        ] {
            match given.map(usize::try_from) {
                None => {}
                Some(Ok(n)) if n > 0 => *slot = n,
                Some(_) => errors.push(crate::error::FieldError {
                    code: Code::OutOfRange,
                    path: key.to_owned(),
                    message: format!("{key} must be a positive integer"),
                }),
            }
        }
        match errors.is_empty() {
            true => Ok(limits),
            false => Err(crate::error::ValidationError { errors }),
        }
    }
}

impl Default for WebhookLimits {
    fn default() -> Self {
        WebhookLimits {
            max_bytes: 8 * 1024 * 1024,
            max_items: 10_000,
        }
    }
}

/// Parse a whole delivery with the default [`WebhookLimits`]. Call [`verify_signature`] on the
/// same bytes first.
pub fn parse_webhook(raw: &[u8]) -> Result<Batch<'_>, WebhookError> {
    parse_webhook_with(raw, &WebhookLimits::default())
}

/// Parse a whole delivery: one event per item, in order, each with the item's exact text. The
/// byte size is checked before any work, the item count before any item is read.
pub fn parse_webhook_with<'a>(
    raw: &'a [u8],
    limits: &WebhookLimits,
) -> Result<Batch<'a>, WebhookError> {
    if raw.len() > limits.max_bytes {
        return Err(WebhookError {
            code: Code::WebhookTooLarge,
            path: String::new(),
            message: format!(
                "the delivery has {} bytes; this parse accepts at most {} (raise max_bytes to accept it)",
                raw.len(),
                limits.max_bytes
            ),
        });
    }
    let text = std::str::from_utf8(raw).map_err(|e| WebhookError {
        code: Code::WebhookInvalidJson,
        path: String::new(),
        message: format!("the delivery is not valid JSON: not UTF-8 ({e})"),
    })?;
    envelope::read(text, limits)
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
