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
