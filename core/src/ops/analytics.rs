//! What a business's messages did and cost: `GET /{waba-id}?fields=analytics.…` (messages sent
//! and delivered) and `?fields=pricing_analytics.…` (deliveries and cost by pricing category and
//! type). Filters are Graph field-expansion calls, `.name(value)`, with arrays as JSON.
//!
//! Groups add product types 101 (group notification), 102 (group customer support) and 103
//! (inbound group; alone or Meta answers error 100, subcode 2388077); the country filter does
//! not apply to group sent messages (101, 102). Group pricing categories are `GROUP_MARKETING`,
//! `GROUP_SERVICE`, `GROUP_UTILITY`; the group pricing type is `FREE_GROUP_CUSTOMER_SERVICE`.
//! The other values are those of Meta's WABA analytics reference. A value outside these sets is
//! sent only with `allow_unverified` (Meta adds values from time to time).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::Config;
use crate::error::{Code, ValidationError};
use crate::http::Body;
use crate::ops::Parts;
use crate::validate::{check_id, index, is_phone, IdRule, Obj, Problems};
use crate::wire::{lenient_i64, list_or_null, Extra};

const MESSAGE_GRANULARITIES: [&str; 3] = ["HALF_HOUR", "DAY", "MONTH"];
const PRICING_GRANULARITIES: [&str; 3] = ["HALF_HOUR", "DAILY", "MONTHLY"];
/// 0 notification, 2 customer support (1:1); 101, 102, 103 the group kinds.
const PRODUCT_TYPES: [i64; 5] = [0, 2, 101, 102, 103];
const INBOUND_GROUP: i64 = 103;
const GROUP_SENT: [i64; 2] = [101, 102];
const METRIC_TYPES: [&str; 2] = ["COST", "VOLUME"];
const PRICING_TYPES: [&str; 4] = [
    "REGULAR",
    "FREE_CUSTOMER_SERVICE",
    "FREE_ENTRY_POINT",
    "FREE_GROUP_CUSTOMER_SERVICE",
];
const PRICING_CATEGORIES: [&str; 9] = [
    "AUTHENTICATION",
    "AUTHENTICATION_INTERNATIONAL",
    "MARKETING",
    "MARKETING_LITE",
    "SERVICE",
    "UTILITY",
    "GROUP_MARKETING",
    "GROUP_SERVICE",
    "GROUP_UTILITY",
];
const DIMENSIONS: [&str; 5] = [
    "COUNTRY",
    "PHONE",
    "PRICING_CATEGORY",
    "PRICING_TYPE",
    "TIER",
];

/// The common part: WABA id, time range (Unix seconds, start before end), granularity.
struct Range<'a> {
    waba_id: &'a str,
    calls: Vec<String>,
}

fn range<'a>(p: &mut Problems, o: &Obj<'a>, granularities: &[&str], config: &Config) -> Range<'a> {
    let waba_id = match o.str(p, "waba_id", true) {
        Some(s) if check_id(p, "waba_id", s, IdRule::Digits) => s,
        _ => "",
    };
    let start = o.int(p, "start", true);
    let end = o.int(p, "end", true);
    for (key, v) in [("start", start), ("end", end)] {
        if v.is_some_and(|t| t < 0) {
            p.push(
                Code::OutOfRange,
                key,
                "a Unix time in seconds, not negative",
            );
        }
    }
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            p.push(
                Code::OutOfRange,
                "end",
                format!("end ({e}) must be after start ({s})"),
            );
        }
    }
    let mut calls = vec![
        format!("start({})", start.unwrap_or_default()),
        format!("end({})", end.unwrap_or_default()),
    ];
    if let Some(g) = o.str(p, "granularity", true) {
        one_of(p, "granularity", g, granularities, config);
        calls.push(format!("granularity({g})"));
    }
    Range { waba_id, calls }
}

/// A value from a documented set; another only with `allow_unverified` (with a warning).
fn one_of(p: &mut Problems, path: &str, v: &str, set: &[&str], config: &Config) {
    if !set.contains(&v) {
        p.unverified(
            config.allow_unverified(),
            Code::UnverifiedValue,
            path,
            format!(
                "{v:?} is not one of the documented values: {}",
                set.join(", ")
            ),
        );
    }
}

/// A check of one string of a filter array: (problems, path, value).
type Check<'c> = &'c mut dyn FnMut(&mut Problems, &str, &str);

/// An optional array of strings, each checked; the call `name(["a","b"])`.
fn strings<'a>(
    p: &mut Problems,
    o: &Obj<'a>,
    key: &str,
    check: Check<'_>,
) -> Option<(String, Vec<&'a str>)> {
    let list = o.array(p, key, false)?;
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let path = index(key, i);
        match v.as_str() {
            Some(s) => {
                check(p, &path, s);
                out.push(s);
            }
            None => p.push(Code::WrongType, &path, "expected a string"),
        }
    }
    let call = format!("{key}({})", Value::from(out.clone()));
    Some((call, out))
}

fn phone_numbers(p: &mut Problems, path: &str, s: &str) {
    if !is_phone(s) {
        p.push(
            Code::InvalidFormat,
            path,
            "a phone number: digits with an optional leading +",
        );
    }
}

fn country_code(p: &mut Problems, path: &str, s: &str) {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        p.push(
            Code::InvalidFormat,
            path,
            "a two-letter ISO 3166 country code such as \"US\"",
        );
    }
}

/// `GET /{waba-id}?fields={field}.{call}.{call}…`.
fn fields_request(p: Problems, waba_id: &str, field: &str, calls: &[String]) -> Parts {
    let fields = format!("{field}.{}", calls.join("."));
    p.parts(&[waba_id], &[("fields", fields)], Body::Empty)
}

/// `{"waba_id", "start", "end", "granularity": HALF_HOUR|DAY|MONTH, "phone_numbers"?,
/// "product_types"?, "country_codes"?}`.
pub(crate) fn get_message_analytics(
    params: &Value,
    config: &Config,
) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let allowed = [
        "waba_id",
        "start",
        "end",
        "granularity",
        "phone_numbers",
        "product_types",
        "country_codes",
    ];
    let Some(o) = Obj::new(&mut p, params, "", &allowed) else {
        return Err(p.fail());
    };
    let Range { waba_id, mut calls } = range(&mut p, &o, &MESSAGE_GRANULARITIES, config);
    if let Some((call, _)) = strings(&mut p, &o, "phone_numbers", &mut phone_numbers) {
        calls.push(call);
    }
    let mut types = Vec::new();
    for (i, v) in o
        .array(&mut p, "product_types", false)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let path = index("product_types", i);
        match v.as_i64() {
            Some(t) => {
                if !PRODUCT_TYPES.contains(&t) {
                    p.unverified(
                        config.allow_unverified(),
                        Code::UnverifiedValue,
                        &path,
                        format!("{t} is not a documented product type (0, 2, 101, 102, 103)"),
                    );
                }
                types.push(t);
            }
            None => p.push(Code::WrongType, &path, "expected an integer product type"),
        }
    }
    if types.contains(&INBOUND_GROUP) && types.len() > 1 {
        p.push(
            Code::NotAllowed,
            "product_types",
            "103 (inbound group messages) cannot be combined with other product types",
        );
    }
    if o.has("product_types") {
        calls.push(format!("product_types({})", Value::from(types.clone())));
    }
    if let Some((call, codes)) = strings(&mut p, &o, "country_codes", &mut country_code) {
        if !codes.is_empty() && types.iter().any(|t| GROUP_SENT.contains(t)) {
            p.push(
                Code::NotAllowed,
                "country_codes",
                "the country filter is not supported for group sent messages (101, 102)",
            );
        }
        calls.push(call);
    }
    p.finish(())?;
    Ok(fields_request(p, waba_id, "analytics", &calls))
}

/// `{"waba_id", "start", "end", "granularity": HALF_HOUR|DAILY|MONTHLY, "phone_numbers"?,
/// "country_codes"?, "metric_types"?, "pricing_types"?, "pricing_categories"?, "tiers"?,
/// "dimensions"?}`; an empty array means "all".
pub(crate) fn get_pricing_analytics(
    params: &Value,
    config: &Config,
) -> Result<Parts, ValidationError> {
    let mut p = Problems::default();
    let allowed = [
        "waba_id",
        "start",
        "end",
        "granularity",
        "phone_numbers",
        "country_codes",
        "metric_types",
        "pricing_types",
        "pricing_categories",
        "tiers",
        "dimensions",
    ];
    let Some(o) = Obj::new(&mut p, params, "", &allowed) else {
        return Err(p.fail());
    };
    let Range { waba_id, mut calls } = range(&mut p, &o, &PRICING_GRANULARITIES, config);
    let from = |set: &'static [&'static str]| {
        move |p: &mut Problems, path: &str, s: &str| one_of(p, path, s, set, config)
    };
    let filters: [(&str, Check<'_>); 7] = [
        ("phone_numbers", &mut phone_numbers),
        ("country_codes", &mut country_code),
        ("metric_types", &mut from(&METRIC_TYPES)),
        ("pricing_types", &mut from(&PRICING_TYPES)),
        ("pricing_categories", &mut from(&PRICING_CATEGORIES)),
        ("tiers", &mut |_: &mut Problems, _: &str, _: &str| {}),
        ("dimensions", &mut from(&DIMENSIONS)),
    ];
    for (key, check) in filters {
        if let Some((call, _)) = strings(&mut p, &o, key, check) {
            calls.push(call);
        }
    }
    p.finish(())?;
    Ok(fields_request(p, waba_id, "pricing_analytics", &calls))
}

// ---- replies ----

/// `?fields=analytics…`: messages sent and delivered per time bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageAnalyticsReply {
    #[serde(default)]
    pub analytics: MessageAnalytics,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageAnalytics {
    #[serde(default, deserialize_with = "list_or_null")]
    pub phone_numbers: Vec<String>,
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub country_codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granularity: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub data_points: Vec<MessageDataPoint>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One time bucket (Unix seconds).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageDataPoint {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub start: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub end: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub sent: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub delivered: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `?fields=pricing_analytics…`: deliveries and cost, broken down by the dimensions asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PricingAnalyticsReply {
    #[serde(default)]
    pub pricing_analytics: PricingAnalytics,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PricingAnalytics {
    #[serde(default, deserialize_with = "list_or_null")]
    pub data: Vec<PricingAnalyticsData>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PricingAnalyticsData {
    #[serde(default, deserialize_with = "list_or_null")]
    pub data_points: Vec<PricingDataPoint>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One bucket; the dimension members are present when asked for in `dimensions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PricingDataPoint {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub start: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub end: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::wire::lenient_id"
    )]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Deliveries.
    #[serde(
        default,
        deserialize_with = "lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume: Option<i64>,
    /// In the WABA's currency; a decimal number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    #[serde(flatten)]
    pub extra: Extra,
}
