//! Text and JSON rendering of plans, reports and history.

use std::fmt::Write as _;

use anyhow::Result;
use schemasync::{Intent, Location, Script, TargetReport, TargetStatus, Version, VersionSummary};

pub fn skipped(list: &[String]) {
    for item in list {
        eprintln!("note: skipped {item}");
    }
}

/// Statements each followed by `;`, hazards as SQL comments before the
/// statement they belong to, so the output is still a runnable script.
pub fn script_with_hazards(script: &Script) -> String {
    let mut out = String::new();
    for statement in &script.statements {
        for hazard in &statement.hazards {
            let _ = writeln!(out, "-- hazard {}: {}", hazard.kind, hazard.message.replace('\n', " "));
        }
        if !statement.transactional {
            out.push_str("-- runs outside the transaction\n");
        }
        let _ = writeln!(out, "{};", statement.sql);
    }
    out
}

pub fn status_line(report: &TargetReport) -> String {
    let mut line = format!("{}: {}", report.target, report.status);
    match (report.status, report.version) {
        (TargetStatus::Applied, Some(v)) => {
            let _ = write!(line, " ({} statement(s), version {v})", report.statements.len());
        }
        (TargetStatus::Planned, _) => {
            let _ = write!(line, " ({} statement(s), dry run)", report.statements.len());
        }
        _ => {}
    }
    if let Some(b) = report.baseline_version {
        let _ = write!(line, " [recorded prior state as version {b}]");
    }
    if let Some(error) = &report.error {
        let _ = write!(line, ": {}", error.replace('\n', " "));
    }
    for warning in &report.warnings {
        let _ = write!(line, "\n  warning: {warning}");
    }
    line
}

pub fn version_list(target: &Location, versions: &[VersionSummary], pending: &[Intent]) -> String {
    let mut out = String::new();
    if versions.is_empty() && pending.is_empty() {
        let _ = writeln!(out, "no versions recorded for {target}");
        return out;
    }
    let _ = writeln!(
        out,
        "{:>7}  {:<9} {:<20}  {:<12}  {:>10}  message",
        "version", "kind", "created", "hash", "statements"
    );
    for v in versions {
        let kind = serde_json::to_value(v.kind).ok().and_then(|k| k.as_str().map(str::to_owned)).unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>7}  {:<9} {:<20}  {:<12}  {:>10}  {}",
            v.number,
            kind,
            v.created_at,
            v.hash.get(..12).unwrap_or(&v.hash),
            v.statements,
            v.message
        );
    }
    // Begun and never completed: the run ended (or could not record) before
    // the state it reached was known; the next sync records it.
    for intent in pending {
        let _ = writeln!(
            out,
            "{:>7}  {:<9} {:<20}  {:<12}  {:>10}  {} (incomplete: the next sync records the state reached)",
            "-",
            "pending",
            intent.created_at,
            intent.to_hash.get(..12).unwrap_or(&intent.to_hash),
            schemasync::count_statements(&intent.script),
            intent.message
        );
    }
    out
}

/// Incomplete applies, as notes on stderr (for output formats that hold versions only).
pub fn pending_notes(target: &Location, pending: &[Intent]) {
    for intent in pending {
        eprintln!(
            "note: {target}: apply intent {} ({}, begun {}) is pending: never completed; the next sync records the state reached",
            intent.id, intent.message, intent.created_at
        );
    }
}

pub fn version_sql(version: &Version) -> Result<String> {
    let mut out = String::new();
    let _ = writeln!(out, "-- version {} of {} ({})", version.number, version.database, version.created_at);
    let _ = writeln!(out, "-- hash {}", version.hash);
    if !version.message.is_empty() {
        let _ = writeln!(out, "-- {}", version.message.replace('\n', " "));
    }
    out.push_str(&schemasync::emit_schema(&version.schema)?.to_sql());
    Ok(out)
}
