//! The report: Markdown tables from the measurements, and the cost-vs-size plot.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use plotters::prelude::*;

use crate::Measurement;

const GENERATORS: [&str; 5] = [
    "apigen",
    "parse floor",
    "ploidy",
    "progenitor",
    "openapi-typescript",
];
const STAGES: [&str; 5] = [
    "load",
    "normalise + IR",
    "layout + naming",
    "emit",
    "format",
];

pub fn write(
    results: &Path,
    markdown: &Path,
    plot: &Path,
    criterion: Option<&Path>,
) -> Result<(), String> {
    let text =
        std::fs::read_to_string(results).map_err(|e| format!("{}: {e}", results.display()))?;
    let mut all: Vec<Measurement> = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        all.push(
            serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", results.display(), i + 1))?,
        );
    }
    // The last measurement of a tool on a spec wins (a rerun replaces the earlier one).
    let mut latest: BTreeMap<(String, String), Measurement> = BTreeMap::new();
    for m in all {
        latest.insert((m.tool.clone(), m.spec.clone()), m);
    }
    let find = |tool: &str, spec: &str| latest.get(&(tool.to_string(), spec.to_string()));
    let mut specs: Vec<(usize, String)> = latest
        .values()
        .filter(|m| GENERATORS.contains(&m.tool.as_str()))
        .map(|m| (spec_rank(&m.spec, m.operations), m.spec.clone()))
        .collect();
    specs.sort();
    specs.dedup();

    let mut md = String::new();
    md.push_str("### Generation: median wall time (peak memory)\n\n");
    md.push_str("| spec | operations | apigen | parse floor | apigen ÷ floor | ploidy | apigen ÷ ploidy | progenitor | apigen ÷ progenitor | openapi-typescript | apigen ÷ openapi-typescript |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (_, spec) in &specs {
        let ours = find("apigen", spec);
        let cell = |tool: &str| match find(tool, spec) {
            Some(m) if m.ok => format!(
                "{} ({})",
                seconds(m.median_s),
                m.peak_mb.map(|p| format!("{p:.0} MB")).unwrap_or_default()
            ),
            Some(_) => "fails".into(),
            None => "–".into(),
        };
        let ratio = |tool: &str| match (ours, find(tool, spec)) {
            (Some(a), Some(b)) if a.ok && b.ok && b.median_s > 0.0 => {
                format!("{:.2}×", a.median_s / b.median_s)
            }
            _ => "–".into(),
        };
        let ops = ours
            .or(find("parse floor", spec))
            .map(|m| m.operations)
            .unwrap_or(0);
        writeln!(
            md,
            "| {spec} | {ops} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell("apigen"),
            cell("parse floor"),
            ratio("parse floor"),
            cell("ploidy"),
            ratio("ploidy"),
            cell("progenitor"),
            ratio("progenitor"),
            cell("openapi-typescript"),
            ratio("openapi-typescript"),
        )
        .unwrap();
    }

    md.push_str("\n### apigen's own stages (in process, median)\n\n| spec | ");
    md.push_str(&STAGES.join(" | "));
    md.push_str(" | sum |\n|---|");
    md.push_str(&"---:|".repeat(STAGES.len() + 1));
    md.push('\n');
    for (_, spec) in &specs {
        let times: Vec<Option<f64>> = STAGES
            .iter()
            .map(|s| find(&format!("stage: {s}"), spec).map(|m| m.median_s))
            .collect();
        if times.iter().all(Option::is_none) {
            continue;
        }
        let sum: f64 = times.iter().flatten().sum();
        let cells: Vec<String> = times
            .iter()
            .map(|t| t.map(seconds).unwrap_or_else(|| "–".into()))
            .collect();
        writeln!(md, "| {spec} | {} | {} |", cells.join(" | "), seconds(sum)).unwrap();
    }

    let others: Vec<&Measurement> = latest
        .values()
        .filter(|m| !GENERATORS.contains(&m.tool.as_str()) && !m.tool.starts_with("stage: "))
        .collect();
    if !others.is_empty() {
        md.push_str("\n### Build and compile cost (median wall time, peak memory)\n\n| measurement | spec | runs | median | min – max | peak memory |\n|---|---|---:|---:|---:|---:|\n");
        for m in others {
            writeln!(
                md,
                "| {} | {} | {} | {}{} | {} – {} | {} |",
                m.tool,
                m.spec,
                m.runs,
                seconds(m.median_s),
                if m.ok { "" } else { " (failed)" },
                seconds(m.min_s),
                seconds(m.max_s),
                m.peak_mb
                    .map(|p| format!("{p:.0} MB"))
                    .unwrap_or_else(|| "–".into())
            )
            .unwrap();
        }
    }
    if let Some(dir) = criterion {
        md.push_str(&criterion_table(dir)?);
    }
    std::fs::write(markdown, &md).map_err(|e| format!("{}: {e}", markdown.display()))?;
    print!("{md}");
    draw(&latest, plot)
}

/// Seed first, then synthetic specs by size, then the rest by name.
fn spec_rank(spec: &str, operations: usize) -> usize {
    if spec == "seed" {
        0
    } else if spec.starts_with("synthetic") {
        1 + operations
    } else {
        usize::MAX / 2
    }
}

fn seconds(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

/// Median generation time against operations on the synthetic specs, log-log, one line
/// per tool.
fn draw(latest: &BTreeMap<(String, String), Measurement>, plot: &Path) -> Result<(), String> {
    let series: Vec<(&str, Vec<(f64, f64)>)> = GENERATORS
        .iter()
        .map(|tool| {
            let mut points: Vec<(f64, f64)> = latest
                .values()
                .filter(|m| m.tool == *tool && m.spec.starts_with("synthetic") && m.ok)
                .map(|m| (m.operations as f64, m.median_s))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            (*tool, points)
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if series.is_empty() {
        return Ok(());
    }
    let max_x = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|q| q.0))
        .fold(1.0, f64::max);
    let ys = series.iter().flat_map(|(_, p)| p.iter().map(|q| q.1));
    let (min_y, max_y) = ys.fold((f64::MAX, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let root = SVGBackend::new(plot, (760, 480)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| format!("plot: {e}");
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Generation time vs spec size (synthetic: the seed operation ×N)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(
            (0.8f64..max_x * 1.25).log_scale(),
            ((min_y / 1.5).max(1e-4)..max_y * 1.5).log_scale(),
        )
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("operations")
        .y_desc("median seconds")
        .draw()
        .map_err(|e| err(&e))?;
    let colours = [BLUE, BLACK, RED, GREEN];
    for (i, (tool, points)) in series.iter().enumerate() {
        let colour = colours[i % colours.len()];
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                colour.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(*tool)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
            });
        chart
            .draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))
            .map_err(|e| err(&e))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))
}

/// One criterion benchmark's median, read from its `new/` folder.
struct Estimate {
    group: String,
    function: String,
    median_s: f64,
    bytes: Option<u64>,
}

/// Criterion's medians (and MB/s where a throughput is set), with each benchmark's speed
/// against `serde_json::Value` in the same group.
fn criterion_table(dir: &Path) -> Result<String, String> {
    let mut estimates = Vec::new();
    collect_estimates(dir, &mut estimates);
    if estimates.is_empty() {
        return Ok(String::new());
    }
    estimates.sort_by(|a, b| (&a.group, &a.function).cmp(&(&b.group, &b.function)));
    let mut md = String::from(
        "\n### In process (criterion, median)\n\n| group | benchmark | median | MB/s | speed ÷ `serde_json::Value` |\n|---|---|---:|---:|---:|\n",
    );
    for e in &estimates {
        let value = estimates
            .iter()
            .find(|v| v.group == e.group && v.function == "serde_json::Value");
        writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            e.group,
            e.function,
            seconds(e.median_s),
            e.bytes
                .map(|b| format!("{:.0}", b as f64 / 1e6 / e.median_s))
                .unwrap_or_else(|| "–".into()),
            value
                .map(|v| format!("{:.2}×", v.median_s / e.median_s))
                .unwrap_or_else(|| "–".into()),
        )
        .unwrap();
    }
    Ok(md)
}

fn collect_estimates(dir: &Path, out: &mut Vec<Estimate>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.ends_with("new") {
            let read = |name: &str| -> Option<serde_json::Value> {
                serde_json::from_str(&std::fs::read_to_string(path.join(name)).ok()?).ok()
            };
            if let (Some(bench), Some(est)) = (read("benchmark.json"), read("estimates.json")) {
                let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
                let function = match bench["value_str"].as_str() {
                    Some(v) => v.to_string(),
                    None => text(&bench["function_id"]),
                };
                out.push(Estimate {
                    group: text(&bench["group_id"]),
                    function,
                    median_s: est["median"]["point_estimate"].as_f64().unwrap_or(0.0) / 1e9,
                    bytes: bench["throughput"]["Bytes"].as_u64(),
                });
            }
        } else if path.is_dir() && !path.ends_with("base") && !path.ends_with("report") {
            collect_estimates(&path, out);
        }
    }
}
