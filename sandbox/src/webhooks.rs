//! What Meta would send: each state change becomes a delivery (the documented envelope, one
//! change), queued in the database, signed with `X-Hub-Signature-256` over the exact bytes and
//! posted to the callback; a non-2xx or unreachable callback is retried with exponential
//! backoff (base delay adjustable), every attempt recorded, until the retry period (Meta: 7
//! days) has passed: the delivery is then abandoned, and the log says so.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{now_ms, AppState};

/// The documented envelope around one change.
pub fn envelope(waba_id: &str, phone: &str, field: &str, value: Value) -> String {
    let mut value = value;
    if let Some(v) = value.as_object_mut() {
        v.insert("messaging_product".into(), json!("whatsapp"));
        v.insert(
            "metadata".into(),
            json!({"display_phone_number": format!("1555{phone}"), "phone_number_id": phone}),
        );
    }
    json!({"object": "whatsapp_business_account",
           "entry": [{"id": waba_id, "changes": [{"field": field, "value": value}]}]})
    .to_string()
}

/// `sha256=` and the hex HMAC-SHA256 of the body under the app secret.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        // HMAC takes keys of any length.
        Err(_) => return String::new(),
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Posts due deliveries, oldest first, until the process ends.
pub async fn delivery_loop(state: Arc<AppState>) {
    let client = reqwest::Client::new();
    loop {
        let due = state.lock().due(now_ms());
        let due = match due {
            Ok(d) => d,
            Err(e) => {
                eprintln!("wagroups-sandbox: reading due deliveries: {e}");
                Vec::new()
            }
        };
        for (id, body, attempts, created_ms) in due {
            let Some(callback) = state.config.callback.clone() else {
                break;
            };
            let signature = sign(&state.config.app_secret, body.as_bytes());
            let sent = client
                .post(&callback)
                .header("content-type", "application/json")
                .header("x-hub-signature-256", signature)
                .body(body)
                .timeout(Duration::from_secs(10))
                .send()
                .await;
            let (status, error) = match &sent {
                Ok(r) => (Some(i64::from(r.status().as_u16())), None),
                Err(e) => (None, Some(e.to_string())),
            };
            let ok = status.is_some_and(|s| (200..300).contains(&s));
            let store = state.lock();
            let attempts = attempts + 1;
            let backoff = state
                .config
                .retry_base_ms
                .saturating_mul(1_i64 << attempts.clamp(0, 16));
            // Past the retry period a failed delivery is given up, as Meta gives up.
            let abandon = !ok && now_ms() + backoff - created_ms > state.config.retry_for_ms;
            let written = store.db.execute(
                "UPDATE deliveries SET attempts = ?2, last_status = ?3, last_error = ?4,
                    delivered_at = CASE WHEN ?5 THEN ?6 ELSE NULL END, next_at_ms = ?7,
                    abandoned_at = CASE WHEN ?8 THEN ?6 ELSE NULL END WHERE id = ?1",
                rusqlite::params![
                    id,
                    attempts,
                    status,
                    error,
                    ok,
                    crate::now(),
                    now_ms() + backoff,
                    abandon
                ],
            );
            if let Err(e) = written {
                eprintln!("wagroups-sandbox: recording delivery {id}: {e}");
            }
        }
        // Also after a failure to read: never a busy loop.
        tokio::time::sleep(Duration::from_millis(state.config.poll_ms)).await;
    }
}
