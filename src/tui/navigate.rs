//! Moving through the queue: the window of visible lines is read next to its first or last
//! line (keyset pagination), so a move costs the same at any queue length.

use super::action::Action;
use super::app::App;
use huishen_core::Result;
use huishen_core::domain::Severity;
use huishen_core::review::{Direction, QueueRow};

impl App {
    pub(super) fn move_queue(&mut self, action: Action) -> Result<()> {
        let height = self.height();
        let before = self.selected().map(|r| r.record);
        match action {
            Action::MoveDown => {
                if self.cursor + 1 < self.rows.len() {
                    self.cursor += 1;
                } else if let Some(last) = self.rows.last().cloned() {
                    let next =
                        self.session
                            .window(&self.filter, Some(&last), Direction::Forward, 1)?;
                    if let Some(row) = next.into_iter().next() {
                        self.rows.push(row);
                        if self.rows.len() > height {
                            self.rows.remove(0);
                            self.position += 1;
                        }
                        self.cursor = self.rows.len() - 1;
                    }
                }
            }
            Action::MoveUp => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                } else if let Some(first) = self.rows.first().cloned() {
                    let prev =
                        self.session
                            .window(&self.filter, Some(&first), Direction::Backward, 1)?;
                    if let Some(row) = prev.into_iter().next() {
                        self.rows.insert(0, row);
                        self.rows.truncate(height);
                        self.position = self.position.saturating_sub(1);
                    }
                }
            }
            Action::PageDown => {
                if let Some(last) = self.rows.last().cloned() {
                    let next = self.session.window(
                        &self.filter,
                        Some(&last),
                        Direction::Forward,
                        height,
                    )?;
                    if next.is_empty() {
                        self.cursor = self.rows.len().saturating_sub(1);
                    } else {
                        let shift = next.len();
                        self.rows.extend(next);
                        let drop = self.rows.len().saturating_sub(height);
                        self.rows.drain(..drop);
                        self.position += drop as u64;
                        if shift < height {
                            self.cursor = self.rows.len().saturating_sub(1);
                        }
                    }
                }
            }
            Action::PageUp => {
                if let Some(first) = self.rows.first().cloned() {
                    let mut prev = self.session.window(
                        &self.filter,
                        Some(&first),
                        Direction::Backward,
                        height,
                    )?;
                    if prev.is_empty() {
                        self.cursor = 0;
                    } else {
                        let got = prev.len();
                        prev.reverse();
                        prev.append(&mut self.rows);
                        prev.truncate(height);
                        self.rows = prev;
                        self.position = self.position.saturating_sub(got as u64);
                        if got < height {
                            self.cursor = 0;
                        }
                    }
                }
            }
            Action::First => self.reload_from_start()?,
            Action::Last => {
                let mut rows =
                    self.session
                        .window(&self.filter, None, Direction::Backward, height)?;
                rows.reverse();
                self.position = self.count.saturating_sub(rows.len() as u64);
                self.cursor = rows.len().saturating_sub(1);
                self.rows = rows;
            }
            _ => {}
        }
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        if self.selected().map(|r| r.record) != before {
            self.load_record()?;
        }
        Ok(())
    }

    pub(super) fn jump_to_error(&mut self, direction: Direction) -> Result<()> {
        let mut errors = self.filter.clone();
        if errors.severity == Some(Severity::Warning) {
            self.message = Some(
                self.lang
                    .pick("The filter shows warnings only", "当前筛选只显示提示")
                    .into(),
            );
            return Ok(());
        }
        errors.severity = Some(Severity::Error);
        let Some(current) = self.selected().cloned() else {
            return Ok(());
        };
        let found = self.session.window(&errors, Some(&current), direction, 1)?;
        match found.into_iter().next() {
            // Within the window, the cursor just moves; only a jump beyond it re-reads.
            Some(row) => match self.rows.iter().position(|r| r.record == row.record) {
                Some(i) => {
                    self.cursor = i;
                    self.load_record()?;
                }
                None => self.show_from(row)?,
            },
            None => {
                self.message = Some(
                    match direction {
                        Direction::Forward => self
                            .lang
                            .pick("No further record with an error", "后面没有有错误的记录"),
                        Direction::Backward => self
                            .lang
                            .pick("No earlier record with an error", "前面没有有错误的记录"),
                    }
                    .into(),
                )
            }
        }
        Ok(())
    }

    /// Shows the queue from `row` (at the top of the window, or as low as the end allows).
    pub(super) fn show_from(&mut self, row: QueueRow) -> Result<()> {
        let height = self.height();
        let mut rows = vec![row.clone()];
        rows.extend(self.session.window(
            &self.filter,
            Some(&row),
            Direction::Forward,
            height - 1,
        )?);
        let mut cursor = 0;
        if rows.len() < height {
            let mut before = self.session.window(
                &self.filter,
                Some(&row),
                Direction::Backward,
                height - rows.len(),
            )?;
            cursor = before.len();
            before.reverse();
            before.extend(rows);
            rows = before;
        }
        self.position = self.session.position(&self.filter, &rows[0])?;
        self.rows = rows;
        self.cursor = cursor;
        self.load_record()
    }

    pub(super) fn reload_from_start(&mut self) -> Result<()> {
        self.count = self.session.count(&self.filter)?;
        self.progress = self.session.progress()?;
        self.rows = self
            .session
            .window(&self.filter, None, Direction::Forward, self.height())?;
        self.position = 0;
        self.cursor = 0;
        self.load_record()
    }

    /// After an action: the record and the queue as they are now.
    pub(super) fn reload_after_action(&mut self) -> Result<()> {
        self.data_version = self.session.data_version()?;
        self.reload_keeping_place()
    }

    /// Reads the window again from its first line, keeping the cursor on its record when
    /// the record is still in the queue.
    pub(super) fn reload_keeping_place(&mut self) -> Result<()> {
        let keep = self.selected().cloned();
        let Some(first) = self.rows.first().cloned() else {
            return self.reload_from_start();
        };
        self.count = self.session.count(&self.filter)?;
        self.progress = self.session.progress()?;
        let prev = self
            .session
            .window(&self.filter, Some(&first), Direction::Backward, 1)?;
        let rows = self.session.window(
            &self.filter,
            prev.first(),
            Direction::Forward,
            self.height(),
        )?;
        self.position = match rows.first() {
            Some(r) => self.session.position(&self.filter, r)?,
            None => 0,
        };
        self.cursor = keep
            .and_then(|k| rows.iter().position(|r| r.record == k.record))
            .unwrap_or(self.cursor)
            .min(rows.len().saturating_sub(1));
        self.rows = rows;
        if self.rows.is_empty() && self.count > 0 {
            return self.reload_from_start();
        }
        self.load_record()
    }

    pub(super) fn load_record(&mut self) -> Result<()> {
        let same = self.record.as_ref().map(|r| r.record) == self.selected().map(|r| r.record);
        self.record = match self.selected() {
            Some(row) => self.session.record(row.record)?,
            None => None,
        };
        if !same {
            self.field_cursor = 0;
            self.flag_cursor = 0;
        }
        Ok(())
    }
}
