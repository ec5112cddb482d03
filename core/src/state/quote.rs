//! What a message to a group will count as, at a given time. The rules changed on 1 October
//! 2026: before, a utility template or a free-form message delivered while the group's
//! customer-service window was open was free (`free_group_customer_service`) and everything
//! else `regular`; from then on group marketing and group utility are always `regular`, and
//! free-form (service) deliveries are free only within the number's free tier, which Meta does
//! not state (so both types stay possible). Each delivery to a participant counts once; the
//! business itself is not a delivery.

use serde::{Deserialize, Serialize};

use super::model::{GroupState, GroupStatusValue};

/// 2026-10-01T00:00:00Z.
pub const PRICING_CHANGE_2026_10_01: i64 = 1_790_812_800;

/// The kind of message to quote: a template of a category, or free-form (`none`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateCategory {
    Marketing,
    Utility,
    Authentication,
    /// A free-form (non-template) message.
    None,
}

impl TemplateCategory {
    pub fn parse(s: &str) -> Option<TemplateCategory> {
        Some(match s {
            "marketing" => TemplateCategory::Marketing,
            "utility" => TemplateCategory::Utility,
            "authentication" => TemplateCategory::Authentication,
            "none" => TemplateCategory::None,
            _ => return None,
        })
    }
}

/// Why a message may not be sent now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuoteRefusal {
    /// Groups reject authentication templates.
    AuthenticationTemplate,
    /// Free-form messages need a participant's message in the last 24 hours (Meta: 131047).
    WindowClosed,
    /// WhatsApp suspended the group (Meta: 131207).
    GroupSuspended,
    /// The group was deleted: nobody can send to it.
    GroupDeleted,
    /// The group is still being created, or its creation failed.
    GroupNotCreated,
}

impl QuoteRefusal {
    fn message(self) -> &'static str {
        match self {
            QuoteRefusal::AuthenticationTemplate => "groups reject authentication templates",
            QuoteRefusal::WindowClosed => "free-form messages need an open customer-service window (a participant's message in the last 24 hours)",
            QuoteRefusal::GroupSuspended => "the group is suspended: messages are refused (131207) until the suspension is cleared",
            QuoteRefusal::GroupDeleted => "the group was deleted: nobody can send to it",
            QuoteRefusal::GroupNotCreated => "the group does not exist yet (its group_create event has not come) or its creation failed",
        }
    }
}

/// The answer of [`GroupState::quote`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote {
    /// Whether the message may be sent now.
    pub allowed: bool,
    /// Why not, when it may not: a code to act on, and a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<QuoteRefusal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub window_open: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_window_until: Option<i64>,
    /// `group_marketing`, `group_utility` or `group_service`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing_category: Option<&'static str>,
    /// The `pricing.type` values the deliveries may get (`regular`, `free_group_customer_service`).
    pub pricing_types: Vec<&'static str>,
    /// Deliveries it will count: one per current participant.
    pub deliveries: u64,
    /// Deliveries that will be charged at most, and at least.
    pub billable_deliveries_max: u64,
    pub billable_deliveries_min: u64,
    /// Which rules applied: `before_2026_10_01` or `from_2026_10_01`.
    pub rules: &'static str,
}

impl GroupState {
    /// Is the customer-service window open at `now` (Unix seconds)?
    pub fn window_open(&self, now: i64) -> bool {
        self.service_window_until.is_some_and(|until| now < until)
    }

    /// Renamed [`GroupState::quote_message`], the name every binding uses.
    #[deprecated(since = "0.1.0", note = "renamed quote_message")]
    pub fn quote(&self, now: i64, category: TemplateCategory) -> Quote {
        self.quote_message(now, category)
    }

    /// What a message of `category` sent at `now` will count as.
    pub fn quote_message(&self, now: i64, category: TemplateCategory) -> Quote {
        let open = self.window_open(now);
        let deliveries = self.participants.len() as u64;
        let new_rules = now >= PRICING_CHANGE_2026_10_01;
        let group_refusal = match self.status {
            GroupStatusValue::Suspended => Some(QuoteRefusal::GroupSuspended),
            GroupStatusValue::Deleted => Some(QuoteRefusal::GroupDeleted),
            GroupStatusValue::Creating | GroupStatusValue::CreateFailed => {
                Some(QuoteRefusal::GroupNotCreated)
            }
            GroupStatusValue::Unknown | GroupStatusValue::Active => None,
        };
        let (refusal, pricing_category, types): (
            Option<QuoteRefusal>,
            Option<&'static str>,
            Vec<&'static str>,
        ) = match category {
            TemplateCategory::Authentication => {
                (Some(QuoteRefusal::AuthenticationTemplate), None, Vec::new())
            }
            TemplateCategory::Marketing => (None, Some("group_marketing"), vec!["regular"]),
            TemplateCategory::Utility if !new_rules && open => (
                None,
                Some("group_utility"),
                vec!["free_group_customer_service"],
            ),
            TemplateCategory::Utility => (None, Some("group_utility"), vec!["regular"]),
            TemplateCategory::None if !open => (
                Some(QuoteRefusal::WindowClosed),
                Some("group_service"),
                Vec::new(),
            ),
            TemplateCategory::None if new_rules => (
                None,
                Some("group_service"),
                vec!["free_group_customer_service", "regular"],
            ),
            TemplateCategory::None => (
                None,
                Some("group_service"),
                vec!["free_group_customer_service"],
            ),
        };
        // The group's own state comes first: no message of any kind reaches it.
        let refusal = group_refusal.or(refusal);
        let types = if group_refusal.is_some() {
            Vec::new()
        } else {
            types
        };
        let allowed = refusal.is_none();
        let reason = refusal.map(|r| r.message().to_owned());
        let charged = |t: &&str| *t == "regular";
        let max = if allowed && types.iter().any(charged) {
            deliveries
        } else {
            0
        };
        let min = if allowed && !types.is_empty() && types.iter().all(charged) {
            deliveries
        } else {
            0
        };
        Quote {
            allowed,
            reason_code: refusal,
            reason,
            window_open: open,
            service_window_until: self.service_window_until,
            pricing_category,
            pricing_types: types,
            deliveries: if allowed { deliveries } else { 0 },
            billable_deliveries_max: max,
            billable_deliveries_min: min,
            rules: if new_rules {
                "from_2026_10_01"
            } else {
                "before_2026_10_01"
            },
        }
    }
}
