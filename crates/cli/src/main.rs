//! The `schemasync` command. Exit codes: 0 success, 1 `diff` found
//! differences, 2 error, 3 refused because of data-loss hazards, 4 (`apply`) a target
//! drifted since the plan, 128 + the
//! signal's number when stopped by SIGINT (130), SIGTERM (143) or SIGHUP (129).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod config;
mod logging;
mod renames;
mod render;
mod rollout_view;

use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use schemasync::EngineOptions;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_DIFFERS: u8 = 1;
pub(crate) const EXIT_ERROR: u8 = 2;
pub(crate) const EXIT_REFUSED: u8 = 3;
/// `apply`: a target's schema changed since the plan was made (it was left as it is).
pub(crate) const EXIT_DRIFT: u8 = 4;

/// The first signal received, 0 before.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// How long a stopped scratch load may take to drop its database before
/// the process exits anyway (the next run's sweep removes it then).
const CLEANUP_GRACE: Duration = Duration::from_secs(15);

/// How long the main thread gets to report the load's error itself.
const REPORT_GRACE: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    handle_signals();
    let cli = args::Cli::parse();
    logging::init(cli.verbose);
    let result = config::Config::load(cli.config.as_deref()).and_then(|config| commands::run(cli.command, &config));
    let signal = SIGNAL.load(Ordering::SeqCst);
    match result {
        Ok(_) if signal != 0 => {
            eprintln!("error: interrupted by {}", signal_name(signal));
            ExitCode::from(exit_code(signal))
        }
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // One line: what and where.
            let mut line = error.to_string();
            for cause in error.chain().skip(1) {
                let text = cause.to_string();
                if !line.contains(&text) {
                    line.push_str(": ");
                    line.push_str(&text);
                }
            }
            eprintln!("error: {}", line.replace('\n', " "));
            ExitCode::from(if signal != 0 { exit_code(signal) } else { EXIT_ERROR })
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP: with no scratch load running, exit at
/// once, as the default action would (but with a status); with one, stop
/// it so that it drops its scratch database, and exit once it has. A
/// second signal exits at once.
fn handle_signals() {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        // Without handlers the default actions stay: the next run's sweep cleans up.
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if SIGNAL.swap(signal, Ordering::SeqCst) != 0 {
                exit_now(signal);
            }
            if !EngineOptions::interrupt_scratch_loads() {
                exit_now(signal);
            }
            std::thread::spawn(move || {
                let start = Instant::now();
                while EngineOptions::interrupt_scratch_loads() && start.elapsed() < CLEANUP_GRACE {
                    std::thread::sleep(Duration::from_millis(20));
                }
                // The main thread is now returning the load's error; it
                // exits with the signal's status itself.
                std::thread::sleep(REPORT_GRACE);
                exit_now(signal);
            });
        }
    });
}

fn exit_now(signal: i32) -> ! {
    eprintln!("error: interrupted by {}", signal_name(signal));
    std::process::exit(i32::from(exit_code(signal)))
}

fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(EXIT_ERROR)
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}
