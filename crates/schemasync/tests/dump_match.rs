//! The engines' own dumps agree: a real-world schema loaded with the
//! engine's client and the same schema synced by schemasync into an empty
//! database give the same `pg_dump --schema-only` / `mysqldump --no-data`
//! after normalizing what a dump prints about itself (comments, session
//! settings, owners, AUTO_INCREMENT counters, definers, key order).

use std::path::Path;
use std::process::Command;

use schemasync::{Location, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::{Server, ServerDb, corpus, in_ci, skip};

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn sync_file(file: &Path, target: &ServerDb) {
    let location = Location::parse(target.url()).expect("url");
    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let options = SyncOptions::default().create_missing(true);
    let reports = syncer.sync(&Source::SqlFile(file.to_owned()), &[location], &options).expect("sync");
    assert_eq!(reports[0].status, TargetStatus::Applied, "{}: {:?}", file.display(), reports[0].error);
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Statements of a pg_dump, without the dump's own comments and settings.
/// Objects the model does not hold (operators, per-column statistics
/// targets) are reported as skipped by the introspector and left out here.
fn normalize_pg(dump: &str) -> Vec<String> {
    let body: String = dump
        .lines()
        .filter(|l| !l.starts_with("--") && !l.starts_with('\\') && !l.trim().is_empty())
        .filter(|l| !l.starts_with("SET ") && !l.starts_with("SELECT pg_catalog.set_config"))
        .map(|l| format!("{l}\n"))
        .collect();
    body.split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        // Table columns' statistics targets are modelled; those of extended
        // statistics objects, index and materialized-view columns are not
        // (they are in the not-modelled report).
        .filter(|s| !s.starts_with("CREATE OPERATOR") && !s.starts_with("ALTER STATISTICS"))
        .filter(|s| {
            !((s.starts_with("ALTER INDEX") || s.starts_with("ALTER MATERIALIZED VIEW"))
                && s.contains("SET STATISTICS"))
        })
        .filter(|s| !s.starts_with("COMMENT ON SCHEMA public") && !s.contains("SCHEMA public OWNER"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn pg_dump_of_synced_real_world_schemas_matches() {
    let Some(files) = corpus("postgres") else { return };
    if !tool("pg_dump") || !tool("psql") {
        let _: Option<()> = skip("pg_dump/psql not installed");
        return;
    }
    for file in files {
        let name = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let Some(loaded) = ServerDb::create(Server::Postgres, &format!("dump_psql_{name}")) else { return };
        let Some(synced) = ServerDb::reserve(Server::Postgres, &format!("dump_sync_{name}")) else { return };
        run(
            Command::new("psql").args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", loaded.url(), "-f"]).arg(&file),
            &format!("psql {name}"),
        );
        sync_file(&file, &synced);
        let dump = |db: &ServerDb| {
            normalize_pg(&run(
                Command::new("pg_dump").args(["--schema-only", "--no-owner", "--no-privileges", "-d", db.url()]),
                &format!("pg_dump {name}"),
            ))
        };
        let (a, b) = (dump(&loaded), dump(&synced));
        let only_a: Vec<&String> = a.iter().filter(|s| !b.contains(s)).collect();
        let only_b: Vec<&String> = b.iter().filter(|s| !a.contains(s)).collect();
        assert!(
            only_a.is_empty() && only_b.is_empty(),
            "{name}: dumps differ\nonly in the psql-loaded database:\n{only_a:#?}\nonly in the synced one:\n{only_b:#?}"
        );
    }
}

/// The CREATE TABLE statements of a mysqldump, normalized: counters and
/// definers removed, key lines sorted (index order is not modelled).
fn mysql_tables(dump: &str) -> Vec<String> {
    let mut out = Vec::new();
    for statement in dump.split(";\n") {
        let Some(start) = statement.find("CREATE TABLE") else { continue };
        let text = &statement[start..];
        let mut head = Vec::new();
        let mut keys = Vec::new();
        for line in text.lines() {
            let line = strip_auto_increment(line.trim_end_matches(','));
            if line.trim_start().starts_with("KEY ")
                || line.trim_start().starts_with("UNIQUE KEY")
                || line.trim_start().starts_with("FULLTEXT KEY")
                || line.trim_start().starts_with("SPATIAL KEY")
            {
                keys.push(line);
            } else {
                head.push(line);
            }
        }
        keys.sort();
        head.extend(keys);
        out.push(head.join("\n"));
    }
    out.sort();
    out
}

fn strip_auto_increment(line: &str) -> String {
    match line.find(" AUTO_INCREMENT=") {
        Some(i) => {
            let rest = &line[i + " AUTO_INCREMENT=".len()..];
            let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            format!("{}{}", &line[..i], &rest[end..])
        }
        None => line.to_owned(),
    }
}

#[test]
fn mysqldump_tables_of_synced_real_world_schemas_match() {
    let Some(files) = corpus("mysql") else { return };
    let client = ["mariadb", "mysql"].into_iter().find(|c| tool(c));
    let dumper = ["mariadb-dump", "mysqldump"].into_iter().find(|c| tool(c));
    let (Some(client), Some(dumper)) = (client, dumper) else {
        if in_ci() {
            panic!("mysqldump/mysql client not installed");
        }
        let _: Option<()> = skip("mysqldump/mysql client not installed");
        return;
    };
    for file in files {
        let name = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let Some(loaded) = ServerDb::create(Server::MySql, &format!("dump_cli_{name}")) else { return };
        let Some(synced) = ServerDb::reserve(Server::MySql, &format!("dump_sync_{name}")) else { return };
        let (user, host, port) = mysql_parts(&schemasync_testkit::mysql_url());
        let script = std::fs::File::open(&file).expect("open corpus file");
        let out = Command::new(client)
            .args([format!("-u{user}"), format!("-h{host}"), format!("-P{port}"), loaded.name().to_owned()])
            .stdin(script)
            .output()
            .expect("mysql client");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        sync_file(&file, &synced);
        let dump = |db: &ServerDb| {
            mysql_tables(&run(
                Command::new(dumper).args([
                    format!("-u{user}"),
                    format!("-h{host}"),
                    format!("-P{port}"),
                    "--no-data".to_owned(),
                    "--skip-comments".to_owned(),
                    db.name().to_owned(),
                ]),
                &format!("mysqldump {name}"),
            ))
        };
        assert_eq!(dump(&loaded), dump(&synced), "{name}: CREATE TABLE statements differ");
    }
}

/// (user, host, port) of a mysql:// URL, for the command-line tools.
fn mysql_parts(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or_default();
    let (user, hostport) = authority.rsplit_once('@').unwrap_or(("root", authority));
    let user = user.split(':').next().unwrap_or("root");
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "3306"));
    (user.to_owned(), host.to_owned(), port.to_owned())
}
