//! apigen: OpenAPI 3.0 and 3.1 documents into precise Rust types and an async client.
//!
//! The pipeline is a chain of small stages with plain data between them:
//! `load` (text → JSON tree + `openapiv3` frame; a 3.1 tree rewritten into 3.0 terms by
//! `dialect`) → `normalise` (schemas → `Schema` trees)
//! → `lower` / `api` (→ `ir::Api`, identical types merged) → `naming` (identifiers) →
//! `emit` (tokens) → `format` (source text). `generate` runs them all; the CLI and
//! build scripts (`build` module) both call it, so their output is identical.

pub mod api;
pub mod build;
pub mod config;
pub mod dialect;
pub mod dispatch;
pub mod emit;
pub mod error;
pub mod format;
pub mod gates;
pub mod ir;
pub mod items;
pub mod krate;
pub mod layout;
pub mod load;
pub mod locate;
pub mod lower;
pub mod naming;
pub mod normalise;
pub mod pagination;
pub mod pointer;
pub mod security;
pub mod tree;

use std::path::Path;

pub use config::Config;
pub use error::{Diagnostic, Error};

/// Generated source plus what the generator had to say about the spec.
#[derive(Debug)]
pub struct Generated {
    pub code: String,
    pub warnings: Vec<Diagnostic>,
    /// Number of named types emitted.
    pub type_count: usize,
    /// The JSON response and webhook payload examples the spec gives, with the Rust type
    /// each must decode into.
    pub examples: Vec<Example>,
    /// Each JSON schema the generated code gives a type: request and response bodies and
    /// component schemas, for tests that check the types against the schemas.
    pub schemas: Vec<TypedSchema>,
    /// The spec's `info.title` and `info.version`.
    pub title: String,
    pub api_version: String,
    /// The Cargo features the code is gated by (config `features: tags`), in order; empty
    /// when it is not gated.
    pub features: Vec<String>,
    /// The client's operations, in its order.
    pub operations: Vec<OperationSummary>,
}

/// One operation of the generated client, as a crate's README lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSummary {
    /// The `Client` method.
    pub method: String,
    /// `GET /repos/{owner}/{repo}`.
    pub request: String,
    pub summary: Option<String>,
    /// The Cargo feature that compiles it, when the code is gated.
    pub feature: Option<String>,
}

/// A schema in the spec and the generated type for its documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypedSchema {
    /// Where the schema is written.
    pub schema_pointer: String,
    /// The Rust type as tokens, written outside the generated `types` module
    /// (`Option < types :: Repo >`).
    pub rust_type: String,
    /// `request body`, `response 200`, `webhook`, or `component`.
    pub role: String,
}

/// A response example from the spec and the generated type it belongs to.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where the example is written in the spec.
    pub pointer: String,
    /// Where the schema it must satisfy is written.
    pub schema_pointer: String,
    /// The Rust type, as written outside the generated `types` module (`types::Repo`).
    pub rust_type: String,
    pub value: serde_json::Value,
}

/// Generates the client for the spec at `path`; `display` is the name used in messages
/// and in the header of the output (e.g. `specs/vercel.yaml`).
///
/// # Errors
/// Every problem found in the spec, each located by file and JSON pointer.
pub fn generate(path: &Path, display: &Path, config: &Config) -> Result<Generated, Error> {
    let spec = load::load(path, display, config.max_spec_bytes())?;
    generate_spec(&spec, config)
}

/// Generates the client for spec text already in memory.
///
/// # Errors
/// As [`generate`].
pub fn generate_str(text: &str, display: &Path, config: &Config) -> Result<Generated, Error> {
    let spec = load::parse(text, display)?;
    generate_spec(&spec, config)
}

/// The stack the pipeline runs on. Every walk over the spec is a loop or stops at
/// `normalise::MAX_DEPTH` levels; this is room for that many, whatever stack the caller
/// (a build script, a test thread with 2 MiB) has.
const STACK_BYTES: usize = 256 << 20;

fn generate_spec(spec: &load::Spec, config: &Config) -> Result<Generated, Error> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("apigen".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || run_pipeline(spec, config))
            .map_err(Error::Thread)?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The config's idempotency header, when it names one that is a header name.
fn idempotency_header(config: &Config) -> Result<Option<&str>, Error> {
    let Some(header) = config.idempotency_header.as_deref() else {
        return Ok(None);
    };
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if !header.is_empty() && header.chars().all(token) {
        return Ok(Some(header));
    }
    Err(Error::Spec(vec![Diagnostic {
        file: config.source.clone().unwrap_or_default(),
        pointer: "/idempotency_header".into(),
        line: None,
        message: format!("{header:?} is not an HTTP header name"),
    }]))
}

/// Problems found in the config (a pointer into it and a message), as the error.
fn config_errors(file: &std::path::Path, problems: Vec<(String, String)>) -> Error {
    let located = problems.into_iter().map(|(pointer, message)| Diagnostic {
        file: file.to_path_buf(),
        pointer,
        line: None,
        message,
    });
    Error::Spec(located.collect())
}

fn run_pipeline(spec: &load::Spec, config: &Config) -> Result<Generated, Error> {
    let built = api::build(spec, config).map_err(|mut errors| {
        spec.locate(&mut errors);
        Error::Spec(errors)
    })?;
    let mut api = built.api;
    let config_file = config.source.clone().unwrap_or_default();
    api::idempotency(&mut api, idempotency_header(config)?);
    let mut paging_warnings = Vec::new();
    let mut paging_problems =
        pagination::apply(&mut api, spec, &config.pagination, &mut paging_warnings);
    paging_problems.extend(api::events::config_problems(spec, &api, &config.events));
    if !paging_problems.is_empty() {
        return Err(config_errors(&config_file, paging_problems));
    }
    dispatch::apply(&mut api.types);
    let mut impossible: Vec<Diagnostic> = layout::settle_cycles(&mut api.types)
        .into_iter()
        .map(|(pointer, message)| spec.diagnostic(&pointer, message))
        .collect();
    if !impossible.is_empty() {
        spec.locate(&mut impossible);
        return Err(Error::Spec(impossible));
    }
    layout::apply(&mut api.types);
    layout::box_error_bodies(&mut api);
    let mut warnings = built.warnings;
    warnings.extend(paging_warnings);
    if let Some(deep) = layout::too_deeply_nested(&api.types) {
        let pointer = &api.types.get(deep.deepest).origin;
        if deep.chain > layout::MAX_NESTING {
            let mut d = vec![spec.diagnostic(
                pointer,
                format!("types are held inside one another more than {} levels deep from here (counting each Vec, Option and Box): rustc could not check Send or Sync for them; break the chain, e.g. with an id instead of the object", layout::MAX_NESTING),
            )];
            spec.locate(&mut d);
            return Err(Error::Spec(d));
        }
        let limit = deep.bound.next_power_of_two().max(256);
        warnings.push(spec.diagnostic(
            pointer,
            format!("types here hold one another in cycles that rustc may follow up to {} levels deep (counting each Vec, Option and Box): `cargo build` passes, but `cargo doc`, and code that needs these types `Send` or `UnwindSafe`, can stop at rustc's recursion limit (128, error E0275); if it does, add `#![recursion_limit = \"{limit}\"]` to the crate root", deep.bound),
        ));
    }
    // A part of the spec reached twice (a path item `$ref`) is warned about once.
    let mut said = std::collections::HashSet::new();
    warnings.retain(|w| said.insert((w.pointer.clone(), w.message.clone())));
    spec.locate(&mut warnings);
    let unused = naming::assign(
        &mut api,
        &config.rename,
        config.modules == config::Modules::Flat,
    )
    .map_err(|problems| config_errors(&config_file, problems))?;
    for name in unused {
        warnings.push(Diagnostic {
            file: config_file.clone(),
            pointer: format!("/rename/{}", error::escape_token(&name)),
            line: None,
            message: format!("no generated type is called {name:?}; this rename does nothing"),
        });
    }
    if config.features == config::Features::Tags {
        if let Some(message) = gates::apply(&mut api) {
            warnings.push(spec.diagnostic("/paths", message));
        }
    }
    let examples = response_examples(&api);
    let schemas = typed_schemas(&api);
    let tokens = emit::api(&api);
    let code = format::file(
        tokens,
        &spec.file.display().to_string(),
        config.format_cache.as_deref(),
    )?;
    Ok(Generated {
        code,
        warnings,
        type_count: api.types.types.len(),
        examples,
        schemas,
        operations: operation_summaries(&api),
        title: api.title,
        api_version: api.version,
        features: api.features,
    })
}

fn operation_summaries(api: &ir::Api) -> Vec<OperationSummary> {
    // An operation's gate is its feature, or always when the crate has only that one.
    let feature = |gate: &ir::Gate| match (gate.0.first(), api.features.as_slice()) {
        (Some(i), _) => Some(api.features[*i].clone()),
        (None, [only]) => Some(only.clone()),
        (None, _) => None,
    };
    let summary = |op: &ir::Operation| OperationSummary {
        method: op.method_name.trim_start_matches("r#").to_string(),
        request: format!("{} {}", op.http_method, op.path),
        summary: op.summary.clone(),
        feature: feature(&op.gate),
    };
    api.operations.iter().map(summary).collect()
}

fn typed_schemas(api: &ir::Api) -> Vec<TypedSchema> {
    let prefix = quote::quote!(types::);
    let rust = |ty: &ir::TypeRef| emit::type_tokens(&api.types, ty, &prefix).to_string();
    let mut out = Vec::new();
    for op in &api.operations {
        if let Some(body) = op.body.as_ref().filter(|b| b.media == ir::Media::Json) {
            if let Some(pointer) = &body.schema_pointer {
                out.push(TypedSchema {
                    schema_pointer: pointer.clone(),
                    rust_type: rust(&body.ty),
                    role: "request body".into(),
                });
            }
        }
        for response in op.success.iter().chain(&op.errors) {
            let Some(body) = &response.body else { continue };
            if let (ir::Media::Json, Some(pointer)) = (body.media, &body.schema_pointer) {
                out.push(TypedSchema {
                    schema_pointer: pointer.clone(),
                    rust_type: rust(&body.ty),
                    role: format!("response {}", response.status),
                });
            }
        }
    }
    for webhook in &api.webhooks {
        out.push(TypedSchema {
            schema_pointer: webhook.schema_pointer.clone(),
            rust_type: rust(&webhook.ty),
            role: "webhook".into(),
        });
    }
    // A component's type leaves nullability to its uses, so its documents go into an Option.
    for (i, def) in api.types.types.iter().enumerate() {
        if let Some(name) = &def.component {
            let nullable = ir::TypeRef::Nullable(Box::new(ir::TypeRef::Named(ir::TypeId(i))));
            out.push(TypedSchema {
                schema_pointer: format!("/components/schemas/{}", error::escape_token(name)),
                rust_type: rust(&nullable),
                role: "component".into(),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

fn response_examples(api: &ir::Api) -> Vec<Example> {
    let prefix = quote::quote!(types::);
    let mut out = Vec::new();
    for op in &api.operations {
        for response in op.success.iter().chain(&op.errors) {
            let Some(body) = &response.body else { continue };
            let (ir::Media::Json, Some(schema_pointer)) = (body.media, &body.schema_pointer) else {
                continue;
            };
            let rust_type = emit::type_tokens(&api.types, &body.ty, &prefix).to_string();
            for (pointer, value) in &body.examples {
                out.push(Example {
                    pointer: pointer.clone(),
                    schema_pointer: schema_pointer.clone(),
                    rust_type: rust_type.clone(),
                    value: value.clone(),
                });
            }
        }
    }
    for webhook in &api.webhooks {
        let rust_type = emit::type_tokens(&api.types, &webhook.ty, &prefix).to_string();
        for (pointer, value) in &webhook.examples {
            out.push(Example {
                pointer: pointer.clone(),
                schema_pointer: webhook.schema_pointer.clone(),
                rust_type: rust_type.clone(),
                value: value.clone(),
            });
        }
    }
    out
}
