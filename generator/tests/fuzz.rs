//! Bounded fuzzing: mutated specs go through load → generate → `syn` parse of the output
//! (which `generate` does itself). Every run must end in generated code or in located
//! spec errors: never a panic, never output that does not parse.
//!
//! The default run tries `APIGEN_FUZZ_CASES` mutated specs (256 unless set); a longer run:
//! `APIGEN_FUZZ_CASES=20000 cargo test -p apigen --test fuzz --release`.
//! The run is seeded (reproducible); `APIGEN_FUZZ_RANDOM=1` draws new cases.
//! Failures shrink to a minimal mutation list; each one found becomes a fixture below.

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
    let strategy = (0usize..8, prop::collection::vec(mutation(), 1..6));
    let result = runner.run(&strategy, |(seed, mutations)| {
        let seeds = seeds();
        let mut doc = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let text = serde_json::to_string(&doc).unwrap();
        match generate_str(&text, Path::new("fuzz.json"), &Config::default()) {
            Ok(_) => generated.set(generated.get() + 1),
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
    // A run that only ever meets the error path would prove little.
    assert!(
        generated.get() * 10 >= cases(),
        "too few mutated specs got through: {}",
        generated.get()
    );
}
