//! Build-script front end: one call from a crate's `build.rs` generates into `OUT_DIR`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{generate, Config, Error, Generated};

/// Generates `spec` (a path relative to the calling crate's root) into
/// `$OUT_DIR/<out_file>`, for `include!(concat!(env!("OUT_DIR"), "/<out_file>"))`.
///
/// Prints `cargo:rerun-if-changed` for the spec and its config, so an unchanged spec
/// costs no generation, and spec warnings as `cargo:warning`. On error the build stops
/// with every problem listed, and nothing is written.
pub fn generate_to_out_dir(spec: &str, out_file: &str) {
    if let Err(e) = try_generate_to_out_dir(spec, out_file) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// As [`generate_to_out_dir`], returning the error instead of ending the build.
///
/// # Errors
/// Problems in the spec, or when the output cannot be written.
pub fn try_generate_to_out_dir(spec: &str, out_file: &str) -> Result<Generated, Error> {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_else(|| ".".into()));
    let spec_path = root.join(spec);
    println!("cargo:rerun-if-changed={}", spec_path.display());
    println!(
        "cargo:rerun-if-changed={}",
        Config::path_for(&spec_path).display()
    );
    let config = Config::for_spec(&spec_path, Path::new(spec))?;
    let generated = generate(&spec_path, Path::new(spec), &config)?;
    for w in &generated.warnings {
        println!("cargo:warning={}", w.to_string().replace('\n', " "));
    }
    write_if_changed(&out_dir.join(out_file), &generated.code)?;
    Ok(generated)
}

/// Writes `content` to `path` unless it already holds exactly that, through a temporary
/// file and a rename, so a failed run never leaves a half-written file. Returns whether
/// the file changed.
///
/// # Errors
/// When the file cannot be written.
pub fn write_if_changed(path: &Path, content: &str) -> Result<bool, Error> {
    if std::fs::read(path).is_ok_and(|existing| existing == content.as_bytes()) {
        return Ok(false);
    }
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(content.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(source) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(write_error(source));
    }
    Ok(true)
}

/// The specs named by `args`: files as given, and the `.yaml`/`.yml`/`.json` files of
/// folders (config files left out), sorted within each folder.
///
/// # Errors
/// When a folder cannot be read.
pub fn spec_files(args: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for arg in args {
        if !arg.is_dir() {
            files.push(arg.clone());
            continue;
        }
        let entries = std::fs::read_dir(arg).map_err(|source| Error::Read {
            path: arg.clone(),
            source,
        })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                ) && !Config::is_config_file(p)
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// The Rust module (and output file) name for a spec:
/// `specs/vercel-create-integration-store.yaml` → `vercel_create_integration_store`.
pub fn module_name(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    stem.replace(['-', '.'], "_")
}
