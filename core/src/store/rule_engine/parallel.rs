//! The verdicts of a full check computed on two cores: the selected rules are cut into units
//! (a pass over a form for its record rules, see `fused`, or one rule alone), and two workers
//! take the units in turn, the workspace's own connection and a second, read-only connection
//! to the same file on a thread of its own, with its own sandbox, budget and functions. Each
//! unit reads its own snapshot, as each rule did on one connection. When the second
//! connection cannot be opened, or while reviewers are at work on the workspace (whose
//! sessions the second core then serves), the workspace's connection does all the units. Beside the
//! rules, the same workers compute what the check needs of the data alone: the scores and
//! proposals, and the dataset rules' verdicts.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::check::{CheckReport, RuleSummary, Run, summary_of};
use super::dataset::{DatasetVerdicts, evaluate_all};
use super::evaluate::RuntimeError;
use super::fused::{MOST, evaluate_fused, fusable};
use super::rescore::{Selective, compute_selective};
use super::sandbox::Sandbox;
use super::settle::Mark;
use super::vocabulary::{ActiveRules, StoredRule, Verdict};
use crate::domain::Schema;
use crate::error::{OverBudget, Result};

/// What a worker does at once.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    /// Record rules of one form in one pass (by index into the rules).
    Pass(Vec<usize>),
    /// One rule on its own.
    One(usize),
    /// Every score and proposal.
    Selective,
    /// The dataset rules' verdicts.
    Datasets,
}

/// What a check asks of the workers beside the rules' verdicts.
pub(super) struct Extras<'a> {
    /// The scores and proposals, computed with this schema (a check of every rule).
    pub(super) selective: Option<&'a Schema>,
    /// The dataset rules this accepts (by form and rule id).
    pub(super) datasets: &'a (dyn Fn(&str, &str) -> bool + Sync),
    /// Who runs the check: their own actions do not make the room busy.
    pub(super) checker: &'a str,
}

/// Whether reviewers are at work on the workspace: a claim that has not lapsed (seen within
/// the policy's `claim_minutes`, ten without a policy), or
/// an action on a record by someone other than `checker` in the last five. The check then
/// leaves the second core to their sessions.
fn room_at_work(conn: &Connection, checker: &str) -> bool {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM claims
                        WHERE last_seen >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now',
                              '-' || coalesce((SELECT claim_minutes FROM policy), 10) || ' minutes'))
             OR EXISTS (SELECT 1 FROM events
                        WHERE id > (SELECT coalesce(max(id), 0) - 500 FROM events)
                          AND record IS NOT NULL AND reviewer <> ?1
                          AND at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-5 minutes'))",
        [checker],
        |r| r.get(0),
    )
    // Not knowing, the check keeps to one core.
    .unwrap_or(true)
}

/// What the workers computed beside the rules' verdicts.
#[derive(Default)]
pub(super) struct Beside {
    pub(super) selective: Option<Selective>,
    pub(super) datasets: Vec<DatasetVerdicts>,
}

/// The units of `selected`, the passes first (they are the longest), then what `extras`
/// asks for, then the rules alone.
fn units(rules: &ActiveRules, selected: &[usize], extras: &Extras<'_>) -> Vec<Unit> {
    let mut by_form: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut alone = Vec::new();
    for &i in selected {
        let rule = &rules.rules[i];
        if !fusable(rule) {
            alone.push(Unit::One(i));
            continue;
        }
        match by_form
            .iter_mut()
            .find(|(f, _)| f.eq_ignore_ascii_case(&rule.form))
        {
            Some((_, group)) => group.push(i),
            None => by_form.push((&rule.form, vec![i])),
        }
    }
    let mut out = Vec::new();
    for (_, group) in by_form {
        for chunk in group.chunks(MOST) {
            out.push(match chunk {
                [one] => Unit::One(*one),
                many => Unit::Pass(many.to_vec()),
            });
        }
    }
    if extras.selective.is_some() && !(rules.scores.is_empty() && rules.fixes.is_empty()) {
        out.push(Unit::Selective);
    }
    if (rules.datasets.iter()).any(|d| (extras.datasets)(&d.form, &d.id)) {
        out.push(Unit::Datasets);
    }
    out.extend(alone);
    out
}

/// What one rule came to: its summary and verdicts (none when it ran out of its budget) and
/// the mark of the snapshot it read.
pub(super) type RuleOutcome = (Option<(RuleSummary, Vec<Verdict>)>, Mark);

/// What a worker found: per rule index its outcome, and the rules' run-time errors and
/// budgets spent.
#[derive(Default)]
struct Found {
    rules: HashMap<usize, RuleOutcome>,
    runtime_errors: Vec<RuntimeError>,
    over_budget: Vec<OverBudget>,
    beside: Beside,
}

/// How much of the workspace file a check's connections map into memory, in bytes:
/// reading a page then costs no copy through SQLite's page cache, and the memory is the
/// file's, given back when the check ends.
pub(super) const MAP: i64 = 4 << 30;

/// A second connection to the workspace at `path`, for reading only, with the sandbox and
/// the functions rules may call.
fn reader(path: &Path) -> rusqlite::Result<(Connection, Sandbox)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    let sandbox = Sandbox::install(&mut conn)?;
    super::functions::register(&conn)?;
    conn.busy_timeout(Duration::from_millis(crate::store::busy_timeout_ms()))?;
    conn.execute_batch(&format!(
        "PRAGMA cache_size = -{}; PRAGMA mmap_size = {MAP};",
        crate::store::PAGE_CACHE_KIB
    ))?;
    Ok((conn, sandbox))
}

/// Takes units from `next` until none is left, each in a read transaction of its own on
/// `conn`; `started` hears the index of each unit it takes.
fn work(
    (conn, sandbox): (&Connection, &Sandbox),
    rules: &ActiveRules,
    (units, extras): (&[Unit], &Extras<'_>),
    next: &AtomicUsize,
    started: &mut dyn FnMut(usize),
) -> Result<Found> {
    let to_error = crate::store::err("checking the rules");
    let mut run = Run {
        conn,
        sandbox,
        rules,
        to_error: &to_error,
        items_by_form: HashMap::new(),
    };
    let mut found = Found::default();
    loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(unit) = units.get(at) else {
            return Ok(found);
        };
        started(at);
        let members: Vec<usize> = match unit {
            Unit::Pass(members) => members.clone(),
            Unit::One(i) => vec![*i],
            Unit::Selective => {
                let schema = extras.selective.unwrap_or_else(|| unreachable!());
                found.beside.selective = Some(compute_selective(conn, sandbox, rules, schema)?);
                continue;
            }
            Unit::Datasets => {
                let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Deferred)
                    .map_err(&to_error)?;
                found.beside.datasets = evaluate_all(&tx, sandbox, rules, extras.datasets)?;
                tx.commit().map_err(&to_error)?;
                continue;
            }
        };
        let form = &rules.rules[members[0]].form;
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Deferred)
            .map_err(&to_error)?;
        let mark = Mark::read(&tx, form).map_err(&to_error)?;
        let pass = match unit {
            Unit::Pass(members) => {
                let group: Vec<&StoredRule> = members.iter().map(|&i| &rules.rules[i]).collect();
                evaluate_fused(conn, sandbox, rules, form, &group)?
            }
            _ => None,
        };
        match pass {
            Some(passed) => {
                let items = run.items(form)?;
                for (&i, f) in members.iter().zip(passed) {
                    let summary = summary_of(&rules.rules[i], items, f.applicable, &f.verdicts);
                    found.rules.insert(i, (Some((summary, f.verdicts)), mark));
                }
            }
            // A rule alone, or the rules of a pass that could not finish, one by one.
            None => {
                let mut report = CheckReport::empty(rules.rule_set);
                for &i in &members {
                    let ran = run.budgeted(&rules.rules[i], &mut report)?;
                    found.rules.insert(i, (ran, mark));
                }
                found.runtime_errors.extend(report.runtime_errors);
                found.over_budget.extend(report.over_budget);
            }
        }
        tx.commit().map_err(&to_error)?;
    }
}

/// Every selected rule's outcome, computed on the workspace's connection `conn` and, when it
/// can be opened, a second connection to `path` on a thread of its own; with the run-time
/// errors and budgets spent, in the rules' order. `progress` hears (rules started, rules in
/// all, rule id) as the workspace's connection takes each unit.
#[allow(clippy::type_complexity)]
pub(super) fn outcomes(
    (conn, sandbox, path): (&Connection, &Sandbox, &Path),
    rules: &ActiveRules,
    (selected, extras): (&[usize], &Extras<'_>),
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<(
    HashMap<usize, RuleOutcome>,
    Vec<RuntimeError>,
    Vec<OverBudget>,
    Beside,
)> {
    let units = units(rules, selected, extras);
    let next = AtomicUsize::new(0);
    let second = if units.len() > 1 && !room_at_work(conn, extras.checker) {
        reader(path).ok()
    } else {
        None
    };
    let (mine, theirs) = std::thread::scope(|scope| {
        let helper = second.map(|(conn, sandbox)| {
            let (units, next) = (&units, &next);
            scope.spawn(move || work((&conn, &sandbox), rules, (units, extras), next, &mut |_| {}))
        });
        let mut started = |at: usize| {
            let before: usize = units[..at]
                .iter()
                .map(|u| match u {
                    Unit::Pass(m) => m.len(),
                    Unit::One(_) => 1,
                    Unit::Selective | Unit::Datasets => 0,
                })
                .sum();
            let first = match &units[at] {
                Unit::Pass(m) => m[0],
                Unit::One(i) => *i,
                Unit::Selective | Unit::Datasets => return,
            };
            progress(before, selected.len(), &rules.rules[first].id);
        };
        let mine = work(
            (conn, sandbox),
            rules,
            (&units, extras),
            &next,
            &mut started,
        );
        let theirs = helper.map(|h| h.join());
        (mine, theirs)
    });
    let mut all = mine?;
    match theirs {
        None => {}
        Some(Ok(found)) => {
            let found = found?;
            all.rules.extend(found.rules);
            all.runtime_errors.extend(found.runtime_errors);
            all.over_budget.extend(found.over_budget);
            if found.beside.selective.is_some() {
                all.beside.selective = found.beside.selective;
            }
            if !found.beside.datasets.is_empty() {
                all.beside.datasets = found.beside.datasets;
            }
        }
        Some(Err(panic)) => std::panic::resume_unwind(panic),
    }
    let position = |id: &str| rules.rules.iter().position(|r| r.id == id);
    all.runtime_errors.sort_by_key(|e| position(&e.rule));
    all.over_budget.sort_by_key(|o| position(&o.rule));
    Ok((all.rules, all.runtime_errors, all.over_budget, all.beside))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Localized, Severity};
    use crate::store::rule_engine::vocabulary::Reach;

    fn rule(id: &str, form: &str, reach: Reach) -> StoredRule {
        StoredRule {
            id: id.into(),
            form: form.into(),
            severity: Severity::Error,
            title: Localized::new("", ""),
            hint: None,
            check: "1".into(),
            when: None,
            related: None,
            fields: Vec::new(),
            reach,
        }
    }

    #[test]
    fn record_rules_of_a_form_go_in_passes_and_the_others_alone() {
        let rules = ActiveRules {
            rule_set: 1,
            params: Default::default(),
            budget: Default::default(),
            peers: Vec::new(),
            rules: vec![
                rule("A", "F", Reach::Record),
                rule("X", "F", Reach::Related),
                rule("B", "F", Reach::Record),
                rule("C", "G", Reach::Record),
                rule("P", "F", Reach::Peers),
            ],
            datasets: Vec::new(),
            scores: Vec::new(),
            fixes: Vec::new(),
            depends: Default::default(),
        };
        let extras = Extras {
            selective: None,
            datasets: &|_, _| true,
            checker: "",
        };
        assert_eq!(
            units(&rules, &[0, 1, 2, 3, 4], &extras),
            vec![
                Unit::Pass(vec![0, 2]),
                Unit::One(3),
                Unit::One(1),
                Unit::One(4)
            ]
        );
        assert_eq!(
            units(&rules, &[1, 2], &extras),
            vec![Unit::One(2), Unit::One(1)]
        );
    }

    #[test]
    fn a_live_claim_or_anothers_recent_action_keeps_the_check_to_one_core() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE claims (last_seen TEXT);
             CREATE TABLE policy (claim_minutes INTEGER); INSERT INTO policy VALUES (10);
             CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT, reviewer TEXT, record INTEGER);",
        )
        .unwrap();
        let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
        let ago = |m: u32| format!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-{m} minutes')");
        assert!(!room_at_work(&conn, "王五"));
        // The checker's own action, an action on no record, an old action: nobody at work.
        conn.execute_batch(&format!(
            "INSERT INTO events (at, reviewer, record) VALUES ({now}, '王五', 7), ({now}, '李四', NULL), ({}, '李四', 7);
             INSERT INTO claims VALUES ({});",
            ago(30),
            ago(20)
        ))
        .unwrap();
        assert!(!room_at_work(&conn, "王五"));
        conn.execute_batch(&format!("INSERT INTO claims VALUES ({});", ago(2)))
            .unwrap();
        assert!(room_at_work(&conn, "王五"));
        // A claim lapses after the policy's minutes.
        conn.execute_batch("UPDATE policy SET claim_minutes = 1")
            .unwrap();
        assert!(!room_at_work(&conn, "王五"));
        conn.execute_batch(&format!(
            "DELETE FROM claims; INSERT INTO events (at, reviewer, record) VALUES ({}, '李四', 9);",
            ago(1)
        ))
        .unwrap();
        assert!(room_at_work(&conn, "王五"));
        // For 李四, 王五's action a moment ago.
        conn.execute_batch("DELETE FROM events WHERE reviewer = '李四'")
            .unwrap();
        assert!(room_at_work(&conn, "李四"));
    }
}
