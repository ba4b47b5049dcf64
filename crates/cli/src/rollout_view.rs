//! What a rollout shows: the plans once per distinct plan, each target's
//! status as it finishes (under a progress bar on a terminal, plain lines
//! otherwise, or JSON lines), and a one-line summary.

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use schemasync::{RolloutEvent, Script, TargetPlan, TargetReport, TargetStatus};

use crate::args::ReportFormat;
use crate::render;

/// At most this many target names are listed for one shared plan.
const NAMES_SHOWN: usize = 10;

/// The plans of `plans` (target `i` shown as `names[i]`), each distinct plan
/// once with the targets that share it.
pub fn plans_text(plans: &[TargetPlan], names: &[String]) -> String {
    let mut groups: Vec<(Arc<Script>, bool, Vec<usize>)> = Vec::new();
    let mut up_to_date = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        if plan.script.is_empty() && plan.exists {
            up_to_date.push(i);
            continue;
        }
        let found = groups.iter_mut().find(|(script, exists, _)| {
            *exists == plan.exists && (Arc::ptr_eq(script, &plan.script) || **script == *plan.script)
        });
        match found {
            Some((_, _, members)) => members.push(i),
            None => groups.push((Arc::clone(&plan.script), plan.exists, vec![i])),
        }
    }
    let mut out = String::new();
    for (script, exists, members) in &groups {
        let created = if *exists { "" } else { " (new database)" };
        let count = script.statements.len();
        if let [only] = members.as_slice() {
            let _ = writeln!(out, "-- {}{created}: {count} statement(s)", names[*only]);
        } else {
            let _ = writeln!(
                out,
                "-- same plan for {} targets{created}: {}: {count} statement(s)",
                members.len(),
                listed(members, names)
            );
        }
        out.push_str(&render::script_with_hazards(script));
        out.push('\n');
    }
    match up_to_date.as_slice() {
        [] => {}
        [only] => {
            let _ = writeln!(out, "-- {}: up to date", names[*only]);
        }
        many => {
            let _ = writeln!(out, "-- up to date ({} targets): {}", many.len(), listed(many, names));
        }
    }
    out
}

fn listed(members: &[usize], names: &[String]) -> String {
    let mut shown: Vec<&str> = members.iter().take(NAMES_SHOWN).map(|&i| names[i].as_str()).collect();
    let more = members.len().saturating_sub(NAMES_SHOWN);
    let tail = format!("and {more} more");
    if more > 0 {
        shown.push(&tail);
    }
    shown.join(", ")
}

/// Shows one rollout as it runs.
pub struct View {
    format: ReportFormat,
    names: Vec<String>,
    /// How the library names each target (its location without credentials).
    locations: Vec<String>,
    bar: Option<ProgressBar>,
    started: Instant,
    dry_run: bool,
    /// Lines from several workers never interleave.
    out: Mutex<()>,
}

impl View {
    /// A view of a rollout of `names.len()` targets.
    pub fn new(format: ReportFormat, names: Vec<String>, locations: Vec<String>, dry_run: bool) -> View {
        let terminal = std::io::stderr().is_terminal();
        let bar = (format == ReportFormat::Text && terminal && !dry_run && names.len() > 1).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(u64::try_from(names.len()).unwrap_or(u64::MAX)),
                ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} targets {elapsed} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        View { format, names, locations, bar, started: Instant::now(), dry_run, out: Mutex::new(()) }
    }

    /// Target `index` as shown. The library names targets by location; a
    /// skipped target's reason names another target, shown the same way.
    fn named(&self, index: usize, report: &TargetReport) -> TargetReport {
        let mut report = report.clone();
        if report.status == TargetStatus::Skipped
            && let Some(error) = &mut report.error
        {
            for (location, name) in self.locations.iter().zip(&self.names) {
                if location != name && error.contains(location.as_str()) {
                    *error = error.replace(location.as_str(), name);
                }
            }
        }
        if let Some(name) = self.names.get(index) {
            report.target.clone_from(name);
        }
        report
    }

    /// What the library calls as targets start and finish.
    pub fn observe(&self, event: RolloutEvent<'_>) {
        let _lock = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        match event {
            RolloutEvent::Started { index, .. } => {
                if let (Some(bar), Some(name)) = (&self.bar, self.names.get(index)) {
                    bar.set_message(format!("applying {name}"));
                }
            }
            RolloutEvent::Finished { index, report } => {
                let report = self.named(index, report);
                match self.format {
                    ReportFormat::Text => {
                        let line = render::status_line(&report);
                        match &self.bar {
                            Some(bar) => {
                                bar.suspend(|| println!("{line}"));
                                bar.inc(1);
                            }
                            None => println!("{line}"),
                        }
                    }
                    ReportFormat::Jsonl => {
                        if let Ok(line) = serde_json::to_string(&report) {
                            println!("{line}");
                        }
                    }
                    ReportFormat::Json => {}
                }
            }
            _ => {}
        }
    }

    /// The end of the rollout: the summary (text, JSON lines) or the whole
    /// document (JSON).
    pub fn finish(&self, reports: &[TargetReport]) -> Result<()> {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let summary = Summary::of(reports, self.started.elapsed().as_millis());
        match self.format {
            ReportFormat::Text => println!("{}", summary.line(self.dry_run)),
            ReportFormat::Jsonl => println!("{}", serde_json::json!({ "summary": summary })),
            ReportFormat::Json => {
                let named: Vec<TargetReport> = reports.iter().enumerate().map(|(i, r)| self.named(i, r)).collect();
                let doc = serde_json::json!({ "dry_run": self.dry_run, "targets": named, "summary": summary });
                println!("{}", serde_json::to_string_pretty(&doc)?);
            }
        }
        Ok(())
    }

    /// Print every report at once (a dry run, a refused rollout).
    pub fn report_all(&self, reports: &[TargetReport]) -> Result<()> {
        for (index, report) in reports.iter().enumerate() {
            self.observe(RolloutEvent::Finished { index, report });
        }
        self.finish(reports)
    }
}

#[derive(Debug, Default, serde::Serialize)]
struct Summary {
    targets: usize,
    planned: usize,
    applied: usize,
    unchanged: usize,
    refused: usize,
    failed: usize,
    skipped: usize,
    elapsed_ms: u128,
}

impl Summary {
    fn of(reports: &[TargetReport], elapsed_ms: u128) -> Summary {
        let mut s = Summary { targets: reports.len(), elapsed_ms, ..Summary::default() };
        for report in reports {
            match report.status {
                TargetStatus::Planned => s.planned += 1,
                TargetStatus::Applied => s.applied += 1,
                TargetStatus::Unchanged => s.unchanged += 1,
                TargetStatus::Refused => s.refused += 1,
                TargetStatus::Failed => s.failed += 1,
                TargetStatus::Skipped => s.skipped += 1,
            }
        }
        s
    }

    /// Without the time, so that the same run prints the same text (the
    /// JSON reports carry the timings).
    fn line(&self, dry_run: bool) -> String {
        if dry_run {
            return format!(
                "summary: {} target(s): {} planned, {} unchanged (dry run)",
                self.targets, self.planned, self.unchanged
            );
        }
        format!(
            "summary: {} target(s): {} applied, {} unchanged, {} refused, {} failed, {} skipped",
            self.targets, self.applied, self.unchanged, self.refused, self.failed, self.skipped
        )
    }
}
