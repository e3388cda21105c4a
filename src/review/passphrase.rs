//! Reviewers' passphrases: stored as argon2id hashes, asked for without echo on a terminal
//! (read as a line from standard input otherwise, for scripts), three tries.

use std::io::{BufRead, IsTerminal, Write};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::{Error, Result};
use crate::store::Reviewer;

/// How many tries a reviewer gets.
pub const TRIES: usize = 3;

/// The argon2id PHC string of a passphrase.
pub fn hash(passphrase: &str) -> Result<String> {
    Argon2::default()
        .hash_password(passphrase.as_bytes())
        .map(|h: PasswordHash| h.to_string())
        .map_err(|e| Error::Refused(format!("cannot hash the passphrase: {e}")))
}

/// Whether `passphrase` is the reviewer's.
pub fn matches(reviewer: &Reviewer, passphrase: &str) -> bool {
    PasswordHash::new(&reviewer.passphrase_hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(passphrase.as_bytes(), &h)
            .is_ok()
    })
}

/// Reads one passphrase: hidden on a terminal, a line of standard input otherwise.
pub fn read(prompt: &str) -> Result<String> {
    let io = |e: std::io::Error| Error::Refused(format!("cannot read the passphrase: {e}"));
    if std::io::stdin().is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush().map_err(io)?;
        let text = read_hidden().map_err(io)?;
        eprintln!();
        Ok(text)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(io)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

/// Reads keys in raw mode until Enter, showing nothing.
fn read_hidden() -> std::io::Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    terminal::enable_raw_mode()?;
    let mut text = String::new();
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Backspace => {
                    text.pop();
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
    result.map(|()| text)
}

/// Asks for the reviewer's passphrase up to three times.
pub fn authenticate(reviewer: &Reviewer) -> Result<()> {
    for attempt in 1..=TRIES {
        let given = read(&format!(
            "passphrase for {} ({}): ",
            reviewer.name, reviewer.role
        ))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("lisi-2017").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        let r = Reviewer {
            name: "李四".into(),
            role: "市级审核".into(),
            scope: String::new(),
            passphrase_hash: h,
        };
        assert!(matches(&r, "lisi-2017"));
        assert!(!matches(&r, "lisi-2018"));
    }
}
