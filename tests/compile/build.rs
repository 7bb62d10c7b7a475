//! Generates every fixture in tests/fixtures into OUT_DIR, so that `cargo test` compiles
//! all of them (src/lib.rs includes each; tests/generation.rs checks none is missing).

fn main() {
    let dir = std::path::Path::new("../fixtures");
    println!("cargo:rerun-if-changed=../fixtures");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/fixtures is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml") && !n.ends_with(".apigen.yaml"))
        .map(|n| n.trim_end_matches(".yaml").to_string())
        .collect();
    names.sort();
    for name in names {
        apigen::build::generate_to_out_dir(
            &format!("../fixtures/{name}.yaml"),
            &format!("{name}.rs"),
        );
    }
}
