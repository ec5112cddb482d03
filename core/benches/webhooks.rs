//! Webhook parse + normalise over the whole example corpus, and over Meta's own webhook examples
//! (deliveries written elsewhere), against an untyped `serde_json::Value` parse of the same bytes, and signature checks against bare SHA-256.
//! Run: `make bench`. Ratios are what matter; both sides run in the same process.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod deliveries;

use std::hint::black_box;
use std::path::Path;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use sha2::{Digest, Sha256};
use wagroups::{parse_webhook, verify_signature, AppSecret};

fn corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/webhooks");
    let mut bodies = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let sub = sub.unwrap().path();
        if sub.ends_with("malformed") {
            continue;
        }
        for f in std::fs::read_dir(sub).unwrap() {
            let case: serde_json::Value =
                serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
            // Only deliveries the baseline parses too: serde_json::Value refuses a lone surrogate
            // early, which would make the comparison one of unequal work.
            if let Some(body) = case["input"]["body"].as_str() {
                if serde_json::from_str::<serde_json::Value>(body).is_ok() {
                    bodies.push(body.as_bytes().to_vec());
                }
            }
        }
    }
    bodies.sort();
    bodies
}

/// `parse_webhook` of every body, and the untyped `Value` parse of the same bytes beside it.
fn parse_against_value(g: &mut BenchmarkGroup<'_, WallTime>, bodies: &[Vec<u8>]) {
    g.bench_function("parse_webhook", |b| {
        b.iter(|| {
            for body in bodies {
                black_box(parse_webhook(black_box(body)).ok());
            }
        })
    });
    g.bench_function("baseline_serde_json_value", |b| {
        b.iter(|| {
            for body in bodies {
                black_box(serde_json::from_slice::<serde_json::Value>(black_box(body)).ok());
            }
        })
    });
}

fn parse(c: &mut Criterion) {
    let bodies = corpus();
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("webhook_corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    parse_against_value(&mut g, &bodies);
    g.bench_function("parse_webhook_then_json_text", |b| {
        b.iter(|| {
            for body in &bodies {
                let batch = parse_webhook(black_box(body)).unwrap();
                black_box(serde_json::to_string(&batch).unwrap());
            }
        })
    });
    // What the npm package hands to its JS: the batch as a tape (keys kept across calls).
    let mut keys = wagroups::webhook::Keys::default();
    g.bench_function("parse_webhook_then_tape", |b| {
        b.iter(|| {
            for body in &bodies {
                let batch = parse_webhook(black_box(body)).unwrap();
                black_box(wagroups::webhook::to_tape(&batch, body, &mut keys).unwrap());
            }
        })
    });
    // The tape alone, from batches already parsed.
    let batches: Vec<_> = bodies.iter().map(|b| parse_webhook(b).unwrap()).collect();
    g.bench_function("tape_only", |b| {
        b.iter(|| {
            for (batch, body) in batches.iter().zip(&bodies) {
                black_box(wagroups::webhook::to_tape(batch, body, &mut keys).unwrap());
            }
        })
    });
    g.finish();

    // Deliveries written elsewhere: Meta's own webhook examples (one per message type), as
    // vendored (pretty-printed) and minified.
    for (name, bodies) in [
        ("webhook_meta_examples", deliveries::meta_examples(false)),
        (
            "webhook_meta_examples_minified",
            deliveries::meta_examples(true),
        ),
    ] {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(
            bodies.iter().map(Vec::len).sum::<usize>() as u64,
        ));
        parse_against_value(&mut g, &bodies);
        g.finish();
    }

    // One large batch: 1,000 participant statuses, about 3 MB.
    let big = deliveries::statuses(true);
    let mut g = c.benchmark_group("batch_1000_statuses");
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("parse_webhook", |b| {
        b.iter(|| black_box(parse_webhook(black_box(&big)).unwrap().events.len()))
    });
    g.bench_function("baseline_serde_json_value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(black_box(&big)).ok()))
    });
    g.finish();
}

fn signature(c: &mut Criterion) {
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/webhooks/messages/status_aggregated_multi_participant.json"),
    )
    .unwrap();
    let secret = [AppSecret::new("6f1d2c9a8b7e4f3a0c5d9e8b7a6f5c41")];
    let header = "sha256=0000000000000000000000000000000000000000000000000000000000000000";
    let mut g = c.benchmark_group("signature");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("verify_signature", |b| {
        b.iter(|| verify_signature(black_box(&body), Some(header), &secret))
    });
    g.bench_function("baseline_sha256", |b| {
        b.iter(|| Sha256::digest(black_box(&body)))
    });
    g.finish();
}

criterion_group!(benches, parse, signature);
criterion_main!(benches);
