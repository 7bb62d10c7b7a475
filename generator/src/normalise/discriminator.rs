//! OpenAPI's `discriminator`, read into tag values per branch, and the inheritance form
//! (a base schema with a `discriminator`, its subtypes `allOf` it) made a union.
//!
//! The rule (OpenAPI 3.0.3 and 3.1, "Discriminator Object"): the value of `propertyName`
//! selects the one branch the object must be. `mapping` names the branch of each value
//! it lists (a `$ref` or a bare component name); a branch no entry names is selected by
//! its component name (the implicit mapping). One addition, for branches that declare
//! the tag themselves: an unmapped branch whose schema requires the tag to be one single
//! value is selected by that value, since it can hold no other (`mapping` absent, each
//! branch `petType: {enum: [cat]}`, as many specs write it).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Discriminator, Kind, Normaliser, OneOf, Schema, COMPONENT_PREFIX};
use crate::error::join;

impl Normaliser<'_> {
    /// The tag values of a union's branches; `targets` is the pointer each branch's `$ref`
    /// names. `None` (with a warning) for a `discriminator` that is not one.
    pub(super) fn discriminator(
        &mut self,
        raw: &Value,
        pointer: &str,
        targets: &[Option<String>],
        branches: &[Schema],
    ) -> Option<Discriminator> {
        let at = join(pointer, "discriminator");
        let Some(property) = raw.get("propertyName").and_then(Value::as_str) else {
            self.warn(
                &at,
                "a discriminator needs a string `propertyName`; ignoring it",
            );
            return None;
        };
        let mut values: Vec<(String, usize)> = Vec::new();
        let mut mapped: BTreeSet<usize> = BTreeSet::new();
        if let Some(mapping) = raw.get("mapping") {
            let Some(mapping) = mapping.as_object() else {
                self.warn(
                    &join(&at, "mapping"),
                    "`mapping` must be an object; ignoring it",
                );
                return None;
            };
            for (value, target) in mapping {
                let entry = join(&join(&at, "mapping"), value);
                let Some(target) = target.as_str().and_then(mapping_target) else {
                    self.warn(
                        &entry,
                        "a mapping value must be a local `$ref` or a component name; ignoring it",
                    );
                    continue;
                };
                match targets.iter().position(|t| t.as_deref() == Some(target.as_str())) {
                    Some(i) => {
                        values.push((value.clone(), i));
                        mapped.insert(i);
                    }
                    None => self.warn(
                        &entry,
                        format!("{target:?} is not one of the schemas this discriminator chooses from; ignoring the entry"),
                    ),
                }
            }
        }
        for (i, branch) in branches.iter().enumerate() {
            if mapped.contains(&i) {
                continue;
            }
            let implicit = self.declared_tag(branch, property).or_else(|| {
                targets[i]
                    .as_deref()
                    .and_then(crate::pointer::component_name)
            });
            match implicit {
                Some(value) if !values.iter().any(|(v, _)| *v == value) => values.push((value, i)),
                Some(value) => self.warn(
                    &at,
                    format!("branch {i}: the tag value {value:?} already selects another branch, so this one is never chosen by its tag"),
                ),
                None => self.warn(
                    &at,
                    format!("branch {i} has no mapping entry, no component name and no single {property:?} value: it is never chosen by its tag"),
                ),
            }
        }
        Some(Discriminator {
            property: property.to_string(),
            values,
        })
    }

    /// The one value `branch` requires its property `tag` to have, if it says so.
    fn declared_tag(&mut self, branch: &Schema, tag: &str) -> Option<String> {
        let resolved = match &branch.kind {
            Kind::Ref(name) => {
                self.memoised(&join(COMPONENT_PREFIX.trim_end_matches('/'), name))?
            }
            Kind::Local(target) => self.memoised(&target.clone())?,
            _ => branch.clone(),
        };
        let Kind::Object { properties, .. } = &resolved.kind else {
            return None;
        };
        let p = properties.iter().find(|p| p.name == tag && p.required)?;
        match &p.schema.kind {
            Kind::StringEnum(values) if values.len() == 1 => Some(values[0].clone()),
            _ => None,
        }
    }

    /// The union a base schema with a `discriminator` stands for where it is referenced:
    /// its subtypes (`descendants`, by component name), each chosen by its tag. The base
    /// itself is a branch only where `mapping` names it.
    pub fn polymorphic(&mut self, name: &str, descendants: &[String]) -> Schema {
        let pointer = join(COMPONENT_PREFIX.trim_end_matches('/'), name);
        let raw = self
            .spec
            .raw
            .pointer(&pointer)
            .cloned()
            .unwrap_or(Value::Null);
        let mut targets: Vec<Option<String>> = Vec::new();
        let mut branches = Vec::new();
        for sub in descendants {
            let target = join(COMPONENT_PREFIX.trim_end_matches('/'), sub);
            branches.push(Schema {
                pointer: pointer.clone(),
                doc: None,
                nullable: false,
                kind: Kind::Ref(sub.clone()),
            });
            targets.push(Some(target));
        }
        let base_mapped = raw
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
            .is_some_and(|m| {
                m.values().any(|v| {
                    v.as_str().and_then(mapping_target).as_deref() == Some(pointer.as_str())
                })
            });
        let base = self.memoised(&pointer);
        if let (true, Some(base)) = (base_mapped, &base) {
            branches.push(base.clone());
            targets.push(Some(pointer.clone()));
        }
        let discriminator = raw.get("discriminator").cloned().unwrap_or(Value::Null);
        let discriminator = self.discriminator(&discriminator, &pointer, &targets, &branches);
        self.drain();
        Schema {
            pointer: pointer.clone(),
            doc: base.as_ref().and_then(|b| b.doc.clone()),
            nullable: base.as_ref().is_some_and(|b| b.nullable),
            kind: Kind::OneOf(OneOf {
                branches,
                any_of: false,
                discriminator,
            }),
        }
    }
}

/// The pointer a mapping value names: a local `$ref`, or a bare component name.
fn mapping_target(value: &str) -> Option<String> {
    if value.starts_with('#') {
        return crate::pointer::of_reference(value);
    }
    // Anything else with a `/` or `#` is a reference into another document.
    (!value.contains(['/', '#']) && !value.is_empty())
        .then(|| join(COMPONENT_PREFIX.trim_end_matches('/'), value))
}

/// For each component that has a `discriminator` but no `oneOf`/`anyOf` of its own, the
/// components that include it through `allOf` (directly or through other subtypes), in
/// sorted order. Bases without subtypes are left out.
pub fn subtypes(raw: &Value) -> BTreeMap<String, Vec<String>> {
    let empty = Map::new();
    let components = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    // Direct parents of each component, through its `allOf` members' `$ref`s.
    let mut children: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, schema) in components {
        let members = schema.get("allOf").and_then(Value::as_array);
        for member in members.into_iter().flatten() {
            let parent = member
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(crate::pointer::of_reference)
                .and_then(|p| crate::pointer::component_name(&p));
            if let Some(parent) = parent.and_then(|p| components.get_key_value(&p)) {
                children.entry(parent.0.as_str()).or_default().insert(name);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (name, schema) in components {
        let is_base = schema.get("discriminator").is_some()
            && schema.get("oneOf").is_none()
            && schema.get("anyOf").is_none();
        if !is_base {
            continue;
        }
        // Every descendant, each once, found with a work list.
        let mut found: BTreeSet<&str> = BTreeSet::new();
        let mut todo: Vec<&str> = vec![name];
        while let Some(at) = todo.pop() {
            for child in children.get(at).into_iter().flatten() {
                if *child != name.as_str() && found.insert(child) {
                    todo.push(child);
                }
            }
        }
        if !found.is_empty() {
            out.insert(
                name.clone(),
                found.into_iter().map(str::to_string).collect(),
            );
        }
    }
    out
}
