//! The screen's one model, and how it changes.
//!
//! Input becomes a [`Msg`]: a key through the keymap of the mode in force (the main screen's
//! [`Action`]s, or the open window's [`Command`]s, or text typed into it), a click, a tick.
//! [`App::update`] is the only place the model changes; it answers with [`Effect`]s, the
//! things that reach the review core. [`effects::run`] is the one place they run, and it
//! answers with a message that goes through `update` in turn. Slow effects (the dashboard's
//! figures) run on a [`worker`] thread with a session of its own, and their answer arrives on
//! a later tick. The queue is held as a window of visible lines, read from the workspace by
//! keyset pagination, so nothing grows with the size of the workspace.

mod claims;
mod effects;
mod flag;
mod input;
mod msg;
mod object;
mod overlays;
mod queue;
mod review;
mod update;
mod worker;

use std::collections::VecDeque;

use ratatui::layout::Rect;

use super::action::{Action, Command, Mode};
use super::editing::{EditStage, EditState, TextState};
use super::i18n::Lang;
use super::keymap::Keymap;
use super::layout::Areas;
use super::theme::Theme;
use huishen_core::Result;
use huishen_core::domain::time::Zone;
use huishen_core::domain::{EventLine, Outcome};
use huishen_core::domain::{Localized, Severity};
use huishen_core::review::{BulkPlan, Impact, Progress, QueueFilter, QueueRow, Standing};
use huishen_core::review::{RecordDetail, Session, Stats};
pub use msg::{Done, Effect, Lane, Loaded, Msg, Read, View, Write};
pub use queue::Window;
use worker::Worker;

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
    /// 0 severity, 1 rule, 2 region, 3 outcome, 4 impact, 5 standing.
    pub row: usize,
    pub severity: Option<Severity>,
    /// Index into the session's rules.
    pub rule: Option<usize>,
    pub region: String,
    pub outcome: Option<Outcome>,
    /// Records at or above a score's threshold, below, or without a score.
    pub impact: Option<Impact>,
    /// Where the records stand in the review (ready for my signature, signed once…).
    pub standing: Option<Standing>,
    /// The rule id typed on the rule line, to pick a rule without cycling through them all.
    pub rule_typed: String,
    /// Why the menu could not be applied (a region nobody knows).
    pub error: Option<String>,
}

/// The dashboard's figures: read on a worker thread, so at first not yet there.
#[derive(Debug, Clone)]
pub enum Figures {
    Loading,
    Ready(Box<Stats>),
    Failed(String),
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
    /// The progress dashboard.
    Dashboard(Figures),
    /// Asks before signing the record on screen, saying what the signature does.
    Sign,
    /// Asks before taking a record over from `from`.
    TakeOver {
        from: String,
    },
    History {
        lines: Vec<EventLine>,
        scroll: u16,
    },
    /// What a bulk action would do, before it does it.
    Bulk(Box<BulkPlan>),
    /// Why a record was flagged.
    FlagDetail {
        detail: Box<huishen_core::review::FlagDetail>,
        scroll: u16,
    },
}

impl Overlay {
    /// The keymap mode the window takes its keys from.
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::Help { .. } => Mode::Help,
            Overlay::Search { .. } => Mode::Search,
            Overlay::Filter(_) => Mode::Filter,
            Overlay::Edit(state) => match state.stage {
                EditStage::Value(_) => Mode::FieldEditor,
                EditStage::Reason { .. } => Mode::Reason,
            },
            Overlay::Text(_) => Mode::TextEditor,
            Overlay::Dashboard(_) => Mode::Dashboard,
            Overlay::Sign => Mode::Sign,
            Overlay::TakeOver { .. } => Mode::TakeOver,
            Overlay::History { .. } => Mode::History,
            Overlay::Bulk(_) => Mode::Bulk,
            Overlay::FlagDetail { .. } => Mode::FlagDetail,
        }
    }
}

pub struct App {
    pub session: Session,
    pub keymap: Keymap,
    pub lang: Lang,
    pub theme: Theme,
    /// The zone the screen shows times in: huishen's (see `domain::time`) unless set.
    pub zone: Zone,
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
    pub progress: Progress,
    pub record: Option<RecordDetail>,
    /// A search that lists nothing: the records it finds that no rule flagged (how many,
    /// the first keys).
    pub unflagged: Option<(u64, Vec<String>)>,
    /// The schema's common reasons for a correction.
    pub reasons: Vec<Localized>,
    pub field_cursor: usize,
    pub flag_cursor: usize,
    pub overlay: Option<Overlay>,
    pub message: Option<String>,
    /// Records marked by hand for a bulk action.
    pub marked: std::collections::BTreeSet<i64>,
    pub areas: Areas,
    pub quit: bool,
    data_version: i64,
    /// Ticks since the screen opened.
    ticks: u32,
    worker: Worker,
    /// Searches (and polls under a search) run here, beside the worker.
    searcher: Worker,
    /// A search sent to the searcher and not answered yet, with the filter it will show.
    pub searching: Option<QueueFilter>,
    /// A poll is on the searcher: no other is sent until it answers.
    polling: bool,
    /// The row of a child form open in the record pane, when one is.
    pub inside: Option<Inside>,
    /// Sessions of the same reviewer on the child forms, opened as their rows are.
    row_sessions: Vec<(String, Session)>,
    /// The record (census object) this reviewer's last action claimed, while the claim holds.
    held: Option<Held>,
    /// The screen is on the demo workspace: the help lists the sample team.
    pub demo_team: bool,
}

/// A claim the screen holds: on `record` (a line of the queue), and for how many ticks the
/// reviewer has been on another record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Held {
    record: i64,
    away: u32,
}

/// Ticks (a quarter second each) a reviewer may spend on other records before the claim on
/// the record they acted on ends: a glance at the next record and back keeps it.
pub(super) const CLAIM_GRACE_TICKS: u32 = 12;

/// A child row open in the record pane: `record` (the app's record) is that row, and `object`
/// the census object it belongs to.
#[derive(Debug, Clone)]
pub struct Inside {
    pub form: String,
    pub label: Localized,
    pub object: Box<RecordDetail>,
    /// The record pane's cursor on the object, to come back to.
    pub cursor: usize,
}

/// Every this many ticks the screen has the worker score what is left due.
pub(super) const DUE_TICKS: u32 = 20;

impl App {
    /// Opens the screen on `session`: the reviewer's assignments, the first window of the
    /// queue and its first record. A failure here is the caller's to report.
    pub fn new(
        session: Session,
        keymap: Keymap,
        lang: Lang,
        theme: Theme,
        size: Rect,
    ) -> Result<App> {
        let mut session = session;
        let opening = effects::opening(&mut session)?;
        let worker = Worker::new(&session);
        let searcher = Worker::new(&session);
        let scope = Some(session.reviewer.scope.clone()).filter(|s| !s.is_empty());
        let mut app = App {
            session,
            keymap,
            lang,
            theme,
            zone: huishen_core::domain::time::zone().clone(),
            focus: Pane::Queue,
            filter: QueueFilter {
                mine: opening.mine,
                scope,
                ..QueueFilter::default()
            },
            region_label: None,
            rows: Vec::new(),
            cursor: 0,
            position: 0,
            count: 0,
            progress: Progress::default(),
            record: None,
            unflagged: None,
            reasons: opening.reasons,
            field_cursor: 0,
            flag_cursor: 0,
            overlay: None,
            message: None,
            marked: Default::default(),
            areas: Areas::new(size),
            quit: false,
            data_version: opening.data_version,
            ticks: 0,
            worker,
            searcher,
            searching: None,
            polling: false,
            inside: None,
            row_sessions: Vec::new(),
            held: None,
            demo_team: false,
        };
        let first = app.read(Read::FromStart);
        let answer = effects::try_run(&mut app.session, first)?;
        app.send(answer);
        Ok(app)
    }

    /// Queue lines that fit in the pane.
    pub(super) fn height(&self) -> usize {
        self.areas.queue_rows().max(1)
    }

    pub fn selected(&self) -> Option<&QueueRow> {
        self.rows.get(self.cursor)
    }

    /// The keymap mode in force: the open window's, or `None` on the main screen.
    pub fn mode(&self) -> Option<Mode> {
        self.overlay.as_ref().map(Overlay::mode)
    }

    /// Applies `msg` and runs what it asks for until nothing more is asked: effects that are
    /// quick run here and their answers go through [`App::update`] in turn; slow ones go to
    /// the worker, whose answers [`App::on_tick`] collects.
    pub fn send(&mut self, msg: impl Into<Msg>) {
        let mut pending = VecDeque::from([msg.into()]);
        while let Some(msg) = pending.pop_front() {
            for effect in self.update(msg) {
                let lane = effect.lane();
                if lane == Lane::Worker {
                    self.worker.submit(effect);
                } else if lane == Lane::Searcher {
                    if matches!(effect, Effect::Poll { .. }) {
                        if self.polling {
                            continue;
                        }
                        self.polling = true;
                    }
                    self.searcher.submit(effect);
                } else if let Some(form) = self.row_form(&effect) {
                    let answer = match self.row_session(&form) {
                        Ok(session) => effects::run(session, effect),
                        Err(error) => effect.failed(error),
                    };
                    pending.push_back(answer);
                } else {
                    pending.push_back(effects::run(&mut self.session, effect));
                }
            }
        }
    }

    /// Ends the session's claims, as the screen closes.
    pub fn close(mut self) -> Result<()> {
        effects::try_run(&mut self.session, Effect::Release)?;
        // What this reviewer's last corrections left due is scored before the screen goes.
        effects::try_run(&mut self.session, Effect::RefreshDue).map(|_| ())
    }

    /// The queue as it stands, for an effect that reads from it.
    fn view(&self) -> View {
        View {
            filter: self.filter.clone(),
            window: Window {
                rows: self.rows.clone(),
                cursor: self.cursor,
                position: self.position,
                count: self.count,
            },
            height: self.height(),
            selected: self.selected().map(|r| r.record),
        }
    }

    /// An effect reading the queue from where it stands.
    fn read(&self, read: Read) -> Effect {
        Effect::Read(read, self.view())
    }
}

/// A main-screen action as a message.
impl From<Action> for Msg {
    fn from(action: Action) -> Msg {
        Msg::Action(action)
    }
}

/// A window's command as a message.
impl From<Command> for Msg {
    fn from(command: Command) -> Msg {
        Msg::Command(command)
    }
}
