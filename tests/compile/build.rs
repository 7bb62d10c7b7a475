//! Generates every fixture in tests/fixtures and every spec in specs/ into OUT_DIR, so that
//! `cargo test` compiles all of them (src/lib.rs includes each; tests/generation.rs checks
//! none is missing), and writes `suites.rs`: for each, the schemas it gives types, each
//! with a function that decodes a document into its type and encodes it again. The
//! property tests (tests/properties.rs) drive documents generated from the schemas through them.

use std::fmt::Write;
use std::path::Path;

fn yaml_names(dir: &Path) -> Vec<String> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") && !n.ends_with(".apigen.yaml"))
        .map(|n| n.trim_end_matches(".yaml").to_string())
        .collect();
    names.sort();
    names
}

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
        for name in yaml_names(&root.join(dir)) {
            let module = name.replace(['-', '.'], "_");
            let spec = format!("{dir}/{name}.yaml");
            let out_file = format!("{group}_{module}.rs");
            let generated = match apigen::build::try_generate_to_out_dir(&spec, &out_file) {
                Ok(generated) => generated,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            };
            if group == "specs" {
                writeln!(modules, "    pub mod {module} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{out_file}\")); }}").unwrap();
            } else {
                writeln!(
                    modules,
                    "pub mod {module} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{out_file}\")); }}"
                )
                .unwrap();
            }
            let spec_path = root.join(&spec);
            let config = apigen::Config::for_spec(&spec_path, Path::new(&spec)).expect("config");
            let keep = config.unknown_properties == apigen::config::UnknownProperties::Keep;
            writeln!(
                suites,
                "    Suite {{ name: {name:?}, spec: {path:?}, keep_unknown: {keep}, schemas: &[",
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
                    .replace("types :: ", "types::")
                    .replace("types::", &format!("{module_prefix}{module}::types::"));
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
