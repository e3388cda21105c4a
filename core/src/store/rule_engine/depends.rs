//! What each rule and each peers definition reads, as SQLite's authorizer reports it while the
//! statement is prepared. A rule's verdicts can only move when something it reads moves, so a
//! re-check passes over every rule that reads neither the edited field nor a peers figure the
//! edit changed.

use rusqlite::Connection;

use super::sandbox::Sandbox;
use super::selective::{fix_sql, score_sql};
use super::vocabulary::{ActiveRules, Dependencies, Reads, StoredRule, verdict_sql, whole_words};
use crate::rules::Peers;
use crate::store::forms::quote;

/// What `sql` reads; unknown when it does not prepare.
fn reads_of(conn: &Connection, sandbox: &Sandbox, sql: &str) -> Reads {
    Reads::seen(
        sandbox
            .prepare(conn, sql)
            .ok()
            .map(|(_, access)| access.reads),
    )
}

/// What each rule, peers definition, score and fix of `active` reads, learned by preparing
/// them in the sandbox.
pub(super) fn learn(
    conn: &Connection,
    sandbox: &Sandbox,
    schema: &crate::domain::Schema,
    active: &ActiveRules,
) -> Dependencies {
    Dependencies {
        links: active
            .rules
            .iter()
            .map(|r| {
                let mut exprs = vec![r.check.as_str()];
                exprs.extend(r.when.as_deref());
                super::links::links(schema, &r.form, &exprs)
            })
            .collect(),
        scores: active
            .scores
            .iter()
            .map(|s| reads_of(conn, sandbox, &score_sql(s, "")))
            .collect(),
        fixes: active
            .fixes
            .iter()
            .map(|f| reads_of(conn, sandbox, &fix_sql(f, "")))
            .collect(),
        ..learn_rules(conn, sandbox, &active.rules, &active.peers)
    }
}

/// What each of `rules` and `peers` reads.
pub(super) fn learn_rules(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &[StoredRule],
    peers: &[Peers],
) -> Dependencies {
    Dependencies {
        rules: rules
            .iter()
            .map(|r| {
                reads_of(
                    conn,
                    sandbox,
                    &verdict_sql(&r.form, &r.check, r.when.as_deref(), ""),
                )
            })
            .collect(),
        peers: peers
            .iter()
            .map(|p| {
                let sql = format!(
                    "SELECT ({}), ({}) FROM {} WHERE ({})",
                    p.group,
                    p.value,
                    quote(&p.form),
                    p.filter.as_deref().unwrap_or("1")
                );
                reads_of(conn, sandbox, &sql)
            })
            .collect(),
        scores: Vec::new(),
        fixes: Vec::new(),
        links: Vec::new(),
    }
}

/// Whether `sql` reads `table` as a source of rows (`FROM G101_1`, `JOIN "G101_1" AS o`)
/// rather than only naming it to qualify a column of the record at hand (`G101_1.field`).
/// When in doubt it says yes, which costs a wider re-check and never a wrong flag.
pub(super) fn reads_rows_of(sql: &str, table: &str) -> bool {
    let (sql, table) = (sql.to_ascii_lowercase(), table.to_ascii_lowercase());
    whole_words(&sql, &table).any(|rest| {
        let rest = rest.strip_prefix(['"', '`', ']']).unwrap_or(rest);
        !rest.starts_with('.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_columns_are_not_row_reads() {
        let peers_only =
            "x <= (SELECT p.q3 FROM peers_so2 p WHERE p.grp = substr(G101_1.industry_code, 1, 2))";
        assert!(!reads_rows_of(peers_only, "G101_1"));
        assert!(!reads_rows_of("\"G101_1\".x > 0", "G101_1"));
        assert!(reads_rows_of(
            "NOT EXISTS (SELECT 1 FROM G101_1 o WHERE o.c = G101_1.c)",
            "G101_1"
        ));
        assert!(reads_rows_of("(SELECT count(*) FROM \"G101_1\")", "g101_1"));
        assert!(reads_rows_of("(SELECT 1 FROM main.G101_1)", "G101_1"));
        assert!(!reads_rows_of("G101_12 > 0", "G101_1"));
    }
}
