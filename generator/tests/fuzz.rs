//! Bounded fuzzing: mutated specs go through load → generate → `syn` parse of the output
//! (which `generate` does itself). Every run must end in generated code or in located
//! spec errors: never a panic, never output that does not parse.
//!
//! The default run tries `APIGEN_FUZZ_CASES` mutated specs (256 unless set); a longer run:
//! `APIGEN_FUZZ_CASES=20000 cargo test -p apigen --test fuzz --release`.
//! The run is seeded (reproducible); `APIGEN_FUZZ_RANDOM=1` draws new cases.
//! Failures shrink to a minimal mutation list; each one found becomes a fixture below.
//!
//! With `APIGEN_FUZZ_COMPILE=1` (CI's release run) every spec that generated is also
//! compiled, in batches, in a scratch workspace (two crates checked at once, one per
//! core) with warnings denied and clippy's warnings denied: exit 0 from `generate` must mean code that compiles. A failing batch is split
//! until the spec that breaks it is found; it is saved beside the crate and named.

use std::path::Path;

use apigen::{generate_str, Config, Error};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The specs mutations start from: the Vercel spec and every fixture, read once.
fn seeds() -> &'static [Value] {
    static SEEDS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = vec![root.join("specs/vercel-create-integration-store.yaml")];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    fixtures.sort();
    files.extend(fixtures);
    files
        .iter()
        .map(|f| {
            serde_yaml::from_str(&std::fs::read_to_string(f).expect("readable")).expect("YAML")
        })
        .collect()
}

/// Values a mutation may write: the shapes that trip generators up.
fn replacement(choice: u8) -> Value {
    match choice % 16 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(""),
        4 => json!([]),
        5 => json!({}),
        6 => json!({"$ref": "#/components/schemas/Missing"}),
        7 => json!({"$ref": "#/"}),
        8 => json!({"type": "object", "properties": {"": {}, "type": {"type": "integer"}}}),
        9 => json!({"oneOf": []}),
        10 => json!({"allOf": [{"type": "string"}, {"type": "object"}]}),
        11 => json!({"type": "string", "enum": [1, null, "x", "X", "x"]}),
        12 => json!({"type": "array"}),
        13 => {
            json!({"anyOf": [{"type": "boolean", "enum": [false]}, {"$ref": "#/paths"}], "nullable": true})
        }
        14 => json!({"type": ["string", "null"]}),
        _ => {
            json!({"not": {}, "additionalProperties": {"oneOf": [{"type": "number"}, {"type": "number"}]}})
        }
    }
}

/// Every pointer in a document, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value at the n-th pointer.
    Replace(usize, u8),
    /// Remove the n-th pointer's value from its parent.
    Remove(usize),
    /// Copy the n-th value over the m-th.
    Copy(usize, usize),
    /// Rename the n-th key.
    Rename(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Replace(a, b)),
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Copy(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Rename(a, b)),
    ]
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    // Most mutations land inside schemas, where generators break; the rest anywhere.
    let in_schemas: Vec<String> = all
        .iter()
        .filter(|p| p.contains("schema"))
        .cloned()
        .collect();
    let all: Vec<String> = match m {
        Mutation::Replace(n, _) | Mutation::Copy(n, _) | Mutation::Rename(n, _)
            if n % 4 != 0 && !in_schemas.is_empty() =>
        {
            in_schemas
        }
        _ => all.into_iter().skip(1).collect(),
    };
    if all.is_empty() {
        return;
    }
    let pick = |n: usize| all[n % all.len()].clone();
    let split = |p: &str| -> (String, String) {
        let (parent, key) = p.rsplit_once('/').unwrap_or(("", p));
        (
            parent.to_string(),
            key.replace("~1", "/").replace("~0", "~"),
        )
    };
    match m {
        Mutation::Replace(n, v) => {
            if let Some(slot) = doc.pointer_mut(&pick(*n)) {
                *slot = replacement(*v);
            }
        }
        Mutation::Remove(n) => {
            let (parent, key) = split(&pick(*n));
            match doc.pointer_mut(&parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Copy(from, to) => {
            let value = doc.pointer(&pick(*from)).cloned();
            if let (Some(value), Some(slot)) = (value, doc.pointer_mut(&pick(*to))) {
                *slot = value;
            }
        }
        Mutation::Rename(n, c) => {
            let (parent, key) = split(&pick(*n));
            let new = [
                "type", "", "Option", "1x", "a-b", "ui:x", "self", "$ref", "größe",
            ][*c as usize % 9];
            if let Some(Value::Object(map)) = doc.pointer_mut(&parent) {
                if let Some(v) = map.remove(&key) {
                    map.insert(new.to_string(), v);
                }
            }
        }
    }
}

fn cases() -> u32 {
    std::env::var("APIGEN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

#[test]
fn mutated_specs_never_panic_and_always_parse() {
    // Formatting is not under test here, and rustfmt per case would dominate the run.
    std::env::set_var("APIGEN_RUSTFMT", "0");
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    // Seeded, so that CI runs are reproducible; `APIGEN_FUZZ_RANDOM=1` explores new cases.
    let mut runner = if std::env::var_os("APIGEN_FUZZ_RANDOM").is_some() {
        proptest::test_runner::TestRunner::new(config)
    } else {
        let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
        proptest::test_runner::TestRunner::new_with_rng(config, rng)
    };
    let generated = std::cell::Cell::new(0u32);
    let refused = std::cell::Cell::new(0u32);
    let compile = std::env::var_os("APIGEN_FUZZ_COMPILE").is_some();
    let outputs: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        Default::default();
    let strategy = (0usize..8, prop::collection::vec(mutation(), 1..6));
    let result = runner.run(&strategy, |(seed, mutations)| {
        let seeds = seeds();
        let mut doc = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let text = serde_json::to_string(&doc).unwrap();
        match generate_str(&text, Path::new("fuzz.json"), &Config::default()) {
            Ok(output) => {
                generated.set(generated.get() + 1);
                if compile {
                    outputs.borrow_mut().entry(output.code).or_insert(text);
                }
            }
            Err(Error::Spec(_)) => refused.set(refused.get() + 1),
            Err(e) => prop_assert!(false, "{e}\nspec: {text}"),
        }
        Ok(())
    });
    println!(
        "fuzz: {} mutated specs generated code, {} were refused with located errors",
        generated.get(),
        refused.get()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    if compile {
        let outputs = outputs.into_inner();
        let distinct = outputs.len();
        let broken = compile_all(outputs.into_iter().collect());
        println!(
            "fuzz: {distinct} distinct outputs compiled with clippy (warnings denied), {} failed",
            broken.len()
        );
        assert!(
            broken.is_empty(),
            "generated code that does not compile: {broken:#?}"
        );
    }
    // A run that only ever meets the error path would prove little.
    assert!(
        generated.get() * 10 >= cases(),
        "too few mutated specs got through: {}",
        generated.get()
    );
}

/// Crates of the scratch workspace: a batch is split among them and cargo checks them at
/// once, one per core (rustc checks one crate on one core).
const CRATES: usize = 2;

/// The scratch workspace the generated code is compiled in: `CRATES` crates, the
/// workspace's lock file, so it builds the same dependency versions.
fn scratch_crate() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-compile");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = root.join("runtime").canonicalize().unwrap();
    let members: Vec<String> = (0..CRATES).map(|i| format!("\"part_{i}\"")).collect();
    let workspace = format!(
        "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
        members.join(", ")
    );
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Cargo.toml"), workspace).unwrap();
    for i in 0..CRATES {
        std::fs::create_dir_all(dir.join(format!("part_{i}/src"))).unwrap();
        let manifest = format!(
            "[package]\nname = \"fuzz-compile-{i}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\napigen-runtime = {{ path = {runtime:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\nreqwest = {{ version = \"0.12\", default-features = false, features = [\"rustls-tls\", \"json\"] }}\n",
            runtime = runtime.display().to_string()
        );
        std::fs::write(dir.join(format!("part_{i}/Cargo.toml")), manifest).unwrap();
    }
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    dir
}

/// Whether the workspace builds with these outputs as the modules of its crates.
fn compiles(dir: &Path, batch: &[(String, String)]) -> bool {
    // Balanced by size (outputs differ a lot: the seed's is thousands of lines): the
    // largest first, each to the crate with the least code so far.
    let mut parts: Vec<Vec<&(String, String)>> = vec![Vec::new(); CRATES];
    let mut sizes = [0usize; CRATES];
    let mut by_size: Vec<&(String, String)> = batch.iter().collect();
    by_size.sort_by_key(|(code, _)| std::cmp::Reverse(code.len()));
    for output in by_size {
        let least = (0..CRATES).min_by_key(|&i| sizes[i]).unwrap_or(0);
        sizes[least] += output.0.len();
        parts[least].push(output);
    }
    for (part, outputs) in parts.iter().enumerate() {
        let src = dir.join(format!("part_{part}/src"));
        let mut lib = String::from("//! Generated code of mutated specs.\n#![deny(warnings)]\n");
        for (i, (code, _)) in outputs.iter().enumerate() {
            std::fs::write(src.join(format!("case_{i}.rs")), code).unwrap();
            lib.push_str(&format!(
                "pub mod case_{i} {{ include!(\"case_{i}.rs\"); }}\n"
            ));
        }
        std::fs::write(src.join("lib.rs"), lib).unwrap();
    }
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--quiet",
            "--offline",
            "--workspace",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(dir)
        // Shared with the other generated crates of the tests (GitHub's, real specs'),
        // so their dependencies are built once.
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/generated-crates"),
        )
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    status.success()
}

/// Compiles the outputs in batches; returns the specs whose output does not compile
/// (each saved as `failed-N.json` beside the scratch crate).
fn compile_all(outputs: Vec<(String, String)>) -> Vec<String> {
    const BATCH: usize = 150 * CRATES;
    let dir = scratch_crate();
    for stale in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        if stale.file_name().to_string_lossy().starts_with("failed-") {
            let _ = std::fs::remove_file(stale.path());
        }
    }
    let mut broken = Vec::new();
    let mut todo: Vec<Vec<(String, String)>> = outputs.chunks(BATCH).map(<[_]>::to_vec).collect();
    while let Some(batch) = todo.pop() {
        let started = std::time::Instant::now();
        let ok = compiles(&dir, &batch);
        println!(
            "fuzz: {} outputs compiled in {:.1} s",
            batch.len(),
            started.elapsed().as_secs_f64()
        );
        if ok {
            continue;
        }
        if batch.len() == 1 {
            let saved = dir.join(format!("failed-{}.json", broken.len()));
            std::fs::write(&saved, &batch[0].1).unwrap();
            broken.push(saved.display().to_string());
            continue;
        }
        let (a, b) = batch.split_at(batch.len() / 2);
        todo.push(a.to_vec());
        todo.push(b.to_vec());
    }
    broken
}
