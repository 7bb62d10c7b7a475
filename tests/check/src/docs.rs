//! Documents from schemas: JSON documents meant to be valid against an OpenAPI 3.0 schema,
//! for property tests of the generated types.
//!
//! Every choice (which optional properties, which union branch, which enum value, how many
//! items, which string) is read from a [`Tape`] of bytes. proptest makes the tape and, when a
//! property fails, shrinks it; a zero byte or the end of the tape always means the simplest
//! choice, so a shrunk tape gives a minimal document. Generating lazily from the tape (not
//! building a proptest strategy per schema up front) keeps recursive and very large specs
//! cheap.
//!
//! The generator follows JSON Schema's reading of the spec, not the generator's: where they
//! differ, the documents show it. It aims to produce valid documents; the judge
//! ([`crate::SpecJudge`]) has the last word, and tests count what it turns down.
//!
//! Along the way it records *mutation sites*: places where one edit (a wrong primitive
//! type, a missing required property, a value outside a closed enum, …) should make the
//! document invalid, for the rejection property.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::discriminator::Tagged;

/// Choices for one document: bytes that proptest makes and shrinks.
pub struct Tape<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Tape<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Tape { bytes, pos: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number below `n`; 0 when the tape is used up.
    fn below(&mut self, n: usize) -> usize {
        match n {
            0 | 1 => 0,
            2..=256 => self.byte() as usize % n,
            _ => (usize::from(self.byte()) << 8 | usize::from(self.byte())) % n,
        }
    }

    /// True with about `percent`% chance; false for a zero byte.
    fn chance(&mut self, percent: u32) -> bool {
        u32::from(self.byte()) * 100 / 256 >= 100 - percent.min(100)
    }
}

/// A reproducible stream of tapes (xorshift64 from a seed), for tests that drive documents
/// without proptest.
pub struct Tapes(u64);

impl Tapes {
    /// `seed` must not be 0.
    pub fn new(seed: u64) -> Self {
        Tapes(seed)
    }

    /// The next `len` bytes of the stream.
    pub fn next_tape(&mut self, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                self.0 as u8
            })
            .collect()
    }
}

/// A step into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Ways to break a valid document that a type system can catch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MutationKind {
    /// A string where a number is expected, a number where a string is, …
    WrongType,
    /// An array where an object is expected.
    ArrayForObject,
    /// A required property left out.
    MissingRequired,
    /// A string outside a string enum.
    OutOfEnum,
    /// A value that no branch of a `oneOf`/`anyOf` accepts.
    NoBranch,
    /// `true` where only `false` is allowed (or the reverse).
    WrongLiteral,
    /// A fraction where an integer is expected.
    Fraction,
    /// An undeclared property on an object with `additionalProperties: false`.
    ExtraOnClosed,
    /// A discriminator's tag set to the value of another branch than the body's.
    OtherTag,
    /// A discriminator's tag set to a value no branch has.
    UnknownTag,
    /// A tuple (`prefixItems`) with one item more, or one fewer.
    TupleLength,
}

impl MutationKind {
    pub const ALL: [MutationKind; 11] = [
        MutationKind::WrongType,
        MutationKind::ArrayForObject,
        MutationKind::MissingRequired,
        MutationKind::OutOfEnum,
        MutationKind::NoBranch,
        MutationKind::WrongLiteral,
        MutationKind::Fraction,
        MutationKind::ExtraOnClosed,
        MutationKind::OtherTag,
        MutationKind::UnknownTag,
        MutationKind::TupleLength,
    ];
}

/// One edit that should make the document invalid: at `path`, put `replacement` (or, when
/// `None`, remove the key the path ends with).
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub path: Vec<Step>,
    pub kind: MutationKind,
    pub replacement: Option<Value>,
}

impl Site {
    /// `doc` with this edit made; `None` when the path is not in `doc`.
    pub fn apply(&self, doc: &Value) -> Option<Value> {
        let mut out = doc.clone();
        let (last, parents) = match self.path.split_last() {
            Some(split) => split,
            None => return self.replacement.clone(),
        };
        let mut node = &mut out;
        for step in parents {
            node = match step {
                Step::Key(k) => node.get_mut(k.as_str())?,
                Step::Index(i) => node.get_mut(*i)?,
            };
        }
        match (last, &self.replacement) {
            (Step::Key(k), None) => {
                node.as_object_mut()?.remove(k)?;
            }
            (Step::Key(k), Some(v)) => {
                node.as_object_mut()?.insert(k.clone(), v.clone());
            }
            (Step::Index(i), Some(v)) => *node.get_mut(*i)? = v.clone(),
            (Step::Index(_), None) => return None,
        }
        Some(out)
    }
}

/// A generated document.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub value: Value,
    /// What the generated types give back after a round trip: `value` without the
    /// undeclared properties they drop (all of it when the spec keeps them).
    pub expected: Value,
    pub sites: Vec<Site>,
    /// Where it was made from two branches of an `anyOf` at once, to be valid under both.
    pub several_any_of: bool,
}

/// Generates documents for the schemas of one spec.
pub struct DocGen<'a> {
    spec: &'a Value,
    keep_unknown: bool,
    /// Base schemas with a discriminator: where referenced, one of their subtypes.
    bases: std::collections::BTreeMap<String, Tagged>,
    /// Below this depth optional parts are chosen freely; deeper, only what is required.
    pub max_depth: usize,
    /// Values generated per document before everything optional is left out.
    pub budget: usize,
}

/// Past this depth a document gives up (a schema that requires itself forever).
const HARD_DEPTH: usize = 64;

/// Strings that find encoding mistakes: empty, quotes and escapes, non-ASCII, a NUL.
const STRINGS: &[&str] = &[
    "",
    "a",
    "hello world",
    "größe",
    "日本語のテキスト",
    "emoji 🎉 and more",
    "quote \" backslash \\ newline \n tab \t",
    "nul \u{0} inside",
    "ends with space ",
    "12",
    "true",
    "null",
];

struct Run<'t, 'b> {
    tape: &'t mut Tape<'b>,
    sites: Vec<Site>,
    path: Vec<Step>,
    spent: usize,
    several_any_of: bool,
}

impl Run<'_, '_> {
    /// Runs `f` one step down the document (where the sites it records belong).
    fn at<T>(&mut self, step: Step, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(step);
        let out = f(self);
        self.path.pop();
        out
    }
}

impl<'a> DocGen<'a> {
    pub fn new(spec: &'a Value, keep_unknown: bool) -> Self {
        DocGen {
            spec,
            keep_unknown,
            bases: crate::discriminator::polymorphic_bases(spec),
            max_depth: 12,
            budget: 400,
        }
    }

    /// A document for the schema at `pointer`, with choices read from `tape`.
    pub fn generate(&self, pointer: &str, tape: &mut Tape) -> Doc {
        let schema = match pointer.strip_prefix("/components/schemas/") {
            // A polymorphic base is, as a type of its own, any of its subtypes.
            Some(_)
                if crate::discriminator::base_named(
                    &self.bases,
                    &json!({"$ref": format!("#{pointer}")}),
                )
                .is_some() =>
            {
                json!({ "$ref": format!("#{pointer}") })
            }
            _ => self.spec.pointer(pointer).cloned().unwrap_or(json!({})),
        };
        let mut run = Run {
            tape,
            sites: Vec::new(),
            path: Vec::new(),
            spent: 0,
            several_any_of: false,
        };
        let (value, expected) = self.value(&schema, 0, &mut run);
        Doc {
            value,
            expected,
            sites: run.sites,
            several_any_of: run.several_any_of,
        }
    }

    /// Follows `$ref`s to the schema they name (local references only).
    fn resolve(&self, schema: &Value) -> Value {
        let mut schema = schema.clone();
        for _ in 0..32 {
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            // A fragment is percent-decoded before its pointer is read (RFC 6901 §6).
            schema = target
                .strip_prefix('#')
                .map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy())
                .and_then(|p| self.spec.pointer(&p))
                .cloned()
                .unwrap_or(json!({}));
        }
        schema
    }

    /// The schema with references followed and `allOf` merged into one object schema.
    fn flatten(&self, schema: &Value) -> Map<String, Value> {
        let schema = self.resolve(schema);
        let mut out = schema.as_object().cloned().unwrap_or_default();
        let Some(parts) = out.remove("allOf").and_then(|v| v.as_array().cloned()) else {
            return out;
        };
        let own_nullable = out.get("nullable").and_then(Value::as_bool);
        let mut all_nullable = true;
        for part in &parts {
            let part = self.flatten(part);
            all_nullable &= part.get("nullable").and_then(Value::as_bool) == Some(true);
            merge_into(&mut out, part);
        }
        let nullable = own_nullable.unwrap_or(false) || (all_nullable && !parts.is_empty());
        out.insert("nullable".into(), Value::Bool(nullable));
        out
    }

    fn value(&self, schema: &Value, depth: usize, run: &mut Run) -> (Value, Value) {
        run.spent += 1;
        if let Some((_, tagged)) = crate::discriminator::base_named(&self.bases, schema) {
            // The subtypes refer to their base through `allOf`, which `flatten` merges.
            return self.tagged(tagged, &Map::new(), depth, run);
        }
        let schema = json_schema_2020(self.flatten(schema), run.tape);
        let minimal = depth >= self.max_depth || run.spent >= self.budget;
        if depth >= HARD_DEPTH {
            return (Value::Null, Value::Null);
        }
        let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
        if nullable && run.tape.chance(if minimal { 100 } else { 10 }) {
            return (Value::Null, Value::Null);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<&Value> = values.iter().filter(|v| nullable || !v.is_null()).collect();
            if !values.is_empty() {
                let v = values[run.tape.below(values.len())].clone();
                self.enum_sites(&schema, &v, run);
                return (v.clone(), v);
            }
        }
        if let Some(tagged) = crate::discriminator::of_union(self.spec, &schema) {
            if !tagged.choices.is_empty() {
                let mut base = schema.clone();
                for key in ["oneOf", "anyOf", "discriminator", "nullable"] {
                    base.remove(key);
                }
                return self.tagged(&tagged, &base, depth, run);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                if branches.is_empty() {
                    continue;
                }
                let mut base = schema.clone();
                base.remove(key);
                base.remove("discriminator");
                base.remove("nullable");
                let first = run.tape.below(branches.len());
                let branch = self.flatten(&branches[first]);
                let mut merged = base;
                merge_into(&mut merged, branch);
                // Now and then an object of two `anyOf` branches at once, which must keep
                // the properties of both.
                if key == "anyOf" && branches.len() > 1 && run.tape.chance(30) {
                    let second = (first + 1 + run.tape.below(branches.len() - 1)) % branches.len();
                    let other = self.flatten(&branches[second]);
                    if type_of(&other) == "object" && type_of(&merged) == "object" {
                        merge_into(&mut merged, other);
                        run.several_any_of = true;
                    }
                }
                self.site(
                    run,
                    MutationKind::NoBranch,
                    Some(json!([[["no branch takes this"]]])),
                );
                let before = run.sites.len();
                let out = self.value(&Value::Object(merged), depth + 1, run);
                // A string in place of this union's value, where a branch lists strings, is
                // a string outside those values (kept by open unions, as by open enums).
                let lists_strings = branches.iter().any(|b| {
                    let b = self.flatten(b);
                    type_of(&b) == "string" && b.contains_key("enum")
                });
                if lists_strings {
                    for site in &mut run.sites[before..] {
                        if site.path == run.path
                            && site.kind == MutationKind::WrongType
                            && matches!(site.replacement, Some(Value::String(_)))
                        {
                            site.kind = MutationKind::OutOfEnum;
                        }
                    }
                }
                return out;
            }
        }
        match type_of(&schema) {
            "object" => self.object(&schema, depth, minimal, run),
            "array" => self.array(&schema, depth, minimal, run),
            "string" => {
                self.site(run, MutationKind::WrongType, Some(json!(12345)));
                let s = Value::String(self.string(&schema, run));
                (s.clone(), s)
            }
            "integer" => {
                self.site(run, MutationKind::WrongType, Some(json!("7")));
                self.site(run, MutationKind::Fraction, Some(json!(1.5)));
                let n = self.integer(&schema, run);
                (n.clone(), n)
            }
            "number" => {
                self.site(run, MutationKind::WrongType, Some(json!("7.5")));
                let n = self.number(&schema, run);
                (n.clone(), n)
            }
            "boolean" => {
                self.site(run, MutationKind::WrongType, Some(json!("true")));
                let b = Value::Bool(run.tape.chance(50));
                (b.clone(), b)
            }
            _ => {
                let v = any_value(run.tape, nullable);
                (v.clone(), v)
            }
        }
    }

    /// An object of one of a discriminator's choices (merged with `base`, the keywords
    /// beside the union), with the tag set to the choice's value; the sites to break it:
    /// another choice's tag on this body, and a tag no choice has.
    fn tagged(
        &self,
        tagged: &Tagged,
        base: &Map<String, Value>,
        depth: usize,
        run: &mut Run,
    ) -> (Value, Value) {
        let (tag, choice) = &tagged.choices[run.tape.below(tagged.choices.len())];
        let mut merged = base.clone();
        merge_into(&mut merged, self.flatten(choice));
        let (mut value, mut expected) = self.value(&Value::Object(merged), depth + 1, run);
        let property = &tagged.property;
        if let (Value::Object(v), Value::Object(e)) = (&mut value, &mut expected) {
            v.insert(property.clone(), Value::String(tag.clone()));
            e.insert(property.clone(), Value::String(tag.clone()));
            run.at(Step::Key(property.clone()), |run| {
                let other = tagged.choices.iter().find(|(t, c)| t != tag && c != choice);
                if let Some((other, _)) = other {
                    self.site(run, MutationKind::OtherTag, Some(json!(other)));
                }
                self.site(
                    run,
                    MutationKind::UnknownTag,
                    Some(json!("not-a-listed-tag")),
                );
            });
        }
        (value, expected)
    }

    fn site(&self, run: &mut Run, kind: MutationKind, replacement: Option<Value>) {
        run.sites.push(Site {
            path: run.path.clone(),
            kind,
            replacement,
        });
    }

    fn enum_sites(&self, schema: &Map<String, Value>, chosen: &Value, run: &mut Run) {
        match chosen {
            Value::String(_) => {
                self.site(
                    run,
                    MutationKind::OutOfEnum,
                    Some(json!("not-one-of-the-values")),
                );
                self.site(run, MutationKind::WrongType, Some(json!(12345)));
            }
            Value::Bool(b) => {
                let values = schema.get("enum").and_then(Value::as_array);
                if values.is_some_and(|vs| !vs.contains(&Value::Bool(!b))) {
                    self.site(run, MutationKind::WrongLiteral, Some(Value::Bool(!b)));
                }
            }
            _ => {}
        }
    }

    fn object(
        &self,
        schema: &Map<String, Value>,
        depth: usize,
        minimal: bool,
        run: &mut Run,
    ) -> (Value, Value) {
        self.site(run, MutationKind::WrongType, Some(json!("not an object")));
        self.site(
            run,
            MutationKind::ArrayForObject,
            Some(json!(["not", "an", "object"])),
        );
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut value = Map::new();
        let mut expected = Map::new();
        for (name, sub) in properties {
            let is_required = required.contains(name.as_str());
            if !is_required && (minimal || !run.tape.chance(50)) {
                continue;
            }
            let (v, e) = run.at(Step::Key(name.clone()), |run| {
                if is_required {
                    self.site(run, MutationKind::MissingRequired, None);
                }
                self.value(sub, depth + 1, run)
            });
            value.insert(name.clone(), v);
            expected.insert(name.clone(), e);
        }
        match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => {
                run.at(Step::Key("undeclared-property".into()), |run| {
                    self.site(run, MutationKind::ExtraOnClosed, Some(json!(1)))
                });
            }
            Some(values @ Value::Object(ap)) if !ap.is_empty() => {
                let count = if minimal { 0 } else { run.tape.below(4) };
                for i in 0..count {
                    let key = extra_key(run.tape, i);
                    if properties.contains_key(&key) || value.contains_key(&key) {
                        continue;
                    }
                    let (v, e) = run.at(Step::Key(key.clone()), |run| {
                        self.value(values, depth + 1, run)
                    });
                    value.insert(key.clone(), v);
                    expected.insert(key, e);
                }
            }
            // Absent, `true` or `{}`: anything goes. The generated types keep such
            // properties when the object declares none, when the spec says so
            // explicitly, or when the config keeps unknown properties; else they drop them.
            other => {
                if !minimal && run.tape.chance(20) {
                    let key = format!("x-undeclared-{}", run.tape.below(3));
                    if !properties.contains_key(&key) {
                        let v = any_value(run.tape, true);
                        let kept = other.is_some() || properties.is_empty() || self.keep_unknown;
                        if kept {
                            expected.insert(key.clone(), v.clone());
                        }
                        value.insert(key, v);
                    }
                }
            }
        }
        (Value::Object(value), Value::Object(expected))
    }

    fn array(
        &self,
        schema: &Map<String, Value>,
        depth: usize,
        minimal: bool,
        run: &mut Run,
    ) -> (Value, Value) {
        self.site(
            run,
            MutationKind::WrongType,
            Some(json!({"not": "an array"})),
        );
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |m| m as usize);
        let wanted = if minimal {
            0
        } else {
            match run.tape.below(8) {
                0..=2 => 0,
                3 | 4 => 1,
                5 | 6 => 2 + run.tape.below(3),
                _ => 10 + run.tape.below(20),
            }
        };
        // 2020-12's tuples: the first items each have their schema; `items` (`false`:
        // none) takes the rest.
        let prefix: &[Value] = schema
            .get("prefixItems")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let closed = schema.get("items") == Some(&Value::Bool(false));
        let max = if closed { max.min(prefix.len()) } else { max };
        let len = wanted.clamp(min, max.max(min));
        let items = schema.get("items").cloned().unwrap_or(json!({}));
        let mut value = Vec::with_capacity(len);
        let mut expected = Vec::with_capacity(len);
        for i in 0..len {
            let item = prefix.get(i).unwrap_or(&items);
            let (v, e) = run.at(Step::Index(i), |run| self.value(item, depth + 1, run));
            value.push(v);
            expected.push(e);
        }
        // A tuple of fixed length, one item more or fewer. (Of one whose length may vary,
        // apigen makes an array of any of the item types, a warned gap.)
        let fixed = !prefix.is_empty() && min == prefix.len() && max == prefix.len();
        if fixed {
            let mut other = value.clone();
            match other.last().cloned() {
                Some(last) if run.tape.chance(50) => other.push(last),
                Some(_) => {
                    other.pop();
                }
                None => other.push(Value::Null),
            }
            self.site(run, MutationKind::TupleLength, Some(Value::Array(other)));
        }
        (Value::Array(value), Value::Array(expected))
    }

    fn string(&self, schema: &Map<String, Value>, run: &mut Run) -> String {
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        let mut candidates: Vec<String> = match format {
            "date-time" => vec![
                "2024-02-29T12:34:56Z".into(),
                "1970-01-01T00:00:00.000+02:00".into(),
            ],
            "date" => vec!["2024-02-29".into(), "1999-12-31".into()],
            "email" => vec!["a@example.com".into()],
            "uri" | "url" => vec!["https://example.com/a?b=c".into()],
            "uuid" => vec!["123e4567-e89b-12d3-a456-426614174000".into()],
            "ipv4" => vec!["192.0.2.1".into()],
            "ipv6" => vec!["2001:db8::1".into()],
            "hostname" => vec!["example.com".into()],
            "byte" => vec!["aGVsbG8=".into(), String::new()],
            _ => {
                let mut all: Vec<String> = STRINGS.iter().map(|s| s.to_string()).collect();
                all.push("long ".repeat(60));
                all.push(random_text(run.tape));
                all
            }
        };
        if let Some(example) = schema.get("example").and_then(Value::as_str) {
            candidates.push(example.to_string());
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            if let Ok(re) = regex::Regex::new(pattern) {
                candidates.retain(|c| re.is_match(c));
            }
        }
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let mut s = if candidates.is_empty() {
            String::new()
        } else {
            candidates[run.tape.below(candidates.len())].clone()
        };
        while s.chars().count() < min {
            s.push('x');
        }
        if let Some(max) = max {
            s = s.chars().take(max).collect();
        }
        s
    }

    fn integer(&self, schema: &Map<String, Value>, run: &mut Run) -> Value {
        let (lo, hi) = match schema.get("format").and_then(Value::as_str) {
            Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        let (lo, hi) = bounds(schema, lo as f64, hi as f64);
        let (lo, hi) = (lo.ceil() as i64, hi.floor() as i64);
        let choices = [0, 1, -1, 42, lo, hi, 1_000_000, i64::from(run.tape.byte())];
        let n = choices[run.tape.below(choices.len())].clamp(lo, hi.max(lo));
        let n = multiple_of(schema, n as f64) as i64;
        json!(n)
    }

    fn number(&self, schema: &Map<String, Value>, run: &mut Run) -> Value {
        let (lo, hi) = bounds(schema, -1e300, 1e300);
        let choices = [0.0, 1.5, -2.25, 0.1, 3.0, 1e15, -1e-7, lo, hi];
        let n = choices[run.tape.below(choices.len())].clamp(lo, hi.max(lo));
        json!(multiple_of(schema, n))
    }
}

/// A 2020-12 schema (OpenAPI 3.1) in the terms the rest of this generator reads, written
/// here on its own (not apigen's rewrite, which is what is under test): `const` is a
/// one-value `enum`, `type: "null"` the value `null`, a `type` list one of its types
/// (`null` among them: nullable), a numeric `exclusiveMinimum` a bound that excludes itself.
fn json_schema_2020(mut schema: Map<String, Value>, tape: &mut Tape) -> Map<String, Value> {
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        if named.contains(&"null") {
            schema.insert("nullable".into(), Value::Bool(true));
        }
        let others: Vec<&str> = named.into_iter().filter(|t| *t != "null").collect();
        match others.len() {
            0 => {
                schema.insert("enum".into(), json!([null]));
                schema.remove("type");
            }
            n => {
                schema.insert("type".into(), others[tape.below(n)].into());
            }
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        schema.insert("nullable".into(), Value::Bool(true));
        schema.insert("enum".into(), json!([null]));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(inclusive.into(), bound);
            schema.insert(exclusive.into(), Value::Bool(true));
        }
    }
    schema
}

/// The type a schema describes, inferred when it does not say.
fn type_of(schema: &Map<String, Value>) -> &str {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return t;
    }
    if schema.contains_key("properties") || schema.contains_key("additionalProperties") {
        "object"
    } else if schema.contains_key("items") || schema.contains_key("prefixItems") {
        "array"
    } else {
        "any"
    }
}

/// Inclusive bounds from `minimum`/`maximum` (3.0's boolean `exclusive*` nudge them).
fn bounds(schema: &Map<String, Value>, lo: f64, hi: f64) -> (f64, f64) {
    let get = |k: &str| schema.get(k).and_then(Value::as_f64);
    let flag = |k: &str| schema.get(k).and_then(Value::as_bool) == Some(true);
    let mut lo = get("minimum").map_or(lo, |m| m.max(lo));
    let mut hi = get("maximum").map_or(hi, |m| m.min(hi));
    if flag("exclusiveMinimum") {
        lo += 1.0;
    }
    if flag("exclusiveMaximum") {
        hi -= 1.0;
    }
    (lo, hi)
}

fn multiple_of(schema: &Map<String, Value>, n: f64) -> f64 {
    match schema.get("multipleOf").and_then(Value::as_f64) {
        Some(m) if m > 0.0 => (n / m).round() * m,
        _ => n,
    }
}

/// Merges schema `part` into `into`, as `allOf` means: properties and `required` add up,
/// `additionalProperties: false` wins, other keywords are taken when `into` lacks them.
fn merge_into(into: &mut Map<String, Value>, part: Map<String, Value>) {
    for (key, value) in part {
        match key.as_str() {
            "properties" => {
                let target = into
                    .entry("properties")
                    .or_insert_with(|| json!({}))
                    .as_object_mut();
                if let (Some(target), Some(props)) = (target, value.as_object()) {
                    for (name, schema) in props {
                        match target.get(name) {
                            Some(existing) if existing != schema => {
                                let both = json!({"allOf": [existing, schema]});
                                target.insert(name.clone(), both);
                            }
                            _ => {
                                target.insert(name.clone(), schema.clone());
                            }
                        }
                    }
                }
            }
            "required" => {
                let mut all: Vec<Value> = into
                    .get("required")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for r in value.as_array().into_iter().flatten() {
                    if !all.contains(r) {
                        all.push(r.clone());
                    }
                }
                into.insert("required".into(), Value::Array(all));
            }
            "additionalProperties" if value == Value::Bool(false) => {
                into.insert(key, value);
            }
            "nullable" => {}
            _ => {
                into.entry(key).or_insert(value);
            }
        }
    }
}

/// A key for a map entry: ordinary, empty, non-ASCII.
fn extra_key(tape: &mut Tape, i: usize) -> String {
    match tape.below(4) {
        0 => format!("key{i}"),
        1 => format!("ключ-{i}"),
        2 if i == 0 => String::new(),
        _ => format!("with space {i}"),
    }
}

fn random_text(tape: &mut Tape) -> String {
    let len = tape.below(12);
    (0..len)
        .map(|_| match tape.below(4) {
            0 => char::from(b'a' + tape.below(26) as u8),
            1 => char::from_u32(0x400 + tape.below(64) as u32).unwrap_or('ж'),
            2 => ['"', '\\', '/', '\n', '\u{7f}', ' '][tape.below(6)],
            _ => char::from_u32(0x1F600 + tape.below(64) as u32).unwrap_or('😀'),
        })
        .collect()
}

/// Any JSON value, small (for schemas that allow anything).
fn any_value(tape: &mut Tape, allow_null: bool) -> Value {
    let values = [
        json!("text"),
        json!(1),
        json!(true),
        json!({"nested": [1, "two", {"three": null}]}),
        json!([]),
        json!(-2.5),
        json!({}),
        Value::Null,
    ];
    let n = if allow_null {
        values.len()
    } else {
        values.len() - 1
    };
    values[tape.below(n)].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_tape_gives_the_smallest_document() {
        let spec = json!({"components": {"schemas": {"T": {
            "type": "object",
            "required": ["id", "tags"],
            "properties": {
                "id": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "note": {"type": "string"}
            }
        }}}});
        let doc = DocGen::new(&spec, false).generate("/components/schemas/T", &mut Tape::new(&[]));
        assert_eq!(doc.value, json!({"id": 0, "tags": []}));
        let kinds: BTreeSet<_> = doc.sites.iter().map(|s| s.kind).collect();
        assert!(kinds.contains(&MutationKind::MissingRequired));
        assert!(kinds.contains(&MutationKind::Fraction));
        let missing = doc
            .sites
            .iter()
            .find(|s| s.kind == MutationKind::MissingRequired)
            .unwrap();
        assert_eq!(missing.apply(&doc.value), Some(json!({"tags": []})));
    }

    #[test]
    fn undeclared_properties_are_expected_back_only_where_kept() {
        let spec = json!({"s": {"type": "object", "properties": {"a": {"type": "string"}}}});
        // Some tape that adds an undeclared property.
        let found = (0u8..=255).find_map(|b| {
            let tape = [b; 64];
            let doc = DocGen::new(&spec, false).generate("/s", &mut Tape::new(&tape));
            (doc.value != doc.expected).then_some(doc)
        });
        let doc = found.expect("some tape adds an undeclared property");
        assert!(doc.expected.as_object().unwrap().keys().all(|k| k == "a"));
    }
}
