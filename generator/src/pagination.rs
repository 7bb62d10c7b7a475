//! Pagination: which list operations page, and how. Input: the operations with their
//! types, the spec (for the headers responses declare) and the config's `pagination`;
//! output: `Operation::paging` set, or located problems in the config.
//!
//! The config says it for an operation, by its id. Else an operation's own extension
//! says it, where it maps onto these styles with plain paths: `x-speakeasy-pagination`
//! (`type: cursor` with a `cursor` input and `nextCursor`; `offsetLimit` with a `page`
//! or `offset` input; `results`) or `x-fern-pagination` (`cursor` and `next_cursor`, or
//! `offset` with no `step`: a page number; `results`); one that does not is a located
//! warning and no paging. Without either, two shapes are read as
//! pagination, and only when every part is there (so that no operation is paged wrong):
//! - a GET whose 2xx response declares a `Link` header and is a JSON array, with a query
//!   parameter `page`: the next page is the `Link` header's `rel="next"` (GitHub);
//! - a GET with a query parameter `starting_after` whose response is an object with a
//!   boolean `has_more` and an array `data` of objects with an `id`: the next page starts
//!   after the last item's `id` while `has_more` is true (Stripe).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::config::PagingConfig;
use crate::error::join;
use crate::ir::*;
use crate::load::Spec;

/// Sets the paging of each list operation; returns the config's problems (pointer into
/// the config, message).
pub fn apply(
    api: &mut Api,
    spec: &Spec,
    config: &BTreeMap<String, PagingConfig>,
    warnings: &mut Vec<crate::error::Diagnostic>,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for (id, wanted) in config {
        let at = join("/pagination", id);
        let Some(op) = api.operations.iter().find(|op| &op.id == id) else {
            problems.push((at, format!("the spec has no operation {id:?}")));
            continue;
        };
        match configured(&api.types, op, wanted) {
            Ok(paging) => {
                if let Some(op) = api.operations.iter_mut().find(|op| &op.id == id) {
                    op.paging = Some(paging);
                }
            }
            Err(message) => problems.push((at, message)),
        }
    }
    for i in 0..api.operations.len() {
        let op = &api.operations[i];
        if op.paging.is_some() || config.contains_key(&op.id) || op.http_method != "GET" {
            continue;
        }
        let found = match extension(spec, op) {
            Some((at, Ok(wanted))) => match configured(&api.types, op, &wanted) {
                Ok(paging) => Some(paging),
                Err(message) => {
                    warnings
                        .push(spec.diagnostic(&at, format!("not read as pagination: {message}")));
                    None
                }
            },
            Some((at, Err(message))) => {
                warnings.push(spec.diagnostic(&at, format!("not read as pagination: {message}")));
                None
            }
            None => link_pages(&api.types, spec, op).or_else(|| stripe_pages(&api.types, op)),
        };
        api.operations[i].paging = found;
    }
    problems
}

/// The page type: the one JSON body every success gives.
fn page_type(op: &Operation) -> Option<&TypeRef> {
    if op.has_mixed_outcomes() {
        return None;
    }
    match op.success.first()?.body.as_ref()? {
        ResponseBody {
            media: Media::Json,
            ty,
            ..
        } => Some(ty),
        _ => None,
    }
}

fn configured(types: &TypeSpace, op: &Operation, wanted: &PagingConfig) -> Result<Paging, String> {
    let page =
        page_type(op).ok_or("pagination needs an operation whose success is one JSON body")?;
    let item = at_pointer(types, page, &wanted.items)
        .and_then(|ty| items_of(types, ty))
        .ok_or_else(|| {
            format!(
                "`items`: {:?} is not an array in the response",
                wanted.items
            )
        })?;
    let query = |param: &str| -> Result<String, String> {
        let known = op
            .parameters
            .iter()
            .any(|p| p.location == ParamLocation::Query && p.wire == param);
        if known {
            Ok(param.to_string())
        } else {
            Err(format!(
                "{param:?} is not a query parameter of this operation"
            ))
        }
    };
    let styles = [
        wanted.link,
        wanted.cursor.is_some(),
        wanted.page.is_some(),
        wanted.offset.is_some(),
    ];
    if styles.iter().filter(|s| **s).count() != 1 {
        return Err(
            "say one way to the next page: `link: true`, `cursor`, `page` or `offset`".into(),
        );
    }
    let style = if wanted.link {
        PagingStyle::Link
    } else if let Some(page) = &wanted.page {
        PagingStyle::PageNumber(query(page)?)
    } else if let Some(offset) = &wanted.offset {
        PagingStyle::Offset(query(offset)?)
    } else {
        let cursor = wanted.cursor.as_ref().ok_or("no cursor")?;
        let (from, last) =
            match (&cursor.from, &cursor.from_last_item) {
                (Some(from), None) => (from, false),
                (None, Some(from)) => (from, true),
                _ => return Err(
                    "`cursor`: say where the cursor is, `from` (in the page) or `from_last_item`"
                        .into(),
                ),
            };
        let holder = if last { &item } else { page };
        if at_pointer(types, holder, from).is_none() {
            return Err(format!("`cursor`: {from:?} is not a property there"));
        }
        if let Some(more) = &cursor.has_more {
            if at_pointer(types, page, more).map(unwrapped) != Some(&TypeRef::Bool) {
                return Err(format!(
                    "`cursor.has_more`: {more:?} is not a boolean in the response"
                ));
            }
        }
        PagingStyle::Cursor {
            param: query(&cursor.param)?,
            cursor: from.clone(),
            from_last_item: last,
            has_more: cursor.has_more.clone(),
        }
    };
    Ok(Paging {
        style,
        items: wanted.items.clone(),
        item,
    })
}

/// The pagination an operation's extension states, as a config entry, with where it is.
fn extension(spec: &Spec, op: &Operation) -> Option<(String, Result<PagingConfig, String>)> {
    let raw = spec.raw.pointer(&op.pointer)?;
    if let Some(ext) = raw.get("x-speakeasy-pagination") {
        return Some((join(&op.pointer, "x-speakeasy-pagination"), speakeasy(ext)));
    }
    let ext = raw.get("x-fern-pagination")?;
    Some((join(&op.pointer, "x-fern-pagination"), fern(ext)))
}

fn speakeasy(ext: &Value) -> Result<PagingConfig, String> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let outputs = ext.get("outputs").ok_or("no `outputs`")?;
    let items = json_path(
        &text(outputs, "results").ok_or("no `outputs.results`")?,
        "$",
    )?;
    let input = |kind: &str| {
        ext.get("inputs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|i| {
                text(i, "type").as_deref() == Some(kind)
                    && text(i, "in").as_deref() == Some("parameters")
            })
            .and_then(|i| text(i, "name"))
    };
    let mut wanted = PagingConfig {
        items,
        ..PagingConfig::default()
    };
    match text(ext, "type").as_deref() {
        Some("cursor") => {
            let next = text(outputs, "nextCursor").ok_or("no `outputs.nextCursor`")?;
            wanted.cursor = Some(crate::config::CursorConfig {
                param: input("cursor").ok_or("no `cursor` input among the parameters")?,
                from: Some(json_path(&next, "$")?),
                ..Default::default()
            });
        }
        Some("offsetLimit") => match (input("page"), input("offset")) {
            (Some(page), None) => wanted.page = Some(page),
            (None, Some(offset)) => wanted.offset = Some(offset),
            _ => {
                return Err(
                    "an `offsetLimit` needs one `page` or `offset` input among the parameters"
                        .into(),
                )
            }
        },
        other => return Err(format!("type {other:?} is not `cursor` or `offsetLimit`")),
    }
    Ok(wanted)
}

fn fern(ext: &Value) -> Result<PagingConfig, String> {
    let text = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_string);
    let items = json_path(&text("results").ok_or("no `results`")?, "$response")?;
    let param = |p: String| {
        p.strip_prefix("$request.")
            .filter(|name| !name.contains(['.', '[']))
            .map(str::to_string)
            .ok_or(format!("{p:?} is not `$request.<query parameter>`"))
    };
    let mut wanted = PagingConfig {
        items,
        ..PagingConfig::default()
    };
    if let Some(cursor) = text("cursor") {
        let next = text("next_cursor").ok_or("no `next_cursor`")?;
        wanted.cursor = Some(crate::config::CursorConfig {
            param: param(cursor)?,
            from: Some(json_path(&next, "$response")?),
            ..Default::default()
        });
    } else if let Some(offset) = text("offset") {
        if ext.get("step").is_some() {
            return Err("an `offset` with a `step` is not read".into());
        }
        wanted.page = Some(param(offset)?);
    } else {
        return Err("neither `cursor` nor `offset`".into());
    }
    Ok(wanted)
}

/// A plain dotted path (`$.data.items`, `$response.next`) as a JSON pointer; anything
/// else (indexes, filters, wildcards) is refused.
fn json_path(path: &str, root: &str) -> Result<String, String> {
    let rest = path
        .strip_prefix(root)
        .ok_or_else(|| format!("{path:?} does not start at `{root}`"))?;
    if rest.is_empty() {
        return Ok(String::new());
    }
    let plain = |seg: &str| {
        !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    let segments: Vec<&str> = rest.strip_prefix('.').unwrap_or("").split('.').collect();
    if !rest.starts_with('.') || !segments.iter().all(|s| plain(s)) {
        return Err(format!("{path:?} is not a plain dotted path"));
    }
    Ok(segments
        .iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect())
}

/// GitHub's shape: a `Link` header, a body that is an array, a `page` parameter.
fn link_pages(types: &TypeSpace, spec: &Spec, op: &Operation) -> Option<Paging> {
    let item = items_of(types, page_type(op)?)?;
    let paged = op
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::Query && p.wire == "page");
    (paged && declares_link(spec, op)).then_some(Paging {
        style: PagingStyle::Link,
        items: String::new(),
        item,
    })
}

/// Stripe's shape: `starting_after`, and a page `{has_more: bool, data: [{id, …}]}`.
fn stripe_pages(types: &TypeSpace, op: &Operation) -> Option<Paging> {
    let cursor = op
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::Query && p.wire == "starting_after");
    let page = page_type(op)?;
    let more = at_pointer(types, page, "/has_more").map(unwrapped) == Some(&TypeRef::Bool);
    let item = at_pointer(types, page, "/data").and_then(|ty| items_of(types, ty))?;
    let ids = at_pointer(types, &item, "/id").is_some();
    (cursor && more && ids).then(|| Paging {
        style: PagingStyle::Cursor {
            param: "starting_after".into(),
            cursor: "/id".into(),
            from_last_item: true,
            has_more: Some("/has_more".into()),
        },
        items: "/data".into(),
        item,
    })
}

/// Whether a success response of `op` declares a `Link` header.
fn declares_link(spec: &Spec, op: &Operation) -> bool {
    let responses = spec.raw.pointer(&join(&op.pointer, "responses"));
    let Some(responses) = responses.and_then(Value::as_object) else {
        return false;
    };
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(_, r)| resolve(spec, r).get("headers")?.as_object())
        .any(|headers| headers.keys().any(|k| k.eq_ignore_ascii_case("link")))
}

/// `value`, or what its `$ref`s lead to (a few hops at most; the reader checked them).
fn resolve<'v>(spec: &'v Spec, mut value: &'v Value) -> &'v Value {
    for _ in 0..8 {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match target.strip_prefix('#').and_then(|p| spec.raw.pointer(p)) {
            Some(next) => value = next,
            None => break,
        }
    }
    value
}

/// The type found at `pointer` (property names, `/`-separated) inside a value of `ty`.
fn at_pointer<'t>(types: &'t TypeSpace, mut ty: &'t TypeRef, pointer: &str) -> Option<&'t TypeRef> {
    if pointer.is_empty() {
        return Some(ty);
    }
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        let TypeKind::Struct(s) = &types.get(named(types, ty)?).kind else {
            return None;
        };
        ty = &s.fields.iter().find(|f| f.wire == token)?.ty;
    }
    Some(ty)
}

/// The named type behind aliases and `Option`s, if any. (Alias cycles are settled only
/// later, so each walk stops after as many steps as there are types.)
fn named<'t>(types: &'t TypeSpace, mut ty: &'t TypeRef) -> Option<TypeId> {
    for _ in 0..steps(types) {
        match ty {
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return Some(*id),
            },
            _ => return None,
        }
    }
    None
}

/// The item type of an array type (through aliases and `Option`s).
fn items_of<'t>(types: &'t TypeSpace, mut ty: &'t TypeRef) -> Option<TypeRef> {
    for _ in 0..steps(types) {
        match ty {
            TypeRef::Vec(item) => return Some((**item).clone()),
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// Enough steps to pass every alias and a few `Option`s around each.
fn steps(types: &TypeSpace) -> usize {
    2 * types.types.len() + 8
}

fn unwrapped(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) => unwrapped(inner),
        other => other,
    }
}
