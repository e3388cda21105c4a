//! Starting a review action on the selected record: what is checked on screen first (a
//! refusal stays on screen as a message and changes nothing), and which editor opens or which
//! write is asked for. Every write itself goes through the review core, as an effect.

use super::msg::{Effect, Then, Write};
use super::{App, Overlay, Pane};
use crate::tui::action::Action;
use crate::tui::editing::{EditState, TextPurpose, TextState};
use crate::tui::i18n::say;
use huishen_core::domain::Severity;
use huishen_core::review::RecordDetail;

impl App {
    /// The first key of `action`, for messages that tell the reviewer what to press.
    pub(crate) fn key_of(&self, action: Action) -> String {
        self.keymap
            .keys(action)
            .into_iter()
            .next()
            .unwrap_or_else(|| action.name().to_string())
    }

    /// Starts a review action from the keymap.
    pub(super) fn start(&mut self, action: Action) -> Vec<Effect> {
        let Some(record) = self.record.as_ref() else {
            self.message = Some(say::no_record_selected(self.lang).into());
            return Vec::new();
        };
        let (id, seen) = (record.record, record.status.version);
        let locked = say::locked_reopen_first(self.lang, &self.key_of(Action::Reopen));
        // Every editor claims the record first, as the reviewer saw it: a refusal (changed
        // since, outside the scope, another reviewer on it) comes before any typing.
        let open = |then| Effect::OpenForWork {
            record: id,
            seen,
            then,
        };
        match action {
            Action::Edit if self.focus != Pane::Record => {
                self.focus = Pane::Record;
                self.message = Some(say::choose_field_first(
                    self.lang,
                    &self.key_of(Action::Edit),
                ));
            }
            Action::Edit if record.status.locked => self.message = Some(locked),
            Action::Edit => {
                return vec![open(Then::Field)];
            }
            Action::Explain => match self.rule_to_explain(record) {
                Err(refusal) => self.message = Some(refusal),
                Ok(_) if record.status.locked => self.message = Some(locked),
                Ok(rule) => {
                    return vec![open(Then::Text(TextPurpose::Explain { rule }))];
                }
            },
            Action::Note => {
                return vec![open(Then::Text(TextPurpose::Note))];
            }
            Action::Reopen if record.status.signatures.is_empty() => {
                self.message = Some(say::not_signed(self.lang).into());
            }
            Action::Reopen => {
                return vec![open(Then::Text(TextPurpose::Reopen))];
            }
            // A record ready to sign asks first, saying what the signature does; one that is
            // not goes to the core, which says why.
            Action::Sign
                if record.status.ready()
                    && !record.status.locked
                    && !(record.status.signatures.iter())
                        .any(|(who, _)| *who == self.session.reviewer.name) =>
            {
                self.overlay = Some(Overlay::Sign);
            }
            Action::Sign => return vec![Effect::Write(Write::Sign { record: id, seen })],
            Action::Undo => return vec![Effect::Write(Write::Undo { record: id, seen })],
            Action::History => return vec![Effect::History(id)],
            _ => {}
        }
        Vec::new()
    }

    /// The warning an explanation is for: the open one under the cursor in the flags pane,
    /// else the record's first open warning not yet explained.
    fn rule_to_explain(&self, record: &RecordDetail) -> Result<String, String> {
        let under_cursor = match self.focus {
            Pane::Flags => record.flags.get(self.flag_cursor),
            _ => None,
        };
        match under_cursor {
            Some(f) if f.is_open() && f.severity == Severity::Error => {
                Err(say::errors_not_explained(self.lang).into())
            }
            Some(f) if f.is_open() => Ok(f.rule.clone()),
            _ => record
                .flags
                .iter()
                .find(|f| f.is_open() && f.severity == Severity::Warning && !f.explained)
                .map(|f| f.rule.clone())
                .ok_or_else(|| say::no_warning_to_explain(self.lang).into()),
        }
    }

    fn open_text(&mut self, purpose: TextPurpose) {
        self.overlay = Some(Overlay::Text(Box::new(TextState::new(purpose))));
    }

    /// The editor asked for, once the record is claimed: a text editor, or the field editor
    /// on the field under the cursor.
    pub(super) fn open_editor(&mut self, then: Then) {
        let Then::Field = then else {
            if let Then::Text(purpose) = then {
                self.open_text(purpose);
            }
            return;
        };
        let Some(value) = self
            .record
            .as_ref()
            .and_then(|r| r.values.get(self.field_cursor))
        else {
            return;
        };
        let state = EditState::new(value.field.clone(), value.text.clone());
        self.overlay = Some(Overlay::Edit(Box::new(state)));
    }
}
