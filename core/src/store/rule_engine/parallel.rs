//! The verdicts of a full check computed on two cores: the selected rules are cut into units
//! (a pass over a piece of a form for its record rules, see `fused` and `pieces`, or one rule
//! alone), and two workers
//! take the units in turn, the workspace's own connection and a second, read-only connection
//! to the same file on a thread of its own, with its own sandbox, budget and functions. Each
//! unit reads its own snapshot, as each rule did on one connection. When the second
//! connection cannot be opened, or while reviewers are at work on the workspace (whose
//! sessions the second core then serves), the workspace's connection does all the units. Beside the
//! rules, the same workers compute what the check needs of the data alone: the scores and
//! proposals, and the dataset rules' verdicts.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::check::{CheckReport, RuleSummary};
use super::dataset::{DatasetVerdicts, evaluate_all};
use super::evaluate::RuntimeError;
use super::fused::{self, MOST, evaluate_fused, fusable};
use super::pieces::{self, Piece, PieceFound};
use super::rescore::{Selective, compute_selective};
use super::run::Run;
use super::sandbox::Sandbox;
use super::settle::Mark;
use super::vocabulary::{ActiveRules, StoredRule, Verdict};
use crate::domain::Schema;
use crate::error::{OverBudget, Result};

/// What a worker does at once.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    /// Record rules of one form in one pass (by index into the rules) over a piece of it.
    Pass(Vec<usize>, Piece),
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

/// What the workers computed beside the rules' verdicts.
#[derive(Default)]
pub(super) struct Beside {
    pub(super) selective: Option<Selective>,
    pub(super) datasets: Vec<DatasetVerdicts>,
}

/// The units of `selected`: the rules alone first (the longest of them, the cross-record
/// rules, cannot be shared), then what `extras` asks for, then the pieces of the passes, each
/// form cut as `cut` says, which the two workers share to the end.
fn units(
    rules: &ActiveRules,
    selected: &[usize],
    extras: &Extras<'_>,
    cut: &dyn Fn(&str) -> Vec<Piece>,
) -> Vec<Unit> {
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
    let mut passes = Vec::new();
    for (form, group) in by_form {
        for chunk in group.chunks(MOST) {
            match chunk {
                [one] => alone.push(Unit::One(*one)),
                many => passes.extend(cut(form).into_iter().map(|p| Unit::Pass(many.to_vec(), p))),
            }
        }
    }
    let mut out = alone;
    if extras.selective.is_some() && !(rules.scores.is_empty() && rules.fixes.is_empty()) {
        out.push(Unit::Selective);
    }
    if (rules.datasets.iter()).any(|d| (extras.datasets)(&d.form, &d.id)) {
        out.push(Unit::Datasets);
    }
    out.extend(passes);
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
    pieces: Vec<PieceFound>,
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
            Unit::Pass(members, _) => members.clone(),
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
        match unit {
            Unit::Pass(members, piece) => {
                let piece_found = pass(&mut run, (members, *piece), &mut found)?;
                found.pieces.push(PieceFound {
                    members: members.clone(),
                    piece: *piece,
                    mark,
                    items: run.items(form)?,
                    found: piece_found,
                });
            }
            _ => {
                let mut report = CheckReport::empty(rules.rule_set);
                for &i in &members {
                    let ran = run.budgeted(&rules.rules[i], "", &mut report)?;
                    found.rules.insert(i, (ran, mark));
                }
                found.runtime_errors.extend(report.runtime_errors);
                found.over_budget.extend(report.over_budget);
            }
        }
        tx.commit().map_err(&to_error)?;
    }
}

/// One piece of a pass, in the caller's read transaction: what each member rule found there,
/// in one pass, or, when the pass cannot finish, one rule at a time over the piece (each under
/// its own budget, run-time errors and budgets spent going to `found`).
fn pass(
    run: &mut Run<'_>,
    (members, piece): (&[usize], Piece),
    found: &mut Found,
) -> Result<Vec<Option<fused::Found>>> {
    let rules = run.rules;
    let form = &rules.rules[members[0]].form;
    let filter = piece.filter(form);
    let group: Vec<&StoredRule> = members.iter().map(|&i| &rules.rules[i]).collect();
    let passed = evaluate_fused(
        run.conn,
        run.sandbox,
        rules,
        (form, &group),
        (&filter, piece.of),
    )?;
    if let Some(passed) = passed {
        return Ok(passed.into_iter().map(Some).collect());
    }
    let mut report = CheckReport::empty(rules.rule_set);
    let mut out = Vec::new();
    for &i in members {
        let ran = run.budgeted(&rules.rules[i], &filter, &mut report)?;
        out.push(ran.map(|(s, verdicts)| fused::Found {
            applicable: s.passes + s.fails + s.missing + s.errors,
            verdicts,
        }));
    }
    found.runtime_errors.extend(report.runtime_errors);
    // A rule out of its budget on several pieces is told once.
    for over in report.over_budget {
        if !found.over_budget.iter().any(|o| o.rule == over.rule) {
            found.over_budget.push(over);
        }
    }
    Ok(out)
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
    let cut = |form: &str| {
        pieces::cut(conn, form, pieces::PIECE_ROWS).unwrap_or_else(|_| vec![Piece::WHOLE])
    };
    let units = units(rules, selected, extras, &cut);
    let next = AtomicUsize::new(0);
    let second = if units.len() > 1 && !super::room::at_work(conn, extras.checker) {
        reader(path).ok()
    } else {
        None
    };
    let (mine, theirs) = std::thread::scope(|scope| {
        let helper = second.map(|(conn, sandbox)| {
            let (units, next) = (&units, &next);
            scope.spawn(move || work((&conn, &sandbox), rules, (units, extras), next, &mut |_| {}))
        });
        // The rules started so far, as units of either worker took them.
        let mut begun: HashSet<usize> = HashSet::new();
        let mut started = |at: usize| {
            for u in &units[..at] {
                match u {
                    Unit::Pass(m, _) => begun.extend(m),
                    Unit::One(i) => {
                        begun.insert(*i);
                    }
                    Unit::Selective | Unit::Datasets => {}
                }
            }
            let first = match &units[at] {
                Unit::Pass(m, _) => m[0],
                Unit::One(i) => *i,
                Unit::Selective | Unit::Datasets => return,
            };
            progress(begun.len(), selected.len(), &rules.rules[first].id);
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
            all.pieces.extend(found.pieces);
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
    all.rules
        .extend(pieces::join(rules, std::mem::take(&mut all.pieces)));
    let position = |id: &str| rules.rules.iter().position(|r| r.id == id);
    all.runtime_errors.sort_by_key(|e| position(&e.rule));
    all.over_budget.sort_by_key(|o| position(&o.rule));
    all.over_budget.dedup_by(|a, b| a.rule == b.rule);
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
        let whole = |_: &str| vec![Piece::WHOLE];
        assert_eq!(
            units(&rules, &[0, 1, 2, 3, 4], &extras, &whole),
            vec![
                Unit::One(1),
                Unit::One(4),
                Unit::One(3),
                Unit::Pass(vec![0, 2], Piece::WHOLE),
            ]
        );
        assert_eq!(
            units(&rules, &[1, 2], &extras, &whole),
            vec![Unit::One(1), Unit::One(2)]
        );
        // A large form's pass, once per piece, after everything that cannot be shared.
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE F (v);
             WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 120000)
             INSERT INTO F SELECT n FROM i;",
        )
        .unwrap();
        let cut = |form: &str| pieces::cut(&conn, form, pieces::PIECE_ROWS).unwrap();
        let cut_units = units(&rules, &[0, 1, 2], &extras, &cut);
        let pieces: Vec<Piece> = cut_units
            .iter()
            .filter_map(|u| match u {
                Unit::Pass(members, p) if members == &[0, 2] => Some(*p),
                _ => None,
            })
            .collect();
        assert_eq!(cut_units[0], Unit::One(1));
        assert_eq!(pieces.len(), 2);
        assert_eq!((pieces[0].at, pieces[1].at, pieces[1].of), (0, 1, 2));
    }

    /// A pass cut into pieces gives each rule the verdicts and counts it gives alone over the
    /// whole form, a piece where the pass cannot finish included (a rule failing as it runs
    /// on one record there): that piece's rules run one by one over it.
    #[test]
    fn the_pieces_of_a_pass_give_what_each_rule_gives_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE events (id INTEGER PRIMARY KEY);
             CREATE TABLE imports (id INTEGER PRIMARY KEY);
             CREATE TABLE rule_sets (id INTEGER PRIMARY KEY);
             CREATE TABLE forms (name TEXT, key_field TEXT);
             INSERT INTO forms VALUES ('F', 'k');
             CREATE TABLE F (k, a, b);
             WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 40)
             INSERT INTO F SELECT 'k' || n, CASE WHEN n % 7 = 0 THEN NULL ELSE n % 5 END, n % 3
             FROM i;
             UPDATE F SET a = -9223372036854775807 - 1 WHERE rowid = 23;",
        )
        .unwrap();
        let sandbox = Sandbox::install(&mut conn).unwrap();
        let mut group = vec![
            rule("A", "F", Reach::Record),
            rule("B", "F", Reach::Record),
            rule("C", "F", Reach::Record),
        ];
        group[0].check = "a < b".into();
        group[1].check = "b".into();
        group[1].when = Some("a IS NOT NULL".into());
        group[2].check = "abs(a) < 4".into();
        let rules = ActiveRules {
            rule_set: 1,
            params: Default::default(),
            budget: Default::default(),
            peers: Vec::new(),
            rules: group,
            datasets: Vec::new(),
            scores: Vec::new(),
            fixes: Vec::new(),
            depends: Default::default(),
        };
        let cut = pieces::cut(&conn, "F", 7).unwrap();
        assert_eq!(cut.len(), 5);
        let units: Vec<Unit> = cut
            .into_iter()
            .map(|p| Unit::Pass(vec![0, 1, 2], p))
            .collect();
        let extras = Extras {
            selective: None,
            datasets: &|_, _| false,
            checker: "",
        };
        let found = work(
            (&conn, &sandbox),
            &rules,
            (&units, &extras),
            &AtomicUsize::new(0),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(found.runtime_errors.len(), 1, "{:?}", found.runtime_errors);
        let joined = pieces::join(&rules, found.pieces);
        let to_error = crate::store::err("checking the rules");
        let mut run = Run {
            conn: &conn,
            sandbox: &sandbox,
            rules: &rules,
            to_error: &to_error,
            items_by_form: HashMap::new(),
        };
        for (i, rule) in rules.rules.iter().enumerate() {
            let mut report = CheckReport::empty(1);
            let alone = run.budgeted(rule, "", &mut report).unwrap().unwrap();
            let (Some(pieced), _) = &joined[&i] else {
                panic!("rule {} has no outcome", rule.id)
            };
            assert_eq!(pieced, &alone, "rule {}", rule.id);
        }
    }
}
