//! Decoding helpers for `oneOf`/`anyOf` unions: the generated code looks at the JSON kind,
//! then at tag properties or required keys, and decodes the one branch that fits; the
//! object branches of an `anyOf` that can hold together are each decoded and merged back.

use serde::de::{self, DeserializeOwned};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The kind of a JSON value, with integers told apart from other numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Integer,
    Float,
    String,
    Array,
    Object,
}

pub fn kind(value: &Value) -> Kind {
    match value {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
        Value::Number(_) => Kind::Float,
        Value::String(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Object(_) => Kind::Object,
    }
}

/// The string value of property `key`, when `value` is an object that has one.
pub fn tag<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// Whether `value` is an object with every one of `keys`.
pub fn has_keys(value: &Value, keys: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|o| keys.iter().all(|k| o.contains_key(*k)))
}

/// Whether `value` is an empty array or one whose first item is of one of `kinds`.
pub fn first_item_in(value: &Value, kinds: &[Kind]) -> bool {
    match value.as_array().and_then(|a| a.first()) {
        None => true,
        Some(first) => kinds.contains(&kind(first)),
    }
}

/// Decodes `value` as `T` and wraps it in the variant `wrap`.
pub fn decode<T, U, E>(value: Value, wrap: impl FnOnce(T) -> U) -> Result<U, E>
where
    T: DeserializeOwned,
    E: de::Error,
{
    serde_json::from_value(value).map(wrap).map_err(E::custom)
}

/// Decodes an object as `T` after removing the tag properties `keys`, which the variant
/// implies (so a struct that keeps undeclared properties does not keep the tags too).
pub fn decode_without<T, U, E>(
    mut value: Value,
    keys: &[&str],
    wrap: impl FnOnce(T) -> U,
) -> Result<U, E>
where
    T: DeserializeOwned,
    E: de::Error,
{
    if let Value::Object(map) = &mut value {
        for key in keys {
            map.remove(*key);
        }
    }
    decode(value, wrap)
}

/// The error for a value no branch of union `name` accepts.
pub fn mismatch<E: de::Error>(name: &str, value: &Value, expected: &str) -> E {
    let found = match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    };
    E::custom(format_args!("{name}: expected {expected}, found {found}"))
}

/// The error for an object whose tag values name no branch of union `name`.
pub fn unknown_tags<E: de::Error>(name: &str, keys: &[&str], value: &Value) -> E {
    let found: Vec<String> = keys
        .iter()
        .map(|k| match value.get(*k) {
            Some(v) => format!("{k}={v}"),
            None => format!("no {k}"),
        })
        .collect();
    E::custom(format_args!("{name}: no variant has {}", found.join(", ")))
}

/// Serialises `inner` (an object) with the tag properties of its variant set, replacing
/// any it has.
pub fn serialize_tagged<S, T>(
    serializer: S,
    tags: &[(&str, &str)],
    inner: &T,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    use serde::ser::Error;
    let mut map = match serde_json::to_value(inner).map_err(S::Error::custom)? {
        Value::Object(map) => map,
        // Only objects carry tags: anything else is written as it is.
        other => return other.serialize(serializer),
    };
    for (key, value) in tags {
        map.insert((*key).to_string(), Value::String((*value).to_string()));
    }
    map.serialize(serializer)
}

/// `value` read as one branch of an `anyOf`; when it is not one, why is added to `errors`.
pub fn branch<T: DeserializeOwned>(value: &Value, errors: &mut Vec<String>) -> Option<T> {
    match serde_json::from_value(value.clone()) {
        Ok(decoded) => Some(decoded),
        Err(e) => {
            errors.push(e.to_string());
            None
        }
    }
}

/// The error for an object that no branch of the `anyOf` `name` accepts: each branch
/// (named by `branches`) with the reason it gave.
pub fn no_branch<E: de::Error>(name: &str, branches: &[&str], errors: &[String]) -> E {
    let reasons: Vec<String> = branches
        .iter()
        .zip(errors)
        .map(|(branch, e)| format!("as {branch}: {e}"))
        .collect();
    E::custom(format_args!(
        "{name}: the object matches none of its branches ({})",
        reasons.join("; ")
    ))
}

/// Serialises the objects of the `anyOf` branches an object matches as one object: the
/// properties of each, the first branch's value where two have the same property.
pub fn serialize_merged<S: Serializer>(
    serializer: S,
    name: &str,
    parts: Vec<Value>,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error;
    if parts.is_empty() {
        return Err(S::Error::custom(format_args!(
            "{name}: no branch is set, so there is nothing to write"
        )));
    }
    let mut merged = serde_json::Map::new();
    for part in parts {
        match part {
            Value::Object(map) => {
                for (key, value) in map {
                    merged.entry(key).or_insert(value);
                }
            }
            other => return other.serialize(serializer),
        }
    }
    merged.serialize(serializer)
}
