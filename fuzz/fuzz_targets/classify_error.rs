#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_le_bytes([*a, *b]), rest),
        _ => (400, data),
    };
    let e = wagroups::error::classify_response_error(status, &[("retry-after".into(), "1".into())], body);
    assert_eq!(e.http_status, status);
});
