//! Showing the library's `tracing` events. The libraries only emit them;
//! this is the one place a subscriber is installed. Events go to stderr, so
//! stdout holds only what a command prints (SQL, JSON, reports).

use tracing_subscriber::EnvFilter;

/// `-v` info, `-vv` debug (statements' SQL), `-vvv` trace, for schemasync's
/// own crates (every target starts with `schemasync`); `RUST_LOG` (`debug`,
/// `schemasync_postgres=debug,schemasync_history=info`, ...) wins when set.
/// Nothing is shown without either.
pub(crate) fn init(verbose: u8) {
    let from_env = std::env::var("RUST_LOG").ok().filter(|value| !value.trim().is_empty());
    let filter = match from_env.map(|value| EnvFilter::try_new(&value)) {
        Some(Ok(filter)) => filter,
        Some(Err(error)) => {
            eprintln!("warning: RUST_LOG ignored ({error})");
            match verbose_filter(verbose) {
                Some(filter) => filter,
                None => return,
            }
        }
        None => match verbose_filter(verbose) {
            Some(filter) => filter,
            None => return,
        },
    };
    let installed =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).try_init();
    if let Err(error) = installed {
        eprintln!("warning: no log output ({error})");
    }
}

fn verbose_filter(verbose: u8) -> Option<EnvFilter> {
    let level = match verbose {
        0 => return None,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    Some(EnvFilter::new(format!("schemasync={level}")))
}
