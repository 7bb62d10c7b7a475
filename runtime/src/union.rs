//! Decoding `oneOf`/`anyOf` unions straight from the input.
//!
//! A generated union implements [`Dispatch`]: one method per kind of JSON value its
//! variants take, each saying how that kind finds its variant. [`deserialize`] reads the
//! first token and calls the method of its kind, which decodes the branch from the input
//! itself: a scalar from its value, an array or object from the deserializer's own
//! sequence or map, so errors inside keep their full JSON path and nothing is buffered.
//! Buffering happens only where the rule needs to look ahead: the entries of an object
//! up to its tag properties ([`read_tags`]; serde's internally tagged enums buffer the
//! whole object), the first item of an array ([`peek_first`]), and a whole value where
//! the variant depends on all of it (required keys, trial in order: [`buffer`]). An error
//! inside buffered input names its path within the union (``at `a[2].b`: …``), which
//! [`error_path`] folds into the path of the union itself.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer,
};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use smallvec::SmallVec;

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

/// The kind of a buffered value.
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

/// An integer as JSON gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integer {
    Signed(i64),
    /// Above `i64::MAX`.
    Unsigned(u64),
}

impl Integer {
    /// The integer decoded as `T`.
    pub fn decode<T: DeserializeOwned, E: de::Error>(self) -> Result<T, E> {
        match self {
            Integer::Signed(n) => T::deserialize(Scalar(n.into_deserializer())),
            Integer::Unsigned(n) => T::deserialize(Scalar(n.into_deserializer())),
        }
    }
}

/// How a union decodes each kind of JSON value. The generated code overrides the kinds
/// its variants take; any other kind is a mismatch naming what the union accepts.
pub trait Dispatch: Sized {
    /// The union's name, for errors.
    const NAME: &'static str;
    /// What it accepts, for errors: "an object or a string".
    const EXPECTED: &'static str;

    fn null<E: de::Error>() -> Result<Self, E> {
        Err(unexpected::<Self, E>("null"))
    }
    fn bool<E: de::Error>(value: bool) -> Result<Self, E> {
        Err(unexpected::<Self, E>(&value.to_string()))
    }
    fn integer<E: de::Error>(value: Integer) -> Result<Self, E> {
        let n = match value {
            Integer::Signed(n) => n.to_string(),
            Integer::Unsigned(n) => n.to_string(),
        };
        Err(unexpected::<Self, E>(&format!("the number {n}")))
    }
    fn float<E: de::Error>(value: f64) -> Result<Self, E> {
        Err(unexpected::<Self, E>(&format!("the number {value}")))
    }
    fn string<E: de::Error>(value: &str) -> Result<Self, E> {
        Err(unexpected::<Self, E>(&format!("the string {value:?}")))
    }
    fn array<'de, A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        drop(seq);
        Err(unexpected::<Self, A::Error>("an array"))
    }
    fn object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        drop(map);
        Err(unexpected::<Self, A::Error>("an object"))
    }
}

/// Decodes a union: the first token's kind picks the [`Dispatch`] method.
pub fn deserialize<'de, T: Dispatch, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(UnionVisitor(PhantomData))
}

struct UnionVisitor<T>(PhantomData<T>);

impl<'de, T: Dispatch> Visitor<'de> for UnionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        T::null()
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        T::null()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        T::bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::integer(Integer::Signed(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(n) => T::integer(Integer::Signed(n)),
            Err(_) => T::integer(Integer::Unsigned(v)),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::float(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::string(v)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::array(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::object(map)
    }
}

/// The error for a value no variant of `T` takes; `found` describes it.
pub fn unexpected<T: Dispatch, E: de::Error>(found: &str) -> E {
    E::custom(format_args!(
        "{}: expected {}, found {found}",
        T::NAME,
        T::EXPECTED
    ))
}

/// `null` decoded as `T`.
pub fn null<T: DeserializeOwned, E: de::Error>() -> Result<T, E> {
    T::deserialize(().into_deserializer())
}

/// A boolean decoded as `T`.
pub fn boolean<T: DeserializeOwned, E: de::Error>(value: bool) -> Result<T, E> {
    T::deserialize(Scalar(value.into_deserializer()))
}

/// A fraction decoded as `T`.
pub fn float<T: DeserializeOwned, E: de::Error>(value: f64) -> Result<T, E> {
    T::deserialize(Scalar(value.into_deserializer()))
}

/// A string decoded as `T`.
pub fn text<T: DeserializeOwned, E: de::Error>(value: &str) -> Result<T, E> {
    T::deserialize(Scalar(StrDeserializer::new(value)))
}

/// A scalar value's deserializer that, as a JSON parser does, reads as `Some` where an
/// `Option` is asked for (serde's value deserializers refuse an option).
struct Scalar<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Scalar<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        visitor.visit_some(self.0)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// An array decoded as `T` from the input's own sequence.
pub fn array<'de, T: Deserialize<'de>, A: SeqAccess<'de>>(seq: A) -> Result<T, A::Error> {
    T::deserialize(SeqAccessDeserializer::new(seq))
}

/// An object decoded as `T` from the input's own map.
pub fn object<'de, T: Deserialize<'de>, A: MapAccess<'de>>(map: A) -> Result<T, A::Error> {
    T::deserialize(MapAccessDeserializer::new(map))
}

/// Buffered input decoded as `T`, for a trial (the error is not looked at, so its path is
/// not tracked).
pub fn attempt<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(value)
}

/// Decodes buffered input as `T`; an error names its path within the buffer (found by
/// decoding again, with the path tracked, only when there is one).
pub fn from_buffer<T: DeserializeOwned, E: de::Error>(value: &Value) -> Result<T, E> {
    if let Ok(decoded) = T::deserialize(value) {
        return Ok(decoded);
    }
    tracked(PhantomData::<T>, value, "")
}

/// An error at `path` inside a union's buffered input.
fn nested<E: de::Error>(path: &str, e: impl fmt::Display) -> E {
    if path.is_empty() {
        E::custom(e)
    } else {
        E::custom(format_args!("at `{path}`: {e}"))
    }
}

/// `outer` and `inner` as one JSON path: `a.b` and `c[1]` are `a.b.c[1]`.
fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        ("", inner) | (".", inner) => inner.to_string(),
        (outer, "") => outer.to_string(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    }
}

/// The full path and message of a decode error: where a union decoded buffered input,
/// the message starts with the path inside it (``at `b[2]`: …``), folded into `path`.
pub fn error_path(path: &str, message: &str) -> (String, String) {
    let mut path = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    let mut message = message;
    while let Some(rest) = message.strip_prefix("at `") {
        let Some((inner, after)) = rest.split_once("`: ") else {
            break;
        };
        path = join_path(&path, inner);
        message = after;
    }
    (path, message.to_string())
}

/// How many tags, and entries read ahead of them, a union holds without allocating.
const INLINE: usize = 4;

/// The entries of an object read up to its tag properties, then the rest of the input:
/// a map the chosen variant decodes from, with the tags left out where it implies them.
pub struct Tagged<'de, A> {
    buffered: smallvec::IntoIter<[(Cow<'de, str>, Ahead<'de>); INLINE]>,
    /// The keys looked for.
    names: &'static [&'static str],
    /// For each of `names`: not met yet, or met with its string value (`None`: not a string).
    tags: SmallVec<[Option<Option<Cow<'de, str>>>; INLINE]>,
    live: A,
    /// The input map has ended.
    done: bool,
    strip: &'static [&'static str],
    /// The value of the buffered key last given out, and the key.
    pending: Option<(Cow<'de, str>, Ahead<'de>)>,
}

/// A value read ahead: a string as the input gave it (borrowed where it can be), anything
/// else as JSON.
enum Ahead<'de> {
    Str(Cow<'de, str>),
    Json(Value),
}

/// Reads `map` up to the first occurrence of every key in `keys` (or to its end).
pub fn read_tags<'de, A: MapAccess<'de>>(
    map: A,
    keys: &'static [&'static str],
) -> Result<Tagged<'de, A>, A::Error> {
    read_keys(map, keys, keys.len())
}

/// Reads `map` until the first `decisive` of `keys` have all occurred (the variant that
/// requires them wins, whatever follows), or to its end (every key of `keys` known to be
/// present or absent). [`Tagged::has`] then tells which keys the object has.
///
/// Each key of `keys` met on the way has its first value noted.
pub fn read_keys<'de, A: MapAccess<'de>>(
    mut map: A,
    keys: &'static [&'static str],
    decisive: usize,
) -> Result<Tagged<'de, A>, A::Error> {
    let mut buffered: SmallVec<[_; INLINE]> = SmallVec::new();
    let mut tags: SmallVec<[_; INLINE]> = SmallVec::from_elem(None, keys.len());
    let mut missing = decisive.min(keys.len());
    let mut done = false;
    while missing > 0 {
        let Some(Key(key)) = map.next_key::<Key<'de>>()? else {
            done = true;
            break;
        };
        let value: Ahead<'de> = map.next_value()?;
        if let Some(i) = keys.iter().position(|k| *k == key) {
            if tags[i].is_none() {
                if i < decisive {
                    missing -= 1;
                }
                tags[i] = Some(match &value {
                    Ahead::Str(s) => Some(s.clone()),
                    // A tag that is no string names no variant.
                    Ahead::Json(_) => None,
                });
            }
        }
        buffered.push((key, value));
    }
    Ok(Tagged {
        buffered: buffered.into_iter(),
        names: keys,
        tags,
        live: map,
        done,
        strip: &[],
        pending: None,
    })
}

impl<'de, A> Tagged<'de, A> {
    /// The string value of each tag, in the order asked for (`None`: absent or no string).
    pub fn tag(&self, i: usize) -> Option<&str> {
        self.tags.get(i)?.as_ref()?.as_deref()
    }

    /// Whether the object has every one of `keys` (each one of those given to
    /// [`read_keys`]), as far as it was read: an object read to its end has exactly the keys
    /// found; one read until its decisive keys occurred has those.
    pub fn has(&self, keys: &[&str]) -> bool {
        keys.iter().all(|k| {
            self.names
                .iter()
                .position(|n| n == k)
                .is_some_and(|i| self.tags[i].is_some())
        })
    }

    /// The same map without the tag properties `keys` (the variant implies them).
    pub fn without(mut self, keys: &'static [&'static str]) -> Self {
        self.strip = keys;
        self
    }

    /// The whole object as JSON, for a variant that keeps it as it came.
    pub fn into_value(mut self) -> Result<Value, A::Error>
    where
        A: MapAccess<'de>,
    {
        let mut object: Map<String, Value> = self
            .buffered
            .by_ref()
            .map(|(k, v)| {
                let v = match v {
                    Ahead::Str(s) => Value::String(s.into_owned()),
                    Ahead::Json(v) => v,
                };
                (k.into_owned(), v)
            })
            .collect();
        if !self.done {
            while let Some((key, value)) = self.live.next_entry::<String, Value>()? {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Tagged<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        for (key, value) in self.buffered.by_ref() {
            if self.strip.contains(&key.as_ref()) {
                continue;
            }
            let out = match &key {
                Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k))?,
                Cow::Owned(k) => seed.deserialize(StrDeserializer::new(k))?,
            };
            self.pending = Some((key, value));
            return Ok(Some(out));
        }
        if self.done {
            return Ok(None);
        }
        let key = self.live.next_key_seed(seed)?;
        self.done = key.is_none();
        Ok(key)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some((_, Ahead::Str(Cow::Borrowed(s)))) => {
                seed.deserialize(Scalar(BorrowedStrDeserializer::new(s)))
            }
            Some((_, Ahead::Str(Cow::Owned(s)))) => {
                seed.deserialize(Scalar(de::value::StringDeserializer::new(s)))
            }
            Some((key, Ahead::Json(value))) => tracked(seed, value, &key),
            None => self.live.next_value_seed(seed),
        }
    }
}

/// An object key, borrowed from the input where it can be.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor).map(Key)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

impl<'de> Deserialize<'de> for Ahead<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AheadVisitor)
    }
}

/// Reads a string as it is and anything else as JSON.
struct AheadVisitor;

impl<'de> Visitor<'de> for AheadVisitor {
    type Value = Ahead<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Ahead::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Ahead::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Ahead::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Ahead::Json(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Ahead::Json(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Value::deserialize(d).map(Ahead::Json)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Ahead::Json(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Ahead::Json(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Ahead::Json(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Ahead::Json(Value::from(v)))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Ahead::Json)
    }
    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Ahead::Json)
    }
}

/// Decodes buffered input through `seed` with its path tracked: an error names where in
/// the buffer (after `prefix`, the key or index it was read under) it happened.
fn tracked<'de, S, D, E>(seed: S, value: D, prefix: &str) -> Result<S::Value, E>
where
    S: DeserializeSeed<'de>,
    D: Deserializer<'de>,
    E: de::Error,
{
    let mut track = serde_path_to_error::Track::new();
    seed.deserialize(serde_path_to_error::Deserializer::new(value, &mut track))
        .map_err(|e| {
            let inner = track.path().to_string();
            let path = join_path(prefix, if inner == "." { "" } else { &inner });
            nested(&path, e)
        })
}

/// An array with its first item read ahead, then the rest of the input.
pub struct Peeked<A> {
    first: Option<Value>,
    live: A,
    done: bool,
}

/// Reads the first item of `seq` ahead, to look at its kind.
pub fn peek_first<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Peeked<A>, A::Error> {
    let first: Option<Value> = seq.next_element()?;
    Ok(Peeked {
        done: first.is_none(),
        first,
        live: seq,
    })
}

impl<A> Peeked<A> {
    /// Whether the array is empty or its first item is of one of `kinds`.
    pub fn first_in(&self, kinds: &[Kind]) -> bool {
        self.first.as_ref().is_none_or(|v| kinds.contains(&kind(v)))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Peeked<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        if let Some(first) = self.first.take() {
            return tracked(seed, first, "[0]").map(Some);
        }
        if self.done {
            return Ok(None);
        }
        let item = self.live.next_element_seed(seed)?;
        self.done = item.is_none();
        Ok(item)
    }
}

/// A whole object read ahead, where the variant depends on all of it.
pub fn buffer<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    Value::deserialize(MapAccessDeserializer::new(map))
}

/// A whole array read ahead, where the variant depends on all of it.
pub fn buffer_array<'de, A: SeqAccess<'de>>(seq: A) -> Result<Value, A::Error> {
    Value::deserialize(SeqAccessDeserializer::new(seq))
}

/// The error for an object whose required keys match no variant of union `name`.
pub fn no_keys<E: de::Error>(name: &str, expected: &str) -> E {
    E::custom(format_args!(
        "{name}: expected {expected}, found an object without them"
    ))
}

/// The error for an object whose tag values name no variant of union `name`.
pub fn unknown_tags<A, E: de::Error>(name: &str, keys: &[&str], map: &Tagged<'_, A>) -> E {
    let found: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| match map.tag(i) {
            Some(v) => format!("{k}={v:?}"),
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
    match T::deserialize(value) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Body {
        description: Option<String>,
        size: Option<f64>,
    }

    #[derive(Debug, PartialEq)]
    enum Tagged1 {
        Body(Body),
    }

    impl Dispatch for Tagged1 {
        const NAME: &'static str = "Tagged1";
        const EXPECTED: &'static str = "an object";
        fn object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            const TAGS: &[&str] = &["kind"];
            let map = read_tags(map, TAGS)?;
            match map.tag(0) {
                Some("body") => object(map.without(TAGS)).map(Self::Body),
                _ => Err(unknown_tags(Self::NAME, TAGS, &map)),
            }
        }
    }

    impl<'de> Deserialize<'de> for Tagged1 {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn entries_read_ahead_of_the_tag_fill_optional_fields() {
        // Found against Prism: a string read before the tag, replayed into an `Option`.
        for text in [
            r#"{"description": "before", "size": 2.5, "kind": "body"}"#,
            r#"{"description": "esc\u00e9", "kind": "body", "size": 2.5}"#,
        ] {
            let decoded: Tagged1 = serde_json::from_str(text).unwrap();
            let Tagged1::Body(body) = decoded;
            assert!(
                body.description.is_some() && body.size == Some(2.5),
                "{text}"
            );
        }
        let v: Option<String> = text::<_, serde_json::Error>("a").unwrap();
        assert_eq!(v.as_deref(), Some("a"));
        let n: Option<f64> = float::<_, serde_json::Error>(1.5).unwrap();
        assert_eq!(n, Some(1.5));
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Labelled {
        value: String,
        label: String,
        note: Option<Vec<u8>>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Plain {
        value: String,
        note: Option<Vec<u8>>,
    }

    /// Objects told apart by their keys: `value` and `label`, or `value` alone.
    #[derive(Debug, PartialEq)]
    enum ByKeys {
        Labelled(Labelled),
        Plain(Plain),
    }

    impl Dispatch for ByKeys {
        const NAME: &'static str = "ByKeys";
        const EXPECTED: &'static str = "an object";
        fn object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let map = read_keys(map, &["value", "label"], 2)?;
            if map.has(&["value", "label"]) {
                return object(map).map(Self::Labelled);
            }
            if map.has(&["value"]) {
                return object(map).map(Self::Plain);
            }
            Err(no_keys(Self::NAME, "`value`"))
        }
    }

    impl<'de> Deserialize<'de> for ByKeys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn key_sets_pick_the_variant_in_any_key_order() {
        let labelled = |note: Option<Vec<u8>>| {
            ByKeys::Labelled(Labelled {
                value: "v".into(),
                label: "l".into(),
                note,
            })
        };
        for text in [
            r#"{"value": "v", "label": "l"}"#,
            r#"{"label": "l", "value": "v"}"#,
            r#"{"note": null, "label": "l", "value": "v"}"#,
        ] {
            assert_eq!(
                serde_json::from_str::<ByKeys>(text).unwrap(),
                labelled(None)
            );
        }
        // Decided once `value` and `label` are read; what follows decodes from the input.
        let text = r#"{"note": [1], "value": "v", "label": "l", "note2": 1}"#;
        let err = serde_json::from_str::<ByKeys>(text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `note2`"), "{err}");
        let text = r#"{"note": [1, 2], "value": "v", "label": "l"}"#;
        assert_eq!(
            serde_json::from_str::<ByKeys>(text).unwrap(),
            labelled(Some(vec![1, 2]))
        );
        // `label` absent is only known at the end.
        let text = r#"{"note": [3], "value": "v"}"#;
        let plain = Plain {
            value: "v".into(),
            note: Some(vec![3]),
        };
        assert_eq!(
            serde_json::from_str::<ByKeys>(text).unwrap(),
            ByKeys::Plain(plain)
        );
        let err = serde_json::from_str::<ByKeys>(r#"{"label": "l"}"#).unwrap_err();
        assert!(
            err.to_string().contains("found an object without them"),
            "{err}"
        );
        // A value read ahead keeps its path in an error.
        let err = serde_json::from_str::<ByKeys>(r#"{"note": [1, "x"], "value": "v"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("at `note[1]`"), "{err}");
    }

    #[test]
    fn paths_inside_buffered_input_fold_into_the_outer_path() {
        assert_eq!(
            error_path("a.b", "at `c[2].d`: at `e`: invalid type"),
            ("a.b.c[2].d.e".to_string(), "invalid type".to_string())
        );
        assert_eq!(
            error_path("a", "at `[0].x`: bad"),
            ("a[0].x".to_string(), "bad".to_string())
        );
        assert_eq!(
            error_path(".", "plain"),
            (String::new(), "plain".to_string())
        );
    }
}
