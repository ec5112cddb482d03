//! Parse the webhook corpus in a loop (for profiling: `perf record`, `valgrind --tool=callgrind`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/webhooks");
    let mut bodies = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let sub = sub.unwrap().path();
        if sub.ends_with("malformed") {
            continue;
        }
        for f in std::fs::read_dir(sub).unwrap() {
            let case: serde_json::Value =
                serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
            if let Some(body) = case["input"]["body"].as_str() {
                bodies.push(body.as_bytes().to_vec());
            }
        }
    }
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let mut events = 0;
    for _ in 0..rounds {
        for b in &bodies {
            events += wagroups::parse_webhook(b)
                .map(|batch| batch.events.len())
                .unwrap_or(0);
        }
    }
    println!("{events}");
}
