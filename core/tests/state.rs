//! Group state folded from deliveries: the lifecycle of one group end to end, idempotence,
//! independence of arrival order, seeding, quotes and pruning.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use serde_json::{json, Value};
use wagroups::state::{GroupState, GroupStatusValue, RecipientStatus, TemplateCategory};
use wagroups::webhook::parse_webhook;

const G: &str = "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD";
const W1: &str = "wamid.HBgLMTU1NTczMTIwNDgVAgARGBJBMDJGNkQ0QjlFN0MxMzU4MEQA";

fn delivery(field: &str, value: Value) -> Vec<u8> {
    let mut value = value;
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] =
        json!({"display_phone_number": "15557312048", "phone_number_id": "427119830566204"});
    json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": field, "value": value}]}]})
        .to_string()
        .into_bytes()
}

fn group(item: Value) -> (String, Value) {
    let field = match item["type"].as_str().unwrap() {
        "group_create" | "group_delete" => "group_lifecycle_update",
        "group_settings_update" => "group_settings_update",
        "group_suspend" | "group_suspend_cleared" => "group_status_update",
        _ => "group_participants_update",
    };
    let mut item = item;
    item["group_id"] = json!(G);
    (field.to_owned(), json!({ "groups": [item] }))
}

fn status(
    status: &str,
    at: i64,
    participant: Option<(&str, &str)>,
    priced: bool,
) -> (String, Value) {
    let mut s = json!({"id": W1, "status": status, "timestamp": at.to_string(), "recipient_id": G, "recipient_type": "group"});
    if let Some((key, id)) = participant {
        s[key] = json!(id);
    }
    if priced {
        s["pricing"] = json!({"billable": true, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"});
    }
    ("messages".to_owned(), json!({ "statuses": [s] }))
}

/// One group's life, one event per delivery, in time order.
fn lifecycle() -> Vec<Vec<u8>> {
    let items = vec![
        group(
            json!({"type": "group_create", "timestamp": "100", "subject": "Crew", "join_approval_mode": "approval_required",
                     "invite_link": "https://chat.whatsapp.com/B4tY"}),
        ),
        group(
            json!({"type": "group_participants_add", "reason": "invite_link", "timestamp": "110",
                     "added_participants": [{"wa_id": "447700900318"}]}),
        ),
        group(
            json!({"type": "group_join_request_created", "timestamp": "120", "join_request_id": "J1",
                     "wa_id": "14155550173", "user_id": "US.62019487731150946682"}),
        ),
        group(
            json!({"type": "group_participants_add", "reason": "invite_link", "timestamp": "130",
                     "added_participants": [{"input": "14155550173", "wa_id": "14155550173", "user_id": "US.62019487731150946682"}]}),
        ),
        group(
            json!({"type": "group_join_request_created", "timestamp": "140", "join_request_id": "J2", "wa_id": "12025550147"}),
        ),
        group(
            json!({"type": "group_join_request_revoked", "timestamp": "150", "join_request_id": "J2", "wa_id": "12025550147"}),
        ),
        group(
            json!({"type": "group_join_request_created", "timestamp": "155", "join_request_id": "J3", "wa_id": "16505550111"}),
        ),
        group(json!({"type": "group_settings_update", "timestamp": "160",
                     "group_subject": {"text": "Crew 2", "update_successful": true},
                     "group_description": {"text": "nope", "update_successful": false}})),
        (
            "messages".to_owned(),
            json!({"messages": [{"from": "447700900318", "group_id": G, "id": "wamid.IN1", "timestamp": "170",
                     "type": "text", "text": {"body": "hi"}}]}),
        ),
        status("sent", 180, None, false),
        status(
            "delivered",
            181,
            Some(("recipient_participant_id", "447700900318")),
            true,
        ),
        status(
            "delivered",
            182,
            Some(("recipient_participant_user_id", "US.62019487731150946682")),
            true,
        ),
        status(
            "read",
            183,
            Some(("recipient_participant_id", "14155550173")),
            true,
        ),
        group(
            json!({"type": "group_participants_remove", "initiated_by": "business", "timestamp": "190",
                     "removed_participants": [{"input": "+447700900318"}]}),
        ),
        group(json!({"type": "group_suspend", "timestamp": "200"})),
        group(json!({"type": "group_suspend_cleared", "timestamp": "210"})),
    ];
    items.into_iter().map(|(f, v)| delivery(&f, v)).collect()
}

fn fold(deliveries: &[Vec<u8>], order: &[usize]) -> (GroupState, usize) {
    let mut s = GroupState::new(G);
    let mut changes = 0;
    for &i in order {
        let batch = parse_webhook(&deliveries[i]).unwrap();
        changes += s.apply(&batch.events).changes.len();
    }
    (s, changes)
}

#[test]
fn a_groups_life_folds_into_what_a_business_needs() {
    let d = lifecycle();
    let order: Vec<usize> = (0..d.len()).collect();
    let (s, _) = fold(&d, &order);
    assert_eq!(s.status, GroupStatusValue::Active);
    assert_eq!(s.subject.as_deref(), Some("Crew 2"));
    assert_eq!(
        s.description, None,
        "a setting that did not apply changes nothing"
    );
    assert_eq!(s.join_approval_mode.as_deref(), Some("approval_required"));
    // The first member was removed (given as +447…); the approved requester stays.
    assert_eq!(s.participants.len(), 1);
    assert_eq!(
        s.participants[0].user_id.as_deref(),
        Some("US.62019487731150946682")
    );
    assert_eq!(s.participants[0].since, 130);
    let pending: Vec<&str> = s
        .pending_join_requests
        .iter()
        .map(|r| r.join_request_id.as_str())
        .collect();
    assert_eq!(pending, ["J3"], "J1 approved, J2 revoked");
    assert_eq!(s.service_window_until, Some(170 + 86_400));
    let m = &s.messages[W1];
    assert_eq!(m.sent_at, Some(180));
    // Both spellings of the second participant are one recipient, read (implies delivered).
    assert_eq!(m.recipients.len(), 2, "{:?}", m.recipients.keys());
    assert_eq!(
        m.recipients["US.62019487731150946682"].status,
        RecipientStatus::Read
    );
    assert_eq!(
        m.recipients["447700900318"].status,
        RecipientStatus::Delivered
    );
    assert_eq!(
        (m.billable_deliveries, m.free_deliveries),
        (2, 0),
        "one charge per participant"
    );
    assert_eq!(s.totals["group_marketing"].billable_deliveries, 2);
    // Round trip through JSON.
    let back: GroupState = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
    assert_eq!(back, s);
}

#[test]
fn the_same_delivery_twice_changes_nothing_the_second_time() {
    let d = lifecycle();
    let order: Vec<usize> = (0..d.len()).collect();
    let (once, _) = fold(&d, &order);
    let mut twice = once.clone();
    for body in &d {
        let batch = parse_webhook(body).unwrap();
        let applied = twice.apply(&batch.events);
        assert!(applied.changes.is_empty(), "{:?}", applied.changes);
    }
    assert_eq!(twice, once);
}

#[test]
fn events_of_other_groups_and_unknown_items_are_reported_as_ignored() {
    let other = delivery(
        "group_status_update",
        json!({"groups": [{"group_id": "OTHER", "type": "group_suspend", "timestamp": "5"}]}),
    );
    let mut s = GroupState::new(G);
    let applied = s.apply(&parse_webhook(&other).unwrap().events);
    assert!(applied.changes.is_empty());
    assert_eq!(applied.ignored[0].reason, "another group");
    assert_eq!(s, GroupState::new(G));
}

#[test]
fn seeding_from_group_info_is_not_undone_by_older_events() {
    let reply = json!({"id": G, "subject": "Seeded", "participants": [{"wa_id": "447700900318"}], "suspended": false});
    let info = match wagroups::parse_response(
        wagroups::Operation::GetGroupInfo,
        200,
        &[],
        reply.to_string().as_bytes(),
    )
    .unwrap()
    {
        wagroups::Reply::GroupInfo(i) => i,
        other => panic!("{other:?}"),
    };
    let mut s = GroupState::seed_from_group_info(&info, 1_000);
    let old = delivery(
        "group_participants_update",
        group(
            json!({"type": "group_participants_remove", "timestamp": "900",
        "removed_participants": [{"wa_id": "447700900318"}]}),
        )
        .1,
    );
    let older_subject = delivery(
        "group_settings_update",
        group(json!({"type": "group_settings_update", "timestamp": "900",
        "group_subject": {"text": "Old", "update_successful": true}}))
        .1,
    );
    s.apply(&parse_webhook(&old).unwrap().events);
    s.apply(&parse_webhook(&older_subject).unwrap().events);
    assert_eq!(s.participants.len(), 1);
    assert_eq!(s.subject.as_deref(), Some("Seeded"));
}

#[test]
fn quotes_follow_the_window_and_the_october_2026_rules() {
    let d = lifecycle();
    let (s, _) = fold(&d, &(0..d.len()).collect::<Vec<_>>());
    let before = 1_790_000_000; // September 2026
    let after = 1_795_000_000;
    let open = s.service_window_until.unwrap() - 1;
    let _ = open;
    let mut s = s;
    s.service_window_until = Some(after + 10);
    let q = s.quote_message(after, TemplateCategory::Utility);
    assert_eq!(
        (q.pricing_types.clone(), q.deliveries, q.rules),
        (vec!["regular"], 1, "from_2026_10_01")
    );
    s.service_window_until = Some(before + 10);
    let q = s.quote_message(before, TemplateCategory::Utility);
    assert_eq!(q.pricing_types, vec!["free_group_customer_service"]);
    assert_eq!(q.billable_deliveries_max, 0);
    let q = s.quote_message(before + 20, TemplateCategory::None);
    assert!(!q.allowed && !q.window_open, "{q:?}");
    assert!(
        !s.quote_message(after, TemplateCategory::Authentication)
            .allowed
    );
    let q = s.quote_message(before + 20, TemplateCategory::Marketing);
    assert_eq!(
        (q.pricing_category, q.billable_deliveries_min),
        (Some("group_marketing"), 1)
    );
}

#[test]
fn pruning_drops_old_messages_and_keeps_totals() {
    let d = lifecycle();
    let (mut s, _) = fold(&d, &(0..d.len()).collect::<Vec<_>>());
    let totals = s.totals.clone();
    s.prune(183 + 10, 5);
    assert!(s.messages.is_empty());
    assert_eq!(s.totals, totals);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_arrival_order_gives_the_same_state(order in Just((0..16).collect::<Vec<usize>>()).prop_shuffle()) {
        let d = lifecycle();
        let (in_order, _) = fold(&d, &(0..d.len()).collect::<Vec<_>>());
        let (shuffled, _) = fold(&d, &order);
        prop_assert_eq!(serde_json::to_value(&shuffled).unwrap(), serde_json::to_value(&in_order).unwrap());
    }

    #[test]
    fn applying_twice_in_any_order_changes_nothing_more(order in Just((0..16).collect::<Vec<usize>>()).prop_shuffle()) {
        let d = lifecycle();
        let (s, _) = fold(&d, &order);
        let mut again = s.clone();
        for &i in &order {
            prop_assert!(again.apply(&parse_webhook(&d[i]).unwrap().events).changes.is_empty());
        }
        prop_assert_eq!(again, s);
    }

    #[test]
    fn pruning_never_touches_totals(now in 0i64..400, keep in 0i64..300) {
        let d = lifecycle();
        let (mut s, _) = fold(&d, &(0..d.len()).collect::<Vec<_>>());
        let totals = s.totals.clone();
        s.prune(now, keep);
        prop_assert_eq!(s.totals, totals);
    }
}

/// A status of message `W1` for one of three people, under the ids `ids` says (0: phone, 1:
/// BSUID, 2: both), priced (regular or free) or not.
fn mixed_status(person: usize, ids: u8, delivered: bool, pricing: u8, at: i64) -> Vec<u8> {
    let phone = format!("1415555010{person}");
    let user = format!("US.9000{person}");
    let mut s = json!({"id": W1, "status": if delivered { "delivered" } else { "read" }, "timestamp": at.to_string(),
        "recipient_id": G, "recipient_type": "group"});
    if ids != 1 {
        s["recipient_participant_id"] = json!(phone);
    }
    if ids != 0 {
        s["recipient_participant_user_id"] = json!(user);
    }
    match pricing {
        1 => {
            s["pricing"] = json!({"billable": true, "pricing_model": "PMP", "type": "regular", "category": "group_marketing"})
        }
        2 => {
            s["pricing"] = json!({"billable": false, "pricing_model": "PMP", "type": "free_group_customer_service", "category": "group_marketing"})
        }
        _ => {}
    }
    delivery("messages", json!({ "statuses": [s] }))
}

/// A membership fact of one of two people at `at`: joined, or left.
fn membership(person: usize, joined: bool, at: i64) -> Vec<u8> {
    let who = json!([{"wa_id": format!("4477009003{person:02}")}]);
    let item = if joined {
        json!({"type": "group_participants_add", "reason": "invite_link", "timestamp": at.to_string(), "added_participants": who})
    } else {
        json!({"type": "group_participants_remove", "initiated_by": "participant", "timestamp": at.to_string(), "removed_participants": who})
    };
    let (field, value) = group(item);
    delivery(&field, value)
}

fn fold_into(mut s: GroupState, deliveries: &[Vec<u8>]) -> GroupState {
    for d in deliveries {
        s.apply(&parse_webhook(d).unwrap().events);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whichever ids each status carries (one status per person carries both, so the two
    /// spellings can be known as one person), in any arrival order: one recipient and one
    /// charge per person who had a priced status, the totals agreeing.
    #[test]
    fn one_charge_per_delivery_whatever_ids_and_order(
        statuses in proptest::collection::vec((0usize..3, 0u8..3, any::<bool>(), 0u8..3, 0i64..5), 1..10),
        seed in any::<u64>(),
    ) {
        let mut all: Vec<Vec<u8>> = statuses
            .iter()
            .map(|&(p, ids, delivered, pricing, at)| mixed_status(p, ids, delivered, pricing, 100 + at))
            .collect();
        let people: std::collections::BTreeSet<usize> = statuses.iter().map(|s| s.0).collect();
        for &p in &people {
            all.push(mixed_status(p, 2, true, 0, 100));
        }
        let priced: std::collections::BTreeSet<usize> =
            statuses.iter().filter(|s| s.3 != 0).map(|s| s.0).collect();
        let in_order = fold_into(GroupState::new(G), &all);
        // The same statuses in an order drawn from the seed.
        let mut shuffled = all.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            shuffled.swap(i, usize::try_from(x % (i as u64 + 1)).unwrap());
        }
        let other = fold_into(GroupState::new(G), &shuffled);
        prop_assert_eq!(serde_json::to_value(&other).unwrap(), serde_json::to_value(&in_order).unwrap());
        let record = &in_order.messages[W1];
        prop_assert_eq!(record.recipients.len(), people.len());
        let charged = record.billable_deliveries + record.free_deliveries;
        prop_assert_eq!(charged, priced.len() as u64);
        let totals: u64 = in_order.totals.values().map(|t| t.billable_deliveries + t.free_deliveries).sum();
        prop_assert_eq!(totals, charged);
        let billable_total: u64 = in_order.totals.values().map(|t| t.billable_deliveries).sum();
        prop_assert_eq!(billable_total, record.billable_deliveries);
    }

    /// A seeded state is a snapshot: membership facts at or before it change nothing, later
    /// ones apply (the latest wins, a departure at the same second as a join), in any order.
    #[test]
    fn a_seed_is_a_snapshot_in_any_order(
        facts in proptest::collection::vec((0usize..2, any::<bool>(), 990i64..1010), 0..8),
        order in Just((0..8).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let seeded_at = 1000;
        let info = match wagroups::parse_response(
            wagroups::Operation::GetGroupInfo, 200, &[],
            json!({"id": G, "participants": [{"wa_id": "447700900300"}]}).to_string().as_bytes(),
        ).unwrap() {
            wagroups::Reply::GroupInfo(i) => i,
            other => panic!("{other:?}"),
        };
        let deliveries: Vec<Vec<u8>> = facts.iter().map(|&(p, j, at)| membership(p, j, at)).collect();
        let shuffled: Vec<Vec<u8>> = order.iter().filter(|&&i| i < deliveries.len()).map(|&i| deliveries[i].clone()).collect();
        let a = fold_into(GroupState::seed_from_group_info(&info, seeded_at), &deliveries);
        let b = fold_into(GroupState::seed_from_group_info(&info, seeded_at), &shuffled);
        prop_assert_eq!(&a, &b);
        for person in 0..2 {
            // The latest fact after the snapshot decides; a departure wins a tie.
            let latest = facts
                .iter()
                .filter(|f| f.0 == person && f.2 > seeded_at)
                .map(|f| (f.2, !f.1))
                .max();
            let expected = match latest {
                Some((_, left)) => !left,
                None => person == 0,
            };
            let wa = format!("4477009003{person:02}");
            let member = a.participants.iter().any(|m| m.wa_id.as_deref() == Some(wa.as_str()));
            prop_assert_eq!(member, expected, "person {} facts {:?}", person, facts);
        }
    }
}
