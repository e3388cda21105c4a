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
    // 13: what a field's codes mean, as the workspace's schema file says.
    Migration::Code(value_labels),
    // 14: the index that finds a unit by part of its name.
    Migration::Code(search_index),
    // 15: the other headers that name a field, and the cells that mean no value.
    Migration::Code(header_names),
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

/// Migration 13: the fields gain their value labels and the reference table naming their
/// codes, filled from the schema file the workspace holds (so that the fields stay as the
/// schema defines them; a schema written before labels has none).
fn value_labels(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(include_str!("migrations/0013_value_labels.sql"))?;
    // A workspace being made has no schema yet: its fields are written with their labels.
    let Some(schema) = held_schema(conn)? else {
        return Ok(());
    };
    let mut update = conn
        .prepare("UPDATE fields SET value_labels = ?3, names = ?4 WHERE form = ?1 AND name = ?2")?;
    for form in &schema.forms {
        for field in &form.fields {
            update.execute(rusqlite::params![
                form.name,
                field.name,
                super::forms::value_labels(&field.values),
                field.names.map(|n| n.as_str()),
            ])?;
        }
    }
    Ok(())
}

/// Migration 15: fields gain their aliases and forms their missing-value tokens, filled from
/// the schema file the workspace holds (a schema written before them has none).
fn header_names(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(include_str!("migrations/0015_header_names.sql"))?;
    let Some(schema) = held_schema(conn)? else {
        return Ok(());
    };
    for form in &schema.forms {
        conn.execute(
            "UPDATE forms SET null_values = ?2 WHERE name = ?1",
            rusqlite::params![form.name, super::forms::texts(&form.null_values)],
        )?;
        let mut update =
            conn.prepare("UPDATE fields SET aliases = ?3 WHERE form = ?1 AND name = ?2")?;
        for field in &form.fields {
            update.execute(rusqlite::params![
                form.name,
                field.name,
                super::forms::texts(&field.aliases)
            ])?;
        }
    }
    Ok(())
}

/// Migration 14: each form with a display field gains its name index, filled from its records.
fn search_index(conn: &Connection) -> rusqlite::Result<()> {
    let Some(schema) = held_schema(conn)? else {
        return Ok(());
    };
    for form in &schema.forms {
        conn.execute_batch(&format!(
            "DROP TABLE IF EXISTS {}",
            super::search::table(&form.name)
        ))?;
        super::search::create(conn, form)?;
        super::search::fill(conn, form, None)?;
    }
    Ok(())
}

/// The schema the workspace holds; `None` while it is being made (no schema yet).
fn held_schema(conn: &Connection) -> rusqlite::Result<Option<crate::domain::Schema>> {
    let held: Option<(String, String)> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT schema_file, schema_source FROM workspace",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ))?;
    Ok(held.and_then(|(file, source)| crate::domain::Schema::parse(&file, &source).ok()))
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
