//! Dialect: an OpenAPI 3.1 document (its schemas are JSON Schema 2020-12) rewritten in
//! place into the OpenAPI 3.0 spelling the rest of the pipeline reads. Input: the raw tree
//! of a 3.1 document; output: the same tree in 3.0 terms, and located warnings for what
//! 3.0 terms cannot say. The one place that knows how the two versions differ.
//!
//! Per schema, keyword by keyword (each rewrite is what a 3.0 author would write):
//! - `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → a `oneOf`
//!   of one branch per type, each with the keywords that apply to it;
//! - `const: v` → `enum: [v]`; `examples: [a, …]` → `example: a`;
//! - numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and maximum);
//! - `$ref` with siblings → `allOf: [{$ref}]` with the siblings beside it (3.0's way to
//!   describe a reference; other siblings apply with the target, as in 3.1);
//! - `contentEncoding: base64` → `format: byte`; a non-text `contentMediaType` → `format:
//!   binary`;
//! - `prefixItems` of fixed length (a tuple) → `prefixItems` with `minItems` and `maxItems`
//!   both its length (the normaliser's tuple); any other `prefixItems` → `items` that take
//!   any of its item schemas, warned;
//! - keywords without a Rust type (`if`/`then`/`else`, `unevaluatedProperties`,
//!   `dependentSchemas`, `$dynamicRef`, …) are dropped with a warning: the type accepts
//!   what the rest of the schema allows;
//! - annotations 3.0 has no use for (`$id`, `$schema`, `$anchor`, `$comment`) are dropped.
//!
//! `null` as a `oneOf`/`anyOf` member needs no rewrite (the normaliser reads it), nor do
//! `$defs` (references into them are local references) or leftover 3.0 `nullable`.
//! Schemas are found from where the document puts them (`components.schemas`, every
//! `schema` of a parameter, header or media type) and through the schema keywords; the
//! walk keeps its own stack.

use serde_json::{Map, Value};

use crate::error::join;

/// The dialect 3.1 documents use unless they say otherwise.
pub const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Keywords that only narrow what a schema accepts and have no Rust type.
const DROPPED_WITH_WARNING: [&str; 12] = [
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentSchemas",
    "dependentRequired",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "contains",
    "propertyNames",
];

/// Annotations with no meaning for the Rust types.
const DROPPED: [&str; 7] = [
    "$id",
    "$schema",
    "$anchor",
    "$comment",
    "$vocabulary",
    "minContains",
    "maxContains",
];

/// The keywords of numbers and integers alike.
const NUMERIC_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "format",
];

/// Keywords that apply to one JSON type only, by type: they follow their type into its
/// branch when a type list becomes a `oneOf`.
const TYPE_KEYWORDS: [(&str, &[&str]); 5] = [
    (
        "string",
        &[
            "minLength",
            "maxLength",
            "pattern",
            "format",
            "contentEncoding",
            "contentMediaType",
        ],
    ),
    ("number", NUMERIC_KEYWORDS),
    ("integer", NUMERIC_KEYWORDS),
    (
        "array",
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
    ),
];

/// Rewrites the 3.1 document `raw` into 3.0 terms; returns warnings as (pointer, message).
pub fn rewrite(raw: &mut Value) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    if let Some(dialect) = raw.get("jsonSchemaDialect").and_then(Value::as_str) {
        if dialect != DEFAULT_DIALECT {
            warnings.push((
                "/jsonSchemaDialect".to_string(),
                format!("schemas are read as OpenAPI 3.1's default dialect ({DEFAULT_DIALECT}), not {dialect:?}"),
            ));
        }
    }
    optional_parts(raw);
    // (pointer, whether the value there is a schema)
    let mut stack = vec![(String::new(), false)];
    while let Some((pointer, is_schema)) = stack.pop() {
        let Some(value) = raw.pointer_mut(&pointer) else {
            continue;
        };
        if is_schema {
            if let Some(obj) = value.as_object_mut() {
                rewrite_schema(obj, &pointer, &mut warnings);
            }
            push_subschemas(value, &pointer, &mut stack);
        } else {
            push_document_children(value, &pointer, &mut stack);
        }
    }
    warnings
}

/// 3.1 lets a document leave out `paths` (a webhooks-only one) and an operation its
/// `responses` (3.0 requires both): empty ones say the same.
fn optional_parts(raw: &mut Value) {
    if let Some(root) = raw.as_object_mut() {
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
    }
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    for group in ["/paths", "/webhooks", "/components/pathItems"] {
        let Some(Value::Object(items)) = raw.pointer_mut(group) else {
            continue;
        };
        for item in items.values_mut().filter_map(Value::as_object_mut) {
            for method in METHODS {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    op.entry("responses")
                        .or_insert_with(|| Value::Object(Map::new()));
                }
            }
        }
    }
}

/// Outside schemas: `components.schemas` entries and every `schema` are schemas;
/// examples and extensions are data, not searched.
fn push_document_children(value: &Value, pointer: &str, stack: &mut Vec<(String, bool)>) {
    match value {
        Value::Object(obj) => {
            for (key, child) in obj {
                if key.starts_with("x-") || key == "example" || key == "examples" {
                    continue;
                }
                let at = join(pointer, key);
                // `itemSchema`: OpenAPI 3.2's schema of each item of a stream, read in 3.1.
                if pointer == "/components/schemas" || key == "schema" || key == "itemSchema" {
                    stack.push((at, true));
                } else if child.is_object() || child.is_array() {
                    stack.push((at, false));
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                if child.is_object() || child.is_array() {
                    stack.push((join(pointer, &i.to_string()), false));
                }
            }
        }
        _ => {}
    }
}

/// Inside a schema: the schemas its keywords hold.
fn push_subschemas(value: &Value, pointer: &str, stack: &mut Vec<(String, bool)>) {
    let Some(obj) = value.as_object() else { return };
    for key in ["additionalProperties", "items", "not", "contentSchema"] {
        if obj.get(key).is_some_and(Value::is_object) {
            stack.push((join(pointer, key), true));
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(list) = obj.get(key).and_then(Value::as_array) {
            for i in 0..list.len() {
                stack.push((format!("{}/{i}", join(pointer, key)), true));
            }
        }
    }
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(map) = obj.get(key).and_then(Value::as_object) {
            let at = join(pointer, key);
            for name in map.keys() {
                stack.push((join(&at, name), true));
            }
        }
    }
}

/// One schema object, rewritten in place.
fn rewrite_schema(
    obj: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<(String, String)>,
) {
    for key in DROPPED {
        obj.remove(key);
    }
    for key in DROPPED_WITH_WARNING {
        if obj.remove(key).is_some() {
            warnings.push((
                join(pointer, key),
                format!(
                    "`{key}` has no Rust type; the type accepts what the rest of the schema allows"
                ),
            ));
        }
    }
    if obj.contains_key("$ref") && obj.keys().any(|k| k != "$ref") {
        let reference = obj.remove("$ref").expect("checked");
        let mut target = Map::new();
        target.insert("$ref".into(), reference);
        obj.insert("allOf".into(), Value::Array(vec![Value::Object(target)]));
    }
    if let Some(value) = obj.remove("const") {
        obj.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = obj.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            obj.entry("example").or_insert(first);
        }
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = obj.get(exclusive).filter(|v| v.is_number()).cloned() {
            obj.insert(inclusive.into(), bound);
            obj.insert(exclusive.into(), Value::Bool(true));
        }
    }
    content(obj);
    if let Some(Value::Array(_)) = obj.get("prefixItems") {
        tuple(obj, pointer, warnings);
    }
    if let Some(Value::Array(_)) = obj.get("type") {
        type_list(obj, pointer, warnings);
    }
}

/// `contentEncoding` and `contentMediaType` on a string, as 3.0's formats.
fn content(obj: &mut Map<String, Value>) {
    let encoding = obj.remove("contentEncoding");
    let media = obj.remove("contentMediaType");
    if obj.contains_key("format") {
        return;
    }
    let encoded = encoding
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url"));
    let text = |m: &str| m.starts_with("text/") || m.contains("json") || m.contains("xml");
    if encoded {
        obj.insert("format".into(), "byte".into());
    } else if media
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|m| !text(m))
    {
        obj.insert("format".into(), "binary".into());
    }
}

/// `prefixItems`: a tuple when its length is fixed (`minItems` is the number of item
/// schemas, and `items: false` or `maxItems` allows no more), written in the one spelling
/// the normaliser reads as a tuple: `prefixItems` with `minItems` and `maxItems` both its
/// length. Any other tuple is an array whose items may be any of its item schemas, warned.
fn tuple(obj: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<(String, String)>) {
    let Some(Value::Array(mut members)) = obj.remove("prefixItems") else {
        return;
    };
    if members.is_empty() {
        // No place has a schema of its own: only `items` says anything.
        return;
    }
    let len = members.len() as u64;
    let bound = |key: &str| obj.get(key).and_then(Value::as_u64);
    let closed = matches!(obj.get("items"), Some(Value::Bool(false)));
    let max = bound("maxItems");
    let fixed = if closed {
        max.is_none_or(|max| max >= len)
    } else {
        max == Some(len)
    };
    if bound("minItems") == Some(len) && fixed {
        obj.remove("items");
        obj.insert("maxItems".into(), len.into());
        obj.insert("prefixItems".into(), Value::Array(members));
        obj.entry("type").or_insert("array".into());
        return;
    }
    match obj.remove("items") {
        Some(Value::Bool(false)) | None => {}
        Some(rest) => members.push(rest),
    }
    warnings.push((
        join(pointer, "prefixItems"),
        "a tuple whose length is not fixed (`minItems` equal to the number of `prefixItems`, and `items: false` or the same `maxItems`) is read as an array whose items may be any of its item schemas"
            .into(),
    ));
    // What each place says of itself does not describe an item that may be at any place;
    // places that then read the same are one item schema.
    let mut unique: Vec<Value> = Vec::new();
    for mut member in members {
        if let Value::Object(m) = &mut member {
            m.remove("description");
            m.remove("title");
        }
        if !unique.contains(&member) {
            unique.push(member);
        }
    }
    let mut members = unique;
    let items = if members.len() == 1 {
        members.remove(0)
    } else {
        let mut any = Map::new();
        any.insert("anyOf".into(), Value::Array(members));
        Value::Object(any)
    };
    obj.insert("items".into(), items);
    obj.entry("type").or_insert("array".into());
}

/// `type` as a list: `null` becomes `nullable`, one type stays, several become a `oneOf`.
fn type_list(obj: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<(String, String)>) {
    let Some(Value::Array(types)) = obj.remove("type") else {
        return;
    };
    let mut names: Vec<String> = Vec::new();
    for t in &types {
        match t.as_str() {
            Some("null") => {
                obj.insert("nullable".into(), Value::Bool(true));
            }
            Some(name) if !names.iter().any(|n| n == name) => names.push(name.to_string()),
            Some(_) => {}
            None => warnings.push((
                join(pointer, "type"),
                format!("`type` lists {t}, which is not a type name; it is left out"),
            )),
        }
    }
    match names.len() {
        0 if obj.get("nullable") == Some(&Value::Bool(true)) => {
            obj.remove("nullable");
            obj.insert("type".into(), "null".into());
        }
        0 => {}
        1 => {
            obj.insert("type".into(), names.remove(0).into());
        }
        // Beside a union whose branches each have one of the listed types, the list
        // says nothing the branches do not.
        _ if branches_within(obj, &names) => {}
        _ if ["oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| obj.contains_key(*k)) =>
        {
            warnings.push((
                join(pointer, "type"),
                format!(
                    "a list of types beside a composition is read as its first type, {:?}",
                    names[0]
                ),
            ));
            obj.insert("type".into(), names.remove(0).into());
        }
        _ => {
            let branches = names.iter().map(|name| branch(obj, name)).collect();
            for (_, keywords) in TYPE_KEYWORDS {
                for k in keywords {
                    obj.remove(*k);
                }
            }
            obj.insert("oneOf".into(), Value::Array(branches));
        }
    }
}

/// Whether `obj` is a `oneOf`/`anyOf` each of whose branches has one of `types` (or is a
/// reference).
fn branches_within(obj: &Map<String, Value>, types: &[String]) -> bool {
    let branches = ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_array));
    branches.is_some_and(|branches| {
        branches.iter().all(|b| {
            // A referenced branch is taken at its word: the list sums the branches up.
            b.get("$ref").is_some()
                || b.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t == "null" || types.iter().any(|n| n == t))
        })
    })
}

/// The branch of a type list for type `name`, with the keywords that apply to it.
fn branch(obj: &Map<String, Value>, name: &str) -> Value {
    let mut branch = Map::new();
    branch.insert("type".into(), name.into());
    let keywords = TYPE_KEYWORDS
        .iter()
        .find(|(t, _)| *t == name)
        .map_or(&[][..], |(_, k)| *k);
    for k in keywords {
        if let Some(v) = obj.get(*k) {
            branch.insert((*k).to_string(), v.clone());
        }
    }
    Value::Object(branch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(s: Value) -> (Value, Vec<(String, String)>) {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": s}}});
        let warnings = rewrite(&mut doc);
        (doc["components"]["schemas"]["S"].clone(), warnings)
    }

    #[test]
    fn type_lists_become_nullable_or_one_branch_per_type() {
        assert_eq!(
            schema(json!({"type": ["string", "null"], "maxLength": 3})).0,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            schema(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1, "description": "d"})).0,
            json!({"description": "d", "oneOf": [
                {"type": "string", "maxLength": 3},
                {"type": "integer", "minimum": 1}
            ]})
        );
        assert_eq!(schema(json!({"type": ["null"]})).0, json!({"type": "null"}));
        // Beside a union that says the same, the list only adds `null`.
        let union = json!({"oneOf": [{"type": "integer"}, {"type": "string"}]});
        let mut listed = union.clone();
        listed["type"] = json!(["null", "integer", "string"]);
        let mut expected = union;
        expected["nullable"] = json!(true);
        assert_eq!(schema(listed), (expected, vec![]));
    }

    #[test]
    fn const_examples_and_exclusive_bounds_take_their_3_0_spelling() {
        assert_eq!(
            schema(json!({"const": "a", "examples": ["x", "y"], "exclusiveMinimum": 0})).0,
            json!({"enum": ["a"], "example": "x", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn a_reference_with_siblings_is_described_by_all_of() {
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/T", "description": "d"})).0,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "d"})
        );
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/T"})).0,
            json!({"$ref": "#/components/schemas/T"})
        );
    }

    #[test]
    fn keywords_without_a_rust_type_are_dropped_with_a_located_warning() {
        let (s, w) = schema(json!({"type": "object", "if": {}, "then": {}, "$comment": "c"}));
        assert_eq!(s, json!({"type": "object"}));
        let pointers: Vec<&str> = w.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            ["/components/schemas/S/if", "/components/schemas/S/then"]
        );
    }

    #[test]
    fn nested_schemas_are_rewritten_and_examples_are_left_alone() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"p": {"type": ["integer", "null"]}}},
                    "examples": {"schema": {"value": {"const": 1}}}
                }
            }}}}}}
        });
        rewrite(&mut doc);
        let media = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"]["properties"]["p"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(media["examples"]["schema"]["value"], json!({"const": 1}));
    }

    #[test]
    fn strings_with_content_keywords_take_a_format() {
        assert_eq!(
            schema(json!({"type": "string", "contentEncoding": "base64"})).0,
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            schema(json!({"type": "string", "contentMediaType": "image/png"})).0,
            json!({"type": "string", "format": "binary"})
        );
    }

    #[test]
    fn tuples_of_fixed_length_take_one_spelling_and_others_are_arrays() {
        let fixed = json!({"type": "array", "prefixItems": [{"type": "integer"}, {}],
            "minItems": 2, "maxItems": 2});
        assert_eq!(schema(fixed.clone()), (fixed.clone(), vec![]));
        let closed =
            json!({"prefixItems": [{"type": "integer"}, {}], "minItems": 2, "items": false});
        assert_eq!(schema(closed), (fixed, vec![]));
        // Shorter arrays are allowed, or longer ones, or none at all: not a tuple.
        for loose in [
            json!({"prefixItems": [{"type": "integer"}, {}], "items": false}),
            json!({"prefixItems": [{"type": "integer"}, {}], "minItems": 2}),
            json!({"prefixItems": [{"type": "integer"}], "minItems": 2, "items": false}),
        ] {
            let (s, w) = schema(loose.clone());
            assert_eq!(s["type"], "array", "{loose}");
            assert!(s.get("prefixItems").is_none(), "{loose}");
            assert_eq!(w.len(), 1, "{loose}");
            assert!(w[0].0.ends_with("/S/prefixItems"), "{w:?}");
        }
        let empty = json!({"prefixItems": [], "items": {"type": "integer"}});
        assert_eq!(
            schema(empty),
            (json!({"items": {"type": "integer"}}), vec![])
        );
        // Places that read the same once their own words are gone are one item schema.
        let (s, _) = schema(json!({"prefixItems": [
            {"type": "string", "description": "first"}, {"type": "string", "title": "second"}]}));
        assert_eq!(s, json!({"type": "array", "items": {"type": "string"}}));
        let (s, _) =
            schema(json!({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}));
        assert_eq!(
            s["items"],
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }
}
