//! The interface languages, for the screen and the command line alike. Every string the
//! screen shows comes from the catalogue in [`say`] (or, for keys, from the action and mode
//! descriptions in `action`), every sentence the command line prints from [`cmd`]; each entry
//! is a function of the language first and then its arguments, with one English and one
//! Chinese template, so that each language orders the words its own way. Data (labels, titles,
//! reasons) carries both languages itself and is read with [`Lang::pick`] or [`Lang::of`];
//! the core's errors say themselves in both ([`say::failure`]).

/// Words and fixed sentences: `name = "English", "中文";`.
macro_rules! words {
    ($($name:ident = $en:literal, $zh:literal;)*) => {
        $(
            pub fn $name(lang: Lang) -> &'static str {
                match lang {
                    Lang::En => $en,
                    Lang::Zh => $zh,
                }
            }
        )*
    };
}

/// Sentences with arguments: `name(arg: Type, ...) = "English {arg}", "中文 {arg}";`.
macro_rules! sentences {
    ($($name:ident($($arg:ident: $ty:ty),+) = $en:literal, $zh:literal;)*) => {
        $(
            // A sentence takes as many arguments as it has places.
            #[allow(clippy::too_many_arguments)]
            pub fn $name(lang: Lang, $($arg: $ty),+) -> String {
                match lang {
                    Lang::En => format!($en),
                    Lang::Zh => format!($zh),
                }
            }
        )*
    };
}

pub mod cmd;
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

    /// From HUISHEN_LANG (`en`, `zh-CN`...), then LC_ALL, LC_MESSAGES and LANG (as POSIX
    /// orders them); English otherwise.
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(lang) = var("HUISHEN_LANG").and_then(|v| Lang::parse(&v)) {
            return lang;
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name))
            .map_or(Lang::En, |v| {
                if v.to_ascii_lowercase().starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                }
            })
    }

    /// The language asked for with `--lang`, else as [`Lang::from_env`] finds it.
    pub fn resolve(asked: Option<Lang>) -> Lang {
        asked.unwrap_or_else(Lang::from_env)
    }

    /// Whether this is Chinese, as the core's errors ask ([`huishen_core::Error::in_language`]).
    pub fn is_zh(self) -> bool {
        self == Lang::Zh
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

/// A refusal of the command line in both languages, from a catalogue entry: the same error
/// type as the core's, so that it is said in the language of whoever reads it.
pub fn refusal(say: impl Fn(Lang) -> String) -> huishen_core::Error {
    huishen_core::Error::declined(say(Lang::En), say(Lang::Zh))
}
