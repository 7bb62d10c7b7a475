//! An independent judge for generated code: OpenAPI 3.0 schemas turned into JSON Schema
//! (draft 4, which 3.0's schema object extends) and checked by the `jsonschema` crate,
//! which shares no code with the generator. Where the generated types and this judge
//! disagree about a document, one of them is wrong.

pub mod discriminator;
pub mod docs;

use std::borrow::Borrow;
use std::collections::BTreeMap;

use discriminator::Tagged;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The spec at `path` (YAML or JSON) as a JSON tree.
///
/// # Panics
/// When the file cannot be read or parsed (this is test support).
#[track_caller]
pub fn load_spec(path: impl AsRef<std::path::Path>) -> Value {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is YAML: {e}", path.display()))
}

/// Decodes `doc` as `T`, encodes it again and asserts the JSON is the same (numbers by
/// value, keys in any order, absent keys still absent); returns the decoded value.
#[track_caller]
pub fn round_trip<T: Serialize + DeserializeOwned>(doc: impl Borrow<Value>) -> T {
    let doc = doc.borrow();
    let decoded: T = serde_json::from_value(doc.clone())
        .unwrap_or_else(|e| panic!("does not decode: {e}\n{doc:#}"));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert!(
        apigen_runtime::same_json(doc, &encoded),
        "round trip changed the document\nbefore: {doc:#}\nafter:  {encoded:#}"
    );
    decoded
}

/// Asserts `T` rejects `doc`; returns the error message.
#[track_caller]
pub fn rejected<T: DeserializeOwned + std::fmt::Debug>(doc: Value) -> String {
    match serde_json::from_value::<T>(doc.clone()) {
        Ok(v) => panic!("accepted a document the schema rejects: {doc}\n→ {v:?}"),
        Err(e) => e.to_string(),
    }
}

/// Validators for the schemas of one OpenAPI 3.0 or 3.1 document: draft 4 (which 3.0's
/// schema object extends) for 3.0, draft 2020-12 (3.1's own dialect) for 3.1, each schema
/// read as that draft reads it, never as apigen rewrote it.
pub struct SpecJudge {
    draft: jsonschema::Draft,
    /// The component schemas, converted, under `/components/schemas` as in the spec.
    components: Value,
    spec: Value,
    /// Base schemas with a discriminator that stand for their subtypes where referenced.
    bases: BTreeMap<String, Tagged>,
}

/// Where the judge puts the "any subtype of this base" schema of each polymorphic base.
const POLYMORPHIC: &str = "/x-apigen-polymorphic/";

impl SpecJudge {
    pub fn new(spec: &Value) -> Self {
        let bases = discriminator::polymorphic_bases(spec);
        let converter = Converter {
            spec,
            bases: &bases,
        };
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), converter.schema(v)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        let v31 = spec
            .get("openapi")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("3.1"));
        SpecJudge {
            draft: if v31 {
                jsonschema::Draft::Draft202012
            } else {
                jsonschema::Draft::Draft4
            },
            components: serde_json::json!({ "schemas": schemas }),
            spec: spec.clone(),
            bases,
        }
    }

    fn converter(&self) -> Converter<'_> {
        Converter {
            spec: &self.spec,
            bases: &self.bases,
        }
    }

    /// A validator for the OpenAPI schema written at `pointer` in the spec.
    ///
    /// # Errors
    /// When there is no schema there, or the converted schema does not compile.
    pub fn validator(&self, pointer: &str) -> Result<jsonschema::Validator, String> {
        self.build(pointer, false)
    }

    /// As [`SpecJudge::validator`], with every `oneOf` read as `anyOf`: a document it accepts
    /// and the strict one rejects is invalid only by matching several branches somewhere.
    ///
    /// # Errors
    /// As [`SpecJudge::validator`].
    pub fn any_of_validator(&self, pointer: &str) -> Result<jsonschema::Validator, String> {
        self.build(pointer, true)
    }

    fn build(
        &self,
        pointer: &str,
        one_of_as_any_of: bool,
    ) -> Result<jsonschema::Validator, String> {
        let schema = self
            .spec
            .pointer(pointer)
            .ok_or_else(|| format!("no schema at {pointer}"))?;
        // A polymorphic base is, as a type of its own, any of its subtypes.
        let schema = match pointer.strip_prefix("/components/schemas/") {
            Some(name)
                if self
                    .bases
                    .contains_key(&name.replace("~1", "/").replace("~0", "~")) =>
            {
                serde_json::json!({ "$ref": format!("#{POLYMORPHIC}{name}") })
            }
            _ => self.converter().schema(schema),
        };
        // Only what the schema reaches (components, or schemas anywhere in the spec that a
        // local `$ref` names), each at its own pointer: a large spec compiles in a fraction
        // of the time, and every reference resolves as in the spec.
        // Draft 4 ignores keywords beside `$ref`, so the schema goes under `allOf`.
        let mut root = serde_json::json!({ "allOf": [schema] });
        let mut pending = Vec::new();
        let mut inserted = std::collections::BTreeSet::new();
        collect_refs(&root, &mut pending);
        while let Some(target) = pending.pop() {
            if covered(&inserted, &target) {
                continue;
            }
            let found = if let Some(name) = target.strip_prefix(POLYMORPHIC) {
                let name = name.replace("~1", "/").replace("~0", "~");
                self.bases.get(&name).map(|tagged| {
                    let base = format!("#/components/schemas/{}", pointer_token(&name));
                    let mut any = tagged.rule(Clone::clone);
                    any["allOf"] = serde_json::json!([{ "$ref": base }]);
                    any
                })
            } else if let Some(name) = target
                .strip_prefix("/components/schemas/")
                .filter(|n| !n.contains('/'))
            {
                self.components
                    .pointer(&format!("/schemas/{name}"))
                    .cloned()
            } else {
                self.spec
                    .pointer(&target)
                    .map(|s| self.converter().schema(s))
            };
            if let Some(found) = found {
                collect_refs(&found, &mut pending);
                insert_at(&mut root, &target, found);
                inserted.insert(target);
            }
        }
        if one_of_as_any_of {
            rename_key(&mut root, "oneOf", "anyOf");
        }
        jsonschema::options()
            .with_draft(self.draft)
            .build(&root)
            .map_err(|e| format!("schema at {pointer} does not compile: {e}"))
    }

    /// Every way `instance` breaks the schema at `pointer`, one line each; empty when valid.
    ///
    /// # Errors
    /// As [`SpecJudge::validator`].
    pub fn errors(&self, pointer: &str, instance: &Value) -> Result<Vec<String>, String> {
        let validator = self.validator(pointer)?;
        Ok(validator
            .iter_errors(instance)
            .map(|e| format!("at {}: {e}", e.instance_path()))
            .collect())
    }
}

/// Renames `from` to `to` in every object of a JSON tree.
fn rename_key(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            if let Some(v) = map.remove(from) {
                map.insert(to.to_string(), v);
            }
            map.values_mut().for_each(|v| rename_key(v, from, to));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_key(v, from, to)),
        _ => {}
    }
}

/// The JSON pointers of the local `$ref`s in `value` (their fragments percent-decoded).
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(fragment) = r.strip_prefix('#') {
                            out.push(
                                percent_encoding::percent_decode_str(fragment)
                                    .decode_utf8_lossy()
                                    .into_owned(),
                            );
                        }
                    }
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Whether `pointer` or one of its ancestors has been put in the document already.
fn covered(inserted: &std::collections::BTreeSet<String>, pointer: &str) -> bool {
    let mut at = pointer;
    loop {
        if inserted.contains(at) {
            return true;
        }
        match at.rfind('/') {
            Some(i) if i > 0 => at = &at[..i],
            _ => return false,
        }
    }
}

/// Puts `value` at `pointer` in `root`, making the objects on the way.
fn insert_at(root: &mut Value, pointer: &str, value: Value) {
    let mut at = root;
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (i, token) in tokens.iter().enumerate() {
        let Some(map) = at.as_object_mut() else {
            return;
        };
        if i + 1 == tokens.len() {
            map.insert(token.clone(), value);
            return;
        }
        at = map
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// One token of a JSON pointer for `name`: `~` as `~0`, `/` as `~1`.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Converts OpenAPI 3.0 schema objects into JSON Schema draft 4.
struct Converter<'a> {
    spec: &'a Value,
    bases: &'a BTreeMap<String, Tagged>,
}

impl Converter<'_> {
    fn schema(&self, schema: &Value) -> Value {
        self.convert(schema, false)
    }

    /// `nullable: true` becomes "or null" (a `null` in `type` and `enum`, or `anyOf` with
    /// `{type: null}` where the schema has no `type` of its own); a `discriminator` becomes
    /// its rule (the tag selects the schema that must hold, see [`discriminator`]); a reference to a polymorphic
    /// base, outside an `allOf` (`all_of_member`), is any of its subtypes; OpenAPI-only
    /// keywords are dropped.
    fn convert(&self, schema: &Value, all_of_member: bool) -> Value {
        let Some(obj) = schema.as_object() else {
            return schema.clone();
        };
        if !all_of_member {
            if let Some((name, _)) = discriminator::base_named(self.bases, schema) {
                return serde_json::json!({ "$ref": format!("#{POLYMORPHIC}{}", pointer_token(name)) });
            }
        }
        let mut out = Map::new();
        for (key, value) in obj {
            let converted = match key.as_str() {
                "properties" | "patternProperties" | "definitions" => match value.as_object() {
                    Some(map) => Value::Object(
                        map.iter()
                            .map(|(k, v)| (k.clone(), self.schema(v)))
                            .collect(),
                    ),
                    None => value.clone(),
                },
                "items" | "additionalProperties" | "not" => self.schema(value),
                "allOf" => match value.as_array() {
                    Some(items) => {
                        Value::Array(items.iter().map(|m| self.convert(m, true)).collect())
                    }
                    None => value.clone(),
                },
                "anyOf" | "oneOf" | "prefixItems" => match value.as_array() {
                    Some(items) => Value::Array(items.iter().map(|m| self.schema(m)).collect()),
                    None => value.clone(),
                },
                "nullable" | "discriminator" | "readOnly" | "writeOnly" | "xml"
                | "externalDocs" | "example" | "deprecated" => continue,
                k if k.starts_with("x-") => continue,
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if let Some(tagged) = discriminator::of_union(self.spec, obj) {
            // The tag picks the one branch that must hold: whether others would hold too
            // no longer matters, so `oneOf` reads as `anyOf`.
            if let Some(branches) = out.remove("oneOf") {
                out.insert("anyOf".into(), branches);
            }
            let rule = tagged.rule(|s| self.schema(s));
            match out.get_mut("allOf").and_then(Value::as_array_mut) {
                Some(members) => members.push(rule),
                None => {
                    out.insert("allOf".into(), Value::Array(vec![rule]));
                }
            }
        }
        let nullable = obj
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !nullable {
            return Value::Object(out);
        }
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), serde_json::json!([t, "null"]));
                Value::Object(out)
            }
            _ => serde_json::json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
        }
    }
}

/// Converts an OpenAPI 3.0 schema object into JSON Schema draft 4 (see `Converter`), for
/// a schema that references no polymorphic base.
pub fn to_json_schema(schema: &Value) -> Value {
    let bases = BTreeMap::new();
    Converter {
        spec: &Value::Null,
        bases: &bases,
    }
    .schema(schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_admits_null_and_refs_resolve() {
        let spec = json!({
            "components": {"schemas": {
                "User": {"type": "object", "nullable": true, "required": ["login"], "properties": {"login": {"type": "string"}}},
                "Colour": {"type": "string", "enum": ["red"], "nullable": true}
            }},
            "paths": {"/x": {"schema": {"type": "object", "properties": {
                "user": {"$ref": "#/components/schemas/User"},
                "colour": {"$ref": "#/components/schemas/Colour"},
                "any": {"oneOf": [{"type": "integer"}, {"type": "boolean"}], "nullable": true}
            }}}}
        });
        let judge = SpecJudge::new(&spec);
        let at = "/paths/~1x/schema";
        assert!(judge
            .errors(at, &json!({"user": null, "colour": null, "any": null}))
            .unwrap()
            .is_empty());
        assert!(judge
            .errors(
                at,
                &json!({"user": {"login": "a"}, "colour": "red", "any": 1})
            )
            .unwrap()
            .is_empty());
        assert!(!judge.errors(at, &json!({"user": {}})).unwrap().is_empty());
        assert!(!judge
            .errors(at, &json!({"colour": "blue"}))
            .unwrap()
            .is_empty());
        assert!(!judge.errors(at, &json!({"any": "x"})).unwrap().is_empty());
    }
}
