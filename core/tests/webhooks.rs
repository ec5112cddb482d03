//! Webhooks: signatures against Meta's vectors and RFC 4231, nothing lost, unknown members kept
//! at every level, dedup keys, large batches, arbitrary input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use hmac::{Hmac, Mac};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use wagroups::webhook::{
    parse_query, verify_host_macs, verify_signature_macs, verify_subscription,
};
use wagroups::{error::Code, parse_webhook, verify_signature, AppSecret, Error};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn metas_signature_vectors() {
    let path = common::examples_dir().join("signature.vectors.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let secret = AppSecret::new(doc["app_secret"].as_str().unwrap());
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 7);
    for v in vectors {
        let ok = verify_signature(
            v["raw_body"].as_str().unwrap().as_bytes(),
            v["x_hub_signature_256"].as_str(),
            std::slice::from_ref(&secret),
        )
        .is_ok();
        assert_eq!(ok, v["expect"] == "accept", "{}", v["name"]);
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// RFC 4231 HMAC-SHA256 test cases 1, 2, 3, 4, 6 and 7 (5 truncates the output).
#[test]
fn rfc4231_vectors() {
    let aa131 = "aa".repeat(131);
    let cases: [(String, Vec<u8>, &str); 6] = [
        ("0b".repeat(20), b"Hi There".to_vec(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (hex(b"Jefe"), b"what do ya want for nothing?".to_vec(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ("aa".repeat(20), vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819".into(), vec![0xcd; 50], "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (aa131.clone(), b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (aa131, b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ];
    for (key, data, digest) in cases {
        let secret = AppSecret::new(unhex(&key));
        let header = format!("sha256={digest}");
        assert!(
            verify_signature(&data, Some(&header), std::slice::from_ref(&secret)).is_ok(),
            "{digest}"
        );
        let mut wrong = data.clone();
        wrong.push(b'!');
        assert!(verify_signature(&wrong, Some(&header), &[secret]).is_err());
    }
}

fn hmac_of(secret: &[u8], body: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().into()
}

proptest! {
    /// With the MACs computed elsewhere (Node's crypto in the npm package), every outcome is the
    /// one the crate's own HMAC gives: same accept, same error code.
    #[test]
    fn macs_from_the_host_decide_as_the_crate_does(
        body in proptest::collection::vec(any::<u8>(), 0..300),
        secrets in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..4),
        signer in 0usize..4,
        header_kind in 0u8..4,
    ) {
        let header = match (header_kind, secrets.get(signer)) {
            (0, _) => None,
            (1, _) => Some("sha256=zz".to_owned()),
            (2, Some(s)) => Some(format!("sha256={}", hex(&hmac_of(s, &body)))),
            _ => Some(format!("sha256={}", "ab".repeat(32))),
        };
        let app: Vec<AppSecret> = secrets.iter().map(AppSecret::new).collect();
        let macs: Vec<[u8; 32]> = secrets.iter().map(|s| hmac_of(s, &body)).collect();
        let own = verify_signature(&body, header.as_deref(), &app).map_err(|e| e.code);
        let lent = verify_signature_macs(header.as_deref(), &app, &macs).map_err(|e| e.code);
        prop_assert_eq!(&own, &lent);
        // The host that keeps its secrets computes MACs only when every secret is non-empty
        // (else the crate's own check runs): then it decides the same.
        if !secrets.is_empty() && secrets.iter().all(|s| !s.is_empty()) {
            let hosted = verify_host_macs(header.as_deref(), &macs).map_err(|e| e.code);
            prop_assert_eq!(own, hosted);
        }
    }
}

#[test]
fn macs_must_match_the_secrets_in_number() {
    let body = b"{}";
    let header = format!("sha256={}", hex(&hmac_of(b"s", body)));
    let app = [AppSecret::new("s")];
    assert!(verify_signature_macs(Some(&header), &app, &[hmac_of(b"s", body)]).is_ok());
    assert!(verify_signature_macs(Some(&header), &app, &[]).is_err());
    let two = [hmac_of(b"t", body), hmac_of(b"s", body)];
    assert!(verify_signature_macs(Some(&header), &app, &two).is_err());
}

#[test]
fn host_macs_need_one_mac_and_whole_ones() {
    let body = b"{}";
    let header = format!("sha256={}", hex(&hmac_of(b"s", body)));
    let mac = hmac_of(b"s", body);
    assert!(verify_host_macs(Some(&header), &[mac]).is_ok());
    assert!(verify_host_macs(Some(&header), &[hmac_of(b"t", body), mac]).is_ok());
    assert_eq!(
        verify_host_macs(Some(&header), &[]).map_err(|e| e.code),
        Err(Code::AppSecretMissing)
    );
    assert_eq!(
        verify_host_macs(None, &[mac]).map_err(|e| e.code),
        Err(Code::SignatureMissing)
    );
    let json = |macs: &[u8]| wagroups::json_api::verify_host_macs_json(Some(&header), macs);
    assert!(json(&mac).is_ok());
    assert!(json(&mac[..31]).is_err());
    assert!(json(&[0; 32]).is_err());
}

#[test]
fn the_expected_digest_and_the_secret_never_show() {
    let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    let secret = "6f1d2c9a8b7e4f3a0c5d9e8b7a6f5c41";
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let expected = hex(&mac.finalize().into_bytes());
    let err = verify_signature(
        body,
        Some(&format!("sha256={}", "0".repeat(64))),
        &[AppSecret::new(secret)],
    )
    .unwrap_err();
    let shown = format!("{err:?} {err} {}", Error::from(err.clone()).to_json());
    assert!(
        !shown.contains(&expected) && !shown.contains(secret),
        "{shown}"
    );
    assert_eq!(err.code, Code::SignatureMismatch);
    assert_eq!(
        format!("{:?}", AppSecret::new(secret)),
        "AppSecret(<redacted>)"
    );
}

#[test]
fn the_handshake_decodes_the_query_and_echoes_the_challenge() {
    let q = parse_query("hub.mode=subscribe&hub.challenge=a%20b+c&hub.verify_token=t%26k");
    assert_eq!(verify_subscription(&q, "t&k").unwrap(), "a b c");
    assert_eq!(
        verify_subscription(&q, "t&K").unwrap_err().code,
        Code::SubscriptionTokenMismatch
    );
    assert_eq!(
        verify_subscription(&q, "t&k ").unwrap_err().code,
        Code::SubscriptionTokenMismatch
    );
}

/// Items a delivery holds: every element of groups/messages/statuses/errors, and one per change
/// that holds none of them (it becomes one unknown event).
fn count_items(delivery: &Value) -> usize {
    let mut n = 0;
    for entry in delivery["entry"].as_array().into_iter().flatten() {
        for change in entry["changes"].as_array().into_iter().flatten() {
            let value = &change["value"];
            let field = change["field"].as_str().unwrap_or("");
            let keys: &[&str] = match field {
                "messages" => &["messages", "statuses", "errors"],
                f if f.starts_with("group_") && !f.ends_with("pins_update") => &["groups"],
                _ => &[],
            };
            let items: usize = keys
                .iter()
                .map(|k| value[*k].as_array().map_or(0, Vec::len))
                .sum();
            n += items.max(1);
        }
    }
    n
}

fn items_in_order(delivery: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for entry in delivery["entry"].as_array().into_iter().flatten() {
        for change in entry["changes"].as_array().into_iter().flatten() {
            let field = change["field"].as_str().unwrap_or("");
            if let Some(v) = change["value"].as_object() {
                for (k, arr) in v {
                    let is_items = match field {
                        "messages" => ["messages", "statuses", "errors"].contains(&k.as_str()),
                        f if f.starts_with("group_") && !f.ends_with("pins_update") => {
                            k == "groups"
                        }
                        _ => false,
                    };
                    if is_items {
                        out.extend(arr.as_array().into_iter().flatten().cloned());
                    }
                }
            }
        }
    }
    out
}

fn webhook_bodies() -> Vec<(String, String)> {
    common::cases()
        .into_iter()
        .filter(|(_, c)| c["input"]["kind"] == "webhook" && c["expect"].get("ok").is_some())
        .map(|(name, c)| {
            (
                name,
                String::from_utf8(common::body_bytes(&c["input"])).unwrap(),
            )
        })
        .collect()
}

/// Where `part` sits inside `whole`, when it is a slice of it.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

#[test]
fn nothing_is_lost_and_raw_is_the_exact_slice() {
    let bodies = webhook_bodies();
    assert!(bodies.len() >= 50, "{}", bodies.len());
    for (name, body) in bodies {
        let batch = parse_webhook(body.as_bytes()).unwrap();
        // Each raw is the exact bytes its item had in the delivery.
        for e in &batch.events {
            let raw = e.raw.get();
            match offset_in(&body, raw) {
                Some(at) => assert_eq!(&body[at..at + raw.len()], raw),
                // Only a change without any value has nothing in the body to point at.
                None => assert_eq!(raw, "null", "{name}: raw is not a slice of the body"),
            }
        }
        // Events refer to their change, and changes to their entry.
        for e in &batch.events {
            let change = &batch.changes[e.change];
            assert_eq!(e.field, change.field, "{name}");
            assert!(change.entry < batch.entries.len(), "{name}");
        }
        // serde_json::Value refuses the 10,000-deep member and lone surrogates: skip the
        // comparison below for those two.
        let Ok(delivery) = serde_json::from_str::<Value>(&body) else {
            assert!(
                name.contains("absurd_nesting") || name.contains("lone_surrogates"),
                "{name}"
            );
            continue;
        };
        assert_eq!(
            batch.events.len(),
            count_items(&delivery),
            "{name}: events vs items"
        );
        // Every item comes back, in order.
        let items = items_in_order(&delivery);
        let raws: Vec<Value> = batch
            .events
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(e.raw.get()).ok())
            .filter(|v| items.contains(v))
            .collect();
        assert_eq!(raws, items, "{name}: items lost or out of order");
    }
}

/// Add `x_probe_N` to every object of the document; returns the names added.
fn inject(v: &mut Value, n: &mut usize, names: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for child in m.values_mut() {
                inject(child, n, names);
            }
            let name = format!("x_probe_{n}");
            *n += 1;
            m.insert(name.clone(), json!({"kept": true}));
            names.push(name);
        }
        Value::Array(a) => a.iter_mut().for_each(|c| inject(c, n, names)),
        _ => {}
    }
}

/// How often `name` (not a prefix of a longer probe name) occurs in `text`.
fn occurrences(text: &str, name: &str) -> usize {
    text.match_indices(name)
        .filter(|(i, _)| !text[i + name.len()..].starts_with(|c: char| c.is_ascii_digit()))
        .count()
}

/// Unknown members at every level survive, and none is copied per event: each appears once or
/// twice in the output (inside `raw`, or in its change's `unknown`; an unknown field's value is
/// both its event's `raw` and its change's `unknown.value`).
#[test]
fn unknown_members_at_every_level_are_kept_once_or_twice() {
    let mut checked = 0;
    for (name, body) in webhook_bodies() {
        let Ok(mut delivery) = serde_json::from_str::<Value>(&body) else {
            continue; // beyond serde_json::Value's recursion limit (the absurd nesting case)
        };
        let before = parse_webhook(body.as_bytes()).unwrap().events.len();
        let mut names = Vec::new();
        inject(&mut delivery, &mut 0, &mut names);
        let mutated = serde_json::to_vec(&delivery).unwrap();
        let batch = parse_webhook(&mutated).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            batch.events.len(),
            before,
            "{name}: the event count changed"
        );
        let text = serde_json::to_string(&batch).unwrap();
        for probe in &names {
            let n = occurrences(&text, probe);
            assert!((1..=2).contains(&n), "{name}: {probe} appears {n} times");
        }
        checked += names.len();
    }
    assert!(checked > 400, "only {checked} members injected");
}

/// The output's JSON text over the input's length.
fn amplification(body: &[u8]) -> f64 {
    let batch = parse_webhook(body).unwrap();
    serde_json::to_string(&batch).unwrap().len() as f64 / body.len() as f64
}

/// One 100 KB unknown member at the top and 1,000 changes with empty values: the member is given
/// once, not once per event.
fn padded_top_and_empty_changes(pad: usize, changes: usize) -> Vec<u8> {
    let change: Vec<Value> = (0..changes)
        .map(|_| json!({"field": "messages", "value": {}}))
        .collect();
    serde_json::to_vec(
        &json!({"object": "whatsapp_business_account", "x_pad": "p".repeat(pad),
        "entry": [{"id": "1", "changes": change}]}),
    )
    .unwrap()
}

/// One contact padded to 100 KB and 1,000 messages from it: the contact is given once.
fn padded_contact_and_messages(pad: usize, messages: usize) -> Vec<u8> {
    let msgs: Vec<Value> = (0..messages)
        .map(|i| json!({"from": "447700900318", "group_id": "G1", "id": format!("wamid.{i}"), "timestamp": "1", "type": "text", "text": {"body": "hi"}}))
        .collect();
    serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp",
            "contacts": [{"profile": {"name": "Imogen"}, "wa_id": "447700900318", "x_pad": "p".repeat(pad)}],
            "messages": msgs}}]}]}))
    .unwrap()
}

#[test]
fn output_stays_a_small_multiple_of_the_input() {
    for (pad, n) in [(100_000, 1_000), (1_000_000, 1_000), (4_000_000, 10_000)] {
        let a = padded_top_and_empty_changes(pad, n);
        let ratio = amplification(&a);
        assert!(
            ratio < 4.0,
            "padded top member, {} bytes: {ratio:.2}x",
            a.len()
        );
        let b = padded_contact_and_messages(pad, n);
        let ratio = amplification(&b);
        assert!(
            ratio < 4.0,
            "padded contact, {} bytes: {ratio:.2}x",
            b.len()
        );
    }
}

#[test]
fn limits_refuse_before_work_and_are_adjustable() {
    use wagroups::webhook::{parse_webhook_with, WebhookLimits};
    let body = padded_contact_and_messages(10, 3);
    let tight = WebhookLimits {
        max_bytes: body.len() - 1,
        ..WebhookLimits::default()
    };
    assert_eq!(
        parse_webhook_with(&body, &tight).unwrap_err().code,
        Code::WebhookTooLarge
    );
    let exact = WebhookLimits {
        max_bytes: body.len(),
        max_items: 3,
    };
    assert_eq!(parse_webhook_with(&body, &exact).unwrap().events.len(), 3);
    let few = WebhookLimits {
        max_items: 2,
        ..WebhookLimits::default()
    };
    assert_eq!(
        parse_webhook_with(&body, &few).unwrap_err().code,
        Code::WebhookTooLarge
    );
    // The defaults: 8 MiB and 10,000 items.
    let over = padded_top_and_empty_changes(10, 10_001);
    assert_eq!(
        parse_webhook(&over).unwrap_err().code,
        Code::WebhookTooLarge
    );
    let big = padded_top_and_empty_changes(8 * 1024 * 1024, 1);
    assert_eq!(parse_webhook(&big).unwrap_err().code, Code::WebhookTooLarge);
}

#[test]
fn dedup_keys_are_stable_and_distinct() {
    for (name, body) in webhook_bodies() {
        let a = parse_webhook(body.as_bytes()).unwrap();
        let b = parse_webhook(body.as_bytes()).unwrap();
        let keys: Vec<&str> = a.events.iter().map(|e| e.dedup_key.as_str()).collect();
        assert_eq!(
            keys,
            b.events
                .iter()
                .map(|e| e.dedup_key.as_str())
                .collect::<Vec<_>>()
        );
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        // A repeated item keeps its key: a delivery sent twice, or 1,000 identical empty changes.
        if name.contains("t25_duplicate_delivery")
            || name.contains("amplification_padded_top_member")
        {
            assert_eq!(unique.len(), 1, "{name}: a repeated event keeps its key");
        } else {
            assert_eq!(unique.len(), keys.len(), "{name}: {keys:?}");
        }
    }
}

#[test]
fn a_3_mb_batch_of_1000_items_parses() {
    let statuses: Vec<Value> = (0..1000)
        .map(|i| {
            json!({"id": format!("wamid.{i:06}"), "status": "delivered", "timestamp": "1780940163",
                   "recipient_id": "G", "recipient_type": "group", "recipient_participant_id": format!("1415555{i:04}"),
                   "biz_opaque_callback_data": "x".repeat(2900),
                   "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"}})
        })
        .collect();
    let body = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1", "display_phone_number": "2"}, "statuses": statuses}}]}]}))
    .unwrap();
    assert!(
        body.len() > 3_000_000 && body.len() < 3_200_000,
        "{}",
        body.len()
    );
    let batch = parse_webhook(&body).unwrap();
    assert_eq!(batch.events.len(), 1000);
    let charges: std::collections::HashSet<_> = batch
        .events
        .iter()
        .filter_map(|e| match &e.body {
            wagroups::EventBody::Status(s) => s.charge_key.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(charges.len(), 1000);
}

#[test]
fn the_signature_is_over_the_exact_bytes() {
    let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    let secret = AppSecret::new("k");
    let mut mac = Hmac::<Sha256>::new_from_slice(b"k").unwrap();
    mac.update(body);
    let header = format!("sha256={}", hex(&mac.finalize().into_bytes()));
    assert!(verify_signature(body, Some(&header), std::slice::from_ref(&secret)).is_ok());
    let reserialised =
        serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(body).unwrap()).unwrap();
    assert!(verify_signature(&reserialised, Some(&header), &[secret]).is_err());
    let _ = Sha256::digest(b"");
}

fn envelope_with(value: Value, field: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": field, "value": value}]}]})).unwrap()
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z0-9_.]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("groups".to_owned()),
                    Just("messages".to_owned()),
                    Just("statuses".to_owned()),
                    Just("errors".to_owned()),
                    Just("type".to_owned()),
                    Just("timestamp".to_owned()),
                    Just("pricing".to_owned()),
                    Just("conversation".to_owned()),
                    Just("code".to_owned()),
                    Just("added_participants".to_owned()),
                    Just("group_subject".to_owned()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_give_a_batch_or_a_typed_error(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        match parse_webhook(&bytes) {
            Ok(_) => {}
            Err(e) => prop_assert!(e.code.as_str().starts_with("webhook_")),
        }
        let _ = verify_signature(&bytes, std::str::from_utf8(&bytes).ok(), &[AppSecret::new("s")]);
    }

    /// Whatever the items, the output stays within a fixed multiple of the input: every event
    /// copies at most its own item plus a bounded set of identifiers.
    #[test]
    fn output_is_bounded_by_the_input(
        changes in proptest::collection::vec((any_json(), prop_oneof![Just("messages"), Just("group_lifecycle_update"), Just("x")]), 1..6),
        pad in 0usize..2000,
    ) {
        let change: Vec<Value> = changes.into_iter().map(|(v, f)| json!({"field": f, "value": v, "x": "p".repeat(pad)})).collect();
        let body = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": change}]})).unwrap();
        let batch = parse_webhook(&body).unwrap();
        let out = serde_json::to_string(&batch).unwrap().len();
        prop_assert!(out <= 64 * body.len() + 4096, "{out} bytes out of {}", body.len());
    }

    #[test]
    fn arbitrary_values_inside_a_valid_envelope_never_lose_a_change(value in any_json(),
        field in prop_oneof![Just("messages"), Just("group_lifecycle_update"), Just("group_participants_update"), Just("group_settings_update"), Just("other")]) {
        let body = envelope_with(value, field);
        let batch = parse_webhook(&body).unwrap();
        prop_assert!(!batch.events.is_empty(), "a change produced no event");
        serde_json::to_string(&batch).unwrap();
    }
}
