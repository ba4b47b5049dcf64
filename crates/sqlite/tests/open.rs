//! Opening database files.

use schemasync_sqlite::{SqliteError, open};

#[test]
fn missing_file_without_create_is_not_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("absent.db");
    assert!(matches!(open(&path, false), Err(SqliteError::NotFound { path: p }) if p == path));
    assert!(!path.exists(), "nothing is created");
}

#[test]
fn create_makes_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new.db");
    let conn = open(&path, true).expect("create");
    conn.execute_batch("CREATE TABLE t (a)").expect("write");
    drop(conn);
    assert!(path.exists());
    assert!(open(&path, false).is_ok());
}

#[test]
fn create_in_a_missing_directory_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("no such dir").join("x.db");
    match open(&path, true) {
        Err(SqliteError::Open { message, .. }) => assert!(message.contains("does not exist"), "{message}"),
        other => panic!("expected an open error, got {other:?}"),
    }
}

#[test]
fn random_bytes_are_not_a_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("noise.db");
    // Deterministic noise, long enough to cover the 100-byte header.
    let mut state: u32 = 0x1234_5678;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect();
    std::fs::write(&path, bytes).expect("write noise");
    for create in [false, true] {
        assert!(matches!(open(&path, create), Err(SqliteError::NotADatabase { .. })), "create = {create}");
    }
}

#[test]
fn a_directory_cannot_be_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(open(dir.path(), false).is_err());
}
