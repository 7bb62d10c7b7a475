//! GitHub's full REST spec (OpenAPI 3.0, about 1,000 operations) and its webhooks spec
//! (OpenAPI 3.1, 261 webhooks), each as the crate `apigen generate --crate` writes: each
//! must build with every warning denied (the REST one also with one tag's feature, and
//! with none), and every JSON response or webhook payload example a spec gives (that its
//! own schema accepts) must decode into its generated type and re-encode to the same JSON.
//!
//! Ignored in the default run (it compiles two large crates, side by side in one
//! workspace); `.ci/run` runs it after `scripts/github-spec.sh` has fetched the specs:
//! `cargo test --test github -- --ignored --nocapture`.

use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::config::{Features, UnknownProperties};
use apigen::{generate, Config};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The spec at `var`, else at `cached` under the project.
fn spec_path(var: &str, cached: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(cached))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
    std::fs::write(path, text).expect("write");
}

#[test]
#[ignore = "needs scripts/github-spec.sh and several minutes; run by .ci/run"]
fn github_specs_compile_and_their_examples_round_trip() {
    let specs = [
        (
            "rest",
            spec_path(
                "APIGEN_GITHUB_SPEC",
                ".cache/npm/node_modules/@octokit/openapi/generated/api.github.com.json",
            ),
        ),
        (
            "webhooks",
            spec_path(
                "APIGEN_GITHUB_WEBHOOKS_SPEC",
                ".cache/webhooks/node_modules/@octokit/openapi-webhooks/generated/api.github.com.json",
            ),
        ),
    ];
    let dir = root().join("target/github-check");
    let _ = std::fs::remove_dir_all(&dir);
    for (name, spec) in &specs {
        prepare(name, spec, &dir.join(name));
    }
    // One workspace: both crates check at once, one per core.
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"rest\", \"webhooks\"]\nresolver = \"2\"\n",
    );
    // The workspace's versions, and below the target folder the other generated crates of
    // the tests use (fuzz, real specs): their dependencies are built once.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
    let target = root().join("target/generated-crates");
    // Building the tests builds the crates, every warning denied: a `cargo check`
    // before it would type-check them twice.
    let args = [
        "test",
        "--quiet",
        "--workspace",
        "--test",
        "examples",
        "--",
        "--nocapture",
    ];
    let status = run_cargo(&dir, &target, &args);
    assert!(
        status.success(),
        "cargo {} failed for the generated GitHub crates",
        args.join(" ")
    );
    // One tag's feature, and none: what is compiled names only what is compiled.
    for features in [&["--features", "issues"][..], &[]] {
        let mut args = vec![
            "check",
            "--quiet",
            "-p",
            "github-rest",
            "--no-default-features",
        ];
        args.extend(features);
        let status = run_cargo(&dir, &target, &args);
        assert!(status.success(), "cargo {} failed", args.join(" "));
    }
}

/// Runs cargo with `args` in the workspace `dir`, building into `target` (shared with
/// the other generated crates, so no `RUSTFLAGS` of the caller's), and says how long it
/// took.
fn run_cargo(dir: &Path, target: &Path, args: &[&str]) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    println!("cargo {} took {:.1?}", args.join(" "), started.elapsed());
    status
}

/// Generates the crate `github-{name}` for `spec` in `dir`, with a test that runs every
/// example its schema accepts through the generated types.
fn prepare(name: &str, spec: &Path, dir: &Path) {
    assert!(
        spec.exists(),
        "{} is missing: run scripts/github-spec.sh",
        spec.display()
    );
    let started = std::time::Instant::now();
    // Keep undeclared properties: GitHub's examples carry many, and they must come back.
    let config = Config {
        unknown_properties: UnknownProperties::Keep,
        features: Features::Tags,
        ..Config::default()
    };
    let generated =
        generate(spec, Path::new("api.github.com.json"), &config).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "{name}: generated {} types, {} lines, {} warnings, {} examples in {:.1?}",
        generated.type_count,
        generated.code.lines().count(),
        generated.warnings.len(),
        generated.examples.len(),
        started.elapsed()
    );
    for w in &generated.warnings {
        println!("warning: {w}");
    }
    // The crate `apigen generate --crate` writes, with every warning an error.
    let options = apigen::krate::Options {
        name: Some(format!("github-{name}")),
        runtime: Some(apigen::krate::Runtime::Path(root().join("runtime"))),
        spec: "api.github.com.json".into(),
    };
    let files = apigen::krate::files(dir, &generated, &options).unwrap_or_else(|e| panic!("{e}"));
    for (path, text) in &files {
        write(path, text);
    }
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    write(
        &manifest,
        &format!("{text}\n[lints.rust]\nwarnings = \"deny\"\n"),
    );
    let valid = judged_examples(name, spec, &generated.examples);
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
    let krate = format!("github_{name}");
    write(
        &dir.join("tests/examples.rs"),
        // `checks` last: the pointers in it may hold braces of their own.
        &EXAMPLES_TEST
            .replace("{krate}", &krate)
            .replace("{count}", &valid.len().to_string())
            .replace("{checks}", &checks),
    );
}

/// The examples their own schema accepts, by the judge (the jsonschema crate, draft 4 for
/// 3.0 and 2020-12 for 3.1): GitHub's specs have many that contradict theirs, and those
/// cannot decode into a correct type.
fn judged_examples<'e>(
    name: &str,
    spec: &Path,
    examples: &'e [apigen::Example],
) -> Vec<&'e apigen::Example> {
    let spec_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    let judge = apigen_check::SpecJudge::new(&spec_json);
    let started = std::time::Instant::now();
    let mut valid = Vec::new();
    let mut contradicting = 0;
    for example in examples {
        match judge.errors(&example.schema_pointer, &example.value) {
            Ok(errors) if errors.is_empty() => valid.push(example),
            Ok(errors) => {
                contradicting += 1;
                if contradicting <= 10 {
                    println!(
                        "{name}: spec example contradicts its schema: {}: {}",
                        example.pointer, errors[0]
                    );
                }
            }
            Err(e) => panic!("the judge cannot read {}: {e}", example.schema_pointer),
        }
    }
    println!(
        "{name}: {} examples: {} valid against their schema, {contradicting} contradict it (judged in {:.1?})",
        examples.len(),
        valid.len(),
        started.elapsed()
    );
    valid
}

const EXAMPLES_TEST: &str = r#"//! @generated by tests/github.rs: the spec's examples through the generated types.

use {krate}::types;

fn check<T: serde::Serialize + serde::de::DeserializeOwned>(pointer: &str, text: &str) -> usize {
    let json: serde_json::Value = serde_json::from_str(text).unwrap();
    match serde_json::from_value::<T>(json.clone()) {
        Ok(value) => {
            let again = serde_json::to_value(&value).unwrap();
            if apigen_runtime::same_json(&json, &again) {
                0
            } else {
                println!("changed by a round trip: {pointer}");
                1
            }
        }
        Err(e) => {
            println!("does not decode: {pointer}: {e}");
            1
        }
    }
}

#[test]
fn examples_round_trip() {
    let mut failures = 0;
{checks}    println!("{} examples, {failures} failed", {count});
    assert_eq!(failures, 0);
}
"#;
