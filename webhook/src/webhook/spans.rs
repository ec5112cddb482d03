//! The batch written with its exact texts as byte ranges of the delivery, for a binding that
//! holds the delivery and slices the strings itself (nothing escaped, copied or parsed twice).
//!
//! An exact text serialises as a newtype struct named [`EXACT`]: every other serializer (JSON,
//! Python objects) sees the string inside. [`Spans`] wraps a serializer and, at that name only,
//! writes `[start, end]` when the text lies inside the delivery; everything else passes through.
//! The delivery travels in the wrapper, never in global state.

use serde::ser::{
    self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct,
    SerializeStructVariant, SerializeTuple, SerializeTupleStruct, SerializeTupleVariant,
    Serializer,
};

use super::event::Batch;

/// The newtype name that marks an exact text.
pub(crate) const EXACT: &str = "wagroups::exact";

/// An exact text: a string to every serializer but [`Spans`].
pub(crate) fn exact<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(EXACT, text)
}

/// The batch as JSON text in which every exact text that is a slice of `delivery` (`raw`,
/// contacts' `raw`, unknown members) is written as its byte range `[start, end]` instead of a
/// string.
pub fn to_json_with_spans(batch: &Batch<'_>, delivery: &[u8]) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(delivery.len() * 2);
    let mut json = serde_json::Serializer::new(&mut out);
    batch.serialize(Spans {
        inner: &mut json,
        delivery: Delivery::of(delivery),
    })?;
    // serde_json writes UTF-8 only.
    String::from_utf8(out).map_err(|e| ser::Error::custom(e.to_string()))
}

/// Where the delivery sits in memory.
#[derive(Clone, Copy)]
struct Delivery {
    base: usize,
    len: usize,
}

impl Delivery {
    fn of(bytes: &[u8]) -> Self {
        Delivery {
            base: bytes.as_ptr() as usize,
            len: bytes.len(),
        }
    }

    /// The byte range of a text at `address` with `len` bytes inside the delivery, when it is a
    /// slice of it (only positions are compared; no memory is read).
    fn span(self, (address, len): (usize, usize)) -> Option<[usize; 2]> {
        let start = address.checked_sub(self.base)?;
        let end = start.checked_add(len)?;
        (end <= self.len).then_some([start, end])
    }
}

/// A serializer that writes exact texts inside the delivery as spans.
struct Spans<S> {
    inner: S,
    delivery: Delivery,
}

/// A value below the wrapper: serialised through it too.
struct Within<'v, T: ?Sized> {
    value: &'v T,
    delivery: Delivery,
}

impl<T: ?Sized + Serialize> Serialize for Within<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Spans {
            inner: s,
            delivery: self.delivery,
        })
    }
}

/// A compound (list, map, struct…) whose members go through the wrapper.
struct Compound<C> {
    inner: C,
    delivery: Delivery,
}

impl<C> Compound<C> {
    fn within<'v, T: ?Sized>(&self, value: &'v T) -> Within<'v, T> {
        Within {
            value,
            delivery: self.delivery,
        }
    }
}

/// Where the text an exact-text newtype holds sits: its address and length, no copy.
#[derive(Default)]
struct Capture(Option<(usize, usize)>);

macro_rules! not_text {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Self::Error> {
            Err(ser::Error::custom("not a text"))
        })*
    };
}

#[derive(Debug)]
struct NotText;

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a text")
    }
}

impl std::error::Error for NotText {}

impl ser::Error for NotText {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotText
    }
}

impl Serializer for &mut Capture {
    type Ok = ();
    type Error = NotText;
    type SerializeSeq = Impossible<(), NotText>;
    type SerializeTuple = Impossible<(), NotText>;
    type SerializeTupleStruct = Impossible<(), NotText>;
    type SerializeTupleVariant = Impossible<(), NotText>;
    type SerializeMap = Impossible<(), NotText>;
    type SerializeStruct = Impossible<(), NotText>;
    type SerializeStructVariant = Impossible<(), NotText>;

    fn serialize_str(self, v: &str) -> Result<(), NotText> {
        self.0 = Some((v.as_ptr() as usize, v.len()));
        Ok(())
    }

    not_text! {
        serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
        serialize_i64(i64); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
        serialize_u64(u64); serialize_f32(f32); serialize_f64(f64); serialize_char(char);
        serialize_bytes(&[u8]); serialize_none(); serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), NotText> {
        Err(NotText)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotText> {
        Err(NotText)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotText> {
        Err(NotText)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotText> {
        Err(NotText)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotText> {
        Err(NotText)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotText> {
        Err(NotText)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotText> {
        Err(NotText)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotText> {
        Err(NotText)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotText> {
        Err(NotText)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotText> {
        Err(NotText)
    }
}

impl Capture {
    /// The address and length of the text `value` serialises as, if it is one.
    fn text_of<T: ?Sized + Serialize>(value: &T) -> Option<(usize, usize)> {
        let mut found = Capture::default();
        value.serialize(&mut found).ok()?;
        found.0
    }
}

macro_rules! pass {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<Self::Ok, Self::Error> {
            self.inner.$method($($arg),*)
        })*
    };
}

impl<S: Serializer> Serializer for Spans<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<S::SerializeSeq>;
    type SerializeTuple = Compound<S::SerializeTuple>;
    type SerializeTupleStruct = Compound<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<S::SerializeTupleVariant>;
    type SerializeMap = Compound<S::SerializeMap>;
    type SerializeStruct = Compound<S::SerializeStruct>;
    type SerializeStructVariant = Compound<S::SerializeStructVariant>;

    pass! {
        serialize_bool(v: bool); serialize_i8(v: i8); serialize_i16(v: i16);
        serialize_i32(v: i32); serialize_i64(v: i64); serialize_u8(v: u8); serialize_u16(v: u16);
        serialize_u32(v: u32); serialize_u64(v: u64); serialize_f32(v: f32); serialize_f64(v: f64);
        serialize_char(v: char); serialize_str(v: &str); serialize_bytes(v: &[u8]);
        serialize_none(); serialize_unit(); serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<S::Ok, S::Error> {
        let d = self.delivery;
        self.inner.serialize_some(&Within {
            value: v,
            delivery: d,
        })
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        if name == EXACT {
            if let Some(span) = Capture::text_of(v).and_then(|t| self.delivery.span(t)) {
                return span.serialize(self.inner);
            }
            return v.serialize(self.inner);
        }
        let d = self.delivery;
        self.inner.serialize_newtype_struct(
            name,
            &Within {
                value: v,
                delivery: d,
            },
        )
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        let d = self.delivery;
        self.inner.serialize_newtype_variant(
            name,
            index,
            variant,
            &Within {
                value: v,
                delivery: d,
            },
        )
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(Compound {
            inner: self.inner.serialize_seq(len)?,
            delivery: self.delivery,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(Compound {
            inner: self.inner.serialize_tuple(len)?,
            delivery: self.delivery,
        })
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Ok(Compound {
            inner: self.inner.serialize_tuple_struct(name, len)?,
            delivery: self.delivery,
        })
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Ok(Compound {
            inner: self
                .inner
                .serialize_tuple_variant(name, index, variant, len)?,
            delivery: self.delivery,
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Ok(Compound {
            inner: self.inner.serialize_map(len)?,
            delivery: self.delivery,
        })
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Compound {
            inner: self.inner.serialize_struct(name, len)?,
            delivery: self.delivery,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Ok(Compound {
            inner: self
                .inner
                .serialize_struct_variant(name, index, variant, len)?,
            delivery: self.delivery,
        })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// The compounds whose members are plain values (`serialize_element` or `serialize_field`).
macro_rules! members_within {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<C: $trait> $trait for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn $method<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), C::Error> {
                let w = self.within(v);
                self.inner.$method(&w)
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    )*};
}

members_within!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The compounds whose members are named fields.
macro_rules! fields_within {
    ($($trait:ident),*) => {$(
        impl<C: $trait> $trait for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), C::Error> {
                let w = self.within(v);
                self.inner.serialize_field(key, &w)
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
                self.inner.skip_field(key)
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    )*};
}

fields_within!(SerializeStruct, SerializeStructVariant);

impl<C: SerializeMap> SerializeMap for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), C::Error> {
        self.inner.serialize_key(k)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), C::Error> {
        let w = self.within(v);
        self.inner.serialize_value(&w)
    }
    fn serialize_entry<K: ?Sized + Serialize, V: ?Sized + Serialize>(
        &mut self,
        k: &K,
        v: &V,
    ) -> Result<(), C::Error> {
        let w = self.within(v);
        self.inner.serialize_entry(k, &w)
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// Every span names exactly the text the plain JSON holds at the same place; nothing else
    /// changes, and a second delivery elsewhere in memory gets no spans.
    #[test]
    fn spans_are_the_exact_texts_and_only_those() {
        let body = br#"{"object":"whatsapp_business_account","x":{"y":1},"entry":[{"id":"1","changes":[{"field":"group_status_update","value":{"groups":[{"group_id":"G","type":"group_suspend","timestamp":"7"}]}}]}]}"#;
        let batch = crate::webhook::parse_webhook(body).unwrap();
        let plain: serde_json::Value = serde_json::to_value(&batch).unwrap();
        let spanned: serde_json::Value =
            serde_json::from_str(&to_json_with_spans(&batch, body).unwrap()).unwrap();
        let text = std::str::from_utf8(body).unwrap();
        let slice = |v: &serde_json::Value| {
            let r = v.as_array().unwrap();
            text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_owned()
        };
        assert_eq!(
            slice(&spanned["events"][0]["raw"]),
            plain["events"][0]["raw"]
        );
        assert_eq!(slice(&spanned["unknown"]["x"]), plain["unknown"]["x"]);
        let mut rebuilt = spanned.clone();
        rebuilt["events"][0]["raw"] =
            serde_json::Value::String(slice(&spanned["events"][0]["raw"]));
        rebuilt["unknown"]["x"] = serde_json::Value::String(slice(&spanned["unknown"]["x"]));
        assert_eq!(rebuilt, plain);
        let elsewhere = body.to_vec();
        let unspanned: serde_json::Value =
            serde_json::from_str(&to_json_with_spans(&batch, &elsewhere).unwrap()).unwrap();
        assert_eq!(unspanned, plain);
    }
}
