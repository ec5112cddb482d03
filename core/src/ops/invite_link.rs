//! The group's invite link: read, reset, delete.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{json_body, only_group_id};
use crate::config::Config;
use crate::error::ValidationError;
use crate::http::Body;
use crate::ops::Parts;
use crate::validate::Problems;
use crate::wire::Extra;

pub const INVITE_LINK_PREFIX: &str = "https://chat.whatsapp.com/";

fn invite_link_request(params: &Value, body: Body) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let gid = only_group_id(&mut p, params);
    p.finish(())?;
    Ok(p.parts(&[gid.unwrap_or_default()], &[], body))
}

pub(super) fn get_invite_link(params: &Value, _config: &Config) -> Result<Parts, ValidationError> {
    invite_link_request(params, Body::Empty)
}

/// Invalidates every earlier link; the reply carries the new one. No webhook follows.
pub(super) fn reset_invite_link(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    invite_link_request(params, json_body(vec![]))
}

/// Unverified: documented only in Meta's OpenAPI file, not in the guides.
pub(super) fn delete_invite_link(
    params: &Value,
    _config: &Config,
) -> Result<Parts, ValidationError> {
    invite_link_request(params, json_body(vec![]))
}

/// `GET`/`POST /{group-id}/invite_link`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InviteLinkReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    pub invite_link: String,
    #[serde(flatten)]
    pub extra: Extra,
    /// Library notes about the reply (never errors): `invite_link_unexpected_prefix` when the
    /// link does not start with `https://chat.whatsapp.com/`.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl InviteLinkReply {
    pub(super) fn checked(mut self) -> Self {
        if !self.invite_link.starts_with(INVITE_LINK_PREFIX) {
            self.warnings
                .push("invite_link_unexpected_prefix".to_owned());
        }
        self
    }
}
