//! The windows over the screen as they take their commands (from their keymap modes) and the
//! keys typed into them. Part of [`App::update`]: this changes the model and asks for effects.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;

use super::msg::{Effect, Read, Write};
use super::{App, FilterMenu, Overlay};
use crate::tui::action::{Command, OtherKeys};
use crate::tui::editing::{EditStage, EditState, TextPurpose, TextState};
use crate::tui::i18n::say;
use huishen_core::domain::Severity;
use huishen_core::domain::{Datum, Outcome};
use huishen_core::review::{Impact, Standing};

impl App {
    /// A command of the open window.
    pub(super) fn command(&mut self, command: Command) -> Vec<Effect> {
        let Some(overlay) = self.overlay.take() else {
            return Vec::new();
        };
        let (overlay, effects) = match overlay {
            Overlay::Help { scroll } => {
                // No further than the help is long (its lines without wrapping, a bound the
                // view narrows to what it shows).
                let lines: usize = (self.keymap.help(self.lang).iter())
                    .map(|g| g.rows.len() + 2)
                    .sum::<usize>()
                    + 8;
                let most = u16::try_from(lines).unwrap_or(u16::MAX);
                let overlay = scrolled(scroll, command).map(|s| Overlay::Help {
                    scroll: s.min(most),
                });
                (overlay, Vec::new())
            }
            Overlay::History { lines, scroll } => {
                let overlay =
                    scrolled(scroll, command).map(|scroll| Overlay::History { lines, scroll });
                (overlay, Vec::new())
            }
            Overlay::FlagDetail { detail, scroll } => {
                self.flag_detail_command(detail, scroll, command)
            }
            Overlay::Search { input } => match command {
                Command::Confirm => {
                    let text = input.trim().to_string();
                    if text.is_empty() {
                        self.filter.search = None;
                        self.searching = None;
                        return vec![self.read(Read::FromStart)];
                    }
                    // Off the key path: the lines come when the searcher has them, and the
                    // screen answers keys meanwhile.
                    let mut view = self.view();
                    view.filter.search = Some(text);
                    self.searching = Some(view.filter.clone());
                    (None, vec![Effect::Search(view)])
                }
                _ => (None, Vec::new()),
            },
            Overlay::Filter(menu) => self.filter_command(menu, command),
            Overlay::Edit(state) => self.edit_command(state, command),
            Overlay::Text(state) => match command {
                Command::Save => self.save_text(state),
                _ => (None, Vec::new()),
            },
            Overlay::Dashboard(figures) => match command {
                Command::ToggleLanguage => {
                    self.lang = self.lang.other();
                    (Some(Overlay::Dashboard(figures)), Vec::new())
                }
                _ => (None, Vec::new()),
            },
            Overlay::Bulk(plan) => match command {
                Command::Confirm if !plan.ready.is_empty() => {
                    (None, vec![Effect::Write(Write::Bulk(plan))])
                }
                _ => (None, Vec::new()),
            },
            Overlay::Sign => match (command, &self.record) {
                (Command::Confirm, Some(record)) => {
                    let write = Write::Sign {
                        record: record.record,
                        seen: record.status.version,
                    };
                    (None, vec![Effect::Write(write)])
                }
                _ => (None, Vec::new()),
            },
            Overlay::TakeOver { .. } => match (command, &self.record) {
                (Command::Confirm, Some(record)) => {
                    let write = Write::TakeOver {
                        record: record.record,
                    };
                    (None, vec![Effect::Write(write)])
                }
                _ => (None, Vec::new()),
            },
        };
        self.overlay = overlay;
        effects
    }

    /// A key the open window's mode does not bind: typed into its text, or closing it.
    pub(super) fn other_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(overlay) = &mut self.overlay else {
            return Vec::new();
        };
        if overlay.mode().other_keys() == OtherKeys::Close {
            self.overlay = None;
            return Vec::new();
        }
        match overlay {
            Overlay::Search { input } => type_into(input, key),
            Overlay::Filter(menu) if menu.row == 2 => type_into(&mut menu.region, key),
            // On the rule line, typing a rule's id picks it (R29 rather than 29 presses).
            Overlay::Filter(menu) if menu.row == 1 => {
                type_into(&mut menu.rule_typed, key);
                let typed = menu.rule_typed.to_lowercase();
                let rules = self.session.rules();
                menu.rule = (!typed.is_empty())
                    .then(|| {
                        (rules.iter().position(|r| r.id.to_lowercase() == typed)).or_else(|| {
                            rules
                                .iter()
                                .position(|r| r.id.to_lowercase().starts_with(&typed))
                        })
                    })
                    .flatten()
                    .or(menu.rule);
            }
            Overlay::Edit(state) => match &mut state.stage {
                EditStage::Value(area) => {
                    area.input(key);
                }
                EditStage::Reason { choice, other, .. } if *choice == self.reasons.len() => {
                    other.input(key);
                }
                EditStage::Reason { .. } => {}
            },
            Overlay::Text(state) => {
                state.text.input(key);
            }
            _ => {}
        }
        Vec::new()
    }

    fn filter_command(
        &mut self,
        mut menu: FilterMenu,
        command: Command,
    ) -> (Option<Overlay>, Vec<Effect>) {
        let rules = self.session.rules().len();
        match command {
            Command::PrevRow => menu.row = (menu.row + 5) % 6,
            Command::NextRow => menu.row = (menu.row + 1) % 6,
            Command::PrevValue | Command::NextValue => {
                let forward = command == Command::NextValue;
                match menu.row {
                    0 => {
                        let options = [None, Some(Severity::Error), Some(Severity::Warning)];
                        menu.severity = cycle(&options, menu.severity, forward);
                    }
                    1 => {
                        let options: Vec<Option<usize>> =
                            std::iter::once(None).chain((0..rules).map(Some)).collect();
                        menu.rule = cycle(&options, menu.rule, forward);
                    }
                    3 => {
                        let options = [None, Some(Outcome::Fail), Some(Outcome::Missing)];
                        menu.outcome = cycle(&options, menu.outcome, forward);
                    }
                    4 => {
                        let options = [
                            None,
                            Some(Impact::High),
                            Some(Impact::Low),
                            Some(Impact::Unscored),
                        ];
                        menu.impact = cycle(&options, menu.impact, forward);
                    }
                    5 => {
                        let me = self.session.reviewer.name.clone();
                        let options = [
                            None,
                            Some(Standing::ReadyFor(me.clone())),
                            Some(Standing::Ready),
                            Some(Standing::SignedOnce),
                            Some(Standing::Locked),
                            Some(Standing::ClaimedBy(me)),
                        ];
                        menu.standing = cycle(&options, menu.standing.clone(), forward);
                    }
                    _ => {}
                }
            }
            Command::Confirm => return self.apply_filter(menu),
            _ => return (None, Vec::new()),
        }
        (Some(Overlay::Filter(menu)), Vec::new())
    }

    /// Applies the menu to the queue; a region nobody knows keeps it open, saying so.
    fn apply_filter(&mut self, mut menu: FilterMenu) -> (Option<Overlay>, Vec<Effect>) {
        let typed = menu.region.trim();
        let region = match self.session.resolve_region(typed) {
            None if !typed.is_empty() => {
                menu.error = Some(say::no_region(self.lang, typed));
                return (Some(Overlay::Filter(menu)), Vec::new());
            }
            region => region,
        };
        self.filter.severity = menu.severity;
        self.filter.rule = menu
            .rule
            .and_then(|i| self.session.rules().get(i))
            .map(|r| r.id.clone());
        self.filter.outcome = menu.outcome;
        self.filter.impact = menu.impact;
        self.filter.standing = menu.standing;
        self.filter.region_prefix = region.as_ref().map(|r| r.prefix.clone());
        self.region_label = region.map(|r| r.label);
        (None, vec![self.read(Read::Around)])
    }

    fn edit_command(
        &mut self,
        mut state: Box<EditState>,
        command: Command,
    ) -> (Option<Overlay>, Vec<Effect>) {
        let lang = self.lang;
        match (&mut state.stage, command) {
            (EditStage::Value(area), Command::Confirm) => {
                let text = area.lines().concat();
                match Datum::parse(state.field.ty, &text) {
                    Err(why) => state.error = Some(say::not_a_value(lang, &text, &why)),
                    Ok(_) if text == state.current => {
                        state.error = Some(say::value_unchanged(lang).into());
                    }
                    Ok(value) => {
                        state.error = None;
                        state.stage = EditStage::Reason {
                            value,
                            choice: 0,
                            other: TextArea::default(),
                        };
                    }
                }
            }
            (EditStage::Reason { choice, .. }, Command::PrevReason) => {
                *choice = choice.saturating_sub(1)
            }
            (EditStage::Reason { choice, .. }, Command::NextReason) => {
                *choice = (*choice + 1).min(self.reasons.len());
            }
            (
                EditStage::Reason {
                    value,
                    choice,
                    other,
                },
                Command::Confirm,
            ) => {
                let reason = match self.reasons.get(*choice) {
                    Some(r) => lang.of(r).to_string(),
                    None => other.lines().concat(),
                };
                if reason.trim().is_empty() {
                    state.error = Some(say::reason_needed(lang).into());
                } else if let Some(record) = &self.record {
                    // The editor stays open until the core answers: a refusal shows in it.
                    let write = Write::Correct {
                        record: record.record,
                        seen: record.status.version,
                        field: state.field.name.clone(),
                        value: value.clone(),
                        reason,
                    };
                    return (Some(Overlay::Edit(state)), vec![Effect::Write(write)]);
                } else {
                    return (None, Vec::new());
                }
            }
            (_, Command::Cancel) => return (None, Vec::new()),
            _ => {}
        }
        (Some(Overlay::Edit(state)), Vec::new())
    }

    /// Saves an explanation, a note or a reopen reason; the editor stays open until the core
    /// answers.
    fn save_text(&mut self, state: Box<TextState>) -> (Option<Overlay>, Vec<Effect>) {
        if state.purpose == TextPurpose::BulkExplain {
            let action = huishen_core::review::BulkAction::Explain {
                rule: self.filter.rule.clone(),
                text: state.text.lines().join("\n"),
            };
            return (None, vec![Effect::PlanBulk(self.selection(), action)]);
        }
        let Some(record) = &self.record else {
            return (None, Vec::new());
        };
        let text = state.text.lines().join("\n");
        let (record, seen) = (record.record, record.status.version);
        let write = match &state.purpose {
            TextPurpose::Explain { rule } => Write::Explain {
                record,
                seen,
                rule: rule.clone(),
                text,
            },
            TextPurpose::Note => Write::Note { record, seen, text },
            TextPurpose::Reopen => Write::Reopen {
                record,
                seen,
                reason: text,
            },
            TextPurpose::BulkExplain => return (None, Vec::new()),
        };
        (Some(Overlay::Text(state)), vec![Effect::Write(write)])
    }
}

/// A scroll position after a command of a scrolling window; `None` when it closes.
fn scrolled(scroll: u16, command: Command) -> Option<u16> {
    match command {
        Command::ScrollDown => Some(scroll.saturating_add(1)),
        Command::ScrollUp => Some(scroll.saturating_sub(1)),
        Command::PageDown => Some(scroll.saturating_add(10)),
        Command::PageUp => Some(scroll.saturating_sub(10)),
        _ => None,
    }
}

/// A character typed into a one-line field, or taken back: Backspace one, Ctrl-W the last
/// word, Ctrl-U the whole field, as in a shell; other Ctrl and Alt chords type nothing.
fn type_into(text: &mut String, key: KeyEvent) {
    use ratatui::crossterm::event::KeyModifiers;
    let chord = key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char('u') if chord => text.clear(),
        KeyCode::Char('w') if chord => {
            let kept = text
                .trim_end()
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1);
            text.truncate(kept);
        }
        KeyCode::Char(_) if chord => {}
        KeyCode::Char(c) => text.push(c),
        _ => {}
    }
}

/// The next (or previous) of `options` after `current`, wrapping.
fn cycle<T: PartialEq + Clone>(options: &[T], current: T, forward: bool) -> T {
    let i = options.iter().position(|o| *o == current).unwrap_or(0);
    let n = options.len();
    options[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
    .clone()
}
