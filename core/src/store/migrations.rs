//! Workspace format versions. Migration N brings `PRAGMA user_version` from N - 1 to N; each
//! runs in one transaction, so a workspace is never left between two versions.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_workspace.sql"),
    include_str!("migrations/0002_rules.sql"),
    include_str!("migrations/0003_queue.sql"),
    include_str!("migrations/0004_workflow.sql"),
    include_str!("migrations/0005_sessions.sql"),
    include_str!("migrations/0006_counts.sql"),
    include_str!("migrations/0007_peers_reach.sql"),
    include_str!("migrations/0008_signed_trail.sql"),
    include_str!("migrations/0009_selective_review.sql"),
    include_str!("migrations/0010_refresh_due.sql"),
    include_str!("migrations/0011_parent_forms.sql"),
];

/// The format this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Applies every migration the workspace has not had yet.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version > current {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version)?;
        }
    }
    tx.commit()
}
