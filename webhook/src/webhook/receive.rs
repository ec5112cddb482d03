//! What a webhook endpoint answers, decided once for every framework and language: the GET
//! handshake, then the signature over the raw bytes, then the parse. The caller only copies the
//! answer onto its HTTP response and hands the events on.

use serde::Serialize;

use super::{
    parse_webhook_with, signature_header, verify_signature, verify_signature_macs,
    verify_subscription, AppSecret, Batch, WebhookLimits,
};
use crate::error::{Error, Retry};

/// One HTTP request reaching the webhook endpoint. The events borrow from the body (`'b`) only.
#[derive(Clone, Copy, Debug)]
pub struct Incoming<'r, 'b> {
    /// `GET`, `POST`… (any case).
    pub method: &'r str,
    /// The query, decoded (see [`super::parse_query`] for a raw query string).
    pub query: &'r [(String, String)],
    pub headers: &'r [(String, String)],
    /// The raw body bytes, exactly as received: the signature covers them.
    pub body: &'b [u8],
}

/// How the endpoint is set up.
#[derive(Clone, Copy, Debug)]
pub struct Receiver<'a> {
    /// The app secret, or several during a rotation.
    pub secrets: &'a [AppSecret],
    /// The token given to Meta for the handshake; `None` when this endpoint takes no handshake.
    pub verify_token: Option<&'a str>,
    pub limits: WebhookLimits,
}

/// The answer and what came with the request.
#[derive(Debug, Serialize)]
pub struct Received<'a> {
    pub status: u16,
    pub content_type: &'static str,
    /// The response body: the challenge on a successful handshake, else a short reason.
    pub body: String,
    /// The delivery's events, when it was signed and could be read.
    pub batch: Option<Batch<'a>>,
    /// Why the request was refused, or why a signed delivery could not be read (answered 200
    /// all the same: Meta would otherwise send the same unreadable bytes again for days).
    #[serde(serialize_with = "problem_json")]
    pub problem: Option<Error>,
}

fn problem_json<S: serde::Serializer>(p: &Option<Error>, s: S) -> Result<S::Ok, S::Error> {
    p.as_ref().map(Error::to_json).serialize(s)
}

impl Received<'_> {
    fn answer(status: u16, body: impl Into<String>, problem: Option<Error>) -> Self {
        Received {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.into(),
            batch: None,
            problem,
        }
    }

    /// A refusal, or a 500 when the receiver itself is set up wrong (no secret, no verify
    /// token): Meta then keeps the deliveries and sends them again once it is fixed.
    fn refuse(status: u16, body: &str, error: Error) -> Self {
        if error.retry() == Retry::Fix {
            return Self::answer(500, "webhook receiver misconfigured", Some(error));
        }
        Self::answer(status, body, Some(error))
    }
}

impl<'a> Receiver<'a> {
    /// The answer to `request`.
    pub fn receive<'b>(&self, request: &Incoming<'_, 'b>) -> Received<'b> {
        self.receive_with(request, None)
    }

    /// [`Self::receive`] with the body's HMAC-SHA256 already computed, one per secret in order,
    /// by a platform whose own implementation is faster (see [`verify_signature_macs`]).
    pub fn receive_with_macs<'b>(
        &self,
        request: &Incoming<'_, 'b>,
        macs: &[[u8; 32]],
    ) -> Received<'b> {
        self.receive_with(request, Some(macs))
    }

    fn receive_with<'b>(
        &self,
        request: &Incoming<'_, 'b>,
        macs: Option<&[[u8; 32]]>,
    ) -> Received<'b> {
        if request.method.eq_ignore_ascii_case("GET") {
            return match verify_subscription(request.query, self.verify_token.unwrap_or("")) {
                Ok(challenge) => Received::answer(200, challenge, None),
                Err(e) => Received::refuse(403, "forbidden", e.into()),
            };
        }
        if !request.method.eq_ignore_ascii_case("POST") {
            return Received::answer(405, "method not allowed", None);
        }
        let header = signature_header(request.headers);
        let verified = match macs {
            Some(macs) => verify_signature_macs(header, self.secrets, macs),
            None => verify_signature(request.body, header, self.secrets),
        };
        if let Err(e) = verified {
            return Received::refuse(401, "invalid signature", e.into());
        }
        match parse_webhook_with(request.body, &self.limits) {
            Ok(batch) => Received {
                batch: Some(batch),
                ..Received::answer(200, "", None)
            },
            Err(e) => Received::answer(200, "", Some(e.into())),
        }
    }
}
