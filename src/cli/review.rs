use std::path::{Path, PathBuf};

use crate::tui::i18n::Lang;
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
    /// Interface language: en or zh-CN (default from LC_ALL / LANG)
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("`{s}` is not a language huishen speaks: use en or zh-CN"))
}

pub fn run_args(args: Args) -> anyhow::Result<()> {
    open(&args.workspace, &args.reviewer, &args.screen, true)
}

/// Opens the review screen, after the reviewer's passphrase when `ask` is set.
pub fn open(
    workspace: &Path,
    reviewer: &str,
    screen: &ScreenArgs,
    ask: bool,
) -> anyhow::Result<()> {
    let keymap = Keymap::load(screen.keymap.as_deref())?;
    let session = Session::open(workspace, reviewer, screen.form.as_deref())?;
    if ask {
        super::passphrase::authenticate(&session.reviewer)?;
    }
    let lang = screen.lang.unwrap_or_else(Lang::from_env);
    run(session, RunOptions { lang, keymap })?;
    Ok(())
}
