// Profiling loop (not committed).
use std::path::Path;
use std::time::Instant;
fn main() {
    let skip = std::env::args().nth(1).unwrap_or_default();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/webhooks");
    let mut bodies = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let sub = sub.unwrap().path();
        if sub.ends_with("malformed") || (!skip.is_empty() && sub.ends_with(&skip)) { continue; }
        for f in std::fs::read_dir(&sub).unwrap() {
            let f = f.unwrap().path();
            let case: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
            if let Some(body) = case["input"]["body"].as_str() { bodies.push(body.as_bytes().to_vec()); }
        }
    }
    if std::env::var("PER").is_ok() {
        let mut rows = vec![];
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/webhooks/tolerance");
        for f in std::fs::read_dir(dir).unwrap() {
            let f = f.unwrap().path();
            let case: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
            let b = case["input"]["body"].as_str().unwrap().as_bytes().to_vec();
            let t = Instant::now();
            for _ in 0..5000 { std::hint::black_box(wagroups::parse_webhook(&b).map(|x| x.events.len()).ok()); }
            let a = t.elapsed().as_secs_f64();
            let t = Instant::now();
            for _ in 0..5000 { std::hint::black_box(serde_json::from_slice::<serde_json::Value>(&b).ok()); }
            let v = t.elapsed().as_secs_f64();
            rows.push(((a - v) / 5000.0 * 1e6, a / v, f.file_name().unwrap().to_string_lossy().into_owned()));
        }
        rows.sort_by(|x, y| y.0.partial_cmp(&x.0).unwrap());
        for r in rows { println!("{:6.2}us {:.2}x {}", r.0, r.1, r.2); }
        return;
    }
    let (mut ta, mut tb) = (0.0, 0.0);
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..2000 { for b in &bodies { std::hint::black_box(wagroups::parse_webhook(b).map(|x| x.events.len()).ok()); } }
        ta += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..2000 { for b in &bodies { std::hint::black_box(serde_json::from_slice::<serde_json::Value>(b).ok()); } }
        tb += t.elapsed().as_secs_f64();
    }
    println!("{} bodies: {:.3}x", bodies.len(), ta / tb);
}
