//! Rolling plans out to many targets: a bounded number at a time, canaries
//! first, and no new target started after one failed unless asked to keep
//! going. Each worker holds one target's connection; reports come back in
//! the order the targets were given, whatever order they finished in.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::report::{Refusal, TargetReport, TargetStatus};

/// How plans are rolled out over many targets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rollout {
    /// Targets worked on at the same time (at least 1).
    pub parallel: usize,
    /// Keep starting targets after one failed (canaries still stop the
    /// rollout when one fails).
    pub keep_going: bool,
    /// Apply this many targets first (in the order given); if any of them
    /// fails, the others are not started.
    pub canary: usize,
}

impl Default for Rollout {
    fn default() -> Self {
        Rollout { parallel: 1, keep_going: false, canary: 0 }
    }
}

impl Rollout {
    /// Builder: targets worked on at the same time (0 counts as 1).
    #[must_use]
    pub fn parallel(mut self, parallel: usize) -> Self {
        self.parallel = parallel.max(1);
        self
    }

    /// Builder: keep starting targets after a failure.
    #[must_use]
    pub fn keep_going(mut self, keep_going: bool) -> Self {
        self.keep_going = keep_going;
        self
    }

    /// Builder: canary targets applied first.
    #[must_use]
    pub fn canary(mut self, canary: usize) -> Self {
        self.canary = canary;
        self
    }
}

/// What an observer of a rollout hears, from the worker threads (so it
/// must be `Sync`), as it happens.
#[derive(Debug)]
#[non_exhaustive]
pub enum RolloutEvent<'a> {
    /// Work on the target at `index` (in the order given) began.
    Started {
        /// Position of the target.
        index: usize,
        /// The target, without credentials.
        target: &'a str,
    },
    /// The target at `index` is done: applied, unchanged, refused, failed,
    /// or skipped because the rollout stopped.
    Finished {
        /// Position of the target.
        index: usize,
        /// Its report.
        report: &'a TargetReport,
    },
}

/// Whether a target's outcome stops the rollout: it failed (or would have:
/// its rows refuse the plan), or the history could not be written (which no
/// other target would escape either). A drift refusal concerns that target
/// alone.
fn stops_rollout(report: &TargetReport) -> bool {
    report.status == TargetStatus::Failed || matches!(report.refusal, Some(Refusal::History | Refusal::FailsOnRows))
}

/// The jobs of one rollout and what is done with each.
pub(super) struct Jobs<'a, J> {
    pub(super) jobs: &'a [J],
    /// The target of a job, for events and messages.
    pub(super) label: &'a (dyn Fn(&J) -> String + Sync),
    /// Work on one job; never fails (failures are in the report).
    pub(super) work: &'a (dyn Fn(&J) -> TargetReport + Sync),
    /// The report of a job never started, with the reason.
    pub(super) skipped: &'a (dyn Fn(&J, String) -> TargetReport + Sync),
}

impl<J: Sync> Jobs<'_, J> {
    pub(super) fn run(&self, rollout: &Rollout, observer: &(dyn Fn(RolloutEvent<'_>) + Sync)) -> Vec<TargetReport> {
        let slots: Vec<Mutex<Option<TargetReport>>> = self.jobs.iter().map(|_| Mutex::new(None)).collect();
        let canaries = rollout.canary.min(self.jobs.len());
        let mut stopped = self.phase(0..canaries, rollout.parallel, false, &slots, observer);
        if stopped.is_some() && canaries > 0 {
            stopped = stopped.map(|target| format!("not attempted: canary {target} failed"));
        } else if stopped.is_none() {
            stopped = self
                .phase(canaries..self.jobs.len(), rollout.parallel, rollout.keep_going, &slots, observer)
                .map(|target| format!("not attempted: the rollout stopped after {target} failed"));
        }
        let why = stopped.unwrap_or_else(|| "not attempted".to_owned());
        slots
            .into_iter()
            .zip(self.jobs)
            .enumerate()
            .map(|(index, (slot, job))| {
                slot.into_inner().unwrap_or_else(PoisonError::into_inner).unwrap_or_else(|| {
                    let report = (self.skipped)(job, why.clone());
                    observer(RolloutEvent::Finished { index, report: &report });
                    report
                })
            })
            .collect()
    }

    /// Run the jobs of `range`, `parallel` at a time. Returns the target
    /// whose failure stopped it (and nothing new was started after), if any.
    fn phase(
        &self,
        range: std::ops::Range<usize>,
        parallel: usize,
        keep_going: bool,
        slots: &[Mutex<Option<TargetReport>>],
        observer: &(dyn Fn(RolloutEvent<'_>) + Sync),
    ) -> Option<String> {
        let next = AtomicUsize::new(range.start);
        let halted = AtomicBool::new(false);
        let first_failure: Mutex<Option<(usize, String)>> = Mutex::new(None);
        let worker = || {
            while !halted.load(Ordering::SeqCst) {
                let index = next.fetch_add(1, Ordering::SeqCst);
                if index >= range.end {
                    break;
                }
                let Some(job) = self.jobs.get(index) else { break };
                let target = (self.label)(job);
                observer(RolloutEvent::Started { index, target: &target });
                let report = (self.work)(job);
                observer(RolloutEvent::Finished { index, report: &report });
                if stops_rollout(&report) {
                    let mut first = first_failure.lock().unwrap_or_else(PoisonError::into_inner);
                    if first.as_ref().is_none_or(|(i, _)| index < *i) {
                        *first = Some((index, target));
                    }
                    if !keep_going {
                        halted.store(true, Ordering::SeqCst);
                    }
                }
                *slots[index].lock().unwrap_or_else(PoisonError::into_inner) = Some(report);
            }
        };
        let workers = parallel.clamp(1, range.len().max(1));
        if workers == 1 {
            worker();
        } else {
            std::thread::scope(|scope| {
                for _ in 0..workers {
                    scope.spawn(worker);
                }
            });
        }
        let failure = first_failure.into_inner().unwrap_or_else(PoisonError::into_inner);
        // With keep_going every target was attempted: nothing to report as stopped.
        if keep_going { None } else { failure.map(|(_, target)| target) }
    }
}
