//! Peak heap while a delivery is parsed and while its batch is written as JSON, against an
//! untyped `serde_json::Value` parse of the same bytes (a script, not a test; ratios matter).
//! Run: `make bench`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod deliveries;

use std::alloc::System;
use std::hint::black_box;

use peakmem_alloc::{PeakMemAlloc, PeakMemAllocTrait};
use wagroups::parse_webhook;

#[global_allocator]
static HEAP: PeakMemAlloc<System> = PeakMemAlloc::new(System);

/// The peak heap above the level at the start, while `f` runs and its result is alive.
fn peak<T>(f: impl FnOnce() -> T) -> usize {
    HEAP.reset_peak_memory();
    let kept = black_box(f());
    let peak = HEAP.get_peak_memory();
    drop(kept);
    peak
}

fn report(name: &str, body: &[u8]) {
    let value = peak(|| serde_json::from_slice::<serde_json::Value>(body).unwrap());
    let parsed = peak(|| parse_webhook(body).unwrap());
    let batch = parse_webhook(body).unwrap();
    let written = peak(|| serde_json::to_vec(&batch).unwrap());
    let kb = |n: usize| n as f64 / 1024.0;
    println!(
        "{name}: {:.0} KB in; peak heap: parse_webhook {:.0} KB ({:.2}x the input, {:.2}x serde_json::Value's {:.0} KB); writing the batch as JSON {:.0} KB more",
        kb(body.len()),
        kb(parsed),
        parsed as f64 / body.len() as f64,
        parsed as f64 / value as f64,
        kb(value),
        kb(written),
    );
}

fn main() {
    // One large batch: 1,000 participant statuses, about 3 MB (the criterion bench's batch).
    report("1,000 statuses", &deliveries::statuses(true));
    // The same statuses without the padding: the per-event overhead dominates.
    report("1,000 short statuses", &deliveries::statuses(false));
}
