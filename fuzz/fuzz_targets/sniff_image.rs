#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = wagroups::sniff_image(data) {
        assert!(info.width > 0 && info.height > 0);
    }
    let check = wagroups::check_group_picture(data);
    assert_eq!(check.valid_group_picture, check.problems.is_empty());
});
