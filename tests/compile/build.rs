//! Generates every fixture in tests/fixtures and every spec in specs/ into OUT_DIR, so that
//! `cargo test` compiles all of them, and writes `suites.rs` (included by src/lib.rs): a
//! module per spec, and for each, the schemas it gives types, each
//! with a function that decodes a document into its type and encodes it again. The
//! property tests (tests/properties.rs) drive documents generated from the schemas through them.

use std::fmt::Write;
use std::path::Path;

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
    suites.push_str("];\n");
    apigen::build::write_if_changed(&out_dir.join("suites.rs"), &format!("{modules}\n{suites}"))
        .expect("suites.rs is written");
}
