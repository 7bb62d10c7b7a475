//! Generates every fixture into OUT_DIR, so that `cargo test` compiles all of them.

fn main() {
    for name in [
        "additional",
        "components",
        "docs",
        "names",
        "nullable",
        "parameters",
        "unions",
    ] {
        apigen::build::generate_to_out_dir(
            &format!("../fixtures/{name}.yaml"),
            &format!("{name}.rs"),
        );
    }
}
