//! Folding a delivery into a group's state: 1,000 statuses (125 messages × 8 participants,
//! delivered with pricing) applied to an 8-member group, against parsing the same delivery.
//! Run: make bench (criterion prints the time per iteration; divide by 1,000 for per event).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wagroups::state::GroupState;
use wagroups::webhook::parse_webhook;

fn apply(c: &mut Criterion) {
    let members: Vec<String> = (0..8).map(|i| format!("1415555{i:04}")).collect();
    let statuses: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            serde_json::json!({"id": format!("wamid.{:06}", i / 8), "status": "delivered", "timestamp": (1_790_000_000 + i).to_string(),
                "recipient_id": "G", "recipient_type": "group", "recipient_participant_id": members[i % 8],
                "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"}})
        })
        .collect();
    let body = serde_json::to_vec(&serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp", "statuses": statuses}}]}]}))
    .unwrap();
    let add = serde_json::to_vec(&serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "group_participants_update", "value": {"groups": [{"group_id": "G", "type": "group_participants_add",
        "timestamp": "1789999999", "added_participants": members.iter().map(|m| serde_json::json!({"wa_id": m})).collect::<Vec<_>>()}]}}]}]}))
    .unwrap();
    let mut group = GroupState::new("G");
    group.apply(&parse_webhook(&add).unwrap().events);
    assert_eq!(group.participants.len(), 8);
    let batch = parse_webhook(&body).unwrap();
    assert_eq!(batch.events.len(), 1000);

    let mut g = c.benchmark_group("state_1000_statuses_8_members");
    g.throughput(Throughput::Elements(1000));
    g.bench_function("apply", |b| {
        b.iter(|| {
            let mut s = group.clone();
            black_box(s.apply(black_box(&batch.events)).changes.len())
        })
    });
    g.bench_function("baseline_parse_webhook", |b| {
        b.iter(|| black_box(parse_webhook(black_box(&body)).unwrap().events.len()))
    });
    g.finish();
}

criterion_group!(benches, apply);
criterion_main!(benches);
