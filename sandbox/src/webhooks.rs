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

use crate::store::{Attempt, Due};
use crate::{now_ms, AppState, Chaos};

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

/// A random number for chaos (the sandbox may be random; the library never is).
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// Posts due deliveries, oldest first, until the process ends. Under chaos, each delivery is
/// posted twice (`duplicate`: the same bytes and signature, as Meta's retries and a second
/// subscribed app produce), or held back a random while once and sent in a shuffled order
/// (`shuffle`), so a handler's deduplication and order-independence can be proven.
pub async fn delivery_loop(state: Arc<AppState>) {
    let client = reqwest::Client::new();
    loop {
        let chaos = state.chaos();
        let due = state.lock().due(now_ms());
        let mut due = match due {
            Ok(d) => d,
            Err(e) => {
                eprintln!("wagroups-sandbox: reading due deliveries: {e}");
                Vec::new()
            }
        };
        if chaos == Chaos::Shuffle {
            let store = state.lock();
            due.retain(|d| {
                if d.attempts > 0 || d.held {
                    return true;
                }
                let until = now_ms() + i64::try_from(random() % 1500).unwrap_or(0);
                if let Err(e) = store.hold(d.id, until) {
                    eprintln!("wagroups-sandbox: holding delivery {}: {e}", d.id);
                }
                false
            });
            for i in (1..due.len()).rev() {
                let j = usize::try_from(random() % (i as u64 + 1)).unwrap_or(0);
                due.swap(i, j);
            }
        }
        for Due {
            id,
            body,
            attempts,
            queued_ms,
            ..
        } in due
        {
            let Some(callback) = state.config.callback.clone() else {
                break;
            };
            let signature = sign(&state.config.app_secret, body.as_bytes());
            let started = now_ms();
            let mut attempt = post(&client, &callback, &signature, &body).await;
            if attempt.delivered && chaos == Chaos::Duplicate {
                post(&client, &callback, &signature, &body).await;
            }
            attempt.ms = now_ms() - started;
            let attempts = attempts + 1;
            let backoff = state
                .config
                .retry_base_ms
                .saturating_mul(1_i64 << attempts.clamp(0, 16));
            // Past the retry period a failed delivery is given up, as Meta gives up.
            attempt.abandoned =
                !attempt.delivered && now_ms() + backoff - queued_ms > state.config.retry_for_ms;
            attempt.next_at_ms = now_ms() + backoff;
            if let Err(e) = state.lock().attempted(id, attempts, &attempt, crate::now()) {
                eprintln!("wagroups-sandbox: recording delivery {id}: {e}");
            }
        }
        // Also after a failure to read: never a busy loop.
        tokio::time::sleep(Duration::from_millis(state.config.poll_ms)).await;
    }
}

/// One POST of a delivery: the callback's status and the first kilobyte of its answer.
async fn post(client: &reqwest::Client, callback: &str, signature: &str, body: &str) -> Attempt {
    let sent = client
        .post(callback)
        .header("content-type", "application/json")
        .header("x-hub-signature-256", signature)
        .body(body.to_owned())
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    let mut attempt = Attempt {
        status: None,
        error: None,
        body: None,
        ms: 0,
        delivered: false,
        abandoned: false,
        next_at_ms: 0,
    };
    match sent {
        Ok(r) => {
            let status = r.status().as_u16();
            attempt.status = Some(i64::from(status));
            attempt.delivered = (200..300).contains(&status);
            let answer = r.bytes().await.unwrap_or_default();
            let cut = answer.get(..1024).unwrap_or(&answer);
            attempt.body = Some(String::from_utf8_lossy(cut).into_owned());
        }
        Err(e) => attempt.error = Some(e.to_string()),
    }
    attempt
}
