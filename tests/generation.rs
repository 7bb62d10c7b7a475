//! What the generator emits: insta snapshots of the code for the Vercel spec and for each
//! one-feature fixture, the committed copy in `generated/` kept current, and the size
//! targets for the Vercel types.

use std::path::{Path, PathBuf};

use apigen::{generate, Config};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate_relative(spec: &str) -> apigen::Generated {
    let path = root().join(spec);
    let config = Config::for_spec(&path, Path::new(spec)).expect("config");
    generate(&path, Path::new(spec), &config).unwrap_or_else(|e| panic!("{spec}: {e}"))
}

const VERCEL: &str = "specs/vercel-create-integration-store.yaml";

#[test]
fn vercel_snapshot() {
    insta::assert_snapshot!("vercel", generate_relative(VERCEL).code);
}

/// The fixtures: every spec in `tests/fixtures`, found as the CLI finds them.
fn fixtures() -> Vec<String> {
    apigen::build::spec_files(&[root().join("tests/fixtures")])
        .expect("fixtures")
        .iter()
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect()
}

#[test]
fn fixture_snapshots() {
    for name in fixtures() {
        let generated = generate_relative(&format!("tests/fixtures/{name}.yaml"));
        let warned: Vec<&str> = generated
            .warnings
            .iter()
            .map(|w| w.pointer.as_str())
            .collect();
        let expected: &[&str] = match name.as_str() {
            // A multipart body that names no parts: a form the caller builds, said once.
            "media" => &["/paths/~1assets~1raw/post/requestBody/content/multipart~1form-data"],
            // Values the HTTP stack would refuse, and keys that are not statuses: left out.
            "hostile_http" => &[
                "/paths/~1things/get/parameters/0/name",
                "/paths/~1things/get/parameters/1/name",
                "/paths/~1things/get/parameters/2/name",
                "/paths/~1things/get/parameters/3/name",
                "/paths/~1things/get/parameters/6/name",
                "/paths/~1things/get/responses/200/content/application~1json\n    x",
                "/paths/~1things/get/responses/4xx",
                "/paths/~1things/get/responses/999",
            ],
            // A scheme the client cannot send: left to the user's middleware.
            "auth" => &["/components/securitySchemes/digest"],
            // Every malformed or unsendable scheme and requirement, each located.
            "hostile_auth" => &[
                "/components/securitySchemes/badHeader",
                "/components/securitySchemes/mtls",
                "/components/securitySchemes/noType",
                "/paths/~1b/get/security/2/undeclared",
                "/paths/~1c/get/security",
                "/paths/~1e/get/security/0/nowhere",
            ],
            // A tuple whose length is not fixed: an array of either item type.
            "tuples" => &["/components/schemas/Route/properties/tags/prefixItems"],
            _ => &[],
        };
        assert_eq!(warned, expected, "{name}: {:?}", generated.warnings);
        insta::assert_snapshot!(name.as_str(), generated.code);
    }
}

/// Like rust-analyzer's codegen check: the copy in `generated/` is what the generator
/// writes today. The fix when this fails is the command it names.
#[test]
fn committed_copy_is_current() {
    let committed =
        std::fs::read_to_string(root().join("generated/vercel_create_integration_store.rs"))
            .unwrap_or_default();
    assert!(
        committed == generate_relative(VERCEL).code,
        "generated/ is stale: run `cargo run -p apigen -- generate specs/ --out generated/`"
    );
}

/// Type names declared in generated code (`pub struct X`, `pub enum X`, `pub type X`) inside `mod types`.
fn type_names(code: &str) -> Vec<String> {
    let types = code.split("pub mod types {").nth(1).unwrap_or_default();
    types
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|p| l.strip_prefix(p))
                .map(|rest| {
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap_or_default()
                        .to_string()
                })
        })
        .collect()
}

#[test]
fn vercel_types_are_few_short_and_human_named() {
    let names = type_names(&generate_relative(VERCEL).code);
    assert!(names.len() <= 70, "{} types: {names:?}", names.len());
    assert!(names.len() >= 40, "suspiciously few types: {names:?}");
    let longest = names.iter().map(String::len).max().unwrap_or(0);
    assert!(
        longest <= 40,
        "a type name is {longest} characters: {names:?}"
    );
    let variant_like = names.iter().filter(|n| n.contains("Variant")).count();
    assert_eq!(variant_like, 0, "{names:?}");
    let unique: std::collections::BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "duplicate names: {names:?}");
    // The condition union is one type however often it is written out.
    let code = generate_relative(VERCEL).code;
    assert_eq!(code.matches("pub enum Condition {").count(), 1);
    assert!(code.matches("Option<Condition>").count() >= 30);
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        generate_relative(VERCEL).code,
        generate_relative(VERCEL).code
    );
}

/// Reverses the order of the maps whose order carries no meaning: component schemas,
/// paths, the operations of a path, and responses.
fn reorder(spec: &mut serde_json::Value) {
    fn reverse(map: &mut serde_json::Map<String, serde_json::Value>) {
        let entries: Vec<(String, serde_json::Value)> =
            std::mem::take(map).into_iter().rev().collect();
        map.extend(entries);
    }
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(|v| v.as_object_mut())
    {
        reverse(schemas);
    }
    if let Some(paths) = spec.get_mut("paths").and_then(|v| v.as_object_mut()) {
        reverse(paths);
        for item in paths.values_mut().filter_map(|v| v.as_object_mut()) {
            reverse(item);
            for op in item.values_mut() {
                if let Some(responses) = op.get_mut("responses").and_then(|v| v.as_object_mut()) {
                    reverse(responses);
                }
            }
        }
    }
}

#[test]
fn reordering_components_paths_and_responses_changes_nothing() {
    for spec in [
        VERCEL,
        "tests/fixtures/components.yaml",
        "tests/fixtures/parameters.yaml",
        "tests/fixtures/unions.yaml",
    ] {
        let text = std::fs::read_to_string(root().join(spec)).unwrap();
        let mut value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let original = serde_json::to_string(&value).unwrap();
        reorder(&mut value);
        let reordered = serde_json::to_string(&value).unwrap();
        assert_ne!(original, reordered, "{spec}: the reordering did nothing");
        let generate = |text: &str| {
            apigen::generate_str(text, Path::new(spec), &Config::default())
                .unwrap()
                .code
        };
        assert_eq!(
            generate(&original),
            generate(&reordered),
            "{spec}: output depends on order"
        );
    }
}
