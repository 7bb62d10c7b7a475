//! OpenAPI's discriminator rule, which JSON Schema does not know, for the judge and the
//! document generator: the value of `propertyName` selects the one schema the object
//! must be valid against. Written from the OpenAPI text (3.0.3 and 3.1, "Discriminator
//! Object"), sharing nothing with the generator.
//!
//! Which value selects which schema: each `mapping` entry (a `$ref`, or a bare component
//! name); for a branch no entry names, its component name (the implicit mapping), unless
//! the branch requires the property to be one single value, which is then its value. A
//! base schema with a discriminator and no `oneOf`/`anyOf` stands, where it is referenced
//! outside an `allOf`, for the components that include it through `allOf`, directly or
//! through each other (and for itself only where `mapping` names it).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

/// A discriminator's property and the schema each of its values selects.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub property: String,
    /// `(value, schema)`; the schema is a `{"$ref": …}` or a branch written in place.
    pub choices: Vec<(String, Value)>,
}

impl Tagged {
    /// The JSON Schema (draft 4) for "the tag selects a choice, and it is valid against
    /// that choice"; `convert` turns each choice's schema into JSON Schema.
    pub fn rule(&self, convert: impl Fn(&Value) -> Value) -> Value {
        let p = &self.property;
        let alternatives: Vec<Value> = self
            .choices
            .iter()
            .map(|(value, schema)| {
                json!({
                    "required": [p],
                    "properties": { p: { "enum": [value] } },
                    "allOf": [convert(schema)]
                })
            })
            .collect();
        json!({ "anyOf": alternatives })
    }
}

/// The pointer a `$ref` (or a mapping value) names, percent-decoded.
fn target(reference: &str) -> Option<String> {
    if let Some(fragment) = reference.strip_prefix('#') {
        return Some(
            percent_encoding::percent_decode_str(fragment)
                .decode_utf8_lossy()
                .into_owned(),
        );
    }
    (!reference.contains(['/', '#']) && !reference.is_empty()).then(|| {
        format!(
            "/components/schemas/{}",
            reference.replace('~', "~0").replace('/', "~1")
        )
    })
}

fn ref_of(schema: &Value) -> Option<String> {
    target(schema.get("$ref")?.as_str()?)
}

/// The value `schema` requires `property` to have, when it is one single value (through
/// `$ref`s and `allOf` members).
fn single_value(spec: &Value, schema: &Value, property: &str, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    if let Some(t) = ref_of(schema) {
        return single_value(spec, spec.pointer(&t)?, property, depth + 1);
    }
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|k| k == property));
    if let Some([Value::String(only)]) = schema
        .pointer(&format!("/properties/{property}/enum"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        if required {
            return Some(only.clone());
        }
    }
    let members = schema.get("allOf").and_then(Value::as_array)?;
    let required_somewhere = required
        || members.iter().any(|m| {
            m.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|k| k == property))
        });
    members.iter().find_map(|m| {
        let found = single_value(spec, m, property, depth + 1)?;
        required_somewhere.then_some(found)
    })
}

/// The choices of `discriminator` among `branches`.
fn choices(spec: &Value, discriminator: &Value, branches: &[Value]) -> Option<Tagged> {
    let property = discriminator.get("propertyName")?.as_str()?.to_string();
    let targets: Vec<Option<String>> = branches.iter().map(ref_of).collect();
    let mut choices: Vec<(String, Value)> = Vec::new();
    let mut mapped = BTreeSet::new();
    if let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) {
        for (value, to) in mapping {
            let Some(to) = to.as_str().and_then(target) else {
                continue;
            };
            if let Some(i) = targets.iter().position(|t| t.as_deref() == Some(&to)) {
                choices.push((value.clone(), branches[i].clone()));
                mapped.insert(i);
            }
        }
    }
    for (i, branch) in branches.iter().enumerate() {
        if mapped.contains(&i) {
            continue;
        }
        let name = targets[i]
            .as_deref()
            .and_then(|t| t.strip_prefix("/components/schemas/"))
            .filter(|n| !n.contains('/'))
            .map(|n| n.replace("~1", "/").replace("~0", "~"));
        let value = single_value(spec, branch, &property, 0).or(name);
        if let Some(value) = value {
            if !choices.iter().any(|(v, _)| *v == value) {
                choices.push((value, branch.clone()));
            }
        }
    }
    Some(Tagged { property, choices })
}

/// The choices of a `oneOf`/`anyOf` schema with a `discriminator`, if it has one.
pub fn of_union(spec: &Value, schema: &Map<String, Value>) -> Option<Tagged> {
    let discriminator = schema.get("discriminator")?;
    let branches = ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| schema.get(*k))?
        .as_array()?;
    choices(spec, discriminator, branches)
}

/// Every base schema with a discriminator (no `oneOf`/`anyOf`) that has subtypes, by
/// component name, with the subtypes it stands for.
pub fn polymorphic_bases(spec: &Value) -> BTreeMap<String, Tagged> {
    let empty = Map::new();
    let components = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, schema) in components {
        for member in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(parent) = ref_of(member).and_then(|t| {
                t.strip_prefix("/components/schemas/")
                    .map(|n| n.replace("~1", "/").replace("~0", "~"))
            }) {
                children.entry(parent).or_default().insert(name.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    for (name, schema) in components {
        let Some(discriminator) = schema.get("discriminator") else {
            continue;
        };
        if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            continue;
        }
        let mut found = BTreeSet::new();
        let mut todo = vec![name.clone()];
        while let Some(at) = todo.pop() {
            for child in children.get(&at).into_iter().flatten() {
                if child != name && found.insert(child.clone()) {
                    todo.push(child.clone());
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        let reference = |n: &str| json!({ "$ref": format!("#/components/schemas/{}", n.replace('~', "~0").replace('/', "~1")) });
        let mut branches: Vec<Value> = found.iter().map(|n| reference(n)).collect();
        let base = format!(
            "/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        let base_mapped = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .is_some_and(|m| {
                m.values()
                    .any(|v| v.as_str().and_then(target).as_deref() == Some(&base))
            });
        if base_mapped {
            branches.push(reference(name));
        }
        if let Some(tagged) = choices(spec, discriminator, &branches) {
            out.insert(name.clone(), tagged);
        }
    }
    out
}

/// The component a `$ref` names, if the reference is to a polymorphic base.
pub fn base_named<'a>(
    bases: &'a BTreeMap<String, Tagged>,
    schema: &Value,
) -> Option<(&'a str, &'a Tagged)> {
    let t = ref_of(schema)?;
    let name = t
        .strip_prefix("/components/schemas/")?
        .replace("~1", "/")
        .replace("~0", "~");
    bases.get_key_value(&name).map(|(k, v)| (k.as_str(), v))
}
