//! Generates the union type the decode benchmark compares with serde's own enums.
fn main() {
    apigen::build::generate_to_out_dir("specs/shapes.yaml", "shapes.rs");
}
