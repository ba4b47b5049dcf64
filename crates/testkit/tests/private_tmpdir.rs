//! A private MariaDB must not touch the shared server's temporary tables: a
//! starting mariadbd (and mariadb-install-db's bootstrap) deletes every
//! `#sql*` file in its tmpdir, which in the system one are the shared
//! server's live temporary tables ("Error on delete of
//! '/tmp/#sql-temptable-…'" under load, or a crash).

use schemasync_testkit::PrivateMariaDb;

#[test]
fn starting_a_private_server_leaves_the_system_tmpdir_alone() {
    let probe = std::env::temp_dir().join(format!("#sql-schemasync-probe-{}.MAI", std::process::id()));
    std::fs::write(&probe, b"").expect("write the probe file");
    let server = PrivateMariaDb::start(&[]);
    let survived = probe.exists();
    let _ = std::fs::remove_file(&probe);
    let Some(server) = server else { return };
    assert!(survived, "starting a private MariaDB deleted {} from the system tmpdir", probe.display());

    let tmpdir: String = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            use mysql_async::prelude::Queryable;
            let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(&server.url()).expect("url")).await?;
            let dir: Option<String> = conn.query_first("SELECT @@tmpdir").await?;
            conn.disconnect().await?;
            Ok::<_, mysql_async::Error>(dir.unwrap_or_default())
        })
        .expect("read @@tmpdir");
    let system = std::env::temp_dir();
    assert_ne!(
        std::path::Path::new(tmpdir.trim_end_matches('/')),
        system.as_path(),
        "private server uses the system tmpdir"
    );
}
