//! Property tests: valid parameters always build and read back; arbitrary input never panics
//! and always gives a value or a typed error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use serde_json::{json, Value};
use wagroups::{
    build_request, check_group_picture, error::classify_response_error, parse_response,
    sniff_image, Code, Config, Error, Operation,
};

fn body_json(req: &wagroups::Request) -> Value {
    serde_json::from_slice(req.body.as_bytes()).unwrap()
}

/// Text of 1..=max scalar values that is not blank after trimming.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 1..=max)
        .prop_map(|cs| cs.into_iter().collect::<String>())
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        "[a-z_]{1,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("group_id".to_owned()),
                    Just("phone_number_id".to_owned()),
                    Just("type".to_owned()),
                    Just("text".to_owned()),
                    Just("participants".to_owned()),
                    Just("pin".to_owned()),
                    Just("data".to_owned()),
                    Just("error".to_owned()),
                    Just("code".to_owned()),
                    "[a-z_]{1,10}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn create_group_builds_and_reads_back(subject in text(128), description in proptest::option::of(".{0,300}")) {
        let mut params = json!({"phone_number_id": "427119830566204", "subject": subject});
        if let Some(d) = &description { params["description"] = json!(d); }
        let trimmed = subject.trim();
        prop_assume!(wagroups::char_len(trimmed) <= 128);
        let req = build_request(Operation::CreateGroup, &params, &Config::default()).unwrap();
        let body = body_json(&req);
        prop_assert_eq!(body["subject"].as_str().unwrap(), trimmed);
        prop_assert_eq!(body["description"].as_str(), description.as_deref());
        prop_assert_eq!(&body["messaging_product"], "whatsapp");
    }

    #[test]
    fn text_messages_build_and_read_back(body in text(4096), group in "[A-Za-z0-9=_-]{1,80}") {
        let params = json!({"phone_number_id": "1", "group_id": group, "type": "text", "text": {"body": body}});
        let req = build_request(Operation::SendMessage, &params, &Config::default()).unwrap();
        let got = body_json(&req);
        prop_assert_eq!(&got["text"]["body"], &json!(body));
        prop_assert_eq!(&got["to"], &json!(group));
        // The group id is always exactly one path segment… of a different path here; the
        // messages path has only the phone number id.
        prop_assert!(req.url.ends_with("/1/messages"));
    }

    #[test]
    fn group_ids_are_one_safe_path_segment_or_refused(group in "[^\\s\\p{Cc}]{1,60}|[.]{1,3}|[A-Za-z0-9._=-]{1,60}") {
        match build_request(Operation::GetInviteLink, &json!({"group_id": group}), &Config::default()) {
            Ok(req) => {
                let path = req.url.strip_prefix("https://graph.facebook.com/v23.0/").unwrap();
                let segments: Vec<&str> = path.split('/').collect();
                prop_assert_eq!(segments.len(), 2);
                prop_assert_eq!(segments[1], "invite_link");
                // Nothing a URL parser would resolve or split: no dot segment, no escapes.
                prop_assert!(segments[0] != "." && segments[0] != "..");
                prop_assert!(segments[0].bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.%".contains(&b)));
                // `=` is percent-encoded as a sub-delimiter; nothing else changes.
                prop_assert_eq!(segments[0].replace("%3D", "="), group);
            }
            Err(Error::Validation(e)) => {
                prop_assert_eq!(e.errors.len(), 1);
                prop_assert_eq!(e.errors[0].code, Code::InvalidId);
                prop_assert_eq!(e.errors[0].path.as_str(), "group_id");
            }
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    #[test]
    fn removals_of_unique_numbers_build(numbers in proptest::collection::btree_set("[1-9][0-9]{6,14}", 1..=8)) {
        let participants: Vec<Value> = numbers.iter().map(|n| json!({"user": n})).collect();
        let params = json!({"group_id": "G", "participants": participants});
        let req = build_request(Operation::RemoveParticipants, &params, &Config::default()).unwrap();
        prop_assert_eq!(&body_json(&req)["participants"], &json!(participants));
    }

    #[test]
    fn pins_of_1_to_30_days_build(days in 1i64..=30) {
        let params = json!({"phone_number_id": "1", "group_id": "G", "pin": {"message_id": "wamid.X", "expiration_days": days}});
        let req = build_request(Operation::PinMessage, &params, &Config::default()).unwrap();
        prop_assert_eq!(&body_json(&req)["pin"]["expiration_days"], &json!(days));
    }

    #[test]
    fn arbitrary_params_never_panic(v in json_value()) {
        for op in Operation::ALL {
            match build_request(*op, &v, &Config::default()) {
                Ok(_) => {}
                Err(Error::Validation(e)) => prop_assert!(!e.errors.is_empty()),
                Err(other) => prop_assert!(false, "{op}: unexpected error kind {other:?}"),
            }
        }
    }

    #[test]
    fn arbitrary_replies_give_a_value_or_a_typed_error(v in json_value(), status in 100u16..600) {
        let bytes = serde_json::to_vec(&v).unwrap();
        for op in Operation::ALL {
            let _ = parse_response(*op, status, &[], &bytes);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), status in any::<u16>()) {
        for op in Operation::ALL {
            let _ = parse_response(*op, status, &[("Retry-After".into(), "5".into())], &bytes);
        }
        let e = classify_response_error(status, &[], &bytes);
        prop_assert_eq!(e.http_status, status);
        let _ = sniff_image(&bytes);
        let check = check_group_picture(&bytes);
        prop_assert_eq!(check.valid_group_picture, check.problems.is_empty());
    }

    #[test]
    fn any_upload_is_a_request_or_a_typed_refusal(
        prefix in prop_oneof![
            Just(b"".to_vec()), Just(b"RIFF\x00\x00\x00\x00WEBPVP8X".to_vec()), Just(b"OggS".to_vec()),
            Just(b"PK\x03\x04".to_vec()), Just(b"\x00\x00\x00\x18ftyp".to_vec()), Just(vec![0xFF]),
        ],
        tail in proptest::collection::vec(any::<u8>(), 0..64),
        mime in prop_oneof![Just("image/webp"), Just("audio/ogg"), Just("video/mp4"), Just("text/plain"), Just("audio/aac")],
    ) {
        let mut bytes = prefix;
        bytes.extend(tail);
        let sniffed = wagroups::media::sniff_media(&bytes);
        let params = json!({"phone_number_id": "1", "type": mime});
        match wagroups::build_request_with_file(Operation::UploadMedia, &params, Some(&bytes), &Config::default()) {
            // Built only when the bytes agree with the declared type.
            Ok(_) => prop_assert!(sniffed.mime_types.contains(&mime)),
            Err(wagroups::Error::Validation(e)) => prop_assert!(!e.errors.is_empty()),
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    #[test]
    fn jpeg_prefixed_garbage_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut bytes = vec![0xFF, 0xD8, 0xFF];
        bytes.extend(tail);
        match sniff_image(&bytes) {
            Ok(info) => prop_assert!(info.width > 0 && info.height > 0),
            Err(e) => prop_assert!(["image_truncated", "image_corrupt"].contains(&e.code.as_str())),
        }
    }

    #[test]
    fn error_codes_classify_as_integers_or_raw(code in prop_oneof![any::<i64>().prop_map(Value::from), ".{0,8}".prop_map(Value::from)]) {
        let body = serde_json::to_vec(&json!({"error": {"code": code, "message": "m"}})).unwrap();
        let e = classify_response_error(400, &[], &body);
        let known = wagroups::error::lookup_graph(e.graph_code.as_i64().unwrap_or(i64::MIN)).is_some();
        prop_assert_eq!(known, e.code.as_str() != "graph_unknown_error");
    }
}
