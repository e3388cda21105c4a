//! Which key does which [`Action`].
//!
//! The shipped `keymaps/default.toml` *is* the built-in keymap: it is compiled in and parsed
//! like any other keymap file. A preset (`vim`, or the path of a file) and then the user's own
//! `keymap.toml` are laid over it key by key: each key a file names does that file's action
//! from then on, taken from whatever action had it, and every other key keeps its binding. An
//! action given `[]` loses all its keys.
//!
//! ```toml
//! [keys]
//! move_down = ["down", "j"]
//! quit = ["q", "ctrl-c"]
//! ```
//!
//! The help overlay and the README's key table come from [`Keymap::help_rows`] and
//! [`Keymap::markdown_table`], so they always show the keys in force.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use crate::tui::action::{Action, Section};
use crate::tui::i18n::Lang;
use huishen_core::domain::SourceLocation;

/// The built-in keymap, as shipped.
const DEFAULT_FILE: &str = "keymaps/default.toml";
const DEFAULT_SOURCE: &str = include_str!("../../keymaps/default.toml");

/// The presets [`Keymap::load`] accepts by name, with the file each one is compiled from.
const PRESETS: &[(&str, &str, &str)] = &[
    ("default", DEFAULT_FILE, DEFAULT_SOURCE),
    (
        "vim",
        "keymaps/vim.toml",
        include_str!("../../keymaps/vim.toml"),
    ),
];

/// The user's keymap, in the config directory.
const USER_FILE: &str = "keymap.toml";

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

/// Everything wrong with a keymap file, each problem as `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub problems: Vec<String>,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for KeymapError {}

/// The keys in force: each key does at most one action; an action may have several keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    /// In the order the files gave them, which is the order the help shows an action's keys.
    bindings: Vec<(Key, Action)>,
}

impl Keymap {
    /// The shipped `keymaps/default.toml`.
    pub fn builtin() -> Keymap {
        let mut keymap = Keymap::default();
        if let Err(error) = keymap.overlay(DEFAULT_FILE, DEFAULT_SOURCE) {
            // A test parses the shipped file, so this cannot happen in a released build.
            panic!("the built-in keymap is broken:\n{error}");
        }
        keymap
    }

    /// Reads a keymap file: its actions with their keys, in file order. `file` names the file
    /// in problems. Reports every problem it finds, not just the first.
    pub fn parse(file: &str, source: &str) -> Result<Vec<(Action, Vec<Key>)>, KeymapError> {
        let mut problems = Problems {
            file,
            source,
            list: Vec::new(),
        };
        let top: Ordered<Spanned<String>, Spanned<toml::Value>> = match toml::from_str(source) {
            Ok(top) => top,
            Err(error) => {
                problems.add(error.span(), error.message().trim());
                return Err(problems.into_error());
            }
        };
        let mut top = top.0;
        top.sort_by_key(|(name, _)| name.span().start);
        for (name, value) in &top {
            let name_text = name.get_ref();
            if name_text == "keys" {
                continue;
            }
            let message = if value.get_ref().is_table() {
                format!("unknown table `[{name_text}]`: a keymap file has one table, [keys]")
            } else if Action::from_name(name_text).is_some() {
                format!("`{name_text}` is outside the [keys] table: put bindings under [keys]")
            } else {
                format!("unknown setting `{name_text}`: a keymap file has one table, [keys]")
            };
            problems.add(Some(name.span()), &message);
        }
        let raw: RawFile = match toml::from_str(source) {
            Ok(raw) => raw,
            Err(error) => {
                problems.add(error.span(), error.message().trim());
                return Err(problems.into_error());
            }
        };
        let mut bindings: Vec<(Action, Vec<Key>)> = Vec::new();
        // Every key seen so far in this file, with the action it went to.
        let mut seen: Vec<(Key, Action)> = Vec::new();
        // TOML tables do not keep their order, so restore the file's.
        let mut entries = raw.keys.map(|k| k.0).unwrap_or_default();
        entries.sort_by_key(|(name, _)| name.span().start);
        for (name, specs) in entries {
            let action = Action::from_name(name.get_ref());
            if action.is_none() {
                let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                problems.add(
                    Some(name.span()),
                    &format!(
                        "unknown action `{}`: the actions are {}",
                        name.get_ref(),
                        known.join(", ")
                    ),
                );
            }
            let mut keys = Vec::new();
            for spec in specs.into_inner().0 {
                let text = &spec.get_ref().0;
                let key = match Key::parse(text) {
                    Ok(key) => key,
                    Err(message) => {
                        problems.add(Some(spec.span()), &message);
                        continue;
                    }
                };
                let Some(action) = action else { continue };
                match seen.iter().find(|(k, _)| *k == key) {
                    Some((_, earlier)) if *earlier == action => problems.add(
                        Some(spec.span()),
                        &format!(
                            "`{text}` is listed twice for `{}`: remove one",
                            action.name()
                        ),
                    ),
                    Some((_, earlier)) => problems.add(
                        Some(spec.span()),
                        &format!(
                            "`{text}` is bound to both `{}` and `{}`: a key does one thing, \
                             so keep it on one of them",
                            earlier.name(),
                            action.name()
                        ),
                    ),
                    None => {
                        seen.push((key, action));
                        keys.push(key);
                    }
                }
            }
            if let Some(action) = action {
                bindings.push((action, keys));
            }
        }
        if problems.list.is_empty() {
            Ok(bindings)
        } else {
            Err(problems.into_error())
        }
    }

    /// Lays a keymap file over this keymap, key by key: each key the file names does the
    /// file's action from now on (taken from whatever action had it); an action given `[]`
    /// loses all its keys; every other binding stays. On error nothing changes.
    pub fn overlay(&mut self, file: &str, source: &str) -> Result<(), KeymapError> {
        for (action, keys) in Keymap::parse(file, source)? {
            if keys.is_empty() {
                self.bindings.retain(|(_, a)| *a != action);
            }
            for key in keys {
                match self.bindings.iter().position(|(k, _)| *k == key) {
                    Some(i) if self.bindings[i].1 == action => {}
                    Some(i) => {
                        self.bindings.remove(i);
                        self.bindings.push((key, action));
                    }
                    None => self.bindings.push((key, action)),
                }
            }
        }
        Ok(())
    }

    /// The keymap in force: the built-in one, then `choice` (a preset name, `vim` or
    /// `default`, or the path of a keymap file), then the user's `keymap.toml` in
    /// [`Keymap::config_dir`] if there is one.
    pub fn load(choice: Option<&str>) -> Result<Keymap, KeymapError> {
        Keymap::load_from(choice, Keymap::config_dir().as_deref())
    }

    /// [`Keymap::load`] with the config directory given rather than looked up.
    pub fn load_from(
        choice: Option<&str>,
        config_dir: Option<&Path>,
    ) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::builtin();
        if let Some(choice) = choice {
            match PRESETS.iter().find(|(name, _, _)| *name == choice) {
                Some((_, file, source)) => keymap.overlay(file, source)?,
                None => {
                    let source = std::fs::read_to_string(choice).map_err(|error| {
                        let presets: Vec<&str> = PRESETS.iter().map(|(name, _, _)| *name).collect();
                        KeymapError {
                            problems: vec![format!(
                                "{choice}: cannot read this keymap file ({error}); give the \
                                 path of a keymap file or a preset: {}",
                                presets.join(", ")
                            )],
                        }
                    })?;
                    keymap.overlay(choice, &source)?;
                }
            }
        }
        if let Some(dir) = config_dir {
            let path = dir.join(USER_FILE);
            if path.is_file() {
                let file = path.display().to_string();
                let source = std::fs::read_to_string(&path).map_err(|error| KeymapError {
                    problems: vec![format!(
                        "{file}: cannot read your keymap ({error}); fix its permissions or \
                         remove it"
                    )],
                })?;
                keymap.overlay(&file, &source)?;
            }
        }
        Ok(keymap)
    }

    /// Where the user's `keymap.toml` lives: `$HUISHEN_CONFIG_DIR`, else
    /// `$XDG_CONFIG_HOME/huishen`, else `$HOME/.config/huishen`.
    pub fn config_dir() -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if let Some(dir) = var("HUISHEN_CONFIG_DIR") {
            return Some(PathBuf::from(dir));
        }
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and to be ignored.
        if let Some(dir) = var("XDG_CONFIG_HOME").map(PathBuf::from)
            && dir.is_absolute()
        {
            return Some(dir.join("huishen"));
        }
        var("HOME").map(|home| PathBuf::from(home).join(".config").join("huishen"))
    }

    /// The action a key press asks for. Key releases ask for nothing.
    pub fn action(&self, key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::from_event(key);
        self.bindings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, action)| *action)
    }

    /// The keys that do `action`, for display (`↓`, `j`, `Ctrl-D`), in file order.
    pub fn keys(&self, action: Action) -> Vec<String> {
        self.bindings
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(key, _)| key.to_string())
            .collect()
    }

    /// One row per action that has a key: its section, its keys joined by ", " and its
    /// description; by section, then in [`Action::ALL`] order.
    pub fn help_rows(&self, lang: Lang) -> Vec<(Section, String, &'static str)> {
        self.bound_actions()
            .into_iter()
            .map(|action| {
                let keys = self.keys(action).join(", ");
                (action.section(), keys, action.description(lang))
            })
            .collect()
    }

    /// The keys as a Markdown table for the README: a bold row per section, then a row per
    /// action with its keys and description.
    pub fn markdown_table(&self, lang: Lang) -> String {
        let mut out = format!(
            "| {} | {} |\n|---|---|\n",
            lang.pick("Keys", "按键"),
            lang.pick("Action", "操作")
        );
        let mut section = None;
        for action in self.bound_actions() {
            if section != Some(action.section()) {
                section = Some(action.section());
                out.push_str(&format!("| **{}** | |\n", action.section().title(lang)));
            }
            let keys: Vec<String> = self.keys(action).iter().map(|k| code_span(k)).collect();
            out.push_str(&format!(
                "| {} | {} |\n",
                keys.join(", "),
                action.description(lang).replace('|', "\\|")
            ));
        }
        out
    }

    /// The actions that have a key, by section, then in [`Action::ALL`] order.
    fn bound_actions(&self) -> Vec<Action> {
        let mut actions: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(|&action| self.bindings.iter().any(|(_, a)| *a == action))
            .collect();
        actions.sort_by_key(|a| a.section());
        actions
    }
}

/// `text` as Markdown code inside a table cell.
fn code_span(text: &str) -> String {
    let text = text.replace('|', "\\|");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Problems found in one file.
struct Problems<'a> {
    file: &'a str,
    source: &'a str,
    /// Each problem with the byte offset it is at, to report them in file order.
    list: Vec<(usize, String)>,
}

impl Problems<'_> {
    fn add(&mut self, span: Option<Range<usize>>, message: &str) {
        let offset = span.map_or(0, |s| s.start);
        let at = SourceLocation::from_offset(self.file, self.source, offset);
        self.list.push((offset, format!("{at}: {message}")));
    }

    fn into_error(mut self) -> KeymapError {
        self.list.sort_by_key(|(offset, _)| *offset);
        KeymapError {
            problems: self.list.into_iter().map(|(_, problem)| problem).collect(),
        }
    }
}

/// A keymap file, its other tables ignored (they are reported separately).
#[derive(Deserialize)]
struct RawFile {
    keys: Option<Ordered<Spanned<String>, Spanned<KeyList>>>,
}

/// A TOML table's entries, with their spans (the toml crate gives them in name order).
struct Ordered<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for OrderedVisitor<K, V> {
            type Value = Ordered<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of `action = [keys]` lines")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }

        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}

/// An action's list of key specs.
struct KeyList(Vec<Spanned<KeySpec>>);

/// One key spec, as written.
struct KeySpec(String);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;

        impl<'de> Visitor<'de> for ListVisitor {
            type Value = KeyList;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a list of keys in brackets, like ["q", "ctrl-c"], or [] for none"#)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut specs = Vec::new();
                while let Some(spec) = seq.next_element()? {
                    specs.push(spec);
                }
                Ok(KeyList(specs))
            }
        }

        deserializer.deserialize_seq(ListVisitor)
    }
}

impl<'de> Deserialize<'de> for KeySpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpecVisitor;

        impl Visitor<'_> for SpecVisitor {
            type Value = KeySpec;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a key in quotes, like "j", "ctrl-d" or "pagedown""#)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(KeySpec(text.to_string()))
            }
        }

        deserializer.deserialize_str(SpecVisitor)
    }
}
