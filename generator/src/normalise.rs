//! Normalise: a raw JSON Schema (by pointer into the spec) into a plain `Schema` tree.
//!
//! `$ref`s to component schemas stay references (by component name); every other local
//! `$ref` names its target by pointer (`Kind::Local`), which is normalised once, however
//! often it is referenced. `allOf` is merged, `nullable` and `null` enum members are folded
//! into a flag, constraint-only `oneOf` branches are folded into their parent's type. Knows
//! nothing of Rust.
//!
//! Bounded work on any input: chains of `$ref`s are followed in a loop, referenced targets
//! are normalised from a work list rather than inside the reference, every schema is
//! normalised once (components and local targets are memoised), and nesting (inline
//! schemas plus `allOf` members followed) stops at [`MAX_DEPTH`] with a located error.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::error::{join, Diagnostic};
use crate::load::Spec;

mod discriminator;
pub use discriminator::subtypes;

/// A schema after normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Where the schema is written in the spec.
    pub pointer: String,
    pub doc: Option<String>,
    /// `null` is an accepted value (`nullable: true`, or `null` among the `enum` values).
    pub nullable: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Any JSON value: `{}` or a schema without constraints we can represent.
    Any,
    Bool,
    /// A boolean that admits one value only (`enum: [false]`).
    BoolConst(bool),
    Integer {
        format: Option<String>,
    },
    Number,
    String,
    /// A string of raw octets (`format: binary`): a file in a multipart body.
    Binary,
    /// A closed list of strings.
    StringEnum(Vec<String>),
    Array(Box<Schema>),
    /// An array of fixed length whose items each have their own schema: `prefixItems`,
    /// with `minItems` and `maxItems` both its length (the dialect's spelling of a tuple).
    Tuple(Vec<Schema>),
    Object {
        properties: Vec<Property>,
        additional: Additional,
    },
    /// `oneOf` or `anyOf`, with what OpenAPI's `discriminator` says about its branches.
    OneOf(OneOf),
    /// A component schema, by its key under `#/components/schemas`.
    Ref(String),
    /// Another schema of the spec, by JSON pointer (a `$ref` outside the components);
    /// its normalised form is in `Normaliser::locals`.
    Local(String),
}

/// How deep schemas may nest, counting inline schemas, `allOf` members followed and
/// local references lowered: far beyond real specs (which stay under 20), well within
/// the stack the generator runs on.
pub const MAX_DEPTH: usize = 100;

/// The message for a schema nested past [`MAX_DEPTH`].
pub fn too_deep() -> String {
    format!("schemas nest more than {MAX_DEPTH} levels deep here (through properties, items, allOf or $refs); give some of them a name under #/components/schemas")
}

/// The branches of a `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    pub branches: Vec<Schema>,
    /// `anyOf`: a value may match several branches.
    pub any_of: bool,
    pub discriminator: Option<Discriminator>,
}

/// OpenAPI's `discriminator`: the property whose value says which branch an object is.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    pub property: String,
    /// Each tag value and the branch (an index into `OneOf::branches`) it selects: the
    /// `mapping` in its order, then the implicit values in branch order.
    pub values: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// `additionalProperties: false`.
    Closed,
    /// Not said beside `properties`: JSON Schema allows any further property.
    Unspecified,
    /// `additionalProperties: true` or `{}`: any JSON value.
    Any,
    Schema(Box<Schema>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub required: bool,
    pub schema: Schema,
}

/// Walks schemas of one spec, collecting problems instead of stopping at the first.
pub struct Normaliser<'a> {
    spec: &'a Spec,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// The targets of local `$ref`s (outside the components), each normalised once; also
    /// the components merged by `allOf`, by pointer.
    pub locals: HashMap<String, Schema>,
    /// Targets met and not normalised yet: `schema_at` works through them in a loop.
    pending: Vec<String>,
    /// `allOf` members being merged right now, to stop cycles.
    inlining: Vec<String>,
    /// Schemas nested around the one being normalised now.
    depth: usize,
}

const COMPONENT_PREFIX: &str = "/components/schemas/";

impl<'a> Normaliser<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        Normaliser {
            spec,
            errors: Vec::new(),
            warnings: Vec::new(),
            locals: HashMap::new(),
            pending: Vec::new(),
            inlining: Vec::new(),
            depth: 0,
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(self.spec.diagnostic(pointer, message));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(self.spec.diagnostic(pointer, message));
    }

    /// Normalises the schema written at `pointer`, and every local target it references
    /// (into `locals`), one after another.
    pub fn schema_at(&mut self, pointer: &str) -> Schema {
        let schema = self.schema_written_at(pointer);
        self.drain();
        schema
    }

    /// Normalises the local targets met and not normalised yet, one after another.
    fn drain(&mut self) {
        while let Some(target) = self.pending.pop() {
            if !self.locals.contains_key(&target) {
                let outer = std::mem::replace(&mut self.depth, 0);
                let normalised = self.schema_written_at(&target);
                self.depth = outer;
                self.locals.insert(target, normalised);
            }
        }
    }

    fn schema_written_at(&mut self, pointer: &str) -> Schema {
        match self.spec.raw.pointer(pointer) {
            Some(value) => self.schema(value, pointer),
            None => {
                self.error(pointer, "expected a schema here");
                any(pointer)
            }
        }
    }

    /// The normalised target of a local reference, normalised now if it was not yet.
    fn local(&mut self, target: &str) -> Schema {
        self.memoised(target).unwrap_or_else(|| any(target))
    }

    /// The schema at `target` (a local target or a component), normalised once and kept
    /// in `locals`; `None` while it is being normalised (a cycle).
    fn memoised(&mut self, target: &str) -> Option<Schema> {
        if let Some(done) = self.locals.get(target) {
            return Some(done.clone());
        }
        if self.inlining.iter().any(|p| p == target) {
            return None;
        }
        self.inlining.push(target.to_string());
        let normalised = self.schema_written_at(target);
        self.inlining.pop();
        self.locals.insert(target.to_string(), normalised.clone());
        Some(normalised)
    }

    /// `schema` itself, or for a local reference the schema it names.
    fn see_through(&mut self, schema: Schema) -> Schema {
        match &schema.kind {
            Kind::Local(target) => {
                let target = target.clone();
                let mut resolved = self.local(&target);
                resolved.nullable |= schema.nullable;
                resolved
            }
            _ => schema,
        }
    }

    pub fn schema(&mut self, value: &Value, pointer: &str) -> Schema {
        if self.depth >= MAX_DEPTH {
            self.error(pointer, too_deep());
            return any(pointer);
        }
        self.depth += 1;
        let schema = self.schema_inner(value, pointer);
        self.depth -= 1;
        schema
    }

    fn schema_inner(&mut self, value: &Value, pointer: &str) -> Schema {
        let Some(obj) = value.as_object() else {
            return match value {
                Value::Bool(true) => any(pointer),
                _ => {
                    self.error(pointer, "a schema must be an object");
                    any(pointer)
                }
            };
        };
        if let Some(reference) = obj.get("$ref") {
            return self.reference(reference, pointer);
        }
        self.check_keywords(obj, pointer);
        let doc = describe(obj);
        let mut nullable = obj
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if obj.contains_key("not") {
            self.warn(
                pointer,
                "`not` cannot be expressed in Rust types; accepting any JSON value here",
            );
        }

        if let Some(members) = obj.get("allOf").and_then(Value::as_array) {
            let mut schema = self.all_of(obj, members, pointer);
            schema.nullable |= nullable;
            if doc.is_some() {
                schema.doc = doc;
            }
            return schema;
        }

        let union_key = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| obj.contains_key(*k));
        if let Some(key) = union_key {
            return self.union(obj, key, pointer, doc, nullable);
        }

        let ty = match obj.get("type") {
            None => infer_type(obj),
            Some(Value::String(t)) => Some(t.as_str()),
            Some(other) => {
                self.error(
                    &join(pointer, "type"),
                    format!("`type` must be a string in OpenAPI 3.0, found {other}"),
                );
                None
            }
        };

        let enum_values = obj.get("enum").and_then(Value::as_array);
        if let Some(values) = enum_values {
            if values.iter().any(Value::is_null) {
                nullable = true;
            }
        }
        let enum_values: Option<Vec<&Value>> =
            enum_values.map(|v| v.iter().filter(|x| !x.is_null()).collect());

        let kind = match ty {
            Some("boolean") => match enum_values.as_deref() {
                Some([Value::Bool(b)]) => Kind::BoolConst(*b),
                Some(values) if values.iter().any(|v| !v.is_boolean()) => {
                    self.warn(
                        &join(pointer, "enum"),
                        "enum values of a boolean schema must be booleans; ignoring the enum",
                    );
                    Kind::Bool
                }
                _ => Kind::Bool,
            },
            Some("integer") => Kind::Integer {
                format: obj
                    .get("format")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
            Some("number") => Kind::Number,
            Some("string") => match enum_values {
                Some(values) if !values.is_empty() => {
                    let mut strings = Vec::new();
                    let mut seen = BTreeSet::new();
                    for v in values {
                        let s = match v {
                            Value::String(s) => s.clone(),
                            other => {
                                self.warn(
                                    &join(pointer, "enum"),
                                    format!("enum value {other} is not a string; treating it as the string \"{other}\""),
                                );
                                other.to_string()
                            }
                        };
                        if seen.insert(s.clone()) {
                            strings.push(s);
                        }
                    }
                    Kind::StringEnum(strings)
                }
                _ if obj.get("format").and_then(Value::as_str) == Some("binary") => Kind::Binary,
                _ => Kind::String,
            },
            Some("array") if tuple_length(obj).is_some() => {
                let members = obj["prefixItems"].as_array().into_iter().flatten();
                let pointer = join(pointer, "prefixItems");
                Kind::Tuple(
                    members
                        .enumerate()
                        .map(|(i, m)| self.schema(m, &join(&pointer, &i.to_string())))
                        .collect(),
                )
            }
            Some("array") => {
                let items = match obj.get("items") {
                    Some(items) => self.schema(items, &join(pointer, "items")),
                    None => any(&join(pointer, "items")),
                };
                Kind::Array(Box::new(items))
            }
            Some("object") => self.object(obj, pointer),
            Some("null") => {
                nullable = true;
                Kind::Any
            }
            Some(other) => {
                self.error(&join(pointer, "type"), format!("unknown type {other:?}"));
                Kind::Any
            }
            None => Kind::Any,
        };
        Schema {
            pointer: pointer.into(),
            doc,
            nullable,
            kind,
        }
    }

    /// Keywords whose values have the wrong JSON type: an error where the keyword shapes
    /// the type (`required`, `enum`, `nullable`), else a warning, the keyword ignored.
    fn check_keywords(&mut self, obj: &Map<String, Value>, pointer: &str) {
        for (key, value) in obj {
            let expected = match key.as_str() {
                "pattern" | "format" | "title" | "description" if !value.is_string() => "a string",
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties"
                    if !value.is_u64() =>
                {
                    "a whole number of zero or more"
                }
                "minimum" | "maximum" | "multipleOf" if !value.is_number() => "a number",
                "exclusiveMinimum" | "exclusiveMaximum" | "uniqueItems" | "readOnly"
                | "writeOnly" | "deprecated"
                    if !value.is_boolean() =>
                {
                    "a boolean in OpenAPI 3.0"
                }
                "nullable" if !value.is_boolean() => {
                    self.error(&join(pointer, key), "`nullable` must be a boolean");
                    continue;
                }
                "required"
                    if !value
                        .as_array()
                        .is_some_and(|r| r.iter().all(Value::is_string)) =>
                {
                    self.error(
                        &join(pointer, key),
                        "`required` must be a list of property names",
                    );
                    continue;
                }
                "enum" if !value.is_array() => {
                    self.error(&join(pointer, key), "`enum` must be a list of values");
                    continue;
                }
                _ => continue,
            };
            self.warn(
                &join(pointer, key),
                format!(
                    "`{key}` must be {expected}, found {}; ignoring it",
                    crate::load::describe_value(value)
                ),
            );
        }
    }

    /// A `oneOf`/`anyOf` (`key`): its branches, and what its `discriminator` says of them.
    fn union(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        pointer: &str,
        mut doc: Option<String>,
        mut nullable: bool,
    ) -> Schema {
        let raw_branches = obj
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let base_has_shape = obj.contains_key("type") || obj.contains_key("properties");
        // Branches that only add constraints (pattern, format, description) refine the
        // parent's type without changing it: keep the parent, note the branches in docs.
        if base_has_shape && raw_branches.iter().all(is_constraint_only) {
            let mut base = obj.clone();
            base.remove(key);
            let mut schema = self.schema(&Value::Object(base), pointer);
            schema.doc = Some(with_branch_notes(doc.take(), &raw_branches));
            return schema;
        }
        let tagged = obj.contains_key("discriminator");
        let mut branches = Vec::new();
        if obj.contains_key("properties") {
            // Shared properties beside oneOf: distribute them into every branch.
            let mut base = obj.clone();
            base.remove(key);
            base.remove("description");
            base.remove("discriminator");
            for (i, b) in raw_branches.iter().enumerate() {
                let merged = serde_json::json!({ "allOf": [Value::Object(base.clone()), b] });
                branches.push(self.schema(&merged, &format!("{pointer}/{key}/{i}")));
            }
        } else {
            for (i, raw) in raw_branches.iter().enumerate() {
                let branch = self.schema(raw, &format!("{pointer}/{key}/{i}"));
                // `{type: "null"}` (3.1's way to say nullable) is no branch of its own.
                if is_null_only(raw) {
                    nullable = true;
                    continue;
                }
                // A referenced union is flattened into this one like a written one, unless
                // a discriminator tells the branches apart.
                let branch = match &branch.kind {
                    Kind::Local(_) if !tagged => self.see_through(branch),
                    _ => branch,
                };
                // `{type: "null"}`-like branches and nullable branches make the union nullable.
                nullable |= branch.nullable;
                match branch.kind {
                    Kind::OneOf(inner)
                        if !tagged
                            && inner.discriminator.is_none()
                            && inner.any_of == (key == "anyOf") =>
                    {
                        branches.extend(inner.branches)
                    }
                    kind => branches.push(Schema {
                        nullable: false,
                        kind,
                        ..branch
                    }),
                }
            }
        }
        if branches.is_empty() {
            self.error(
                &join(pointer, key),
                format!("`{key}` needs at least one schema"),
            );
            return any(pointer);
        }
        if branches.len() == 1 {
            let mut only = branches.remove(0);
            only.nullable |= nullable;
            if doc.is_some() {
                only.doc = doc;
            }
            return only;
        }
        let targets: Vec<Option<String>> = raw_branches.iter().map(reference_target).collect();
        let discriminator = match obj.get("discriminator") {
            Some(d) if targets.len() == branches.len() => {
                self.discriminator(d, pointer, &targets, &branches)
            }
            _ => None,
        };
        Schema {
            pointer: pointer.into(),
            doc,
            nullable,
            kind: Kind::OneOf(OneOf {
                branches,
                any_of: key == "anyOf",
                discriminator,
            }),
        }
    }

    fn object(&mut self, obj: &Map<String, Value>, pointer: &str) -> Kind {
        let required: BTreeSet<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut properties = Vec::new();
        if let Some(props) = obj.get("properties") {
            match props.as_object() {
                Some(props) => {
                    for (name, schema) in props {
                        let p = join(&join(pointer, "properties"), name);
                        properties.push(Property {
                            name: name.clone(),
                            required: required.contains(name.as_str()),
                            schema: self.schema(schema, &p),
                        });
                    }
                }
                None => self.error(
                    &join(pointer, "properties"),
                    "`properties` must be an object",
                ),
            }
        }
        for name in &required {
            if !properties.iter().any(|p| p.name == *name) && obj.get("properties").is_some() {
                self.warn(
                    &join(pointer, "required"),
                    format!("required property {name:?} is not declared under `properties`; ignoring it"),
                );
            }
        }
        let additional = match obj.get("additionalProperties") {
            // A bare `type: object` is a free-form object.
            None if properties.is_empty() => Additional::Any,
            None => Additional::Unspecified,
            Some(Value::Bool(false)) => Additional::Closed,
            Some(Value::Bool(true)) => Additional::Any,
            Some(v) => {
                let s = self.schema(v, &join(pointer, "additionalProperties"));
                if s.kind == Kind::Any && !s.nullable {
                    Additional::Any
                } else {
                    Additional::Schema(Box::new(s))
                }
            }
        };
        Kind::Object {
            properties,
            additional,
        }
    }

    /// A `$ref`: a component stays a reference by name, any other target a reference by
    /// pointer, normalised later from the work list. `$ref`s that point at `$ref`s are
    /// followed here, in a loop, whatever the length of the chain.
    fn reference(&mut self, reference: &Value, pointer: &str) -> Schema {
        let mut at = join(pointer, "$ref");
        let mut reference = reference;
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            let Some(target) = reference.as_str() else {
                self.error(&at, "`$ref` must be a string");
                return any(pointer);
            };
            let Some(target_pointer) = crate::pointer::of_reference(target) else {
                self.error(
                    &at,
                    format!("external reference {target:?} is not supported; bundle the spec into one file first"),
                );
                return any(pointer);
            };
            let Some(value) = self.spec.raw.pointer(&target_pointer) else {
                self.error(&at, format!("reference {target:?} points to nothing"));
                return any(pointer);
            };
            if let Some(name) = crate::pointer::component_name(&target_pointer) {
                // A nullable component makes every reference to it nullable.
                return Schema {
                    pointer: pointer.into(),
                    doc: None,
                    nullable: raw_nullable(value),
                    kind: Kind::Ref(name),
                };
            }
            if !seen.insert(target_pointer.clone()) {
                self.error(
                    &at,
                    format!("reference {target:?} is part of a cycle of references that never reaches a schema"),
                );
                return any(pointer);
            }
            if let Some(next) = value.get("$ref") {
                at = join(&target_pointer, "$ref");
                reference = next;
                continue;
            }
            if !self.locals.contains_key(&target_pointer) {
                self.pending.push(target_pointer.clone());
            }
            return Schema {
                pointer: pointer.into(),
                doc: None,
                nullable: raw_nullable(value),
                kind: Kind::Local(target_pointer),
            };
        }
    }

    fn all_of(&mut self, outer: &Map<String, Value>, members: &[Value], pointer: &str) -> Schema {
        let mut parts: Vec<Schema> = members
            .iter()
            .enumerate()
            .map(|(i, m)| self.schema(m, &format!("{pointer}/allOf/{i}")))
            .collect();
        // Sibling keywords of `allOf` are one more member when they shape the value; words
        // about it (`description`, `readOnly`, `type: object`, `x-…`) are not, so a single
        // `allOf` member with them is a reference with extra words (the 3.0 way to describe
        // a `$ref`), and recursion through it is fine.
        let mut rest = outer.clone();
        rest.remove("allOf");
        if rest.keys().any(|k| SHAPING.contains(&k.as_str())) {
            parts.push(self.schema(&Value::Object(rest), pointer));
        }
        if parts.len() == 1 {
            return parts.remove(0);
        }
        if let Some(scalar) = self.same_scalar(&parts, outer, pointer) {
            return scalar;
        }
        let mut properties: Vec<Property> = Vec::new();
        let mut additional = Additional::Unspecified;
        let mut nullable = true;
        let mut doc = None;
        for part in &parts {
            let Some(resolved) = self.resolve_all(part) else {
                return any(pointer);
            };
            nullable &= resolved.nullable;
            doc = doc.or(resolved.doc.clone());
            match resolved.kind {
                Kind::Object {
                    properties: ps,
                    additional: a,
                } => {
                    for p in ps {
                        match properties.iter_mut().find(|q| q.name == p.name) {
                            Some(q) => {
                                q.required |= p.required;
                                if q.schema.kind == Kind::Any {
                                    q.schema = p.schema;
                                }
                            }
                            None => properties.push(p),
                        }
                    }
                    match a {
                        Additional::Schema(_) => additional = a,
                        Additional::Closed if !matches!(additional, Additional::Schema(_)) => {
                            additional = a
                        }
                        _ => {}
                    }
                }
                Kind::Any => {}
                _ => {
                    self.warn(
                        &join(pointer, "allOf"),
                        "allOf of non-object schemas cannot be merged; accepting any JSON value here",
                    );
                    return any(pointer);
                }
            }
        }
        Schema {
            pointer: pointer.into(),
            doc,
            nullable: nullable && !parts.is_empty(),
            kind: Kind::Object {
                properties,
                additional,
            },
        }
    }

    /// `allOf` members that are all one scalar type (`{type: string}` and `{type: string,
    /// minLength: 1}`): that type, the closest enum if one of them is an enum.
    fn same_scalar(
        &mut self,
        parts: &[Schema],
        outer: &Map<String, Value>,
        pointer: &str,
    ) -> Option<Schema> {
        let mut found: Option<Schema> = None;
        for part in parts {
            let resolved = self.resolve_all(part)?;
            let scalar = matches!(
                resolved.kind,
                Kind::Bool
                    | Kind::Integer { .. }
                    | Kind::Number
                    | Kind::String
                    | Kind::StringEnum(_)
            );
            if !scalar {
                return None;
            }
            let same_type = |a: &Kind, b: &Kind| {
                let text = |k: &Kind| matches!(k, Kind::String | Kind::StringEnum(_));
                std::mem::discriminant(a) == std::mem::discriminant(b) || (text(a) && text(b))
            };
            found = match found {
                None => Some(resolved),
                Some(seen) if !same_type(&seen.kind, &resolved.kind) => return None,
                // An enum narrows a plain string; two enums are left to the general rule.
                Some(seen) => match (&seen.kind, &resolved.kind) {
                    (Kind::StringEnum(_), Kind::StringEnum(_)) => return None,
                    (Kind::String, Kind::StringEnum(_)) => Some(Schema {
                        nullable: seen.nullable && resolved.nullable,
                        ..resolved
                    }),
                    _ => Some(Schema {
                        nullable: seen.nullable && resolved.nullable,
                        ..seen
                    }),
                },
            };
        }
        let mut schema = found?;
        schema.pointer = pointer.into();
        schema.doc = describe(outer).or(schema.doc);
        Some(schema)
    }

    /// Follows references (a component may be a reference to another) to a schema that is
    /// not one; `None` (and an error) when they go round in a circle.
    fn resolve_all(&mut self, part: &Schema) -> Option<Schema> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut current = self.resolve(part);
        while let Kind::Ref(target) | Kind::Local(target) = &current.kind {
            if !seen.insert(target.clone()) {
                self.error(&part.pointer, "allOf member refers to itself");
                return None;
            }
            current = self.resolve(&current);
        }
        Some(current)
    }

    /// Follows a reference (for merging `allOf`) to the schema it names, normalising each
    /// component once, and guarding against cycles.
    fn resolve(&mut self, schema: &Schema) -> Schema {
        let target = match &schema.kind {
            Kind::Ref(name) => join(COMPONENT_PREFIX.trim_end_matches('/'), name),
            Kind::Local(target) => target.clone(),
            _ => return schema.clone(),
        };
        self.memoised(&target).unwrap_or_else(|| {
            self.error(
                &schema.pointer,
                format!("allOf member {target:?} includes itself"),
            );
            any(&schema.pointer)
        })
    }
}

/// The pointer a branch's `$ref` names, if it is one.
fn reference_target(branch: &Value) -> Option<String> {
    crate::pointer::of_reference(branch.get("$ref")?.as_str()?)
}

/// Keywords beside `allOf` that change what a value may be (and so its Rust type).
const SHAPING: [&str; 8] = [
    "properties",
    "additionalProperties",
    "required",
    "items",
    "oneOf",
    "anyOf",
    "enum",
    "not",
];

/// Whether a raw schema admits `null` and nothing else (`type: "null"`, `enum: [null]`).
fn is_null_only(schema: &Value) -> bool {
    let only_null = |values: &Vec<Value>| !values.is_empty() && values.iter().all(Value::is_null);
    schema.get("$ref").is_none()
        && (schema.get("type").and_then(Value::as_str) == Some("null")
            || schema
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(only_null))
}

/// Whether a raw schema admits `null` by itself (`nullable`, `type: null`, `null` in `enum`).
fn raw_nullable(schema: &Value) -> bool {
    schema
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || schema.get("type").and_then(Value::as_str) == Some("null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
}

/// The length of a tuple spelled as the dialect writes one: `prefixItems` (not empty), and
/// `minItems` and `maxItems` both its length. Anything else is not read as a tuple.
fn tuple_length(obj: &Map<String, Value>) -> Option<u64> {
    let len = obj.get("prefixItems")?.as_array()?.len() as u64;
    let bound = |key: &str| obj.get(key).and_then(Value::as_u64);
    (len > 0 && bound("minItems") == Some(len) && bound("maxItems") == Some(len)).then_some(len)
}

fn any(pointer: &str) -> Schema {
    Schema {
        pointer: pointer.into(),
        doc: None,
        nullable: false,
        kind: Kind::Any,
    }
}

/// The schema's prose, followed by the constraints the Rust type cannot carry
/// (patterns, lengths, ranges, formats, defaults), so readers still see them.
fn describe(obj: &Map<String, Value>) -> Option<String> {
    let text = obj
        .get("description")
        .and_then(Value::as_str)
        .or_else(|| obj.get("title").and_then(Value::as_str))
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut notes: Vec<String> = Vec::new();
    let number = |k: &str| obj.get(k).filter(|v| v.is_number()).map(Value::to_string);
    if let Some(f) = obj.get("format").and_then(Value::as_str) {
        notes.push(format!("format `{f}`"));
    }
    if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
        notes.push(format!("matches `{p}`"));
    }
    match (number("minLength"), number("maxLength")) {
        (Some(a), Some(b)) => notes.push(format!("{a} to {b} characters")),
        (Some(a), None) => notes.push(format!("at least {a} characters")),
        (None, Some(b)) => notes.push(format!("at most {b} characters")),
        (None, None) => {}
    }
    match (number("minimum"), number("maximum")) {
        (Some(a), Some(b)) => notes.push(format!("from {a} to {b}")),
        (Some(a), None) => notes.push(format!("at least {a}")),
        (None, Some(b)) => notes.push(format!("at most {b}")),
        (None, None) => {}
    }
    // A tuple's length is its type's.
    let items = match tuple_length(obj) {
        Some(_) => (None, None),
        None => (number("minItems"), number("maxItems")),
    };
    match items {
        (Some(a), Some(b)) => notes.push(format!("{a} to {b} items")),
        (Some(a), None) => notes.push(format!("at least {a} items")),
        (None, Some(b)) => notes.push(format!("at most {b} items")),
        (None, None) => {}
    }
    if let Some(d) = obj
        .get("default")
        .filter(|d| !d.is_object() && !d.is_array())
    {
        notes.push(format!("default `{d}`"));
    }
    let notes = (!notes.is_empty()).then(|| {
        let mut n = notes.join("; ");
        n[..1].make_ascii_uppercase();
        format!("{n}.")
    });
    match (text.is_empty(), notes) {
        (true, None) => None,
        (true, Some(n)) => Some(n),
        (false, None) => Some(text),
        (false, Some(n)) => Some(format!("{text}\n\n{n}")),
    }
}

fn infer_type(obj: &Map<String, Value>) -> Option<&'static str> {
    if obj.contains_key("properties") || obj.contains_key("additionalProperties") {
        return Some("object");
    }
    if obj.contains_key("items") {
        return Some("array");
    }
    let values = obj.get("enum").and_then(Value::as_array)?;
    let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if non_null.iter().all(|v| v.is_string()) && !non_null.is_empty() {
        Some("string")
    } else if non_null.iter().all(|v| v.is_boolean()) && !non_null.is_empty() {
        Some("boolean")
    } else {
        None
    }
}

/// A oneOf branch with no type of its own: only patterns, formats, lengths or prose.
fn is_constraint_only(branch: &Value) -> bool {
    const SHAPE: [&str; 9] = [
        "type",
        "properties",
        "items",
        "enum",
        "oneOf",
        "anyOf",
        "allOf",
        "$ref",
        "additionalProperties",
    ];
    branch
        .as_object()
        .is_some_and(|o| SHAPE.iter().all(|k| !o.contains_key(*k)))
}

fn with_branch_notes(doc: Option<String>, branches: &[Value]) -> String {
    let mut out = doc.unwrap_or_default();
    out.push_str("\n\nOne of:");
    for b in branches {
        let desc = b
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("value");
        out.push_str(&format!("\n- {desc}"));
        if let Some(p) = b.get("pattern").and_then(Value::as_str) {
            out.push_str(&format!(", matching `{p}`"));
        }
        if let Some(f) = b.get("format").and_then(Value::as_str) {
            out.push_str(&format!(", format `{f}`"));
        }
    }
    out.trim().to_string()
}
