//! Reading a keymap file: its tables, each action or command with its keys, and every problem
//! as `file:line:column: message`.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use super::key::Key;
use crate::tui::action::{Action, Command, Mode};
use huishen_core::domain::SourceLocation;

/// The main screen's table.
pub(super) const MAIN_TABLE: &str = "keys";

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

/// One table's actions with their keys, in file order.
pub type Bound<A> = Vec<(A, Vec<Key>)>;

/// What a keymap file binds, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeymapFile {
    /// `[keys]`: the main screen's actions with their keys.
    pub keys: Bound<Action>,
    /// One entry per mode table (`[filter]`, ...): its commands with their keys.
    pub modes: Vec<(Mode, Bound<Command>)>,
}

impl KeymapFile {
    /// True when the file binds nothing at all.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.modes.iter().all(|(_, commands)| commands.is_empty())
    }
}

/// The tables a keymap file may have, for messages.
fn tables() -> String {
    let modes: Vec<String> = Mode::ALL
        .iter()
        .map(|m| format!("[{}]", m.name()))
        .collect();
    format!(
        "[{MAIN_TABLE}] for the main screen and one per window: {}",
        modes.join(", ")
    )
}

/// Reads a keymap file. `file` names it in problems. Reports every problem it finds.
pub fn parse(file: &str, source: &str) -> Result<KeymapFile, KeymapError> {
    let mut problems = Problems {
        file,
        source,
        list: Vec::new(),
    };
    let top: TopLevel = match toml::from_str(source) {
        Ok(top) => top,
        Err(error) => {
            problems.add(error.span(), error.message().trim());
            return Err(problems.into_error());
        }
    };
    let mut parsed = KeymapFile::default();
    for (name, value) in top.0 {
        let text = name.get_ref().as_str();
        let mode = Mode::from_name(text);
        match value {
            Value::Table(entries) if text == MAIN_TABLE => {
                let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                let lookup = |n: &str| Action::from_name(n);
                let what = format!("the actions are {}", known.join(", "));
                parsed.keys = table(&mut problems, entries, lookup, Action::name, &what);
            }
            Value::Table(entries) if mode.is_some() => {
                let Some(mode) = mode else { continue };
                let known: Vec<&str> = mode.commands().iter().map(|c| c.name()).collect();
                let lookup = |n: &str| mode.command(n);
                let what = format!("in [{}] the actions are {}", mode.name(), known.join(", "));
                let commands = table(&mut problems, entries, lookup, Command::name, &what);
                parsed.modes.push((mode, commands));
            }
            value => {
                let message = misplaced(text, &value);
                problems.add(Some(name.span()), &message);
            }
        }
    }
    if problems.list.is_empty() {
        Ok(parsed)
    } else {
        Err(problems.into_error())
    }
}

/// What is wrong with a top-level entry that is not a table of the keymap.
fn misplaced(name: &str, value: &Value) -> String {
    let is_table = matches!(value, Value::Table(_) | Value::OtherTable);
    if is_table {
        format!(
            "unknown table `[{name}]`: a keymap file has the tables {}",
            tables()
        )
    } else if Action::from_name(name).is_some() {
        format!("`{name}` is outside the [{MAIN_TABLE}] table: put bindings under [{MAIN_TABLE}]")
    } else {
        format!(
            "unknown setting `{name}`: a keymap file has the tables {}",
            tables()
        )
    }
}

/// The bindings of one table, in file order; `what` says which names the table knows.
fn table<A: Copy + Eq>(
    problems: &mut Problems<'_>,
    mut entries: Vec<(Spanned<String>, Spanned<KeyList>)>,
    lookup: impl Fn(&str) -> Option<A>,
    name_of: fn(A) -> &'static str,
    what: &str,
) -> Bound<A> {
    let mut bindings = Vec::new();
    // Every key seen so far in this table, with the action it went to.
    let mut seen: Vec<(Key, A)> = Vec::new();
    // TOML tables do not keep their order, so restore the file's.
    entries.sort_by_key(|(name, _)| name.span().start);
    for (name, specs) in entries {
        let action = lookup(name.get_ref());
        if action.is_none() {
            let message = format!("unknown action `{}`: {what}", name.get_ref());
            problems.add(Some(name.span()), &message);
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
                        name_of(action)
                    ),
                ),
                Some((_, earlier)) => problems.add(
                    Some(spec.span()),
                    &format!(
                        "`{text}` is bound to both `{}` and `{}`: a key does one thing, so \
                         keep it on one of them",
                        name_of(*earlier),
                        name_of(action)
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
    bindings
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

/// The top level of a keymap file, in file order.
struct TopLevel(Vec<(Spanned<String>, Value)>);

/// A top-level value: a keymap table (read), another table or anything else (skipped, and
/// reported).
enum Value {
    Table(Vec<(Spanned<String>, Spanned<KeyList>)>),
    OtherTable,
    Other,
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TopVisitor;

        impl<'de> Visitor<'de> for TopVisitor {
            type Value = TopLevel;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("keymap tables")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
                let mut entries = Vec::new();
                while let Some(name) = map.next_key::<Spanned<String>>()? {
                    let known =
                        name.get_ref() == MAIN_TABLE || Mode::from_name(name.get_ref()).is_some();
                    let value = if known {
                        map.next_value::<Shape<true>>()?.0
                    } else {
                        map.next_value::<Shape<false>>()?.0
                    };
                    entries.push((name, value));
                }
                entries.sort_by_key(|(name, _)| name.span().start);
                Ok(TopLevel(entries))
            }
        }

        deserializer.deserialize_map(TopVisitor)
    }
}

/// A top-level value, its table read when `READ` (a table the keymap knows).
struct Shape<const READ: bool>(Value);

impl<'de, const READ: bool> Deserialize<'de> for Shape<READ> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShapeVisitor<const READ: bool>;

        impl<'de, const READ: bool> Visitor<'de> for ShapeVisitor<READ> {
            type Value = Shape<READ>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of `action = [keys]` lines")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                if !READ {
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                    return Ok(Shape(Value::OtherTable));
                }
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Shape(Value::Table(entries)))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Shape(Value::Other))
            }

            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Shape(Value::Other))
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Shape(Value::Other))
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Shape(Value::Other))
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Shape(Value::Other))
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Shape(Value::Other))
            }
        }

        deserializer.deserialize_any(ShapeVisitor::<READ>)
    }
}

/// An action's list of key specs.
pub(super) struct KeyList(Vec<Spanned<KeySpec>>);

/// One key spec, as written.
pub(super) struct KeySpec(String);

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
