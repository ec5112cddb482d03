//! The JSON-in, JSON-out surface: what the CLI prints and the bindings return, in one place so
//! every front end gives identical output for identical input.

use crate::error::Code;
use serde_json::{json, Value};

use crate::config::Config;
use crate::error::{catalog, Error, ValidationError};
use crate::ops::{build_request_with_file, next_page_params, parse_response, Operation, Reply};

/// Parse JSON text that a binding received (`what` names it in the error).
pub fn value_from_json_text(text: &str, what: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| {
        ValidationError::single(
            Code::WrongType,
            what,
            format!("{what} is not valid JSON: {e}"),
        )
        .into()
    })
}

/// `[[name, value], …]` as JSON text → pairs (headers, query parameters).
pub fn pairs_from_json_text(text: &str) -> Result<Vec<(String, String)>, Error> {
    serde_json::from_str(text).map_err(|e| {
        ValidationError::single(
            Code::WrongType,
            "headers",
            format!("expected [[name, value], …]: {e}"),
        )
        .into()
    })
}

/// `{"ok": value}` or `{"error": {...}}`: the outcome form of the fixture corpus.
pub fn outcome(result: Result<Value, Error>) -> Value {
    match result {
        Ok(v) => json!({ "ok": v }),
        Err(e) => json!({ "error": e.to_json() }),
    }
}

/// Build a request: operation name, parameters, and config `{"base_url"?, "version"?,
/// "access_token"?}` → `{"method","url","headers","body"}`.
pub fn build_request_json(operation: &str, params: &Value, config: &Value) -> Result<Value, Error> {
    build_request_with_file_json(operation, params, None, config)
}

/// [`build_request_json`] with the bytes of the operation's file (`set_group_picture`,
/// `upload_media`) beside the parameters: no base64 on the way in.
pub fn build_request_with_file_json(
    operation: &str,
    params: &Value,
    file: Option<&[u8]>,
    config: &Value,
) -> Result<Value, Error> {
    // Report every problem at once: a bad config does not hide bad parameters.
    let mut problems = Vec::new();
    let op = Operation::parse(operation)
        .map_err(|e| problems.extend(e.errors))
        .ok();
    let cfg = Config::from_json(config)
        .map_err(|e| problems.extend(e.errors))
        .unwrap_or_default();
    let Some(op) = op else {
        return Err(ValidationError { errors: problems }.into());
    };
    let built = build_request_with_file(op, params, file, &cfg);
    if problems.is_empty() {
        return Ok(built?.to_json());
    }
    if let Err(Error::Validation(e)) = built {
        problems.extend(e.errors);
    }
    Err(ValidationError { errors: problems }.into())
}

/// Parse a reply: operation name, HTTP status, headers, body bytes → the reply's JSON, or a
/// classified error.
pub fn parse_response_json(
    operation: &str,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Value, Error> {
    let op = Operation::parse(operation)?;
    Ok(parse_response(op, status, headers, body)?.to_json())
}

/// Parameters of the next page (`null` at the end of the list) from the original parameters and
/// a successful list reply.
pub fn next_page_json(operation: &str, params: &Value, reply_body: &[u8]) -> Result<Value, Error> {
    let op = Operation::parse(operation)?;
    let reply = parse_response(op, 200, &[], reply_body)?;
    Ok(next_page_params(params, &reply).unwrap_or(Value::Null))
}

/// The group-picture check of some bytes.
pub fn check_image_json(bytes: &[u8]) -> Value {
    serde_json::to_value(crate::media::check_group_picture(bytes)).unwrap_or(Value::Null)
}

/// The whole catalog, or the row of one code (a snake_case name or a Graph number).
pub fn catalog_json(code: Option<&str>) -> Option<Value> {
    match code {
        None => serde_json::to_value(catalog::error_catalog()).ok(),
        Some(c) => {
            let entry = match c.parse::<i64>() {
                Ok(n) => catalog::lookup_graph(n),
                Err(_) => catalog::lookup(c),
            }?;
            serde_json::to_value(entry).ok()
        }
    }
}

/// The operation names this build offers.
pub fn operations_json() -> Value {
    serde_json::to_value(crate::ops::OperationInfo::all()).unwrap_or(Value::Null)
}

/// Limits from JSON `{"max_bytes"?, "max_items"?}` (the fixture corpus's form), through
/// [`crate::webhook::WebhookLimits::new`].
pub fn webhook_limits_from_json(v: &Value) -> Result<crate::webhook::WebhookLimits, Error> {
    let mut p = crate::validate::Problems::default();
    let Some(o) = crate::validate::Obj::new(&mut p, v, "", &["max_bytes", "max_items"]) else {
        return Err(p.fail().into());
    };
    let max_bytes = o.int(&mut p, "max_bytes", false);
    let max_items = o.int(&mut p, "max_items", false);
    p.finish(())?;
    Ok(crate::webhook::WebhookLimits::new(max_bytes, max_items)?)
}

/// A whole number from a JS number (finite, integral, within ±2^53), or a typed error naming it.
pub fn integer_from_number(v: f64, what: &str) -> Result<i64, Error> {
    whole(v).ok_or_else(|| {
        ValidationError::single(
            Code::WrongType,
            what,
            format!("{what} is a whole number, not {v}"),
        )
        .into()
    })
}

fn whole(v: f64) -> Option<i64> {
    #[allow(clippy::cast_precision_loss)]
    let bound = crate::wire::MAX_SAFE_INTEGER as f64;
    #[allow(clippy::cast_possible_truncation)]
    (v.is_finite() && v.fract() == 0.0 && v.abs() <= bound).then_some(v as i64)
}

/// Limits from the numbers a JS caller gives (`maxBytes`, `maxItems`), through
/// [`crate::webhook::WebhookLimits::new`].
pub fn webhook_limits_from_numbers(
    max_bytes: Option<f64>,
    max_items: Option<f64>,
) -> Result<crate::webhook::WebhookLimits, Error> {
    let max_bytes = max_bytes
        .map(|n| integer_from_number(n, "max_bytes"))
        .transpose()?;
    let max_items = max_items
        .map(|n| integer_from_number(n, "max_items"))
        .transpose()?;
    Ok(crate::webhook::WebhookLimits::new(max_bytes, max_items)?)
}

/// The batch of a raw delivery: `{"changes": [...], "events": [...], …}`.
pub fn parse_webhook_json(
    raw_body: &[u8],
    limits: &crate::webhook::WebhookLimits,
) -> Result<Value, Error> {
    let batch = crate::webhook::parse_webhook_with(raw_body, limits)?;
    Ok(serde_json::to_value(batch).unwrap_or(Value::Null))
}

/// The same batch as JSON text, serialised straight from the typed events (no intermediate JSON
/// tree).
pub fn parse_webhook_text(
    raw_body: &[u8],
    limits: &crate::webhook::WebhookLimits,
) -> Result<String, Error> {
    let batch = crate::webhook::parse_webhook_with(raw_body, limits)?;
    Ok(serde_json::to_string(&batch).unwrap_or_default())
}

/// `true` when the signature is valid for one of the secrets, else a typed error.
pub fn verify_signature_json<S: AsRef<[u8]>>(
    raw_body: &[u8],
    header: Option<&str>,
    secrets: &[S],
) -> Result<Value, Error> {
    let secrets: Vec<crate::webhook::AppSecret> =
        secrets.iter().map(crate::webhook::AppSecret::new).collect();
    crate::webhook::verify_signature(raw_body, header, &secrets)?;
    Ok(Value::Bool(true))
}

/// [`crate::webhook::verify_host_macs`]: `macs` holds the body's HMAC-SHA256 for each secret the
/// host holds, 32 bytes each, computed only once it found every secret present and non-empty.
pub fn verify_host_macs_json(header: Option<&str>, macs: &[u8]) -> Result<Value, Error> {
    crate::webhook::verify_host_macs(header, &whole_macs(macs)?)?;
    Ok(Value::Bool(true))
}

/// The challenge string to echo, from a query string (`hub.mode=…&…`).
pub fn verify_subscription_json(query: &str, verify_token: &str) -> Result<Value, Error> {
    verify_subscription_pairs_json(&crate::webhook::parse_query(query), verify_token)
}

/// The challenge string to echo, from decoded query pairs.
pub fn verify_subscription_pairs_json(
    pairs: &[(String, String)],
    verify_token: &str,
) -> Result<Value, Error> {
    let challenge = crate::webhook::verify_subscription(pairs, verify_token)?;
    Ok(Value::String(challenge))
}

/// Downloaded bytes against the `get_media` reply (its `sha256` and `file_size`):
/// `{"size_bytes", "sha256"}` or a `VerificationError` (`media_size_mismatch`,
/// `media_hash_mismatch`).
pub fn check_media_download_json(bytes: &[u8], info: &Value) -> Result<Value, Error> {
    let info: crate::ops::MediaInfo = crate::ops::decode(info.clone())?;
    let got = crate::ops::check_media_download(bytes, &info)?;
    Ok(serde_json::to_value(got).unwrap_or(Value::Null))
}

/// `set_group_picture` from the picture's bytes (the bindings' `bytes` / `Uint8Array`).
pub fn build_set_group_picture_json(
    group_id: &str,
    file: &[u8],
    filename: Option<&str>,
    boundary: Option<&str>,
    config: &Value,
) -> Result<Value, Error> {
    let config = Config::from_json(config)?;
    let params = crate::ops::PictureParams {
        group_id,
        file,
        filename,
        boundary,
    };
    Ok(crate::ops::build_set_group_picture(&params, &config)?.to_json())
}

/// Format and size from an image's header, or an image error.
pub fn sniff_image_json(bytes: &[u8]) -> Result<Value, Error> {
    let info = crate::media::sniff_image(bytes)?;
    Ok(serde_json::to_value(info).unwrap_or(Value::Null))
}

/// Classify a failed reply without parsing it as any operation's reply: the error's JSON.
pub fn classify_error_json(status: u16, headers: &[(String, String)], body: &[u8]) -> Value {
    Error::from(crate::error::classify_response_error(status, headers, body)).to_json()
}

// ---- group state ----

/// A time in whole seconds from a JS number: finite, integral, within ±2^53.
pub fn seconds_from_number(v: f64, what: &str) -> Result<i64, Error> {
    whole(v).ok_or_else(|| {
        ValidationError::single(
            Code::WrongType,
            what,
            format!("{what} is whole Unix seconds, not {v}"),
        )
        .into()
    })
}

/// Fold deliveries (raw bodies, as verified and parsed) into group states:
/// `{"state": {group id: state}, "changes": [...], "ignored": [...]}`. A group first seen in an
/// event gets a new state.
pub fn apply_events_json(
    states: &Value,
    deliveries: &[&[u8]],
    limits: &crate::webhook::WebhookLimits,
) -> Result<Value, Error> {
    let mut map = crate::state::decode_states(states)?;
    let mut changes = Vec::new();
    let mut ignored: Vec<crate::state::Ignored> = Vec::new();
    for body in deliveries {
        let batch = crate::webhook::parse_webhook_with(body, limits)?;
        let applied = crate::state::apply_events(&mut map, &batch.events);
        changes.extend(applied.changes);
        ignored.extend(applied.ignored);
    }
    let update = crate::state::StateUpdate {
        state: map,
        changes,
        ignored,
    };
    Ok(serde_json::to_value(update).unwrap_or(Value::Null))
}

/// Fold the successful reply (its body, as received with a 2xx status) of `operation`, called
/// with `params`, at `at` (Unix seconds) into group states: the same answer as
/// [`apply_events_json`]. A body holding a Graph error is that error.
pub fn apply_reply_json(
    states: &Value,
    operation: &str,
    params: &Value,
    reply: &[u8],
    at: i64,
) -> Result<Value, Error> {
    let op = Operation::parse(operation)?;
    if !params.is_object() {
        return Err(ValidationError::single(
            Code::WrongType,
            "params",
            "params is the object the request was built from",
        )
        .into());
    }
    let mut map = crate::state::decode_states(states)?;
    let reply = parse_response(op, 200, &[], reply)?;
    let applied = crate::state::apply_reply(&mut map, op, params, &reply, at);
    let update = crate::state::StateUpdate {
        state: map,
        changes: applied.changes,
        ignored: applied.ignored,
    };
    Ok(serde_json::to_value(update).unwrap_or(Value::Null))
}

/// A group's state from a `get_group_info` reply body read at `read_at` (Unix seconds).
pub fn seed_from_group_info_json(reply: &[u8], read_at: i64) -> Result<Value, Error> {
    let Reply::GroupInfo(info) = parse_response(Operation::GetGroupInfo, 200, &[], reply)? else {
        return Err(crate::error::DecodeError::shape("", "not a group info reply").into());
    };
    let state = crate::state::GroupState::seed_from_group_info(&info, read_at);
    Ok(serde_json::to_value(state).unwrap_or(Value::Null))
}

fn one_state(state: &Value) -> Result<crate::state::GroupState, Error> {
    Ok(crate::state::decode_state(state)?)
}

/// What a message sent at `now` will count as: `category` is `marketing`, `utility`,
/// `authentication` or `none` (free-form).
pub fn quote_message_json(state: &Value, now: i64, category: &str) -> Result<Value, Error> {
    let s = one_state(state)?;
    let Some(c) = crate::state::TemplateCategory::parse(category) else {
        return Err(ValidationError::single(
            Code::InvalidValue,
            "template_category",
            format!("{category:?} is not one of: marketing, utility, authentication, none"),
        )
        .into());
    };
    Ok(serde_json::to_value(s.quote_message(now, c)).unwrap_or(Value::Null))
}

/// The state without message records older than `now - keep` seconds (default 30 days).
pub fn prune_json(state: &Value, now: i64, keep: Option<i64>) -> Result<Value, Error> {
    let mut s = one_state(state)?;
    let keep = keep.unwrap_or(crate::state::DEFAULT_RETENTION_SECONDS);
    if keep < 0 {
        return Err(ValidationError::single(
            Code::OutOfRange,
            "keep",
            "keep is seconds, not negative",
        )
        .into());
    }
    s.prune(now, keep);
    Ok(serde_json::to_value(s).unwrap_or(Value::Null))
}

// ---- clients' decisions ----

/// A retry policy from `{"max_attempts"?, "base_delay_ms"?, "max_delay_ms"?}` (`null` for the
/// defaults); each a non-negative integer.
pub fn retry_policy_from_json(v: &Value) -> Result<crate::retry::RetryPolicy, Error> {
    let d = crate::retry::RetryPolicy::default();
    if v.is_null() {
        return Ok(d);
    }
    let mut p = crate::validate::Problems::default();
    let allowed = ["max_attempts", "base_delay_ms", "max_delay_ms"];
    let Some(o) = crate::validate::Obj::new(&mut p, v, "", &allowed) else {
        return Err(p.fail().into());
    };
    let mut number = |key: &str, default: u64| match o.int(&mut p, key, false) {
        None => default,
        Some(n) => u64::try_from(n).unwrap_or_else(|_| {
            p.push(Code::OutOfRange, key, format!("{key} must not be negative"));
            default
        }),
    };
    let attempts = number("max_attempts", u64::from(d.max_attempts));
    let base = number("base_delay_ms", d.base_delay_ms);
    let max = number("max_delay_ms", d.max_delay_ms);
    let attempts = u32::try_from(attempts).unwrap_or_else(|_| {
        p.push(Code::OutOfRange, "max_attempts", "too many attempts");
        1
    });
    p.finish(())?;
    Ok(crate::retry::RetryPolicy::new(attempts, base, max)?)
}

/// The retry decision from an error's JSON form (its `retry` and `retry_after_seconds`), the
/// number of the attempt that failed, a policy and a random number in `[0, 1)`.
pub fn next_attempt_json(
    error: &Value,
    attempt: i64,
    policy: &Value,
    random: f64,
) -> Result<Value, Error> {
    let retry: crate::error::Retry = error
        .get("retry")
        .and_then(|r| serde_json::from_value(r.clone()).ok())
        .ok_or_else(|| {
            ValidationError::single(
                Code::WrongType,
                "error.retry",
                "the error's JSON form (its info) with its \"retry\" advice",
            )
        })?;
    let after = match error.get("retry_after_seconds") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            ValidationError::single(
                Code::WrongType,
                "error.retry_after_seconds",
                "whole seconds, not negative",
            )
        })?),
    };
    let attempt = u32::try_from(attempt).map_err(|_| {
        ValidationError::single(Code::OutOfRange, "attempt", "attempts are counted from 1")
    })?;
    let policy = retry_policy_from_json(policy)?;
    let decision = crate::retry::next_attempt_for(retry, after, attempt, &policy, random)?;
    Ok(serde_json::to_value(decision).unwrap_or(Value::Null))
}

/// The webhook endpoint's answer, typed, from what a binding holds: secrets as bytes, and `macs`
/// (the body's HMAC-SHA256 per secret, 32 bytes each) when the platform computed them. Every
/// binding calls this and hands the answer back its own way.
#[allow(clippy::too_many_arguments)]
pub fn receive_answer<'b, S: AsRef<[u8]>>(
    method: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &'b [u8],
    secrets: &[S],
    verify_token: Option<&str>,
    limits: &crate::webhook::WebhookLimits,
    macs: Option<&[u8]>,
) -> crate::webhook::Received<'b> {
    let secrets: Vec<crate::webhook::AppSecret> =
        secrets.iter().map(crate::webhook::AppSecret::new).collect();
    let receiver = crate::webhook::Receiver {
        secrets: &secrets,
        verify_token,
        limits: *limits,
    };
    let incoming = crate::webhook::Incoming {
        method,
        query,
        headers,
        body,
    };
    match macs {
        Some(m) => receiver.receive_with_macs(&incoming, &macs_of(m)),
        None => receiver.receive(&incoming),
    }
}

/// [`receive_answer`] as JSON: `{"status", "content_type", "body", "batch", "problem"}`.
#[allow(clippy::too_many_arguments)]
pub fn receive_json<S: AsRef<[u8]>>(
    method: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &[u8],
    secrets: &[S],
    verify_token: Option<&str>,
    limits: &crate::webhook::WebhookLimits,
    macs: Option<&[u8]>,
) -> Value {
    let received = receive_answer(
        method,
        query,
        headers,
        body,
        secrets,
        verify_token,
        limits,
        macs,
    );
    serde_json::to_value(received).unwrap_or(Value::Null)
}

/// MACs as a check takes them: 32 bytes each, or refused.
fn whole_macs(macs: &[u8]) -> Result<Vec<[u8; 32]>, Error> {
    if macs.len() % 32 != 0 {
        return Err(crate::error::VerificationError::new(
            crate::Code::AppSecretMissing,
            format!("the MACs are {} bytes, not a multiple of 32", macs.len()),
        )
        .into());
    }
    Ok(macs_of(macs))
}

/// MACs as the bindings pass them: 32 bytes per secret, in order (a short tail is dropped, and
/// the count then differs from the secrets', which the check refuses).
fn macs_of(macs: &[u8]) -> Vec<[u8; 32]> {
    macs.chunks_exact(32)
        .filter_map(|c| <[u8; 32]>::try_from(c).ok())
        .collect()
}
