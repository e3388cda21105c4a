//! Asking a reviewer for a passphrase: without echo on a terminal, as a line of standard input
//! otherwise (for scripts); three tries. Input that ends (Ctrl-D, or a script's standard input
//! running out) gives no passphrase, which is not a wrong one.

use std::io::{BufRead, IsTerminal, Write};

use huishen_core::review::passphrase::TRIES;
use huishen_core::review::{Signer, Workspace};
use huishen_core::{Error, Result};

/// Reads one passphrase; refuses when the input ends first, saying what was left undone.
pub fn read_or_refuse(prompt: &str, undone: &str) -> Result<String> {
    read(prompt)?.ok_or_else(|| {
        Error::Refused(format!(
            "no passphrase given: the input ended before one was typed; {undone}. Type it at \
             the prompt, or give it as a line of standard input"
        ))
    })
}

/// Reads one passphrase: hidden on a terminal, a line of standard input otherwise; `None`
/// when the input ends before a passphrase.
pub fn read(prompt: &str) -> Result<Option<String>> {
    let io = |e: std::io::Error| Error::Refused(format!("cannot read the passphrase: {e}"));
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
    undone: &str,
    mut attempt: impl FnMut(&str) -> Result<T>,
) -> Result<T> {
    for tries in 1..=TRIES {
        let prompt = format!("passphrase for {who}: ");
        let Some(given) = read(&prompt)? else {
            return Err(Error::Refused(format!(
                "no passphrase given for {who}: the input ended before one was typed; {undone}. \
                 Type it at the prompt, or give it as a line of standard input"
            )));
        };
        match attempt(&given) {
            Err(Error::WrongPassphrase { .. }) if tries < TRIES => {
                let left = TRIES - tries;
                eprintln!(
                    "wrong passphrase; {left} {} left",
                    if left == 1 { "try" } else { "tries" }
                );
            }
            Err(Error::WrongPassphrase { .. }) => break,
            done => return done,
        }
    }
    Err(Error::Refused(format!(
        "wrong passphrase for {who} three times; {undone}"
    )))
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
    as_administrator(name, "nothing was done", |given| ws.sign_in(name, given))
}

/// Gives `attempt` the administrator's passphrase: from [`ADMIN_PASSPHRASE_ENV`] when set
/// (one try), asked for otherwise (three).
pub fn as_administrator<T>(
    name: &str,
    undone: &str,
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
