//! The CLI is a thin front: JSON out, exit 0 ok / 1 invalid input or error reply / 2 usage,
//! never a panic or a stack trace.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: &[u8]) -> (i32, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wagroups"))
        .args(args)
        .env_remove("WAGROUPS_ACCESS_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&stdout).unwrap_or(Value::Null);
    (status.code().unwrap(), json, stderr)
}

#[test]
fn request_prints_the_request_as_json() {
    let (code, out, _) = run(
        &[
            "request",
            "create_group",
            "--params",
            r#"{"phone_number_id":"1","subject":"S"}"#,
            "--version",
            "v25.0",
            "--token",
            "T0K",
        ],
        b"",
    );
    assert_eq!(code, 0);
    assert_eq!(out["method"], "POST");
    assert_eq!(out["url"], "https://graph.facebook.com/v25.0/1/groups");
    assert_eq!(out["headers"]["authorization"], "Bearer T0K");
    assert_eq!(
        out["body"]["text"],
        r#"{"messaging_product":"whatsapp","subject":"S"}"#
    );
}

#[test]
fn params_from_stdin_and_invalid_input_exit_1_with_every_error() {
    let (code, out, _) = run(
        &["request", "list_groups", "-"],
        br#"{"phone_number_id":"x","limit":0,"after":"a","before":"b"}"#,
    );
    assert_eq!(code, 1);
    let codes: Vec<&str> = out["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["invalid_id", "out_of_range", "mutually_exclusive"]);
}

#[test]
fn response_parses_or_classifies() {
    let (code, out, _) = run(
        &["response", "delete_group", "--status", "200", "-"],
        br#"{"success":"true"}"#,
    );
    assert_eq!((code, &out["success"]), (0, &Value::Bool(true)));
    let (code, out, _) = run(
        &[
            "response",
            "create_group",
            "--status",
            "429",
            "--header",
            "Retry-After: 7",
            "-",
        ],
        br#"{"error":{"code":131208,"message":"slow"}}"#,
    );
    assert_eq!(code, 1);
    assert_eq!(out["error"]["kind"], "rate_limit");
    assert_eq!(out["error"]["retry"], "backoff");
    assert_eq!(out["error"]["retry_after_seconds"], 7);
}

#[test]
fn picture_file_goes_in_as_bytes() {
    let dir = std::env::temp_dir().join(format!("wagroups-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut jpeg = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0xC0, 0x00, 0xC0, 0x01, 0x01, 0x11, 0x00,
    ];
    jpeg.extend([0xFF, 0xD9]);
    let path = dir.join("p.jpg");
    std::fs::write(&path, &jpeg).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, _) = run(
        &[
            "request",
            "set_group_picture",
            "--params",
            r#"{"group_id":"G"}"#,
            "--file",
            p,
        ],
        b"",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["body"]["type"], "multipart");
    let (code, out, _) = run(&["picture", "check", p], b"");
    assert_eq!(code, 0);
    assert_eq!(out["format"], "jpeg");
    assert_eq!(out["width"], 192);
    assert_eq!(out["valid_group_picture"], true);
    std::fs::write(&path, b"GIF89a\x10\x00\x10\x00").unwrap();
    let (code, out, _) = run(&["picture", "check", p], b"");
    assert_eq!(code, 1);
    assert_eq!(
        out["problems"],
        serde_json::json!(["image_not_jpeg", "image_too_small"])
    );
}

#[test]
fn errors_prints_the_catalog_or_one_entry() {
    let (code, out, _) = run(&["errors"], b"");
    assert_eq!(code, 0);
    assert!(out.as_array().unwrap().len() > 80);
    let (_, one, _) = run(&["errors", "131208"], b"");
    assert_eq!(one["code"], "group_rate_limit_hit");
    let (_, named, _) = run(&["errors", "too_long"], b"");
    assert_eq!(named["kind"], "validation");
    let (code, _, _) = run(&["errors", "nope"], b"");
    assert_eq!(code, 1);
}

#[test]
fn usage_errors_exit_2_and_garbage_never_panics() {
    assert_eq!(run(&[], b"").0, 2);
    assert_eq!(run(&["frobnicate"], b"").0, 2);
    assert_eq!(
        run(&["request", "create_group", "--params", "{not json"], b"").0,
        2
    );
    assert_eq!(
        run(&["response", "list_groups", "--status", "abc"], b"").0,
        2
    );
    let (code, out, _) = run(
        &["response", "list_groups", "--status", "200", "-"],
        &[0xFF, 0xFE, 0x00],
    );
    assert_eq!(code, 1);
    assert_eq!(out["error"]["code"], "decode_invalid_json");
    let (code, out, _) = run(&["request", "nope"], b"");
    assert_eq!(
        (code, out["error"]["errors"][0]["code"].as_str()),
        (1, Some("unknown_operation"))
    );
}

const DELIVERY: &str = r#"{"object":"whatsapp_business_account","entry":[]}"#;
const SECRET: &str = "6f1d2c9a8b7e4f3a0c5d9e8b7a6f5c41";
const GOOD: &str = "sha256=ea196b37501e334a932ee2b2fde6167f7c22b6d3e6165f55aaabb5584ba1e239";

#[test]
fn webhook_verify_exits_0_only_when_valid() {
    let (code, out, _) = run(
        &[
            "webhook",
            "verify-signature",
            "--app-secret",
            SECRET,
            "--signature",
            GOOD,
            "-",
        ],
        DELIVERY.as_bytes(),
    );
    assert_eq!((code, &out["valid"]), (0, &Value::Bool(true)));
    // Rotation: the old secret first.
    let (code, _, _) = run(
        &[
            "webhook",
            "verify-signature",
            "--app-secret",
            "old",
            "--app-secret",
            SECRET,
            "--signature",
            GOOD,
            "-",
        ],
        DELIVERY.as_bytes(),
    );
    assert_eq!(code, 0);
    let (code, out, _) = run(
        &[
            "webhook",
            "verify-signature",
            "--app-secret",
            SECRET,
            "--signature",
            GOOD,
            "-",
        ],
        format!("{DELIVERY}\n").as_bytes(),
    );
    assert_eq!(
        (code, out["error"]["code"].as_str()),
        (1, Some("signature_mismatch"))
    );
    let (code, out, _) = run(
        &["webhook", "verify-signature", "--app-secret", SECRET, "-"],
        DELIVERY.as_bytes(),
    );
    assert_eq!(
        (code, out["error"]["code"].as_str()),
        (1, Some("signature_missing"))
    );
}

#[test]
fn webhook_parse_prints_events_and_refuses_garbage() {
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"group_status_update","value":{"groups":[{"group_id":"G","type":"group_suspend","timestamp":"5"}]}}]}]}"#;
    let (code, out, _) = run(&["webhook", "parse", "-"], body.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out["events"][0]["type"], "group_suspend");
    assert_eq!(out["events"][0]["timestamp"], 5);
    let (code, out, _) = run(&["webhook", "parse", "-"], b"\xff\xfe{");
    assert_eq!(
        (code, out["error"]["code"].as_str()),
        (1, Some("webhook_invalid_json"))
    );
}

#[test]
fn webhook_challenge_echoes_or_refuses() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wagroups"))
        .args([
            "webhook",
            "verify-subscription",
            "--verify-token",
            "t",
            "hub.mode=subscribe&hub.verify_token=t&hub.challenge=42",
        ])
        .output()
        .unwrap();
    assert!(child.status.success());
    assert_eq!(String::from_utf8_lossy(&child.stdout).trim(), "42");
    child = std::process::Command::new(env!("CARGO_BIN_EXE_wagroups"))
        .args([
            "webhook",
            "verify-subscription",
            "--verify-token",
            "t",
            "hub.mode=subscribe&hub.verify_token=x&hub.challenge=42",
        ])
        .output()
        .unwrap();
    assert_eq!(child.status.code(), Some(1));
}

/// A fresh scratch folder under the build's target directory (no temp-dir crate needed).
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_env(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> (i32, Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wagroups"));
    cmd.args(args)
        .env_remove("WAGROUPS_ACCESS_TOKEN")
        .env_remove("WAGROUPS_APP_SECRET")
        .env_remove("WAGROUPS_VERIFY_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), json, stderr)
}

#[test]
fn secrets_come_from_files_or_the_environment_not_only_arguments() {
    let dir = scratch("secrets");
    let secret_file = dir.join("app-secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let secret_path = secret_file.to_str().unwrap();
    let verify = &["webhook", "verify-signature", "--signature", GOOD, "-"];
    let (code, out, _) = run_env(
        &[
            &verify[..2],
            &["--app-secret-file", secret_path],
            &verify[2..],
        ]
        .concat(),
        &[],
        DELIVERY.as_bytes(),
    );
    assert_eq!((code, &out["valid"]), (0, &Value::Bool(true)), "{out}");
    let (code, out, _) = run_env(
        verify,
        &[("WAGROUPS_APP_SECRET", SECRET)],
        DELIVERY.as_bytes(),
    );
    assert_eq!((code, &out["valid"]), (0, &Value::Bool(true)), "{out}");
    // Without any secret the core refuses (and says so), rather than accepting anything.
    let (code, out, _) = run_env(verify, &[], DELIVERY.as_bytes());
    assert_eq!(
        (code, out["error"]["code"].as_str()),
        (1, Some("app_secret_missing"))
    );

    let token_file = dir.join("verify-token");
    std::fs::write(&token_file, "t\r\n").unwrap();
    let query = "hub.mode=subscribe&hub.verify_token=t&hub.challenge=42";
    let out = Command::new(env!("CARGO_BIN_EXE_wagroups"))
        .args([
            "webhook",
            "verify-subscription",
            "--verify-token-file",
            token_file.to_str().unwrap(),
            query,
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    let out = Command::new(env!("CARGO_BIN_EXE_wagroups"))
        .args(["webhook", "verify-subscription", query])
        .env("WAGROUPS_VERIFY_TOKEN", "t")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    let (code, _, stderr) = run_env(&["webhook", "verify-subscription", query], &[], b"");
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn an_unreadable_file_is_a_json_error_naming_it() {
    let missing = scratch("unreadable").join("no-such-delivery.json");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["webhook", "parse", missing],
        vec!["response", "list_groups", "--status", "200", missing],
        vec!["picture", "check", missing],
        vec![
            "request",
            "set_group_picture",
            "--params",
            "{}",
            "--file",
            missing,
        ],
        vec![
            "webhook",
            "verify-signature",
            "--app-secret-file",
            missing,
            "--signature",
            GOOD,
            "-",
        ],
    ] {
        let (code, out, stderr) = run_env(&args, &[], b"");
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(!stderr.contains("usage"), "{args:?}: {stderr}");
        assert_eq!(out["error"]["code"], "file_unreadable", "{args:?}");
        assert_eq!(out["error"]["path"], missing, "{args:?}");
        assert!(out["error"]["message"].as_str().unwrap().contains(missing));
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_exit_0() {
    let dir = scratch("closed-stdout");
    let statuses: Vec<String> = (0..2000)
        .map(|i| format!(r#"{{"id":"wamid.{i}","status":"sent","timestamp":"1","recipient_id":"G","recipient_type":"group"}}"#))
        .collect();
    let body = format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","statuses":[{}]}}}}]}}]}}"#,
        statuses.join(",")
    );
    let file = dir.join("big.json");
    std::fs::write(&file, body).unwrap();
    for args in [
        vec!["webhook", "parse", file.to_str().unwrap()],
        vec!["errors"],
        vec!["--help"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wagroups"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Like `| head -c 0`: the reader goes away before the first write.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn help_documents_exit_codes_and_secret_sources() {
    let out = Command::new(env!("CARGO_BIN_EXE_wagroups"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Exit status",
        "0  ok",
        "1  refused",
        "2  usage",
        "WAGROUPS_APP_SECRET",
        "--verify-token-file",
        "visible to other users",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}");
    }
}

/// The four media commands the README shows: upload from a file (bytes, never base64), look up,
/// download (only from Meta's hosts), and the download check against the lookup.
#[test]
fn media_upload_lookup_download_and_check() {
    let dir = scratch("media");
    let pdf = dir.join("route.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n1 0 obj\n").unwrap();
    let pdf = pdf.to_str().unwrap();
    let (code, out, _) = run(
        &[
            "request",
            "upload_media",
            "--params",
            r#"{"phone_number_id":"427119830566204","type":"application/pdf"}"#,
            "--file",
            pdf,
        ],
        b"",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out["url"],
        "https://graph.facebook.com/v23.0/427119830566204/media"
    );
    assert!(out["body"]["content_type"]
        .as_str()
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    let (code, out, _) = run(
        &[
            "request",
            "upload_media",
            "--params",
            r#"{"phone_number_id":"427119830566204","type":"image/png"}"#,
            "--file",
            pdf,
        ],
        b"",
    );
    assert_eq!(code, 1);
    assert_eq!(out["error"]["errors"][0]["code"], "media_type_mismatch");

    let (code, out, _) = run(
        &[
            "request",
            "get_media",
            "--params",
            r#"{"media_id":"1037543291543636"}"#,
        ],
        b"",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["method"], "GET");

    let url = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1";
    let params = format!(r#"{{"url":"{url}"}}"#);
    let (code, out, _) = run_env(
        &["request", "download_media", "--params", &params],
        &[("WAGROUPS_ACCESS_TOKEN", "EAAGtoken")],
        b"",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["url"], url);
    assert_eq!(out["headers"]["authorization"], "Bearer EAAGtoken");
    let (code, out, _) = run(
        &[
            "request",
            "download_media",
            "--params",
            r#"{"url":"https://example.com/x"}"#,
        ],
        b"",
    );
    assert_eq!(code, 1);
    assert_eq!(out["error"]["errors"][0]["code"], "media_host_not_allowed");

    let file = dir.join("download.bin");
    std::fs::write(&file, b"test").unwrap();
    let info = dir.join("info.json");
    std::fs::write(
        &info,
        br#"{"url":"x","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","file_size":4}"#,
    )
    .unwrap();
    let args = [
        "media",
        "check",
        file.to_str().unwrap(),
        "--info",
        info.to_str().unwrap(),
    ];
    let (code, out, _) = run(&args, b"");
    assert_eq!((code, out["size_bytes"].as_u64()), (0, Some(4)), "{out}");
    std::fs::write(&file, b"TEST").unwrap();
    let (code, out, _) = run(&args, b"");
    assert_eq!(code, 1);
    assert_eq!(out["error"]["code"], "media_hash_mismatch");
}

/// `state apply`, `seed`, `cost` and `prune` as the README shows them: deliveries in, one state
/// per group out, the state file fed back in.
#[test]
fn state_commands_fold_seed_quote_and_prune() {
    let dir = scratch("state");
    let g = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD";
    let delivery = |value: serde_json::Value| {
        serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
            {"field": "group_participants_update", "value": value}]}]})
        .to_string()
    };
    let add = dir.join("add.json");
    std::fs::write(&add, delivery(serde_json::json!({"groups": [{"group_id": g, "type": "group_participants_add",
        "timestamp": "1790000000", "added_participants": [{"wa_id": "447700900318"}, {"wa_id": "14155550173"}]}]}))).unwrap();
    let remove = dir.join("remove.json");
    std::fs::write(
        &remove,
        delivery(
            serde_json::json!({"groups": [{"group_id": g, "type": "group_participants_remove",
        "timestamp": "1790000100", "removed_participants": [{"wa_id": "14155550173"}]}]}),
        ),
    )
    .unwrap();
    // In reverse order, and the removal twice: the same members.
    let (code, out, _) = run(
        &[
            "state",
            "apply-events",
            remove.to_str().unwrap(),
            add.to_str().unwrap(),
            remove.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(code, 0, "{out}");
    let members = &out["state"][g]["participants"];
    assert_eq!(members.as_array().unwrap().len(), 1, "{members}");
    assert_eq!(members[0]["wa_id"], "447700900318");
    let state_file = dir.join("state.json");
    std::fs::write(&state_file, out["state"].to_string()).unwrap();
    let (code, again, _) = run(
        &[
            "state",
            "apply-events",
            "--state",
            state_file.to_str().unwrap(),
            add.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(code, 0);
    assert_eq!(again["changes"], serde_json::json!([]), "nothing new");

    let (code, quote, _) = run(
        &[
            "state",
            "quote-message",
            "--state",
            state_file.to_str().unwrap(),
            "--group",
            g,
            "--at",
            "1795000000",
            "--template-category",
            "marketing",
        ],
        b"",
    );
    assert_eq!(code, 0, "{quote}");
    assert_eq!(
        (
            quote["deliveries"].as_u64(),
            quote["pricing_category"].as_str()
        ),
        (Some(1), Some("group_marketing"))
    );
    let (code, quote, _) = run(
        &[
            "state",
            "quote-message",
            "--state",
            state_file.to_str().unwrap(),
            "--group",
            g,
            "--at",
            "1795000000",
        ],
        b"",
    );
    assert_eq!(
        (code, quote["allowed"].as_bool()),
        (0, Some(false)),
        "free-form needs an open window"
    );

    let info = dir.join("info.json");
    std::fs::write(
        &info,
        format!(r#"{{"id":"{g}","subject":"Crew","participants":[{{"wa_id":"447700900318"}}]}}"#),
    )
    .unwrap();
    let (code, seeded, _) = run(
        &[
            "state",
            "seed-from-group-info",
            "--group-info",
            info.to_str().unwrap(),
            "--at",
            "1790000000",
        ],
        b"",
    );
    assert_eq!(code, 0, "{seeded}");
    assert_eq!(seeded["subject"], "Crew");
    let (code, pruned, _) = run(
        &[
            "state",
            "prune",
            "--state",
            state_file.to_str().unwrap(),
            "--at",
            "1800000000",
        ],
        b"",
    );
    assert_eq!(code, 0, "{pruned}");
    assert!(pruned[g]["facts"]["departed"].is_null(), "{pruned}");
    let (code, _, err) = run(
        &[
            "state",
            "quote-message",
            "--state",
            state_file.to_str().unwrap(),
            "--group",
            g,
            "--at",
            "soon",
        ],
        b"",
    );
    assert_eq!(code, 2, "{err}");
}

/// `state reply`: a create_group reply waits under its request id, the group_create event with
/// that id names the group; a rejection (no webhook follows one) closes the pending request.
#[test]
fn state_reply_matches_a_creation_and_closes_a_rejected_request() {
    let dir = scratch("state-reply");
    let g = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD";
    let write = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let params = write(
        "create.json",
        r#"{"phone_number_id":"427119830566204","subject":"Crew"}"#.into(),
    );
    let reply = write(
        "reply.json",
        r#"{"messaging_product":"whatsapp","request_id":"R1"}"#.into(),
    );
    let args = |state: Option<&str>, op: &str, params: &str, reply: &str| {
        let mut a: Vec<String> = vec!["state".into(), "apply-reply".into()];
        if let Some(s) = state {
            a.extend(["--state".into(), s.into()]);
        }
        a.extend(
            [
                "--operation",
                op,
                "--params",
                params,
                "--at",
                "1790000000",
                reply,
            ]
            .map(str::to_owned),
        );
        a
    };
    let a = args(None, "create_group", &params, &reply);
    let (code, out, _) = run(&a.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["state"]["R1"]["status"], "creating", "{out}");
    let state = write("state.json", out["state"].to_string());
    let created = write(
        "created.json",
        serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
            {"field": "group_lifecycle_update", "value": {"groups": [{"group_id": g, "type": "group_create",
            "request_id": "R1", "timestamp": "1790000005", "subject": "Crew"}]}}]}]})
        .to_string(),
    );
    let (code, out, _) = run(&["state", "apply-events", "--state", &state, &created], b"");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["state"][g]["status"], "active", "{out}");
    assert!(
        out["state"]["R1"].is_null(),
        "moved under the group id: {out}"
    );
    assert_eq!(out["changes"][0]["request_id"], "R1");

    let joined = write(
        "joined.json",
        serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
            {"field": "group_participants_update", "value": {"groups": [{"group_id": g,
            "type": "group_join_request_created", "join_request_id": "J1", "wa_id": "14155550173",
            "timestamp": "1789999990"}]}}]}]})
        .to_string(),
    );
    let state = write("state2.json", out["state"].to_string());
    let (_, out, _) = run(&["state", "apply-events", "--state", &state, &joined], b"");
    assert_eq!(
        out["state"][g]["pending_join_requests"][0]["join_request_id"],
        "J1"
    );
    let state = write("state3.json", out["state"].to_string());
    let params = write(
        "reject.json",
        format!(r#"{{"group_id":"{g}","join_requests":["J1"]}}"#),
    );
    let reply = write(
        "rejected.json",
        r#"{"messaging_product":"whatsapp","rejected_join_requests":["J1"]}"#.into(),
    );
    let a = args(Some(&state), "reject_join_requests", &params, &reply);
    let (code, out, _) = run(&a.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out["state"][g]["pending_join_requests"],
        serde_json::json!([])
    );
    assert_eq!(out["changes"][0]["type"], "join_request_closed");
    let a = args(Some(&state), "reject_join_requests", &params, &reply);
    let mut a: Vec<&str> = a.iter().map(String::as_str).collect();
    a.retain(|x| *x != "--at" && *x != "1790000000");
    let (code, _, err) = run(&a, b"");
    assert_eq!(code, 2, "--at is required: {err}");
}

/// The former command names still work for one release: the same answers as the new ones.
#[test]
fn former_command_names_still_work() {
    let dir = scratch("former");
    let picture = dir.join("p.jpg");
    std::fs::write(&picture, [0xFF, 0xD8, 0xFF, 0xD9]).unwrap();
    let p = picture.to_str().unwrap();
    assert_eq!(
        run(&["image", "check", p], b""),
        run(&["picture", "check", p], b"")
    );
    let query = "hub.mode=subscribe&hub.verify_token=t&hub.challenge=42";
    let token = dir.join("token");
    std::fs::write(&token, "t").unwrap();
    let t = token.to_str().unwrap();
    let old = run(
        &["webhook", "challenge", "--verify-token-file", t, query],
        b"",
    );
    let new = run(
        &[
            "webhook",
            "verify-subscription",
            "--verify-token-file",
            t,
            query,
        ],
        b"",
    );
    assert_eq!(old, new);
    assert_eq!(new.0, 0, "{new:?}");
}

/// Every command line docs/cli.md shows names a command the CLI knows (its arguments hold
/// placeholders, so each runs with its command words alone: a usage error is fine, an unknown
/// command is not).
#[test]
fn the_documented_commands_exist() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/cli.md")).unwrap();
    let block = doc
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let mut checked = 0;
    for line in block.lines().filter(|l| l.starts_with("wagroups ")) {
        let words: Vec<&str> = line
            .split_whitespace()
            .skip(1)
            .take_while(|w| {
                w.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
            })
            .take(3)
            .collect();
        let (_, out, err) = run(&words, b"");
        // The first line says what went wrong; the usage text after it names every command.
        let first = err.lines().next().unwrap_or_default();
        assert!(!first.contains("unknown"), "{line}: {first}");
        assert_ne!(
            out["error"]["errors"][0]["code"], "unknown_operation",
            "{line}: {out}"
        );
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} commands");
}
