//! Budgets for rule statements, so that no rule can stop the room: SQLite's progress handler
//! stops a rule statement that runs past the budget in force, a length limit stops any value
//! (string, blob or row) from growing past [`MAX_VALUE_BYTES`], and a heap limit caps the
//! memory SQLite may take in all.
//!
//! A budget is put in force for a stretch of work (one rule of a full check, one rule's trial
//! run at load, the whole re-check of an action) and counts only while a rule statement is
//! stepped through [`Meter::next`]: the writes between them (merging flags, refreshing a
//! queue line) are never interrupted, as SQLite would roll back the whole transaction of an
//! interrupted write.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rusqlite::limits::Limit;
use rusqlite::{Connection, ErrorCode, Row, Rows};

use crate::domain::Localized;
use crate::error::OverBudget;
use crate::rules::BudgetKind;

/// The longest string or blob, and the largest row, any statement may make: far above any
/// census value or rule file, far below what `randomblob(900000000)` asks for.
pub(super) const MAX_VALUE_BYTES: i32 = 16 << 20;

/// What SQLite may allocate in all, in bytes: a backstop for a rule that would hold more than
/// the length limit catches one value at a time.
const HEAP_LIMIT_BYTES: i64 = 2 << 30;

/// How many virtual-machine steps SQLite takes between two looks at the clock.
const STEPS: i32 = 1_000;

#[derive(Debug, Clone, Copy)]
struct Armed {
    started: Instant,
    budget: Duration,
    kind: BudgetKind,
}

impl Armed {
    fn spent(&self) -> bool {
        self.started.elapsed() > self.budget
    }
}

#[derive(Default)]
struct State {
    armed: Option<Armed>,
    /// A rule statement is being stepped: the only time the progress handler may stop one.
    stepping: bool,
}

/// Shared between the workspace and its connection's progress handler.
#[derive(Clone, Default)]
pub(in crate::store) struct Meter {
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // The state is two plain fields: a panic while it was held leaves nothing half done.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// The error SQLite gives a statement its progress handler stopped.
fn interrupted() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT),
        None,
    )
}

/// While it lives, a budget is in force; it ends when it is dropped.
pub(super) struct InForce<'m> {
    meter: &'m Meter,
    outer: bool,
}

impl Drop for InForce<'_> {
    fn drop(&mut self) {
        if !self.outer {
            lock(&self.meter.state).armed = None;
        }
    }
}

impl Meter {
    /// Installs the progress handler and the limits on `conn`.
    pub(in crate::store) fn install(conn: &mut Connection) -> rusqlite::Result<Meter> {
        let meter = Meter::default();
        let state = Arc::clone(&meter.state);
        conn.progress_handler(
            STEPS,
            Some(move || {
                let state = lock(&state);
                state.stepping && state.armed.is_some_and(|a| a.spent())
            }),
        )?;
        conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
        conn.execute_batch(&format!("PRAGMA hard_heap_limit = {HEAP_LIMIT_BYTES}"))?;
        Ok(meter)
    }

    /// Puts `budget` of `kind` in force from now until the result is dropped. Inside a
    /// budget already in force, that one goes on counting.
    pub(super) fn start(&self, kind: BudgetKind, budget: Duration) -> InForce<'_> {
        let mut state = lock(&self.state);
        let outer = state.armed.is_some();
        if !outer {
            state.armed = Some(Armed {
                started: Instant::now(),
                budget,
                kind,
            });
        }
        InForce { meter: self, outer }
    }

    /// The next row of a rule statement, stepped under the budget in force: an interrupt
    /// error once it is spent.
    pub(super) fn next<'r, 's>(
        &self,
        rows: &'r mut Rows<'s>,
    ) -> rusqlite::Result<Option<&'r Row<'s>>> {
        {
            let mut state = lock(&self.state);
            if state.armed.is_some_and(|a| a.spent()) {
                return Err(interrupted());
            }
            state.stepping = true;
        }
        let row = rows.next();
        lock(&self.state).stepping = false;
        row
    }

    /// Whether `e` says a rule ran out of its budget or made a value too large, and if so
    /// what `rule` did.
    pub(super) fn exceeded(&self, rule: &str, e: &rusqlite::Error) -> Option<OverBudget> {
        let armed = lock(&self.state).armed;
        let (why, setting) = match e.sqlite_error_code()? {
            ErrorCode::OperationInterrupted => {
                let a = armed?;
                let ms = a.budget.as_millis();
                (
                    Localized::new(
                        format!("运行超过了 {ms} 毫秒的时限"),
                        format!("ran for more than its budget of {ms} ms"),
                    ),
                    a.kind.setting().to_string(),
                )
            }
            ErrorCode::TooBig => (
                Localized::new(
                    format!(
                        "生成的值超过了 {} MiB，这是任何规则所能生成的上限",
                        MAX_VALUE_BYTES >> 20
                    ),
                    format!(
                        "made a value longer than {} MiB, the most any rule may make",
                        MAX_VALUE_BYTES >> 20
                    ),
                ),
                String::new(),
            ),
            ErrorCode::OutOfMemory => (
                Localized::new(
                    format!(
                        "所需内存超过了 huishen 允许 SQLite 使用的 {} GiB",
                        HEAP_LIMIT_BYTES >> 30
                    ),
                    format!(
                        "needed more than the {} GiB of memory huishen lets SQLite use",
                        HEAP_LIMIT_BYTES >> 30
                    ),
                ),
                String::new(),
            ),
            _ => return None,
        };
        Some(OverBudget {
            rule: rule.to_string(),
            why,
            setting,
        })
    }
}
