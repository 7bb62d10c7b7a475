//! Tree: spec text (JSON or YAML) into a `serde_json::Value`, with the same rules for both.
//!
//! One reader for both formats, so they are treated alike: a key written twice in one
//! object is an error (YAML's rule; JSON parsers differ, and serde_json keeps the last),
//! mapping keys that are numbers or booleans (`200:`) become strings, YAML tags are
//! dropped, and a number JSON cannot hold (`1e400`, integers past 64 bits) is an error
//! that says what was found. Each problem carries its JSON pointer; the parser adds the
//! line. Depth is bounded by the parsers' own recursion limits (128 levels).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A problem found while reading the tree: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
}

/// Reads one value from `deserializer`. On failure, the problem found by this reader (with
/// its pointer) when there is one, else `None` and the parser's own error.
pub fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Value, (Option<Problem>, D::Error)> {
    let problem = RefCell::new(None);
    let seed = ValueSeed {
        at: &Path::Root,
        problem: &problem,
    };
    seed.deserialize(deserializer)
        .map_err(|e| (problem.into_inner(), e))
}

/// Where a value sits, as a chain of parents (built only on the stack, rendered on error).
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn pointer(&self) -> String {
        let mut tokens = Vec::new();
        let mut at = self;
        loop {
            match at {
                Path::Root => break,
                Path::Key(parent, key) => {
                    tokens.push(crate::error::escape_token(key));
                    at = parent;
                }
                Path::Index(parent, i) => {
                    tokens.push(i.to_string());
                    at = parent;
                }
            }
        }
        tokens
            .iter()
            .rev()
            .fold(String::new(), |p, t| format!("{p}/{t}"))
    }
}

#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    at: &'a Path<'a>,
    problem: &'a RefCell<Option<Problem>>,
}

impl ValueSeed<'_> {
    fn fail<E: de::Error>(&self, message: String) -> E {
        let pointer = self.at.pointer();
        let shown = message.clone();
        self.problem
            .borrow_mut()
            .get_or_insert(Problem { pointer, message });
        E::custom(shown)
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON or YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Err(self.fail(format!(
            "the integer {v} does not fit in 64 bits; write it as a string or a smaller number"
        )))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Err(self.fail(format!(
            "the integer {v} does not fit in 64 bits; write it as a string or a smaller number"
        )))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| {
                self.fail(format!(
                    "the number {v} cannot be written in JSON (too large, or not a number)"
                ))
            })
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(self.fail("binary data is not a JSON value".into()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let at = Path::Index(self.at, items.len());
            let seed = ValueSeed {
                at: &at,
                problem: self.problem,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            if out.contains_key(&key) {
                let at = Path::Key(self.at, &key);
                let seed = ValueSeed { at: &at, ..self };
                return Err(seed.fail(format!("the key {key:?} is written twice in this object")));
            }
            let at = Path::Key(self.at, &key);
            let value = map.next_value_seed(ValueSeed {
                at: &at,
                problem: self.problem,
            })?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML tag (`!Ref x`): the tag is dropped, the value kept.
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

/// A mapping key: strings as they are, scalars (`200`, `true`, `null`) as their text.
struct KeySeed<'a>(ValueSeed<'a>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or another scalar as a mapping key")
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".into())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self
            .0
            .fail("a mapping key must be a scalar, not a sequence".into()))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self
            .0
            .fail("a mapping key must be a scalar, not a mapping".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Result<Value, Option<Problem>> {
        let mut d = serde_json::Deserializer::from_str(text);
        read(&mut d).map_err(|(p, _)| p)
    }

    fn yaml(text: &str) -> Result<Value, Option<Problem>> {
        read(serde_yaml::Deserializer::from_str(text)).map_err(|(p, _)| p)
    }

    fn problem<'a>(pointer: &'a str, words: &'a str) -> impl Fn(Option<Problem>) -> bool + 'a {
        move |p| p.is_some_and(|p| p.pointer == pointer && p.message.contains(words))
    }

    #[test]
    fn duplicate_keys_are_refused_in_both_formats() {
        let e = json(r#"{"a": {"b": 1, "b": 2}}"#).unwrap_err();
        assert!(problem("/a/b", "written twice")(e));
        let e = yaml("a:\n  - x: 1\n    x: 2\n").unwrap_err();
        assert!(problem("/a/0/x", "written twice")(e));
    }

    #[test]
    fn scalar_keys_become_strings_and_tags_are_dropped() {
        assert_eq!(
            yaml("200: ok\ntrue: 1\n~: 2\nt: !Ref x\n").unwrap(),
            serde_json::json!({"200": "ok", "true": 1, "null": 2, "t": "x"})
        );
    }

    #[test]
    fn numbers_json_cannot_hold_say_what_they_are() {
        let e = yaml("a: [18446744073709551616]\n").unwrap_err();
        assert!(problem(
            "/a/0",
            "18446744073709551616 does not fit in 64 bits"
        )(e));
        let e = yaml("a: .inf\n").unwrap_err();
        assert!(problem("/a", "cannot be written in JSON")(e));
        assert_eq!(yaml("a: 3.0\n").unwrap(), serde_json::json!({"a": 3.0}));
    }
}
