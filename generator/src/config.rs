//! Config: optional per-spec settings, read from `<spec>.apigen.yaml` beside the spec.
//!
//! ```yaml
//! # Names a person would choose where the spec offers no good word.
//! rename:
//!   Hidden: Condition
//! # Keep properties a schema does not declare, so documents re-encode unchanged
//! # (default: drop, which keeps structs plain and decoding fast).
//! unknown_properties: keep
//! # Keep dotted component keys (`io.k8s.api.core.v1.Pod`) in one flat namespace
//! # (`IoK8sApiCoreV1Pod`) instead of modules (`api::core::v1::Pod`, the default).
//! modules: flat
//! # How list operations ask for their next page, by operationId (see `pagination`).
//! pagination:
//!   listCharges:
//!     items: /data
//!     cursor: {param: starting_after, from_last_item: /id, has_more: /has_more}
//!   listRepos: {link: true}
//!   listPages: {items: /results, page: page}
//!   listRows: {items: /rows, offset: offset}
//! # One Cargo feature per first tag: each operation, and the types only it reaches,
//! # compile when its tag's feature is on (the crate declares them; `--crate` does both).
//! features: tags
//! # The type of each server-sent event's data, by operationId.
//! events:
//!   watchTicks: '#/components/schemas/Tick'
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Error};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Generated type name → the name to use instead.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    #[serde(default)]
    pub unknown_properties: UnknownProperties,
    #[serde(default)]
    pub modules: Modules,
    #[serde(default)]
    pub features: Features,
    /// The most bytes of the spec read before it is refused (default 256 MiB; the
    /// `APIGEN_MAX_SPEC_BYTES` variable and `--max-spec-bytes` set it too).
    #[serde(default)]
    pub max_spec_bytes: Option<u64>,
    /// The header the API deduplicates requests by (Stripe's `Idempotency-Key`): each POST
    /// and PATCH call sends a fresh key in it, and is then retried like a GET. Operations
    /// that declare a header parameter `Idempotency-Key` get one without it.
    #[serde(default)]
    pub idempotency_header: Option<String>,
    /// The schema of each event's data in an operation's `text/event-stream` response,
    /// by operationId: a reference into the spec (`#/components/schemas/Tick`).
    #[serde(default)]
    pub events: BTreeMap<String, String>,
    /// How list operations ask for their next page, by operationId.
    #[serde(default)]
    pub pagination: BTreeMap<String, PagingConfig>,
    #[serde(skip)]
    pub source: Option<PathBuf>,
    /// A folder to keep rustfmt's work on each piece of the output in, so a regeneration
    /// formats only what changed (build scripts: `OUT_DIR`; the CLI: `--format-cache`).
    #[serde(skip)]
    pub format_cache: Option<PathBuf>,
}

/// One list operation's pagination: where a page keeps its items (a JSON pointer into the
/// page; empty or left out for a page that is the array), and one way to the next page.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingConfig {
    #[serde(default)]
    pub items: String,
    /// The `Link` header's `rel="next"`.
    #[serde(default)]
    pub link: bool,
    pub cursor: Option<CursorConfig>,
    /// A page number query parameter.
    pub page: Option<String>,
    /// An offset query parameter.
    pub offset: Option<String>,
}

/// A cursor query parameter, set from the page (`from`) or from its last item
/// (`from_last_item`), with a boolean that says whether there is more (`has_more`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorConfig {
    pub param: String,
    pub from: Option<String>,
    pub from_last_item: Option<String>,
    pub has_more: Option<String>,
}

/// A config file's text; a config is a few lines, so more than 1 MiB is not one.
fn read_small(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(1 << 20)
        .read_to_string(&mut text)?;
    Ok(text)
}

/// What structs do with properties their schema does not declare (but allows, as JSON
/// Schema does when `additionalProperties` is not given).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownProperties {
    /// Accept and drop them.
    #[default]
    Drop,
    /// Keep them in an `extra` map and write them back.
    Keep,
}

/// Where the types of dotted component keys go.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modules {
    /// In modules made from the keys' segments, their shared prefix dropped.
    #[default]
    Dotted,
    /// In `types` itself, named from the whole key.
    Flat,
}

/// Which Cargo features the generated code is gated by.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Features {
    /// None: everything is always compiled.
    #[default]
    None,
    /// One per operations' first tag (`untagged` for operations without one): an
    /// operation, and each type only operations of other tags reach, is compiled when its
    /// feature is on. The crate must declare the features (`Generated::features`).
    Tags,
}

impl Config {
    /// The config file that belongs to `spec`: `x.yaml` → `x.apigen.yaml`.
    pub fn path_for(spec: &Path) -> PathBuf {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        spec.with_file_name(format!("{stem}.apigen.yaml"))
    }

    /// Reads the config beside `spec` (shown as `display`), or the default when there is none.
    ///
    /// # Errors
    /// When the file exists but cannot be read or parsed.
    pub fn for_spec(spec: &Path, display: &Path) -> Result<Config, Error> {
        let path = Self::path_for(spec);
        let shown = Self::path_for(display);
        let text = match read_small(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => return Err(Error::Read { path, source }),
        };
        let mut config: Config = serde_yaml::from_str(&text).map_err(|e| {
            Error::Spec(vec![Diagnostic {
                file: shown.clone(),
                pointer: String::new(),
                line: e.location().map(|l| l.line()),
                message: format!("invalid apigen config: {e}"),
            }])
        })?;
        config.source = Some(shown);
        Ok(config)
    }

    /// The size limit for the spec: this config's, else `APIGEN_MAX_SPEC_BYTES`, else
    /// the default.
    pub fn max_spec_bytes(&self) -> u64 {
        self.max_spec_bytes
            .or_else(|| std::env::var("APIGEN_MAX_SPEC_BYTES").ok()?.parse().ok())
            .unwrap_or(crate::load::DEFAULT_MAX_SPEC_BYTES)
    }

    /// Whether `path` is a config file rather than a spec.
    pub fn is_config_file(path: &Path) -> bool {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".apigen.yaml"))
    }
}
