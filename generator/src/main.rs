//! The `apigen` command: `generate` writes Rust for specs, `check` says whether what is
//! on disk is what `generate` would write.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use apigen::build::{name_is_lossy, output_paths, spec_files, write_all};
use apigen::{generate, Config, Error};

#[derive(Parser)]
#[command(version, about = "OpenAPI 3.0 → Rust types and an async client")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate `<out>/<spec_name>.rs` for each spec (files, or folders of .yaml/.yml/.json).
    Generate {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        /// Folder to write into.
        #[arg(long, short)]
        out: PathBuf,
        #[command(flatten)]
        limits: Limits,
    },
    /// Exit non-zero when a file in `<out>` differs from what `generate` would write.
    Check {
        #[arg(required = true)]
        specs: Vec<PathBuf>,
        #[arg(long, short)]
        out: PathBuf,
        #[command(flatten)]
        limits: Limits,
    },
}

#[derive(clap::Args)]
struct Limits {
    /// Refuse specs larger than this many bytes (default 256 MiB, or APIGEN_MAX_SPEC_BYTES).
    #[arg(long)]
    max_spec_bytes: Option<u64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (specs, out, limits, write) = match cli.command {
        Command::Generate { specs, out, limits } => (specs, out, limits, true),
        Command::Check { specs, out, limits } => (specs, out, limits, false),
    };
    match run(&specs, &out, &limits, write) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
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
        if limits.max_spec_bytes.is_some() {
            config.max_spec_bytes = limits.max_spec_bytes;
        }
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
    if write {
        let texts: Vec<(PathBuf, &str)> = outputs
            .iter()
            .map(|(path, g)| (path.clone(), g.code.as_str()))
            .collect();
        let changed = write_all(&texts)?;
        for ((path, generated), changed) in outputs.iter().zip(changed) {
            let state = if changed { "wrote" } else { "unchanged" };
            println!(
                "{state} {} ({} types)",
                path.display(),
                generated.type_count
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut stale = 0;
    for (path, generated) in &outputs {
        if std::fs::read_to_string(path).ok().as_deref() != Some(generated.code.as_str()) {
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
