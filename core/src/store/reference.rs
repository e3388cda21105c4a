//! The reference tables every workspace carries.

use rusqlite::{Connection, params};

use crate::reference;

pub fn load(conn: &Connection) -> rusqlite::Result<()> {
    let mut insert = conn.prepare(
        "INSERT INTO regions (code, name, level, parent_code) VALUES (?1, ?2, ?3, NULLIF(?4, ''))",
    )?;
    for d in reference::divisions() {
        insert.execute(params![d.code, d.name, d.level, d.parent])?;
    }
    let mut insert = conn.prepare("INSERT INTO regions_retired (code, name) VALUES (?1, ?2)")?;
    for r in reference::retired_divisions() {
        insert.execute(params![r.code, r.name])?;
    }
    let mut insert =
        conn.prepare("INSERT INTO industries (code, name, level) VALUES (?1, ?2, ?3)")?;
    for i in reference::industries() {
        insert.execute(params![i.code, i.name, i.level])?;
    }
    Ok(())
}

pub fn counts(conn: &Connection) -> rusqlite::Result<(u64, u64, u64)> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM regions_retired), (SELECT count(*) FROM industries)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
