//! Page integrity: whether every page of the file still holds what SQLite wrote there.
//!
//! `PRAGMA quick_check` rather than `integrity_check`: it reads every page once (O(N) in the
//! size of the file) and checks each b-tree page's header, cell pointers, cell sizes, key
//! order, overflow chains and the freelist, which is where a torn write or a flipped or
//! zeroed stretch of a page shows. `integrity_check` adds that every index holds exactly
//! its table's rows (O(N log N)); an index out of step with its table is damage a disk does
//! not make and the trail's checks do not rely on. Neither check sees a changed byte inside a
//! stored value (SQLite keeps no checksums): such a change to an event or a signed record is
//! found by the hash chain and the signatures.

use rusqlite::{Connection, ErrorCode};

/// How many of SQLite's findings to read; the first few say enough.
const FINDINGS: usize = 100;

/// How many damaged pages a message names.
const PAGES_NAMED: usize = 5;

/// What the page check found.
pub(crate) struct Pages {
    /// Pages in the file.
    pub count: u64,
    /// The damage, in words; `None` when every page is whole.
    pub damage: Option<String>,
}

/// Checks every page with `PRAGMA quick_check`.
pub(crate) fn check(conn: &Connection) -> rusqlite::Result<Pages> {
    let count: u64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    let damage = match findings(conn, &FINDINGS.to_string()) {
        Ok(found) if found.is_empty() => None,
        Ok(found) => Some(describe(conn, &found)),
        Err(e) if corrupt(&e) => Some(unreadable(conn)),
        Err(e) => return Err(e),
    };
    Ok(Pages { count, damage })
}

/// SQLite's findings from `PRAGMA quick_check(ARG)`, one a line; empty when all is well.
fn findings(conn: &Connection, arg: &str) -> rusqlite::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stmt = conn.prepare(&format!("PRAGMA quick_check({arg})"))?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        found.extend(
            row?.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("***") && *l != "ok")
                .map(str::to_string),
        );
    }
    Ok(found)
}

fn corrupt(err: &rusqlite::Error) -> bool {
    err.sqlite_error_code() == Some(ErrorCode::DatabaseCorrupt)
}

/// The damage said in a sentence: how many problems, on which pages, in which tables.
fn describe(conn: &Connection, found: &[String]) -> String {
    let problems = match found.len() {
        1 => "1 problem".to_string(),
        n if n >= FINDINGS => format!("{n} or more problems"),
        n => format!("{n} problems"),
    };
    let mut pages: Vec<i64> = Vec::new();
    let mut places: Vec<String> = Vec::new();
    for finding in found {
        if let Some(page) = page_of(finding).filter(|p| !pages.contains(p)) {
            pages.push(page);
        }
        if let Some(place) = place_of(conn, finding).filter(|p| !places.contains(p)) {
            places.push(place);
        }
    }
    let mut said = format!("SQLite's page check found {problems}");
    if !pages.is_empty() {
        let named: Vec<String> = pages.iter().take(PAGES_NAMED).map(i64::to_string).collect();
        let more = if pages.len() > PAGES_NAMED {
            " and others"
        } else {
            ""
        };
        let noun = if pages.len() == 1 { "page" } else { "pages" };
        said.push_str(&format!(", on {noun} {}{more}", named.join(", ")));
    }
    if !places.is_empty() {
        said.push_str(&format!(", in {}", places.join(" and ")));
    }
    said
}

/// When the check itself stops at a page it cannot read: the tables whose own check fails.
fn unreadable(conn: &Connection) -> String {
    let stopped = "SQLite's page check stopped at a page it could not read";
    let tables: rusqlite::Result<Vec<String>> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rootpage")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect());
    let Ok(tables) = tables else {
        return format!("{stopped}, in the schema table sqlite_schema");
    };
    let damaged: Vec<String> = tables
        .iter()
        .filter(|t| {
            let quoted = format!("'{}'", t.replace('\'', "''"));
            !findings(conn, &quoted).is_ok_and(|f| f.is_empty())
        })
        .map(|t| format!("table {t}"))
        .collect();
    if damaged.is_empty() {
        stopped.to_string()
    } else {
        format!("{stopped}, in {}", damaged.join(" and "))
    }
}

/// The page a finding is about: "Tree 32 page 40 cell 3: …", "Page 84 is never used".
fn page_of(finding: &str) -> Option<i64> {
    let lower = finding.to_ascii_lowercase();
    let (_, rest) = lower.split_once("page ")?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The table or index a finding names, in words: "table events", "index events_record (of
/// table events)". SQLite names a b-tree by its root page ("Tree 32 page 40: …") or an index
/// by name ("wrong # of entries in index X").
fn place_of(conn: &Connection, finding: &str) -> Option<String> {
    if let Some(rest) = finding.strip_prefix("Tree ") {
        let root: i64 = rest.split(' ').next()?.parse().ok()?;
        if root == 1 {
            return Some("the schema table sqlite_schema".into());
        }
        return object(conn, "rootpage = ?1", root);
    }
    let (_, rest) = finding.split_once(" index ")?;
    let name = rest.split_whitespace().next()?;
    object(conn, "name = ?1", name).or_else(|| Some(format!("index {name}")))
}

/// The table or index of sqlite_schema `filter` picks, in words; `None` when the schema
/// cannot be read.
fn object(conn: &Connection, filter: &str, arg: impl rusqlite::ToSql) -> Option<String> {
    let (kind, name, table): (String, String, String) = conn
        .query_row(
            &format!("SELECT type, name, tbl_name FROM sqlite_schema WHERE {filter}"),
            [arg],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()?;
    Some(if kind == "index" {
        format!("index {name} (of table {table})")
    } else {
        format!("{kind} {name}")
    })
}
