//! `X-Hub-Signature-256`: HMAC-SHA256 with the app secret over the body bytes exactly as they
//! came off the wire. Never over re-serialised JSON: Meta signs its own escaping.

use crate::error::Code;
use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::VerificationError;

/// The header Meta signs deliveries with (look it up case-insensitively).
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// An app secret. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret(Vec<u8>);

impl AppSecret {
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        AppSecret(secret.as_ref().to_vec())
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret(<redacted>)")
    }
}

impl fmt::Display for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The `X-Hub-Signature-256` value among request headers, by case-insensitive name.
pub fn signature_header(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(SIGNATURE_HEADER))
        .map(|(_, v)| v.as_str())
}

fn hex_nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// `sha256=` + exactly 64 hex digits (either case) → the 32-byte digest.
fn parse_header(value: &str) -> Result<[u8; 32], VerificationError> {
    let hex = value.trim().strip_prefix("sha256=").ok_or_else(|| {
        VerificationError::new(
            Code::SignatureMalformed,
            "the signature does not start with \"sha256=\"",
        )
    })?;
    if hex.len() != 64 {
        return Err(VerificationError::new(
            Code::SignatureMalformed,
            format!(
                "expected 64 hex digits after \"sha256=\", got {} characters",
                hex.len()
            ),
        ));
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        let (Some(hi), Some(lo)) = (
            pair.first().copied().and_then(hex_nibble),
            pair.get(1).copied().and_then(hex_nibble),
        ) else {
            return Err(VerificationError::new(
                Code::SignatureMalformed,
                "the signature is not hexadecimal",
            ));
        };
        *slot = hi << 4 | lo;
    }
    Ok(out)
}

/// Verify a delivery. `header` is the `X-Hub-Signature-256` value (`None` when absent);
/// `secrets` holds one app secret, or several during a rotation (any match is valid). Digests are
/// compared in constant time; the error never echoes the expected digest.
pub fn verify_signature(
    raw_body: &[u8],
    header: Option<&str>,
    secrets: &[AppSecret],
) -> Result<(), VerificationError> {
    let digest = check_inputs(header, secrets)?;
    // Check every secret (no early exit) so timing does not tell which one matched.
    let mut matched = false;
    for secret in secrets {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&secret.0) else {
            continue;
        };
        mac.update(raw_body);
        matched |= mac.verify_slice(&digest).is_ok();
    }
    outcome(matched)
}

/// [`verify_signature`] with the HMAC-SHA256 of the body already computed, one per secret in
/// order, by a platform whose own implementation is faster than this crate's (Node's OpenSSL
/// against SHA-256 compiled to wasm). Everything else is checked here, as there: the secrets,
/// the header, and the comparison, in constant time over every MAC.
pub fn verify_signature_macs(
    header: Option<&str>,
    secrets: &[AppSecret],
    macs: &[[u8; 32]],
) -> Result<(), VerificationError> {
    let digest = check_inputs(header, secrets)?;
    if macs.len() != secrets.len() {
        return Err(VerificationError::new(
            Code::AppSecretMissing,
            format!(
                "{} MACs were given for {} app secrets",
                macs.len(),
                secrets.len()
            ),
        ));
    }
    any_matches(macs, &digest)
}

/// [`verify_signature_macs`] for a host that keeps the secrets itself and computed one MAC per
/// secret only after finding each secret present and non-empty (the npm package over Node's
/// OpenSSL: the secrets then never cross into this crate, which saves a third of a check). The
/// header and the comparison, in constant time over every MAC, are checked here; no MAC means
/// no secret.
pub fn verify_host_macs(header: Option<&str>, macs: &[[u8; 32]]) -> Result<(), VerificationError> {
    if macs.is_empty() {
        return Err(no_secret());
    }
    let digest = parse_header(header_present(header)?)?;
    any_matches(macs, &digest)
}

/// Every MAC compared (no early exit), so that timing does not tell which secret matched.
fn any_matches(macs: &[[u8; 32]], digest: &[u8; 32]) -> Result<(), VerificationError> {
    let mut matched = subtle::Choice::from(0);
    for mac in macs {
        matched |= mac.ct_eq(digest);
    }
    outcome(matched.into())
}

fn no_secret() -> VerificationError {
    VerificationError::new(
        Code::AppSecretMissing,
        "an app secret is required and must not be empty",
    )
}

fn header_present(header: Option<&str>) -> Result<&str, VerificationError> {
    header.ok_or_else(|| {
        VerificationError::new(
            Code::SignatureMissing,
            "the X-Hub-Signature-256 header is missing",
        )
    })
}

/// The secrets present and non-empty, and the header's digest.
fn check_inputs(
    header: Option<&str>,
    secrets: &[AppSecret],
) -> Result<[u8; 32], VerificationError> {
    if secrets.is_empty() || secrets.iter().any(|s| s.0.is_empty()) {
        return Err(no_secret());
    }
    parse_header(header_present(header)?)
}

fn outcome(matched: bool) -> Result<(), VerificationError> {
    if matched {
        Ok(())
    } else {
        Err(VerificationError::new(
            Code::SignatureMismatch,
            "the signature does not match the body for any configured app secret",
        ))
    }
}
