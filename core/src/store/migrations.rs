//! Workspace format versions. Migration N brings `PRAGMA user_version` from N - 1 to N; each
//! runs in one transaction, so a workspace is never left between two versions.

use rusqlite::Connection;

use super::forms::quote;

/// One migration: SQL, or code for what SQL cannot name (tables a rule file named).
enum Migration {
    Sql(&'static str),
    Code(fn(&Connection) -> rusqlite::Result<()>),
}

const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("migrations/0001_workspace.sql")),
    Migration::Sql(include_str!("migrations/0002_rules.sql")),
    Migration::Sql(include_str!("migrations/0003_queue.sql")),
    Migration::Sql(include_str!("migrations/0004_workflow.sql")),
    Migration::Sql(include_str!("migrations/0005_sessions.sql")),
    Migration::Sql(include_str!("migrations/0006_counts.sql")),
    Migration::Sql(include_str!("migrations/0007_peers_reach.sql")),
    Migration::Sql(include_str!("migrations/0008_signed_trail.sql")),
    Migration::Sql(include_str!("migrations/0009_selective_review.sql")),
    Migration::Sql(include_str!("migrations/0010_refresh_due.sql")),
    Migration::Sql(include_str!("migrations/0011_parent_forms.sql")),
    // 12: the peers tables a rule file made get their `sum` column.
    Migration::Code(peers_sum),
    Migration::Sql(include_str!("migrations/0013_value_labels.sql")),
];

/// The format this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The format whose peers tables have a `sum` column. A workspace brought up to it has the
/// figures of an older build, without sums, and its indexes: both are brought up to date when
/// it is opened.
pub const PEERS_SUM: i64 = 12;

/// Applies every migration the workspace has not had yet.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version > current {
            match migration {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::Code(code) => code(&tx)?,
            }
            tx.pragma_update(None, "user_version", version)?;
        }
    }
    tx.commit()
}

/// Migration 12: every peers table gains its `sum` column (empty until the figures are
/// computed again), so that its rows have the columns this build writes.
fn peers_sum(conn: &Connection) -> rusqlite::Result<()> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT m.name FROM peers p JOIN main.sqlite_master m
               ON m.type = 'table' AND m.name = 'peers_' || p.name
             WHERE NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'sum')",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        conn.execute_batch(&format!(
            "ALTER TABLE {} ADD COLUMN sum REAL",
            quote(&table)
        ))?;
    }
    Ok(())
}
