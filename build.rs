//! Regenerates the Vercel client from `specs/` on `cargo build`. Cargo reruns this
//! only when the spec, its config, or the generator itself changed.

fn main() {
    apigen::build::generate_to_out_dir("specs/vercel-create-integration-store.yaml", "vercel.rs");
}
