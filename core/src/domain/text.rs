//! Small text types shared by the domain: bilingual labels and places in source files.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A text in both interface languages. In TOML either `{ zh = "吨", en = "t" }` or a plain
/// string, which then serves both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "LocalizedRepr")]
pub struct Localized {
    pub zh: String,
    pub en: String,
}

impl Localized {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Localized {
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LocalizedRepr {
    Both { zh: String, en: String },
    One(String),
}

impl From<LocalizedRepr> for Localized {
    fn from(repr: LocalizedRepr) -> Localized {
        match repr {
            LocalizedRepr::Both { zh, en } => Localized { zh, en },
            LocalizedRepr::One(text) => Localized {
                zh: text.clone(),
                en: text,
            },
        }
    }
}

/// `file:line:column`, 1-based, column counted in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl SourceLocation {
    /// The location of byte `offset` in `source`.
    pub fn from_offset(file: &str, source: &str, offset: usize) -> SourceLocation {
        let offset = offset.min(source.len());
        let before = source.get(..offset).unwrap_or(source);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        SourceLocation {
            file: file.to_string(),
            line,
            column,
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_characters_not_bytes() {
        let source = "a = 1\n名称 = x\n";
        let offset = source.find('x').unwrap();
        let at = SourceLocation::from_offset("f.toml", source, offset);
        assert_eq!(at.to_string(), "f.toml:2:6");
    }
}
