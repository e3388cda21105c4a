//! The command line: clap definitions, one file per subcommand with its own `run()`.
//!
//! Commands write to standard output with [`out!`] and [`outln!`], which return the write's
//! error instead of panicking as `print!` does: when the reader goes away (`huishen verify WS |
//! head -1`), the command stops there and ends quietly with status 141, the status a shell
//! gives a program stopped by a closed pipe.

/// `print!` that returns the write's `std::io::Result` instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `println!` that returns the write's `std::io::Result` instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod apply;
mod assign;
mod bulk;
mod check;
mod choices;
mod demo;
mod export;
mod import;
mod init;
mod locate;
mod passphrase;
mod policy;
mod progress;
mod report;
mod review;
mod reviewer;
mod rules;
mod sample;
mod status;
mod upgrade;
mod verify;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// huishen (会审): joint review of flagged census and survey records.
#[derive(Debug, Parser)]
#[command(name = "huishen", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a workspace from the Shandong sample and show it
    Demo(demo::Args),
    /// Create a new workspace from a schema file
    Init(init::Args),
    /// Import a CSV file into a form of a workspace
    Import(import::Args),
    /// Load or list review rules
    Rules(rules::Args),
    /// Run the review rules and count their verdicts
    Check(check::Args),
    /// Open the review screen
    Review(review::Args),
    /// Show how far the review has come: per prefecture, reviewer and rule (the dashboard's figures)
    Status(status::Args),
    /// Add or list reviewers
    Reviewer(reviewer::Args),
    /// Show or change the sign-off policy
    Policy(policy::Args),
    /// Check the workspace: every page, the signed audit trail, and every table and the data against it
    #[command(after_help = verify::EXIT_STATUS)]
    Verify(verify::Args),
    /// Apply a file of corrections (preview; --commit to write)
    Apply(apply::Args),
    /// Explain, accept proposed fixes or sign over a selection of records (preview; --commit to write)
    Bulk(bulk::Args),
    /// Which fields to change in each flagged record so that its linear rules hold (error localisation)
    Locate(locate::Args),
    /// Export the corrected data, the change log, the flags, the signatures or the notes
    Export(export::Args),
    /// Write the review report (HTML with charts, or Markdown)
    Report(report::Args),
    /// Split the work: assign regions, rules or forms to a reviewer
    Assign(assign::Args),
    /// Generate synthetic census records (same shape and defect rate as the sample)
    Sample(sample::Args),
    /// Sign a workspace whose trail was written before signing keys (an administrator's action)
    Upgrade(upgrade::Args),
}

/// The exit status of a command whose standard output was closed before it finished (128 +
/// SIGPIPE, as a shell reports a program that a closed pipe stopped).
pub const CLOSED_OUTPUT: u8 = 141;

/// Runs the command line and returns the process's exit code: 0 on success, 1 on an error
/// (printed to standard error), 2 on a usage error, [`CLOSED_OUTPUT`] without a word when
/// standard output was closed before the command finished, and for `verify`
/// [`verify::TAMPERED`] when the workspace was checked and does not verify (its other errors
/// are 1: it could not be checked).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every time a person reads is shown in one zone, decided here; a zone nobody knows stops
    // the command before it does anything.
    if let Err(err) = huishen_core::domain::time::init() {
        let _ = writeln!(std::io::stderr(), "error: {err:#}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Check(args) => check::run(args),
        Command::Review(args) => review::run_args(args),
        Command::Status(args) => status::run(args),
        Command::Reviewer(args) => reviewer::run(args),
        Command::Policy(args) => policy::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Bulk(args) => bulk::run(args),
        Command::Locate(args) => locate::run(args),
        Command::Export(args) => export::run(args),
        Command::Report(args) => report::run(args),
        Command::Assign(args) => assign::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Upgrade(args) => upgrade::run(args),
    };
    let result = result.and_then(|()| Ok(std::io::Write::flush(&mut std::io::stdout())?));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if output_closed(&err) => ExitCode::from(CLOSED_OUTPUT),
        Err(err) => {
            // Standard error may be gone too; then there is no one left to tell.
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            if verify::tampered(&err) {
                ExitCode::from(verify::TAMPERED)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Whether the error is standard output's reader having gone away.
fn output_closed(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || matches!(
                cause.downcast_ref::<huishen_core::Error>(),
                Some(huishen_core::Error::OutputClosed)
            )
    })
}
