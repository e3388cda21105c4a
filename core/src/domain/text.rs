//! Small text types shared by the domain: bilingual labels and places in source files.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A text in both interface languages. In TOML either `{ zh = "吨", en = "t" }` or a plain
/// string, which then serves both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// What a text that is neither form is told; `check` names the key and field it stands in.
pub const NEEDS_ZH_AND_EN: &str = "needs both `zh` and `en`, as in { zh = \"吨\", en = \"t\" }, \
    or one plain string for both languages";

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Localized, D::Error> {
        deserializer.deserialize_any(LocalizedVisitor)
    }
}

struct LocalizedVisitor;

impl<'de> serde::de::Visitor<'de> for LocalizedVisitor {
    type Value = Localized;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a text that {NEEDS_ZH_AND_EN}")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Localized, E> {
        Ok(Localized::new(text, text))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Localized, A::Error> {
        use serde::de::Error;
        let (mut zh, mut en) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "zh" => zh = Some(map.next_value::<String>()?),
                "en" => en = Some(map.next_value::<String>()?),
                other => {
                    return Err(A::Error::custom(format!(
                        "has `{other}`, which is not a language; it {NEEDS_ZH_AND_EN}"
                    )));
                }
            }
        }
        match (zh, en) {
            (Some(zh), Some(en)) => Ok(Localized { zh, en }),
            (zh, _) => Err(A::Error::custom(format!(
                "has no `{}`; it {NEEDS_ZH_AND_EN}",
                if zh.is_none() { "zh" } else { "en" }
            ))),
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

/// A count with thousands separators: `270,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_in_thousands() {
        assert_eq!(super::thousands(200_000), "200,000");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
    }

    use super::*;

    #[test]
    fn location_counts_characters_not_bytes() {
        let source = "a = 1\n名称 = x\n";
        let offset = source.find('x').unwrap();
        let at = SourceLocation::from_offset("f.toml", source, offset);
        assert_eq!(at.to_string(), "f.toml:2:6");
    }
}
