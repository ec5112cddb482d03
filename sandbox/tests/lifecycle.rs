//! The sandbox driven over HTTP with a plain client, its webhooks received by a local endpoint
//! that checks every signature and parses every delivery with the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{events, receiver, sandbox, wait_for, Graph, PHONE, SECRET, TOKEN};
use serde_json::{json, Value};
use wagroups::webhook::parse_webhook;
use wagroups::{parse_response, Operation, Reply};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_bot_end_to_end() {
    let (rx, hook) = receiver().await;
    let running = sandbox(&hook, ":memory:").await;
    let g = Graph::of(&running);
    use reqwest::Method as M;

    // Create a group: a request id now, the group by webhook.
    let reply = g
        .ok(
            Operation::CreateGroup,
            M::POST,
            &format!("{PHONE}/groups"),
            Some(json!({"messaging_product": "whatsapp", "subject": "Sunday Ride"})),
        )
        .await;
    assert!(
        matches!(reply, Reply::GroupCreated(ref r) if r.request_id.is_some()),
        "{reply:?}"
    );
    let created = wait_for(&rx, "group_create", 1).await;
    let group = created[0]["group_id"].as_str().unwrap().to_owned();
    let link = created[0]["invite_link"].as_str().unwrap().to_owned();

    // People join by link; one message from a member opens the window; the bot answers.
    for wa in ["447700900318", "14155550173"] {
        let (status, out) = g
            .people("join", json!({"invite_link": link, "wa_id": wa}))
            .await;
        assert_eq!((status, out["result"].as_str()), (200, Some("joined")));
    }
    wait_for(&rx, "group_participants_add", 2).await;
    let refused = g.refused(Operation::SendMessage, M::POST, &format!("{PHONE}/messages"),
        Some(json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": group, "type": "text", "text": {"body": "hi"}})), Some(TOKEN)).await;
    assert_eq!(refused, 131047, "free-form needs an open window");
    g.people(
        &format!("groups/{group}/messages"),
        json!({"from": "447700900318", "text": "Coffee at 7?"}),
    )
    .await;
    wait_for(&rx, "message", 1).await;
    let sent = g.ok(Operation::SendMessage, M::POST, &format!("{PHONE}/messages"),
        Some(json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": group, "type": "text", "text": {"body": "Yes!"}}))).await;
    let Reply::MessageSent(sent) = sent else {
        panic!()
    };
    let wamid = sent.message_id.unwrap();
    g.people(
        &format!("messages/{wamid}/read"),
        json!({"wa_id": "14155550173"}),
    )
    .await;
    let statuses = wait_for(&rx, "status", 4).await; // sent + 2 delivered + 1 read
    assert!(statuses.iter().any(|s| s["status"] == "read"));

    // A photo from a member; the bot pins its answer for a week (not for 45 days, not an unknown message).
    g.people(&format!("groups/{group}/messages"), json!({"from": "447700900318", "media": {"type": "image", "mime_type": "image/jpeg", "caption": "the route"}})).await;
    let photos = wait_for(&rx, "message", 2).await;
    assert_eq!(photos[1]["kind"], "image", "{}", photos[1]);
    // The photo itself: looked up by the id the webhook gave, downloaded with the library's
    // request (the token goes to the configured origin only), checked against both hashes.
    let photo_id = photos[1]["media"]["id"].as_str().unwrap().to_owned();
    let Reply::Media(photo) = g.ok(Operation::GetMedia, M::GET, &photo_id, None).await else {
        panic!()
    };
    let download = wagroups::build_request(
        Operation::DownloadMedia,
        &json!({"url": photo.url}),
        &g.config(),
    )
    .unwrap();
    let bytes = g
        .http
        .get(&download.url)
        .header("authorization", download.header("authorization").unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(wagroups::ops::check_media_download(&bytes, &photo).is_ok());
    let webhook_hash = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&bytes))
    };
    assert_eq!(photos[1]["media"]["sha256"], webhook_hash.as_str());
    let pin = |message: &str, days: Option<i64>| {
        let mut p = json!({"type": "pin", "message_id": message});
        if let Some(d) = days {
            p["expiration_days"] = json!(d);
        }
        json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": group, "type": "pin", "pin": p})
    };
    assert!(matches!(
        g.ok(
            Operation::PinMessage,
            M::POST,
            &format!("{PHONE}/messages"),
            Some(pin(&wamid, Some(7)))
        )
        .await,
        Reply::MessageSent(_)
    ));
    assert_eq!(
        g.refused(
            Operation::PinMessage,
            M::POST,
            &format!("{PHONE}/messages"),
            Some(pin(&wamid, Some(45))),
            Some(TOKEN)
        )
        .await,
        100
    );
    assert_eq!(
        g.refused(
            Operation::PinMessage,
            M::POST,
            &format!("{PHONE}/messages"),
            Some(pin("wamid.nope", Some(7))),
            Some(TOKEN)
        )
        .await,
        100
    );

    // Approval required: a join request, approved by the bot.
    g.ok(Operation::CreateGroup, M::POST, &format!("{PHONE}/groups"),
        Some(json!({"messaging_product": "whatsapp", "subject": "Members only", "join_approval_mode": "approval_required"}))).await;
    let second = wait_for(&rx, "group_create", 2).await[1].clone();
    let (_, asked) = g
        .people(
            "join",
            json!({"invite_link": second["invite_link"], "wa_id": "61491570156"}),
        )
        .await;
    let jr = asked["join_request_id"].as_str().unwrap().to_owned();
    wait_for(&rx, "group_join_request_created", 1).await;
    let second_id = second["group_id"].as_str().unwrap();
    let decided = g
        .ok(
            Operation::ApproveJoinRequests,
            M::POST,
            &format!("{second_id}/join_requests"),
            Some(json!({"messaging_product": "whatsapp", "join_requests": [jr]})),
        )
        .await;
    assert!(
        matches!(decided, Reply::JoinRequestsResult(ref r) if r.outcome == wagroups::ops::Outcome::Succeeded),
        "{decided:?}"
    );

    // A member leaves, the group is suspended and cleared.
    g.people(
        &format!("groups/{group}/leave"),
        json!({"wa_id": "14155550173"}),
    )
    .await;
    g.people(&format!("groups/{group}/suspend"), json!({}))
        .await;
    let refused = g.refused(Operation::SendMessage, M::POST, &format!("{PHONE}/messages"),
        Some(json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": group, "type": "text", "text": {"body": "x"}})), Some(TOKEN)).await;
    assert_eq!(refused, 131207);
    // Webhook times are whole seconds, and at the same second the state lets a suspension win:
    // clear it in the next second, as Meta would.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    g.people(&format!("groups/{group}/unsuspend"), json!({}))
        .await;
    wait_for(&rx, "group_suspend_cleared", 1).await;

    // The documented error answers.
    assert_eq!(
        g.refused(Operation::GetGroupInfo, M::GET, &group, None, None)
            .await,
        190
    );
    assert_eq!(
        g.refused(Operation::GetGroupInfo, M::GET, &group, None, Some("wrong"))
            .await,
        190
    );
    assert_eq!(
        g.refused(
            Operation::GetGroupInfo,
            M::GET,
            "SBXnope",
            None,
            Some(TOKEN)
        )
        .await,
        131041
    );
    assert_eq!(
        g.refused(
            Operation::CreateGroup,
            M::POST,
            &format!("{PHONE}/groups"),
            Some(json!({"subject": "x".repeat(129)})),
            Some(TOKEN)
        )
        .await,
        100
    );
    assert_eq!(g.refused(Operation::SendMessage, M::POST, &format!("{PHONE}/messages"),
        Some(json!({"recipient_type": "group", "to": group, "type": "interactive", "interactive": {}})), Some(TOKEN)).await, 131051);

    // Media: upload (the library's multipart body), look up, download, check, delete.
    let pdf = b"%PDF-1.7\n1 0 obj\n".to_vec();
    let upload = wagroups::build_request_with_file(
        Operation::UploadMedia,
        &json!({"phone_number_id": PHONE, "type": "application/pdf"}),
        Some(&pdf),
        &g.config(),
    )
    .unwrap();
    let res = g.send(&upload).await;
    let status = res.status().as_u16();
    let Reply::MediaUploaded(up) = parse_response(
        Operation::UploadMedia,
        status,
        &[],
        &res.bytes().await.unwrap(),
    )
    .unwrap() else {
        panic!()
    };
    let Reply::Media(info) = g.ok(Operation::GetMedia, M::GET, &up.id, None).await else {
        panic!()
    };
    // Without the token the bytes are refused, as on Meta; the library's download_media (the
    // sandbox's origin allowed because it is the configured base_url) sends it.
    let bare = g.http.get(&info.url).send().await.unwrap();
    let status = bare.status().as_u16();
    let refused = parse_response(
        Operation::DownloadMedia,
        status,
        &[],
        &bare.bytes().await.unwrap(),
    );
    assert!(
        matches!(refused, Err(wagroups::Error::Api(ref e)) if e.graph_code.as_i64() == Some(190)),
        "{refused:?}"
    );
    let download = wagroups::build_request(
        Operation::DownloadMedia,
        &json!({"url": info.url}),
        &g.config(),
    )
    .unwrap();
    let res = g
        .http
        .get(&download.url)
        .header("authorization", download.header("authorization").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    assert_eq!(
        wagroups::ops::check_media_download(&bytes, &info)
            .unwrap()
            .size_bytes,
        pdf.len() as u64
    );
    assert!(matches!(
        g.ok(Operation::DeleteMedia, M::DELETE, &up.id, None).await,
        Reply::Accepted(_)
    ));
    assert_eq!(
        g.refused(Operation::GetMedia, M::GET, &up.id, None, Some(TOKEN))
            .await,
        100
    );

    // The group picture (the library's multipart body) reports by webhook.
    let mut jpeg = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0xC0, 0x00, 0xC0, 0x01, 0x01, 0x11, 0x00,
    ];
    jpeg.extend([0xFF, 0xD9]);
    let picture = wagroups::build_set_group_picture(
        &wagroups::PictureParams {
            group_id: &group,
            file: &jpeg,
            filename: None,
            boundary: None,
        },
        &g.config(),
    )
    .unwrap();
    let res = g.send(&picture).await;
    assert_eq!(res.status(), 200);
    let settings = wait_for(&rx, "group_settings_update", 1).await;
    assert_eq!(settings[0]["picture"]["applied"], true, "{}", settings[0]);
    // Meta reports the stored picture's SHA-256 in base64.
    let expected = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&jpeg))
    };
    assert_eq!(
        settings[0]["picture"]["sha256"],
        expected.as_str(),
        "{}",
        settings[0]
    );

    // Analytics from what was sent, readable by the library.
    let Reply::MessageAnalytics(a) = g
        .ok(
            Operation::GetMessageAnalytics,
            M::GET,
            "102290129340398?fields=analytics.start(1).end(2).granularity(DAY)",
            None,
        )
        .await
    else {
        panic!()
    };
    assert_eq!(a.analytics.data_points[0].sent, Some(1));
    let Reply::PricingAnalytics(p) = g
        .ok(
            Operation::GetPricingAnalytics,
            M::GET,
            "102290129340398?fields=pricing_analytics.start(1).end(2).granularity(DAILY)",
            None,
        )
        .await
    else {
        panic!()
    };
    assert_eq!(
        p.pricing_analytics.data[0].data_points[0]
            .pricing_category
            .as_deref(),
        Some("GROUP_SERVICE")
    );

    // An invite link deleted no longer lets anyone in; a full group takes no ninth member.
    assert!(matches!(
        g.ok(
            Operation::DeleteInviteLink,
            M::DELETE,
            &format!("{group}/invite_link"),
            None
        )
        .await,
        Reply::Accepted(_)
    ));
    let (status, _) = g
        .people("join", json!({"invite_link": link, "wa_id": "33612345678"}))
        .await;
    assert_eq!(status, 404);
    let fresh = g.invite_link(&group).await;
    for i in 0..7 {
        let (status, _) = g
            .people(
                "join",
                json!({"invite_link": fresh, "wa_id": format!("4915100000{i:02}")}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (status, out) = g
        .people(
            "join",
            json!({"invite_link": fresh, "wa_id": "491510000099"}),
        )
        .await;
    assert_eq!(status, 409, "{out}");
    for i in 0..7 {
        g.people(
            &format!("groups/{group}/leave"),
            json!({"wa_id": format!("4915100000{i:02}")}),
        )
        .await;
    }

    // The invite link sent 1:1 as a template.
    let Reply::MessageSent(one) = g.ok(Operation::SendInviteLinkTemplate, M::POST, &format!("{PHONE}/messages"),
        Some(json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+447700900999", "type": "template",
            "template": {"name": "group_invite", "language": {"code": "en"},
                "components": [{"type": "body", "parameters": [{"type": "group_id", "group_id": group}]}]}}))).await else { panic!() };
    let one_id = one.message_id.unwrap();
    for _ in 0..300 {
        if events(&rx)
            .iter()
            .any(|(_, _, v)| v["message_id"] == one_id.as_str() && v["status"] == "delivered")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(events(&rx)
        .iter()
        .any(|(_, _, v)| v["message_id"] == one_id.as_str() && v["status"] == "delivered"));

    // The deliveries fold into the library's group state.
    let mut states = std::collections::BTreeMap::new();
    for body in rx.bodies.lock().unwrap().iter() {
        for e in parse_webhook(body).unwrap().events {
            if let Some(gid) = e.group_id.as_deref() {
                states
                    .entry(gid.to_owned())
                    .or_insert_with(|| wagroups::state::GroupState::new(gid))
                    .apply(std::slice::from_ref(&e));
            }
        }
    }
    let first = &states[&group];
    assert_eq!(
        first
            .participants
            .iter()
            .map(|p| p.wa_id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["447700900318"]
    );
    assert_eq!(first.status, wagroups::state::GroupStatusValue::Active);
    assert_eq!(
        first.messages[&wamid].free_deliveries, 2,
        "{:?}",
        first.messages[&wamid]
    );
    assert_eq!(states[second_id].participants.len(), 1);
    assert_eq!(*rx.bad_signatures.lock().unwrap(), 0);
    // Every reply of the info call parses, members included.
    let Reply::GroupInfo(info) = g.ok(Operation::GetGroupInfo, M::GET, &group, None).await else {
        panic!()
    };
    assert_eq!(info.total_participant_count, Some(1));

    // Every reply and delivery of the story against Meta's own OpenAPI file.
    let api = common::openapi::OpenApi::load();
    let replies = g.replies.lock().unwrap().clone();
    let bodies = rx.bodies.lock().unwrap().clone();
    let (checked, delivered, deviations) = api.check(&replies, &bodies);
    assert!(
        checked >= 10 && delivered >= 30,
        "{checked} replies, {delivered} deliveries"
    );
    // Each named deviation still occurs: none is stale.
    for why in common::openapi::delivery_deviations() {
        assert!(deviations.contains(&why), "{why}: {deviations:#?}");
    }
    // The check can fail: a request id that is not a string, a list without an array.
    assert!(api.refuses(Operation::CreateGroup, &json!({"request_id": 5})));
    assert!(api.refuses(Operation::ListGroups, &json!({"data": {"groups": {}}})));
    running.server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_wait_while_the_callback_is_down_and_survive_a_restart() {
    let (rx, hook) = receiver().await;
    let dir = std::env::temp_dir().join(format!("wagroups-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("sandbox.sqlite3");
    let _ = std::fs::remove_file(&db);
    let db = db.to_str().unwrap().to_owned();
    let running = sandbox(&hook, &db).await;
    let g = Graph::of(&running);
    rx.down.store(true, Ordering::SeqCst);
    g.ok(
        Operation::CreateGroup,
        reqwest::Method::POST,
        &format!("{PHONE}/groups"),
        Some(json!({"messaging_product": "whatsapp", "subject": "Kept"})),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(rx.bodies.lock().unwrap().is_empty());
    let log: Value = g.sandbox_json("deliveries").await;
    let first = &log["deliveries"][0];
    assert!(first["attempts"].as_i64().unwrap() >= 2, "{first}");
    assert_eq!(first["last_status"], 503);
    // The sandbox stops with the delivery still waiting; a new one on the same file sends it.
    running.server.abort();
    rx.down.store(false, Ordering::SeqCst);
    let again = sandbox(&hook, &db).await;
    let created = wait_for(&rx, "group_create", 1).await;
    let group = created[0]["group_id"].as_str().unwrap();
    let g = Graph::of(&again);
    let Reply::GroupInfo(info) = g
        .ok(Operation::GetGroupInfo, reqwest::Method::GET, group, None)
        .await
    else {
        panic!()
    };
    assert_eq!(info.subject.as_deref(), Some("Kept"));
    again.server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_group_limit_and_the_free_tier_of_a_number() {
    let (rx, hook) = receiver().await;
    let running = wagroups_sandbox::start(wagroups_sandbox::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        callback: Some(hook),
        verify_token: "vt".into(),
        access_token: TOKEN.into(),
        app_secret: SECRET.into(),
        retry_base_ms: 20,
        poll_ms: 10,
        db: ":memory:".into(),
        max_groups: 2,
        free_tier: 1,
        create_delay_ms: 0,
        ..wagroups_sandbox::Config::default()
    })
    .await
    .unwrap();
    let g = Graph::of(&running);
    let create = || Some(json!({"messaging_product": "whatsapp", "subject": "One more"}));
    for _ in 0..2 {
        g.ok(
            Operation::CreateGroup,
            reqwest::Method::POST,
            &format!("{PHONE}/groups"),
            create(),
        )
        .await;
    }
    assert_eq!(
        g.refused(
            Operation::CreateGroup,
            reqwest::Method::POST,
            &format!("{PHONE}/groups"),
            create(),
            Some(TOKEN)
        )
        .await,
        131211
    );

    // A free tier of one service delivery: the second member's delivery is regular.
    let group = wait_for(&rx, "group_create", 1).await[0]["group_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let link = g.invite_link(&group).await;
    for wa in ["447700900318", "14155550173"] {
        g.people("join", json!({"invite_link": link, "wa_id": wa}))
            .await;
    }
    g.people(
        &format!("groups/{group}/messages"),
        json!({"from": "447700900318", "text": "hi"}),
    )
    .await;
    g.ok(Operation::SendMessage, reqwest::Method::POST, &format!("{PHONE}/messages"),
        Some(json!({"messaging_product": "whatsapp", "recipient_type": "group", "to": group, "type": "text", "text": {"body": "hello"}}))).await;
    let statuses = wait_for(&rx, "status", 3).await;
    let types: Vec<&str> = statuses
        .iter()
        .filter_map(|s| s["pricing"]["type"].as_str())
        .collect();
    assert_eq!(
        types,
        ["free_group_customer_service", "regular"],
        "{statuses:?}"
    );
    running.server.abort();
}

/// The binary itself, as users start it: it prints where it listens and answers there.
#[test]
fn the_binary_starts_with_defaults_and_answers() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wagroups-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--db", ":memory:"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_owned();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (state, unauthorised) = runtime.block_on(async {
        let http = reqwest::Client::new();
        let state = http
            .get(format!("http://{addr}/_sandbox/state"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let res = http
            .get(format!("http://{addr}/v23.0/{PHONE}/groups"))
            .send()
            .await
            .unwrap();
        (state, res.status().as_u16())
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(line.contains("sandbox-token"), "{line}");
    assert_eq!((state, unauthorised), (200, 401));
}
