//! The GET verification handshake: echo `hub.challenge` when `hub.mode` is
//! `subscribe` and `hub.verify_token` matches, compared in constant time.

use crate::error::Code;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::VerificationError;

/// Decode `application/x-www-form-urlencoded` pairs (`+` is a space, `%XX` a byte).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Equal without an early exit: both sides are hashed first, so neither content nor length leaks.
fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes())
        .ct_eq(&Sha256::digest(b.as_bytes()))
        .into()
}

/// The challenge to send back (status 200, as the entire body), or why to answer 403.
pub fn verify_subscription(
    query: &[(String, String)],
    expected_verify_token: &str,
) -> Result<String, VerificationError> {
    if expected_verify_token.is_empty() {
        return Err(VerificationError::new(
            Code::VerifyTokenMissing,
            "the expected verify token must not be empty",
        ));
    }
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match get("hub.mode") {
        Some("subscribe") => {}
        Some(_) => {
            return Err(VerificationError::new(
                Code::SubscriptionModeInvalid,
                "hub.mode is not \"subscribe\"",
            ))
        }
        None => {
            return Err(VerificationError::new(
                Code::SubscriptionModeInvalid,
                "hub.mode is missing",
            ))
        }
    }
    let token = get("hub.verify_token").unwrap_or("");
    if !same_secret(token, expected_verify_token) {
        return Err(VerificationError::new(
            Code::SubscriptionTokenMismatch,
            "hub.verify_token does not match",
        ));
    }
    match get("hub.challenge") {
        Some(c) if !c.is_empty() => Ok(c.to_owned()),
        _ => Err(VerificationError::new(
            Code::SubscriptionChallengeMissing,
            "hub.challenge is missing",
        )),
    }
}
