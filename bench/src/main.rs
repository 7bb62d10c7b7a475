//! The benchmark driver that `bench/run.sh` calls: makes the synthetic specs, times
//! processes (median wall time and peak memory), times our own stages in process, and
//! writes the report and the cost-vs-size plot.
//!
//! Results are JSON lines (one measurement each) so that the script can add to them step
//! by step and the report is built from whatever ran.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

mod report;
mod shapes_bench;

/// One measurement: a tool (or stage) on a spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Measurement {
    /// `apigen`, `parse floor`, `progenitor`, `openapi-typescript`, `stage: emit`, …
    pub tool: String,
    /// `seed`, `github`, `synthetic 100`, …
    pub spec: String,
    /// Operations in the spec, for the cost-vs-size curve.
    pub operations: usize,
    pub runs: usize,
    pub median_s: f64,
    pub min_s: f64,
    pub max_s: f64,
    /// Peak resident memory of the process, where a process was measured.
    pub peak_mb: Option<f64>,
    /// Whether every run exited with success.
    pub ok: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("synth") if args.len() == 4 => {
            synth(Path::new(&args[1]), &args[2], Path::new(&args[3]))
        }
        Some("parse") if args.len() == 2 => parse_floor(Path::new(&args[1])),
        Some("measure") => measure_command(&args[1..]),
        Some("stages") if args.len() == 6 => stages(&args[1..]),
        Some("report") if args.len() == 4 || args.len() == 5 => report::write(
            Path::new(&args[1]),
            Path::new(&args[2]),
            Path::new(&args[3]),
            args.get(4).map(Path::new),
        ),
        Some("ops") if args.len() == 2 => read_spec(Path::new(&args[1])).map(|spec| {
            println!("{}", operation_count(&spec));
        }),
        Some("shapes") => shapes_bench::run(&args[1..]),
        Some("prune-for-progenitor") if args.len() == 3 => {
            prune_for_progenitor(Path::new(&args[1]), Path::new(&args[2]))
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("apigen-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage:
  apigen-bench synth SEED N OUT.json        the seed's operations N times, under distinct paths
  apigen-bench parse SPEC                   parse SPEC into openapiv3::OpenAPI (the floor)
  apigen-bench measure RESULTS TOOL SPEC OPS RUNS -- COMMAND...
                                            time COMMAND RUNS times, append the median
  apigen-bench stages RESULTS SPEC LABEL OPS RUNS
                                            time each stage of our pipeline in process
  apigen-bench report RESULTS OUT.md PLOT.svg [CRITERION_DIR]
  apigen-bench ops SPEC                     the number of operations in SPEC
  apigen-bench shapes OUT.md APIGEN RUNS WORKDIR
                                            the pathological shapes at x1, x10, x100
  apigen-bench prune-for-progenitor SPEC OUT.json
                                            SPEC without the operations progenitor panics on";

fn read_spec(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let is_json = path.extension().is_some_and(|e| e == "json");
    if is_json {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Writes a spec with every operation of `seed` repeated `n` times, copy `i` under
/// `/copy{i}` with `{operationId}{i}`: the same schemas, more operations.
fn synth(seed: &Path, n: &str, out: &Path) -> Result<(), String> {
    let n: usize = n
        .parse()
        .map_err(|_| format!("N must be a number, not {n:?}"))?;
    let mut spec = read_spec(seed)?;
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .ok_or("the seed has no paths")?;
    let mut copies = serde_json::Map::new();
    for i in 0..n {
        for (path, item) in &paths {
            let mut item = item.clone();
            if let Some(ops) = item.as_object_mut() {
                for op in ops.values_mut() {
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        let id = format!("{id}{i}");
                        op["operationId"] = json!(id);
                    }
                }
            }
            copies.insert(format!("/copy{i}{path}"), item);
        }
    }
    spec["paths"] = Value::Object(copies);
    let text = serde_json::to_string(&spec).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}

/// The floor: what it costs just to read the spec into `openapiv3`'s types.
fn parse_floor(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let api: openapiv3::OpenAPI = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| e.to_string())?
    } else {
        serde_yaml::from_str(&text).map_err(|e| e.to_string())?
    };
    println!("{} paths", api.paths.paths.len());
    Ok(())
}

/// `RESULTS TOOL SPEC OPS RUNS -- COMMAND...`
fn measure_command(args: &[String]) -> Result<(), String> {
    let split = args.iter().position(|a| a == "--").ok_or(USAGE)?;
    let [results, tool, spec, ops, runs] = &args[..split] else {
        return Err(USAGE.into());
    };
    let command = &args[split + 1..];
    let (program, rest) = command.split_first().ok_or(USAGE)?;
    let runs: usize = runs.parse().map_err(|_| "RUNS must be a number")?;
    let mut times = Vec::new();
    let mut peak_kb = 0i64;
    let mut ok = true;
    for _ in 0..runs.max(1) {
        let (elapsed, status_ok, rss_kb) = run_once(program, rest)?;
        times.push(elapsed);
        peak_kb = peak_kb.max(rss_kb);
        ok &= status_ok;
    }
    let m = summarise(
        tool,
        spec,
        ops.parse().unwrap_or(0),
        &times,
        Some(peak_kb as f64 / 1024.0),
        ok,
    );
    println!(
        "{:<24} {:<16} median {:>9.3} s  peak {:>7.1} MB{}",
        m.tool,
        m.spec,
        m.median_s,
        m.peak_mb.unwrap_or(0.0),
        if ok { "" } else { "  (FAILED)" }
    );
    append(Path::new(results), &m)
}

/// Runs a process to its end: wall time, success, and its peak resident set (KiB).
fn run_once(program: &str, args: &[String]) -> Result<(Duration, bool, i64), String> {
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` are valid for writes. The
    // `Child` handle is not waited on afterwards, so the pid is reaped exactly once.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    if waited != pid {
        return Err(format!("{program}: wait4 failed"));
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((elapsed, ok, usage.ru_maxrss))
}

fn summarise(
    tool: &str,
    spec: &str,
    operations: usize,
    times: &[Duration],
    peak_mb: Option<f64>,
    ok: bool,
) -> Measurement {
    let mut secs: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    secs.sort_by(f64::total_cmp);
    let median = if secs.is_empty() {
        0.0
    } else if secs.len() % 2 == 1 {
        secs[secs.len() / 2]
    } else {
        (secs[secs.len() / 2 - 1] + secs[secs.len() / 2]) / 2.0
    };
    Measurement {
        tool: tool.into(),
        spec: spec.into(),
        operations,
        runs: secs.len(),
        median_s: median,
        min_s: secs.first().copied().unwrap_or(0.0),
        max_s: secs.last().copied().unwrap_or(0.0),
        peak_mb,
        ok,
    }
}

fn append(results: &Path, m: &Measurement) -> Result<(), String> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(results)
        .map_err(|e| format!("{}: {e}", results.display()))?;
    let line = serde_json::to_string(m).map_err(|e| e.to_string())?;
    writeln!(file, "{line}").map_err(|e| e.to_string())
}

/// `RESULTS SPEC LABEL OPS RUNS`: each stage of `apigen::generate`, timed in this process
/// (median of RUNS), so the split is not blurred by process start-up.
fn stages(args: &[String]) -> Result<(), String> {
    let [results, spec_path, label, ops, runs] = args else {
        return Err(USAGE.into());
    };
    let runs: usize = runs.parse().map_err(|_| "RUNS must be a number")?;
    let path = PathBuf::from(spec_path);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{spec_path}: {e}"))?;
    let config = apigen::Config::default();
    let names = [
        "load",
        "normalise + IR",
        "layout + naming",
        "emit",
        "format",
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let spec = apigen::load::parse(&text, &path).map_err(|e| e.to_string())?;
        times[0].push(t.elapsed());
        let t = Instant::now();
        let built =
            apigen::api::build(&spec, &config).map_err(|e| format!("{} errors", e.len()))?;
        times[1].push(t.elapsed());
        let t = Instant::now();
        let mut api = built.api;
        apigen::layout::apply(&mut api.types);
        apigen::naming::assign(
            &mut api,
            &config.rename,
            config.modules == apigen::config::Modules::Flat,
        )
        .map_err(|problems| format!("{} config problems", problems.len()))?;
        times[2].push(t.elapsed());
        let t = Instant::now();
        let tokens = apigen::emit::api(&api);
        times[3].push(t.elapsed());
        let t = Instant::now();
        apigen::format::file(tokens, spec_path, None).map_err(|e| e.to_string())?;
        times[4].push(t.elapsed());
    }
    let ops = ops.parse().unwrap_or(0);
    for (name, times) in names.iter().zip(&times) {
        let m = summarise(&format!("stage: {name}"), label, ops, times, None, true);
        println!("{:<24} {:<16} median {:>9.4} s", m.tool, m.spec, m.median_s);
        append(Path::new(results), &m)?;
    }
    Ok(())
}

/// GitHub's spec without the operations progenitor 0.15 panics on (a `todo!` for a body
/// or response offered in several media types), so that it has something to time.
/// Prints how many operations were dropped.
fn prune_for_progenitor(spec: &Path, out: &Path) -> Result<(), String> {
    let mut doc = read_spec(spec)?;
    let several = |content: Option<&Value>| {
        content
            .and_then(Value::as_object)
            .is_some_and(|c| c.len() > 1)
    };
    let mut dropped = 0;
    let components = doc.clone();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            item.retain(|method, op| {
                if !METHODS.contains(&method.as_str()) {
                    return true;
                }
                let body = several(op.pointer("/requestBody/content"));
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .is_some_and(|r| r.values().any(|r| several(r.get("content"))));
                // Statuses answering with different bodies: progenitor asserts one type for
                // the success statuses and one for the error statuses.
                let bodies = |success: bool| -> std::collections::BTreeSet<String> {
                    op.get("responses")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                        .filter(|(status, _)| status.starts_with('2') == success)
                        .map(|(_, r)| {
                            let r = match r.get("$ref").and_then(Value::as_str) {
                                Some(target) => components
                                    .pointer(target.trim_start_matches('#'))
                                    .unwrap_or(r),
                                None => r,
                            };
                            r.get("content").map(Value::to_string).unwrap_or_default()
                        })
                        .collect()
                };
                let (success_bodies, error_bodies) = (bodies(true), bodies(false));
                let keep = !body
                    && !responses
                    && success_bodies.len() <= 1
                    && error_bodies.len() <= 1
                    && !has_colliding_enum(op);
                dropped += usize::from(!keep);
                keep
            });
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_some_and(|o| o.keys().any(|k| METHODS.contains(&k.as_str())))
        });
    }
    eprintln!("pruned {dropped} operations for progenitor");
    let text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}

/// Whether a string `enum` inside `value` has two values that differ only in punctuation
/// or case (`reactions-+1`, `reactions--1`): typify panics making variant names for them.
fn has_colliding_enum(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            let collides = map
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| {
                    let mut seen = std::collections::BTreeSet::new();
                    values.iter().filter_map(Value::as_str).any(|v| {
                        let key: String = v
                            .chars()
                            .filter(char::is_ascii_alphanumeric)
                            .map(|c| c.to_ascii_lowercase())
                            .collect();
                        !seen.insert(key)
                    })
                });
            collides || map.values().any(has_colliding_enum)
        }
        Value::Array(items) => items.iter().any(has_colliding_enum),
        _ => false,
    }
}

/// Operations (path item entries that are HTTP methods) in a spec.
fn operation_count(spec: &Value) -> usize {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(_, item)| item.as_object())
        .map(|item| {
            item.keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .count()
        })
        .sum()
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
