//! Reading caller parameters: every problem collected with a stable code and a path, never
//! fail-fast, and unknown parameters refused (strict with the caller).
//!
//! Character limits count Unicode scalar values (`str::chars`), since Meta does not say which unit
//! it counts: "👍🏽" is 2, "é" written
//! as `e` + U+0301 is 2, a precomposed "é" is 1. The server decides borderline cases.

use crate::error::Code;
use serde_json::{Map, Value};

use crate::error::{FieldError, ValidationError, Warning};

/// Collected problems: errors refuse the input, warnings go out with the request.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    errors: Vec<FieldError>,
    warnings: Vec<Warning>,
}

impl Problems {
    pub fn push(&mut self, code: Code, path: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            code,
            path: path.to_owned(),
            message: message.into(),
        });
    }

    pub fn warn(&mut self, code: Code, path: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            code,
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// Something the documents do not confirm: an error, or with `allow` (the config's
    /// `allow_unverified`) a warning, so that users are not stuck when Meta adds something.
    pub fn unverified(&mut self, allow: bool, code: Code, path: &str, message: impl Into<String>) {
        let message = message.into();
        if allow {
            self.warn(
                code,
                path,
                format!("{message}; sent as given (allow_unverified)"),
            );
        } else {
            self.push(
                code,
                path,
                format!("{message}; set allow_unverified in the config to send it anyway"),
            );
        }
    }

    pub fn extend(&mut self, e: ValidationError) {
        self.errors.extend(e.errors);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The collected problems as an error (callers use it after a failed structural check, so
    /// there is at least one).
    pub fn fail(self) -> ValidationError {
        ValidationError {
            errors: self.errors,
        }
    }

    /// `value` when nothing refuses the input; the warnings stay for [`Problems::attach`].
    pub fn finish<T>(&mut self, value: T) -> Result<T, ValidationError> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(ValidationError {
                errors: std::mem::take(&mut self.errors),
            })
        }
    }

    /// What a builder decided (the path's ids in order, the query, the body), carrying the
    /// warnings collected while deciding it; the operation's row adds the method and the path.
    pub fn parts(
        self,
        ids: &[&str],
        query: &[(&'static str, String)],
        body: crate::http::Body,
    ) -> crate::ops::Parts {
        crate::ops::Parts {
            ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            query: query.to_vec(),
            body,
            warnings: self.warnings,
        }
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Length as this library counts it: Unicode scalar values.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object of parameters with the set of members it may have.
#[derive(Debug)]
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    /// Checks that `v` is an object and that every member is in `allowed`.
    pub fn new(p: &mut Problems, v: &'a Value, path: &str, allowed: &[&str]) -> Option<Obj<'a>> {
        let Some(map) = v.as_object() else {
            p.push(
                Code::WrongType,
                path,
                format!("expected an object, got {}", type_name(v)),
            );
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                p.push(
                    Code::UnknownParameter,
                    &join(path, key),
                    format!(
                        "unknown parameter {key:?}; expected one of: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
        Some(Obj {
            map,
            path: path.to_owned(),
        })
    }

    pub fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    /// The member, treating `null` as absent; reports it missing when `required`.
    pub fn get(&self, p: &mut Problems, key: &str, required: bool) -> Option<&'a Value> {
        match self.map.get(key) {
            Some(Value::Null) | None => {
                if required {
                    p.push(
                        Code::MissingParameter,
                        &self.path(key),
                        format!("{key:?} is required"),
                    );
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    fn typed<T>(
        &self,
        p: &mut Problems,
        key: &str,
        required: bool,
        expected: &str,
        f: impl Fn(&'a Value) -> Option<T>,
    ) -> Option<T> {
        let v = self.get(p, key, required)?;
        let out = f(v);
        if out.is_none() {
            p.push(
                Code::WrongType,
                &self.path(key),
                format!("expected {expected}, got {}", type_name(v)),
            );
        }
        out
    }

    pub fn str(&self, p: &mut Problems, key: &str, required: bool) -> Option<&'a str> {
        self.typed(p, key, required, "a string", Value::as_str)
    }

    /// An optional member that, when present, must be the string `expected` (`why` says so).
    pub fn fixed(&self, p: &mut Problems, key: &str, expected: &str, why: &str) {
        if self.str(p, key, false).is_some_and(|s| s != expected) {
            p.push(Code::InvalidValue, &self.path(key), why);
        }
    }

    /// A string that must hold something besides whitespace.
    pub fn non_empty_str(&self, p: &mut Problems, key: &str, required: bool) -> Option<&'a str> {
        let s = self.str(p, key, required)?;
        if s.trim().is_empty() {
            p.push(
                Code::EmptyValue,
                &self.path(key),
                format!("{key:?} must not be empty"),
            );
            return None;
        }
        Some(s)
    }

    pub fn bool(&self, p: &mut Problems, key: &str) -> Option<bool> {
        self.typed(p, key, false, "a boolean", Value::as_bool)
    }

    pub fn int(&self, p: &mut Problems, key: &str, required: bool) -> Option<i64> {
        self.typed(p, key, required, "an integer", Value::as_i64)
    }

    pub fn array(&self, p: &mut Problems, key: &str, required: bool) -> Option<&'a Vec<Value>> {
        self.typed(p, key, required, "an array", Value::as_array)
    }

    pub fn object(
        &self,
        p: &mut Problems,
        key: &str,
        required: bool,
        allowed: &[&str],
    ) -> Option<Obj<'a>> {
        let v = self.get(p, key, required)?;
        Obj::new(p, v, &self.path(key), allowed)
    }

    /// A string of at most `max` characters (Unicode scalar values).
    pub fn text(&self, p: &mut Problems, key: &str, required: bool, max: usize) -> Option<&'a str> {
        let s = self.str(p, key, required)?;
        check_len(p, &self.path(key), s, max);
        Some(s)
    }
}

pub(crate) fn check_len(p: &mut Problems, path: &str, s: &str, max: usize) {
    let n = char_len(s);
    if n > max {
        p.push(
            Code::TooLong,
            path,
            format!("{n} characters; at most {max} allowed (counted as Unicode scalar values)"),
        );
    }
}

/// The deepest nesting of parameters accepted. Real parameters nest a handful of levels (a
/// template's components); the bound keeps every binding's conversion, which recurses, far from
/// the end of the native stack, and makes a self-referencing structure an error, not a crash.
pub const MAX_PARAMS_DEPTH: usize = 64;

/// The error for parameters nested deeper than [`MAX_PARAMS_DEPTH`] at `path`; the bindings
/// raise the same one when a native structure is too deep (or contains itself) to convert.
pub fn params_too_deep(path: impl Into<String>) -> ValidationError {
    ValidationError {
        errors: vec![FieldError {
            code: Code::TooDeep,
            path: path.into(),
            message: format!(
                "parameters may nest at most {MAX_PARAMS_DEPTH} levels (a structure that contains itself never ends)"
            ),
        }],
    }
}

/// The path of the first value nested deeper than `max` levels (`a.b[0]`), if any. Recursion
/// stops at `max`, so the check itself is bounded.
pub(crate) fn too_deep(v: &Value, max: usize) -> Option<String> {
    fn walk(v: &Value, left: usize, path: &str) -> Option<String> {
        let children: Box<dyn Iterator<Item = (String, &Value)>> = match v {
            Value::Array(a) => Box::new(a.iter().enumerate().map(|(i, c)| (index(path, i), c))),
            Value::Object(m) => Box::new(m.iter().map(|(k, c)| (join(path, k), c))),
            _ => return None,
        };
        for (child_path, child) in children {
            if !matches!(child, Value::Array(_) | Value::Object(_)) {
                continue;
            }
            if left == 0 {
                return Some(child_path);
            }
            if let Some(found) = walk(child, left - 1, &child_path) {
                return Some(found);
            }
        }
        None
    }
    walk(v, max.saturating_sub(1), "")
}

/// Where an id goes decides which characters it may hold.
///
/// Graph ids seen in the documentation and in Meta's webhooks are digit strings (phone number,
/// media and WABA ids), base64-like text with `=`, `-` and `_` (group ids such as
/// `Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD`, join request ids), and wamids:
/// `wamid.` plus standard base64, which may contain `+`, `/` and `=` padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdRule {
    /// Becomes a URL path segment: ASCII letters and digits, `-`, `_`, `=`, `.`, and never only
    /// dots, because every HTTP client resolves a `.` or `..` segment (percent-encoded or not) and
    /// would send the bearer token to another path.
    PathSegment,
    /// Goes inside a JSON body (wamids, join request ids): the path-segment set plus `+` and `/`.
    Body,
    /// Digits only (phone number ids, media ids).
    Digits,
}

impl IdRule {
    fn allows(self, b: u8) -> bool {
        match self {
            IdRule::Digits => b.is_ascii_digit(),
            IdRule::PathSegment => b.is_ascii_alphanumeric() || b"-_=.".contains(&b),
            IdRule::Body => b.is_ascii_alphanumeric() || b"-_=.+/".contains(&b),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            IdRule::Digits => "a string of digits",
            IdRule::PathSegment => "ASCII letters, digits, '-', '_', '=' and '.', not only dots",
            IdRule::Body => "ASCII letters, digits, '-', '_', '=', '.', '+' and '/', not only dots",
        }
    }
}

/// A Graph id under `rule`; refused with `invalid_id` and its path otherwise. Never decoded.
pub(crate) fn check_id(p: &mut Problems, path: &str, s: &str, rule: IdRule) -> bool {
    let ok = !s.is_empty() && s.bytes().all(|b| rule.allows(b)) && !s.bytes().all(|b| b == b'.');
    if !ok {
        let shown: String = s.chars().take(80).collect();
        p.push(
            Code::InvalidId,
            path,
            format!("{shown:?} is not an id: expected {}", rule.describe()),
        );
    }
    ok
}

/// BSUID (business-scoped user id): a two-letter country code, `.`, then 1–128 alphanumerics.
pub(crate) fn is_bsuid(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b, [c1, c2, b'.', rest @ ..]
        if c1.is_ascii_uppercase() && c2.is_ascii_uppercase()
            && !rest.is_empty() && rest.len() <= 128
            && rest.iter().all(u8::is_ascii_alphanumeric))
}

/// A phone number or WhatsApp id as the caller writes it: optional `+`, then digits.
pub(crate) fn is_phone(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (1..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}
