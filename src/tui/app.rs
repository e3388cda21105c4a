//! The screen's one model. Keys become actions through the keymap; `update` is the only place
//! that changes state. The queue is held as a window of visible lines, read from the workspace
//! by keyset pagination, so nothing grows with the size of the workspace.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::editing::{EditState, TextState};
use super::i18n::Lang;
use super::keymap::Keymap;
use super::layout::Areas;
use super::theme::Theme;
use huishen_core::Result;
use huishen_core::domain::Severity;
use huishen_core::domain::{EventLine, Outcome};
use huishen_core::review::{Direction, QueueFilter, QueueRow};
use huishen_core::review::{RecordDetail, Session};

/// The panes that take the cursor keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queue,
    Record,
    Flags,
}

/// What the filter menu edits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterMenu {
    /// 0 severity, 1 rule, 2 region, 3 outcome.
    pub row: usize,
    pub severity: Option<Severity>,
    /// Index into the session's rules.
    pub rule: Option<usize>,
    pub region: String,
    pub outcome: Option<Outcome>,
}

/// A window over the screen.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Search {
        input: String,
    },
    Filter(FilterMenu),
    Edit(Box<EditState>),
    Text(Box<TextState>),
    /// The progress dashboard, with the figures read when it opened.
    Dashboard(Box<huishen_core::review::Stats>),
    /// Asks before taking a record over from `from`.
    TakeOver {
        from: String,
    },
    History {
        lines: Vec<EventLine>,
        scroll: u16,
    },
}

pub struct App {
    pub session: Session,
    pub keymap: Keymap,
    pub lang: Lang,
    pub theme: Theme,
    pub focus: Pane,
    pub filter: QueueFilter,
    /// How the region filter was named, for the top bar.
    pub region_label: Option<String>,
    /// The visible queue lines.
    pub rows: Vec<QueueRow>,
    pub cursor: usize,
    /// Index of `rows[0]` in the filtered queue.
    pub position: u64,
    /// Lines under the filter.
    pub count: u64,
    pub progress: huishen_core::review::Progress,
    pub record: Option<RecordDetail>,
    pub field_cursor: usize,
    pub flag_cursor: usize,
    pub overlay: Option<Overlay>,
    pub message: Option<String>,
    pub areas: Areas,
    pub quit: bool,
    pub(super) data_version: i64,
}

impl App {
    pub fn new(
        session: Session,
        keymap: Keymap,
        lang: Lang,
        theme: Theme,
        size: Rect,
    ) -> Result<App> {
        let data_version = session.data_version()?;
        let mut app = App {
            session,
            keymap,
            lang,
            theme,
            focus: Pane::Queue,
            filter: QueueFilter::default(),
            region_label: None,
            rows: Vec::new(),
            cursor: 0,
            position: 0,
            count: 0,
            progress: huishen_core::review::Progress::default(),
            record: None,
            field_cursor: 0,
            flag_cursor: 0,
            overlay: None,
            message: None,
            areas: Areas::new(size),
            quit: false,
            data_version,
        };
        app.filter.mine = app.session.assignments()?;
        app.reload_from_start()?;
        Ok(app)
    }

    pub(super) fn height(&self) -> usize {
        self.areas.queue_rows().max(1)
    }

    pub fn selected(&self) -> Option<&QueueRow> {
        self.rows.get(self.cursor)
    }

    /// Handles one key: the open overlay takes it first, then the keymap.
    pub fn on_key(&mut self, key: KeyEvent) -> Result<()> {
        if key.kind == KeyEventKind::Release {
            return Ok(());
        }
        if self.overlay.is_some() {
            return self.on_overlay_key(key);
        }
        self.message = None;
        match self.keymap.action(&key) {
            Some(action) => self.update(action),
            None => Ok(()),
        }
    }

    pub fn on_mouse(&mut self, mouse: MouseEvent) -> Result<()> {
        let at = Position::new(mouse.column, mouse.row);
        if self.overlay.is_some() {
            return Ok(());
        }
        let pane = if self.areas.queue.contains(at) {
            Pane::Queue
        } else if self.areas.record.contains(at) {
            Pane::Record
        } else if self.areas.flags.contains(at) {
            Pane::Flags
        } else {
            return Ok(());
        };
        match mouse.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let previous = self.focus;
                self.focus = pane;
                let action = if mouse.kind == MouseEventKind::ScrollDown {
                    Action::MoveDown
                } else {
                    Action::MoveUp
                };
                for _ in 0..3 {
                    self.update(action)?;
                }
                self.focus = previous;
            }
            MouseEventKind::Down(_) => {
                self.focus = pane;
                if pane == Pane::Queue {
                    // The first line inside the border is the header.
                    let line = at.y.saturating_sub(self.areas.queue.y + 2) as usize;
                    if at.y >= self.areas.queue.y + 2 && line < self.rows.len() {
                        self.cursor = line;
                        self.load_record()?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub fn on_resize(&mut self, size: Rect) -> Result<()> {
        self.areas = Areas::new(size);
        self.reload_keeping_place()
    }

    /// Polls the workspace; when another process changed it, reloads without moving.
    pub fn on_tick(&mut self) -> Result<()> {
        let version = self.session.data_version()?;
        if version != self.data_version {
            self.data_version = version;
            self.reload_keeping_place()?;
        }
        Ok(())
    }

    /// Does one action.
    pub fn update(&mut self, action: Action) -> Result<()> {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Search => {
                let input = self.filter.search.clone().unwrap_or_default();
                self.overlay = Some(Overlay::Search { input });
            }
            Action::Filter => self.overlay = Some(Overlay::Filter(self.menu_from_filter())),
            Action::ClearFilter => {
                let mine = std::mem::take(&mut self.filter.mine);
                let had_any = !self.filter.is_empty();
                self.filter.mine = mine.clone();
                if had_any {
                    self.filter = QueueFilter {
                        mine,
                        ..QueueFilter::default()
                    };
                    self.region_label = None;
                    self.reload_from_start()?;
                }
            }
            Action::ToggleMine => {
                if self.filter.mine.is_empty() {
                    self.filter.mine = self.session.assignments()?;
                    if self.filter.mine.is_empty() {
                        self.message = Some(
                            self.lang
                                .pick(
                                    "You have no assignments: the queue shows every record",
                                    "您没有分配任务：队列显示全部记录",
                                )
                                .into(),
                        );
                    }
                } else {
                    self.filter.mine.clear();
                }
                self.reload_from_start()?;
            }
            Action::TakeOver => {
                let claim = self.record.as_ref().and_then(|r| r.claimed_by.clone());
                match claim {
                    Some(c) => self.overlay = Some(Overlay::TakeOver { from: c.reviewer }),
                    None => {
                        self.message = Some(
                            self.lang
                                .pick(
                                    "Nobody else is working on this record",
                                    "没有其他审核员在处理此记录",
                                )
                                .into(),
                        )
                    }
                }
            }
            Action::FocusNext => {
                self.focus = match self.focus {
                    Pane::Queue => Pane::Record,
                    Pane::Record => Pane::Flags,
                    Pane::Flags => Pane::Queue,
                }
            }
            Action::FocusPrev => {
                self.focus = match self.focus {
                    Pane::Queue => Pane::Flags,
                    Pane::Record => Pane::Queue,
                    Pane::Flags => Pane::Record,
                }
            }
            Action::ToggleLanguage => self.lang = self.lang.other(),
            Action::Dashboard => {
                let figures = self.session.figures(None)?;
                self.overlay = Some(Overlay::Dashboard(Box::new(figures)));
            }
            Action::Refresh => {
                self.data_version = self.session.data_version()?;
                self.reload_keeping_place()?;
            }
            Action::Edit
            | Action::Explain
            | Action::Note
            | Action::Sign
            | Action::Undo
            | Action::Reopen
            | Action::History => self.start(action)?,
            Action::NextError => self.jump_to_error(Direction::Forward)?,
            Action::PrevError => self.jump_to_error(Direction::Backward)?,
            Action::MoveDown
            | Action::MoveUp
            | Action::PageDown
            | Action::PageUp
            | Action::First
            | Action::Last => match self.focus {
                Pane::Queue => self.move_queue(action)?,
                Pane::Record => {
                    let n = self.record.as_ref().map_or(0, |r| r.values.len());
                    self.field_cursor =
                        step(self.field_cursor, n, action, self.areas.record_rows());
                }
                Pane::Flags => {
                    let n = self.record.as_ref().map_or(0, |r| r.flags.len());
                    self.flag_cursor = step(self.flag_cursor, n, action, self.areas.flag_rows());
                }
            },
        }
        Ok(())
    }

    fn menu_from_filter(&self) -> FilterMenu {
        FilterMenu {
            row: 0,
            severity: self.filter.severity,
            rule: self
                .filter
                .rule
                .as_ref()
                .and_then(|id| self.session.rules().iter().position(|r| &r.id == id)),
            region: self.region_label.clone().unwrap_or_default(),
            outcome: self
                .filter
                .outcome
                .filter(|o| matches!(o, Outcome::Fail | Outcome::Missing)),
        }
    }

    fn on_overlay_key(&mut self, key: KeyEvent) -> Result<()> {
        let Some(overlay) = self.overlay.take() else {
            return Ok(());
        };
        self.overlay = match overlay {
            Overlay::Help { scroll } => match key.code {
                KeyCode::Down => Some(Overlay::Help {
                    scroll: scroll.saturating_add(1),
                }),
                KeyCode::Up => Some(Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                KeyCode::PageDown => Some(Overlay::Help {
                    scroll: scroll.saturating_add(10),
                }),
                KeyCode::PageUp => Some(Overlay::Help {
                    scroll: scroll.saturating_sub(10),
                }),
                _ => None,
            },
            Overlay::Search { mut input } => match key.code {
                KeyCode::Esc => None,
                KeyCode::Enter => {
                    let text = input.trim().to_string();
                    self.filter.search = (!text.is_empty()).then_some(text);
                    self.reload_from_start()?;
                    None
                }
                KeyCode::Backspace => {
                    input.pop();
                    Some(Overlay::Search { input })
                }
                KeyCode::Char(c) => {
                    input.push(c);
                    Some(Overlay::Search { input })
                }
                _ => Some(Overlay::Search { input }),
            },
            Overlay::Filter(menu) => self.on_filter_key(menu, key)?,
            Overlay::Edit(state) => self.on_edit_key(state, key)?,
            Overlay::Dashboard(figures) => match key.code {
                KeyCode::Char('L') => {
                    self.lang = self.lang.other();
                    Some(Overlay::Dashboard(figures))
                }
                _ => None,
            },
            Overlay::TakeOver { from } => {
                if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                    if let Some(record) = self.record.as_ref().map(|r| r.record) {
                        let outcome = self.session.take_over(record).map(|from| {
                            format!(
                                "{} {from}",
                                self.lang.pick(
                                    "You took the record over from",
                                    "您已接管此记录，原审核员："
                                )
                            )
                        });
                        match outcome {
                            Ok(text) => self.message = Some(text),
                            Err(e) => self.message = Some(e.to_string()),
                        }
                        self.reload_after_action()?;
                    }
                } else {
                    let _ = from;
                }
                None
            }
            Overlay::Text(state) => self.on_text_key(state, key)?,
            Overlay::History { lines, scroll } => match key.code {
                KeyCode::Down => Some(Overlay::History {
                    lines,
                    scroll: scroll.saturating_add(1),
                }),
                KeyCode::Up => Some(Overlay::History {
                    lines,
                    scroll: scroll.saturating_sub(1),
                }),
                _ => None,
            },
        };
        Ok(())
    }

    fn on_filter_key(&mut self, mut menu: FilterMenu, key: KeyEvent) -> Result<Option<Overlay>> {
        let rules = self.session.rules().len();
        match key.code {
            KeyCode::Esc => return Ok(None),
            KeyCode::Up | KeyCode::BackTab => menu.row = (menu.row + 3) % 4,
            KeyCode::Down | KeyCode::Tab => menu.row = (menu.row + 1) % 4,
            KeyCode::Left | KeyCode::Right => {
                let forward = key.code == KeyCode::Right;
                match menu.row {
                    0 => {
                        menu.severity = cycle(
                            &[None, Some(Severity::Error), Some(Severity::Warning)],
                            menu.severity,
                            forward,
                        )
                    }
                    1 => {
                        let options: Vec<Option<usize>> =
                            std::iter::once(None).chain((0..rules).map(Some)).collect();
                        menu.rule = cycle(&options, menu.rule, forward);
                    }
                    3 => {
                        menu.outcome = cycle(
                            &[None, Some(Outcome::Fail), Some(Outcome::Missing)],
                            menu.outcome,
                            forward,
                        )
                    }
                    _ => {}
                }
            }
            KeyCode::Backspace if menu.row == 2 => {
                menu.region.pop();
            }
            KeyCode::Char(c) if menu.row == 2 => menu.region.push(c),
            KeyCode::Enter => {
                let region = if menu.region.trim().is_empty() {
                    None
                } else {
                    match self.session.resolve_region(&menu.region) {
                        Some(choice) => Some(choice),
                        None => {
                            self.message = Some(format!(
                                "{} “{}”",
                                self.lang.pick(
                                    "No prefecture or county matches",
                                    "没有匹配的地市或区县："
                                ),
                                menu.region.trim()
                            ));
                            return Ok(Some(Overlay::Filter(menu)));
                        }
                    }
                };
                self.filter.severity = menu.severity;
                self.filter.rule = menu
                    .rule
                    .and_then(|i| self.session.rules().get(i))
                    .map(|r| r.id.clone());
                self.filter.outcome = menu.outcome;
                self.filter.region_prefix = region.as_ref().map(|r| r.prefix.clone());
                self.region_label = region.map(|r| r.label);
                self.message = None;
                self.reload_from_start()?;
                return Ok(None);
            }
            _ => {}
        }
        Ok(Some(Overlay::Filter(menu)))
    }
}

/// The next (or previous) of `options` after `current`, wrapping.
fn cycle<T: PartialEq + Copy>(options: &[T], current: T, forward: bool) -> T {
    let i = options.iter().position(|o| *o == current).unwrap_or(0);
    let n = options.len();
    options[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

/// A cursor over `n` lines moved by a movement action.
fn step(cursor: usize, n: usize, action: Action, page: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let last = n - 1;
    match action {
        Action::MoveDown => (cursor + 1).min(last),
        Action::MoveUp => cursor.saturating_sub(1),
        Action::PageDown => (cursor + page.max(1)).min(last),
        Action::PageUp => cursor.saturating_sub(page.max(1)),
        Action::First => 0,
        Action::Last => last,
        _ => cursor,
    }
}
