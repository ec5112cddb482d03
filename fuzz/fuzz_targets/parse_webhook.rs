#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(batch) = wagroups::parse_webhook(data) {
        // Whatever parses must serialise, both ways the bindings do, within the output bound, and
        // every event's raw text must be a slice of the input.
        let json = serde_json::to_string(&batch).expect("a batch serialises");
        assert!(json.len() <= 64 * data.len() + 4096, "{} bytes out of {}", json.len(), data.len());
        let mut keys = wagroups::webhook::Keys::default();
        wagroups::webhook::to_tape(&batch, data, &mut keys).expect("a batch serialises as a tape");
        let (start, end) = (data.as_ptr() as usize, data.as_ptr() as usize + data.len());
        for e in &batch.events {
            let raw = e.raw.get();
            let at = raw.as_ptr() as usize;
            assert!(raw == "null" || (at >= start && at + raw.len() <= end));
        }
    }
});
