//! The indexes a rule set asks for, made when it is loaded. They only make re-checks fast:
//! a record's related records, a peers group's values in order, and the fields a rule that
//! reads peers figures needs, for each of its groups. Without any of them every verdict and
//! figure is the same, only slower.

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
            expression(conn, &r.form, related)?;
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

/// An index of a group and the fields a rule reads, of the records where the rule applies,
/// so that running the rule over one group reads the index alone.
fn covering(conn: &Connection, form: &str, group: &str, columns: &[&str], when: Option<&str>) {
    let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    let list = list.join(", ");
    let partial = when.map_or(String::new(), |w| format!(" WHERE {w}"));
    // Without it the rule runs over the group all the same, reading the records.
    let _ = conn.execute_batch(&format!(
        "CREATE INDEX IF NOT EXISTS {} ON {} (({group}), {list}){partial}",
        quote(&name(form, &format!("{group}\u{1f}{list}{partial}"))),
        quote(form)
    ));
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
