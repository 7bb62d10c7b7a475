//! The `apigen` command: `generate` writes Rust for specs (files into a folder, or one
//! spec as a whole crate), `check` says whether what is on disk is what `generate` would
//! write.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use apigen::build::{name_is_lossy, output_paths, spec_files, write_all};
use apigen::krate::{self, Runtime};
use apigen::{generate, Config, Error};

#[derive(Parser)]
#[command(version, about = "OpenAPI 3.0 → Rust types and an async client")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate `<out>/<spec_name>.rs` for each spec (files, or folders of .yaml/.yml/.json),
    /// or with `--crate` a crate for one spec.
    Generate {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        limits: Limits,
    },
    /// Exit non-zero when a file in `<out>` (or of the `--crate`) differs from what
    /// `generate` would write.
    Check {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        limits: Limits,
    },
}

#[derive(clap::Args)]
struct Target {
    /// Folder to write into.
    #[arg(
        long,
        short,
        required_unless_present = "crate_dir",
        conflicts_with = "crate_dir"
    )]
    out: Option<PathBuf>,
    /// Write a whole crate for the spec into this folder (Cargo.toml with one feature per
    /// tag, src/lib.rs, README.md), or refresh it: the manifest's other entries are kept.
    #[arg(long = "crate", value_name = "DIR")]
    crate_dir: Option<PathBuf>,
    /// The package name of a new crate (default: the folder's name).
    #[arg(long, requires = "crate_dir")]
    name: Option<String>,
    /// Depend on the runtime at this path (a checkout's `runtime` folder).
    #[arg(
        long,
        value_name = "DIR",
        requires = "crate_dir",
        conflicts_with = "runtime_version"
    )]
    runtime_path: Option<PathBuf>,
    /// Depend on this version of `apigen-runtime` (default: the generator's own, or the
    /// manifest's when it has one).
    #[arg(long, value_name = "VERSION", requires = "crate_dir")]
    runtime_version: Option<String>,
}

#[derive(clap::Args)]
struct Limits {
    /// Refuse specs larger than this many bytes (default 256 MiB, or APIGEN_MAX_SPEC_BYTES).
    #[arg(long)]
    max_spec_bytes: Option<u64>,
    /// Keep rustfmt's work on each piece of the output in this folder, so that the next
    /// run formats only what changed (the output is the same either way).
    #[arg(long, value_name = "DIR")]
    format_cache: Option<PathBuf>,
}

impl Limits {
    fn apply(&self, config: &mut Config) {
        if self.max_spec_bytes.is_some() {
            config.max_spec_bytes = self.max_spec_bytes;
        }
        if self.format_cache.is_some() {
            config.format_cache.clone_from(&self.format_cache);
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (specs, target, limits, write) = match cli.command {
        Command::Generate {
            specs,
            target,
            limits,
        } => (specs, target, limits, true),
        Command::Check {
            specs,
            target,
            limits,
        } => (specs, target, limits, false),
    };
    let result = match (&target.out, &target.crate_dir) {
        (Some(out), _) => run(&specs, out, &limits, write),
        (None, Some(dir)) => run_crate(&specs, dir, &target, &limits, write),
        (None, None) => unreachable!("clap requires --out or --crate"),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--crate DIR`: the crate's files for one spec, gated by tag features.
fn run_crate(
    specs: &[PathBuf],
    dir: &Path,
    target: &Target,
    limits: &Limits,
    write: bool,
) -> Result<ExitCode, Error> {
    let files = spec_files(specs)?;
    let [file] = files.as_slice() else {
        return Err(Error::Inputs(vec![format!(
            "--crate makes a crate of one spec; {} were given",
            files.len()
        )]));
    };
    let mut config = Config::for_spec(file, file)?;
    limits.apply(&mut config);
    config.features = apigen::config::Features::Tags;
    let generated = generate(file, file, &config)?;
    for w in &generated.warnings {
        eprintln!("warning: {w}");
    }
    let runtime = match (&target.runtime_path, &target.runtime_version) {
        (Some(path), _) => Some(Runtime::Path(
            std::path::absolute(path).unwrap_or(path.clone()),
        )),
        (None, Some(version)) => Some(Runtime::Version(version.clone())),
        (None, None) => None,
    };
    let options = krate::Options {
        name: target.name.clone(),
        runtime,
        spec: file.display().to_string(),
    };
    let texts = krate::files(dir, &generated, &options)?;
    let outputs: Vec<(PathBuf, &str)> =
        texts.iter().map(|(p, t)| (p.clone(), t.as_str())).collect();
    report(&outputs, write, |path| {
        let features = generated.features.len();
        match path.ends_with("lib.rs") {
            true => format!(
                "{} types, {} operations, {features} features",
                generated.type_count,
                generated.operations.len()
            ),
            false => String::new(),
        }
    })
}

/// Writes `outputs` (or, for `check`, compares them with the disk), saying what changed.
fn report(
    outputs: &[(PathBuf, &str)],
    write: bool,
    about: impl Fn(&Path) -> String,
) -> Result<ExitCode, Error> {
    if write {
        let changed = write_all(outputs)?;
        for ((path, _), changed) in outputs.iter().zip(changed) {
            let state = if changed { "wrote" } else { "unchanged" };
            let about = about(path);
            let about = if about.is_empty() {
                about
            } else {
                format!(" ({about})")
            };
            println!("{state} {}{about}", path.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut stale = 0;
    for (path, text) in outputs {
        if std::fs::read_to_string(path).ok().as_deref() != Some(*text) {
            println!("stale {}", path.display());
            stale += 1;
        }
    }
    if stale > 0 {
        eprintln!("{stale} generated file(s) are out of date: run `apigen generate` with the same arguments");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn run(specs: &[PathBuf], out: &Path, limits: &Limits, write: bool) -> Result<ExitCode, Error> {
    let files = spec_files(specs)?;
    let paths = output_paths(&files, out)?;
    // Generate everything first: one bad spec means nothing is written.
    let mut outputs = Vec::new();
    let mut problems = Vec::new();
    for (file, path) in files.iter().zip(paths) {
        if name_is_lossy(file) {
            eprintln!(
                "warning: the file name of {} is not UTF-8; its output is {}",
                file.display(),
                path.display()
            );
        }
        let mut config = Config::for_spec(file, file)?;
        limits.apply(&mut config);
        match generate(file, file, &config) {
            Ok(generated) => {
                for w in &generated.warnings {
                    eprintln!("warning: {w}");
                }
                outputs.push((path, generated));
            }
            Err(Error::Spec(diagnostics)) => problems.extend(diagnostics),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Spec(problems));
    }
    let texts: Vec<(PathBuf, &str)> = outputs
        .iter()
        .map(|(path, g)| (path.clone(), g.code.as_str()))
        .collect();
    report(&texts, write, |path| {
        let generated = outputs.iter().find(|(p, _)| p == path).map(|(_, g)| g);
        generated.map_or(String::new(), |g| format!("{} types", g.type_count))
    })
}
