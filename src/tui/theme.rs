//! Every style the screen uses, in one place. With `NO_COLOR` set, colours give way to bold,
//! reverse and underline, and severity still reads from its symbol.

use ratatui::style::{Color, Modifier, Style};

use huishen_core::domain::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org).
    pub fn from_env() -> Theme {
        Theme::with_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// The theme for a `NO_COLOR` of this value (`None`: not set).
    pub fn with_no_color(no_color: Option<&std::ffi::OsStr>) -> Theme {
        Theme {
            color: no_color.is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn bar(self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn severity(self, s: Severity) -> Style {
        match s {
            Severity::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::Warning => self.fg(Color::Yellow),
        }
    }

    pub fn resolved(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn message(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}

/// The symbol of a severity, so that it reads without colour.
pub fn symbol(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::Warning => "!",
    }
}

/// The symbol of a flag fixed since it was raised; on a queue line, a record signed off.
pub const FIXED: &str = "✔";

/// A queue line whose record is ready to sign: nothing left to correct or explain.
pub const READY: &str = "✓";

/// A queue line whose record is signed and waits for more signatures.
pub const SIGNED_ONCE: &str = "✎";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_set_to_anything_but_empty_takes_the_colours_away() {
        use std::ffi::OsStr;
        assert!(Theme::with_no_color(None).color);
        assert!(Theme::with_no_color(Some(OsStr::new(""))).color);
        let plain = Theme::with_no_color(Some(OsStr::new("1")));
        assert!(!plain.color);
        assert_eq!(plain.bar(), Style::new().add_modifier(Modifier::REVERSED));
    }
}
