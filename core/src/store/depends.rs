//! What each rule and each peers definition reads, as SQLite's authorizer reports it while the
//! statement is prepared. A rule's verdicts can only move when something it reads moves, so a
//! re-check passes over every rule that reads neither the edited field nor a peers figure the
//! edit changed.

use rusqlite::Connection;

use super::forms::quote;
use super::rules::{StoredRule, verdict_sql, whole_words};
use super::sandbox::Sandbox;
use crate::rules::Peers;

/// (table, column) pairs in lower case; `None` when they could not be learned, which counts as
/// reading everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads(Option<Vec<(String, String)>>);

impl Reads {
    fn of(conn: &Connection, sandbox: &Sandbox, sql: &str) -> Reads {
        Reads(sandbox.prepare(conn, sql).ok().map(|(_, access)| {
            let mut reads: Vec<(String, String)> = access
                .reads
                .into_iter()
                .map(|(t, c)| (t.to_ascii_lowercase(), c.to_ascii_lowercase()))
                .collect();
            reads.sort_unstable();
            reads.dedup();
            reads
        }))
    }

    /// Whether this reads `column` of `table`.
    pub fn column(&self, table: &str, column: &str) -> bool {
        self.0.as_ref().is_none_or(|reads| {
            reads
                .iter()
                .any(|(t, c)| t.eq_ignore_ascii_case(table) && c.eq_ignore_ascii_case(column))
        })
    }

    /// The columns of `table` this reads; `None` for all of them.
    pub fn columns_of(&self, table: &str) -> Option<Vec<&str>> {
        self.0.as_ref().map(|reads| {
            reads
                .iter()
                .filter(|(t, _)| t.eq_ignore_ascii_case(table))
                .map(|(_, c)| c.as_str())
                .collect()
        })
    }
}

/// What the rules in force read, parallel to their rules and peers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    pub rules: Vec<Reads>,
    pub peers: Vec<Reads>,
}

/// Reads that could not be learned.
static EVERYTHING: Reads = Reads(None);

impl Dependencies {
    /// What the `i`th rule reads.
    pub fn rule(&self, i: usize) -> &Reads {
        self.rules.get(i).unwrap_or(&EVERYTHING)
    }

    /// What the `i`th peers definition reads.
    pub fn peers(&self, i: usize) -> &Reads {
        self.peers.get(i).unwrap_or(&EVERYTHING)
    }

    pub(super) fn learn(
        conn: &Connection,
        sandbox: &Sandbox,
        rules: &[StoredRule],
        peers: &[Peers],
    ) -> Dependencies {
        Dependencies {
            rules: rules
                .iter()
                .map(|r| {
                    Reads::of(
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
                    Reads::of(conn, sandbox, &sql)
                })
                .collect(),
        }
    }
}

/// Whether `sql` reads `table` as a source of rows (`FROM G101_1`, `JOIN "G101_1" AS o`)
/// rather than only naming it to qualify a column of the record at hand (`G101_1.field`).
/// When in doubt it says yes, which costs a wider re-check and never a wrong flag.
pub fn reads_rows_of(sql: &str, table: &str) -> bool {
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

    #[test]
    fn unknown_reads_count_as_everything() {
        let unknown = Reads(None);
        assert!(unknown.column("G101_1", "so2_emit_t"));
        let known = Reads(Some(vec![("g101_1".into(), "so2_emit_t".into())]));
        assert!(known.column("G101_1", "SO2_emit_t"));
        assert!(!known.column("G101_1", "credit_code"));
        assert_eq!(known.columns_of("peers_x"), Some(vec![]));
    }
}
