//! Where requests go and how they are authorised. Validated once, then used by every builder.

use crate::error::Code;
use std::fmt;

use serde::Serialize;

use crate::error::ValidationError;

pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";
pub const DEFAULT_VERSION: &str = "v23.0";

/// An access token. Its `Debug` and `Display` never show the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// A token that can go into a header: non-empty visible ASCII. A CR or LF would let the
    /// value inject headers, and Meta's tokens are base64-like ASCII anyway. The error never
    /// shows the value.
    pub fn new(token: impl Into<String>) -> Result<Self, ValidationError> {
        let token = token.into();
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ValidationError::single(
                Code::InvalidFormat,
                "access_token",
                "an access token is non-empty visible ASCII (the value is not shown)",
            ));
        }
        Ok(AccessToken(token))
    }

    /// The secret itself, for the `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A Graph API version segment such as `v23.0`, checked against `^v[0-9]+\.[0-9]+$` and never
/// rewritten.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiVersion(String);

impl ApiVersion {
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let ok = s
            .strip_prefix('v')
            .and_then(|rest| rest.split_once('.'))
            .is_some_and(|(major, minor)| is_digits(major) && is_digits(minor));
        if ok {
            Ok(ApiVersion(s.to_owned()))
        } else {
            Err(ValidationError::single(
                Code::InvalidVersion,
                "version",
                format!("{s:?} is not a Graph API version like \"v23.0\""),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Base URL, version and optional token: everything a request needs besides its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    base_url: String,
    version: ApiVersion,
    token: Option<AccessToken>,
    allow_unverified: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.to_owned(),
            version: ApiVersion(DEFAULT_VERSION.to_owned()),
            token: None,
            allow_unverified: false,
        }
    }
}

impl Config {
    /// Graph API at `https://graph.facebook.com` with the given version.
    pub fn new(version: &str) -> Result<Self, ValidationError> {
        Ok(Config {
            version: ApiVersion::parse(version)?,
            ..Config::default()
        })
    }

    /// Another origin (a proxy, a local stub). `http` and `https` only; no query or fragment.
    /// A trailing slash is dropped so paths join cleanly.
    pub fn with_base_url(mut self, base_url: &str) -> Result<Self, ValidationError> {
        let trimmed = base_url.trim_end_matches('/');
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"));
        let ok = rest.is_some_and(|r| {
            let host = r.split('/').next().unwrap_or("");
            !host.is_empty()
                && !r.contains(['?', '#', ' '])
                && r.bytes().all(|b| b.is_ascii_graphic())
        });
        if !ok {
            return Err(ValidationError::single(
                Code::InvalidBaseUrl,
                "base_url",
                format!("{base_url:?} is not an http(s) URL without query or fragment"),
            ));
        }
        self.base_url = trimmed.to_owned();
        Ok(self)
    }

    /// The scheme and authority of an explicitly configured base URL (`http://127.0.0.1:8787`),
    /// `None` for Meta's own: the one other origin media may be downloaded from with the token.
    pub fn configured_origin(&self) -> Option<&str> {
        if self.base_url == DEFAULT_BASE_URL {
            return None;
        }
        let scheme = if self.base_url.starts_with("https://") {
            "https://".len()
        } else {
            "http://".len()
        };
        let end = self
            .base_url
            .get(scheme..)
            .and_then(|r| r.find('/'))
            .map_or(self.base_url.len(), |i| scheme + i);
        self.base_url.get(..end)
    }

    /// Send `Authorization: Bearer …` with every request. Without a token no header is sent.
    pub fn with_token(mut self, token: AccessToken) -> Self {
        self.token = Some(token);
        self
    }

    /// Let through what Meta's documents do not confirm (message types not documented for
    /// groups, enum values not in the documented sets) with a warning on the request instead
    /// of an error: when Meta adds something, users need not wait for a release.
    pub fn with_allow_unverified(mut self, allow: bool) -> Self {
        self.allow_unverified = allow;
        self
    }

    pub fn allow_unverified(&self) -> bool {
        self.allow_unverified
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn version(&self) -> &ApiVersion {
        &self.version
    }

    pub fn token(&self) -> Option<&AccessToken> {
        self.token.as_ref()
    }

    /// Config from the JSON the bindings and the CLI pass:
    /// `{"base_url"?, "version"?, "access_token"?, "allow_unverified"?}`. Unknown members are
    /// errors.
    pub fn from_json(v: &serde_json::Value) -> Result<Self, ValidationError> {
        let mut p = crate::validate::Problems::default();
        let mut config = Config::default();
        if let Some(obj) = crate::validate::Obj::new(
            &mut p,
            v,
            "",
            &["base_url", "version", "access_token", "allow_unverified"],
        ) {
            if let Some(version) = obj.str(&mut p, "version", false) {
                match ApiVersion::parse(version) {
                    Ok(ver) => config.version = ver,
                    Err(e) => p.extend(e),
                }
            }
            if let Some(base) = obj.str(&mut p, "base_url", false) {
                match config.clone().with_base_url(base) {
                    Ok(c) => config = c,
                    Err(e) => p.extend(e),
                }
            }
            if let Some(allow) = obj.bool(&mut p, "allow_unverified") {
                config.allow_unverified = allow;
            }
            if let Some(token) = obj.str(&mut p, "access_token", false) {
                match AccessToken::new(token) {
                    Ok(t) => config.token = Some(t),
                    Err(e) => p.extend(e),
                }
            }
        }
        p.finish(config)
    }
}
