use crate::i18n::{cmd, refusal};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::tui::keymap::Keymap;
use crate::tui::{RunOptions, run};
use huishen_core::review::Session;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// Who is reviewing (recorded with every action)
    #[arg(long)]
    reviewer: String,
    #[command(flatten)]
    screen: ScreenArgs,
}

/// Options of the review screen, shared with `demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct ScreenArgs {
    /// The form to review (default: the workspace's first)
    #[arg(long)]
    form: Option<String>,
    /// Key bindings: `vim`, or the path of a keymap file (over the defaults)
    #[arg(long)]
    keymap: Option<String>,
}

pub fn run_args(args: Args) -> anyhow::Result<()> {
    open(&args.workspace, &args.reviewer, &args.screen, None, false)
}

/// Refuses to go on unless standard input and output are a terminal: the screen needs one,
/// and so does the hidden passphrase prompt before it.
pub fn require_terminal(command: &str) -> anyhow::Result<()> {
    let input = std::io::stdin().is_terminal();
    let output = std::io::stdout().is_terminal();
    let which = match (input, output) {
        (true, true) => return Ok(()),
        (false, false) => cmd::neither_is_terminal,
        (false, true) => cmd::input_not_terminal,
        (true, false) => cmd::output_not_terminal,
    };
    Err(refusal(|lang| cmd::needs_terminal(lang, command, which(lang))).into())
}

/// Opens the review screen with the reviewer's passphrase, asked for when not `given`.
pub fn open(
    workspace: &Path,
    reviewer: &str,
    screen: &ScreenArgs,
    given: Option<&str>,
    demo_team: bool,
) -> anyhow::Result<()> {
    // A keymap that cannot work is said first, terminal or not.
    let keymap = Keymap::load(screen.keymap.as_deref())?;
    require_terminal("huishen review")?;
    let form = screen.form.as_deref();
    let session = match given {
        Some(passphrase) => Session::open(workspace, reviewer, passphrase, form)?,
        None => {
            super::passphrase::with_passphrase(reviewer, super::passphrase::Undone::Opened, |p| {
                Session::open(workspace, reviewer, p, form)
            })?
        }
    };
    let lang = super::lang();
    run(
        session,
        RunOptions {
            lang,
            keymap,
            demo_team,
        },
    )?;
    Ok(())
}
