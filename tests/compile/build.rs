//! Generates every fixture in tests/fixtures and every spec in specs/ into OUT_DIR, so that
//! `cargo test` compiles all of them, and writes `suites.rs` (included by src/lib.rs): a
//! module per spec, and for each, the schemas it gives types, each
//! with a function that decodes a document into its type and encodes it again. The
//! property tests (tests/properties.rs) drive documents generated from the schemas through them.

use std::fmt::Write;
use std::path::Path;

// The pathological shapes of the hostile-spec suite (each binary uses part of it).
#[path = "../../generator/tests/support/shapes.rs"]
#[allow(dead_code)]
mod shapes;

fn main() {
    let root = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut modules = String::new();
    let mut suites = String::from(
        "/// Every generated spec with its typed schemas.\npub const SUITES: &[Suite] = &[\n",
    );
    let groups = [
        ("fixtures", "../fixtures", ""),
        ("specs", "../../specs", "specs::"),
    ];
    for (group, dir, module_prefix) in groups {
        if group == "specs" {
            modules.push_str("/// The specs in `specs/`, generated again here for the property tests.\npub mod specs {\n");
        }
        println!("cargo:rerun-if-changed={dir}");
        let specs = apigen::build::spec_files(&[dir.into()]).expect("the folder is readable");
        for spec_path in specs {
            let module = apigen::build::module_name(&spec_path);
            let name = spec_path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let spec = spec_path.display().to_string();
            let out_file = format!("{group}_{module}.rs");
            let generated = match apigen::build::try_generate_to_out_dir(&spec, &out_file) {
                Ok(generated) => generated,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            };
            let indent = if group == "specs" { "    " } else { "" };
            writeln!(
                modules,
                "{indent}pub mod {module} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{out_file}\")); }}"
            )
            .unwrap();
            let spec_path = root.join(&spec);
            let config = apigen::Config::for_spec(&spec_path, Path::new(&spec)).expect("config");
            let keep = config.unknown_properties == apigen::config::UnknownProperties::Keep;
            writeln!(
                suites,
                "    Suite {{ name: {name:?}, spec: {path:?}, from_specs: {from_specs}, keep_unknown: {keep}, schemas: &[",
                from_specs = group == "specs",
                path = spec_path
                    .canonicalize()
                    .unwrap_or(spec_path.clone())
                    .display()
                    .to_string()
            )
            .unwrap();
            for s in &generated.schemas {
                let ty = s
                    .rust_type
                    .replace("types :: ", &format!("{module_prefix}{module}::types::"));
                writeln!(
                    suites,
                    "        Typed {{ pointer: {:?}, role: {:?}, rust_type: {:?}, re_encode: re_encode::<{ty}> }},",
                    s.schema_pointer, s.role, ty
                )
                .unwrap();
            }
            suites.push_str("    ] },\n");
        }
        if group == "specs" {
            modules.push_str("}\n");
        }
    }
    shape_modules(&out_dir, &mut modules);
    suites.push_str("];\n");
    apigen::build::write_if_changed(&out_dir.join("suites.rs"), &format!("{modules}\n{suites}"))
        .expect("suites.rs is written");
}

/// The pathological shapes at sizes past where they once broke the generator (a 10,000-hop
/// `$ref` chain, a 2^24-path reference DAG, …), generated and included, so that their code
/// is compiled with warnings denied, linted and doc-tested like every fixture's.
fn shape_modules(out_dir: &Path, modules: &mut String) {
    println!("cargo:rerun-if-changed=../../generator/tests/support/shapes.rs");
    modules.push_str("/// The pathological spec shapes of the hostile-spec suite, generated and compiled.\npub mod shapes {\n");
    for shape in shapes::SHAPES {
        let n = match shape.name {
            "ref-chain" => 10_000,
            "nested-refs" => 45,
            "allof-chain" => 60,
            "inline-dag" => 24,
            "allof-dag" => 20,
            "oneof-chain" => 90,
            "oneof-dag" => 30,
            "alias-chain" => 1_000,
            // Under the bound that warns (6 levels a hop): `cargo doc` of this crate must
            // pass without a recursion limit (a ring of 25 stops rustdoc, E0275).
            "ring" => 16,
            _ => 100,
        };
        let display = format!("shapes/{}-{n}.json", shape.name);
        let generated = apigen::generate_str(
            &(shape.build)(n),
            Path::new(&display),
            &apigen::Config::default(),
        )
        .unwrap_or_else(|e| panic!("{display}: {e}"));
        let module = shape.name.replace('-', "_");
        let file = format!("shape_{module}.rs");
        apigen::build::write_if_changed(&out_dir.join(&file), &generated.code)
            .expect("the shape is written");
        writeln!(
            modules,
            "    pub mod {module} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{file}\")); }}"
        )
        .unwrap();
    }
    modules.push_str("}\n");
}
