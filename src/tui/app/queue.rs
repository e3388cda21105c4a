//! Reading the queue: the window of visible lines is read next to its first or last line
//! (keyset pagination), so a move costs the same at any queue length. These are reads the
//! effect runner makes; the model takes the window they return.

use crate::tui::action::Action;
use huishen_core::Result;
use huishen_core::domain::Severity;
use huishen_core::review::{Direction, QueueFilter, QueueRow, Session};

/// The visible queue lines, with the cursor among them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    pub rows: Vec<QueueRow>,
    pub cursor: usize,
    /// Index of `rows[0]` in the filtered queue.
    pub position: u64,
    /// Lines under the filter.
    pub count: u64,
}

impl Window {
    pub fn selected(&self) -> Option<&QueueRow> {
        self.rows.get(self.cursor)
    }
}

/// The queue of a session under a filter, read `height` lines at a time.
pub(super) struct Queue<'a> {
    pub session: &'a Session,
    pub filter: &'a QueueFilter,
    pub height: usize,
}

impl Queue<'_> {
    fn window(
        &self,
        anchor: Option<&QueueRow>,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<QueueRow>> {
        self.session.window(self.filter, anchor, direction, limit)
    }

    /// The first window.
    pub fn first(&self) -> Result<Window> {
        Ok(Window {
            count: self.session.count(self.filter)?,
            rows: self.window(None, Direction::Forward, self.height)?,
            position: 0,
            cursor: 0,
        })
    }

    /// The window at the selected record under a new filter or order: the record first when
    /// the filter lists it, else the nearest listed record after its place.
    pub fn around(&self, w: &Window) -> Result<Window> {
        let Some(row) = w
            .selected()
            .and_then(|r| self.session.queue_row(r.record).transpose())
        else {
            return self.first();
        };
        let row = row?;
        let before = self.window(Some(&row), Direction::Backward, 1)?;
        let rows = self.window(before.first(), Direction::Forward, self.height)?;
        if rows.is_empty() {
            return self.first();
        }
        Ok(Window {
            count: self.session.count(self.filter)?,
            position: self.session.position(self.filter, &rows[0])?,
            rows,
            cursor: 0,
        })
    }

    /// Reads the window again from its first line, keeping the cursor on its record when the
    /// record is still in the queue.
    pub fn keep_place(&self, w: Window) -> Result<Window> {
        let Some(first) = w.rows.first() else {
            return self.first();
        };
        let count = self.session.count(self.filter)?;
        let prev = self.window(Some(first), Direction::Backward, 1)?;
        let rows = self.window(prev.first(), Direction::Forward, self.height)?;
        let position = match rows.first() {
            Some(r) => self.session.position(self.filter, r)?,
            None => 0,
        };
        let keep = w.selected().map(|r| r.record);
        let found = keep.and_then(|k| rows.iter().position(|r| r.record == k));
        // A record whose place moved (its score changed, say) is followed to its new place.
        if let (Some(k), None) = (keep, found)
            && let Some(row) = self.session.queue_row(k)?
            && self
                .session
                .window(self.filter, Some(&row), Direction::Backward, 1)?
                .len()
                + usize::from(true)
                > 0
        {
            let position = self.session.position(self.filter, &row)?;
            let mut rows = vec![row];
            rows.extend(self.window(rows.first(), Direction::Forward, self.height - 1)?);
            return Ok(Window {
                rows,
                cursor: 0,
                position,
                count,
            });
        }
        let cursor = found.unwrap_or(w.cursor).min(rows.len().saturating_sub(1));
        if rows.is_empty() && count > 0 {
            return self.first();
        }
        Ok(Window {
            rows,
            cursor,
            position,
            count,
        })
    }

    /// The window after a movement action.
    pub fn step(&self, mut w: Window, action: Action) -> Result<Window> {
        let height = self.height;
        match action {
            Action::MoveDown => self.down(&mut w)?,
            Action::MoveUp => self.up(&mut w)?,
            Action::PageDown => self.page_down(&mut w)?,
            Action::PageUp => self.page_up(&mut w)?,
            Action::First => w = self.first()?,
            Action::Last => {
                let mut rows = self.window(None, Direction::Backward, height)?;
                rows.reverse();
                w.position = w.count.saturating_sub(rows.len() as u64);
                w.cursor = rows.len().saturating_sub(1);
                w.rows = rows;
            }
            _ => {}
        }
        w.cursor = w.cursor.min(w.rows.len().saturating_sub(1));
        Ok(w)
    }

    fn down(&self, w: &mut Window) -> Result<()> {
        if w.cursor + 1 < w.rows.len() {
            w.cursor += 1;
        } else if let Some(last) = w.rows.last() {
            let next = self.window(Some(last), Direction::Forward, 1)?;
            if let Some(row) = next.into_iter().next() {
                w.rows.push(row);
                if w.rows.len() > self.height {
                    w.rows.remove(0);
                    w.position += 1;
                }
                w.cursor = w.rows.len() - 1;
            }
        }
        Ok(())
    }

    fn up(&self, w: &mut Window) -> Result<()> {
        if w.cursor > 0 {
            w.cursor -= 1;
        } else if let Some(first) = w.rows.first() {
            let prev = self.window(Some(first), Direction::Backward, 1)?;
            if let Some(row) = prev.into_iter().next() {
                w.rows.insert(0, row);
                w.rows.truncate(self.height);
                w.position = w.position.saturating_sub(1);
            }
        }
        Ok(())
    }

    fn page_down(&self, w: &mut Window) -> Result<()> {
        let height = self.height;
        let Some(last) = w.rows.last() else {
            return Ok(());
        };
        let next = self.window(Some(last), Direction::Forward, height)?;
        if next.is_empty() {
            w.cursor = w.rows.len().saturating_sub(1);
        } else {
            let shift = next.len();
            w.rows.extend(next);
            let drop = w.rows.len().saturating_sub(height);
            w.rows.drain(..drop);
            w.position += drop as u64;
            if shift < height {
                w.cursor = w.rows.len().saturating_sub(1);
            }
        }
        Ok(())
    }

    fn page_up(&self, w: &mut Window) -> Result<()> {
        let height = self.height;
        let Some(first) = w.rows.first() else {
            return Ok(());
        };
        let mut prev = self.window(Some(first), Direction::Backward, height)?;
        if prev.is_empty() {
            w.cursor = 0;
        } else {
            let got = prev.len();
            prev.reverse();
            prev.append(&mut w.rows);
            prev.truncate(height);
            w.rows = prev;
            w.position = w.position.saturating_sub(got as u64);
            if got < height {
                w.cursor = 0;
            }
        }
        Ok(())
    }

    /// The window with the cursor on the next (or previous) record with an error; `None`
    /// when there is none that way.
    pub fn jump(&self, mut w: Window, direction: Direction) -> Result<Option<Window>> {
        let mut errors = self.filter.clone();
        errors.severity = Some(Severity::Error);
        let Some(current) = w.selected() else {
            return Ok(Some(w));
        };
        let errors = Queue {
            filter: &errors,
            ..*self
        };
        let found = errors.window(Some(current), direction, 1)?;
        let Some(row) = found.into_iter().next() else {
            return Ok(None);
        };
        // Within the window, the cursor just moves; only a jump beyond it re-reads.
        match w.rows.iter().position(|r| r.record == row.record) {
            Some(i) => {
                w.cursor = i;
                Ok(Some(w))
            }
            None => self.show_from(row, w.count).map(Some),
        }
    }

    /// The queue from `row` (at the top of the window, or as low as the end allows).
    fn show_from(&self, row: QueueRow, count: u64) -> Result<Window> {
        let height = self.height;
        let mut rows = vec![row.clone()];
        rows.extend(self.window(Some(&row), Direction::Forward, height - 1)?);
        let mut cursor = 0;
        if rows.len() < height {
            let mut before = self.window(Some(&row), Direction::Backward, height - rows.len())?;
            cursor = before.len();
            before.reverse();
            before.extend(rows);
            rows = before;
        }
        let position = self.session.position(self.filter, &rows[0])?;
        Ok(Window {
            rows,
            cursor,
            position,
            count,
        })
    }
}
