//! Api: the whole spec into `ir::Api`: component schemas, then every operation with its
//! parameters, request body and responses. Collects every problem before failing.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use crate::error::{join, Diagnostic};
use crate::ir::*;
use crate::load::Spec;
use crate::lower::{Context, Lowerer};
use crate::normalise::Normaliser;

pub mod events;
mod webhooks;

/// The IR of a spec plus the warnings met while building it.
pub struct Built {
    pub api: Api,
    pub warnings: Vec<Diagnostic>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub fn build(spec: &Spec, config: &crate::Config) -> Result<Built, Vec<Diagnostic>> {
    // A schema outside the components that contains itself (through local `$ref`s) is
    // only found while lowering; it then needs a named type before it is first met, so
    // the spec is built again with those targets named up front. Each pass names at
    // least one more, so this ends.
    let mut recursive = BTreeSet::new();
    loop {
        let (built, found) = build_once(spec, config, &recursive);
        if found.is_empty() || found.is_subset(&recursive) {
            return built;
        }
        recursive.extend(found);
    }
}

/// Component schemas written as plain objects (`type: object` or `properties`, nothing
/// that composes or constrains them otherwise), so that their type is an object.
fn object_components(raw: &Value, names: &[String]) -> BTreeSet<String> {
    let composed = ["oneOf", "anyOf", "allOf", "not", "enum", "discriminator"];
    names
        .iter()
        .filter(|name| {
            let Some(schema) = raw
                .pointer("/components/schemas")
                .and_then(|s| s.get(name.as_str()))
                .and_then(Value::as_object)
            else {
                return false;
            };
            let object = schema.get("type").and_then(Value::as_str) == Some("object")
                || (schema.contains_key("properties") && !schema.contains_key("type"));
            let nullable = schema.get("nullable") == Some(&Value::Bool(true));
            object && !nullable && !composed.iter().any(|k| schema.contains_key(*k))
        })
        .cloned()
        .collect()
}

fn build_once(
    spec: &Spec,
    config: &crate::Config,
    recursive: &BTreeSet<String>,
) -> (Result<Built, Vec<Diagnostic>>, BTreeSet<String>) {
    let mut norm = Normaliser::new(spec);
    norm.warnings.extend(spec.reading_warnings.iter().cloned());
    // Everything is visited in sorted order, so reordering a spec's components, paths or
    // responses does not change a byte of the output.
    let mut component_names: Vec<String> = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    component_names.sort();
    let mut lowerer = Lowerer::new(&component_names);
    lowerer.keep_unknown = config.unknown_properties == crate::config::UnknownProperties::Keep;
    lowerer.recursive_locals = recursive.clone();
    lowerer.object_components = object_components(&spec.raw, &component_names);
    // A base schema with a discriminator stands for any of its subtypes where it is used.
    let subtypes = crate::normalise::subtypes(&spec.raw);
    let open = response_components(&spec.raw, &subtypes);
    for name in &component_names {
        let pointer = join("/components/schemas", name);
        let schema = match subtypes.get(name) {
            Some(descendants) => norm.polymorphic(name, descendants),
            None => norm.schema_at(&pointer),
        };
        lowerer.lower_component(name, &schema, open.contains(name), &norm.locals);
    }

    let security = crate::security::Security::read(spec, &mut norm.warnings);
    let mut operations = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    if spec.raw.get("paths").is_some_and(|p| !p.is_object()) {
        errors.push(spec.diagnostic(
            "/paths",
            "`paths` must be an object of paths and their operations",
        ));
    }
    for (path, item) in sorted_entries(spec.raw.get("paths")) {
        // A path item may be a `$ref` to one written elsewhere in the spec.
        let (path_pointer, item) = match deref(spec, item, &join("/paths", path)) {
            Ok(found) => found,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(item) = item.as_object() else {
            errors.push(spec.diagnostic(&path_pointer, "a path item must be an object"));
            continue;
        };
        if item.get("parameters").is_some_and(|p| !p.is_array()) {
            errors.push(spec.diagnostic(
                &join(&path_pointer, "parameters"),
                "`parameters` must be a list",
            ));
            continue;
        }
        let shared_params: Vec<(String, &Value)> =
            params_of(item.get("parameters"), &join(&path_pointer, "parameters"));
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let pointer = join(&path_pointer, method);
            let mut readers = Readers {
                spec,
                security: &security,
                norm: &mut norm,
                lowerer: &mut lowerer,
                events: &config.events,
            };
            let source = Source {
                path,
                method,
                op,
                pointer: &pointer,
                shared_params: &shared_params,
            };
            match operation(&mut readers, source) {
                Ok(op) => operations.push(op),
                Err(e) => errors.push(e),
            }
        }
    }
    let webhooks = {
        let mut readers = Readers {
            spec,
            security: &security,
            norm: &mut norm,
            lowerer: &mut lowerer,
            events: &config.events,
        };
        webhooks::read(&mut readers, &mut errors)
    };
    // Two operations the spec gives one id are an error (ids derived from paths that
    // differ only in punctuation are told apart by `naming`).
    let mut ids: BTreeMap<&str, &Operation> = BTreeMap::new();
    for op in operations.iter().filter(|op| !op.derived_id) {
        if let Some(first) = ids.insert(op.id.as_str(), op) {
            errors.push(spec.diagnostic(
                &join(&op.pointer, "operationId"),
                format!(
                    "operationId {:?} is also the id of {} {}; operation ids must be unique",
                    op.id, first.http_method, first.path
                ),
            ));
        }
    }
    errors.append(&mut norm.errors);
    for (pointer, message) in std::mem::take(&mut lowerer.errors) {
        errors.push(spec.diagnostic(&pointer, message));
    }
    let found = std::mem::take(&mut lowerer.found_recursive);
    // What the document's shape gets wrong is an error where a reader says it shapes the
    // client (that reader's error, located); anywhere else, a warning.
    if let Some(problem) = &spec.shape_problem {
        let said = errors
            .iter()
            .chain(&norm.warnings)
            .any(|d| d.pointer.starts_with(&problem.pointer));
        if !said {
            let mut warning = problem.clone();
            warning.message.push_str(
                "; the parts that make types and calls read well, so generation goes on past it",
            );
            norm.warnings.push(warning);
        }
    }
    if !errors.is_empty() {
        return (Err(errors), found);
    }
    let text = |key: &str| {
        spec.raw
            .pointer(&format!("/info/{key}"))
            .and_then(Value::as_str)
    };
    let built = Ok(Built {
        api: Api {
            title: text("title").unwrap_or("API").to_string(),
            version: text("version").unwrap_or_default().to_string(),
            description: text("description").map(str::to_string),
            default_server: default_server(spec, &mut norm.warnings),
            types: lowerer.space,
            operations,
            security_schemes: security.schemes,
            webhooks,
            features: Vec::new(),
        },
        warnings: norm.warnings,
    });
    (built, found)
}

/// The entries of a JSON object sorted by key (none when it is not an object): the
/// output must not depend on the order a spec lists its paths or responses in.
fn sorted_entries(value: Option<&Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .collect();
    entries.sort_by_key(|(key, _)| *key);
    entries
}

fn params_of<'v>(value: Option<&'v Value>, pointer: &str) -> Vec<(String, &'v Value)> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, p)| (format!("{pointer}/{i}"), p))
                .collect()
        })
        .unwrap_or_default()
}

/// `value`, where present, must be a JSON object: `what` names it in the error.
fn expect_object(
    spec: &Spec,
    value: Option<&Value>,
    pointer: &str,
    what: &str,
) -> Result<(), Diagnostic> {
    match value {
        Some(v) if !v.is_object() => {
            Err(spec.diagnostic(pointer, format!("{what} must be an object")))
        }
        _ => Ok(()),
    }
}

/// The parts of an operation whose shape the generated call depends on.
fn check_shape(spec: &Spec, op: &Value, pointer: &str) -> Result<(), Diagnostic> {
    expect_object(spec, Some(op), pointer, "an operation")?;
    if op.get("operationId").is_some_and(|id| !id.is_string()) {
        return Err(spec.diagnostic(
            &join(pointer, "operationId"),
            "`operationId` must be a string",
        ));
    }
    if op.get("parameters").is_some_and(|p| !p.is_array()) {
        return Err(spec.diagnostic(&join(pointer, "parameters"), "`parameters` must be a list"));
    }
    let responses = op.get("responses");
    expect_object(
        spec,
        responses,
        &join(pointer, "responses"),
        "`responses` (status codes and their responses)",
    )
}

/// Follows a local `$ref` (to a parameter, body or response) to the pointer it names.
fn deref<'v>(
    spec: &'v Spec,
    value: &'v Value,
    pointer: &str,
) -> Result<(String, &'v Value), Diagnostic> {
    let mut current = (pointer.to_string(), value);
    for _ in 0..16 {
        let Some(target) = current.1.get("$ref") else {
            return Ok(current);
        };
        let target = target.as_str().unwrap_or_default();
        let local = crate::pointer::of_reference(target).ok_or_else(|| {
            spec.diagnostic(
                &join(&current.0, "$ref"),
                format!("external reference {target:?} is not supported"),
            )
        })?;
        let found = spec.raw.pointer(&local).ok_or_else(|| {
            spec.diagnostic(
                &join(&current.0, "$ref"),
                format!("reference {target:?} points to nothing"),
            )
        })?;
        current = (local, found);
    }
    Err(spec.diagnostic(pointer, "reference chain is too long or circular"))
}

/// The readers an operation goes through.
struct Readers<'r, 'a> {
    spec: &'r Spec,
    security: &'r crate::security::Security,
    norm: &'r mut Normaliser<'a>,
    lowerer: &'r mut Lowerer,
    /// The config's schema for each event stream's data, by operationId.
    events: &'r BTreeMap<String, String>,
}

/// One operation as the spec writes it, and the parameters its path item gives it.
#[derive(Clone, Copy)]
struct Source<'v> {
    path: &'v str,
    method: &'v str,
    op: &'v Value,
    pointer: &'v str,
    shared_params: &'v [(String, &'v Value)],
}

/// One operation: its id, parameters, request body, responses and credentials.
fn operation(r: &mut Readers, src: Source) -> Result<Operation, Diagnostic> {
    let (spec, op, method, path, pointer) = (r.spec, src.op, src.method, src.path, src.pointer);
    check_shape(spec, op, pointer)?;
    let (id, derived_id) = match op.get("operationId").and_then(Value::as_str) {
        Some(id) => (id.to_string(), false),
        None => (derived_operation_id(method, path), true),
    };
    let type_base = id.to_upper_camel_case();
    let parameters = parameters(r, src, &type_base)?;
    let body = request_body(r, src, &format!("{type_base}Request"), false)?;
    let (success, errors, other_media) = responses(r, src, &type_base)?;
    let security = r.security.of(spec, op, pointer, &mut r.norm.warnings);
    Ok(Operation {
        id,
        derived_id,
        method_name: String::new(),
        builder: String::new(),
        error_enum: String::new(),
        http_method: method.to_uppercase(),
        path: path.to_string(),
        pointer: pointer.to_string(),
        summary: op
            .get("summary")
            .and_then(Value::as_str)
            .map(str::to_string),
        description: op
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        tag: op
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|tags| tags.first())
            .and_then(Value::as_str)
            .map(str::to_string),
        gate: Gate::default(),
        parameters,
        body,
        success,
        errors,
        security,
        success_enum: String::new(),
        other_media,
        idempotency_header: None,
        paging: None,
    })
}

/// The header an idempotency key goes in, per operation: a header parameter it declares
/// named `Idempotency-Key` (or `configured`), else `configured` for POST and PATCH.
pub fn idempotency(api: &mut Api, configured: Option<&str>) {
    let named = |wire: &str| {
        wire.eq_ignore_ascii_case("idempotency-key")
            || configured.is_some_and(|c| wire.eq_ignore_ascii_case(c))
    };
    for op in &mut api.operations {
        let declared = op
            .parameters
            .iter()
            .find(|p| p.location == ParamLocation::Header && named(&p.wire))
            .map(|p| p.wire.clone());
        let unsafe_method = matches!(op.http_method.as_str(), "POST" | "PATCH");
        op.idempotency_header =
            declared.or_else(|| configured.filter(|_| unsafe_method).map(str::to_string));
    }
}

/// The operation's parameters, path-level ones included (the operation's own override
/// those with the same name and location).
fn parameters(r: &mut Readers, src: Source, type_base: &str) -> Result<Vec<Parameter>, Diagnostic> {
    let (spec, norm, lowerer) = (r.spec, &mut *r.norm, &mut *r.lowerer);
    let (op, pointer, shared_params) = (src.op, src.pointer, src.shared_params);
    let mut raw_params: Vec<(String, &Value)> = Vec::new();
    for (p, v) in shared_params.iter().cloned().chain(params_of(
        op.get("parameters"),
        &join(pointer, "parameters"),
    )) {
        let (p, v) = deref(spec, v, &p)?;
        let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
        raw_params.retain(|(_, existing)| key(existing) != key(v));
        raw_params.push((p, v));
    }
    let mut parameters = Vec::new();
    for (p, v) in raw_params {
        if !v.is_object() {
            return Err(spec.diagnostic(&p, "a parameter must be an object"));
        }
        if !v.get("name").is_some_and(Value::is_string) {
            return Err(spec.diagnostic(&join(&p, "name"), "a parameter needs a string `name`"));
        }
        let location = match v.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => ParamLocation::Cookie,
            other => {
                let found = match other {
                    Some("body" | "formData") => format!(
                        "{:?} (a Swagger 2.0 location: in OpenAPI 3.0 a body is the `requestBody`)",
                        other.unwrap_or_default()
                    ),
                    Some(other) => format!("{other:?}"),
                    None => "nothing".into(),
                };
                return Err(spec.diagnostic(
                    &join(&p, "in"),
                    format!(
                        "a parameter's `in` must be path, query, header or cookie, found {found}"
                    ),
                ));
            }
        };
        let wire = v
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        // OpenAPI: a path parameter names a template expression of the path.
        if location == ParamLocation::Path && !src.path.contains(&format!("{{{wire}}}")) {
            norm.warnings.push(spec.diagnostic(
                &join(&p, "name"),
                format!(
                    "the path {:?} has no {{{wire}}} for this path parameter; it is left out",
                    src.path
                ),
            ));
            continue;
        }
        if matches!(location, ParamLocation::Header | ParamLocation::Cookie) {
            // OpenAPI: these three header parameters SHALL be ignored (the media types and
            // security schemes say them).
            let reserved = ["accept", "content-type", "authorization"];
            if location == ParamLocation::Header
                && reserved.contains(&wire.to_ascii_lowercase().as_str())
            {
                continue;
            }
            if !is_token(&wire) {
                norm.warnings.push(spec.diagnostic(
                    &join(&p, "name"),
                    format!("{wire:?} cannot be an HTTP header or cookie name (only letters, digits and !#$%&'*+-.^_`|~ may be used); the parameter is left out"),
                ));
                continue;
            }
        }
        let ty = if v.get("schema").is_some() {
            let schema = norm.schema_at(&join(&p, "schema"));
            let ctx = Context::new(&format!("{type_base}{}", wire.to_upper_camel_case()), false);
            lowerer.lower(&schema, &ctx, &norm.locals)
        } else {
            TypeRef::String
        };
        let default_style = match location {
            ParamLocation::Query | ParamLocation::Cookie => "form",
            ParamLocation::Path | ParamLocation::Header => "simple",
        };
        let style = v
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(default_style);
        let style = match (location, style) {
            (ParamLocation::Query | ParamLocation::Cookie, "form") => Style::Form,
            (ParamLocation::Query, "spaceDelimited") => Style::SpaceDelimited,
            (ParamLocation::Query, "pipeDelimited") => Style::PipeDelimited,
            (ParamLocation::Query, "deepObject") => Style::DeepObject,
            (ParamLocation::Path | ParamLocation::Header, "simple") => Style::Simple,
            (ParamLocation::Path, "label") => Style::Label,
            (ParamLocation::Path, "matrix") => Style::Matrix,
            (_, other) => {
                return Err(spec.diagnostic(
                    &join(&p, "style"),
                    format!(
                        "style {other:?} is not defined for {default_style}-style parameters here"
                    ),
                ))
            }
        };
        let explode = v
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == Style::Form);
        parameters.push(Parameter {
            wire,
            name: String::new(),
            location,
            style,
            explode,
            required: location == ParamLocation::Path
                || v.get("required").and_then(Value::as_bool).unwrap_or(false),
            doc: v
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            ty,
        });
    }
    Ok(parameters)
}

/// The operation's request body; none when its `content` names no media type (warned).
/// The operation's request body; an inline schema's type is called `type_name` (with a
/// suffix for further media types). `incoming`: the body is sent to the client (a
/// webhook), so its enums accept values the spec does not list, as responses' do.
fn request_body(
    r: &mut Readers,
    src: Source,
    type_name: &str,
    incoming: bool,
) -> Result<Option<Body>, Diagnostic> {
    let (spec, norm, lowerer) = (r.spec, &mut *r.norm, &mut *r.lowerer);
    let (op, pointer) = (src.op, src.pointer);
    let Some(b) = op.get("requestBody") else {
        return Ok(None);
    };
    let (bp, b) = deref(spec, b, &join(pointer, "requestBody"))?;
    expect_object(spec, Some(b), &bp, "a request body")?;
    let content_pointer = join(&bp, "content");
    expect_object(spec, b.get("content"), &content_pointer, "`content`")?;
    let ranked = ranked_media(spec, &content_pointer, &mut norm.warnings);
    let Some((content_type, media)) = ranked.first().cloned() else {
        norm.warnings.push(spec.diagnostic(
                    &content_pointer,
                    "a request body with no media type under `content` says nothing to send; the operation is generated without a body",
                ));
        return Ok(None);
    };
    let mut body_type = |content_type: &str, media: Media, suffix: &str| -> TypeRef {
        let media_pointer = join(&content_pointer, content_type);
        let schema_pointer = join(&media_pointer, "schema");
        let has_schema = spec.raw.pointer(&schema_pointer).is_some();
        let ctx = Context::new(&format!("{type_name}{suffix}"), incoming);
        match media {
            // No schema: the spec allows any document (any object, for a form).
            Media::Json if !has_schema => TypeRef::Json,
            Media::Form if !has_schema => TypeRef::Map(Box::new(TypeRef::Json)),
            Media::Json | Media::Form => {
                let schema = norm.schema_at(&schema_pointer);
                lowerer.lower_value(&schema, &ctx, &norm.locals)
            }
            Media::Multipart => {
                let typed = has_schema.then(|| {
                    let mut schema = norm.schema_at(&schema_pointer);
                    // The parts are the properties of a component as much as of an inline schema.
                    match &schema.kind {
                        crate::normalise::Kind::Ref(name) => {
                            schema = norm.schema_at(&join("/components/schemas", name));
                        }
                        crate::normalise::Kind::Local(target) => {
                            schema = norm.locals.get(target).cloned().unwrap_or(schema);
                        }
                        _ => {}
                    }
                    let encodings = part_content_types(spec, &media_pointer);
                    lowerer.lower_multipart(&schema, &ctx, encodings, &norm.locals)
                });
                typed.flatten().unwrap_or_else(|| {
                            norm.warnings.push(spec.diagnostic(
                                &media_pointer,
                                "a multipart body without an object schema naming its parts is a form you build yourself (`apigen_runtime::multipart::Form`)",
                            ));
                            TypeRef::Json
                        })
            }
            Media::Text | Media::Events => TypeRef::String,
            Media::Bytes => TypeRef::Json,
        }
    };
    let ty = body_type(&content_type, media, "");
    let alternatives = ranked[1..]
        .iter()
        .map(|(content_type, media)| BodyAlternative {
            media: *media,
            content_type: content_type.clone(),
            ty: body_type(
                content_type,
                *media,
                &crate::naming::media_word(content_type),
            ),
            variant: String::new(),
        })
        .collect();
    let schema_pointer = join(&join(&content_pointer, &content_type), "schema");
    Ok(Some(Body {
        required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
        ty,
        media,
        schema_pointer: (matches!(media, Media::Json | Media::Form)
            && spec.raw.pointer(&schema_pointer).is_some())
        .then_some(schema_pointer),
        content_type,
        doc: b
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        alternatives,
        enum_name: String::new(),
        variant: String::new(),
    }))
}

/// What a call gives back: the success responses, the documented errors, and the other
/// media types a success may come in.
type Responses = (Vec<Response>, Vec<Response>, Vec<OtherMedia>);

/// The operation's responses, in status order; keys that are no status, and a status
/// written twice, are left out with a warning.
fn responses(r: &mut Readers, src: Source, type_base: &str) -> Result<Responses, Diagnostic> {
    let (spec, norm, lowerer) = (r.spec, &mut *r.norm, &mut *r.lowerer);
    let (op, pointer) = (src.op, src.pointer);
    let id = match op.get("operationId").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => derived_operation_id(src.method, src.path),
    };
    let configured_events = r.events.get(&id).map(String::as_str);
    let mut success = Vec::new();
    let mut errors = Vec::new();
    let mut other_media: Vec<OtherMedia> = Vec::new();
    let responses_pointer = join(pointer, "responses");
    let mut statuses: BTreeSet<String> = BTreeSet::new();
    for (key, r) in sorted_entries(op.get("responses")) {
        let rp = join(&responses_pointer, key);
        // Specification extensions are not responses.
        if key.starts_with("x-") {
            continue;
        }
        let Some(status) = status_of(key) else {
            norm.warnings.push(spec.diagnostic(
                &rp,
                format!("{key:?} is not a response status (a code such as 200, a range such as 4XX, or default); it is left out"),
            ));
            continue;
        };
        if !statuses.insert(status.clone()) {
            norm.warnings.push(spec.diagnostic(
                &rp,
                format!("{key:?} is the status {status} again; it is left out"),
            ));
            continue;
        }
        let status = &status;
        let (rp, r) = deref(spec, r, &rp)?;
        expect_object(spec, Some(r), &rp, "a response")?;
        expect_object(spec, r.get("content"), &join(&rp, "content"), "`content`")?;
        let is_success = status.starts_with('2');
        let ranked = ranked_media(spec, &join(&rp, "content"), &mut norm.warnings);
        // The type of an event stream's data, in one of this response's media types.
        let event_data = |norm: &mut Normaliser, lowerer: &mut Lowerer, content_type: &str| {
            let media_pointer = join(&join(&rp, "content"), content_type);
            let name = format!("{type_base}Event");
            events::data_type(
                spec,
                norm,
                lowerer,
                &media_pointer,
                &name,
                configured_events,
            )
        };
        if is_success {
            for (content_type, media) in ranked.iter().skip(1) {
                if other_media.iter().any(|o| &o.content_type == content_type) {
                    continue;
                }
                let ty = match media {
                    Media::Json => {
                        let word = crate::naming::media_word(content_type);
                        let schema_pointer =
                            join(&join(&join(&rp, "content"), content_type), "schema");
                        response_type(
                            spec,
                            norm,
                            lowerer,
                            &schema_pointer,
                            &format!("{type_base}Response{word}"),
                        )
                    }
                    Media::Events => event_data(norm, lowerer, content_type),
                    _ => TypeRef::Json,
                };
                other_media.push(OtherMedia {
                    content_type: content_type.clone(),
                    media: *media,
                    ty,
                    method: String::new(),
                    with_response: String::new(),
                    stream: String::new(),
                });
            }
        }
        let body = match ranked.into_iter().next() {
            None => None,
            Some((media_type, Media::Json)) => {
                let schema_pointer = join(&join(&join(&rp, "content"), &media_type), "schema");
                let suffix = match (
                    is_success,
                    success.iter().any(|s: &Response| s.body.is_some()),
                ) {
                    (true, false) => "Response".to_string(),
                    (true, true) => format!("Response{}", status.to_upper_camel_case()),
                    (false, _) => format!("Error{}", status.to_upper_camel_case()),
                };
                let ty = response_type(
                    spec,
                    norm,
                    lowerer,
                    &schema_pointer,
                    &format!("{type_base}{suffix}"),
                );
                let media_pointer = join(&join(&rp, "content"), &media_type);
                Some(ResponseBody {
                    media: Media::Json,
                    examples: examples_of(spec, &media_pointer),
                    schema_pointer: spec
                        .raw
                        .pointer(&schema_pointer)
                        .map(|_| schema_pointer.clone()),
                    content_type: media_type,
                    ty,
                })
            }
            Some((content_type, media)) => {
                let ty = match media {
                    Media::Events => event_data(norm, lowerer, &content_type),
                    _ => TypeRef::Json,
                };
                Some(ResponseBody {
                    media,
                    content_type,
                    examples: Vec::new(),
                    schema_pointer: None,
                    ty,
                })
            }
        };
        let response = Response {
            status: status.clone(),
            variant: String::new(),
            description: r
                .get("description")
                .and_then(Value::as_str)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            body,
            boxed: false,
        };
        if is_success {
            success.push(response);
        } else {
            errors.push(response);
        }
    }
    Ok((success, errors, other_media))
}

/// The examples a media type object gives (`example`, or each of `examples`, following
/// `$ref`s to `#/components/examples`), with the pointer of each.
fn examples_of(spec: &Spec, media_pointer: &str) -> Vec<(String, Value)> {
    let Some(media) = spec.raw.pointer(media_pointer) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(example) = media.get("example") {
        out.push((join(media_pointer, "example"), example.clone()));
    }
    for (name, example) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = join(&join(media_pointer, "examples"), name);
        if let Ok((p, resolved)) = deref(spec, example, &at) {
            if let Some(value) = resolved.get("value") {
                out.push((join(&p, "value"), value.clone()));
            }
        }
    }
    out
}

/// A response status key as written in the generated code: `200`, `4XX` (an `x` range
/// in either case), `default`; `None` for anything else.
fn status_of(key: &str) -> Option<String> {
    let bytes = key.as_bytes();
    match bytes {
        b"default" => Some(key.to_string()),
        [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'] => Some(key.to_string()),
        [b'1'..=b'5', b'x' | b'X', b'x' | b'X'] => Some(key.to_ascii_uppercase()),
        _ => None,
    }
}

/// Whether `name` is an HTTP token (RFC 9110): what a header or cookie name may be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The media types of a body (the `content` object at `pointer`), most preferred first:
/// JSON, then form-encoded, then text, then anything else (as bytes); the spec's order
/// within each. One that could not be sent as a `Content-Type` or `Accept` header is left
/// out, with a warning.
fn ranked_media(
    spec: &Spec,
    pointer: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<(String, Media)> {
    let Some(content) = spec.raw.pointer(pointer).and_then(Value::as_object) else {
        return Vec::new();
    };
    for key in content.keys().filter(|k| !is_header_value(k)) {
        warnings.push(spec.diagnostic(
            &join(pointer, key),
            format!("{key:?} cannot be sent as a Content-Type or Accept header (it holds a line break or another control character); this media type is left out"),
        ));
    }
    let classify = |m: &str| {
        let essence = m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") || essence == "text/json" {
            (0, Media::Json)
        } else if essence == "application/x-www-form-urlencoded" {
            (1, Media::Form)
        } else if essence == "multipart/form-data" {
            (2, Media::Multipart)
        } else if essence == "text/event-stream" {
            (3, Media::Events)
        } else if essence.starts_with("text/") {
            (4, Media::Text)
        } else {
            (5, Media::Bytes)
        }
    };
    let mut ranked: Vec<((u8, Media), &String)> = content
        .keys()
        .filter(|k| is_header_value(k))
        .map(|m| (classify(m), m))
        .collect();
    ranked.sort_by_key(|((rank, _), _)| *rank);
    ranked
        .into_iter()
        .map(|((_, media), m)| (m.clone(), media))
        .collect()
}

/// Whether `text` can be a header value as sent: visible ASCII, spaces and tabs.
fn is_header_value(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// The type of a response body's schema (response-side: enums stay open), or any JSON
/// where the media type gives no schema.
fn response_type(
    spec: &Spec,
    norm: &mut Normaliser,
    lowerer: &mut Lowerer,
    schema_pointer: &str,
    name: &str,
) -> TypeRef {
    if spec.raw.pointer(schema_pointer).is_none() {
        return TypeRef::Json;
    }
    let schema = norm.schema_at(schema_pointer);
    lowerer.lower_value(&schema, &Context::new(name, true), &norm.locals)
}

/// The `contentType` the `encoding` object of a multipart media type gives each property.
fn part_content_types(spec: &Spec, media_pointer: &str) -> BTreeMap<String, String> {
    spec.raw
        .pointer(&join(media_pointer, "encoding"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(property, encoding)| {
            let content_type = encoding.get("contentType")?.as_str()?;
            Some((property.clone(), content_type.to_string()))
        })
        .collect()
}

/// A stable operation name from method and path, for specs without `operationId`:
/// `GET /v1/stores/{id}` → `get_v1_stores_by_id`.
fn derived_operation_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_string()),
        }
    }
    words.join("_")
}

/// Component schemas reachable from a response body or a webhook payload (what comes to
/// the client): their enums must be open.
fn response_components(raw: &Value, subtypes: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
    let mut refs = Vec::new();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for item in paths.values() {
            for method in METHODS {
                if let Some(responses) = item.get(method).and_then(|o| o.get("responses")) {
                    collect_refs(responses, &mut refs);
                }
            }
        }
    }
    if let Some(responses) = raw.pointer("/components/responses") {
        collect_refs(responses, &mut refs);
    }
    // A webhook's payload comes to the client as a response does.
    if let Some(webhooks) = raw.get("webhooks").and_then(Value::as_object) {
        for item in webhooks.values() {
            for method in METHODS {
                if let Some(body) = item.get(method).and_then(|o| o.get("requestBody")) {
                    collect_refs(body, &mut refs);
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(r) = refs.pop() {
        let pointer = crate::pointer::of_reference(&r).unwrap_or_default();
        if let Some(token) = pointer.strip_prefix("/components/schemas/") {
            let name = crate::pointer::unescape(token.split('/').next().unwrap_or_default());
            if seen.insert(name.clone()) {
                if let Some(schema) = raw.pointer(&join("/components/schemas", &name)) {
                    collect_refs(schema, &mut refs);
                }
                // A polymorphic base is any of its subtypes.
                for sub in subtypes.get(&name).into_iter().flatten() {
                    refs.push(format!(
                        "#/components/schemas/{}",
                        crate::pointer::escape(sub).replace('%', "%25")
                    ));
                }
            }
        }
    }
    seen
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(s)) => out.push(s.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The first server's URL with its variables set to their defaults, when that is an
/// absolute http(s) URL the runtime will accept; otherwise `None` and a warning, and the
/// client then needs a base URL from its user.
fn default_server(spec: &Spec, warnings: &mut Vec<Diagnostic>) -> Option<String> {
    let server = spec.raw.pointer("/servers/0")?;
    let mut url = server.get("url")?.as_str()?.to_string();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, var) in vars {
            if let Some(default) = var.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{name}}}"), default);
            }
        }
    }
    let usable = url::Url::parse(&url).ok().filter(|u| {
        matches!(u.scheme(), "http" | "https") && u.query().is_none() && u.fragment().is_none()
    });
    if usable.is_none() {
        warnings.push(spec.diagnostic(
            "/servers/0/url",
            format!("server URL {url:?} is not an absolute http(s) URL; the client will need one from its user (`Client::with_base_url`)"),
        ));
    }
    usable.map(|_| url)
}
