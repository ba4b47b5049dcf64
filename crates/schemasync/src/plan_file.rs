//! Reviewed plans as files: what `schemasync plan -o PLAN.json` writes and
//! `schemasync apply PLAN.json` applies exactly.
//!
//! A plan file holds the wanted schema once, each distinct plan once (with
//! the hash of the schema it starts from and of its script), and per
//! target the plan it gets. Applying re-reads each target: one whose schema
//! is no longer the one planned from is refused and left as it is
//! ([`Refusal::Drift`](crate::Refusal::Drift)); one that already reached the
//! wanted schema (another run applied it) is unchanged.
//!
//! A plan file is user input: it is checked whole when read (format, the
//! wanted schema validated like a snapshot, every plan leading to it, every
//! script matching its hash) before any target is touched. Targets are
//! written as the caller names them, which should hold no password
//! ([`PlanFile::target_spec`] removes one): applying needs the credentials
//! again, from the environment or a config file.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use schemasync_diff::{DiffOptions, Plan};
use schemasync_model::{Schema, Script};

use crate::{EngineOptions, Error, Location, TargetPlan};

/// The format written in every plan file.
pub const PLAN_FORMAT: &str = "schemasync-plan/1";

/// A reviewed plan for many targets. See the [module docs](self).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PlanFile {
    /// Always [`PLAN_FORMAT`].
    pub format: String,
    /// The source the plan was made from, for messages.
    pub source: String,
    /// When the plan was made (RFC 3339, UTC).
    pub created_at: String,
    /// Differ options the plans were made with (column renames included):
    /// the re-diff after applying uses them too.
    #[serde(default)]
    pub diff: DiffOptions,
    /// What was read of each database when planning: applying reads the
    /// same, so that the drift check compares like with like.
    #[serde(default)]
    pub scope: ReadScope,
    /// The wanted schema.
    pub wanted: Schema,
    /// Each distinct plan once.
    pub plans: Vec<FilePlan>,
    /// The targets, in the order given.
    pub targets: Vec<FileTarget>,
}

/// The part of [`EngineOptions`] that decides what is read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReadScope {
    /// [`EngineOptions::include_schemas`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include_schemas: Vec<String>,
    /// [`EngineOptions::exclude_schemas`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_schemas: Vec<String>,
    /// [`EngineOptions::privileges`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub privileges: bool,
}

impl ReadScope {
    /// The scope `engine` reads.
    pub fn of(engine: &EngineOptions) -> Self {
        ReadScope {
            include_schemas: engine.include_schemas.clone(),
            exclude_schemas: engine.exclude_schemas.clone(),
            privileges: engine.privileges,
        }
    }

    /// `engine` reading this scope (its timeouts and budgets kept).
    pub fn apply_to(&self, engine: &EngineOptions) -> EngineOptions {
        let mut engine = engine.clone();
        engine.include_schemas.clone_from(&self.include_schemas);
        engine.exclude_schemas.clone_from(&self.exclude_schemas);
        engine.privileges = self.privileges;
        engine
    }
}

/// One distinct plan of a [`PlanFile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FilePlan {
    /// The typed changes, with the hash they start from and lead to.
    pub plan: Plan,
    /// The SQL, as reviewed.
    pub script: Script,
    /// SHA-256 of the script's SQL, so an edited file is refused.
    pub script_hash: String,
}

/// One target of a [`PlanFile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FileTarget {
    /// How the target was named (a URL without its password, a path, or a
    /// name from a config file).
    pub target: String,
    /// Its history key when planned: a target whose name leads to another
    /// database when applying is refused.
    pub key: String,
    /// Whether the database existed when planned.
    pub exists: bool,
    /// Index into [`PlanFile::plans`].
    pub plan: usize,
    /// Recorded as a rollback rather than a sync.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rollback: bool,
}

impl PlanFile {
    /// A plan file for `plans` (all made from `wanted` by one
    /// [`Syncer::plan_all`](crate::Syncer::plan_all) reading `scope`),
    /// naming target `i` as `specs[i]`.
    pub fn new(
        source: &str,
        wanted: &Schema,
        plans: &[TargetPlan],
        specs: &[String],
        diff: &DiffOptions,
        scope: ReadScope,
    ) -> Result<PlanFile, Error> {
        if specs.len() != plans.len() {
            return Err(Error::PlanFile {
                place: source.to_owned(),
                reason: format!("{} target names for {} plans", specs.len(), plans.len()),
            });
        }
        let mut distinct: Vec<(Arc<Script>, FilePlan)> = Vec::new();
        let mut targets = Vec::with_capacity(plans.len());
        for (plan, spec) in plans.iter().zip(specs) {
            // Plans shared between targets are one Arc; equal ones made
            // separately are compared by content.
            let found = distinct.iter().position(|(script, file)| {
                Arc::ptr_eq(script, &plan.script) || (file.plan == *plan.plan && file.script == *plan.script)
            });
            let index = found.unwrap_or_else(|| {
                distinct.push((
                    Arc::clone(&plan.script),
                    FilePlan {
                        plan: (*plan.plan).clone(),
                        script: (*plan.script).clone(),
                        script_hash: script_hash(&plan.script),
                    },
                ));
                distinct.len() - 1
            });
            targets.push(FileTarget {
                target: spec.clone(),
                key: plan.key.clone(),
                exists: plan.exists,
                plan: index,
                rollback: plan.rollback,
            });
        }
        Ok(PlanFile {
            format: PLAN_FORMAT.to_owned(),
            source: source.to_owned(),
            created_at: schemasync_history::now_rfc3339(),
            diff: diff.clone(),
            scope,
            wanted: wanted.clone(),
            plans: distinct.into_iter().map(|(_, file)| file).collect(),
            targets,
        })
    }

    /// How to name `input` (a target as the user gave it) in a plan file:
    /// the same, without a password.
    pub fn target_spec(input: &str) -> String {
        crate::location::redact_password(input)
    }

    /// The file's JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain data into a string cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Read and check a plan file's JSON; `place` names it in errors.
    pub fn from_json(json: &str, place: &str) -> Result<PlanFile, Error> {
        let file: PlanFile = serde_json::from_str(json)
            .map_err(|e| Error::PlanFile { place: place.to_owned(), reason: e.to_string() })?;
        file.check(place)?;
        Ok(file)
    }

    /// Everything that must hold before any target is touched.
    fn check(&self, place: &str) -> Result<(), Error> {
        let bad = |reason: String| Error::PlanFile { place: place.to_owned(), reason };
        if self.format != PLAN_FORMAT {
            return Err(bad(format!("format {:?}: this version reads {PLAN_FORMAT:?}", self.format)));
        }
        // The wanted schema is user input like a snapshot.
        schemasync_sql::validate_schema(&self.wanted)
            .map_err(|source| Error::Invalid { place: format!("{place}: wanted"), source })?;
        let wanted_hash = self.wanted.content_hash();
        for (i, file) in self.plans.iter().enumerate() {
            if file.plan.to_hash != wanted_hash {
                return Err(bad(format!("plan {i} does not lead to the file's wanted schema")));
            }
            if file.plan.dialect != self.wanted.dialect || file.script.dialect != self.wanted.dialect {
                return Err(bad(format!("plan {i} is not for the wanted schema's dialect ({})", self.wanted.dialect)));
            }
            if file.script_hash != script_hash(&file.script) {
                return Err(bad(format!("the script of plan {i} was changed after the plan was written")));
            }
        }
        for (i, target) in self.targets.iter().enumerate() {
            if target.plan >= self.plans.len() {
                return Err(bad(format!(
                    "target {i} ({}) names plan {}, which is not in the file",
                    target.target, target.plan
                )));
            }
        }
        Ok(())
    }

    /// The file's targets as plans, for `locations[i]` (what target `i`'s
    /// name resolves to now). Their current schema is not known until each
    /// is read again when applying (and a location that no longer leads to
    /// the database planned is refused then).
    pub fn target_plans(&self, locations: &[Location]) -> Result<Vec<TargetPlan>, Error> {
        if locations.len() != self.targets.len() {
            return Err(Error::PlanFile {
                place: self.source.clone(),
                reason: format!("{} locations for {} targets", locations.len(), self.targets.len()),
            });
        }
        let wanted = Arc::new(self.wanted.clone());
        let shared: Vec<(Arc<Plan>, Arc<Script>)> =
            self.plans.iter().map(|f| (Arc::new(f.plan.clone()), Arc::new(f.script.clone()))).collect();
        let unknown = Arc::new(Schema::new(self.wanted.dialect));
        self.targets
            .iter()
            .zip(locations)
            .map(|(target, location)| {
                // Whether the name still leads to the database planned is
                // checked when it is read again, before applying.
                let (plan, script) = shared[target.plan].clone();
                Ok(TargetPlan {
                    target: location.clone(),
                    key: target.key.clone(),
                    current: Arc::clone(&unknown),
                    exists: target.exists,
                    wanted: Arc::clone(&wanted),
                    plan,
                    script,
                    rollback: target.rollback,
                    source_name: self.source.clone(),
                    plan_time: None,
                    reread: true,
                })
            })
            .collect()
    }
}

/// SHA-256 of a script's SQL (statements and their transaction structure).
fn script_hash(script: &Script) -> String {
    let json = serde_json::to_vec(script).unwrap_or_default();
    Sha256::digest(&json).iter().map(|b| format!("{b:02x}")).collect()
}
