//! The bot story through the client, against the sandbox over real HTTP: create (the group id from
//! the `group_create` event), list with paginate, send through two injected 429s (the waits
//! observed through the injected sleep), a 190 that is not retried, an upload and a checked
//! download, and the webhook receiver answering real signed deliveries, a bad signature, the
//! handshake and a signed body it cannot read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use futures_util::TryStreamExt;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use wagroups::webhook::{EventBody, Receiver};
use wagroups::{AccessToken, AppSecret, Config, Operation};

const SECRET: &str = "s3cret";
const VERIFY: &str = "vt";
const PHONE: &str = "427119830566204";

/// What the endpoint saw: group ids by creation request id, problems by code.
#[derive(Default)]
struct Seen {
    created: Vec<(String, String)>,
    problems: Vec<String>,
    statuses: Vec<u16>,
}

type Shared = Arc<Mutex<Seen>>;

/// The example handler: the core decides the answer; this records what came with it.
async fn webhook(
    State(seen): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> axum::http::Response<String> {
    let secrets = [AppSecret::new(SECRET)];
    let receiver = Receiver {
        secrets: &secrets,
        verify_token: Some(VERIFY),
        limits: Default::default(),
    };
    let (response, received) = wagroups_client::receive(&receiver, &method, &uri, &headers, &body);
    let mut seen = seen.lock().unwrap();
    seen.statuses.push(received.status);
    if let Some(problem) = &received.problem {
        seen.problems.push(problem.code().as_str().to_owned());
    }
    for e in received.batch.iter().flat_map(|b| &b.events) {
        if let (EventBody::GroupCreate(_), Some(rid), Some(gid)) =
            (&e.body, e.request_id.as_deref(), e.group_id.as_deref())
        {
            seen.created.push((rid.to_owned(), gid.to_owned()));
        }
    }
    response
}

async fn group_created(seen: &Shared, request_id: &str) -> String {
    for _ in 0..500 {
        let found = seen
            .lock()
            .unwrap()
            .created
            .iter()
            .find(|(r, _)| r == request_id)
            .map(|(_, g)| g.clone());
        if let Some(g) = found {
            return g;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no group_create event for {request_id}");
}

fn sign(body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_story_through_the_client() {
    let seen: Shared = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/webhook", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/webhook", axum::routing::any(webhook))
        .with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let running = wagroups_sandbox::start(wagroups_sandbox::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        db: ":memory:".into(),
        callback: Some(hook.clone()),
        app_secret: SECRET.into(),
        verify_token: VERIFY.into(),
        poll_ms: 10,
        create_delay_ms: 200,
        ..wagroups_sandbox::Config::default()
    })
    .await
    .unwrap();
    // The sandbox's handshake at start reached the endpoint and was answered with the challenge.
    assert_eq!(seen.lock().unwrap().statuses, vec![200]);
    let base = format!("http://{}", running.addr);
    let config = Config::new("v23.0")
        .unwrap()
        .with_base_url(&base)
        .unwrap()
        .with_token(AccessToken::new("sandbox-token").unwrap());
    let waits: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let recorded = waits.clone();
    let client = wagroups_client::Client::new(reqwest::Client::new(), config)
        .with_random(|| 0.5)
        .with_sleep(move |d| {
            recorded.lock().unwrap().push(d);
            async {}
        });

    // Create three groups; each id comes from its group_create event.
    let mut groups = Vec::new();
    for subject in ["Ride", "Run", "Swim"] {
        let created = client
            .create_group(&json!({"phone_number_id": PHONE, "subject": subject}))
            .await
            .unwrap();
        let rid = created.request_id.expect("a request id");
        groups.push(group_created(&seen, &rid).await);
    }

    // Every group, one page at a time.
    let listed: Vec<Value> = client
        .paginate(
            Operation::ListGroups,
            json!({"phone_number_id": PHONE, "limit": 1}),
        )
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<&str> = listed.iter().map(|g| g["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut want: Vec<&str> = groups.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(ids, want);
    // The same, typed.
    let typed: Vec<wagroups::ops::GroupSummary> = client
        .all_groups(json!({"phone_number_id": PHONE, "limit": 2}))
        .try_collect()
        .await
        .unwrap();
    let mut typed_ids: Vec<&str> = typed.iter().map(|g| g.id.as_str()).collect();
    typed_ids.sort_unstable();
    assert_eq!(typed_ids, want);
    // Only a listing pages, refused before anything is sent (the pending fault stays pending).
    let people = reqwest::Client::new();
    let faults = format!("{base}/_sandbox/faults");
    let pending = || async {
        let bytes = people
            .get(&faults)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        v["faults"].as_array().unwrap().len()
    };
    // A sandbox route that changes something, answered 200.
    let post = |url: String, body: Value| {
        let people = people.clone();
        async move {
            let res = people
                .post(url)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        }
    };
    post(
        faults.clone(),
        json!({"operation": "get_group_info", "code": 190}),
    )
    .await;
    let refused: Result<Vec<Value>, _> = client
        .paginate(Operation::GetGroupInfo, json!({"group_id": groups[0]}))
        .try_collect()
        .await;
    assert_eq!(
        refused.unwrap_err().wagroups().map(wagroups::Error::code),
        Some(wagroups::Code::ValidationFailed)
    );
    assert_eq!(pending().await, 1);
    post(format!("{faults}/clear"), json!({})).await;
    assert_eq!(pending().await, 0);

    // Someone joins by the invite link (a group with only the business takes no message).
    let link = client
        .get_invite_link(&json!({"group_id": groups[0]}))
        .await
        .unwrap()
        .invite_link;
    post(
        format!("{base}/_sandbox/join"),
        json!({"invite_link": link, "wa_id": "447700900318"}),
    )
    .await;
    // …and writes first: the group's 24-hour window opens.
    post(
        format!("{base}/_sandbox/groups/{}/messages", groups[0]),
        json!({"from": "447700900318", "text": "hi"}),
    )
    .await;
    // Two 429s, then success: three attempts, the server's Retry-After as both waits.
    post(faults.clone(), json!({"operation": "send_message", "status": 429, "code": 130429, "times": 2, "retry_after": 2})).await;
    let sent = client
        .send_message(&json!({"phone_number_id": PHONE, "group_id": groups[0], "type": "text", "text": {"body": "hello"}}))
        .await
        .unwrap();
    assert!(sent.message_id.unwrap().starts_with("wamid."));
    assert_eq!(
        *waits.lock().unwrap(),
        vec![Duration::from_secs(2), Duration::from_secs(2)]
    );

    // Without Retry-After: full jitter below a doubling ceiling (random 0.5 → half of it).
    post(
        faults.clone(),
        json!({"operation": "get_group_info", "code": 131208, "times": 1}),
    )
    .await;
    client
        .get_group_info(&json!({"group_id": groups[0]}))
        .await
        .unwrap();
    assert_eq!(waits.lock().unwrap()[2], Duration::from_millis(500));

    // A 190 is not retried: one attempt, no wait.
    post(
        faults.clone(),
        json!({"operation": "get_group_info", "code": 190}),
    )
    .await;
    let err = client
        .get_group_info(&json!({"group_id": groups[0]}))
        .await
        .unwrap_err();
    let wagroups_client::ClientError::Wagroups { error, attempts } = &err else {
        panic!("{err}");
    };
    assert_eq!(error.code(), wagroups::Code::AccessTokenExpired);
    assert_eq!(*attempts, 1);
    assert_eq!(error.retry(), wagroups::Retry::Reauth);
    assert_eq!(waits.lock().unwrap().len(), 3);

    // An upload, then the download checked against get_media's size and SHA-256.
    let png: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE,
    ];
    let uploaded = client
        .upload_media(&json!({"phone_number_id": PHONE, "type": "image/png"}), png)
        .await
        .unwrap();
    let media = client.download_media(&uploaded.id).await.unwrap();
    assert_eq!(media.data, png);
    assert_eq!(media.check.size_bytes, png.len() as u64);

    // The receiver: a bad signature, the handshake both ways, a signed body it cannot read.
    let post = |body: &'static str, signature: String| {
        let people = people.clone();
        let hook = hook.clone();
        async move {
            people
                .post(hook)
                .header("x-hub-signature-256", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post("{}", sign("{ }")).await, 401);
    assert_eq!(post("not json", sign("not json")).await, 200);
    let get = |token: &str| {
        let url = format!("{hook}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=42");
        let people = people.clone();
        async move {
            let res = people.get(url).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    assert_eq!(get(VERIFY).await, (200, "42".to_owned()));
    assert_eq!(get("nope").await.0, 403);
    let problems = seen.lock().unwrap().problems.clone();
    assert_eq!(
        problems,
        [
            "signature_mismatch",
            "webhook_invalid_json",
            "subscription_token_mismatch"
        ]
    );
    running.server.abort();
}
