//! The Rust bot's story against the sandbox, people asking to join in between.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::json;

/// The story with the group created at once and after three seconds: the bot takes the group
/// id from the `group_create` event either way, never from a listing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_creates_approves_and_writes() {
    for delay in [0, 3000] {
        story_with_create_delay(delay).await;
    }
}

async fn story_with_create_delay(create_delay_ms: i64) {
    let (hooks, url) =
        wagroups_example::Webhooks::listen("127.0.0.1:0".parse().unwrap(), "s3cret", "vt")
            .await
            .unwrap();
    let running = wagroups_sandbox::start(wagroups_sandbox::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        db: ":memory:".into(),
        callback: Some(url),
        app_secret: "s3cret".into(),
        verify_token: "vt".into(),
        poll_ms: 10,
        create_delay_ms,
        ..wagroups_sandbox::Config::default()
    })
    .await
    .unwrap();
    let base = format!("http://{}", running.addr);
    let people = reqwest::Client::new();
    let ask = |link: String| {
        let people = people.clone();
        let base = base.clone();
        async move {
            for wa in ["447700900318", "14155550173"] {
                let res = people
                    .post(format!("{base}/_sandbox/join"))
                    .header("content-type", "application/json")
                    .body(json!({"invite_link": link, "wa_id": wa}).to_string())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            }
        }
    };
    let story = wagroups_example::play(&base, "sandbox-token", "427119830566204", &hooks, ask)
        .await
        .unwrap();
    assert!(
        story
            .transcript
            .iter()
            .any(|l| l.starts_with("2 join request(s)")),
        "{:?}",
        story.transcript
    );
    assert!(
        story.message_id.starts_with("wamid."),
        "{:?}",
        story.transcript
    );
    let world: serde_json::Value = people
        .get(format!("{base}/_sandbox/state"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let group = &world["groups"][0];
    assert_eq!(group["participants"].as_array().unwrap().len(), 2);
    assert_eq!(
        group["messages"][0]["receipts"].as_array().unwrap().len(),
        2
    );
    running.server.abort();
}
