//! The workspace file read (and, by the tests that play an attacker, written) straight with
//! rusqlite or the sqlite3 command-line shell, around huishen.

use std::path::Path;

use rusqlite::types::Value as Sql;
use sha2::Digest as _;

/// Every table's rows and the format version, as text.
pub fn fingerprint(ws: &Path) -> String {
    let conn = rusqlite::Connection::open(ws).expect("open workspace");
    let mut out = String::new();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("user_version");
    out.push_str(&format!("user_version {version}\n"));
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    for table in tables {
        out.push_str(&format!("table {table}\n"));
        // Rows in a fixed order whatever the table's kind (some have no rowid).
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .expect("select");
        let n = stmt.column_count();
        let mut rows = stmt.query([]).expect("rows");
        let mut lines = Vec::new();
        while let Some(row) = rows.next().expect("row") {
            let mut line = String::new();
            for i in 0..n {
                let v: Sql = row.get(i).expect("value");
                line.push_str(&format!("{v:?}|"));
            }
            lines.push(line);
        }
        lines.sort();
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The rows of a form's table in file order, as optional strings.
pub fn stored_rows(ws: &Path, form: &str) -> Vec<Vec<Option<String>>> {
    let conn = rusqlite::Connection::open(ws).expect("open workspace");
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM \"{form}\" ORDER BY _import, _line"))
        .expect("select");
    let n = stmt.column_count() - 2;
    stmt.query_map([], |row| {
        (0..n)
            .map(|i| {
                let v: Sql = row.get(i)?;
                Ok(match v {
                    Sql::Null => None,
                    Sql::Integer(i) => Some(i.to_string()),
                    Sql::Real(x) => Some(x.to_string()),
                    Sql::Text(s) => Some(s),
                    Sql::Blob(_) => Some("<blob>".into()),
                })
            })
            .collect()
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// The rowid of a sample record (form G101_1) by key.
pub fn rowid(ws: &Path, key: &str) -> i64 {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    conn.query_row(
        "SELECT rowid FROM G101_1 WHERE record_id = ?1",
        [key],
        |r| r.get(0),
    )
    .expect("a sample record")
}

/// One stored value of a sample record.
pub fn stored(ws: &Path, key: &str, field: &str) -> Sql {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    conn.query_row(
        &format!("SELECT {field} FROM G101_1 WHERE record_id = ?1"),
        [key],
        |r| r.get(0),
    )
    .expect("a stored value")
}

/// The first column of the first row `sql` gives.
pub fn one<T: rusqlite::types::FromSql>(ws: &Path, sql: &str) -> T {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// The open flags of a form as (record key, rule, outcome), read straight from the file.
pub fn open_flag_rows(ws: &Path, form: &str, key: &str) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    let sql = format!(
        "SELECT CAST(t.\"{key}\" AS TEXT), f.rule, f.outcome FROM flags f JOIN \"{form}\" t \
         ON t.rowid = f.record WHERE f.form = ?1 AND f.state = 'open' ORDER BY 1, 2"
    );
    let mut stmt = conn.prepare(&sql).expect("the flags");
    stmt.query_map([form], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("the flags")
        .collect::<Result<_, _>>()
        .expect("the flags")
}

/// How many events the audit trail holds.
pub fn event_count(ws: &Path) -> i64 {
    one(ws, "SELECT count(*) FROM events")
}

/// `at` of an event.
pub fn event_at(ws: &Path, id: i64) -> String {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    conn.query_row("SELECT at FROM events WHERE id = ?1", [id], |r| r.get(0))
        .expect("an event")
}

/// Folds the write-ahead log into the file, so that the one file is the whole workspace and
/// can be copied.
pub fn fold_wal(ws: &Path) {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    conn.pragma_update(None, "journal_mode", "DELETE")
        .expect("journal_mode");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("journal_mode");
    drop(conn);
    let wal = format!("{}-wal", ws.display());
    assert!(
        !Path::new(&wal).exists(),
        "the workspace must be whole in one file to be copied"
    );
}

/// Runs the sqlite3 command-line shell on the workspace.
pub fn sqlite3(ws: &Path, sql: &str) -> std::process::Output {
    std::process::Command::new("sqlite3")
        .arg(ws)
        .arg(sql)
        .output()
        .expect("the sqlite3 command-line shell")
}

/// Runs sqlite3 and insists that it succeeded.
pub fn sqlite3_ok(ws: &Path, sql: &str) {
    let out = sqlite3(ws, sql);
    assert!(
        out.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// The attacker's tools: the append-only triggers dropped and put back, and the chain's
// hashes computed again from the first event, as a short script can.

/// Computes the whole chain again, as someone with the sqlite3 CLI and a short script would,
/// after dropping the triggers that keep the trail append-only.
pub fn rehash_chain(conn: &rusqlite::Connection) {
    let mut stmt = conn
        .prepare(
            "SELECT id, at, reviewer, kind, form, record, key, payload FROM events ORDER BY id",
        )
        .expect("the attacker's SQL");
    type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .expect("the attacker's SQL")
        .collect::<Result<_, _>>()
        .expect("the attacker's SQL");
    let mut prev = "0".repeat(64);
    for (id, at, reviewer, kind, form, record, key, payload) in rows {
        let canonical = serde_json::json!({
            "id": id, "at": at, "reviewer": reviewer, "kind": kind,
            "form": form, "record": record, "key": key, "payload": payload,
        })
        .to_string();
        let mut h = sha2::Sha256::new();
        h.update(prev.as_bytes());
        h.update(b"\n");
        h.update(canonical.as_bytes());
        let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        conn.execute(
            "UPDATE events SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![id, prev, hash],
        )
        .expect("the attacker's SQL");
        prev = hash;
    }
}

/// Puts the append-only triggers back as huishen made them, as a careful attacker would.
pub fn guard_again(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
         CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
         BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    )
    .expect("the attacker's SQL");
}

pub fn unguarded(ws: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(ws).expect("the attacker's SQL");
    conn.execute_batch(
        "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;",
    )
    .expect("the attacker's SQL");
    conn
}
