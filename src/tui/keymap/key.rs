//! One key press as keymap files write it and as the screen shows it.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key spec may be, for error messages.
const KEY_FORMS: &str = "write a single character (j, G, /, ?), or a key name (up, down, left, \
right, home, end, pageup, pagedown, tab, backtab, enter, esc, space, backspace, delete, insert, \
f1 to f12), either of them optionally after ctrl-, alt- or shift-, as in ctrl-d or shift-tab";

/// One key press, as bindings compare it: a key code and the Ctrl, Alt and Shift modifiers.
///
/// Shift is folded into characters, because terminals report it inconsistently: `G`, shift-g
/// and a `G` reported with Shift are all the same key, and `?` is `?` whether or not the
/// terminal says Shift was held. Shift-Tab is [`KeyCode::BackTab`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    /// A key with its modifiers normalised.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    /// The key a terminal event reports.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// Parses a key spec from a keymap file: `j`, `G`, `?`, `pagedown`, `ctrl-d`, `shift-tab`,
    /// `alt-f1`. Modifier and key names are not case-sensitive. The error says what is wrong
    /// and what is accepted.
    pub fn parse(spec: &str) -> Result<Key, String> {
        if spec.is_empty() {
            return Err(format!("an empty string is not a key: {KEY_FORMS}"));
        }
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = spec;
        loop {
            let found = [
                ("ctrl-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
            ]
            .into_iter()
            .find_map(|(prefix, modifier)| {
                strip_prefix_ignore_case(rest, prefix)
                    .filter(|after| !after.is_empty())
                    .map(|after| (after, modifier))
            });
            match found {
                Some((after, modifier)) => {
                    modifiers |= modifier;
                    rest = after;
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if modifiers.contains(KeyModifiers::SHIFT) && !c.is_ascii_alphabetic() {
                    return Err(format!(
                        "`{spec}` is not a key: shift- goes only with letters and key names; \
                         write the character Shift makes instead, as in `?` rather than \
                         `shift-/`"
                    ));
                }
                if c.is_control() {
                    return Err(format!(
                        "`{}` is not a key: {KEY_FORMS}",
                        spec.escape_debug()
                    ));
                }
                KeyCode::Char(c)
            }
            _ => named_key(rest).ok_or_else(|| format!("`{spec}` is not a key: {KEY_FORMS}"))?,
        };
        Ok(Key::new(code, modifiers))
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn named_key(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    let code = match lower.as_str() {
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        _ => {
            let number: u8 = lower.strip_prefix('f')?.parse().ok()?;
            if !(1..=12).contains(&number) || lower.starts_with("f0") {
                return None;
            }
            KeyCode::F(number)
        }
    };
    Some(code)
}

/// Renders a key for the help and the README: `Ctrl-D`, `PgDn`, `↓`, `j`, `G`, `Space`, `Esc`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ctrl_or_alt = self
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        // With Ctrl or Alt a letter is shown in capitals, as on the keycap, so Shift must be
        // spelt out; alone, `G` already says Shift.
        let shifted_letter =
            matches!(self.code, KeyCode::Char(c) if c.is_ascii_uppercase()) && ctrl_or_alt;
        if self.modifiers.contains(KeyModifiers::SHIFT) || shifted_letter {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if ctrl_or_alt => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}
