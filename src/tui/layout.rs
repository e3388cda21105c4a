//! Where each part of the screen goes, computed once per size and shared by the model (mouse
//! hits, page sizes) and the views.

use ratatui::layout::{Constraint, Layout, Rect};

/// The smallest terminal the screen lays itself out in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub size: Rect,
    pub top: Rect,
    pub queue: Rect,
    pub record: Rect,
    pub flags: Rect,
    pub status: Rect,
}

impl Areas {
    pub fn new(size: Rect) -> Areas {
        if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
            return Areas {
                size,
                ..Areas::default()
            };
        }
        let flags_height = if size.height >= 36 { 10 } else { 7 };
        let [top, body, flags, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(6),
            Constraint::Length(flags_height),
            Constraint::Length(1),
        ])
        .areas(size);
        let queue_share = if size.width >= 110 { 46 } else { 50 };
        let [queue, record] = Layout::horizontal([
            Constraint::Percentage(queue_share),
            Constraint::Percentage(100 - queue_share),
        ])
        .areas(body);
        Areas {
            size,
            top,
            queue,
            record,
            flags,
            status,
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.width < MIN_WIDTH || self.size.height < MIN_HEIGHT
    }

    /// Queue lines that fit: the pane less its border and header line.
    pub fn queue_rows(&self) -> usize {
        self.queue.height.saturating_sub(3) as usize
    }

    pub fn record_rows(&self) -> usize {
        self.record.height.saturating_sub(2) as usize
    }

    pub fn flag_rows(&self) -> usize {
        self.flags.height.saturating_sub(2) as usize
    }
}
