//! A struct's members written into another struct that is already open: what
//! `#[serde(flatten)]` does, but into a struct instead of a map (see `Event`'s `Serialize`).
//! Only structs can be flattened this way (every event body is one, its `type` tag included).

use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};

/// A serializer that accepts one struct and writes its fields into `.0`.
pub(crate) struct Flat<'s, S>(pub(crate) &'s mut S);

fn only_structs<E: ser::Error>() -> E {
    E::custom("only a struct can be flattened into another")
}

/// Serializer methods that refuse what they are given with `$error`: for serializers that take
/// only some shapes (this one, and the tape's map keys). Each is listed as
/// `fn name<T>(argument types) -> success type;`, the `<T>` for the generic ones.
macro_rules! refused {
    ($error:expr; $(fn $method:ident $(<$t:ident>)? ($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method $(<$t: ?Sized + Serialize>)? (self, $(_: $arg),*)
            -> Result<$ok, Self::Error> {
            Err($error)
        })*
    };
}
pub(crate) use refused;

impl<'s, S: SerializeStruct> Serializer for Flat<'s, S> {
    type Ok = ();
    type Error = S::Error;
    type SerializeSeq = Impossible<(), S::Error>;
    type SerializeTuple = Impossible<(), S::Error>;
    type SerializeTupleStruct = Impossible<(), S::Error>;
    type SerializeTupleVariant = Impossible<(), S::Error>;
    type SerializeMap = Impossible<(), S::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), S::Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, S::Error> {
        Ok(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), S::Error> {
        v.serialize(self)
    }

    refused! { only_structs();
        fn serialize_bool(bool) -> (); fn serialize_i8(i8) -> (); fn serialize_i16(i16) -> ();
        fn serialize_i32(i32) -> (); fn serialize_i64(i64) -> (); fn serialize_u8(u8) -> ();
        fn serialize_u16(u16) -> (); fn serialize_u32(u32) -> (); fn serialize_u64(u64) -> ();
        fn serialize_f32(f32) -> (); fn serialize_f64(f64) -> (); fn serialize_char(char) -> ();
        fn serialize_str(&str) -> (); fn serialize_bytes(&[u8]) -> ();
        fn serialize_none() -> (); fn serialize_unit() -> ();
        fn serialize_unit_struct(&'static str) -> ();
        fn serialize_unit_variant(&'static str, u32, &'static str) -> ();
        fn serialize_some<T>(&T) -> ();
        fn serialize_newtype_variant<T>(&'static str, u32, &'static str, &T) -> ();
        fn serialize_seq(Option<usize>) -> Self::SerializeSeq;
        fn serialize_tuple(usize) -> Self::SerializeTuple;
        fn serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        fn serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant;
        fn serialize_map(Option<usize>) -> Self::SerializeMap;
        fn serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant;
    }
}

impl<S: SerializeStruct> SerializeStruct for Flat<'_, S> {
    type Ok = ();
    type Error = S::Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, v)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }
    fn end(self) -> Result<(), S::Error> {
        Ok(())
    }
}
