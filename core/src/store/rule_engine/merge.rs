//! Merging one rule's verdicts into `flags`: a new verdict opens a flag, a verdict that stands
//! updates its flag's outcome, and an open flag without a verdict is resolved. The full check
//! and the re-check both merge this way.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::vocabulary::{StoredRule, Verdict};

/// Up to this many records, a re-check reads their open flags one by one; beyond, it reads the
/// rule's open flags and keeps those in scope.
const NARROW_SCOPE: usize = 64;

/// The records whose flag of one rule a merge opened and resolved.
#[derive(Debug, Default)]
pub(super) struct Merged {
    pub opened: Vec<i64>,
    pub resolved: Vec<i64>,
}

/// The ids of open flags, by record rowid.
type OpenFlags = HashMap<i64, i64>;

/// The open flags of `rule` that `scope` (sorted rowids; `None`: the whole form) speaks for.
fn open_flags(
    conn: &Connection,
    rule: &StoredRule,
    scope: Option<&[i64]>,
) -> rusqlite::Result<OpenFlags> {
    let mut open = OpenFlags::new();
    let read =
        |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, i64)> { Ok((r.get(0)?, r.get(1)?)) };
    match scope {
        Some(records) if records.len() <= NARROW_SCOPE => {
            let mut select = conn.prepare_cached(
                "SELECT record, id FROM flags
                 WHERE form = ?1 AND record = ?3 AND rule = ?2 AND state = 'open'",
            )?;
            for record in records {
                for row in select.query_map(params![rule.form, rule.id, record], read)? {
                    let (record, flag) = row?;
                    open.insert(record, flag);
                }
            }
        }
        // The whole form, or a wide scope (a peers group, say), which is cheaper to
        // filter from all the rule's open flags.
        _ => {
            let mut select = conn.prepare_cached(
                "SELECT record, id FROM flags WHERE rule = ?2 AND state = 'open' AND form = ?1",
            )?;
            for row in select.query_map(params![rule.form, rule.id], read)? {
                let (record, flag) = row?;
                if scope.is_none_or(|records| records.binary_search(&record).is_ok()) {
                    open.insert(record, flag);
                }
            }
        }
    }
    Ok(open)
}

/// Merges verdicts into the flags of one rule: opens new ones, updates the outcome of those
/// still failing and resolves those that pass now. `scope` (sorted rowids) limits which open
/// flags the verdicts speak for: all of the rule's, or those of some records.
pub(super) fn merge(
    conn: &Connection,
    rule_set: i64,
    rule: &StoredRule,
    scope: Option<&[i64]>,
    verdicts: &[Verdict],
) -> rusqlite::Result<Merged> {
    let open = open_flags(conn, rule, scope)?;
    apply(conn, rule_set, rule, open, verdicts)
}

/// Merges the verdicts of a full check over the records with rowids in `range`, except the
/// records of `except` (sorted), whose flags a fresher re-check wrote: their verdicts are
/// passed over and their open flags kept.
pub(super) fn merge_range(
    conn: &Connection,
    rule_set: i64,
    rule: &StoredRule,
    range: std::ops::Range<i64>,
    except: &[i64],
    verdicts: &[Verdict],
) -> rusqlite::Result<Merged> {
    let kept = |record: &i64| range.contains(record) && except.binary_search(record).is_err();
    let mut open = OpenFlags::new();
    let mut select = conn.prepare_cached(
        "SELECT record, id FROM flags
         WHERE rule = ?2 AND state = 'open' AND form = ?1 AND record >= ?3 AND record < ?4",
    )?;
    let rows = select.query_map(params![rule.form, rule.id, range.start, range.end], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (record, flag) = row?;
        if kept(&record) {
            open.insert(record, flag);
        }
    }
    let verdicts: Vec<Verdict> = verdicts.iter().filter(|(r, _)| kept(r)).copied().collect();
    apply(conn, rule_set, rule, open, &verdicts)
}

/// Writes verdicts over the open flags they speak for.
fn apply(
    conn: &Connection,
    rule_set: i64,
    rule: &StoredRule,
    mut open: OpenFlags,
    verdicts: &[Verdict],
) -> rusqlite::Result<Merged> {
    let mut merged = Merged::default();
    let mut insert = conn.prepare_cached(
        "INSERT INTO flags (form, record, rule, outcome, state, first_seen, last_checked, rule_set)
         VALUES (?1, ?2, ?3, ?4, 'open', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?5)",
    )?;
    // A flag that stands as it was is not written again: a check of a settled workspace
    // writes (and holds the write lock for) only what changed.
    let mut touch = conn.prepare_cached(
        "UPDATE flags SET outcome = ?2, rule_set = ?3, last_checked = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1 AND (outcome <> ?2 OR rule_set <> ?3)",
    )?;
    for (record, verdict) in verdicts {
        match open.remove(record) {
            Some(id) => {
                touch.execute(params![id, verdict, rule_set])?;
            }
            None => {
                insert.execute(params![rule.form, record, rule.id, verdict, rule_set])?;
                merged.opened.push(*record);
            }
        }
    }
    let mut resolve = conn.prepare_cached(
        "UPDATE flags SET state = 'resolved', rule_set = ?2,
                last_checked = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1",
    )?;
    for (record, id) in open {
        resolve.execute(params![id, rule_set])?;
        merged.resolved.push(record);
    }
    merged.opened.sort_unstable();
    merged.resolved.sort_unstable();
    Ok(merged)
}
