//! Where items sit (the field, the account, the number, the change), and the bound on what is
//! copied onto every event of a change.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Code, Warning};
use crate::webhook::event::{short_hash, Change, Contact, Event, EventBody, Unrecognised};
use crate::webhook::item::{self, decode_item, Item};

/// The longest identifier or name copied onto every event of a change. Real ones are far
/// shorter (group ids ~60 bytes); a longer one is left off the events, with a warning, so that
/// one padded member cannot be multiplied by the number of events.
pub const MAX_COPIED_BYTES: usize = 256;

/// The fields this library reads, the OpenAPI spelling read as the documented one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    GroupLifecycle,
    GroupParticipants,
    GroupSettings,
    GroupStatus,
    Messages,
    Other,
    /// Not known yet (`value` came before `field`): every item member is read.
    Any,
}

impl Field {
    pub(crate) fn from_wire(s: &str) -> Field {
        match s {
            "group_lifecycle_update" => Field::GroupLifecycle,
            "group_participants_update" | "group_participant_update" => Field::GroupParticipants,
            "group_settings_update" => Field::GroupSettings,
            "group_status_update" => Field::GroupStatus,
            "messages" => Field::Messages,
            _ => Field::Other,
        }
    }

    /// The documented name; empty for fields this library does not know.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::GroupLifecycle => "group_lifecycle_update",
            Field::GroupParticipants => "group_participants_update",
            Field::GroupSettings => "group_settings_update",
            Field::GroupStatus => "group_status_update",
            Field::Messages => "messages",
            Field::Other | Field::Any => "",
        }
    }

    /// The `value` member an item array of this field sits under.
    pub(super) fn item_kind(self, key: &str) -> Option<ItemKind> {
        match (self, key) {
            (Field::Any, "groups") => Some(ItemKind::Group),
            (Field::Any, "messages") => Some(ItemKind::Message),
            (Field::Any, "statuses") => Some(ItemKind::Status),
            (Field::Any, "errors") => Some(ItemKind::Error),
            (Field::Any, _) => None,
            (Field::Messages, "messages") => Some(ItemKind::Message),
            (Field::Messages, "statuses") => Some(ItemKind::Status),
            (Field::Messages, "errors") => Some(ItemKind::Error),
            (Field::Messages | Field::Other, _) => None,
            (_, "groups") => Some(ItemKind::Group),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ItemKind {
    Group,
    Message,
    Status,
    Error,
}

impl ItemKind {
    pub(super) fn belongs_to(self, field: Field) -> bool {
        match self {
            ItemKind::Group => matches!(
                field,
                Field::GroupLifecycle
                    | Field::GroupParticipants
                    | Field::GroupSettings
                    | Field::GroupStatus
            ),
            ItemKind::Message | ItemKind::Status | ItemKind::Error => field == Field::Messages,
        }
    }
}

/// Where items sit: what every event of one change carries, each identifier bounded.
pub(crate) struct Place<'p, 'a> {
    index: usize,
    pub(crate) field: Field,
    field_name: Cow<'a, str>,
    pub(super) waba_id: Option<Cow<'a, str>>,
    pub(super) phone_number_id: Option<Cow<'a, str>>,
    display_phone_number: Option<Cow<'a, str>>,
    contacts: &'p [Contact<'a>],
    pub(super) change_warnings: Vec<Warning>,
}

/// Whether a value of `len` bytes may be copied onto events; a warning when it may not.
pub(super) fn fits(len: usize, what: &str, warnings: &mut Vec<Warning>) -> bool {
    if len <= MAX_COPIED_BYTES {
        return true;
    }
    warnings.push(Warning {
        code: Code::WebhookValueTooLong,
        path: what.to_owned(),
        message: format!(
            "{len} bytes: too long to copy onto each event (at most {MAX_COPIED_BYTES}); left out"
        ),
    });
    false
}

fn bounded<'a>(
    value: Option<&Cow<'a, str>>,
    what: &str,
    warnings: &mut Vec<Warning>,
) -> Option<Cow<'a, str>> {
    value.filter(|v| fits(v.len(), what, warnings)).cloned()
}

impl<'p, 'a> Place<'p, 'a> {
    pub(super) fn new(
        index: usize,
        field: Field,
        change: &'p Change<'a>,
        waba_id: Option<&Cow<'a, str>>,
    ) -> Self {
        let mut w = Vec::new();
        let field_name = bounded(Some(&change.field), "field", &mut w).unwrap_or_default();
        Place {
            index,
            field,
            field_name,
            waba_id: bounded(waba_id, "entry.id", &mut w),
            phone_number_id: bounded(
                change.phone_number_id.as_ref(),
                "value.metadata.phone_number_id",
                &mut w,
            ),
            display_phone_number: bounded(
                change.display_phone_number.as_ref(),
                "value.metadata.display_phone_number",
                &mut w,
            ),
            contacts: &change.contacts,
            change_warnings: w,
        }
    }

    pub(crate) fn event(
        &self,
        body: EventBody<'a>,
        raw: &'a RawValue,
        dedup_key: String,
        warnings: Vec<Warning>,
    ) -> Event<'a> {
        Event {
            body,
            change: self.index,
            field: self.field_name.clone(),
            waba_id: self.waba_id.clone(),
            phone_number_id: self.phone_number_id.clone(),
            display_phone_number: self.display_phone_number.clone(),
            group_id: None,
            timestamp: None,
            request_id: None,
            errors: Vec::new(),
            dedup_key,
            warnings,
            raw,
        }
    }

    /// An item of the array `array` (`messages`…) as the envelope's pass read it (`read`), or, only
    /// captured, its text read here leniently (warnings into `warnings`); `Err` is the `unknown`
    /// event it becomes when it is not an object or not a readable `what`.
    pub(crate) fn item<T: Item>(
        &self,
        raw: &'a RawValue,
        read: Option<T::Of<'a>>,
        (array, what): (&str, &str),
        warnings: &mut Vec<Warning>,
    ) -> Result<T::Of<'a>, Box<Event<'a>>> {
        if let Some(item) = read {
            return Ok(item);
        }
        if !raw.get().starts_with('{') {
            let reason = format!("a {array}[] item is not an object");
            return Err(Box::new(self.unknown(raw, reason, Vec::new())));
        }
        decode_item::<T>(raw.get(), warnings).map_err(|e| {
            let reason = format!("unreadable {what}: {e}");
            Box::new(self.unknown(raw, reason, std::mem::take(warnings)))
        })
    }

    /// An item this library cannot type: its group and time when they can be read.
    #[cold]
    #[inline(never)]
    pub(crate) fn unknown(
        &self,
        raw: &'a RawValue,
        reason: String,
        warnings: Vec<Warning>,
    ) -> Event<'a> {
        #[derive(Deserialize)]
        struct Probe<'r> {
            #[serde(default, borrow, deserialize_with = "item::id_text")]
            group_id: Option<Cow<'r, str>>,
            #[serde(default, deserialize_with = "item::int")]
            timestamp: Option<i64>,
        }
        let key = format!("unknown|{}|{}", self.field_name, short_hash(raw));
        let mut e = self.event(
            EventBody::Unknown(Unrecognised { reason }),
            raw,
            key,
            warnings,
        );
        if raw.get().starts_with('{') {
            if let Ok(p) = serde_json::from_str::<Probe>(raw.get()) {
                e.group_id =
                    self.bounded_group_id(p.group_id.filter(|g| !g.is_empty()), &mut e.warnings);
                e.timestamp = p.timestamp;
            }
        }
        e
    }

    pub(crate) fn bounded_group_id(
        &self,
        group_id: Option<Cow<'a, str>>,
        warnings: &mut Vec<Warning>,
    ) -> Option<Cow<'a, str>> {
        group_id.filter(|g| fits(g.len(), "group_id", warnings))
    }

    /// The profile name of the contact with this `user_id` or `wa_id`, bounded.
    pub(crate) fn contact_name(
        &self,
        wa_id: Option<&str>,
        user_id: Option<&str>,
        warnings: &mut Vec<Warning>,
    ) -> Option<Cow<'a, str>> {
        let contact = self.contacts.iter().find(|c| {
            (user_id.is_some() && c.user_id.as_deref() == user_id)
                || (wa_id.is_some() && c.wa_id.as_deref() == wa_id)
        })?;
        let name = contact.name.as_ref()?;
        fits(name.len(), "contact_name", warnings).then(|| name.clone())
    }
}
