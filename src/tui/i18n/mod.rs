//! The interface languages. Every string the screen shows comes from the catalogue in
//! [`say`] (or, for keys, from the action and mode descriptions in `action`); each entry is a
//! function of the language first and then its arguments, with one English and one Chinese
//! template, so that each language orders the words its own way. Data (labels, titles,
//! reasons) carries both languages itself and is read with [`Lang::pick`] or [`Lang::of`].

pub mod say;

use huishen_core::domain::Localized;

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    /// 简体中文
    Zh,
}

impl Lang {
    /// `en`, `zh-CN` (also `zh`, `zh_CN`, `zh-Hans`).
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.to_ascii_lowercase().replace('_', "-");
        if lower == "en" || lower.starts_with("en-") {
            Some(Lang::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// From LC_ALL, then LC_MESSAGES, then LANG (as POSIX orders them); English otherwise.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| {
                if v.to_ascii_lowercase().starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                }
            })
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// Picks the text of this language from data that carries both, English first.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// The text of this language of a bilingual label.
    pub fn of(self, text: &Localized) -> &str {
        self.pick(&text.en, &text.zh)
    }
}
