//! A PostgreSQL database's history key is what its server says it is, so
//! that every spelling of its URL shares one history; a database recorded
//! under its URL's key before keeps that key.

use schemasync::{HistoryStore, Location, NewVersion, Schema, SqliteHistory, Syncer, VersionKind};
use schemasync_testkit::{Server, ServerDb};

fn spellings(url: &str) -> Option<(String, String)> {
    if url.contains("127.0.0.1") {
        return Some((url.to_owned(), url.replacen("127.0.0.1", "localhost", 1)));
    }
    url.contains("localhost").then(|| (url.to_owned(), url.replacen("localhost", "127.0.0.1", 1)))
}

#[test]
fn two_spellings_share_one_key_and_legacy_keys_keep_working() -> Result<(), Box<dyn std::error::Error>> {
    let Some(db) = ServerDb::create(Server::Postgres, "identity") else { return Ok(()) };
    let Some((a, b)) = spellings(db.url()) else {
        println!("SKIP: the test server URL names neither 127.0.0.1 nor localhost");
        return Ok(());
    };
    let (a, b) = (Location::parse(&a)?, Location::parse(&b)?);
    assert_ne!(a.history_key()?, b.history_key()?, "the URL keys differ");

    let mut syncer = Syncer::new(SqliteHistory::in_memory()?);
    let key = syncer.database_key(&a)?;
    assert_eq!(key, syncer.database_key(&b)?);
    assert!(key.starts_with("postgres://system-"), "{key}");
    syncer.snapshot(&a, "first")?;
    assert_eq!(syncer.history().list(&syncer.database_key(&b)?)?.len(), 1);

    // A history written before identities were read: the URL's key stays.
    let url_key = a.history_key()?;
    let mut history = SqliteHistory::in_memory()?;
    history.record(NewVersion {
        database: url_key.clone(),
        kind: VersionKind::Baseline,
        schema: Schema::new(a.dialect()),
        script: String::new(),
        message: "recorded by an older schemasync".to_owned(),
    })?;
    let mut legacy = Syncer::new(history);
    assert_eq!(legacy.database_key(&a)?, url_key);
    let v = legacy.snapshot(&a, "second")?;
    assert_eq!(v.number, 2, "recorded after the legacy version");
    Ok(())
}
