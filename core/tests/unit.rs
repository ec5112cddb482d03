//! Focused checks of single rules: secrets, encoding, versions, counting, the catalog.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashSet;

use serde_json::json;
use wagroups::{
    build_request, build_set_group_picture, char_len, error_catalog, AccessToken, Config, Error,
    Operation, PictureParams,
};

const SECRET: &str = "EAAGsecretTOKEN123";

#[test]
fn the_token_never_shows_in_debug_display_or_errors() {
    let config = Config::new("v23.0")
        .unwrap()
        .with_token(AccessToken::new(SECRET));
    assert!(!format!("{config:?}").contains(SECRET));
    assert!(!format!("{}", AccessToken::new(SECRET)).contains(SECRET));
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
        group_id: "G/1",
        file: &bytes,
        filename: None,
        boundary: None,
    };
    let a = build_set_group_picture(&params, &Config::default()).unwrap();
    let b = build_set_group_picture(&params, &Config::default()).unwrap();
    assert_eq!(a, b, "the derived boundary depends on the content only");
    assert_eq!(a.url, "https://graph.facebook.com/v23.0/G%2F1");
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
    let codes: Vec<&str> = v.errors.iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        [
            "empty_value",
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
    for e in error_catalog() {
        assert!(codes.insert(e.code), "duplicate code {}", e.code);
        assert!(
            e.code
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
            "api_permission"
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
        assert_eq!(Operation::ALL.len(), 17);
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
    assert_eq!(err.errors[0].code, "invalid_format");
    assert_eq!(err.errors[0].path, "access_token");
    assert!(!err.to_string().contains("Evil"), "the token is not echoed");
    assert!(Config::from_json(&json!({"access_token": ""})).is_err());
}
