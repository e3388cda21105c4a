//! A census object in the record pane: its own fields, then its child rows (a boiler per
//! line). Enter opens the row under the cursor in the pane, with its own fields and flags,
//! and every review key then acts on that row, through a session of the same reviewer on its
//! form; Backspace goes back to the object.

use super::msg::{Effect, Read, Write};
use super::{App, Inside, Pane};
use crate::tui::i18n::say;
use huishen_core::Result;
use huishen_core::review::{ChildRow, RecordDetail, Session};

impl App {
    /// The child rows of the object in the record pane, in the order the pane lists them,
    /// each with its form's label; none while a row is open.
    pub fn object_rows(&self) -> Vec<(&huishen_core::domain::Form, &ChildRow)> {
        match (&self.record, &self.inside) {
            (Some(r), None) => r
                .children
                .iter()
                .flat_map(|c| c.rows.iter().map(move |row| (&c.form, row)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Lines the record pane's cursor moves over: the fields, then the child rows.
    pub(super) fn record_lines(&self) -> usize {
        self.record.as_ref().map_or(0, |r| r.values.len()) + self.object_rows().len()
    }

    /// Opens the child row under the record pane's cursor.
    pub(super) fn open_row(&mut self) -> Vec<Effect> {
        let fields = self.record.as_ref().map_or(0, |r| r.values.len());
        let row = self
            .object_rows()
            .get(self.field_cursor.wrapping_sub(fields))
            .map(|(form, row)| (form.name.clone(), form.label.clone(), row.record));
        let (Some((form, label, record)), Some(object)) = (row, self.record.clone()) else {
            self.message = Some(say::no_row_here(self.lang).into());
            return Vec::new();
        };
        self.inside = Some(Inside {
            form: form.clone(),
            label,
            object: Box::new(object),
            cursor: self.field_cursor,
        });
        self.focus = Pane::Record;
        vec![Effect::ReadRow { form, record }]
    }

    /// Back to the census object from its row.
    pub(super) fn close_row(&mut self) -> Vec<Effect> {
        let Some(inside) = self.inside.take() else {
            return Vec::new();
        };
        self.record = Some(*inside.object);
        self.field_cursor = inside.cursor;
        self.flag_cursor = 0;
        vec![self.read(Read::AfterAction)]
    }

    /// A child row read: shown in the pane, its cursors kept while it is the same row.
    pub(super) fn row_read(&mut self, row: Result<Option<Box<RecordDetail>>>) {
        match row {
            Ok(Some(row)) => {
                let same = self.record.as_ref().map(|r| r.record) == Some(row.record);
                if !same {
                    self.field_cursor = 0;
                    self.flag_cursor = 0;
                }
                self.record = Some(*row);
            }
            // The row is gone (another reviewer's import cannot remove one, but be safe).
            Ok(None) => {
                let _ = self.close_row();
            }
            Err(error) => self.message = Some(say::failure(self.lang, &error)),
        }
    }

    /// After the object was read again: the open row is read again too, from its form.
    pub(super) fn object_read(&mut self, object: Option<RecordDetail>) -> Vec<Effect> {
        let Some(inside) = &mut self.inside else {
            return Vec::new();
        };
        match object {
            Some(o) if o.record == inside.object.record => {
                *inside.object = o;
                let row = self.record.as_ref().map(|r| r.record);
                row.map(|record| Effect::ReadRow {
                    form: inside.form.clone(),
                    record,
                })
                .into_iter()
                .collect()
            }
            // Another object selected: the row closes.
            other => {
                self.inside = None;
                self.record = other;
                self.field_cursor = 0;
                self.flag_cursor = 0;
                Vec::new()
            }
        }
    }

    /// The child form whose session an effect runs against, while a row is open: the
    /// effects on the record in the pane.
    pub(super) fn row_form(&self, effect: &Effect) -> Option<String> {
        let inside = self.inside.as_ref()?;
        let on_row = match effect {
            Effect::ReadRow { .. } | Effect::OpenForWork { .. } | Effect::History(_) => true,
            Effect::Write(w) => !matches!(w, Write::Bulk(_)),
            _ => false,
        };
        on_row.then(|| inside.form.clone())
    }

    /// The reviewer's session on child form `form`, opened the first time.
    pub(super) fn row_session(&mut self, form: &str) -> Result<&mut Session> {
        let at = match self.row_sessions.iter().position(|(f, _)| f == form) {
            Some(at) => at,
            None => {
                let session = self.session.on_form(form)?;
                self.row_sessions.push((form.to_string(), session));
                self.row_sessions.len() - 1
            }
        };
        Ok(&mut self.row_sessions[at].1)
    }
}
