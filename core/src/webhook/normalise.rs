//! Walk a delivery (entry → changes → items) and turn every item into an [`Event`], in order.
//! The envelope must have its documented shape; inside it, anything unexpected becomes an
//! `unknown` event with its raw JSON, never an error and never dropped.

use crate::error::Code;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::event::*;
use super::WebhookError;
use crate::wire::Outcome;
use crate::wire::{
    lenient_i64, lenient_id, list_or_null, ErrorObject, Extra, JoinApprovalMode, Participant,
};

/// Where an item sits: what every event of one change shares.
struct Place {
    field: String,
    waba_id: Option<String>,
    phone_number_id: Option<String>,
    display_phone_number: Option<String>,
    /// Shared by every event of the change (cloning an `Arc`, not the map).
    envelope: Option<Arc<Map<String, Value>>>,
    contacts: Vec<Value>,
}

fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// Meta's OpenAPI file spells some names differently from the guides; both read the same.
fn documented_field(field: &str) -> &str {
    match field {
        "group_participant_update" => "group_participants_update",
        other => other,
    }
}

fn documented_type(ty: &str) -> &str {
    match ty {
        "group_add_participants" => "group_participants_add",
        "group_remove_participants" => "group_participants_remove",
        other => other,
    }
}

/// The group types each field may carry.
fn group_types(field: &str) -> Option<&'static [&'static str]> {
    Some(match field {
        "group_lifecycle_update" => &["group_create", "group_delete"],
        "group_participants_update" => &[
            "group_participants_add",
            "group_participants_remove",
            "group_join_request_created",
            "group_join_request_revoked",
        ],
        "group_settings_update" => &["group_settings_update"],
        "group_status_update" => &["group_suspend", "group_suspend_cleared"],
        _ => return None,
    })
}

fn short_hash(v: &Value) -> String {
    let digest = Sha256::digest(v.to_string().as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Members of `map` not in `known`, in order.
fn rest(map: &Map<String, Value>, known: &[&str]) -> Extra {
    map.iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn extras_of(map: &Map<String, Value>, known: &[&str], into: &mut Map<String, Value>, name: &str) {
    let extra = rest(map, known);
    if !extra.is_empty() {
        into.insert(name.to_owned(), Value::Object(extra));
    }
}

/// Parse and normalise a whole delivery. Call [`super::verify_signature`] on the same bytes
/// first.
pub fn parse_webhook(raw: &[u8]) -> Result<Batch, WebhookError> {
    let mut doc: Value = serde_json::from_slice(raw).map_err(|e| WebhookError {
        code: Code::WebhookInvalidJson,
        path: String::new(),
        message: format!("the delivery is not valid JSON: {e}"),
    })?;
    let root = doc
        .as_object_mut()
        .ok_or_else(|| WebhookError::shape("", "the delivery is not a JSON object"))?;
    match root.get("object").and_then(Value::as_str) {
        Some("whatsapp_business_account") => {}
        other => {
            return Err(WebhookError {
                code: Code::WebhookWrongObject,
                path: "object".into(),
                message: format!("expected object \"whatsapp_business_account\", got {other:?}"),
            })
        }
    }
    // Items are moved out of the document into their events, never copied.
    let mut entries = match root.get_mut("entry").map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => return Err(WebhookError::shape("entry", "\"entry\" must be an array")),
    };
    let mut events = Vec::new();
    for (i, entry) in entries.iter_mut().enumerate() {
        let path = format!("entry[{i}]");
        let entry = entry
            .as_object_mut()
            .ok_or_else(|| WebhookError::shape(&path, "an entry must be an object"))?;
        let mut changes = match entry.get_mut("changes").map(Value::take) {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(WebhookError::shape(
                    format!("{path}.changes"),
                    "\"changes\" must be an array",
                ))
            }
        };
        for (j, change) in changes.iter_mut().enumerate() {
            let cpath = format!("{path}.changes[{j}]");
            let change = change
                .as_object_mut()
                .ok_or_else(|| WebhookError::shape(&cpath, "a change must be an object"))?;
            normalise_change(root, entry, change, &mut events);
        }
    }
    Ok(Batch { events })
}

fn normalise_change(
    root: &Map<String, Value>,
    entry: &Map<String, Value>,
    change: &mut Map<String, Value>,
    out: &mut Vec<Event>,
) {
    let raw_field = change
        .get("field")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let field = documented_field(&raw_field).to_owned();
    let mut envelope = Map::new();
    extras_of(root, &["object", "entry"], &mut envelope, "delivery");
    extras_of(entry, &["id", "changes"], &mut envelope, "entry");
    extras_of(change, &["field", "value"], &mut envelope, "change");
    let value = change.get_mut("value").map(Value::take);
    let mut place = Place {
        field: field.clone(),
        waba_id: id_of(entry.get("id")),
        phone_number_id: None,
        display_phone_number: None,
        envelope: None,
        contacts: Vec::new(),
    };
    let Some(Value::Object(mut v)) = value else {
        if !envelope.is_empty() {
            place.envelope = Some(Arc::new(envelope));
        }
        out.push(unknown(
            &place,
            value.unwrap_or(Value::Null),
            "the change has no value object",
        ));
        return;
    };
    let metadata = v.get("metadata").and_then(Value::as_object);
    place.phone_number_id = id_of(metadata.and_then(|m| m.get("phone_number_id")));
    place.display_phone_number = id_of(metadata.and_then(|m| m.get("display_phone_number")));
    let mut known = vec!["groups", "messages", "statuses", "errors"];
    if v.get("messaging_product").and_then(Value::as_str) == Some("whatsapp") {
        known.push("messaging_product");
    }
    if metadata.is_some_and(|m| {
        m.keys()
            .all(|k| k == "display_phone_number" || k == "phone_number_id")
    }) {
        known.push("metadata");
    }
    extras_of(&v, &known, &mut envelope, "value");
    if !envelope.is_empty() {
        place.envelope = Some(Arc::new(envelope));
    }
    if let Some(Value::Array(c)) = v.get("contacts") {
        place.contacts.clone_from(c);
    }
    let before = out.len();
    let take_items = |v: &mut Map<String, Value>, key: &str| match v.get_mut(key).map(Value::take) {
        Some(Value::Array(items)) => Some(items),
        Some(other) => {
            v.insert(key.to_owned(), other); // not an array: left in place, kept below
            None
        }
        None => None,
    };
    if let Some(types) = group_types(&field) {
        if let Some(items) = take_items(&mut v, "groups") {
            for item in items {
                out.push(group_event(&place, types, item));
            }
        }
    } else if field == "messages" {
        // In delivery order: the arrays as they appear in the value.
        let keys: Vec<String> = v.keys().cloned().collect();
        for key in keys {
            if !matches!(key.as_str(), "messages" | "statuses" | "errors") {
                continue;
            }
            for item in take_items(&mut v, &key).into_iter().flatten() {
                out.push(match key.as_str() {
                    "messages" => message_event(&place, item),
                    "statuses" => status_event(&place, item),
                    _ => value_error_event(&place, item),
                });
            }
        }
    } else {
        let reason = format!("unknown field {raw_field:?}");
        out.push(unknown(&place, Value::Object(v), &reason));
        return;
    }
    if out.len() == before {
        // Nothing recognisable inside: keep the whole value rather than lose it.
        out.push(unknown(
            &place,
            Value::Object(v),
            "the value holds no items this library knows",
        ));
    }
}

fn base(place: &Place, body: EventBody, raw: Value, dedup_key: String) -> Event {
    Event {
        body,
        field: place.field.clone(),
        waba_id: place.waba_id.clone(),
        phone_number_id: place.phone_number_id.clone(),
        display_phone_number: place.display_phone_number.clone(),
        group_id: None,
        timestamp: None,
        request_id: None,
        errors: Vec::new(),
        dedup_key,
        envelope: place.envelope.clone(),
        raw,
    }
}

fn unknown(place: &Place, raw: Value, reason: &str) -> Event {
    let key = format!("unknown|{}|{}", place.field, short_hash(&raw));
    let (group_id, timestamp) = match raw.as_object() {
        Some(m) => (
            id_of(m.get("group_id")).filter(|g| !g.is_empty()),
            m.get("timestamp")
                .and_then(|t| lenient_i64(t).ok().flatten()),
        ),
        None => (None, None),
    };
    let reason = reason.to_owned();
    let mut e = base(place, EventBody::Unknown(Unrecognised { reason }), raw, key);
    e.group_id = group_id;
    e.timestamp = timestamp;
    e
}

/// Every member a group item may have.
#[derive(Deserialize)]
struct GroupItem {
    #[serde(default, deserialize_with = "lenient_id")]
    group_id: Option<String>,
    #[serde(rename = "type")]
    item_type: String,
    #[serde(default, deserialize_with = "lenient_i64")]
    timestamp: Option<i64>,
    #[serde(default, deserialize_with = "lenient_id")]
    request_id: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    errors: Vec<ErrorObject>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    invite_link: Option<String>,
    #[serde(default)]
    join_approval_mode: Option<JoinApprovalMode>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    initiated_by: Option<InitiatedBy>,
    #[serde(default, deserialize_with = "list_or_null")]
    added_participants: Vec<Participant>,
    #[serde(default, deserialize_with = "list_or_null")]
    removed_participants: Vec<Participant>,
    #[serde(default, deserialize_with = "list_or_null")]
    failed_participants: Vec<FailedParticipant>,
    #[serde(default, deserialize_with = "lenient_id")]
    join_request_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    wa_id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    parent_user_id: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    group_subject: Option<SettingResult>,
    #[serde(default)]
    group_description: Option<SettingResult>,
    #[serde(default)]
    profile_picture: Option<SettingResult>,
}

const GROUP_COMMON: [&str; 5] = ["group_id", "type", "timestamp", "request_id", "errors"];

fn group_event(place: &Place, types: &[&str], raw: Value) -> Event {
    let Some(map) = raw.as_object() else {
        return unknown(place, raw, "a groups[] item is not an object");
    };
    let item = match GroupItem::deserialize(&raw) {
        Ok(item) => item,
        Err(e) => return unknown(place, raw, &format!("unreadable group item: {e}")),
    };
    let ty = documented_type(&item.item_type);
    if !types.contains(&ty) {
        // A type under the wrong field stays unknown: guessing from the arrays present could
        // turn one event into another.
        return unknown(
            place,
            raw,
            &format!(
                "type {:?} does not belong to field {:?}",
                item.item_type, place.field
            ),
        );
    }
    let extra = |own: &[&str]| {
        let known: Vec<&str> = GROUP_COMMON.iter().chain(own).copied().collect();
        rest(map, &known)
    };
    let failed_if = |errors: bool| {
        if errors {
            Outcome::Failed
        } else {
            Outcome::Succeeded
        }
    };
    let has_errors = !item.errors.is_empty();
    let body = match ty {
        "group_create" | "group_delete" => {
            let lifecycle = GroupLifecycle {
                outcome: failed_if(has_errors),
                subject: item.subject.clone(),
                description: item.description.clone(),
                invite_link: item.invite_link.clone(),
                join_approval_mode: item.join_approval_mode.clone(),
                added_participants: item.added_participants.clone(),
                extra: extra(&[
                    "subject",
                    "description",
                    "invite_link",
                    "join_approval_mode",
                    "added_participants",
                ]),
            };
            if ty == "group_create" {
                EventBody::GroupCreate(lifecycle)
            } else {
                EventBody::GroupDelete(lifecycle)
            }
        }
        "group_participants_add" | "group_participants_remove" => {
            let failed = has_errors || !item.failed_participants.is_empty();
            let some_done =
                !item.added_participants.is_empty() || !item.removed_participants.is_empty();
            let p = GroupParticipants {
                outcome: match (failed, some_done) {
                    (false, _) => Outcome::Succeeded,
                    (true, true) => Outcome::PartiallyFailed,
                    (true, false) => Outcome::Failed,
                },
                initiated_by: item.initiated_by.clone(),
                reason: item.reason.clone(),
                added_participants: item.added_participants.clone(),
                removed_participants: item.removed_participants.clone(),
                failed_participants: item.failed_participants.clone(),
                extra: extra(&[
                    "initiated_by",
                    "reason",
                    "added_participants",
                    "removed_participants",
                    "failed_participants",
                ]),
            };
            if ty == "group_participants_add" {
                EventBody::GroupParticipantsAdd(p)
            } else {
                EventBody::GroupParticipantsRemove(p)
            }
        }
        "group_join_request_created" | "group_join_request_revoked" => {
            let j = GroupJoinRequest {
                join_request_id: item.join_request_id.clone(),
                requester: Participant {
                    wa_id: item.wa_id.clone(),
                    user_id: item.user_id.clone(),
                    parent_user_id: item.parent_user_id.clone(),
                    username: item.username.clone(),
                    input: None,
                    extra: Extra::new(),
                },
                reason: item.reason.clone(),
                extra: extra(&[
                    "join_request_id",
                    "wa_id",
                    "user_id",
                    "parent_user_id",
                    "username",
                    "reason",
                ]),
            };
            if ty == "group_join_request_created" {
                EventBody::GroupJoinRequestCreated(j)
            } else {
                EventBody::GroupJoinRequestRevoked(j)
            }
        }
        "group_settings_update" => {
            let blocks = [
                &item.group_subject,
                &item.group_description,
                &item.profile_picture,
            ];
            let failed = blocks
                .iter()
                .flat_map(|b| b.iter())
                .filter(|b| b.applied == Some(false) || !b.errors.is_empty())
                .count();
            let ok = blocks.iter().flat_map(|b| b.iter()).count() - failed;
            EventBody::GroupSettingsUpdate(GroupSettings {
                outcome: match (failed > 0 || has_errors, ok > 0) {
                    (false, _) => Outcome::Succeeded,
                    (true, true) => Outcome::PartiallyFailed,
                    (true, false) => Outcome::Failed,
                },
                subject: item.group_subject.clone(),
                description: item.group_description.clone(),
                picture: item.profile_picture.clone(),
                extra: extra(&["group_subject", "group_description", "profile_picture"]),
            })
        }
        "group_suspend" => EventBody::GroupSuspend(GroupStatus { extra: extra(&[]) }),
        _ => EventBody::GroupSuspendCleared(GroupStatus { extra: extra(&[]) }),
    };
    let group_id = item.group_id.clone().filter(|g| !g.is_empty()); // failed creates send ""
    let mut people: Vec<&str> = item
        .added_participants
        .iter()
        .chain(&item.removed_participants)
        .chain(item.failed_participants.iter().map(|f| &f.participant))
        .filter_map(Participant::key)
        .collect();
    if let Some(k) = item.user_id.as_deref().or(item.wa_id.as_deref()) {
        people.push(k);
    }
    let dedup_key = format!(
        "{}|{}|{}|{}|{}|{}",
        place.field,
        ty,
        group_id.as_deref().unwrap_or(""),
        item.timestamp.map(|t| t.to_string()).unwrap_or_default(),
        item.request_id
            .as_deref()
            .or(item.join_request_id.as_deref())
            .unwrap_or(""),
        people.join(",")
    );
    let mut e = base(place, body, raw, dedup_key);
    e.group_id = group_id;
    e.timestamp = item.timestamp;
    e.request_id = item.request_id;
    e.errors = item.errors;
    e
}

fn contact_for(place: &Place, wa_id: Option<&str>, user_id: Option<&str>) -> Option<Value> {
    place
        .contacts
        .iter()
        .find(|c| {
            let field = |k: &str| c.get(k).and_then(Value::as_str);
            (user_id.is_some() && field("user_id") == user_id)
                || (wa_id.is_some() && field("wa_id") == wa_id)
        })
        .cloned()
}

#[derive(Deserialize)]
struct MessageItem {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    from: Option<String>,
    #[serde(default)]
    from_user_id: Option<String>,
    #[serde(default)]
    from_parent_user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    group_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_i64")]
    timestamp: Option<i64>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    errors: Vec<ErrorObject>,
}

const MEDIA_KINDS: [&str; 5] = ["image", "video", "audio", "document", "sticker"];

fn message_event(place: &Place, raw: Value) -> Event {
    let Some(map) = raw.as_object() else {
        return unknown(place, raw, "a messages[] item is not an object");
    };
    let item = match MessageItem::deserialize(&raw) {
        Ok(item) => item,
        Err(e) => return unknown(place, raw, &format!("unreadable message: {e}")),
    };
    let kind_str = item.kind.clone().unwrap_or_default();
    let content_value = map.get(&kind_str).filter(|_| !kind_str.is_empty());
    let mut text = None;
    let mut media = None;
    let mut content = None;
    match kind_str.as_str() {
        "text" => match content_value
            .and_then(|t| t.get("body"))
            .and_then(Value::as_str)
        {
            Some(body)
                if content_value
                    .and_then(Value::as_object)
                    .is_some_and(|o| o.len() == 1) =>
            {
                text = Some(body.to_owned())
            }
            Some(body) => {
                text = Some(body.to_owned());
                content = content_value.cloned(); // members besides `body`: kept as sent
            }
            None => content = content_value.cloned(),
        },
        k if MEDIA_KINDS.contains(&k) => match content_value.map(Media::deserialize) {
            Some(Ok(m)) => media = Some(m),
            _ => content = content_value.cloned(),
        },
        _ => content = content_value.cloned(),
    }
    let mut known = vec![
        "id",
        "from",
        "from_user_id",
        "from_parent_user_id",
        "group_id",
        "timestamp",
        "type",
        "errors",
        "context",
    ];
    if !kind_str.is_empty() {
        known.push(&kind_str);
    }
    let msg = IncomingMessage {
        message_id: item.id.clone(),
        from: item.from.clone(),
        from_user_id: item.from_user_id.clone(),
        from_parent_user_id: item.from_parent_user_id.clone(),
        kind: MessageKind::from_wire(&kind_str),
        text,
        media,
        content,
        context: map.get("context").cloned(),
        contact: contact_for(place, item.from.as_deref(), item.from_user_id.as_deref()),
        extra: rest(map, &known),
    };
    let key = match &item.id {
        Some(id) => format!("message|{id}"),
        None => format!("message|{}", short_hash(&raw)),
    };
    let mut e = base(place, EventBody::Message(msg), raw, key);
    e.group_id = item.group_id.filter(|g| !g.is_empty());
    e.timestamp = item.timestamp;
    e.errors = item.errors;
    e
}

#[derive(Deserialize)]
struct StatusItem {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    status: Option<DeliveryStatus>,
    #[serde(default, deserialize_with = "lenient_i64")]
    timestamp: Option<i64>,
    #[serde(default, deserialize_with = "lenient_id")]
    recipient_id: Option<String>,
    #[serde(default)]
    recipient_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    recipient_participant_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    participant_recipient_id: Option<String>,
    #[serde(default)]
    recipient_participant_user_id: Option<String>,
    #[serde(default)]
    recipient_participant_parent_user_id: Option<String>,
    #[serde(default)]
    recipient_identity_key_hash: Option<String>,
    #[serde(default)]
    biz_opaque_callback_data: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    group_id: Option<String>,
    #[serde(default)]
    conversation: Option<Conversation>,
    #[serde(default)]
    pricing: Option<Pricing>,
    #[serde(default, deserialize_with = "list_or_null")]
    errors: Vec<ErrorObject>,
}

const STATUS_KNOWN: [&str; 15] = [
    "id",
    "status",
    "timestamp",
    "recipient_id",
    "recipient_type",
    "recipient_participant_id",
    "participant_recipient_id",
    "recipient_participant_user_id",
    "recipient_participant_parent_user_id",
    "recipient_identity_key_hash",
    "biz_opaque_callback_data",
    "group_id",
    "conversation",
    "pricing",
    "errors",
];

fn status_event(place: &Place, raw: Value) -> Event {
    let Some(map) = raw.as_object() else {
        return unknown(place, raw, "a statuses[] item is not an object");
    };
    let item = match StatusItem::deserialize(&raw) {
        Ok(item) => item,
        Err(e) => return unknown(place, raw, &format!("unreadable status: {e}")),
    };
    // Either spelling (guides or OpenAPI); `recipient_participant_id` wins.
    let participant = item
        .recipient_participant_id
        .clone()
        .or(item.participant_recipient_id.clone());
    // A sibling `pricing` wins over one nested in `conversation` (samples use both places).
    let nested = item
        .conversation
        .as_ref()
        .and_then(|c| c.extra.get("pricing"))
        .and_then(|p| Pricing::deserialize(p).ok());
    let pricing = item.pricing.clone().or(nested);
    // The group is `recipient_id` for group statuses, else an OpenAPI-style `group_id`.
    let group_id = if item.recipient_type.as_deref() == Some("group") {
        item.recipient_id.clone()
    } else {
        item.group_id.clone()
    }
    .filter(|g| !g.is_empty());
    let who = item
        .recipient_participant_user_id
        .clone()
        .or(participant.clone());
    let delivered = matches!(
        item.status,
        Some(DeliveryStatus::Delivered | DeliveryStatus::Read | DeliveryStatus::Played)
    );
    let charge_key = match (&item.id, &who, &pricing) {
        (Some(id), Some(p), Some(pr)) if pr.is_billable() => Some(format!("{id}|{p}")),
        _ => None,
    };
    let status_name = item
        .status
        .as_ref()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    let key = format!(
        "status|{}|{}|{}",
        item.id.clone().unwrap_or_else(|| short_hash(&raw)),
        status_name,
        who.clone().unwrap_or_else(|| "group".into())
    );
    let status = MessageStatus {
        message_id: item.id.clone(),
        status: item.status.clone(),
        recipient_id: item.recipient_id.clone(),
        recipient_type: item.recipient_type.clone(),
        recipient_participant_id: participant.clone(),
        recipient_participant_user_id: item.recipient_participant_user_id.clone(),
        recipient_participant_parent_user_id: item.recipient_participant_parent_user_id.clone(),
        recipient_identity_key_hash: item.recipient_identity_key_hash.clone(),
        biz_opaque_callback_data: item.biz_opaque_callback_data.clone(),
        conversation: item.conversation.clone(),
        pricing,
        delivered,
        charge_key,
        contact: contact_for(
            place,
            participant.as_deref(),
            item.recipient_participant_user_id.as_deref(),
        ),
        extra: rest(map, &STATUS_KNOWN),
    };
    let mut e = base(place, EventBody::Status(status), raw, key);
    e.group_id = group_id;
    e.timestamp = item.timestamp;
    e.errors = item.errors;
    e
}

fn value_error_event(place: &Place, raw: Value) -> Event {
    let error = match ErrorObject::deserialize(&raw) {
        Ok(e) if raw.is_object() => e,
        _ => return unknown(place, raw, "a value errors[] item is not an error object"),
    };
    let key = format!(
        "error|{}|{}|{}|{}",
        place.waba_id.as_deref().unwrap_or(""),
        place.phone_number_id.as_deref().unwrap_or(""),
        error.code,
        short_hash(&raw)
    );
    let mut e = base(place, EventBody::Error(ValueError {}), raw, key);
    e.errors = vec![error];
    e
}
