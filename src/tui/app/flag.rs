//! A flag's detail window: opened on the flag under the flags pane's cursor (Enter there, or
//! its own key anywhere), scrolled within its length, closed by Esc or any key it does not
//! bind. Part of [`App::update`].

use super::msg::Effect;
use super::{App, Overlay, Pane};
use crate::tui::action::Command;
use crate::tui::i18n::say;
use crate::tui::views::flag::scroll_room;
use huishen_core::Result;
use huishen_core::review::FlagDetail;

impl App {
    /// Asks the core why the flag under the flags pane's cursor was raised; from the record
    /// pane, the first flag that names the field under its cursor (as the flags pane then
    /// lists them), else the flag under the flags pane's cursor.
    pub(super) fn open_flag_detail(&mut self) -> Vec<Effect> {
        let Some(record) = &self.record else {
            self.message = Some(say::no_record_selected(self.lang).into());
            return Vec::new();
        };
        let on_field = match self.focus {
            Pane::Record => record.values.get(self.field_cursor).and_then(|v| {
                record
                    .flags
                    .iter()
                    .find(|f| f.fields.contains(&v.field.name))
            }),
            _ => None,
        };
        let Some(flag) = on_field.or_else(|| record.flags.get(self.flag_cursor)) else {
            self.message = Some(say::no_flag_here(self.lang).into());
            return Vec::new();
        };
        vec![Effect::FlagDetail {
            record: record.record,
            rule: flag.rule.clone(),
        }]
    }

    /// The core's answer: the window opens on it, or the status line says why it cannot.
    pub(super) fn flag_detail_read(&mut self, detail: Result<Option<Box<FlagDetail>>>) {
        match detail {
            Ok(Some(detail)) => self.overlay = Some(Overlay::FlagDetail { detail, scroll: 0 }),
            Ok(None) => self.message = Some(say::flag_gone(self.lang).into()),
            Err(error) => self.message = Some(say::failure(self.lang, &error)),
        }
    }

    /// A command in the window: it scrolls, never past its last line, or closes.
    pub(super) fn flag_detail_command(
        &mut self,
        detail: Box<FlagDetail>,
        scroll: u16,
        command: Command,
    ) -> (Option<Overlay>, Vec<Effect>) {
        if command == Command::ToggleLanguage {
            self.lang = self.lang.other();
        }
        let room = scroll_room(self, &detail);
        let page = self.areas.size.height.saturating_sub(6).max(1);
        let scroll = match command {
            Command::ScrollDown => scroll.saturating_add(1),
            Command::ScrollUp => scroll.saturating_sub(1),
            Command::PageDown => scroll.saturating_add(page),
            Command::PageUp => scroll.saturating_sub(page),
            Command::ToggleLanguage => scroll,
            _ => return (None, Vec::new()),
        };
        let overlay = Overlay::FlagDetail {
            detail,
            scroll: scroll.min(room),
        };
        (Some(overlay), Vec::new())
    }
}
