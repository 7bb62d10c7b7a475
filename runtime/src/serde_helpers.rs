//! serde helpers for the field shapes JSON Schema has and serde lacks a word for.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer};
use serde::{Serialize, Serializer};

/// For a required field that may be `null`: the key must be present (serde would
/// otherwise treat a missing `Option` field as `None`).
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// For an optional field of any JSON: a present `null` is `Some(Value::Null)`, so that
/// it is written back (serde alone would read it as absent).
pub fn present<'de, D>(deserializer: D) -> Result<Option<serde_json::Value>, D::Error>
where
    D: Deserializer<'de>,
{
    serde_json::Value::deserialize(deserializer).map(Some)
}

/// For an optional field that may be `null`: absent is `None`, `null` is `Some(None)`.
/// Use with `#[serde(default, skip_serializing_if = "Option::is_none", with = "...")]`.
pub mod double_option {
    use super::*;

    pub fn serialize<S, T>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// For the one field of a one-item tuple struct (`prefixItems` of length 1): the value is
/// written `[item]`. serde reads a one-field tuple struct as the field itself, so the
/// field carries this. Use with `#[serde(with = "...")]`.
pub mod single_item {
    use super::*;

    pub fn serialize<S, T>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: Serialize,
    {
        (value,).serialize(serializer)
    }

    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        <(T,)>::deserialize(deserializer).map(|(item,)| item)
    }
}

/// A boolean that admits one value only, as in `{type: boolean, enum: [false]}`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BoolLiteral<const V: bool>;

impl<const V: bool> fmt::Debug for BoolLiteral<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{V}")
    }
}

impl<const V: bool> Serialize for BoolLiteral<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(V)
    }
}

impl<'de, const V: bool> Deserialize<'de> for BoolLiteral<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let b = bool::deserialize(deserializer)?;
        if b == V {
            Ok(BoolLiteral)
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Bool(b),
                &if V { "true" } else { "false" },
            ))
        }
    }
}

/// The impls an open enum of generated code shares, from its `as_str` and its
/// `From<&str>` (which the generated code writes out, as `match`es): `From<String>`
/// (keeping the `String` of an unlisted value), `Display`, and `Serialize` and
/// `Deserialize` as the string.
#[macro_export]
macro_rules! open_enum {
    ($name:ident, $unknown:ident) => {
        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::$unknown(_) => Self::$unknown(value),
                    known => known,
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::serde_helpers::open_enum(deserializer)
            }
        }
    };
}

/// For an open enum: a listed value decodes from the input's string without copying it;
/// only a value the spec does not list is kept as a `String`.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<String> + for<'a> From<&'a str>,
{
    deserializer.deserialize_str(OpenEnum(std::marker::PhantomData))
}

struct OpenEnum<T>(std::marker::PhantomData<T>);

impl<'de, T: From<String> + for<'a> From<&'a str>> de::Visitor<'de> for OpenEnum<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}
