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
    let mut config = Config::for_spec(&spec_path, Path::new(spec))?;
    // OUT_DIR lasts from one build to the next: rustfmt's work on what did not change is kept.
    let stem = Path::new(out_file)
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    config.format_cache = Some(out_dir.join(format!("apigen-format-cache-{stem}")));
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
    write_all(&[(path.to_path_buf(), content)]).map(|changed| changed[0])
}

/// Writes every `(path, content)` that differs from what is on disk, all or nothing:
/// each goes to a temporary file first, and only when all of them are written are they
/// renamed into place. Returns, for each, whether it changed.
///
/// # Errors
/// When any file cannot be written; then no file was changed.
pub fn write_all(outputs: &[(PathBuf, &str)]) -> Result<Vec<bool>, Error> {
    let write_error = |path: &Path, source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let changed: Vec<bool> = outputs
        .iter()
        .map(|(path, content)| !std::fs::read(path).is_ok_and(|old| old == content.as_bytes()))
        .collect();
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let abandon = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for ((path, content), _) in outputs.iter().zip(&changed).filter(|(_, c)| **c) {
        if path.is_dir() {
            abandon(&staged);
            let source = std::io::Error::other("a folder is in the way");
            return Err(write_error(path, source));
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let result = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::File::create(&tmp))
            .and_then(|mut f| f.write_all(content.as_bytes()).and_then(|()| f.sync_all()));
        if let Err(source) = result {
            let _ = std::fs::remove_file(&tmp);
            abandon(&staged);
            return Err(write_error(path, source));
        }
        staged.push((tmp, path));
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(source) = std::fs::rename(tmp, path) {
            abandon(&staged[i..]);
            return Err(write_error(path, source));
        }
    }
    Ok(changed)
}

/// The specs named by `args`: files as given, and the `.yaml`/`.yml`/`.json` files of
/// folders (config files left out), sorted within each folder.
///
/// # Errors
/// When a folder cannot be read.
pub fn spec_files(args: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    let mut empty = Vec::new();
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
        if found.is_empty() {
            empty.push(format!(
                "{} holds no spec (no .yaml, .yml or .json file)",
                arg.display()
            ));
        }
        found.sort();
        files.extend(found);
    }
    if !empty.is_empty() {
        return Err(Error::Inputs(empty));
    }
    Ok(files)
}

/// The output file of each spec in `out`, refusing two specs that would share one
/// (`a-b.yaml` and `a_b.json` are both `a_b.rs`), naming both.
///
/// # Errors
/// Every pair of specs that would overwrite each other.
pub fn output_paths(specs: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut taken: std::collections::BTreeMap<PathBuf, &PathBuf> = Default::default();
    let mut clashes = Vec::new();
    let paths: Vec<PathBuf> = specs
        .iter()
        .map(|spec| {
            let path = out.join(format!("{}.rs", module_name(spec)));
            if let Some(first) = taken.insert(path.clone(), spec) {
                clashes.push(format!(
                    "{} and {} would both be written to {}; rename one of them",
                    first.display(),
                    spec.display(),
                    path.display()
                ));
            }
            path
        })
        .collect();
    if clashes.is_empty() {
        Ok(paths)
    } else {
        Err(Error::Inputs(clashes))
    }
}

/// The Rust module (and output file) name for a spec:
/// `specs/vercel-create-integration-store.yaml` → `vercel_create_integration_store`.
/// Anything but letters, digits and `_` becomes `_` (a name that is not UTF-8 too: see
/// [`name_is_lossy`]), and a leading digit gets a `spec_` before it.
pub fn module_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match name.chars().next() {
        None => "api".to_string(),
        Some(c) if c.is_ascii_digit() => format!("spec_{name}"),
        Some(_) => name,
    }
}

/// Whether the spec's file name is not UTF-8, so its module name only approximates it.
pub fn name_is_lossy(spec: &Path) -> bool {
    spec.file_stem().is_some_and(|s| s.to_str().is_none())
}
