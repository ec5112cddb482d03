//! A group's state as a business needs it, kept as facts with the time each became true, so that
//! folding events in any order, or twice, gives the same state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Bumped when the JSON form changes; a state of another format is refused, not misread.
pub const STATE_FORMAT: u32 = 1;

/// Everything known about one group. Serialises to the same JSON in every language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupState {
    pub format: u32,
    pub group_id: String,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub invite_link: Option<String>,
    pub join_approval_mode: Option<String>,
    pub status: GroupStatusValue,
    /// The `request_id` of the `create_group` call this group came from, while it is being
    /// created (the state is then keyed by it) and after (the `group_create` event carried it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_request_id: Option<String>,
    /// Members now (the business not counted), by key.
    pub participants: Vec<Member>,
    pub pending_join_requests: Vec<PendingJoinRequest>,
    /// Unix seconds: the last inbound group message + 24 h; free-form messages may be sent
    /// until then.
    pub service_window_until: Option<i64>,
    /// Messages the business sent, by wamid.
    pub messages: BTreeMap<String, MessageRecord>,
    /// Deliveries per pricing category (`group_marketing`, `group_utility`, `group_service`…),
    /// kept when message records are pruned.
    pub totals: BTreeMap<String, Totals>,
    /// When each fact was set, and what has gone (so that late, older events do not undo
    /// newer ones). Pruned with the messages.
    pub facts: Facts,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupStatusValue {
    /// Nothing known yet (only statuses or messages seen).
    #[default]
    Unknown,
    /// `create_group` answered with a `request_id`; the `group_create` event has not come yet.
    Creating,
    /// The `group_create` event reported that the creation failed.
    CreateFailed,
    Active,
    Suspended,
    Deleted,
}

/// A participant: `wa_id` and/or `user_id` (BSUID), and since when.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Member {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Unix seconds of the join (or of the group info the state was seeded from).
    pub since: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PendingJoinRequest {
    pub join_request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub created_at: i64,
}

/// One message the business sent to the group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageRecord {
    /// The group-wide `sent` status, when it came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
    /// The group-wide `failed` status, when it came: the message reached nobody.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<i64>,
    /// The errors of the group-wide failure (code and title).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RecipientError>,
    /// Per participant key (`user_id`, else `wa_id`).
    pub recipients: BTreeMap<String, Recipient>,
    /// Charged deliveries (`pricing.type` `regular`), at most one per participant; a failed
    /// delivery is never one.
    pub billable_deliveries: u64,
    /// Priced but free deliveries (`free_group_customer_service`…).
    pub free_deliveries: u64,
    /// The latest time seen for this message (what pruning goes by).
    pub last_at: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recipient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub status: RecipientStatus,
    /// When the current status was reached.
    pub at: i64,
    /// The errors of a `failed` status (code and title).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RecipientError>,
    /// The delivery's pricing, once any of its statuses carried one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge: Option<Charge>,
}

/// Statuses only move forward: sent < failed < delivered < read (`read` implies delivered;
/// a delivery reported after a failure wins).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecipientStatus {
    #[default]
    Sent,
    Failed,
    Delivered,
    Read,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecipientError {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A setting of a group the state keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Subject,
    Description,
    InviteLink,
    JoinApprovalMode,
}

/// What one delivery counts as.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Charge {
    pub billable: bool,
    /// `pricing.category` (`group_marketing`…), `unknown` when absent.
    pub category: String,
    /// `pricing.type` when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_type: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Totals {
    pub billable_deliveries: u64,
    pub free_deliveries: u64,
}

/// The time each fact was set. A newer fact replaces an older one; at the same second the
/// stronger one wins (a removal over a join, deleted over suspended over active, the larger
/// value), which makes the fold independent of delivery order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Facts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_link_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_approval_mode_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_at: Option<i64>,
    /// Members who left or were removed, and when (a join older than that does not bring them
    /// back).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departed: Vec<Departure>,
    /// Join requests answered or revoked, and when.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_join_requests: Vec<ClosedJoinRequest>,
    /// The time of the group info the state was seeded from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeded_at: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Departure {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub at: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClosedJoinRequest {
    pub join_request_id: String,
    pub at: i64,
}

impl GroupState {
    pub fn new(group_id: &str) -> GroupState {
        GroupState {
            format: STATE_FORMAT,
            group_id: group_id.to_owned(),
            ..GroupState::default()
        }
    }
}
