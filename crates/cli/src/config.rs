//! The project config, `schemasync.toml`: where the history lives, and
//! environments of named databases, so that `prod/hr_prod` can stand
//! wherever a SOURCE or TARGET can, and `--env prod` names them all.
//!
//! ```toml
//! history = "postgres://ops-db/schemasync"        # or a path
//! [environments.test.databases]
//! hr_test = "sqlite:hr_test.db"
//! [environments.prod]
//! parallel = 4
//! [environments.prod.databases]
//! hr_prod = "postgres://10.0.0.5/hr_prod"
//! ```
//!
//! Values may use `${VAR}` so that secrets stay in the environment; an
//! unset variable is an error naming it. Relative SQLite paths and a
//! relative history path are relative to the config file's folder, so a
//! command means the same from any subfolder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The file looked for in the current folder and its parents.
pub const FILE_NAME: &str = "schemasync.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    history: Option<String>,
    #[serde(default)]
    environments: BTreeMap<String, RawEnvironment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    parallel: Option<usize>,
    keep_going: Option<bool>,
    canary: Option<usize>,
    #[serde(default)]
    databases: BTreeMap<String, String>,
}

/// Rollout defaults of one environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvDefaults {
    pub parallel: Option<usize>,
    pub keep_going: Option<bool>,
    pub canary: Option<usize>,
}

/// A loaded config (or none: every name is taken as written).
#[derive(Debug, Default)]
pub struct Config {
    /// The file, when one was found.
    path: Option<PathBuf>,
    raw: RawConfig,
}

/// A database named on the command line, resolved.
#[derive(Debug, Clone)]
pub struct Named {
    /// What to connect to (may hold secrets from `${VAR}`: never print).
    pub url: String,
    /// How to show it and write it into plan files: `ENV/NAME` for a
    /// config database, else the input itself.
    pub name: String,
    /// Whether it came from the config.
    pub from_config: bool,
}

impl Config {
    /// `--config PATH`, else `schemasync.toml` in the current folder or the
    /// nearest parent that has one, else no config.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(path) => Some(path.to_path_buf()),
            None => find_upwards()?,
        };
        let Some(path) = path else { return Ok(Config::default()) };
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading config {}", path.display()))?;
        let raw: RawConfig = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.to_string().trim_end().replace('\n', " ")))?;
        for (env, environment) in &raw.environments {
            check_name("environment", env, &path)?;
            for name in environment.databases.keys() {
                check_name("database", name, &path)?;
            }
            if environment.parallel == Some(0) {
                bail!("{}: environments.{env}.parallel must be at least 1", path.display());
            }
        }
        Ok(Config { path: Some(path), raw })
    }

    fn dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// The history location the config names, resolved.
    pub fn history(&self) -> Result<Option<String>> {
        let Some(history) = &self.raw.history else { return Ok(None) };
        let value = expand_vars(history).with_context(|| self.place("history"))?;
        if value.contains("://") {
            return Ok(Some(value));
        }
        Ok(Some(self.relative(Path::new(&value)).display().to_string()))
    }

    /// Resolve a SOURCE or TARGET as written on the command line.
    pub fn resolve(&self, input: &str) -> Result<Named> {
        // history:TARGET@N names its TARGET like any other.
        if let Some(rest) = input.strip_prefix("history:")
            && let Some((target, version)) = rest.rsplit_once('@')
        {
            let inner = self.resolve(target)?;
            return Ok(Named {
                url: format!("history:{}@{version}", inner.url),
                name: format!("history:{}@{version}", inner.name),
                from_config: inner.from_config,
            });
        }
        if let Some((env, name)) = split_env_name(input)
            && let Some(environment) = self.raw.environments.get(env)
        {
            if let Some(url) = environment.databases.get(name) {
                let place = format!("environments.{env}.databases.{name}");
                let url = expand_vars(url).with_context(|| self.place(&place))?;
                return Ok(Named { url: self.relative_sqlite(&url), name: input.to_owned(), from_config: true });
            }
            // A file of that name wins over a typo'd database name.
            if !Path::new(input).exists() {
                let known: Vec<&str> = environment.databases.keys().map(String::as_str).collect();
                bail!(
                    "environment {env} in {} has no database {name:?} (it has: {})",
                    self.path.as_deref().map_or_else(String::new, |p| p.display().to_string()),
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                );
            }
        }
        Ok(Named { url: input.to_owned(), name: input.to_owned(), from_config: false })
    }

    /// Every database of environment `env`, by name.
    pub fn environment(&self, env: &str) -> Result<Vec<Named>> {
        let Some(environment) = self.raw.environments.get(env) else {
            let Some(path) = &self.path else {
                bail!("--env {env}: no {FILE_NAME} found here or in a parent folder (or give --config PATH)")
            };
            let known: Vec<&str> = self.raw.environments.keys().map(String::as_str).collect();
            bail!(
                "--env {env}: {} has no environment {env:?} (it has: {})",
                path.display(),
                if known.is_empty() { "none".to_owned() } else { known.join(", ") }
            );
        };
        if environment.databases.is_empty() {
            bail!("--env {env}: the environment has no databases");
        }
        environment.databases.keys().map(|name| self.resolve(&format!("{env}/{name}"))).collect()
    }

    /// Rollout defaults of environment `env` (none when it has none).
    pub fn defaults(&self, env: &str) -> EnvDefaults {
        self.raw.environments.get(env).map_or_else(EnvDefaults::default, |e| EnvDefaults {
            parallel: e.parallel,
            keep_going: e.keep_going,
            canary: e.canary,
        })
    }

    fn place(&self, key: &str) -> String {
        match &self.path {
            Some(path) => format!("{} ({key})", path.display()),
            None => key.to_owned(),
        }
    }

    fn relative(&self, path: &Path) -> PathBuf {
        match self.dir() {
            Some(dir) if path.is_relative() && path != Path::new(":memory:") => dir.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// SQLite paths in the config are relative to the config's folder.
    fn relative_sqlite(&self, url: &str) -> String {
        for prefix in ["sqlite://", "sqlite:"] {
            if let Some(path) = url.strip_prefix(prefix) {
                return format!("{prefix}{}", self.relative(Path::new(path)).display());
            }
        }
        let lower = url.to_ascii_lowercase();
        if !url.contains("://") && [".db", ".sqlite", ".sqlite3"].iter().any(|ext| lower.ends_with(ext)) {
            return self.relative(Path::new(url)).display().to_string();
        }
        url.to_owned()
    }
}

/// `ENV/NAME`, when `input` has that shape (one slash, no scheme).
fn split_env_name(input: &str) -> Option<(&str, &str)> {
    if input.contains(':') {
        return None;
    }
    let (env, name) = input.split_once('/')?;
    (!env.is_empty() && !name.is_empty() && !name.contains('/')).then_some((env, name))
}

/// Environment and database names stay simple so that `ENV/NAME` is never
/// ambiguous.
fn check_name(what: &str, name: &str, path: &Path) -> Result<()> {
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        bail!("{}: {what} name {name:?}: use letters, digits, '_', '-' and '.' only", path.display());
    }
    Ok(())
}

fn find_upwards() -> Result<Option<PathBuf>> {
    let mut dir = std::env::current_dir().context("reading the current folder")?;
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Ok(Some(candidate));
        }
        if !dir.pop() {
            return Ok(None);
        }
    }
}

/// Replace each `${VAR}` with the variable's value; an unset (or not
/// UTF-8) variable is an error, never an empty string.
fn expand_vars(value: &str) -> Result<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { bail!("unclosed ${{ in a value") };
        let name = &after[..end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            bail!("${{{name}}}: not a variable name");
        }
        match std::env::var(name) {
            Ok(v) => out.push_str(&v),
            Err(_) => bail!("${{{name}}} is not set"),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str, dir: &Path) -> Config {
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).expect("write config");
        Config::load(Some(&path)).expect("load config")
    }

    #[test]
    fn names_resolve_through_environments() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = config(
            "history = \"h/history.db\"\n[environments.test.databases]\nhr_test = \"sqlite:hr_test.db\"\n\
             [environments.prod]\nparallel = 4\n[environments.prod.databases]\nhr_prod = \"postgres://h/hr\"\n",
            dir.path(),
        );
        let test = c.resolve("test/hr_test").expect("resolves");
        assert_eq!(test.url, format!("sqlite:{}", dir.path().join("hr_test.db").display()));
        assert_eq!(test.name, "test/hr_test");
        assert!(test.from_config);
        let history = c.resolve("history:prod/hr_prod@3").expect("resolves");
        assert_eq!(history.url, "history:postgres://h/hr@3");
        assert_eq!(c.environment("prod").expect("env").len(), 1);
        assert_eq!(c.defaults("prod").parallel, Some(4));
        assert_eq!(c.history().expect("history"), Some(dir.path().join("h/history.db").display().to_string()));
        // Not a config name: as written.
        assert_eq!(c.resolve("sqlite:x.db").expect("as is").url, "sqlite:x.db");
        assert_eq!(c.resolve("other/file.sql").expect("as is").url, "other/file.sql");
        let err = c.resolve("prod/nope").expect_err("unknown database").to_string();
        assert!(err.contains("has no database \"nope\"") && err.contains("hr_prod"), "{err}");
        let err = c.environment("staging").expect_err("unknown env").to_string();
        assert!(err.contains("no environment \"staging\""), "{err}");
    }

    #[test]
    fn variables_expand_and_unset_ones_fail() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = config(
            "[environments.prod.databases]\na = \"postgres://u:${SCHEMASYNC_CONFIG_TEST_PW}@h/a\"\n\
             b = \"postgres://u:${SCHEMASYNC_CONFIG_TEST_UNSET_XYZ}@h/b\"\n",
            dir.path(),
        );
        let path = std::env::var("PATH").unwrap_or_default();
        assert_eq!(expand_vars("x${PATH}y").expect("PATH is set"), format!("x{path}y"));
        let err = format!("{:#}", c.resolve("prod/b").expect_err("unset"));
        assert!(err.contains("SCHEMASYNC_CONFIG_TEST_UNSET_XYZ") && err.contains("is not set"), "{err:#}");
        assert!(expand_vars("${").is_err());
        assert!(expand_vars("${a-b}").is_err());
    }

    #[test]
    fn bad_configs_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        for text in [
            "histroy = \"x\"\n",
            "[environments.prod]\nparallel = 0\n",
            "[environments.\"a/b\".databases]\nx = \"sqlite:x.db\"\n",
            "[environments.prod.databases]\nx = 3\n",
            "not toml",
        ] {
            std::fs::write(&path, text).expect("write");
            assert!(Config::load(Some(&path)).is_err(), "accepted {text:?}");
        }
    }
}
