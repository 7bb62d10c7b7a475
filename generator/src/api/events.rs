//! Server-sent events: the type of each event's data in a `text/event-stream` response.
//! Input: the media type object's pointer; output: the data's type, `String` where the
//! spec says text or nothing.
//!
//! The config's schema for the operation (`events`) comes first. Else the schema read
//! is OpenAPI 3.2's `itemSchema`, else `schema` (which 3.0 and 3.1
//! documents use for the same thing). An event object (3.2's shape: properties `data`,
//! `event`, `id`, `retry`) gives the data's type in its `data` property: a string is
//! text, unless `contentSchema` says the JSON it holds; any other schema is JSON of that
//! schema. A schema without a `data` property is the data's own: text if it is a string.

use serde_json::Value;

use super::{deref, response_type};
use crate::error::join;
use crate::ir::TypeRef;
use crate::load::Spec;
use crate::lower::Lowerer;
use crate::normalise::Normaliser;

pub(super) fn data_type(
    spec: &Spec,
    norm: &mut Normaliser,
    lowerer: &mut Lowerer,
    media_pointer: &str,
    name: &str,
    configured: Option<&str>,
) -> TypeRef {
    // The config's schema comes first (checked, with its problems, by `config_problems`).
    if let Some(reference) = configured.filter(|p| {
        p.strip_prefix('#')
            .is_some_and(|p| spec.raw.pointer(p).is_some())
    }) {
        // Read as a `$ref` there, so a component stays its own type.
        let at = media_pointer.to_string();
        let schema = norm.schema(&serde_json::json!({ "$ref": reference }), &at);
        let ctx = crate::lower::Context::new(name, true);
        return lowerer.lower_value(&schema, &ctx, &norm.locals);
    }
    let Some(media) = spec.raw.pointer(media_pointer) else {
        return TypeRef::String;
    };
    let Some((key, schema)) = ["itemSchema", "schema"]
        .into_iter()
        .find_map(|k| Some((k, media.get(k)?)))
    else {
        return TypeRef::String;
    };
    let pointer = join(media_pointer, key);
    let Ok((seen, schema)) = deref(spec, schema, &pointer) else {
        return TypeRef::String;
    };
    let Some(data) = schema.get("properties").and_then(|p| p.get("data")) else {
        return typed_unless_text(spec, norm, lowerer, &pointer, schema, name);
    };
    let data_pointer = join(&join(&seen, "properties"), "data");
    let Ok((data_seen, data)) = deref(spec, data, &data_pointer) else {
        return TypeRef::String;
    };
    if is_string(data) && data.get("contentSchema").is_some() {
        let inner = join(&data_seen, "contentSchema");
        return response_type(spec, norm, lowerer, &inner, name);
    }
    typed_unless_text(spec, norm, lowerer, &data_pointer, data, name)
}

fn typed_unless_text(
    spec: &Spec,
    norm: &mut Normaliser,
    lowerer: &mut Lowerer,
    pointer: &str,
    schema: &Value,
    name: &str,
) -> TypeRef {
    if is_string(schema) {
        TypeRef::String
    } else {
        response_type(spec, norm, lowerer, pointer, name)
    }
}

/// A plain string schema (no enum: a closed set of strings is still typed).
fn is_string(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string") && schema.get("enum").is_none()
}

/// What is wrong with the config's `events` (pointer into the config, message): an
/// operation the spec lacks or that has no event stream, a schema pointer to nothing.
pub fn config_problems(
    spec: &Spec,
    api: &crate::ir::Api,
    events: &std::collections::BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for (id, pointer) in events {
        let at = join("/events", id);
        let Some(op) = api.operations.iter().find(|op| &op.id == id) else {
            problems.push((at, format!("the spec has no operation {id:?}")));
            continue;
        };
        let primary = op
            .success
            .iter()
            .filter_map(|r| r.body.as_ref())
            .map(|b| b.media);
        let mut streams = primary.chain(op.other_media.iter().map(|o| o.media));
        if !streams.any(|m| m == crate::ir::Media::Events) {
            problems.push((
                at,
                "this operation has no `text/event-stream` response".into(),
            ));
        } else if pointer
            .strip_prefix('#')
            .and_then(|p| spec.raw.pointer(p))
            .is_none()
        {
            problems.push((
                at,
                format!(
                    "{pointer:?} points to nothing in the spec (write `#/components/schemas/Name`)"
                ),
            ));
        }
    }
    problems
}
