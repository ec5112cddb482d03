//! What the sandbox's tests share: a webhook endpoint that checks every signature and parses
//! every delivery with the library (no warnings, one status type per delivery), a sandbox to
//! start, and a Graph client that records each successful reply for the OpenAPI check.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

pub mod openapi;

use std::sync::atomic::{AtomicBool, Ordering};

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use wagroups::webhook::parse_webhook;
use wagroups::{parse_response, verify_signature, AppSecret, Operation, Reply};

pub const TOKEN: &str = "sandbox-test-token";
pub const SECRET: &str = "sandbox-test-secret";
pub const PHONE: &str = "427119830566204";

#[derive(Default)]
pub struct Receiver {
    /// Every delivery body that arrived with a valid signature.
    pub bodies: Mutex<Vec<Vec<u8>>>,
    /// The signature header of each of them, in the same order.
    pub signatures: Mutex<Vec<String>>,
    pub bad_signatures: Mutex<usize>,
    pub down: AtomicBool,
}

async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if r.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let header = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    let secret = AppSecret::new(SECRET);
    if verify_signature(&body, header, &[secret]).is_err() {
        *r.bad_signatures.lock().unwrap() += 1;
        return StatusCode::UNAUTHORIZED;
    }
    let batch = parse_webhook(&body).expect("every delivery parses");
    for e in &batch.events {
        assert!(
            e.warnings.is_empty(),
            "a delivery read with warnings: {e:?}"
        );
    }
    for c in &batch.changes {
        assert!(c.warnings.is_empty(), "a change read with warnings: {c:?}");
    }
    // Meta does not mix status types in one delivery.
    let kinds: std::collections::BTreeSet<String> = batch
        .events
        .iter()
        .filter_map(|e| serde_json::to_value(e).ok())
        .filter(|v| v["type"] == "status")
        .map(|v| v["status"].to_string())
        .collect();
    assert!(
        kinds.len() <= 1,
        "statuses of several types in one delivery: {kinds:?}"
    );
    r.bodies.lock().unwrap().push(body.to_vec());
    r.signatures
        .lock()
        .unwrap()
        .push(header.unwrap_or_default().to_owned());
    StatusCode::OK
}

async fn handshake(Query(q): Query<Vec<(String, String)>>) -> (StatusCode, String) {
    match wagroups::webhook::verify_subscription(&q, "vt") {
        Ok(challenge) => (StatusCode::OK, challenge),
        Err(_) => (StatusCode::FORBIDDEN, String::new()),
    }
}

pub async fn receiver() -> (Arc<Receiver>, String) {
    let r = Arc::new(Receiver::default());
    let app = Router::new()
        .route("/hook", get(handshake).post(receive))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (r, url)
}

pub async fn sandbox(callback: &str, db: &str) -> wagroups_sandbox::Running {
    wagroups_sandbox::start(wagroups_sandbox::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        access_token: TOKEN.into(),
        app_secret: SECRET.into(),
        verify_token: "vt".into(),
        callback: Some(callback.into()),
        db: db.into(),
        retry_base_ms: 20,
        poll_ms: 10,
        create_delay_ms: 0,
        ..wagroups_sandbox::Config::default()
    })
    .await
    .unwrap()
}

/// Events of every delivery received so far, as (type, group id, JSON).
pub fn events(r: &Receiver) -> Vec<(String, Option<String>, Value)> {
    let bodies = r.bodies.lock().unwrap().clone();
    let mut out = Vec::new();
    for b in &bodies {
        let batch = parse_webhook(b).unwrap();
        for e in &batch.events {
            let v = serde_json::to_value(e).unwrap();
            out.push((
                v["type"].as_str().unwrap().to_owned(),
                e.group_id.as_deref().map(str::to_owned),
                v,
            ));
        }
    }
    out
}

pub async fn wait_for(r: &Receiver, ty: &str, n: usize) -> Vec<Value> {
    for _ in 0..300 {
        let found: Vec<Value> = events(r)
            .into_iter()
            .filter(|(t, _, _)| t == ty)
            .map(|(_, _, v)| v)
            .collect();
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "no {n} {ty} event(s); got {:?}",
        events(r).iter().map(|e| e.0.clone()).collect::<Vec<_>>()
    );
}

pub struct Graph {
    pub base: String,
    pub http: reqwest::Client,
    /// Every successful reply: the operation and its body.
    pub replies: Mutex<Vec<(Operation, Vec<u8>)>>,
}

impl Graph {
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (u16, Vec<u8>) {
        let mut req = self
            .http
            .request(method, format!("{}/v23.0/{path}", self.base));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let res = req.send().await.unwrap();
        (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
    }

    pub async fn ok(
        &self,
        op: Operation,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let (status, bytes) = self.call(method, path, body, Some(TOKEN)).await;
        let reply = parse_response(op, status, &[], &bytes).unwrap_or_else(|e| panic!("{op}: {e}"));
        self.replies.lock().unwrap().push((op, bytes));
        reply
    }

    pub async fn refused(
        &self,
        op: Operation,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> i64 {
        let (status, bytes) = self.call(method, path, body, token).await;
        match parse_response(op, status, &[], &bytes) {
            Err(wagroups::Error::Api(e)) => e.graph_code.as_i64().unwrap(),
            other => panic!("{op} was not refused: {other:?}"),
        }
    }

    /// The library's configuration for this sandbox, with the test token.
    pub fn config(&self) -> wagroups::Config {
        wagroups::Config::default()
            .with_base_url(&self.base)
            .unwrap()
            .with_token(wagroups::AccessToken::new(TOKEN).unwrap())
    }

    /// A POST the library built (multipart here), sent as it is.
    pub async fn send(&self, request: &wagroups::Request) -> reqwest::Response {
        self.http
            .post(&request.url)
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("content-type", request.header("content-type").unwrap())
            .body(request.body.as_bytes().to_vec())
            .send()
            .await
            .unwrap()
    }

    /// A sandbox page (`/_sandbox/{path}`) as JSON.
    pub async fn sandbox_json(&self, path: &str) -> Value {
        self.http
            .get(format!("{}/_sandbox/{path}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn people(&self, path: &str, body: Value) -> (u16, Value) {
        let res = self
            .http
            .post(format!("{}/_sandbox/{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }
}

impl Graph {
    /// The number's groups (the first page), read through the Graph API and recorded.
    pub async fn list_groups(&self) -> wagroups::ops::GroupList {
        match self
            .ok(
                Operation::ListGroups,
                reqwest::Method::GET,
                &format!("{PHONE}/groups"),
                None,
            )
            .await
        {
            Reply::Groups(list) => list,
            other => panic!("{other:?}"),
        }
    }

    /// The group's invite link, read through the Graph API (the reply recorded like any other).
    pub async fn invite_link(&self, group: &str) -> String {
        match self
            .ok(
                Operation::GetInviteLink,
                reqwest::Method::GET,
                &format!("{group}/invite_link"),
                None,
            )
            .await
        {
            Reply::InviteLink(l) => l.invite_link,
            other => panic!("{other:?}"),
        }
    }

    pub fn of(running: &wagroups_sandbox::Running) -> Graph {
        Graph {
            base: format!("http://{}", running.addr),
            http: reqwest::Client::new(),
            replies: Mutex::new(Vec::new()),
        }
    }
}

/// Every reply `g` recorded and every delivery `rx` received, against Meta's OpenAPI file (the
/// named deviations aside).
pub fn conforms(g: &Graph, rx: &Receiver) {
    let replies = g.replies.lock().unwrap().clone();
    let bodies = rx.bodies.lock().unwrap().clone();
    openapi::OpenApi::load().check(&replies, &bodies);
}
