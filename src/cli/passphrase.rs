//! Asking a reviewer for a passphrase: without echo on a terminal, as a line of standard input
//! otherwise (for scripts); three tries. Input that ends (Ctrl-D, or a script's standard input
//! running out) gives no passphrase, which is not a wrong one.

use std::io::{BufRead, IsTerminal, Write};

use crate::i18n::{Lang, cmd, refusal};
use huishen_core::review::passphrase::TRIES;
use huishen_core::review::{Signer, Workspace};
use huishen_core::{Error, Result};

/// What a command left undone when it was refused before it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undone {
    Opened,
    Done,
    Changed,
    Made,
}

impl Undone {
    pub fn say(self, lang: Lang) -> &'static str {
        match self {
            Undone::Opened => cmd::nothing_opened(lang),
            Undone::Done => cmd::nothing_done(lang),
            Undone::Changed => cmd::nothing_changed(lang),
            Undone::Made => cmd::no_workspace_made(lang),
        }
    }
}

/// Reads one passphrase; refuses when the input ends first, saying what was left undone.
pub fn read_or_refuse(prompt: &str, undone: Undone) -> Result<String> {
    read(prompt)?.ok_or_else(|| refusal(|lang| cmd::no_passphrase(lang, undone.say(lang))))
}

/// Reads one passphrase: hidden on a terminal, a line of standard input otherwise; `None`
/// when the input ends before a passphrase.
pub fn read(prompt: &str) -> Result<Option<String>> {
    let io = |e: std::io::Error| {
        let e = e.to_string();
        refusal(|lang| cmd::cannot_read_passphrase(lang, &e))
    };
    if std::io::stdin().is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush().map_err(io)?;
        let text = read_hidden().map_err(io)?;
        eprintln!();
        Ok(text)
    } else {
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).map_err(io)? == 0 {
            return Ok(None);
        }
        Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
    }
}

/// Reads keys in raw mode until Enter, showing nothing; `None` for Ctrl-D on an empty line.
fn read_hidden() -> std::io::Result<Option<String>> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    terminal::enable_raw_mode()?;
    let mut text = String::new();
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(true),
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char('d')
                    if k.modifiers.contains(KeyModifiers::CONTROL) && text.is_empty() =>
                {
                    break Ok(false);
                }
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(std::io::Error::new(
                        std::io::ErrorKind::Interrupted,
                        "interrupted",
                    ));
                }
                KeyCode::Char(c) => text.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    terminal::disable_raw_mode()?;
    result.map(|given| given.then_some(text))
}

/// Asks `who` for their passphrase up to three times, giving each to `attempt` until it is
/// not a wrong one (a wrong passphrase is [`Error::WrongPassphrase`]; any other error ends
/// the asking).
pub fn with_passphrase<T>(
    who: &str,
    undone: Undone,
    mut attempt: impl FnMut(&str) -> Result<T>,
) -> Result<T> {
    let lang = super::lang();
    for tries in 1..=TRIES {
        let prompt = cmd::passphrase_for(lang, who);
        let Some(given) = read(&prompt)? else {
            return Err(refusal(|lang| {
                cmd::no_passphrase_for(lang, who, undone.say(lang))
            }));
        };
        match attempt(&given) {
            Err(Error::WrongPassphrase { .. }) if tries < TRIES => {
                let left = TRIES - tries;
                eprintln!("{}", cmd::tries_left(lang, left as u64));
            }
            Err(Error::WrongPassphrase { .. }) => break,
            done => return done,
        }
    }
    Err(refusal(|lang| {
        cmd::wrong_three_times(lang, who, undone.say(lang))
    }))
}

/// The environment variable a scripted administrator command (a nightly import and check)
/// takes the administrator's passphrase from instead of asking.
pub const ADMIN_PASSPHRASE_ENV: &str = "HUISHEN_ADMIN_PASSPHRASE";

/// The administrator's passphrase from [`ADMIN_PASSPHRASE_ENV`], when set.
pub fn admin_passphrase_from_env() -> Option<String> {
    std::env::var(ADMIN_PASSPHRASE_ENV).ok()
}

/// Signs in an administrator for a command that needs one: their passphrase from
/// [`ADMIN_PASSPHRASE_ENV`] when set, asked for otherwise.
pub fn administrator(ws: &Workspace, name: &str) -> Result<Signer> {
    as_administrator(name, Undone::Done, |given| ws.sign_in(name, given))
}

/// Gives `attempt` the administrator's passphrase: from [`ADMIN_PASSPHRASE_ENV`] when set
/// (one try), asked for otherwise (three).
pub fn as_administrator<T>(
    name: &str,
    undone: Undone,
    mut attempt: impl FnMut(&str) -> Result<T>,
) -> Result<T> {
    match admin_passphrase_from_env() {
        Some(given) => attempt(&given),
        None => with_passphrase(name, undone, attempt),
    }
}

/// The `--as` option of the commands only an administrator may run.
#[derive(Debug, Clone, clap::Args)]
pub struct AsAdministrator {
    /// The administrator (组长) doing this; asks for their passphrase (or reads it from
    /// HUISHEN_ADMIN_PASSPHRASE)
    #[arg(
        long = "as",
        id = "administrator",
        value_name = "ADMINISTRATOR",
        env = "HUISHEN_ADMIN"
    )]
    pub name: String,
}

impl AsAdministrator {
    /// Signs the administrator in on `ws`.
    pub fn sign_in(&self, ws: &Workspace) -> Result<Signer> {
        administrator(ws, &self.name)
    }
}
