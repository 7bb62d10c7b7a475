//! Webhooks: each entry of a 3.1 document's `webhooks` into an `ir::Webhook`, its JSON
//! payload lowered like a request body. Input: the spec and the readers of `api`;
//! output: the webhooks in name order, and located warnings for those left out.

use serde_json::Value;

use super::{examples_of, request_body, sorted_entries, Readers, Source};
use crate::error::{join, Diagnostic};
use crate::ir::{Media, Webhook};

/// Every webhook with a JSON payload; others are left out with a warning.
pub(super) fn read(r: &mut Readers, errors: &mut Vec<Diagnostic>) -> Vec<Webhook> {
    let spec = r.spec;
    let mut out = Vec::new();
    for (name, item) in sorted_entries(spec.raw.get("webhooks")) {
        let item_pointer = join("/webhooks", name);
        let (item_pointer, item) = match super::deref(spec, item, &item_pointer) {
            Ok(found) => found,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some((method, op)) = super::METHODS
            .iter()
            .find_map(|m| item.get(*m).map(|op| (*m, op)))
        else {
            r.norm.warnings.push(spec.diagnostic(
                &item_pointer,
                "a webhook without an operation (`post`) has no payload to read; it is left out",
            ));
            continue;
        };
        let pointer = join(&item_pointer, method);
        match webhook(r, name, op, &pointer) {
            Ok(Some(w)) => out.push(w),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    out
}

fn webhook(
    r: &mut Readers,
    name: &str,
    op: &Value,
    pointer: &str,
) -> Result<Option<Webhook>, Diagnostic> {
    let spec = r.spec;
    let id = op.get("operationId").and_then(Value::as_str);
    let type_base = heck::ToUpperCamelCase::to_upper_camel_case(id.unwrap_or(name));
    let source = Source {
        path: name,
        method: "post",
        op,
        pointer,
        shared_params: &[],
    };
    let body = request_body(r, source, &format!("{type_base}Payload"), true)?;
    let Some(body) = body.filter(|b| b.media == Media::Json) else {
        r.norm.warnings.push(spec.diagnostic(
            pointer,
            "a webhook is read for its JSON payload, and this one has none; it is left out",
        ));
        return Ok(None);
    };
    let schema_pointer = body.schema_pointer.clone().unwrap_or_default();
    let media_pointer = schema_pointer.trim_end_matches("/schema").to_string();
    let event = id
        .map(|id| id.split('/').next().unwrap_or(id))
        .unwrap_or(name)
        .to_lowercase()
        .replace('_', "-");
    let text = |key: &str| op.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(Some(Webhook {
        name: name.to_string(),
        event,
        action: action(spec, &schema_pointer),
        summary: text("summary"),
        description: text("description"),
        ty: body.ty,
        examples: examples_of(spec, &media_pointer),
        schema_pointer,
        variant: String::new(),
    }))
}

/// The one value the payload's `action` property may have, following `$ref`s to the
/// schema that declares its properties (and into `allOf` members).
fn action(spec: &crate::load::Spec, schema_pointer: &str) -> Option<String> {
    let mut pending = vec![schema_pointer.to_string()];
    // Bounded: each step reads one schema, and a spec has finitely many to revisit.
    for _ in 0..64 {
        let pointer = pending.pop()?;
        let schema = spec.raw.pointer(&pointer)?;
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(crate::pointer::of_reference)
        {
            pending.push(target);
            continue;
        }
        let values = schema
            .pointer("/properties/action/enum")
            .and_then(Value::as_array);
        if let Some(values) = values {
            return match values.as_slice() {
                [Value::String(one)] => Some(one.clone()),
                _ => None,
            };
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            let at = join(&pointer, "allOf");
            pending.extend((0..members.len()).rev().map(|i| format!("{at}/{i}")));
        }
    }
    None
}
