//! Settling a full check's verdicts beside working reviewers. The verdicts were computed in a
//! read transaction at a mark (the newest event and import then); they are merged into the
//! flags a slice of records at a time, each slice in its own short write transaction, so that
//! reviewers are never kept waiting for long.
//!
//! Reviewers may correct records meanwhile. Their re-checks write the verdicts of their own
//! scope from the data as it is then, which are fresher than the check's. So, before each
//! slice, the corrections made since the mark are read:
//! - a rule that reads none of the fields they changed merges its verdicts as they are;
//! - a rule whose verdict on a record depends only on that record (and peers figures that did
//!   not move) merges them except on the corrected records, whose flags stay as their
//!   re-check left them;
//! - a rule whose verdicts on other records can have moved (related records, peers groups, a
//!   whole form, another form) is evaluated again in a fresh read, and its merge goes on from
//!   the same slice with the new verdicts. After a few tries the check leaves the rule as the
//!   re-checks keep it (they write the verdicts of every correction's scope) and says so.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::merge::merge_range;
use super::vocabulary::{ActiveRules, Reach, Verdict};
use crate::error::{Error, Result};
use crate::store::{Workspace, queue};

/// Rowids per slice: one write transaction merges at most this many records of one rule.
const SLICE: i64 = 5_000;

/// Fresh evaluations of one rule before the check leaves it to the re-checks.
const TRIES: usize = 5;

/// Where the workspace stood when verdicts were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mark {
    pub event: i64,
    pub import: i64,
    pub rule_set: i64,
    /// The largest rowid of the rule's form then.
    pub last_record: i64,
}

impl Mark {
    /// Reads the mark in the caller's (read) transaction.
    pub(super) fn read(conn: &Connection, form: &str) -> rusqlite::Result<Mark> {
        conn.query_row(
            &format!(
                "SELECT (SELECT coalesce(max(id), 0) FROM events),
                        (SELECT coalesce(max(id), 0) FROM imports),
                        (SELECT coalesce(max(id), 0) FROM rule_sets),
                        (SELECT coalesce(max(rowid), 0) FROM {})",
                crate::store::forms::quote(form)
            ),
            [],
            |r| {
                Ok(Mark {
                    event: r.get(0)?,
                    import: r.get(1)?,
                    rule_set: r.get(2)?,
                    last_record: r.get(3)?,
                })
            },
        )
    }
}

/// A value that changed since a mark: a correction, or the undoing of one.
struct Changed {
    form: String,
    record: i64,
    field: String,
}

fn changed_since(conn: &Connection, mark: &Mark) -> rusqlite::Result<Vec<Changed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT form, record, field FROM corrections WHERE event > ?1 OR undone_by > ?1",
    )?;
    stmt.query_map([mark.event], |r| {
        Ok(Changed {
            form: r.get(0)?,
            record: r.get(1)?,
            field: r.get(2)?,
        })
    })?
    .collect()
}

/// How the changes since the mark bear on one rule's verdicts.
enum Bearing {
    /// Their verdicts stand, except on these records (sorted), which a re-check spoke for.
    Stand(Vec<i64>),
    /// Verdicts on other records can have moved: the rule must be evaluated again.
    Stale,
}

fn bearing(rules: &ActiveRules, index: usize, changes: &[Changed], imported: bool) -> Bearing {
    let rule = &rules.rules[index];
    if imported {
        return Bearing::Stale;
    }
    let reads = rules.depends.rule(index);
    let mut except = Vec::new();
    for c in changes {
        // A peers figure the rule reads may have moved for a whole group.
        let figures_moved = rules.peers.iter().enumerate().any(|(i, p)| {
            rules.depends.peers(i).column(&c.form, &c.field)
                && reads
                    .columns_of(&p.table())
                    .is_none_or(|cols| !cols.is_empty())
        });
        if figures_moved {
            return Bearing::Stale;
        }
        if !reads.column(&c.form, &c.field) {
            continue;
        }
        match rule.reach {
            Reach::Record | Reach::Peers if c.form == rule.form => except.push(c.record),
            _ => return Bearing::Stale,
        }
    }
    except.sort_unstable();
    except.dedup();
    Bearing::Stand(except)
}

/// What one rule's settling changed.
#[derive(Debug, Default)]
pub(super) struct Settled {
    pub opened: u64,
    pub resolved: u64,
    /// The verdicts finally merged (a fresh evaluation replaces the first).
    pub verdicts: Option<Vec<Verdict>>,
    /// Corrections kept moving the rule's verdicts on other records, so the rest of its
    /// verdicts was not merged: its flags stand as the re-checks left them.
    pub unsettled: bool,
}

/// Evaluates one rule over its whole form in the given connection's current transaction.
pub(super) type Evaluate<'e> = dyn Fn(&Connection) -> Result<Vec<Verdict>> + 'e;

/// Merges the `index`th rule's verdicts, computed at `mark`, slice by slice. `refresh_queue`
/// says whether each slice refreshes the queue lines of the records it changed (otherwise the
/// caller rebuilds the queue at the end).
pub(super) fn settle(
    ws: &Workspace,
    rules: &ActiveRules,
    index: usize,
    mut verdicts: Vec<Verdict>,
    mut mark: Mark,
    evaluate: &Evaluate<'_>,
    refresh_queue: bool,
) -> Result<Settled> {
    let rule = &rules.rules[index];
    let to_error = ws.error("merging the check's flags");
    let mut settled = Settled::default();
    let mut tries = 0;
    let mut start = 0;
    while start <= mark.last_record {
        let tx = Transaction::new_unchecked(&ws.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        refuse_new_rules(&tx, &mark, rules).map_err(|e| e.or_storage(&to_error))?;
        let imported = last_import(&tx).map_err(&to_error)? != mark.import;
        let changes = changed_since(&tx, &mark).map_err(&to_error)?;
        let except = match bearing(rules, index, &changes, imported) {
            Bearing::Stand(except) => except,
            Bearing::Stale if tries < TRIES => {
                drop(tx);
                tries += 1;
                (verdicts, mark) = fresh(ws, rule.form.as_str(), evaluate)?;
                settled.verdicts = Some(verdicts.clone());
                continue;
            }
            Bearing::Stale => {
                // Corrections keep moving this rule's verdicts: its re-checks keep its flags
                // right meanwhile, so the check leaves it there rather than keep reviewers
                // waiting while it is evaluated under the lock.
                settled.unsettled = true;
                return Ok(settled);
            }
        };
        let end = (start + SLICE).min(mark.last_record + 1);
        let (opened, resolved) = merge_slice(
            &tx,
            ws,
            rules,
            index,
            start..end,
            &except,
            &verdicts,
            refresh_queue,
        )?;
        settled.opened += opened;
        settled.resolved += resolved;
        tx.commit().map_err(&to_error)?;
        start = end;
    }
    Ok(settled)
}

/// Evaluates the rule again in a fresh read transaction, with its mark.
fn fresh(ws: &Workspace, form: &str, evaluate: &Evaluate<'_>) -> Result<(Vec<Verdict>, Mark)> {
    let to_error = ws.error("checking the rules");
    let tx =
        Transaction::new_unchecked(&ws.conn, TransactionBehavior::Deferred).map_err(&to_error)?;
    let mark = Mark::read(&tx, form).map_err(&to_error)?;
    let verdicts = evaluate(&tx)?;
    tx.commit().map_err(&to_error)?;
    Ok((verdicts, mark))
}

/// Merges one slice and refreshes the queue lines it changed; (opened, resolved).
#[allow(clippy::too_many_arguments)] // one slice of one rule, and how to keep the queue
fn merge_slice(
    tx: &Connection,
    ws: &Workspace,
    rules: &ActiveRules,
    index: usize,
    range: std::ops::Range<i64>,
    except: &[i64],
    verdicts: &[Verdict],
    refresh_queue: bool,
) -> Result<(u64, u64)> {
    let rule = &rules.rules[index];
    let to_error = ws.error("merging the check's flags");
    let merged =
        merge_range(tx, rules.rule_set, rule, range, except, verdicts).map_err(&to_error)?;
    if refresh_queue {
        let mut records: Vec<i64> = merged
            .opened
            .iter()
            .chain(&merged.resolved)
            .copied()
            .collect();
        records.sort_unstable();
        queue::refresh_records(
            tx,
            ws.schema_cached()?,
            rules.rule_set,
            &rule.form,
            &records,
        )
        .map_err(&to_error)?;
    }
    Ok((merged.opened.len() as u64, merged.resolved.len() as u64))
}

fn last_import(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(id), 0) FROM imports", [], |r| r.get(0))
}

/// Why merging must stop: the rules in force changed under the check.
enum Stop {
    Storage(rusqlite::Error),
    NewRules(i64),
}

impl Stop {
    fn or_storage(self, to_error: &dyn Fn(rusqlite::Error) -> Error) -> Error {
        match self {
            Stop::Storage(e) => to_error(e),
            Stop::NewRules(set) => Error::declined(
                format!(
                    "rule set {set} was loaded while the check ran; the flags of the earlier rules \
                     merged so far stand as their history. Run the check again for the new rules"
                ),
                format!(
                    "核查进行期间载入了规则集 {set}；此前规则已合并的审核结果作为其历史保留。请对新规则重新核查"
                ),
            ),
        }
    }
}

fn refuse_new_rules(
    conn: &Connection,
    mark: &Mark,
    rules: &ActiveRules,
) -> std::result::Result<(), Stop> {
    let newest: i64 = conn
        .query_row("SELECT coalesce(max(id), 0) FROM rule_sets", [], |r| {
            r.get(0)
        })
        .map_err(Stop::Storage)?;
    if newest != mark.rule_set.max(rules.rule_set) {
        return Err(Stop::NewRules(newest));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Schema;
    use crate::rules::RuleSet;
    use crate::sample::{RULES_TOML, SCHEMA_TOML};

    /// An empty sample workspace with the census rules in force.
    fn census_workspace(dir: &std::path::Path) -> (Workspace, std::rc::Rc<ActiveRules>) {
        let schema = Schema::parse("schema.toml", SCHEMA_TOML).unwrap();
        let path = dir.join("w.huishen");
        let (root, by) = crate::seal::test_root("t");
        let mut ws =
            Workspace::create(&path, &schema, "schema.toml", SCHEMA_TOML, &root, &by).unwrap();
        let set = RuleSet::parse("rules.toml", RULES_TOML).unwrap();
        ws.load_rules(&set, "rules.toml", RULES_TOML, &by).unwrap();
        let rules = ws.active_rules().unwrap().unwrap();
        (ws, rules)
    }

    fn census(dir: &std::path::Path) -> std::rc::Rc<ActiveRules> {
        census_workspace(dir).1
    }

    /// A correction of a credit code, as another reviewer's session writes one, through a
    /// connection of its own.
    fn credit_code_corrected(conn: &Connection) {
        conn.execute(
            "INSERT INTO corrections (event, form, record, field, old_value, new_value, reason,
                                      reviewer, at)
             VALUES (max((SELECT coalesce(max(event), 0) FROM corrections),
                         (SELECT coalesce(max(id), 0) FROM events)) + 1, 'G101_1', 1,
                     'credit_code', NULL, 'x', 'r', '李四', '2026-12-01T00:00:00Z')",
            [],
        )
        .unwrap();
    }

    /// A rule whose verdicts on other records every correction can move (R27 relates records
    /// by credit code), while corrections keep coming: the check evaluates it again a few
    /// times, outside the write lock, and then leaves it to the re-checks instead of holding
    /// the lock to evaluate it there; nothing of it is merged.
    #[test]
    fn a_rule_that_corrections_keep_moving_is_left_to_the_re_checks() {
        let dir = tempfile::tempdir().unwrap();
        let (ws, rules) = census_workspace(dir.path());
        let other = Connection::open(ws.path()).unwrap();
        // Only the correction rows matter here, not the events they belong to.
        other.pragma_update(None, "foreign_keys", false).unwrap();
        let mark = Mark::read(&ws.conn, "G101_1").unwrap();
        credit_code_corrected(&other);
        let evaluations = std::cell::Cell::new(0);
        let evaluate = |_: &Connection| -> Result<Vec<Verdict>> {
            evaluations.set(evaluations.get() + 1);
            credit_code_corrected(&other);
            Ok(vec![(1, crate::domain::Outcome::Fail)])
        };
        let r27 = index(&rules, "R27");
        let settled = settle(&ws, &rules, r27, Vec::new(), mark, &evaluate, false).unwrap();
        assert!(settled.unsettled);
        assert_eq!(evaluations.get(), TRIES);
        let flags: i64 = ws
            .conn
            .query_row("SELECT count(*) FROM flags", [], |r| r.get(0))
            .unwrap();
        assert_eq!(flags, 0, "nothing of the rule was merged");
    }

    fn index(rules: &ActiveRules, id: &str) -> usize {
        rules.rules.iter().position(|r| r.id == id).unwrap()
    }

    fn changed(record: i64, field: &str) -> Changed {
        Changed {
            form: "G101_1".into(),
            record,
            field: field.into(),
        }
    }

    #[test]
    fn corrections_bear_on_a_rule_by_what_it_reads_and_how_far_it_reaches() {
        let dir = tempfile::tempdir().unwrap();
        let rules = census(dir.path());
        let so2 = [changed(7, "so2_emit_t"), changed(3, "so2_emit_t")];
        // R13 reads the record's own SO2 figures: its verdicts stand but on the corrected
        // records, whose re-checks spoke for them.
        match bearing(&rules, index(&rules, "R13"), &so2, false) {
            Bearing::Stand(except) => assert_eq!(except, [3, 7]),
            Bearing::Stale => panic!("R13 reads only its own record"),
        }
        // R03 does not read SO2: nothing bears on it.
        match bearing(&rules, index(&rules, "R03"), &so2, false) {
            Bearing::Stand(except) => assert!(except.is_empty()),
            Bearing::Stale => panic!("R03 does not read so2_emit_t"),
        }
        // R27 relates records by credit code: a new code can move the verdicts of others.
        let code = [changed(5, "credit_code")];
        assert!(matches!(
            bearing(&rules, index(&rules, "R27"), &code, false),
            Bearing::Stale
        ));
        // An import since the mark makes every verdict stale.
        assert!(matches!(
            bearing(&rules, index(&rules, "R03"), &[], true),
            Bearing::Stale
        ));
    }
}
