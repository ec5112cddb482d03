//! The envelope of a delivery (`object`, `entry[]`, `changes[]`, each change's `value`), read in
//! one borrowing pass: the known members typed, every item (and contact) read by its typed
//! reader with its exact text ([`RawValue`]) placed from where its member names sit, every
//! unknown member kept as its exact text.
//!
//! When an item is not what its typed reader takes (a placeholder, a lone surrogate, not an
//! object), that pass gives way to one that captures each item as its text for the lenient item
//! reader, which keeps every item; and a change that needs its value's own text is read
//! carefully. Shape problems are recorded where they are found instead of failing the serde
//! pass, so that a delivery for another `object` is reported as such even when its shape
//! differs too.
//!
//! Three parts: [`wire`] reads the JSON (the serde visitors), [`place`] says where items sit and
//! bounds what is copied onto every event, and this module builds the batch from them.

mod place;
mod wire;

use std::borrow::Cow;

use serde::de::DeserializeSeed;
use serde_json::value::RawValue;

use super::event::{
    short_hash, Batch, Change, ChangeUnknown, Contact, Entry, Event, EventBody, ItemError,
    ValueError,
};
use super::item::decode_item;
use super::{groups, messages, statuses, WebhookError, WebhookLimits};
use crate::error::{Code, Warning};

use place::ItemKind;
pub use place::MAX_COPIED_BYTES;
pub(crate) use place::{Field, Place};
use wire::{
    ContactWire, DeliverySeed, DeliveryWire, EntryWire, Found, ItemWire, Mode, ValueSeed, ValueWire,
};

// ---- from the wire to the batch ----

/// Read a whole delivery into a batch. `text` is the delivery, already checked as UTF-8.
pub(super) fn read<'a>(text: &'a str, limits: &WebhookLimits) -> Result<Batch<'a>, WebhookError> {
    let typed = parse(text, Mode::Typed(text)).ok();
    // An item its typed reader refuses, or what only a careful reading keeps: read again.
    let delivery = match typed {
        Some(mut delivery) => match needs_care(&mut delivery, text) {
            false => delivery,
            true => read_again(text)?,
        },
        None => read_again(text)?,
    };
    build(delivery, limits)
}

/// The slower ways: items captured as their text for the lenient item reader, and each value
/// captured whole when a change needs it.
#[cold]
#[inline(never)]
fn read_again(text: &str) -> Result<DeliveryWire<'_>, WebhookError> {
    let mut delivery = parse(text, Mode::Fast)?;
    if needs_care(&mut delivery, text) {
        delivery = parse(text, Mode::Careful)?;
    }
    Ok(delivery)
}

/// Whether a change of this reading lacks something only the careful one keeps.
fn needs_care<'a>(delivery: &mut DeliveryWire<'a>, text: &'a str) -> bool {
    let mut needs_care = false;
    if let Found::Ok(entries) = &mut delivery.entry {
        for entry in entries.iter_mut() {
            if let Found::Ok(EntryWire {
                changes: Found::Ok(changes),
                ..
            }) = entry
            {
                for change in changes.iter_mut() {
                    if let Found::Ok(c) = change {
                        needs_care |= c.needs_care(text);
                    }
                }
            }
        }
    }
    needs_care
}

fn parse<'a>(text: &'a str, mode: Mode<'a>) -> Result<DeliveryWire<'a>, WebhookError> {
    let mut d = serde_json::Deserializer::from_str(text);
    let delivery = DeliverySeed(mode)
        .deserialize(&mut d)
        .and_then(|delivery| d.end().map(|()| delivery));
    delivery.map_err(|e| WebhookError {
        code: if e.is_data() {
            Code::WebhookUnexpectedShape
        } else {
            Code::WebhookInvalidJson
        },
        path: String::new(),
        message: if e.is_data() {
            e.to_string()
        } else {
            format!("the delivery is not valid JSON: {e}")
        },
    })
}

fn build<'a>(
    delivery: DeliveryWire<'a>,
    limits: &WebhookLimits,
) -> Result<Batch<'a>, WebhookError> {
    match &delivery.object {
        Found::Ok(o) if o == "whatsapp_business_account" => {}
        other => {
            let got = match other {
                Found::Ok(o) => format!("{o:?}"),
                Found::Wrong(what) => (*what).to_owned(),
                Found::Missing => "nothing".to_owned(),
            };
            return Err(WebhookError {
                code: Code::WebhookWrongObject,
                path: "object".into(),
                message: format!("expected object \"whatsapp_business_account\", got {got}"),
            });
        }
    }
    let entries = match delivery.entry {
        Found::Ok(e) => e,
        Found::Wrong(what) => {
            return Err(WebhookError::shape(
                "entry",
                format!("\"entry\" must be an array, not {what}"),
            ))
        }
        Found::Missing => return Err(WebhookError::shape("entry", "\"entry\" is missing")),
    };
    let mut batch = Batch {
        unknown: delivery.unknown,
        ..Batch::default()
    };
    // (change, value as read, the value's text): the items are counted before any is parsed.
    let mut values = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let entry = match entry {
            Found::Ok(e) => e,
            Found::Wrong(what) => {
                return Err(WebhookError::shape(
                    format!("entry[{i}]"),
                    format!("an entry must be an object, not {what}"),
                ))
            }
            Found::Missing => continue,
        };
        let changes = match entry.changes {
            Found::Ok(c) => c,
            Found::Wrong(what) => {
                return Err(WebhookError::shape(
                    format!("entry[{i}].changes"),
                    format!("\"changes\" must be an array, not {what}"),
                ))
            }
            Found::Missing => {
                return Err(WebhookError::shape(
                    format!("entry[{i}].changes"),
                    "\"changes\" is missing",
                ))
            }
        };
        batch.entries.push(Entry {
            waba_id: entry.id,
            unknown: entry.unknown,
        });
        for (j, change) in changes.into_iter().enumerate() {
            let change = match change {
                Found::Ok(c) => c,
                Found::Wrong(what) => {
                    return Err(WebhookError::shape(
                        format!("entry[{i}].changes[{j}]"),
                        format!("a change must be an object, not {what}"),
                    ))
                }
                Found::Missing => continue,
            };
            let raw_field = change.field.unwrap_or_default();
            let field = Field::from_wire(&raw_field);
            let name = match field {
                Field::Other => raw_field,
                known => Cow::Borrowed(known.name()),
            };
            let value = match change.value_text {
                Some(v) => read_value(v, field)?,
                None => change.value,
            };
            let mut c = Change {
                entry: batch.entries.len() - 1,
                field: name,
                unknown: ChangeUnknown {
                    change: change.unknown,
                    ..ChangeUnknown::default()
                },
                ..Change::default()
            };
            let mut parsed = ValueWire::default();
            if let Found::Ok(v) = value {
                parsed = v;
                c.phone_number_id = parsed.phone_number_id.take();
                c.display_phone_number = parsed.display_phone_number.take();
                c.unknown.value = std::mem::take(&mut parsed.unknown);
                c.unknown.metadata = std::mem::take(&mut parsed.metadata_unknown);
                c.contacts = read_contacts(std::mem::take(&mut parsed.contacts), &mut c.warnings);
                if field == Field::Other {
                    parsed.items.clear();
                }
            }
            batch.changes.push(c);
            values.push((field, parsed, change.value_text.or(change.value_span)));
        }
    }
    let items: usize = values.iter().map(|(_, v, _)| v.items.len().max(1)).sum();
    if items > limits.max_items {
        return Err(WebhookError {
            code: Code::WebhookTooLarge,
            path: String::new(),
            message: format!(
                "the delivery holds {items} items; this parse accepts at most {} (raise max_items to accept it)",
                limits.max_items
            ),
        });
    }
    batch.events.reserve(items);
    for (index, (field, value, value_text)) in values.into_iter().enumerate() {
        let Some(change) = batch.changes.get_mut(index) else {
            continue;
        };
        let waba_id = batch
            .entries
            .get(change.entry)
            .and_then(|e| e.waba_id.as_ref());
        let place = Place::new(index, field, change, waba_id);
        let before = batch.events.len();
        for item in value.items {
            batch.events.push(match item {
                ItemWire::Captured(ItemKind::Group, raw) => groups::group_event(&place, raw, None),
                ItemWire::Group(read, raw) => groups::group_event(&place, raw, Some(*read)),
                ItemWire::Captured(ItemKind::Message, raw) => {
                    messages::message_event(&place, raw, None)
                }
                ItemWire::Message(read, raw) => messages::message_event(&place, raw, Some(*read)),
                ItemWire::Captured(ItemKind::Status, raw) => {
                    statuses::status_event(&place, raw, None)
                }
                ItemWire::Status(read, raw) => statuses::status_event(&place, raw, Some(*read)),
                ItemWire::Captured(ItemKind::Error, raw) => value_error_event(&place, raw, None),
                ItemWire::Error(read, raw) => value_error_event(&place, raw, Some(read)),
            });
        }
        if batch.events.len() == before {
            // Nothing recognisable inside: the whole value becomes one event rather than be lost.
            let raw = value_text.unwrap_or(RawValue::NULL);
            let reason = match (field, value_text) {
                (_, None) => "the change has no value".to_owned(),
                (Field::Other, _) => format!("unknown field {:?}", change.field),
                _ if !raw.get().starts_with('{') => "the change's value is not an object".into(),
                _ => "the value holds no items this library knows".into(),
            };
            batch.events.push(place.unknown(raw, reason, Vec::new()));
        }
        change.warnings.extend(place.change_warnings);
    }
    Ok(batch)
}

// Only a delivery that needs a careful reading compiles this (see `read`).
#[cold]
#[inline(never)]
fn read_value(text: &RawValue, field: Field) -> Result<Found<ValueWire<'_>>, WebhookError> {
    let parse = |careful| {
        let mut d = serde_json::Deserializer::from_str(text.get());
        let value = ValueSeed {
            field,
            careful,
            typed: None,
        };
        value.deserialize(&mut d)
    };
    // The value was already read once as a whole: it is valid JSON.
    let first = parse(false).map_err(|e| WebhookError::shape(String::new(), e.to_string()))?;
    match first {
        Found::Ok(v) if v.needs_care => {
            parse(true).map_err(|e| WebhookError::shape(String::new(), e.to_string()))
        }
        other => Ok(other),
    }
}

/// Each contact as read, or (captured only) read here, leniently.
fn read_contacts<'a>(
    contacts: Vec<(&'a RawValue, Option<ContactWire<'a>>)>,
    warnings: &mut Vec<Warning>,
) -> Vec<Contact<'a>> {
    contacts
        .into_iter()
        .enumerate()
        .map(|(i, (raw, read))| {
            let mut w = Vec::new();
            let wire = read.or_else(|| decode_item::<ContactWire<'static>>(raw.get(), &mut w).ok());
            warnings.extend(w.into_iter().map(|mut w| {
                w.path = format!(
                    "contacts[{i}]{}{}",
                    if w.path.is_empty() { "" } else { "." },
                    w.path
                );
                w
            }));
            let wire = wire.unwrap_or_default();
            Contact {
                wa_id: wire.wa_id,
                user_id: wire.user_id,
                parent_user_id: wire.parent_user_id,
                username: wire.username,
                name: wire.profile.and_then(|p| p.name),
                raw,
            }
        })
        .collect()
}

/// A `value.errors[]` item: an account, app or throughput error.
// Not inlined into the envelope's build: a delivery compiles (wasm compiles lazily, per
// function) and runs only the builders of the item kinds it holds.
#[inline(never)]
fn value_error_event<'a>(
    place: &Place<'_, 'a>,
    raw: &'a RawValue,
    read: Option<ItemError<'a>>,
) -> Event<'a> {
    let mut warnings = Vec::new();
    let decoded = match read {
        Some(error) => Ok(error),
        None => decode_item::<ItemError<'static>>(raw.get(), &mut warnings),
    };
    let error = match decoded {
        Ok(error) if raw.get().starts_with('{') => error,
        _ => {
            return place.unknown(
                raw,
                "a value errors[] item is not an error object".into(),
                warnings,
            )
        }
    };
    let key = format!(
        "error|{}|{}|{}|{}",
        place.waba_id.as_deref().unwrap_or(""),
        place.phone_number_id.as_deref().unwrap_or(""),
        error.code,
        short_hash(raw)
    );
    let mut e = place.event(EventBody::Error(ValueError {}), raw, key, warnings);
    e.errors = vec![error];
    e
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::wire::{value_text, ChangeWire};
    use super::*;

    /// The one change of a delivery with one entry.
    fn only_change<'d, 'a>(delivery: &'d DeliveryWire<'a>) -> &'d ChangeWire<'a> {
        let Found::Ok(entries) = &delivery.entry else {
            panic!()
        };
        let Found::Ok(entry) = &entries[0] else {
            panic!()
        };
        let Found::Ok(changes) = &entry.changes else {
            panic!()
        };
        let Found::Ok(change) = &changes[0] else {
            panic!()
        };
        change
    }

    /// The value's text found from member positions equals what the careful reading captures,
    /// whatever the whitespace and whatever the last member is.
    #[test]
    fn value_text_from_positions_is_the_exact_value() {
        let values = [
            r#"{"metadata":{"phone_number_id":"1"}}"#,
            "{ \n\t\"metadata\" : { \"phone_number_id\" : \"1\" } \r\n }",
            r#"{"messaging_product":"whatsapp","groups":[]}"#,
            "{\"groups\" :\n [ ] ,\"x\": 1 }",
            "{\"x\":1, \"statuses\" : [ {\"id\":\"w\"} ,{\"id\":\"v\"}\n ]\n}",
            r#"{"anything":[1, 2], "nested": {"a": {"b": [{}]}}}"#,
        ];
        for value in values {
            for field in ["group_pins_update", "messages"] {
                let body = format!(
                    r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"value": {value} ,"field":"{field}"}}]}}]}}"#
                );
                let fast = parse(&body, Mode::Fast).unwrap();
                let Found::Ok(v) = &only_change(&fast).value else {
                    panic!()
                };
                let found = value_text(&body, v).unwrap_or_else(|| panic!("no span: {value}"));
                assert_eq!(found.get(), value.trim(), "{value}");
                let careful = parse(&body, Mode::Careful).unwrap();
                let change = only_change(&careful);
                assert_eq!(change.value_text.unwrap().get(), value.trim());
            }
        }
    }

    /// A member that holds an object, sent as an array instead, is left out with a warning: never
    /// read member by member in order (serde's default for a struct), which would make
    /// `"text": ["hi"]` a text saying "hi". The same members as objects are read.
    #[test]
    fn an_object_sent_as_an_array_is_left_out_with_a_warning() {
        let delivery = |text: &str, pricing: &str, errors: &str| {
            format!(
                r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{
                "contacts":[{{"wa_id":"5","profile":["Ann"]}}],
                "messages":[{{"id":"m","from":"5","timestamp":"1","type":"text","text":{text},"errors":{errors}}}],
                "statuses":[{{"id":"s","status":"sent","timestamp":"1","recipient_id":"5","pricing":{pricing}}}]}}}}]}}]}}"#
            )
        };
        let events = |body: &str| -> serde_json::Value {
            let batch = crate::webhook::parse_webhook(body.as_bytes()).unwrap();
            serde_json::to_value(&batch).unwrap()["events"].clone()
        };
        let as_arrays = events(&delivery(
            r#"["hi"]"#,
            r#"[true,"regular","x"]"#,
            r#"[[131000]]"#,
        ));
        let (message, status) = (&as_arrays[0], &as_arrays[1]);
        assert_eq!(message["type"], "message", "{as_arrays}");
        assert_eq!(message["text"], serde_json::Value::Null, "{message}");
        assert_eq!(
            message["contact_name"],
            serde_json::Value::Null,
            "{message}"
        );
        let paths = |event: &serde_json::Value| -> Vec<String> {
            event["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["path"].as_str().unwrap().to_owned())
                .collect()
        };
        assert!(paths(message).contains(&"text".to_owned()), "{message}");
        assert!(
            paths(message).iter().any(|p| p.starts_with("errors")),
            "{message}"
        );
        assert_eq!(status["type"], "status", "{as_arrays}");
        assert!(
            paths(status).iter().any(|p| p.starts_with("pricing")),
            "{status}"
        );
        assert_eq!(status["pricing"], serde_json::Value::Null, "{status}");

        let as_objects = events(&delivery(
            r#"{"body":"hi"}"#,
            r#"{"billable":true,"pricing_model":"PMP","category":"utility"}"#,
            r#"[{"code":131000,"title":"Something went wrong"}]"#,
        ));
        assert_eq!(as_objects[0]["text"], "hi", "{as_objects}");
        assert_eq!(as_objects[0]["errors"][0]["code"], 131000, "{as_objects}");
        assert!(paths(&as_objects[0]).is_empty(), "{as_objects}");
        assert_eq!(as_objects[1]["pricing"]["billable"], true, "{as_objects}");
        assert!(paths(&as_objects[1]).is_empty(), "{as_objects}");
    }

    /// Every delivery of the corpus that the typed pass takes gives the same batch as the
    /// slower pass that reads each item's text leniently (and most of them are taken).
    #[test]
    fn the_typed_pass_and_the_lenient_one_agree() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let case: serde_json::Value =
                        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                    if let Some(body) = case.pointer("/input/body").and_then(|b| b.as_str()) {
                        out.push(body.to_owned());
                    }
                }
            }
        }
        let mut bodies = Vec::new();
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/webhooks");
        walk(std::path::Path::new(corpus), &mut bodies);
        let limits = WebhookLimits::default();
        let (mut typed, mut lenient_only) = (0, 0);
        for body in &bodies {
            let Ok(mut delivery) = parse(body, Mode::Typed(body)) else {
                lenient_only += 1;
                continue;
            };
            if needs_care(&mut delivery, body) {
                continue;
            }
            typed += 1;
            let text = |batch: Result<Batch<'_>, WebhookError>| match batch {
                Ok(batch) => serde_json::to_string(&batch).unwrap(),
                Err(e) => format!("{e:?}"),
            };
            let one = text(build(delivery, &limits));
            let other = text(build(read_again(body).unwrap(), &limits));
            assert_eq!(one, other, "{body}");
        }
        assert!(typed > 50, "{typed} typed, {lenient_only} not");
        assert!(
            lenient_only > 0,
            "the corpus holds deliveries the typed pass refuses"
        );
    }
}
