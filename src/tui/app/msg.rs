//! What goes into [`App::update`](super::App::update) and what comes out of it, as data.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

use super::queue::Window;
use crate::tui::action::{Action, Command};
use huishen_core::Error;
use huishen_core::Result;
use huishen_core::domain::{AssignmentKind, Datum, EventKind, EventLine};
use huishen_core::review::{
    BulkAction, BulkPlan, Direction, FlagDetail, Progress, QueueFilter, RecordDetail, Stats,
};

/// The editor that opens once the record is claimed.
#[derive(Debug, Clone)]
pub enum Then {
    /// The field editor on the field under the cursor.
    Field,
    /// A text editor: an explanation, a note, a reopening.
    Text(crate::tui::editing::TextPurpose),
}

/// Everything that can change the model: input, translated, and the answers of effects.
pub enum Msg {
    /// A main-screen action (a key of `[keys]`).
    Action(Action),
    /// A key the main screen does not bind: it only clears the message.
    Unbound,
    /// A command of the open window's mode.
    Command(Command),
    /// A key the open window's mode does not bind: typed into its text, or closing it.
    Other(KeyEvent),
    /// A mouse click at a cell.
    Click(Position),
    /// The mouse wheel over a cell.
    Scroll {
        at: Position,
        down: bool,
    },
    Resize(Rect),
    /// Time to ask whether another process changed the workspace.
    Tick,
    /// Answers of effects.
    Loaded(Box<Loaded>),
    /// A search's first window, read on the searcher, for the filter it was asked with.
    Searched(Result<Box<Loaded>>, QueueFilter),
    /// A poll under a search, answered on the searcher: the queue read again when another
    /// process changed the workspace (`None` when nothing changed), for the view it was asked
    /// with (which the screen may have left since).
    Refreshed(Result<Option<Box<Loaded>>>, View),
    Assigned(Result<Vec<(AssignmentKind, String)>>),
    /// The record is claimed for the editor that then opens, or could not be.
    Claimed(Result<()>, Then),
    Wrote(Result<Done>),
    History(Result<Vec<EventLine>>),
    /// Why a record was flagged (`None`: the flag is gone).
    FlagDetail(Result<Option<Box<FlagDetail>>>),
    Figures(Result<Box<Stats>>),
    /// What a bulk action would do.
    Planned(Result<Box<BulkPlan>>),
    /// A child row read (`None`: it is gone).
    Row(Result<Option<Box<RecordDetail>>>),
    /// A jump to the next (or previous) error found none.
    NoError(Direction),
    /// A read failed.
    Failed(Error),
    /// Nothing changed.
    Nothing,
}

/// The queue as it stood when an effect was asked for.
#[derive(Debug, Clone)]
pub struct View {
    pub filter: QueueFilter,
    pub window: Window,
    /// Lines that fit in the pane.
    pub height: usize,
    /// The selected line's record.
    pub selected: Option<i64>,
}

/// A read of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// From the top (a search: its first match).
    FromStart,
    /// After the filter or the order changed: at the record the cursor was on, when the new
    /// filter lists it, else at the nearest listed record after its place; from the top when
    /// there was none.
    Around,
    /// Again from the window's first line, keeping the cursor on its record.
    KeepPlace,
    /// As `KeepPlace`, after this screen changed the workspace (or asked to refresh).
    AfterAction,
    /// A movement action, this many times.
    Move(Action, usize),
    /// To the next (or previous) record with an error.
    Jump(Direction),
    /// Only the selected record, after a click moved the cursor.
    Record,
}

/// What a read of the queue found.
#[derive(Debug)]
pub struct Loaded {
    pub window: Window,
    /// Read again when the queue was.
    pub progress: Option<Progress>,
    /// The selected record, when it was read: `None` when the selection did not change.
    pub record: Option<Option<RecordDetail>>,
    /// The workspace's data version, when it was read.
    pub data_version: Option<i64>,
    /// A search that lists nothing: the records it finds that no rule flagged, read when
    /// the queue was (how many, and the first keys).
    pub unflagged: Option<(u64, Vec<String>)>,
}

/// The records a bulk action is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// Those the filter lists.
    Listed(QueueFilter),
    /// Those marked by hand.
    Marked(Vec<i64>),
}

/// A change to the workspace, on the record as the screen last read it (`seen` is its version).
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Correct {
        record: i64,
        seen: i64,
        field: String,
        /// The new value, typed once by the editor.
        value: Datum,
        reason: String,
    },
    Explain {
        record: i64,
        seen: i64,
        rule: String,
        text: String,
    },
    Note {
        record: i64,
        seen: i64,
        text: String,
    },
    Reopen {
        record: i64,
        seen: i64,
        reason: String,
    },
    Sign {
        record: i64,
        seen: i64,
    },
    Undo {
        record: i64,
        seen: i64,
    },
    TakeOver {
        record: i64,
    },
    AcceptFix {
        record: i64,
        seen: i64,
        fix: String,
    },
    DismissFix {
        record: i64,
        seen: i64,
        fix: String,
    },
    /// A planned bulk action.
    Bulk(Box<BulkPlan>),
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Corrected {
        /// The field's label, in both languages.
        field: huishen_core::domain::Localized,
        /// The rules the correction fixed, and those it newly broke.
        resolved: Vec<String>,
        opened: Vec<String>,
    },
    Explained {
        rule: String,
    },
    Noted,
    Reopened,
    Signed {
        locked: bool,
    },
    Undone {
        kind: EventKind,
    },
    TookOver {
        from: String,
    },
    FixAccepted {
        fix: String,
        resolved: Vec<String>,
        opened: Vec<String>,
    },
    FixDismissed {
        fix: String,
    },
    Bulk {
        done: usize,
        refused: usize,
        batch: String,
    },
    /// A batch over several records taken back.
    UndoneBatch {
        records: usize,
        left: usize,
    },
}

/// Something for the review core to do, asked for by [`App::update`](super::App::update) and
/// run by [`run`](super::effects::run).
#[derive(Debug, Clone)]
pub enum Effect {
    Read(Read, View),
    /// A search: the queue from its start under the view's filter (which holds the text).
    Search(View),
    /// Reads the queue again if the workspace's data version is no longer `known`.
    Poll {
        known: i64,
        view: View,
    },
    /// The reviewer's assignments.
    Assignments,
    /// Claims a record before an editor opens on it (checked up front, before any typing).
    OpenForWork {
        record: i64,
        seen: i64,
        then: Then,
    },
    Write(Write),
    History(i64),
    /// Why `rule` flagged `record`.
    FlagDetail {
        record: i64,
        rule: String,
    },
    /// The dashboard's figures, with "today" from this time (midnight in the screen's zone).
    Figures(String),
    /// Plans a bulk action over the records marked, or (none marked) those the filter lists.
    PlanBulk(Selection, BulkAction),
    /// Ends the session's claims.
    Release,
    /// Scores the peers groups that corrections (this reviewer's or another's) left due.
    RefreshDue,
    /// Reads a row of a child form of the census object on screen.
    ReadRow {
        form: String,
        record: i64,
    },
}

/// Where an effect runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// On the key path: its answer is on the next frame.
    Key,
    /// On the worker thread (the dashboard's figures, scoring what is due).
    Worker,
    /// On the searcher thread: searches, which at national size may read much of the queue,
    /// so that neither they wait for the figures nor the screen for them.
    Searcher,
}

impl Effect {
    /// Where the effect runs: the slow ones off the key path.
    pub fn lane(&self) -> Lane {
        match self {
            Effect::Figures(_) | Effect::RefreshDue => Lane::Worker,
            Effect::Search(_) => Lane::Searcher,
            Effect::Poll { view, .. } if view.filter.search.is_some() => Lane::Searcher,
            _ => Lane::Key,
        }
    }

    /// The answer to this effect when it could not run at all.
    pub fn failed(&self, error: Error) -> Msg {
        match self {
            Effect::Figures(_) => Msg::Figures(Err(error)),
            Effect::Search(view) => Msg::Searched(Err(error), view.filter.clone()),
            Effect::PlanBulk(..) => Msg::Planned(Err(error)),
            Effect::Write(_) => Msg::Wrote(Err(error)),
            Effect::OpenForWork { then, .. } => Msg::Claimed(Err(error), then.clone()),
            _ => Msg::Failed(error),
        }
    }
}
