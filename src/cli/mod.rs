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
mod docs;
mod export;
mod format;
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

use crate::i18n::{Lang, cmd};

/// huishen (会审): joint review of flagged census and survey records.
#[derive(Debug, Parser)]
#[command(name = "huishen", version, about, long_about = None, after_help = ENVIRONMENT)]
pub struct Cli {
    /// The language of messages, tables and the review screen: en or zh-CN (default from
    /// HUISHEN_LANG, then LC_ALL / LC_MESSAGES / LANG); for `report`, its one language
    /// (default both)
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| cmd::unknown_language(s))
}

/// The language the command line speaks, chosen once at its start.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language of this run's messages.
pub(crate) fn lang() -> Lang {
    LANG.get().copied().unwrap_or_else(Lang::from_env)
}

/// The language given with `--lang`, if it was (the report speaks both without it).
static ASKED: std::sync::OnceLock<Option<Lang>> = std::sync::OnceLock::new();

pub(crate) fn asked_lang() -> Option<Lang> {
    ASKED.get().copied().flatten()
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a workspace from the Shandong sample and show it
    Demo(demo::Args),
    /// Create a new workspace from a schema file
    Init(init::Args),
    /// Import a CSV file or an Excel workbook into a form of a workspace
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
    /// Export the corrected data, the change log, the flags, the signatures or the notes (CSV, JSON or Excel)
    Export(export::Args),
    /// Write the review report (HTML with charts, or Markdown)
    Report(report::Args),
    /// Split the work: assign regions, rules or forms to a reviewer
    Assign(assign::Args),
    /// Generate synthetic census records (same shape and defect rate as the sample)
    Sample(sample::Args),
    /// Sign a workspace whose trail was written before signing keys (an administrator's action)
    Upgrade(upgrade::Args),
    /// Print the completion script of a shell (e.g. `huishen completions bash > /etc/bash_completion.d/huishen`)
    Completions(docs::CompletionArgs),
    /// Print the manual page, or write a page per command into a folder
    Man(docs::ManArgs),
}

/// What `huishen --help` says after the commands: the environment it reads and its exit
/// statuses.
const ENVIRONMENT: &str = "Environment:
  HUISHEN_LANG              the language (en, zh-CN), before LC_ALL, LC_MESSAGES and LANG
  HUISHEN_TZ                the time zone times are shown in (an IANA name), before TZ
  HUISHEN_ADMIN             the administrator a scripted administrator command acts as
  HUISHEN_ADMIN_PASSPHRASE  that administrator's passphrase (else it is asked for)
  HUISHEN_BUSY_TIMEOUT_MS   how long a write waits for another's lock (default 5000)
  NO_COLOR                  the review screen without colours (https://no-color.org)
  HUISHEN_CONFIG_DIR        the folder of keymap.toml, before XDG_CONFIG_HOME/huishen and the
                            system's config folder (~/.config/huishen on Linux)

Exit status:
  0    done
  1    an error, said on standard error
  2    a usage error (an unknown option or value)
  3    verify: the workspace was checked and does not verify
  4    check --fail-on: flags of that severity are failing
  141  standard output was closed before the command finished (`| head`)";

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
    let _ = ASKED.set(cli.lang);
    let _ = LANG.set(Lang::resolve(cli.lang));
    // Every time a person reads is shown in one zone, decided here; a zone nobody knows stops
    // the command before it does anything, said in the command line's language.
    if let Err(err) = huishen_core::domain::time::init() {
        let lang = lang();
        let _ = writeln!(
            std::io::stderr(),
            "{}{}",
            cmd::error_prefix(lang),
            err.in_language(lang.is_zh())
        );
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
        Command::Completions(args) => docs::completions(args),
        Command::Man(args) => docs::man(args),
    };
    let result = result.and_then(|()| Ok(std::io::Write::flush(&mut std::io::stdout())?));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if output_closed(&err) => ExitCode::from(CLOSED_OUTPUT),
        Err(err) => {
            // Standard error may be gone too; then there is no one left to tell.
            let lang = lang();
            let _ = writeln!(
                std::io::stderr(),
                "{}{}",
                cmd::error_prefix(lang),
                say_error(lang, &err)
            );
            if verify::tampered(&err) {
                ExitCode::from(verify::TAMPERED)
            } else if err.downcast_ref::<check::Failing>().is_some() {
                ExitCode::from(check::FAILING)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// An error and its causes in the language, each of huishen's own errors as it says itself
/// in that language: `cannot write x: reason` as `无法写入 x：reason`.
pub fn say_error(lang: Lang, err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = if let Some(e) = cause.downcast_ref::<huishen_core::Error>() {
            e.in_language(lang.is_zh())
        } else if let Some(t) = cause.downcast_ref::<verify::Tampered>() {
            t.say(lang)
        } else if let Some(f) = cause.downcast_ref::<check::Failing>() {
            f.say(lang)
        } else {
            cause.to_string()
        };
        // A cause already said by the error above it is not said twice.
        if !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(lang.pick(": ", "："))
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
