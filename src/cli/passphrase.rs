//! Asking a reviewer for a passphrase: without echo on a terminal, as a line of standard input
//! otherwise (for scripts); three tries. Input that ends (Ctrl-D, or a script's standard input
//! running out) gives no passphrase, which is not a wrong one.

use std::io::{BufRead, IsTerminal, Write};

use huishen_core::domain::Reviewer;
use huishen_core::review::passphrase::{TRIES, matches};
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

/// Asks for the reviewer's passphrase up to three times.
pub fn authenticate(reviewer: &Reviewer) -> Result<()> {
    for attempt in 1..=TRIES {
        let prompt = format!("passphrase for {} ({}): ", reviewer.name, reviewer.role);
        let Some(given) = read(&prompt)? else {
            return Err(Error::Refused(format!(
                "no passphrase given for {}: the input ended before one was typed; nothing was \
                 opened. Type it at the prompt, or give it as a line of standard input",
                reviewer.name
            )));
        };
        if matches(reviewer, &given) {
            return Ok(());
        }
        if attempt < TRIES {
            eprintln!(
                "wrong passphrase; {} left",
                if TRIES - attempt == 1 {
                    "1 try".to_string()
                } else {
                    format!("{} tries", TRIES - attempt)
                }
            );
        }
    }
    Err(Error::Refused(format!(
        "wrong passphrase for {} three times; nothing was opened",
        reviewer.name
    )))
}
