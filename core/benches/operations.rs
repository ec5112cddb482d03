//! Building every operation and classifying errors, per call. Run: `make bench`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use wagroups::{build_request, error::classify_response_error, parse_response, Config, Operation};

const GROUP: &str = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD";

fn params(op: Operation) -> Value {
    let jpeg = {
        let mut b = vec![
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0x00, 0x01, 0x00, 0x01, 0x01, 0x11,
            0x00,
        ];
        b.resize(20_000, 0x55);
        b
    };
    use base64::Engine;
    match op {
        Operation::CreateGroup => {
            json!({"phone_number_id": "427119830566204", "subject": "Frame Build #58213", "description": "Fitting, paint and component choices.", "join_approval_mode": "approval_required"})
        }
        Operation::ListGroups => {
            json!({"phone_number_id": "427119830566204", "limit": 50, "after": "QVFIUjN0dUxH"})
        }
        Operation::GetGroupInfo => {
            json!({"group_id": GROUP, "fields": ["subject", "participants", "suspended"]})
        }
        Operation::UpdateGroupSettings => {
            json!({"group_id": GROUP, "subject": "Sunday Crew", "description": "Summer schedule"})
        }
        Operation::SetGroupPicture => {
            json!({"group_id": GROUP, "file": base64::engine::general_purpose::STANDARD.encode(jpeg)})
        }
        Operation::ListJoinRequests => json!({"group_id": GROUP, "limit": 10}),
        Operation::ApproveJoinRequests | Operation::RejectJoinRequests => {
            json!({"group_id": GROUP, "join_requests": ["MTQxNTU1NTAxNzM6MTIw", "NjE0OTE1NzAxNTY6MTIw"]})
        }
        Operation::RemoveParticipants => {
            json!({"group_id": GROUP, "participants": [{"user": "+61491570156"}, {"user_id": "BR.31877204619953028841"}]})
        }
        Operation::SendMessage => {
            json!({"phone_number_id": "427119830566204", "group_id": GROUP, "type": "template", "template": {"name": "group_event_reminder", "language": {"code": "en_US"}, "components": [{"type": "header", "parameters": [{"type": "image", "image": {"link": "https://cdn.example.com/a.jpg"}}]}, {"type": "body", "parameters": [{"type": "text", "text": "Coastal Loop"}, {"type": "text", "text": "7:00am"}]}]}})
        }
        Operation::PinMessage => {
            json!({"phone_number_id": "427119830566204", "group_id": GROUP, "pin": {"message_id": "wamid.HBgLMTU1NTcz", "expiration_days": 7}})
        }
        Operation::UnpinMessage => {
            json!({"phone_number_id": "427119830566204", "group_id": GROUP, "pin": {"message_id": "wamid.HBgLMTU1NTcz"}})
        }
        Operation::SendInviteLinkTemplate => {
            json!({"phone_number_id": "427119830566204", "to": "447700900318", "template": {"name": "invite", "language": {"code": "en"}, "components": [{"type": "body", "parameters": [{"type": "group_id", "group_id": GROUP}]}]}})
        }
        _ => json!({"group_id": GROUP}),
    }
}

fn build(c: &mut Criterion) {
    let config = Config::default();
    let mut g = c.benchmark_group("build");
    for op in Operation::ALL {
        let p = params(*op);
        build_request(*op, &p, &config).unwrap();
        g.bench_function(op.name(), |b| {
            b.iter(|| build_request(black_box(*op), black_box(&p), &config))
        });
    }
    g.finish();
}

fn classify(c: &mut Criterion) {
    let known = br#"{"error":{"message":"(#131208) Group Rate Limit Hit","type":"OAuthException","code":131208,"error_data":{"messaging_product":"whatsapp","details":"Too many group operations."},"fbtrace_id":"AbX3qT9mLk2Rz8wPfN1yVhC"}}"#;
    let unknown = br#"{"error":{"message":"new","code":"424242","is_transient":true}}"#;
    let headers = vec![("Retry-After".to_owned(), "30".to_owned())];
    let mut g = c.benchmark_group("classify");
    g.bench_function("known_code", |b| {
        b.iter(|| classify_response_error(429, &headers, black_box(known)))
    });
    g.bench_function("unknown_string_code", |b| {
        b.iter(|| classify_response_error(400, &[], black_box(unknown)))
    });
    g.bench_function("not_json", |b| {
        b.iter(|| classify_response_error(502, &[], black_box(b"<html>Bad Gateway</html>")))
    });
    // Baseline in the same run: an untyped parse of the same body.
    g.bench_function("baseline_serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(known)))
    });
    g.finish();
    let partial = br#"{"messaging_product":"whatsapp","approved_join_requests":["A"],"failed_join_requests":[{"join_request_id":"B","errors":[{"code":131203,"title":"Unable to add participant to group"}]}],"errors":[{"code":131201,"title":"Request partially succeeded"}]}"#;
    c.bench_function("parse_reply/approve_partial", |b| {
        b.iter(|| parse_response(Operation::ApproveJoinRequests, 206, &[], black_box(partial)))
    });
}

criterion_group!(benches, build, classify);
criterion_main!(benches);
