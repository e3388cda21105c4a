//! Helpers shared by the end-to-end tests: a scratch folder, the real binary, a fingerprint
//! of a workspace's whole content to prove that a failed command changed nothing, and a
//! reviewer's single action on a sample record.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use huishen_core::review::{RecheckReport, Session, Workspace};

pub const SAMPLE_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/schema.toml"
);
pub const SAMPLE_CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/g101_1.csv"
);
pub const SAMPLE_GBK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/g101_1_gbk.csv"
);

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    /// A new workspace for the sample schema.
    pub fn sample_workspace(&self) -> PathBuf {
        let ws = self.path("ws.huishen");
        huishen()
            .arg("init")
            .arg(&ws)
            .arg("--schema")
            .arg(SAMPLE_SCHEMA)
            .assert()
            .success();
        ws
    }
}

/// The huishen binary, with a short lock wait so lock tests finish quickly.
pub fn huishen() -> Command {
    let mut cmd = Command::cargo_bin("huishen").expect("binary");
    cmd.env("HUISHEN_BUSY_TIMEOUT_MS", "300")
        .env("USER", "tester");
    cmd
}

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
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
            .expect("select");
        let n = stmt.column_count();
        let mut rows = stmt.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            for i in 0..n {
                let v: rusqlite::types::Value = row.get(i).expect("value");
                out.push_str(&format!("{v:?}|"));
            }
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
                let v: rusqlite::types::Value = row.get(i)?;
                Ok(match v {
                    rusqlite::types::Value::Null => None,
                    rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                    rusqlite::types::Value::Real(x) => Some(x.to_string()),
                    rusqlite::types::Value::Text(s) => Some(s),
                    rusqlite::types::Value::Blob(_) => Some("<blob>".into()),
                })
            })
            .collect()
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// The rowid of a sample record (form G101_1) by key, read with rusqlite.
pub fn rowid(ws: &Path, key: &str) -> i64 {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    conn.query_row(
        "SELECT rowid FROM G101_1 WHERE record_id = ?1",
        [key],
        |r| r.get(0),
    )
    .expect("a sample record")
}

/// Acts on a sample record as a reviewer, at the version the reviewer sees now, then leaves
/// it so that the next reviewer may act on it.
pub fn act<T>(
    ws: &Path,
    who: &str,
    key: &str,
    action: impl FnOnce(&mut Session, i64, i64) -> huishen_core::Result<T>,
) -> T {
    let mut session = Session::open(ws, who, None).expect("a session");
    let record = rowid(ws, key);
    let version = session.status(record).expect("the record's state").version;
    let done = action(&mut session, record, version).expect("the action");
    session.release().expect("leaving the record");
    done
}

/// A stored value as a reviewer would type it (empty for NULL; the test forms hold no blobs).
pub fn edit_text(v: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value as Sql;
    match v {
        Sql::Null => String::new(),
        Sql::Integer(i) => i.to_string(),
        Sql::Real(x) => x.to_string(),
        Sql::Text(t) => t.clone(),
        Sql::Blob(_) => unreachable!("no blobs in the test forms"),
    }
}

/// The reviewer the tests correct records as, enrolled on first use.
pub const TESTER: &str = "tester";

/// Corrects one field of a record of `form`, found by key, as [`TESTER`] through a review
/// session, and returns what the re-check changed. Typing the value the field holds already
/// changes nothing.
pub fn correct(ws: &Path, form: &str, key: &str, field: &str, text: &str) -> RecheckReport {
    let mut workspace = Workspace::open(ws).expect("the workspace");
    if !workspace
        .reviewers()
        .expect("the reviewers")
        .iter()
        .any(|r| r.name == TESTER)
    {
        workspace
            .add_reviewer(TESTER, "测试", "", "tester-2017", TESTER)
            .expect("enrolling the tester");
    }
    drop(workspace);
    let mut session = Session::open(ws, TESTER, Some(form)).expect("a session");
    let record = session
        .find(key)
        .expect("finding the record")
        .expect("the record");
    let detail = session
        .record(record)
        .expect("the record")
        .expect("the record");
    let now = detail
        .values
        .iter()
        .find(|v| v.field.name == field)
        .expect("the field");
    let same = |a: &str, b: &str| {
        let ty = now.field.ty;
        huishen_core::domain::Datum::parse(ty, a).ok()
            == huishen_core::domain::Datum::parse(ty, b).ok()
    };
    if same(&now.text, text) {
        return RecheckReport::default();
    }
    let version = detail.status.version;
    let report = session
        .correct(record, version, field, text, "test edit")
        .expect("the correction");
    session.release().expect("leaving the record");
    report
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
