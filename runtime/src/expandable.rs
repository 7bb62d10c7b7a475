//! An id or the object it names: what a field written `anyOf: [{type: string}, {$ref: X}]`
//! holds (Stripe's expandable fields: `"file_123"`, or the file itself when the request
//! asked to expand it). One generic type for every such field, instead of a union per
//! place.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An id, or the object it names.
#[derive(Debug, Clone, PartialEq)]
pub enum Expandable<T> {
    /// The object's id (the field was not expanded).
    Id(String),
    /// The object itself.
    Object(Box<T>),
}

impl<T> Expandable<T> {
    /// The id, when that is what the field holds.
    pub fn id(&self) -> Option<&str> {
        match self {
            Expandable::Id(id) => Some(id),
            Expandable::Object(_) => None,
        }
    }

    /// The object, when the field holds it.
    pub fn object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }

    /// The object, when the field holds it.
    pub fn into_object(self) -> Option<T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(*object),
        }
    }
}

impl<T> From<String> for Expandable<T> {
    fn from(id: String) -> Self {
        Expandable::Id(id)
    }
}

impl<T: Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => serializer.serialize_str(id),
            Expandable::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExpandableVisitor(PhantomData))
    }
}

struct ExpandableVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExpandableVisitor<T> {
    type Value = Expandable<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id (a string) or an object")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Expandable::Id(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Expandable::Id(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let object = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Expandable::Object(Box::new(object)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        id: String,
        size: u32,
    }

    #[test]
    fn an_id_or_the_object_round_trips() {
        let id: Expandable<File> = serde_json::from_str(r#""file_1""#).unwrap();
        assert_eq!(id.id(), Some("file_1"));
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""file_1""#);
        let text = r#"{"id":"file_1","size":3}"#;
        let object: Expandable<File> = serde_json::from_str(text).unwrap();
        assert_eq!(object.object().map(|f| f.size), Some(3));
        assert_eq!(serde_json::to_string(&object).unwrap(), text);
    }

    #[test]
    fn anything_else_is_refused_with_what_was_expected() {
        for text in ["3", "null", "[]", "true"] {
            let e = serde_json::from_str::<Expandable<File>>(text).unwrap_err();
            assert!(
                e.to_string().contains("an id (a string) or an object"),
                "{text}: {e}"
            );
        }
        // The object's own errors come through.
        let e = serde_json::from_str::<Expandable<File>>(r#"{"id":"f","size":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
    }
}
