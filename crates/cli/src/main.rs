//! The `schemasync` command. Exit codes: 0 success, 1 `diff` found
//! differences, 2 error, 3 refused because of data-loss hazards.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod render;

use std::process::ExitCode;

use clap::Parser;

pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_DIFFERS: u8 = 1;
pub(crate) const EXIT_ERROR: u8 = 2;
pub(crate) const EXIT_REFUSED: u8 = 3;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli.command) {
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
            ExitCode::from(EXIT_ERROR)
        }
    }
}
