#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // First line: the header; the rest: the body.
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let (head, body) = data.split_at(split);
    let header = std::str::from_utf8(head).ok();
    let _ = wagroups::verify_signature(body, header, &[wagroups::AppSecret::new("fuzz-secret")]);
    let pairs = wagroups::webhook::parse_query(header.unwrap_or(""));
    let _ = wagroups::verify_subscription(&pairs, "token");
});
