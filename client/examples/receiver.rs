//! A webhook endpoint on axum: `cargo run -p wagroups-client --example receiver`, then point the
//! sandbox at it (`make sandbox SANDBOX_ARGS="--callback http://127.0.0.1:8788/webhook"`). The
//! core decides every answer (handshake, signature, parse); the handler hands the events on.
//! `WAGROUPS_APP_SECRET` and `WAGROUPS_VERIFY_TOKEN` default to the sandbox's own defaults.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, Uri};
use wagroups::webhook::Receiver;
use wagroups::AppSecret;

struct Endpoint {
    secrets: Vec<AppSecret>,
    verify_token: String,
}

async fn webhook(
    State(endpoint): State<Arc<Endpoint>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<String> {
    let receiver = Receiver {
        secrets: &endpoint.secrets,
        verify_token: Some(&endpoint.verify_token),
        limits: Default::default(),
    };
    let (response, received) = wagroups_client::receive(&receiver, &method, &uri, &headers, &body);
    if let Some(problem) = &received.problem {
        eprintln!("{} {}: {problem}", received.status, problem.code());
    }
    for event in received.batch.iter().flat_map(|b| &b.events) {
        // Hand each event to a queue here; dedupe on `dedup_key` (Meta delivers more than once).
        println!("{} {}", event.dedup_key, event.body.type_name());
    }
    response
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let endpoint = Arc::new(Endpoint {
        secrets: vec![AppSecret::new(env("WAGROUPS_APP_SECRET", "sandbox-secret"))],
        verify_token: env("WAGROUPS_VERIFY_TOKEN", "sandbox-verify"),
    });
    let app = axum::Router::new()
        .route("/webhook", axum::routing::any(webhook))
        .with_state(endpoint);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8788").await?;
    println!("webhooks at http://127.0.0.1:8788/webhook");
    axum::serve(listener, app).await
}
