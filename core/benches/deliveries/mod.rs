//! Deliveries the benches build rather than store.

/// One delivery of 1,000 participant statuses; with `padded`, each carries 2,900 bytes of
/// `biz_opaque_callback_data` (about 3 MB in all).
pub fn statuses(padded: bool) -> Vec<u8> {
    let statuses: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            let mut s = serde_json::json!({"id": format!("wamid.{i:06}"), "status": "delivered", "timestamp": "1780940163",
                "recipient_id": "G", "recipient_type": "group", "recipient_participant_id": format!("1415555{i:04}"),
                "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"}});
            if let (true, Some(o)) = (padded, s.as_object_mut()) {
                o.insert("biz_opaque_callback_data".into(), "x".repeat(2900).into());
            }
            s
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp", "statuses": statuses}}]}]}))
    .unwrap_or_default()
}

/// Meta's webhook examples as vendored beside its OpenAPI file (pretty-printed), or minified.
#[allow(dead_code)] // one of the benches that include this module reads it
pub fn meta_examples(minified: bool) -> Vec<Vec<u8>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vendor/meta-openapi/webhook-examples.json"
    );
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap_or_default()).unwrap_or_default();
    let bodies = file
        .get("deliveries")
        .and_then(|d| d.as_array())
        .cloned()
        .unwrap_or_default();
    let bodies: Vec<Vec<u8>> = bodies
        .iter()
        .filter_map(|d| d.get("body").and_then(|b| b.as_str()))
        .map(|b| match minified {
            false => b.as_bytes().to_vec(),
            true => serde_json::from_str::<serde_json::Value>(b)
                .and_then(|v| serde_json::to_vec(&v))
                .unwrap_or_default(),
        })
        .collect();
    assert!(!bodies.is_empty(), "{path}: no deliveries");
    bodies
}
