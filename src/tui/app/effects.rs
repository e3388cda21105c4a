//! The one place the screen reaches the review core. Each [`Effect`] runs against a session
//! and answers with a [`Msg`]; the runner sees only the session and the effect, never the
//! model, so the same function serves the key path and the worker thread.

use super::msg::{Done, Effect, Loaded, Msg, Read, Selection, View, Write};
use super::queue::{Queue, Window};
use huishen_core::Result;
use huishen_core::domain::{AssignmentKind, Localized};
use huishen_core::review::Session;

/// Runs `effect`; a failure is part of the answer.
pub fn run(session: &mut Session, effect: Effect) -> Msg {
    let fallback = effect.clone();
    try_run(session, effect).unwrap_or_else(|error| fallback.failed(error))
}

/// The queue read again when the data changed since `known`; `None` when it did not.
fn poll(session: &mut Session, known: i64, view: &View) -> Result<Option<Loaded>> {
    let version = session.data_version()?;
    if version == known {
        return Ok(None);
    }
    let mut loaded = reload(session, Read::KeepPlace, view)?;
    loaded.data_version = Some(version);
    Ok(Some(loaded))
}

/// Runs `effect`, or says why it could not.
pub fn try_run(session: &mut Session, effect: Effect) -> Result<Msg> {
    Ok(match effect {
        Effect::Read(read, view) => self::read(session, read, &view)?,
        Effect::Search(view) => {
            let found = reload(session, Read::FromStart, &view).map(Box::new);
            Msg::Searched(found, view.filter)
        }
        // With a search, the poll ran on the searcher: it always answers (the screen waits
        // for it before asking again), and the screen may have moved on meanwhile.
        Effect::Poll { known, view } if view.filter.search.is_some() => {
            let polled = poll(session, known, &view).map(|loaded| loaded.map(Box::new));
            Msg::Refreshed(polled, view)
        }
        Effect::Poll { known, view } => match poll(session, known, &view)? {
            Some(loaded) => Msg::Loaded(Box::new(loaded)),
            None => Msg::Nothing,
        },
        Effect::Assignments => Msg::Assigned(session.assignments()),
        Effect::OpenForWork { record, seen, then } => {
            Msg::Claimed(session.open_for_work(record, seen), then)
        }
        Effect::Write(write) => Msg::Wrote(self::write(session, write)),
        Effect::History(record) => Msg::History(session.history(record)),
        Effect::FlagDetail { record, rule } => {
            Msg::FlagDetail(session.flag_detail(record, &rule).map(|d| d.map(Box::new)))
        }
        Effect::Figures(since) => Msg::Figures(session.figures(Some(&since)).map(Box::new)),
        Effect::PlanBulk(selection, action) => {
            let records = match selection {
                Selection::Listed(filter) => session.select(&filter),
                Selection::Marked(records) => Ok(records),
            };
            let plan = records.and_then(|records| session.plan_bulk(&records, action));
            Msg::Planned(plan.map(Box::new))
        }
        Effect::Release => {
            session.release()?;
            Msg::Nothing
        }
        Effect::ReadRow { record, .. } => Msg::Row(session.record(record).map(|r| r.map(Box::new))),
        Effect::RefreshDue => {
            // The screen's poll sees the new figures on its next tick.
            session.refresh_due()?;
            Msg::Nothing
        }
    })
}

/// What the screen reads once, as it opens.
pub struct Opening {
    pub mine: Vec<(AssignmentKind, String)>,
    pub reasons: Vec<Localized>,
    pub data_version: i64,
}

pub fn opening(session: &mut Session) -> Result<Opening> {
    Ok(Opening {
        mine: session.assignments()?,
        reasons: session.reasons()?,
        data_version: session.data_version()?,
    })
}

fn read(session: &mut Session, read: Read, view: &View) -> Result<Msg> {
    let queue = Queue {
        session,
        filter: &view.filter,
        height: view.height,
    };
    let window = match read {
        Read::FromStart | Read::Around | Read::KeepPlace | Read::AfterAction => {
            return Ok(Msg::Loaded(Box::new(reload(session, read, view)?)));
        }
        Read::Move(action, times) => {
            let mut window = view.window.clone();
            for _ in 0..times {
                window = queue.step(window, action)?;
            }
            window
        }
        Read::Jump(direction) => match queue.jump(view.window.clone(), direction)? {
            Some(window) => window,
            None => return Ok(Msg::NoError(direction)),
        },
        Read::Record => view.window.clone(),
    };
    let selected = window.selected().map(|r| r.record);
    let record = if read == Read::Record || selected != view.selected {
        Some(record(session, &window)?)
    } else {
        None
    };
    Ok(Msg::Loaded(Box::new(Loaded {
        window,
        progress: None,
        record,
        data_version: None,
        unflagged: None,
    })))
}

/// The queue read again (from the start, or keeping its place), with the progress and the
/// selected record.
fn reload(session: &mut Session, read: Read, view: &View) -> Result<Loaded> {
    let data_version = match read {
        Read::AfterAction => Some(session.data_version()?),
        _ => None,
    };
    let queue = Queue {
        session,
        filter: &view.filter,
        height: view.height,
    };
    let window = match read {
        Read::FromStart => queue.first()?,
        Read::Around => queue.around(&view.window)?,
        _ => queue.keep_place(view.window.clone())?,
    };
    let progress = Some(session.progress()?);
    let record = Some(record(session, &window)?);
    // A search that lists nothing says whether it would find records no rule flagged.
    let unflagged = match &view.filter.search {
        Some(text) if window.rows.is_empty() => Some(session.unflagged_matches(text, 3)?),
        _ => None,
    };
    Ok(Loaded {
        window,
        progress,
        record,
        data_version,
        unflagged,
    })
}

fn record(
    session: &mut Session,
    window: &Window,
) -> Result<Option<huishen_core::review::RecordDetail>> {
    match window.selected() {
        Some(row) => session.record(row.record),
        None => Ok(None),
    }
}

fn write(session: &mut Session, write: Write) -> Result<Done> {
    Ok(match write {
        Write::Correct {
            record,
            seen,
            field,
            value,
            reason,
        } => {
            let report = session.correct_to(record, seen, &field, value, &reason)?;
            let rules = |list: &[(String, _)]| list.iter().map(|(r, _)| r.clone()).collect();
            Done::Corrected {
                resolved: rules(&report.resolved),
                opened: rules(&report.opened),
                field: session.label_of(&field),
            }
        }
        Write::Explain {
            record,
            seen,
            rule,
            text,
        } => {
            session.explain(record, seen, &rule, &text)?;
            Done::Explained { rule }
        }
        Write::Note { record, seen, text } => {
            session.note(record, seen, &text)?;
            Done::Noted
        }
        Write::Reopen {
            record,
            seen,
            reason,
        } => {
            session.reopen(record, seen, &reason)?;
            Done::Reopened
        }
        Write::Sign { record, seen } => Done::Signed {
            locked: session.sign(record, seen)?,
        },
        Write::Undo { record, seen } => match session.last_batch(record)? {
            // A bulk action is taken back as it was done: over all its records at once.
            Some((batch, records)) if records > 1 => {
                let (records, left) = session.undo_batch(&batch)?;
                Done::UndoneBatch {
                    records,
                    left: left.len(),
                }
            }
            _ => Done::Undone {
                kind: session.undo(record, seen)?.kind,
            },
        },
        Write::AcceptFix { record, seen, fix } => {
            let report = session.accept_fix(record, seen, &fix)?;
            let rules = |list: &[(String, _)]| list.iter().map(|(r, _)| r.clone()).collect();
            Done::FixAccepted {
                resolved: rules(&report.resolved),
                opened: rules(&report.opened),
                fix,
            }
        }
        Write::DismissFix { record, seen, fix } => {
            session.dismiss_fix(record, seen, &fix)?;
            Done::FixDismissed { fix }
        }
        Write::Bulk(plan) => {
            let report = session.run_bulk(&plan)?;
            Done::Bulk {
                done: report.done,
                refused: report.refused.len(),
                batch: report.batch,
            }
        }
        Write::TakeOver { record } => Done::TookOver {
            from: session.take_over(record)?,
        },
    })
}
