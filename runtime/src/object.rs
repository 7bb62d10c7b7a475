//! Structs that decode from JSON objects only.
//!
//! serde's derived `Deserialize` for a struct also accepts a sequence of its fields in
//! order (`["Bo", 3]` for `{name, age}`), which JSON Schema's `type: object` rejects.
//! Generated structs derive with `#[serde(remote = "Self")]` and call [`object_only!`](crate::object_only),
//! whose `Deserialize` hands the derived code a deserializer that asks for a map where
//! the derived code asks for a struct: an array is then an "invalid type" error.

use serde::de::{Deserializer, Visitor};

/// A deserializer that reads a struct only from a map (a JSON object).
pub struct ObjectOnly<D>(pub D);

/// Forwards each `deserialize_*` method to the inner deserializer.
macro_rules! forward {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                self.0.$method(visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    /// The one change: a struct is read from a map, never from a sequence.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The `Serialize` and `Deserialize` impls of a struct derived with
/// `#[serde(remote = "Self")]`: the derived code, with structs read from objects only.
#[macro_export]
macro_rules! object_only {
    ($name:ident) => {
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                $name::deserialize($crate::object::ObjectOnly(deserializer))
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                $name::serialize(self, serializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(remote = "Self")]
    struct Person {
        name: String,
        #[serde(default)]
        age: Option<u32>,
    }
    crate::object_only!(Person);

    #[test]
    fn objects_decode_and_arrays_do_not() {
        let bo: Person = serde_json::from_str(r#"{"name": "Bo", "age": 3}"#).unwrap();
        assert_eq!(bo.age, Some(3));
        let e = serde_json::from_str::<Person>(r#"["Bo", 3]"#).unwrap_err();
        assert!(e.to_string().contains("invalid type: sequence"), "{e}");
        let e = serde_json::from_value::<Person>(serde_json::json!(["Bo"])).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
        assert_eq!(
            serde_json::to_value(&bo).unwrap(),
            serde_json::json!({"name": "Bo", "age": 3})
        );
    }
}
