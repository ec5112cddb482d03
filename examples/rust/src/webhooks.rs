//! The bot's webhook endpoint: Meta's handshake, the signature over the raw bytes, then the
//! events. A group is created asynchronously, so the story waits here for the `group_create`
//! event carrying the `request_id` its create call was answered with (never for a listing).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use wagroups::webhook::{parse_webhook, verify_subscription, EventBody};
use wagroups::{verify_signature, AppSecret};

/// What the endpoint learnt: group ids by the `request_id` of their creation.
pub struct Webhooks {
    app_secret: String,
    verify_token: String,
    created: Mutex<HashMap<String, Result<String, String>>>,
    arrived: tokio::sync::Notify,
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Webhooks")
    }
}

impl Webhooks {
    /// Serve `GET|POST /webhook` on `addr`; returns the endpoint and its URL.
    pub async fn listen(
        addr: SocketAddr,
        app_secret: &str,
        verify_token: &str,
    ) -> Result<(Arc<Webhooks>, String), String> {
        let hooks = Arc::new(Webhooks {
            app_secret: app_secret.to_owned(),
            verify_token: verify_token.to_owned(),
            created: Mutex::new(HashMap::new()),
            arrived: tokio::sync::Notify::new(),
        });
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let url = format!(
            "http://{}/webhook",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let app = Router::new()
            .route("/webhook", get(handshake).post(receive))
            .with_state(hooks.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok((hooks, url))
    }

    /// The group id from the `group_create` event with this `request_id`, or the creation's
    /// errors, waiting at most `within`.
    pub async fn group_created(
        &self,
        request_id: &str,
        within: Duration,
    ) -> Result<String, String> {
        let wait = async {
            loop {
                let arrived = self.arrived.notified();
                if let Some(outcome) = self.lock().get(request_id) {
                    return outcome.clone();
                }
                arrived.await;
            }
        };
        tokio::time::timeout(within, wait).await.map_err(|_| {
            format!("no group_create event for request {request_id} within {within:?}")
        })?
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Result<String, String>>> {
        self.created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

async fn handshake(
    State(hooks): State<Arc<Webhooks>>,
    Query(query): Query<Vec<(String, String)>>,
) -> (StatusCode, String) {
    match verify_subscription(&query, &hooks.verify_token) {
        Ok(challenge) => (StatusCode::OK, challenge),
        Err(_) => (StatusCode::FORBIDDEN, String::new()),
    }
}

async fn receive(
    State(hooks): State<Arc<Webhooks>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    let secret = AppSecret::new(&hooks.app_secret);
    if verify_signature(&body, header, &[secret]).is_err() {
        return StatusCode::UNAUTHORIZED;
    }
    // A signed delivery that cannot be read is still answered 200: Meta would redeliver it for
    // days otherwise.
    let Ok(batch) = parse_webhook(&body) else {
        return StatusCode::OK;
    };
    for e in &batch.events {
        if let (EventBody::GroupCreate(_), Some(request_id)) = (&e.body, e.request_id.as_deref()) {
            let outcome = match e.group_id.as_deref() {
                Some(g) if e.errors.is_empty() => Ok(g.to_owned()),
                _ => Err(format!(
                    "the creation failed: {:?}",
                    e.errors
                        .iter()
                        .map(|x| x.code.to_string())
                        .collect::<Vec<_>>()
                )),
            };
            hooks.lock().insert(request_id.to_owned(), outcome);
        }
    }
    hooks.arrived.notify_waiters();
    StatusCode::OK
}
