//! GitHub's full REST spec (about 1,000 operations): the generated crate must build with
//! `#![deny(warnings)]`, and every JSON response example the spec
//! gives must decode into its generated type and re-encode to the same JSON.
//!
//! Ignored in the default run (it compiles a 180,000-line crate); `.ci/run` runs it after
//! `scripts/github-spec.sh` has fetched the spec:
//! `cargo test --release --test github -- --ignored --nocapture`.

use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::config::UnknownProperties;
use apigen::{generate, Config};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spec_path() -> PathBuf {
    std::env::var_os("APIGEN_GITHUB_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            root().join(".cache/npm/node_modules/@octokit/openapi/generated/api.github.com.json")
        })
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
    std::fs::write(path, text).expect("write");
}

#[test]
#[ignore = "needs scripts/github-spec.sh and several minutes; run by .ci/run"]
fn github_spec_compiles_and_its_examples_round_trip() {
    let spec = spec_path();
    assert!(
        spec.exists(),
        "{} is missing: run scripts/github-spec.sh",
        spec.display()
    );
    let started = std::time::Instant::now();
    // Keep undeclared properties: GitHub's examples carry many, and they must come back.
    let config = Config {
        unknown_properties: UnknownProperties::Keep,
        ..Config::default()
    };
    let generated = generate(&spec, Path::new("api.github.com.json"), &config)
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "generated {} types, {} lines, {} warnings, {} response examples in {:.1?}",
        generated.type_count,
        generated.code.lines().count(),
        generated.warnings.len(),
        generated.examples.len(),
        started.elapsed()
    );
    for w in &generated.warnings {
        println!("warning: {w}");
    }

    // A crate of its own, in its own target folder (the outer cargo holds ours).
    let dir = root().join("target/github-check");
    let runtime = root().join("runtime");
    write(
        &dir.join("Cargo.toml"),
        &format!(
            r#"[package]
name = "github-api"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
apigen-runtime = {{ path = {runtime:?} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
reqwest = {{ version = "0.12", default-features = false, features = ["rustls-tls", "json"] }}

[workspace]
"#,
            runtime = runtime.display().to_string()
        ),
    );
    // The workspace's versions, and below the target folder the other generated crates of
    // the tests use (fuzz, real specs): their dependencies are built once.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
    write(&dir.join("src/github.rs"), &generated.code);
    write(
        &dir.join("src/lib.rs"),
        "#![deny(warnings)]\ninclude!(\"github.rs\");\n",
    );

    // The judge (the jsonschema crate) sorts out the examples that contradict their own
    // schema: GitHub's spec has many. Those cannot decode into a correct type; every
    // example the judge accepts must round-trip.
    let spec_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    let judge = apigen_check::SpecJudge::new(&spec_json);
    let started = std::time::Instant::now();
    let mut valid = Vec::new();
    let mut contradicting = 0;
    for example in &generated.examples {
        match judge.errors(&example.schema_pointer, &example.value) {
            Ok(errors) if errors.is_empty() => valid.push(example),
            Ok(errors) => {
                contradicting += 1;
                if contradicting <= 10 {
                    println!(
                        "spec example contradicts its schema: {}: {}",
                        example.pointer, errors[0]
                    );
                }
            }
            Err(e) => panic!("the judge cannot read {}: {e}", example.schema_pointer),
        }
    }
    println!(
        "{} examples: {} valid against their schema, {contradicting} contradict it (judged in {:.1?})",
        generated.examples.len(),
        valid.len(),
        started.elapsed()
    );

    // Each valid example: decode into its type, encode, compare as JSON.
    let mut checks = String::new();
    for (i, example) in valid.iter().enumerate() {
        let file = format!("examples/{i}.json");
        write(
            &dir.join("tests").join(&file),
            &serde_json::to_string_pretty(&example.value).unwrap(),
        );
        checks.push_str(&format!(
            "    failures += check::<{}>({:?}, include_str!({:?}));\n",
            example.rust_type, example.pointer, file
        ));
    }
    write(
        &dir.join("tests/examples.rs"),
        &format!(
            r#"//! @generated by tests/github.rs: the spec's response examples through the generated types.

use github_api::types;

fn check<T: serde::Serialize + serde::de::DeserializeOwned>(pointer: &str, text: &str) -> usize {{
    let json: serde_json::Value = serde_json::from_str(text).unwrap();
    match serde_json::from_value::<T>(json.clone()) {{
        Ok(value) => {{
            let again = serde_json::to_value(&value).unwrap();
            if apigen_runtime::same_json(&json, &again) {{
                0
            }} else {{
                println!("changed by a round trip: {{pointer}}");
                1
            }}
        }}
        Err(e) => {{
            println!("does not decode: {{pointer}}: {{e}}");
            1
        }}
    }}
}}

#[test]
fn examples_round_trip() {{
    let mut failures = 0;
{checks}    println!("{{}} examples, {{failures}} failed", {count});
    assert_eq!(failures, 0);
}}
"#,
            count = valid.len()
        ),
    );

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root().join("target/generated-crates");
    let run = |args: &[&str]| {
        let started = std::time::Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .status()
            .expect("cargo runs");
        println!("cargo {} took {:.1?}", args.join(" "), started.elapsed());
        assert!(
            status.success(),
            "cargo {} failed for the generated GitHub crate",
            args.join(" ")
        );
    };
    // Building the test builds the crate, `#![deny(warnings)]` and all: a `cargo check`
    // before it would type-check the 180,000 lines twice.
    run(&["test", "--quiet", "--test", "examples", "--", "--nocapture"]);
}
