//! `GET /{waba_id}?fields=analytics…|pricing_analytics…`: counts from what the sandbox sent, in
//! one bucket covering everything.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

use super::Answer;
use crate::{now, AppState};

pub fn waba_analytics(state: &AppState, fields: &str) -> Answer {
    let crate::store::SentCounts {
        sent,
        delivered,
        start,
        per_category,
    } = state.lock().sent_counts()?;
    let end = now();
    if fields.starts_with("pricing_analytics") {
        let points: Vec<_> = per_category
            .into_iter()
            .map(|(category, volume)| {
                let free = category == "group_service";
                json!({"start": start, "end": end, "pricing_category": category.to_uppercase(),
                    "pricing_type": if free { "FREE_GROUP_CUSTOMER_SERVICE" } else { "REGULAR" },
                    "volume": volume, "cost": 0})
            })
            .collect();
        return Ok(Json(json!({"pricing_analytics": {"data": [{"data_points": points}]}, "id": state.config.waba_id})).into_response());
    }
    Ok(Json(json!({"analytics": {"phone_numbers": [], "granularity": "DAY",
        "data_points": [{"start": start, "end": end, "sent": sent, "delivered": delivered}]}, "id": state.config.waba_id}))
        .into_response())
}
