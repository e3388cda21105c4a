//! The indexes a rule set asks for, made when it is loaded. They make re-checks and the
//! cross-record rules of a full check fast: a record's related records with the fields the
//! rule tests them on, a peers group's values in order, and the fields a rule that reads peers
//! figures needs, for each of its groups. Without any of them every verdict and figure is the
//! same, only slower.

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::depends;
use super::sandbox::Sandbox;
use super::vocabulary::{Reach, StoredRule, mentions, over_the_record};
use crate::rules::Peers;
use crate::store::forms::quote;

/// SQLite's own functions that cannot fail on any value: an index may store what they give.
const SAFE: &[&str] = &[
    "substr", "coalesce", "ifnull", "nullif", "round", "length", "lower", "upper", "trim", "min",
    "max",
];

fn name(form: &str, what: &str) -> String {
    let digest = Sha256::digest(what.as_bytes());
    let short: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{form}_by_{short}")
}

/// Every index the rule set asks for.
pub(super) fn create(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &[StoredRule],
    peers: &[Peers],
) -> rusqlite::Result<()> {
    for p in peers {
        expression(conn, &p.form, &p.group)?;
        values(conn, sandbox, p);
    }
    let depends = depends::learn_rules(conn, sandbox, rules, peers);
    for (i, r) in rules.iter().enumerate() {
        if let (Some(related), Reach::Related) = (&r.related, r.reach) {
            related_records(conn, r, related, depends.rule(i).columns_of(&r.form))?;
        }
        if r.reach != Reach::Peers {
            continue;
        }
        let Some(mut columns) = depends.rule(i).columns_of(&r.form) else {
            continue;
        };
        columns.retain(|c| !c.is_empty() && !c.eq_ignore_ascii_case("rowid"));
        let text = format!("{} {}", r.check, r.when.as_deref().unwrap_or(""));
        // Records outside the rule's `when` never fail it, so the index can leave them out.
        let when = r
            .when
            .as_deref()
            .filter(|w| safe(conn, sandbox, &r.form, &[w]));
        for p in peers
            .iter()
            .filter(|p| p.form == r.form && mentions(&text, &p.table()))
        {
            covering(conn, &r.form, &p.group, &columns, when);
        }
    }
    Ok(())
}

/// The indexes of a workspace made by an older huishen brought up to date: the partial
/// indexes `WHERE 1` it made of the values of peers definitions without `where`, which no
/// statement uses, replaced by whole ones; then every index the rule set asks for.
pub(super) fn upgrade(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &[StoredRule],
    peers: &[Peers],
) -> rusqlite::Result<()> {
    for p in peers.iter().filter(|p| p.filter.is_none()) {
        let old = name(&p.form, &format!("{}\u{1f}{}\u{1f}1", p.group, p.value));
        conn.execute_batch(&format!("DROP INDEX IF EXISTS main.{}", quote(&old)))?;
    }
    // The index of a related value alone, which the index of the related records replaces
    // (made again below where that one cannot be), unless a peers group is the same value.
    for r in rules.iter().filter(|r| r.reach == Reach::Related) {
        let Some(related) = &r.related else { continue };
        if !peers
            .iter()
            .any(|p| p.form == r.form && &p.group == related)
        {
            let old = name(&r.form, related);
            conn.execute_batch(&format!("DROP INDEX IF EXISTS main.{}", quote(&old)))?;
        }
    }
    create(conn, sandbox, rules, peers)
}

/// An index on one expression (a `related` value or a peers group), checked when the rule
/// set was loaded to be indexable.
fn expression(conn: &Connection, form: &str, expr: &str) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "CREATE INDEX IF NOT EXISTS {} ON {} (({expr}))",
        quote(&name(form, expr)),
        quote(form)
    ))
}

/// The index a rule over related records reads: its `related` value, then every other field
/// the rule reads of its form, so that finding a record's related records and testing them
/// against it reads the index alone, at any size (a probe that must also read each related
/// record from the table costs a table search more per record). Where the fields are not
/// known, or SQLite refuses the index, the index of the value alone.
fn related_records(
    conn: &Connection,
    rule: &StoredRule,
    related: &str,
    reads: Option<Vec<&str>>,
) -> rusqlite::Result<()> {
    let key = related.trim().trim_matches('"');
    let columns: Option<Vec<&str>> = reads.map(|mut columns| {
        columns.retain(|c| {
            !c.is_empty() && !c.eq_ignore_ascii_case("rowid") && !c.eq_ignore_ascii_case(key)
        });
        columns.sort_unstable();
        columns.dedup();
        columns
    });
    match columns {
        Some(columns) if !columns.is_empty() => {
            if covering(conn, &rule.form, related, &columns, None) {
                return Ok(());
            }
            expression(conn, &rule.form, related)
        }
        _ => expression(conn, &rule.form, related),
    }
}

/// An index of a group and the fields a rule reads, of the records where the rule applies,
/// so that running the rule over one group reads the index alone.
/// Whether the index is there: without it the rule runs over the group all the same, reading
/// the records.
fn covering(
    conn: &Connection,
    form: &str,
    group: &str,
    columns: &[&str],
    when: Option<&str>,
) -> bool {
    let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    let list = list.join(", ");
    let partial = when.map_or(String::new(), |w| format!(" WHERE {w}"));
    conn.execute_batch(&format!(
        "CREATE INDEX IF NOT EXISTS {} ON {} (({group}), {list}){partial}",
        quote(&name(form, &format!("{group}\u{1f}{list}{partial}"))),
        quote(form)
    ))
    .is_ok()
}

/// Whether an index may store `exprs` (or filter on them): plain expressions without
/// subqueries, over columns, operators and the functions in [`SAFE`].
fn safe(conn: &Connection, sandbox: &Sandbox, form: &str, exprs: &[&str]) -> bool {
    let plain = exprs.iter().all(|e| over_the_record(e));
    let list: Vec<String> = exprs.iter().map(|e| format!("({e})")).collect();
    let sql = format!("SELECT {} FROM {}", list.join(", "), quote(form));
    plain
        && sandbox.prepare(conn, &sql).is_ok_and(|(_, access)| {
            access
                .functions
                .iter()
                .all(|f| SAFE.iter().any(|s| s.eq_ignore_ascii_case(f)))
        })
}

/// An index of a peers definition's values in order within each group, so that one group's
/// figures are read from the index alone. Only for values and filters made of columns,
/// operators and functions in [`SAFE`]: an index whose expression could fail on some value
/// would refuse that value's correction.
///
/// Without a `where`, the index is a whole one: SQLite does not use a partial index `WHERE 1`
/// for the statements that read the values (it does not find that they imply it).
fn values(conn: &Connection, sandbox: &Sandbox, p: &Peers) {
    let filter = p.filter.as_deref().unwrap_or("1");
    if safe(conn, sandbox, &p.form, &[&p.group, &p.value, filter]) {
        let (what, partial) = match &p.filter {
            Some(f) => (
                format!("{}\u{1f}{}\u{1f}{f}", p.group, p.value),
                format!(" WHERE {f}"),
            ),
            None => (format!("{}\u{1f}{}", p.group, p.value), String::new()),
        };
        // A value SQLite cannot index leaves the figures to be read without the index.
        let _ = conn.execute_batch(&format!(
            "CREATE INDEX IF NOT EXISTS {} ON {} (({}), ({})){partial}",
            quote(&name(&p.form, &what)),
            quote(&p.form),
            p.group,
            p.value
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Localized, Severity};

    fn duplicate_rule() -> StoredRule {
        StoredRule {
            id: "D".into(),
            form: "F".into(),
            severity: Severity::Error,
            title: Localized::new("", ""),
            hint: None,
            check: "NOT EXISTS (SELECT 1 FROM F r2 WHERE r2.code = F.code \
                    AND r2.region = F.region AND r2.rowid <> F.rowid)"
                .into(),
            when: Some("coalesce(code, '') <> ''".into()),
            related: Some("code".into()),
            fields: Vec::new(),
            reach: Reach::Related,
        }
    }

    /// A record's related records are found and tested in the index alone: at national size
    /// a probe that reads each related record from the table costs a table search more per
    /// record.
    #[test]
    fn a_rule_tests_the_related_records_in_their_index_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        let sandbox = Sandbox::install(&mut conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE F (code TEXT, region TEXT, other TEXT) STRICT;
             WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 2000)
             INSERT INTO F SELECT printf('%04d', n % 1500), n % 3, 'x' FROM i;
             ANALYZE;",
        )
        .unwrap();
        let rule = duplicate_rule();
        create(&conn, &sandbox, std::slice::from_ref(&rule), &[]).unwrap();
        let sql = format!("SELECT rowid FROM F WHERE NOT ({})", rule.check);
        let mut explain = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let mut rows = explain.raw_query();
        let mut plan = String::new();
        while let Some(row) = rows.next().unwrap() {
            plan.push_str(&row.get::<_, String>(3).unwrap());
            plan.push_str("; ");
        }
        assert!(
            plan.contains("SEARCH r2 USING COVERING INDEX"),
            "{sql}\n{plan}"
        );
    }
}
