//! The code generated for each fixture in `tests/fixtures` and each spec in `specs/`, one
//! module each, compiled with every warning denied (and linted by clippy in CI), and a
//! table of every schema they give a type, for the property tests.
#![deny(warnings)]

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// One generated spec: where it is, and each schema with a type.
pub struct Suite {
    pub name: &'static str,
    /// The spec file, for the tests to read the schemas from.
    pub spec: &'static str,
    /// Whether it is one of `specs/` (rather than a fixture).
    pub from_specs: bool,
    /// Whether its config keeps undeclared properties (`unknown_properties: keep`).
    pub keep_unknown: bool,
    pub schemas: &'static [Typed],
}

/// A schema and the generated type its documents decode into.
pub struct Typed {
    pub pointer: &'static str,
    /// `request body`, `response 200`, `component`.
    pub role: &'static str,
    pub rust_type: &'static str,
    /// Decodes a document as the type and encodes it again.
    pub re_encode: fn(&Value) -> Result<Value, String>,
}

/// Decodes `doc` as `T` and encodes the result again.
///
/// # Errors
/// The decode error (with the JSON path where it failed), or an encoding error.
pub fn re_encode<T: Serialize + DeserializeOwned>(doc: &Value) -> Result<Value, String> {
    let decoded: T = serde_path_to_error::deserialize(doc).map_err(|e| {
        let (path, message) =
            apigen_runtime::union::error_path(&e.path().to_string(), &e.inner().to_string());
        format!("does not decode at `{path}`: {message}")
    })?;
    serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))
}

include!(concat!(env!("OUT_DIR"), "/suites.rs"));
