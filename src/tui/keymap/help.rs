//! The help overlay's rows and the README's key table, generated from the keys in force.

use super::Keymap;
use crate::tui::action::{Action, Mode, Section};
use crate::tui::i18n::{Lang, say};

/// One heading of the help: a section of the main screen's actions, or a mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpGroup {
    pub title: &'static str,
    /// The mode's keymap table; `None` for the main screen's sections (`[keys]`).
    pub table: Option<&'static str>,
    /// Each bound action or command: its keys and what it does.
    pub rows: Vec<(Vec<String>, &'static str)>,
}

impl Keymap {
    /// One row per main-screen action that has a key: its section, its keys joined by ", "
    /// and its description; by section, then in [`Action::ALL`] order.
    pub fn help_rows(&self, lang: Lang) -> Vec<(Section, String, &'static str)> {
        self.bound_actions()
            .into_iter()
            .map(|action| {
                let keys = self.keys(action).join(", ");
                (action.section(), keys, action.description(lang))
            })
            .collect()
    }

    /// Everything the keys do: the main screen's sections, then each mode's commands, with
    /// only what has a key.
    pub fn help(&self, lang: Lang) -> Vec<HelpGroup> {
        let mut groups: Vec<HelpGroup> = Vec::new();
        for action in self.bound_actions() {
            let (title, keys) = (action.section().title(lang), self.keys(action));
            let description = action.description(lang);
            match groups.last_mut() {
                Some(group) if group.title == title => group.rows.push((keys, description)),
                _ => groups.push(HelpGroup {
                    title,
                    table: None,
                    rows: vec![(keys, description)],
                }),
            }
        }
        for &mode in Mode::ALL {
            let rows: Vec<(Vec<String>, &'static str)> = mode
                .commands()
                .iter()
                .filter_map(|&command| {
                    let keys = self.command_keys(mode, command);
                    let description = mode.describe(command, lang)?;
                    (!keys.is_empty()).then_some((keys, description))
                })
                .collect();
            if !rows.is_empty() {
                groups.push(HelpGroup {
                    title: mode.title(lang),
                    table: Some(mode.name()),
                    rows,
                });
            }
        }
        groups
    }

    /// The keys as a Markdown table for the README: a bold row per section or mode (with its
    /// keymap table), then a row per action with its keys and description.
    pub fn markdown_table(&self, lang: Lang) -> String {
        let mut out = format!(
            "| {} | {} |\n|---|---|\n",
            say::keys_heading(lang),
            say::action_heading(lang)
        );
        for group in self.help(lang) {
            match group.table {
                Some(table) => out.push_str(&format!("| **{}** `[{table}]` | |\n", group.title)),
                None => out.push_str(&format!("| **{}** | |\n", group.title)),
            }
            for (keys, description) in &group.rows {
                let keys: Vec<String> = keys.iter().map(|k| code_span(k)).collect();
                out.push_str(&format!(
                    "| {} | {} |\n",
                    keys.join(", "),
                    description.replace('|', "\\|")
                ));
            }
        }
        out
    }

    /// The actions that have a key, by section, then in [`Action::ALL`] order.
    fn bound_actions(&self) -> Vec<Action> {
        let mut actions: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(|&action| !self.keys(action).is_empty())
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
