//! The batch handed to the JS binding as a tape: 32-bit words the package's JS turns into plain
//! objects in one walk, with every string that is a slice of the delivery given as its position
//! (the JS slices it from the body it already holds: nothing escaped, copied or parsed twice).
//! On the webhook corpus, writing the tape costs about a third of writing the same batch as JSON
//! text, and reading it in Node about 0.9x `JSON.parse` of the delivery itself (JSON text of the
//! batch took 1.4x to parse, then a walk to put its texts back).
//!
//! Layout, all 32-bit words: the number of value words `n`, the `n` words of the value, the byte
//! length of the side text, then the side text (UTF-8, four bytes to a word, little-endian, the
//! last word padded with zeros): every string not in the delivery, and each key the first time
//! it is sent. A value is a word whose low 4 bits are its tag and whose high 28 bits its payload:
//!
//! | tag | value | then |
//! |---|---|---|
//! | [`NULL`], [`FALSE`], [`TRUE`] | | |
//! | [`SMALL`] | the payload, an integer below 2^28 | |
//! | [`NUMBER`] | an `f64` | its bits, low word then high word |
//! | [`SPAN`] | a string of the delivery | its start and end, in UTF-16 units |
//! | [`SIDE`] | a string of the side text | its start and end, in UTF-16 units |
//! | [`JSON`] | a JSON text's value (payload 0: a slice of the delivery, 1: of the side text) | its start and end, in UTF-16 units |
//! | [`ARRAY`] | an array | its elements, then [`END`] |
//! | [`OBJECT`] | an object | key and value per member, then [`END`] |
//!
//! A key is [`KEY`] (payload: an id the JS already knows), [`NEW_KEY`] (payload: the id it
//! names from now on; then the key's start and end in the side text), or a [`SPAN`] / [`SIDE`]
//! string (a delivery's own member names, never kept). Ids live in [`Keys`], which the binding
//! keeps for the module's life on both sides, so that each key string is made once per process.
//! The model's own texts in value position (a variant's name, an event's `type`) are sent the
//! same way: [`KEY`] or [`NEW_KEY`] where a value goes is that key's string.
//!
//! A member name of the delivery serialises as a newtype struct named [`MEMBER`]: every other
//! serializer (JSON, Python objects) sees the string inside. A member kept as sent
//! ([`RawJson`](super::RawJson)) goes as its text, for the JS to read with `JSON.parse`: V8's
//! reader builds those objects faster than a walk of their tape would.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::flat::refused;
use super::raw_json::RAW_JSON;
use serde::ser::{
    self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct,
    SerializeStructVariant, SerializeTuple, SerializeTupleStruct, SerializeTupleVariant,
    Serializer,
};

/// The newtype name that marks a member name taken from the delivery.
pub(crate) const MEMBER: &str = "wagroups::member";

/// A member name of the delivery: a string to every serializer; the tape sends it inline
/// instead of keeping it as a key.
pub(crate) struct MemberName<'r>(pub(crate) &'r str);

impl Serialize for MemberName<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(MEMBER, self.0)
    }
}

pub const NULL: u32 = 0;
pub const FALSE: u32 = 1;
pub const TRUE: u32 = 2;
pub const SMALL: u32 = 3;
pub const NUMBER: u32 = 4;
pub const SPAN: u32 = 5;
pub const SIDE: u32 = 6;
pub const ARRAY: u32 = 7;
pub const OBJECT: u32 = 8;
pub const END: u32 = 9;
pub const KEY: u32 = 10;
pub const NEW_KEY: u32 = 11;
pub const JSON: u32 = 12;

const PAYLOAD_LIMIT: u64 = 1 << 28;
/// Keys kept at most, and the longest kept: the model's own names are about 150, short. The
/// rest (member names inside a message's `content`, once the table is full) go inline: slower,
/// never wrong, and the table cannot grow with what deliveries hold.
const MAX_KEYS: usize = 1024;
const MAX_KEY_LEN: usize = 64;

/// The keys both sides know, by id. Kept by the binding for as long as its JS keeps its own list
/// (the module's life); a fresh `Keys` goes with a fresh list on the JS side.
pub struct Keys {
    ids: HashMap<Box<str>, u32, BuildHasherDefault<KeyHash>>,
    /// The same ids by address and length for the model's field names (`&'static str`: such a
    /// text never changes), found without reading the text: a cache of [`SLOTS`] entries, two
    /// places per name.
    by_address: Vec<(usize, usize, u32)>,
}

const SLOTS: usize = 1024;

impl Keys {
    /// Every key from id `first` on forgotten.
    fn forget_from(&mut self, first: usize) {
        self.ids.retain(|_, id| (*id as usize) < first);
        for slot in &mut self.by_address {
            if slot.2 as usize >= first {
                *slot = (0, 0, 0);
            }
        }
    }
}

impl Default for Keys {
    fn default() -> Self {
        Keys {
            ids: HashMap::default(),
            // No text sits at address 0: an empty slot matches nothing.
            by_address: vec![(0, 0, 0); SLOTS],
        }
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys({} known)", self.ids.len())
    }
}

/// A fast hash for short keys (the default SipHash costs more than the rest of a key's trip).
/// Only the model's names and a bounded number of others are ever stored.
#[derive(Default)]
struct KeyHash(u64);

impl Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            if let Some(w) = word.get_mut(..chunk.len()) {
                w.copy_from_slice(chunk);
            }
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
}

/// `value` as a tape (see the module's documentation); strings that are slices of `delivery`
/// become its positions. `keys` must be the same table on every call whose tape one JS list
/// reads.
pub fn to_tape<T: Serialize + ?Sized>(
    value: &T,
    delivery: &[u8],
    keys: &mut Keys,
) -> Result<Vec<u32>, TapeError> {
    let mut out = Vec::new();
    to_tape_into(value, delivery, keys, &mut out)?;
    Ok(out)
}

/// [`to_tape`] into `out`, whose allocation is reused (a binding that hands the tape over in
/// place keeps one buffer); on an error `out` is left empty.
pub fn to_tape_into<T: Serialize + ?Sized>(
    value: &T,
    delivery: &[u8],
    keys: &mut Keys,
    out: &mut Vec<u32>,
) -> Result<(), TapeError> {
    let known = keys.ids.len();
    let mut w = Writer::new(delivery, keys, std::mem::take(out));
    match value.serialize(&mut w) {
        Ok(()) => {
            *out = w.finish()?;
            Ok(())
        }
        Err(e) => {
            // The JS never reads this tape: it must not miss the keys it introduced.
            w.keys.forget_from(known);
            *out = w.words;
            out.clear();
            Err(e)
        }
    }
}

/// Why a value could not be written as a tape (a map key that is not a string, a text over
/// 4 GiB).
#[derive(Debug)]
pub struct TapeError(String);

impl std::fmt::Display for TapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TapeError {}

impl ser::Error for TapeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        TapeError(msg.to_string())
    }
}

/// Where the delivery sits in memory, and how its byte offsets become UTF-16 offsets.
struct Delivery<'d> {
    bytes: &'d [u8],
    base: usize,
    /// `None` for an ASCII delivery (offsets are the same); else the UTF-16 offset at every
    /// [`MARK_EVERY`]th byte, counted on from there.
    marks: Option<Vec<u32>>,
}

const MARK_EVERY: usize = 64;

impl<'d> Delivery<'d> {
    fn of(bytes: &'d [u8]) -> Self {
        let marks = (!bytes.is_ascii()).then(|| {
            let mut units = 0u32;
            bytes
                .chunks(MARK_EVERY)
                .map(|chunk| {
                    let at = units;
                    units = units.wrapping_add(utf16_units(chunk));
                    at
                })
                .collect()
        });
        Delivery {
            bytes,
            base: bytes.as_ptr() as usize,
            marks,
        }
    }

    /// The UTF-16 range of a text inside the delivery, when it is a slice of it (only positions
    /// are compared to find out).
    fn span(&self, text: &str) -> Option<(u32, u32)> {
        let start = (text.as_ptr() as usize).checked_sub(self.base)?;
        let end = start.checked_add(text.len())?;
        if end > self.bytes.len() {
            return None;
        }
        let Some(marks) = &self.marks else {
            return Some((u32::try_from(start).ok()?, u32::try_from(end).ok()?));
        };
        let start_units = self.units_before(marks, start)?;
        let end_units = start_units.checked_add(utf16_units(text.as_bytes()))?;
        Some((start_units, end_units))
    }

    fn units_before(&self, marks: &[u32], byte: usize) -> Option<u32> {
        let mark = byte / MARK_EVERY;
        let from = mark * MARK_EVERY;
        Some(marks.get(mark).copied().unwrap_or(0) + utf16_units(self.bytes.get(from..byte)?))
    }
}

/// How many UTF-16 units UTF-8 `bytes` (whole characters) take: one per character, two for those
/// of four bytes.
fn utf16_units(bytes: &[u8]) -> u32 {
    let mut n = 0u32;
    for &b in bytes {
        n = n.wrapping_add(u32::from(b & 0xC0 != 0x80) + u32::from(b >= 0xF0));
    }
    n
}

struct Writer<'d, 'k> {
    words: Vec<u32>,
    side: String,
    side_units: u32,
    delivery: Delivery<'d>,
    keys: &'k mut Keys,
}

impl<'d, 'k> Writer<'d, 'k> {
    // `new` and `finish` are not generic: one copy serves every `to_tape`.
    fn new(delivery: &'d [u8], keys: &'k mut Keys, mut words: Vec<u32>) -> Self {
        words.clear();
        words.reserve(delivery.len() / 4 + 64);
        // The number of value words, known at the end.
        words.push(0);
        Writer {
            words,
            // Room for the usual side text (an event's keys, a few tens of bytes each) at once,
            // rather than growing it a few times per delivery.
            side: String::with_capacity(64 + delivery.len() / 4),
            side_units: 0,
            delivery: Delivery::of(delivery),
            keys,
        }
    }

    fn finish(self) -> Result<Vec<u32>, TapeError> {
        // (On an error the words are dropped: nothing reads a half-written tape.)
        let too_long = || TapeError("the tape is too long".into());
        let Writer {
            mut words, side, ..
        } = self;
        let n = u32::try_from(words.len() - 1).map_err(|_| too_long())?;
        if let Some(first) = words.first_mut() {
            *first = n;
        }
        words.push(u32::try_from(side.len()).map_err(|_| too_long())?);
        let whole = side.as_bytes().chunks_exact(4);
        let rest = whole.remainder();
        words.reserve(side.len() / 4 + 1);
        for chunk in whole {
            let mut word = [0u8; 4];
            word.copy_from_slice(chunk);
            words.push(u32::from_le_bytes(word));
        }
        if !rest.is_empty() {
            let mut word = [0u8; 4];
            if let Some(w) = word.get_mut(..rest.len()) {
                w.copy_from_slice(rest);
            }
            words.push(u32::from_le_bytes(word));
        }
        Ok(words)
    }

    #[inline(always)]
    fn put3(&mut self, a: u32, b: u32, c: u32) {
        // One check of the room for all three.
        self.words.extend_from_slice(&[a, b, c]);
    }

    /// A string: [`SPAN`] when it is a slice of the delivery, else [`SIDE`].
    fn string(&mut self, s: &str) -> Result<(), TapeError> {
        let (in_side, a, b) = self.place(s)?;
        self.put3(if in_side { SIDE } else { SPAN }, a, b);
        Ok(())
    }

    /// A JSON text, read by the JS as the value it holds (payload 1: in the side text).
    fn json_text(&mut self, s: &str) -> Result<(), TapeError> {
        let (in_side, a, b) = self.place(s)?;
        self.put3(JSON | u32::from(in_side) << 4, a, b);
        Ok(())
    }

    /// Where a text is read from: its range in the delivery when it is a slice of it, else in
    /// the side text (appended); `true` for the side text.
    #[inline(always)]
    fn place(&mut self, s: &str) -> Result<(bool, u32, u32), TapeError> {
        if let Some((a, b)) = self.delivery.span(s) {
            return Ok((false, a, b));
        }
        let (a, b) = self.push_side(s)?;
        Ok((true, a, b))
    }

    fn push_side(&mut self, s: &str) -> Result<(u32, u32), TapeError> {
        let units = if s.is_ascii() {
            u32::try_from(s.len()).ok()
        } else {
            u32::try_from(s.encode_utf16().count()).ok()
        };
        let start = self.side_units;
        let end = units
            .and_then(|u| start.checked_add(u))
            .ok_or_else(|| TapeError("the side text is too long".into()))?;
        self.side.push_str(s);
        self.side_units = end;
        Ok((start, end))
    }

    /// A text of the model's own (a field name, a variant name, an event's `type`): by address
    /// once seen. Sent as a key, also where a value goes: the JS takes the string it already
    /// holds for that id.
    fn known_text(&mut self, k: &'static str) -> Result<(), TapeError> {
        let (address, len) = (k.as_ptr() as usize, k.len());
        // Two places per name (the pair shares a cache line), found by a multiplicative hash.
        let hash = ((address as u64) ^ (len as u64) << 40).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let first = (hash >> 54) as usize & (SLOTS - 2);
        for slot in [first, first + 1] {
            if let Some(&(a, l, id)) = self.keys.by_address.get(slot) {
                if a == address && l == len {
                    self.words.push(KEY | id << 4);
                    return Ok(());
                }
            }
        }
        self.newly_known_text(k, first)
    }

    /// [`known_text`](Self::known_text) of a name not in its places: apart, so that the lookup,
    /// which runs for every member of every event, saves no registers for it (natively that
    /// was a third of its instructions).
    #[cold]
    #[inline(never)]
    fn newly_known_text(&mut self, k: &'static str, first: usize) -> Result<(), TapeError> {
        let address = k.as_ptr() as usize;
        let len = k.len();
        self.key(k)?;
        if let Some(&id) = self.keys.ids.get(k) {
            // The newest name takes the first place, the one it held moves to the second.
            if let Some([newest, older]) = self.keys.by_address.get_mut(first..first + 2) {
                *older = *newest;
                *newest = (address, len, id);
            }
        }
        Ok(())
    }

    /// A key: by id once both sides know it.
    fn key(&mut self, k: &str) -> Result<(), TapeError> {
        if let Some(&id) = self.keys.ids.get(k) {
            self.words.push(KEY | id << 4);
            return Ok(());
        }
        let id = self.keys.ids.len();
        if id >= MAX_KEYS || k.len() > MAX_KEY_LEN {
            return self.string(k);
        }
        let id = id as u32;
        self.keys.ids.insert(k.into(), id);
        let (a, b) = self.push_side(k)?;
        self.put3(NEW_KEY | id << 4, a, b);
        Ok(())
    }

    // Out of line, like `string`: called from every number field of every type.
    #[inline(never)]
    fn number(&mut self, v: f64) {
        if v.is_finite() {
            let bits = v.to_bits();
            self.put3(NUMBER, bits as u32, (bits >> 32) as u32);
        } else {
            // As JSON writes it.
            self.words.push(NULL);
        }
    }

    #[inline(never)]
    fn unsigned(&mut self, v: u64) {
        if v < PAYLOAD_LIMIT {
            self.words.push(SMALL | (v as u32) << 4);
        } else {
            self.number(v as f64);
        }
    }

    fn signed(&mut self, v: i64) {
        match u64::try_from(v) {
            Ok(u) => self.unsigned(u),
            Err(_) => self.number(v as f64),
        }
    }
}

macro_rules! numbers {
    ($($method:ident($ty:ty) => $how:ident as $as:ty;)*) => {
        $(fn $method(self, v: $ty) -> Result<(), TapeError> {
            self.$how(<$as>::from(v));
            Ok(())
        })*
    };
}

impl Serializer for &mut Writer<'_, '_> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), TapeError> {
        self.words.push(if v { TRUE } else { FALSE });
        Ok(())
    }

    numbers! {
        serialize_i8(i8) => signed as i64; serialize_i16(i16) => signed as i64;
        serialize_i32(i32) => signed as i64; serialize_i64(i64) => signed as i64;
        serialize_u8(u8) => unsigned as u64; serialize_u16(u16) => unsigned as u64;
        serialize_u32(u32) => unsigned as u64; serialize_u64(u64) => unsigned as u64;
        serialize_f32(f32) => number as f64; serialize_f64(f64) => number as f64;
    }

    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.string(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), TapeError> {
        self.words.push(ARRAY);
        for b in v {
            self.unsigned(u64::from(*b));
        }
        self.words.push(END);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), TapeError> {
        self.words.push(NULL);
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), TapeError> {
        v.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), TapeError> {
        self.words.push(NULL);
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), TapeError> {
        self.words.push(NULL);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.known_text(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), TapeError> {
        match name {
            RAW_JSON => v.serialize(KeyWriter {
                w: self,
                text: TextAs::Json,
            }),
            _ => v.serialize(self),
        }
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), TapeError> {
        self.words.push(OBJECT);
        self.known_text(variant)?;
        v.serialize(&mut *self)?;
        self.words.push(END);
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, TapeError> {
        open(self, None, ARRAY)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, TapeError> {
        open(self, None, ARRAY)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, TapeError> {
        open(self, None, ARRAY)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, TapeError> {
        open(self, Some(variant), ARRAY)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, TapeError> {
        open(self, None, OBJECT)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, TapeError> {
        open(self, None, OBJECT)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, TapeError> {
        open(self, Some(variant), OBJECT)
    }
}

/// A compound opened: its `tag`, inside `{variant: …}` for an enum's variant (as JSON writes
/// one); its `end` closes both.
fn open<'w, 'd, 'k>(
    w: &'w mut Writer<'d, 'k>,
    variant: Option<&'static str>,
    tag: u32,
) -> Result<&'w mut Writer<'d, 'k>, TapeError> {
    if let Some(variant) = variant {
        w.words.push(OBJECT);
        w.known_text(variant)?;
    }
    w.words.push(tag);
    Ok(w)
}

impl SerializeSeq for &mut Writer<'_, '_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), TapeError> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.words.push(END);
        Ok(())
    }
}

/// The other element-wise compounds: written like a list (a tuple variant closes its list and
/// the object around it).
macro_rules! like_a_list {
    ($($trait:ident :: $method:ident, $ends:expr;)*) => {$(
        impl $trait for &mut Writer<'_, '_> {
            type Ok = ();
            type Error = TapeError;
            fn $method<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), TapeError> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), TapeError> {
                for _ in 0..$ends {
                    self.words.push(END);
                }
                Ok(())
            }
        }
    )*};
}

like_a_list! {
    SerializeTuple::serialize_element, 1;
    SerializeTupleStruct::serialize_field, 1;
    SerializeTupleVariant::serialize_field, 2;
}

/// The compounds with named fields (a struct variant closes its object and the one around).
macro_rules! with_fields {
    ($($trait:ident, $ends:expr;)*) => {$(
        impl $trait for &mut Writer<'_, '_> {
            type Ok = ();
            type Error = TapeError;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), TapeError> {
                self.known_text(key)?;
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), TapeError> {
                for _ in 0..$ends {
                    self.words.push(END);
                }
                Ok(())
            }
        }
    )*};
}

with_fields! {
    SerializeStruct, 1;
    SerializeStructVariant, 2;
}

impl SerializeMap for &mut Writer<'_, '_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), TapeError> {
        k.serialize(KeyWriter {
            w: self,
            text: TextAs::Key,
        })
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), TapeError> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), TapeError> {
        self.words.push(END);
        Ok(())
    }
}

/// What a string-only place of the tape writes a string as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextAs {
    /// A map's key, kept by id.
    Key,
    /// A delivery's member name as a map key, sent as a string.
    Member,
    /// A [`RawJson`](super::RawJson)'s text, for the JS to read as the value it holds (the only
    /// thing a serializer that is not human-readable is given).
    Json,
}

/// A map's key, or a raw JSON member's text: the places of the tape that take only a string.
struct KeyWriter<'w, 'd, 'k> {
    w: &'w mut Writer<'d, 'k>,
    text: TextAs,
}

fn not_a_key() -> TapeError {
    TapeError("a map key must be a string".into())
}

impl Serializer for KeyWriter<'_, '_, '_> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Impossible<(), TapeError>;
    type SerializeTuple = Impossible<(), TapeError>;
    type SerializeTupleStruct = Impossible<(), TapeError>;
    type SerializeTupleVariant = Impossible<(), TapeError>;
    type SerializeMap = Impossible<(), TapeError>;
    type SerializeStruct = Impossible<(), TapeError>;
    type SerializeStructVariant = Impossible<(), TapeError>;

    fn is_human_readable(&self) -> bool {
        self.text != TextAs::Json
    }

    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        match self.text {
            TextAs::Key => self.w.key(v),
            TextAs::Member => self.w.string(v),
            TextAs::Json => self.w.json_text(v),
        }
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), TapeError> {
        let text = match (self.text, name) {
            (TextAs::Key, MEMBER) => TextAs::Member,
            (text, _) => text,
        };
        v.serialize(KeyWriter { text, ..self })
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.w.known_text(variant)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), TapeError> {
        v.serialize(self)
    }

    // Every map of the model is keyed by text.
    refused! { not_a_key();
        fn serialize_bool(bool) -> (); fn serialize_i8(i8) -> (); fn serialize_i16(i16) -> ();
        fn serialize_i32(i32) -> (); fn serialize_i64(i64) -> (); fn serialize_u8(u8) -> ();
        fn serialize_u16(u16) -> (); fn serialize_u32(u32) -> (); fn serialize_u64(u64) -> ();
        fn serialize_f32(f32) -> (); fn serialize_f64(f64) -> (); fn serialize_char(char) -> ();
        fn serialize_bytes(&[u8]) -> (); fn serialize_none() -> (); fn serialize_unit() -> ();
        fn serialize_unit_struct(&'static str) -> ();
        fn serialize_newtype_variant<T>(&'static str, u32, &'static str, &T) -> ();
        fn serialize_seq(Option<usize>) -> Self::SerializeSeq;
        fn serialize_tuple(usize) -> Self::SerializeTuple;
        fn serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        fn serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant;
        fn serialize_map(Option<usize>) -> Self::SerializeMap;
        fn serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        fn serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use serde_json::{json, Map, Value};

    /// What the package's JS does with a tape, written again here to check the writer: the
    /// value, with `known` the key list kept from call to call.
    fn read(tape: &[u32], delivery: &str, known: &mut Vec<String>) -> Value {
        let words = &tape[1..=tape[0] as usize];
        let side: Vec<u16> = side_text(tape).encode_utf16().collect();
        let body: Vec<u16> = delivery.encode_utf16().collect();
        struct R<'t> {
            w: &'t [u32],
            at: usize,
            side: &'t [u16],
            body: &'t [u16],
        }
        impl R<'_> {
            fn next(&mut self) -> u32 {
                self.at += 1;
                self.w[self.at - 1]
            }
            fn text(&mut self, from_body: bool) -> String {
                let (a, b) = (self.next() as usize, self.next() as usize);
                String::from_utf16(&if from_body { self.body } else { self.side }[a..b]).unwrap()
            }
            fn value(&mut self, known: &mut Vec<String>) -> Value {
                let w = self.next();
                match w & 15 {
                    NULL => Value::Null,
                    FALSE => Value::Bool(false),
                    TRUE => Value::Bool(true),
                    SMALL => json!(f64::from(w >> 4)),
                    NUMBER => {
                        let bits = u64::from(self.next()) | u64::from(self.next()) << 32;
                        json!(f64::from_bits(bits))
                    }
                    SPAN => Value::String(self.text(true)),
                    SIDE => Value::String(self.text(false)),
                    // What `JSON.parse` makes of the text.
                    JSON => as_js(serde_json::from_str(&self.text(w >> 4 == 0)).unwrap()),
                    KEY => Value::String(known[(w >> 4) as usize].clone()),
                    NEW_KEY => {
                        let text = self.text(false);
                        assert_eq!(known.len(), (w >> 4) as usize, "ids in order");
                        known.push(text.clone());
                        Value::String(text)
                    }
                    ARRAY => {
                        let mut out = Vec::new();
                        while self.w[self.at] != END {
                            out.push(self.value(known));
                        }
                        self.at += 1;
                        Value::Array(out)
                    }
                    OBJECT => {
                        let mut out = Map::new();
                        loop {
                            let k = self.next();
                            let key = match k & 15 {
                                END => return Value::Object(out),
                                KEY => known[(k >> 4) as usize].clone(),
                                NEW_KEY => {
                                    let key = self.text(false);
                                    assert_eq!(known.len(), (k >> 4) as usize, "ids in order");
                                    known.push(key.clone());
                                    key
                                }
                                SPAN => self.text(true),
                                SIDE => self.text(false),
                                _ => panic!("key word {k}"),
                            };
                            let v = self.value(known);
                            out.insert(key, v);
                        }
                    }
                    _ => panic!("word {w}"),
                }
            }
        }
        let mut r = R {
            w: words,
            at: 0,
            side: &side,
            body: &body,
        };
        let v = r.value(known);
        assert_eq!(r.at, words.len(), "every word read");
        v
    }

    /// The side text of a tape.
    fn side_text(tape: &[u32]) -> String {
        let n = tape[0] as usize;
        let len = tape[n + 1] as usize;
        let bytes: Vec<u8> = tape[n + 2..].iter().flat_map(|w| w.to_le_bytes()).collect();
        assert!(bytes[len..].iter().all(|b| *b == 0) && bytes.len() - len < 4);
        String::from_utf8(bytes[..len].to_vec()).unwrap()
    }

    /// A number as `JSON.parse` reads it (every number is a double in JS).
    fn as_js(v: Value) -> Value {
        match v {
            Value::Number(n) => json!(n.as_f64().unwrap()),
            Value::Array(a) => Value::Array(a.into_iter().map(as_js).collect()),
            Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, as_js(v))).collect()),
            other => other,
        }
    }

    fn corpus() -> Vec<String> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/webhooks");
        let mut bodies = Vec::new();
        for sub in std::fs::read_dir(dir).unwrap() {
            for f in std::fs::read_dir(sub.unwrap().path()).unwrap() {
                let case: Value =
                    serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
                if let Some(body) = case["input"]["body"].as_str() {
                    bodies.push(body.to_owned());
                }
            }
        }
        assert!(bodies.len() > 50);
        bodies
    }

    /// Every batch of the corpus reads back as the JSON the other bindings give, through one key
    /// table kept across all of them (the way the package uses it).
    #[test]
    fn the_corpus_reads_back_as_its_json() {
        let mut keys = Keys::default();
        let mut known = Vec::new();
        let mut words = 0;
        for body in corpus() {
            let Ok(batch) = crate::webhook::parse_webhook(body.as_bytes()) else {
                continue;
            };
            let tape = to_tape(&batch, body.as_bytes(), &mut keys).unwrap();
            words += tape.len();
            let read = read(&tape, &body, &mut known);
            assert_eq!(read, as_js(serde_json::to_value(&batch).unwrap()), "{body}");
        }
        assert!(words > 0);
    }

    /// Offsets count UTF-16 units, as JS strings do: characters of two, three and four bytes
    /// before and inside the strings sliced from the delivery, across many marks.
    #[test]
    fn positions_are_utf16_units() {
        let filler = "é€😀".repeat(40);
        let short = "é€😀".repeat(5);
        let body = format!(
            r#"{{"object":"whatsapp_business_account","{filler}":"x😀y","entry":[{{"id":"1","changes":[{{"field":"group_status_update","value":{{"groups":[{{"group_id":"G{short}","type":"group_suspend","timestamp":"7"}}]}}}}]}}]}}"#
        );
        let batch = crate::webhook::parse_webhook(body.as_bytes()).unwrap();
        let tape = to_tape(&batch, body.as_bytes(), &mut Keys::default()).unwrap();
        let read = read(&tape, &body, &mut Vec::new());
        assert_eq!(read, as_js(serde_json::to_value(&batch).unwrap()));
        assert_eq!(read["events"][0]["group_id"], format!("G{short}"));
        // The member name is a slice of the delivery, not side text.
        assert!(!side_text(&tape).contains(&filler));
    }

    /// A key is sent once per table; a fresh table (a fresh JS list) gets it again.
    #[test]
    fn keys_are_sent_once_per_table() {
        let value = json!({"status": 1, "nested": {"status": 2}});
        let mut keys = Keys::default();
        let mut known = Vec::new();
        let first = to_tape(&value, b"", &mut keys).unwrap();
        let again = to_tape(&value, b"", &mut keys).unwrap();
        assert!(again.len() < first.len());
        assert_eq!(read(&first, "", &mut known), as_js(value.clone()));
        assert_eq!(read(&again, "", &mut known), as_js(value.clone()));
        assert_eq!(known, ["status", "nested"]);
        let fresh = to_tape(&value, b"", &mut Keys::default()).unwrap();
        assert_eq!(fresh, first);
    }

    /// Past its bound the table keeps nothing more: further keys are sent as strings each time.
    #[test]
    fn the_key_table_is_bounded() {
        let mut keys = Keys::default();
        let mut known = Vec::new();
        let many: Map<String, Value> = (0..MAX_KEYS + 10)
            .map(|i| (format!("k{i}"), json!(i)))
            .collect();
        let long = "k".repeat(MAX_KEY_LEN + 1);
        let value = json!({"many": many, long.clone(): true});
        let tape = to_tape(&value, b"", &mut keys).unwrap();
        let expected = as_js(value.clone());
        assert!(read(&tape, "", &mut known) == expected);
        assert_eq!(keys.ids.len(), MAX_KEYS);
        assert!(!keys.ids.contains_key(long.as_str()));
        let again = to_tape(&value, b"", &mut keys).unwrap();
        assert!(read(&again, "", &mut known) == expected);
    }

    impl PartialEq for MemberName<'_> {
        fn eq(&self, o: &Self) -> bool {
            self.0 == o.0
        }
    }
    impl Eq for MemberName<'_> {}
    impl PartialOrd for MemberName<'_> {
        fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for MemberName<'_> {
        fn cmp(&self, o: &Self) -> std::cmp::Ordering {
            self.0.cmp(o.0)
        }
    }

    /// Numbers as `JSON.parse` reads their JSON text; strings outside the delivery, member names
    /// of the delivery and the other serde shapes as serde_json writes them.
    #[test]
    fn every_shape_reads_as_its_json() {
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(i8, bool),
            Struct { a: Option<char> },
        }
        #[derive(serde::Serialize)]
        struct Shapes<'a> {
            numbers: Vec<f64>,
            ints: (i64, i64, u64, u64, i32),
            nan: f64,
            member: std::collections::BTreeMap<MemberName<'a>, u8>,
            bytes: &'a serde_bytes_like::Bytes,
            enums: Vec<E>,
            text: String,
        }
        mod serde_bytes_like {
            pub struct Bytes(pub [u8; 2]);
            impl serde::Serialize for Bytes {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_bytes(&self.0)
                }
            }
        }
        let delivery = r#"{"name é":1}"#;
        let shapes = Shapes {
            numbers: vec![0.5, -1.25e300, 3.0],
            ints: (-7, i64::MIN, (1 << 28) - 1, u64::MAX, 1 << 28),
            nan: f64::NAN,
            member: [(MemberName(&delivery[2..9]), 1)].into_iter().collect(),
            bytes: &serde_bytes_like::Bytes([0, 255]),
            enums: vec![
                E::Unit,
                E::New(3),
                E::Tuple(-1, true),
                E::Struct { a: Some('ß') },
            ],
            text: "line\n\"quoted\" \u{feff}😀".into(),
        };
        let mut keys = Keys::default();
        let tape = to_tape(&shapes, delivery.as_bytes(), &mut keys).unwrap();
        let expected = as_js(serde_json::to_value(&shapes).unwrap());
        assert_eq!(read(&tape, delivery, &mut Vec::new()), expected);
        // The member name was sent as a slice of the delivery and not kept as a key.
        assert!(!keys.ids.contains_key("name é"));
    }

    /// What the model never holds is refused with an error, not written wrongly, and the keys
    /// that tape introduced are forgotten (its reader never sees them).
    #[test]
    fn a_map_keyed_by_numbers_is_refused() {
        #[derive(serde::Serialize)]
        struct Odd {
            fresh: u8,
            by_number: std::collections::BTreeMap<u32, ()>,
        }
        let mut keys = Keys::default();
        to_tape(&json!({"kept": 1}), b"", &mut keys).unwrap();
        let odd = Odd {
            fresh: 1,
            by_number: [(12, ())].into_iter().collect(),
        };
        let e = to_tape(&odd, b"", &mut keys).unwrap_err();
        assert_eq!(e.to_string(), "a map key must be a string");
        assert_eq!(keys.ids.len(), 1);
        assert!(keys.by_address.iter().all(|s| s.2 == 0));
        let mut known = vec!["kept".to_owned()];
        let fresh = to_tape(&json!({"fresh": 2}), b"", &mut keys).unwrap();
        assert_eq!(read(&fresh, "", &mut known), json!({"fresh": 2.0}));
    }

    /// A buffer used again gives the same tape as a fresh one, whatever it held before.
    #[test]
    fn a_reused_buffer_holds_only_the_new_tape() {
        let mut keys = Keys::default();
        let mut buffer = Vec::new();
        to_tape_into(&json!({"a": vec!["x"; 50]}), b"", &mut keys, &mut buffer).unwrap();
        to_tape_into(&json!({"a": 1}), b"", &mut keys, &mut buffer).unwrap();
        assert_eq!(buffer, to_tape(&json!({"a": 1}), b"", &mut keys).unwrap());
    }
}
