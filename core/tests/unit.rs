//! Focused checks of single rules: secrets, encoding, versions, counting, the catalog.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashSet;

use serde_json::{json, Value};
use wagroups::{
    build_request, build_set_group_picture, char_len, error::Code, error_catalog, AccessToken,
    Config, Error, Operation, PictureParams,
};

const SECRET: &str = "EAAGsecretTOKEN123";

#[test]
fn the_token_never_shows_in_debug_display_or_errors() {
    let config = Config::new("v23.0")
        .unwrap()
        .with_token(AccessToken::new(SECRET).unwrap());
    assert!(!format!("{config:?}").contains(SECRET));
    assert!(!format!("{}", AccessToken::new(SECRET).unwrap()).contains(SECRET));
    let req = build_request(Operation::DeleteGroup, &json!({"group_id": "G"}), &config).unwrap();
    assert_eq!(
        req.header("Authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert!(!format!("{req:?}").contains(SECRET), "{req:?}");
    let err = wagroups::json_api::build_request_json(
        "delete_group",
        &json!({"x": 1}),
        &json!({"access_token": SECRET}),
    )
    .unwrap_err();
    assert!(!format!("{err:?} {err} {}", err.to_json()).contains(SECRET));
}

#[test]
fn no_token_no_authorization_header() {
    let req = build_request(
        Operation::DeleteGroup,
        &json!({"group_id": "G"}),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(req.header("authorization"), None);
    assert!(req.headers.is_empty());
}

#[test]
fn versions_and_base_urls_are_checked() {
    for ok in ["v23.0", "v9.12", "v100.0"] {
        assert!(Config::new(ok).is_ok(), "{ok}");
    }
    for bad in ["23.0", "v23", "v23.", "V23.0", "v23.0 ", "v2a.0", ""] {
        assert!(Config::new(bad).is_err(), "{bad}");
    }
    let c = Config::default()
        .with_base_url("http://127.0.0.1:9000/")
        .unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:9000");
    for bad in [
        "ftp://x",
        "https://",
        "https://x/?a=1",
        "https://x/#f",
        "graph.facebook.com",
        "https://a b",
    ] {
        assert!(Config::default().with_base_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn characters_are_unicode_scalar_values() {
    assert_eq!(char_len("👍🏽"), 2); // thumbs up + skin tone modifier
    assert_eq!(char_len("e\u{301}"), 2); // e + combining acute
    assert_eq!(char_len("é"), 1); // precomposed
    assert_eq!(char_len("👨‍👩‍👧"), 5); // family: 3 people + 2 zero-width joiners
}

#[test]
fn identical_input_gives_identical_bytes() {
    let params = json!({"phone_number_id": "1", "group_id": "G", "type": "text", "text": {"body": "hi", "preview_url": false}});
    let a = build_request(Operation::SendMessage, &params, &Config::default()).unwrap();
    let b = build_request(Operation::SendMessage, &params, &Config::default()).unwrap();
    assert_eq!(a, b);
}

fn jpeg(side: u16) -> Vec<u8> {
    // SOI, APP0 (JFIF), SOF0 with the size, EOI: enough header for the rule.
    let mut b = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    b.extend([0xFF, 0xC0, 0x00, 0x0B, 0x08]);
    b.extend(side.to_be_bytes());
    b.extend(side.to_be_bytes());
    b.extend([0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9]);
    b
}

#[test]
fn picture_multipart_is_deterministic_and_well_formed() {
    let bytes = jpeg(192);
    let params = PictureParams {
        group_id: "G=1",
        file: &bytes,
        filename: None,
        boundary: None,
    };
    let a = build_set_group_picture(&params, &Config::default()).unwrap();
    let b = build_set_group_picture(&params, &Config::default()).unwrap();
    assert_eq!(a, b, "the derived boundary depends on the content only");
    assert_eq!(a.url, "https://graph.facebook.com/v23.0/G%3D1");
    let ct = a.header("content-type").unwrap();
    let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
    let body = a.body.as_bytes();
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"group-picture.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    );
    assert!(body.starts_with(head.as_bytes()));
    assert!(body.ends_with(format!("\r\n--{boundary}--\r\n").as_bytes()));
    assert_eq!(
        &body[head.len()..head.len() + bytes.len()],
        bytes.as_slice()
    );
    let other = build_set_group_picture(
        &PictureParams {
            file: &jpeg(200),
            ..params
        },
        &Config::default(),
    )
    .unwrap();
    assert_ne!(other.header("content-type"), a.header("content-type"));
}

#[test]
fn picture_rules_report_every_problem() {
    let small = jpeg(100);
    let err = build_set_group_picture(
        &PictureParams {
            group_id: "",
            file: &small,
            filename: Some("x.png"),
            boundary: Some(""),
        },
        &Config::default(),
    )
    .unwrap_err();
    let Error::Validation(v) = err else {
        panic!("expected validation")
    };
    let codes: Vec<&str> = v.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "invalid_id",
            "image_too_small",
            "invalid_format",
            "invalid_boundary"
        ]
    );
}

#[test]
fn the_catalog_has_unique_codes_and_graph_numbers() {
    let mut codes = HashSet::new();
    let mut graph = HashSet::new();
    // A code's row is found by its index: one row per code, in the same order.
    assert_eq!(error_catalog().len(), Code::ALL.len());
    for (e, code) in error_catalog().iter().zip(Code::ALL) {
        assert_eq!(e.code, *code);
        assert!(codes.insert(e.code.as_str()), "duplicate code {}", e.code);
        assert_eq!(Code::from_name(e.code.as_str()), Some(e.code));
        assert_eq!(e.code.entry(), *e);
        assert!(
            e.code
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{}",
            e.code
        );
        if let Some(g) = e.graph_code {
            assert!(graph.insert(g), "duplicate graph code {g}");
        }
    }
    for n in [200, 250, 299] {
        assert_eq!(
            wagroups::error::lookup_graph(n).unwrap().code,
            Code::ApiPermission
        );
    }
    assert!(wagroups::error::lookup_graph(300).is_none());
}

#[test]
fn operations_round_trip_their_names() {
    for op in Operation::ALL {
        assert_eq!(Operation::from_name(op.name()), Some(*op));
    }
    #[cfg(not(feature = "unstable-add-participants"))]
    {
        assert_eq!(Operation::ALL.len(), 23);
        assert!(
            Operation::from_name("add_participants").is_none(),
            "add_participants is opt-in only"
        );
    }
}

#[cfg(feature = "unstable-add-participants")]
#[test]
fn add_participants_is_offered_behind_its_feature() {
    let op = Operation::from_name("add_participants").unwrap();
    assert!(op.is_unverified());
    let params = json!({"group_id": "G", "participants": [{"user": "+14155550173"}]});
    let req = build_request(op, &params, &Config::default()).unwrap();
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url, "https://graph.facebook.com/v23.0/G/participants");
    assert_eq!(
        req.body.as_bytes(),
        br#"{"messaging_product":"whatsapp","participants":[{"user":"+14155550173"}]}"#
    );
    // The OpenAPI body knows only `user`.
    let bsuid = json!({"group_id": "G", "participants": [{"user_id": "US.1"}]});
    assert!(build_request(op, &bsuid, &Config::default()).is_err());
}

#[test]
fn tokens_with_control_characters_are_refused() {
    let err = Config::from_json(&json!({"access_token": "abc\r\nX-Evil: 1"})).unwrap_err();
    assert_eq!(err.errors[0].code, Code::InvalidFormat);
    assert_eq!(err.errors[0].path, "access_token");
    assert!(!err.to_string().contains("Evil"), "the token is not echoed");
    assert!(Config::from_json(&json!({"access_token": ""})).is_err());
}

#[test]
fn access_tokens_that_could_inject_headers_are_refused() {
    for bad in [
        "",
        "t\r\nX-Injected: 1",
        "t\nX",
        "EAAG…",
        "EAAG token",
        "tab\there",
        "nul\0",
    ] {
        let err = AccessToken::new(bad).unwrap_err();
        assert_eq!(err.errors[0].code, Code::InvalidFormat, "{bad:?}");
        assert_eq!(err.errors[0].path, "access_token");
        if !bad.is_empty() {
            assert!(!err.to_string().contains(bad), "the error shows the token");
        }
    }
    let ok = AccessToken::new("EAAGm0PX4ZCpsBA-_.~+/=").unwrap();
    assert_eq!(ok.expose(), "EAAGm0PX4ZCpsBA-_.~+/=");
}

/// Every operation that takes an id refuses `.` and `..` in each of its id members, so no
/// request can resolve to another Graph path with the bearer token attached.
#[test]
fn dot_segments_are_refused_as_ids_in_every_operation() {
    let g = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD";
    let w = "wamid.HBgLMTU1NTczMTIwNDgVAgARGBI3QzFFM0E5RjBCNTJEODRFNjEA";
    // (operation, valid parameters, JSON pointers of the id members)
    let cases: Vec<(Operation, Value, Vec<&str>)> = vec![
        (
            Operation::CreateGroup,
            json!({"phone_number_id": "1", "subject": "s"}),
            vec!["/phone_number_id"],
        ),
        (
            Operation::ListGroups,
            json!({"phone_number_id": "1"}),
            vec!["/phone_number_id"],
        ),
        (
            Operation::GetGroupInfo,
            json!({"group_id": g}),
            vec!["/group_id"],
        ),
        (
            Operation::UpdateGroupSettings,
            json!({"group_id": g, "subject": "s"}),
            vec!["/group_id"],
        ),
        (
            Operation::DeleteGroup,
            json!({"group_id": g}),
            vec!["/group_id"],
        ),
        (
            Operation::GetInviteLink,
            json!({"group_id": g}),
            vec!["/group_id"],
        ),
        (
            Operation::ResetInviteLink,
            json!({"group_id": g}),
            vec!["/group_id"],
        ),
        (
            Operation::DeleteInviteLink,
            json!({"group_id": g}),
            vec!["/group_id"],
        ),
        (
            Operation::ListJoinRequests,
            json!({"group_id": g}),
            vec!["/group_id"],
        ),
        (
            Operation::ApproveJoinRequests,
            json!({"group_id": g, "join_requests": ["J1"]}),
            vec!["/group_id", "/join_requests/0"],
        ),
        (
            Operation::RejectJoinRequests,
            json!({"group_id": g, "join_requests": ["J1"]}),
            vec!["/group_id", "/join_requests/0"],
        ),
        (
            Operation::RemoveParticipants,
            json!({"group_id": g, "participants": [{"user": "+14155550100"}]}),
            vec!["/group_id"],
        ),
        (
            Operation::SendMessage,
            json!({"phone_number_id": "1", "group_id": g, "type": "image", "image": {"id": "123"}, "context": {"message_id": w}}),
            vec![
                "/phone_number_id",
                "/group_id",
                "/image/id",
                "/context/message_id",
            ],
        ),
        (
            Operation::PinMessage,
            json!({"phone_number_id": "1", "group_id": g, "pin": {"message_id": w, "expiration_days": 2}}),
            vec!["/phone_number_id", "/group_id", "/pin/message_id"],
        ),
        (
            Operation::UnpinMessage,
            json!({"phone_number_id": "1", "group_id": g, "pin": {"message_id": w}}),
            vec!["/phone_number_id", "/group_id", "/pin/message_id"],
        ),
        (
            Operation::SendInviteLinkTemplate,
            json!({"phone_number_id": "1", "to": "+14155550100", "template": {"name": "t", "language": {"code": "en"},
            "components": [{"type": "body", "parameters": [{"type": "group_id", "group_id": g}]}]}}),
            vec![
                "/phone_number_id",
                "/template/components/0/parameters/0/group_id",
            ],
        ),
    ];
    let mut cases = cases;
    cases.extend([
        (
            Operation::UploadMedia,
            json!({"phone_number_id": "1", "type": "text/plain", "file": "aGk="}),
            vec!["/phone_number_id"],
        ),
        (
            Operation::GetMedia,
            json!({"media_id": "1", "phone_number_id": "2"}),
            vec!["/media_id", "/phone_number_id"],
        ),
        (
            Operation::DeleteMedia,
            json!({"media_id": "1", "phone_number_id": "2"}),
            vec!["/media_id", "/phone_number_id"],
        ),
        (
            Operation::GetMessageAnalytics,
            json!({"waba_id": "1", "start": 1, "end": 2, "granularity": "DAY"}),
            vec!["/waba_id"],
        ),
        (
            Operation::GetPricingAnalytics,
            json!({"waba_id": "1", "start": 1, "end": 2, "granularity": "DAILY"}),
            vec!["/waba_id"],
        ),
    ]);
    #[cfg(feature = "unstable-add-participants")]
    let cases = {
        let mut cases = cases;
        cases.push((
            Operation::AddParticipants,
            json!({"group_id": g, "participants": [{"user": "14155550173"}]}),
            vec!["/group_id"],
        ));
        cases
    };
    let mut covered: HashSet<Operation> = HashSet::new();
    for (op, params, pointers) in &cases {
        build_request(*op, params, &Config::default()).unwrap_or_else(|e| panic!("{op}: {e}"));
        for pointer in pointers {
            for dots in [".", ".."] {
                let mut bad = params.clone();
                *bad.pointer_mut(pointer).unwrap() = json!(dots);
                let Err(Error::Validation(e)) = build_request(*op, &bad, &Config::default()) else {
                    panic!("{op}: {pointer} = {dots:?} was not refused");
                };
                assert!(
                    e.errors.iter().any(|f| f.code == Code::InvalidId),
                    "{op} {pointer}: {e}"
                );
            }
        }
        covered.insert(*op);
    }
    let picture = build_set_group_picture(
        &PictureParams {
            group_id: "..",
            file: &jpeg(192),
            filename: None,
            boundary: None,
        },
        &Config::default(),
    );
    assert!(matches!(picture, Err(Error::Validation(e)) if e.errors[0].code == Code::InvalidId));
    covered.insert(Operation::SetGroupPicture);
    // A download takes a whole URL, held to Meta's hosts (its own test): a dot segment in
    // its path cannot leave them.
    covered.insert(Operation::DownloadMedia);
    for op in Operation::ALL {
        assert!(covered.contains(op), "{op} is not covered by this test");
    }
}

#[test]
fn parameters_nested_too_deep_are_refused_with_a_path() {
    let mut v = json!(1);
    for _ in 0..wagroups::MAX_PARAMS_DEPTH {
        v = json!([v]);
    }
    // The top object is level 1, so `extra` at level 65 is one too deep.
    let err = build_request(
        Operation::DeleteGroup,
        &json!({"group_id": "G", "extra": v}),
        &Config::default(),
    )
    .unwrap_err();
    let Error::Validation(e) = err else {
        panic!("expected validation")
    };
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].code, Code::TooDeep);
    assert!(
        e.errors[0].path.starts_with("extra[0][0]"),
        "{}",
        e.errors[0].path
    );
    // One level less is an ordinary (unknown parameter) error, not too_deep.
    let mut ok = json!(1);
    for _ in 0..wagroups::MAX_PARAMS_DEPTH - 1 {
        ok = json!([ok]);
    }
    let err = build_request(
        Operation::DeleteGroup,
        &json!({"group_id": "G", "extra": ok}),
        &Config::default(),
    )
    .unwrap_err();
    let Error::Validation(e) = err else {
        panic!("expected validation")
    };
    assert_eq!(e.errors[0].code, Code::UnknownParameter);
}

/// Each media kind's limit, at the limit and one byte over, through the real builder (the
/// corpus holds only small files).
#[test]
fn media_uploads_stop_at_their_kind_limit() {
    use wagroups::{build_request_with_file, media::media_limit, media::MediaKind};
    let mp4_head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    let webp_animated = b"RIFF\x1e\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x02\x00\x00\x00".to_vec();
    let cases: [(&str, Vec<u8>, MediaKind, bool, usize); 4] = [
        (
            "image/png",
            b"\x89PNG\r\n\x1a\n".to_vec(),
            MediaKind::Image,
            false,
            5 << 20,
        ),
        ("video/mp4", mp4_head, MediaKind::Video, false, 16 << 20),
        (
            "audio/amr",
            b"#!AMR\n".to_vec(),
            MediaKind::Audio,
            false,
            16 << 20,
        ),
        (
            "image/webp",
            webp_animated,
            MediaKind::Sticker,
            true,
            500 << 10,
        ),
    ];
    let config = Config::default();
    for (mime, head, kind, animated, limit) in cases {
        assert_eq!(media_limit(kind, animated), limit, "{mime}");
        let params = json!({"phone_number_id": "1", "type": mime});
        let mut file = head.clone();
        file.resize(limit, 0);
        let at_limit =
            build_request_with_file(Operation::UploadMedia, &params, Some(&file), &config);
        assert!(at_limit.is_ok(), "{mime} at {limit} bytes: {at_limit:?}");
        file.push(0);
        match build_request_with_file(Operation::UploadMedia, &params, Some(&file), &config) {
            Err(Error::Validation(e)) => {
                assert_eq!(e.errors[0].code, Code::MediaTooLarge, "{mime}")
            }
            other => panic!("{mime} over the limit: {other:?}"),
        }
    }
    assert_eq!(media_limit(MediaKind::Document, false), 100 << 20);
    assert_eq!(media_limit(MediaKind::Sticker, false), 100 << 10);
}

/// The token goes only to Meta's media hosts, however the URL is dressed up.
#[test]
fn downloads_carry_the_token_only_to_meta_hosts() {
    let config = Config::default().with_token(AccessToken::new(SECRET).unwrap());
    for url in [
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
        "https://LOOKASIDE.FBSBX.COM/x",
        "https://mmg.whatsapp.net/d/f/x.enc",
        "https://scontent-iad3-1.xx.fbcdn.net/m1/v/t6/x",
    ] {
        let req = build_request(Operation::DownloadMedia, &json!({ "url": url }), &config).unwrap();
        assert_eq!(req.url, url);
        assert!(req.header("authorization").is_some());
    }
    for url in [
        "https://fbcdn.net.evil.example/x",
        "https://.fbcdn.net/x",
        "https://lookaside.fbsbx.com.evil.example/x",
        "https://user:pw@lookaside.fbsbx.com/x",
        "https://lookaside.fbsbx.com%2f@evil.example/x",
        "https://evil.example#@lookaside.fbsbx.com/",
        "https://evil.example?@lookaside.fbsbx.com/",
        "https://lookaside.fbsbx.com\t/x",
        "ftp://lookaside.fbsbx.com/x",
        "",
    ] {
        let err = build_request(Operation::DownloadMedia, &json!({ "url": url }), &config);
        assert!(err.is_err(), "{url:?} must be refused");
        assert!(!format!("{err:?}").contains(SECRET));
    }
}
