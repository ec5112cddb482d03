//! The bot's webhook endpoint: Meta's handshake, the signature over the raw bytes, then the
//! events, as the core's receiver decides. A group is created asynchronously, so the story waits here for the `group_create`
//! event carrying the `request_id` its create call was answered with (never for a listing).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, Uri};
use axum::routing::any;
use axum::Router;
use wagroups::webhook::{EventBody, Receiver, WebhookLimits};
use wagroups::AppSecret;

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
            .route("/webhook", any(webhook))
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

/// The core decides the answer (the handshake, the signature over the raw bytes, the parse: a
/// signed delivery it cannot read is still answered 200, or Meta would redeliver it for days);
/// this hands the events on.
async fn webhook(
    State(hooks): State<Arc<Webhooks>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<String> {
    let secrets = [AppSecret::new(&hooks.app_secret)];
    let receiver = Receiver {
        secrets: &secrets,
        verify_token: Some(&hooks.verify_token),
        limits: WebhookLimits::default(),
    };
    let (response, received) = wagroups_client::receive(&receiver, &method, &uri, &headers, &body);
    for e in received.batch.iter().flat_map(|b| &b.events) {
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
    response
}
