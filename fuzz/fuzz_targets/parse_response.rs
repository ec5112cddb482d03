#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for op in wagroups::Operation::ALL {
        let _ = wagroups::parse_response(*op, 200, &[], data);
    }
});
