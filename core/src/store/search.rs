//! Finding records by part of their name or the start of their key, as fast at 3.6 million
//! records as at 2,000.
//!
//! Each form with a display field (its unit name) has an FTS5 index of that name, `"FORM
//! search"` (a space, which no form's name holds), whose terms are the name's pairs of
//! neighbouring letters and digits (济南钢铁 → 济南 南钢 钢铁, and the last letter on its own):
//! a query of two letters or more is the phrase of its own pairs, which finds exactly the names
//! that hold those letters in that order, however short the query (a trigram index cannot
//! find the two-letter 济南); a one-letter query is a prefix. Letters are compared with ASCII
//! case folded; what is neither a letter nor a digit (spaces, brackets) is left out on both
//! sides, and the queue then keeps only the lines whose name holds the text as typed.
//!
//! The index holds no copy of the names (`content=''`), and huishen keeps it in step where it
//! writes a name: as it imports, and as a correction or an undo sets the display field. It is
//! only an index: a search's answer is checked against the names themselves.

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::forms::quote;
use crate::domain::{FieldType, Form};

/// The index's table for `form`, quoted.
pub(super) fn table(form: &str) -> String {
    quote(&format!("{form} search"))
}

/// Makes the index of a form with a display field (nothing for one without).
pub(super) fn create(conn: &Connection, form: &Form) -> rusqlite::Result<()> {
    if form.display.is_none() {
        return Ok(());
    }
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS {} USING fts5(terms, content = '', \
         contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0')",
        table(&form.name)
    ))
}

/// Indexes the names of the form's records of one import (`None`: every record).
pub(super) fn fill(conn: &Connection, form: &Form, import: Option<i64>) -> rusqlite::Result<()> {
    let Some(display) = &form.display else {
        return Ok(());
    };
    let mut read = conn.prepare(&format!(
        "SELECT rowid, CAST({} AS TEXT) FROM {} WHERE ?1 IS NULL OR _import = ?1",
        quote(display),
        quote(&form.name)
    ))?;
    let mut insert = conn.prepare(&format!(
        "INSERT INTO {} (rowid, terms) VALUES (?1, ?2)",
        table(&form.name)
    ))?;
    let mut rows = read.query([import])?;
    while let Some(row) = rows.next()? {
        let name: Option<String> = row.get(1)?;
        if let Some(name) = name {
            insert.execute(rusqlite::params![row.get::<_, i64>(0)?, terms(&name)])?;
        }
    }
    Ok(())
}

/// Indexes one record's name again after its display field was set to `name`.
pub(super) fn renamed(
    conn: &Connection,
    form: &Form,
    rowid: i64,
    name: &SqlValue,
) -> rusqlite::Result<()> {
    if form.display.is_none() {
        return Ok(());
    }
    let table = table(&form.name);
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE rowid = ?1"))?
        .execute([rowid])?;
    let name = match name {
        SqlValue::Text(t) => t.clone(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(x) => x.to_string(),
        _ => return Ok(()),
    };
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (rowid, terms) VALUES (?1, ?2)"
    ))?
    .execute(rusqlite::params![rowid, terms(&name)])?;
    Ok(())
}

/// The letters and digits of `text`, ASCII case folded: what the index compares.
fn letters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The index terms of a name: its pairs of neighbouring letters, then its last letter.
pub(super) fn terms(name: &str) -> String {
    let letters = letters(name);
    let mut out = String::with_capacity(name.len() * 3);
    for pair in letters.windows(2) {
        out.extend(pair);
        out.push(' ');
    }
    if let Some(last) = letters.last() {
        out.push(*last);
    }
    out
}

/// The FTS5 query for `text`: the phrase of its pairs, or (one letter) the prefix that
/// begins a pair or ends a name; `None` when it holds no letter or digit.
fn query(text: &str) -> Option<String> {
    let letters = letters(text);
    match letters.len() {
        0 => None,
        1 => Some(format!("\"{}\" *", letters[0])),
        _ => {
            let pairs: Vec<String> = letters.windows(2).map(|p| p.iter().collect()).collect();
            Some(format!("\"{}\"", pairs.join(" ")))
        }
    }
}

/// The condition that the queue line `q` of `form` matches the search `text`: its name holds
/// the text (found through the index) or its key starts with it.
pub(super) fn condition(form: &Form, text: &str, sql: &mut String, args: &mut Vec<SqlValue>) {
    let line = Row {
        record: "q.record",
        key: "q.key".into(),
        name: "q.name".into(),
    };
    matches(form, text, &line, sql, args);
}

/// How a row to search is named: its record's row id, its key and its name, as SQL.
struct Row {
    record: &'static str,
    key: String,
    name: String,
}

/// How far [`unflagged`] counts: one more than 1,000 means "more than 1,000".
pub const UNFLAGGED_COUNTED: u64 = 1001;

/// Adds the condition that `row` of `form` matches the search `text`.
fn matches(form: &Form, text: &str, row: &Row, sql: &mut String, args: &mut Vec<SqlValue>) {
    let query = form.display.as_ref().map(|_| query(text));
    // A text without a letter or digit cannot be looked up: the names are read one by one.
    if query != Some(None) {
        let table = quote(&form.name);
        let key = quote(&form.key);
        let key_is_text = (form.fields.iter().find(|f| f.name == form.key))
            .is_none_or(|f| matches!(f.ty, FieldType::Text | FieldType::Code));
        let mut any = vec![if key_is_text {
            args.push(SqlValue::Text(text.to_string()));
            args.push(SqlValue::Text(format!("{text}\u{10FFFF}")));
            format!("SELECT rowid FROM {table} WHERE {key} >= ? AND {key} < ?")
        } else {
            args.push(SqlValue::Text(text.to_string()));
            format!("SELECT rowid FROM {table} WHERE CAST({key} AS TEXT) = ?")
        }];
        if let Some(Some(query)) = query {
            let index = self::table(&form.name);
            any.push(format!("SELECT rowid FROM {index} WHERE {index} MATCH ?"));
            args.push(SqlValue::Text(query));
        }
        sql.push_str(&format!(
            " AND {} IN ({})",
            row.record,
            any.join(" UNION ALL ")
        ));
    }
    // What the index found, checked against the key and the name as typed.
    sql.push_str(&format!(
        " AND (substr({key}, 1, length(?)) = ? OR instr(lower(coalesce({name}, '')), lower(?)) > 0)",
        key = row.key,
        name = row.name,
    ));
    for _ in 0..3 {
        args.push(SqlValue::Text(text.to_string()));
    }
}

/// Records of `form` that match the search `text` but are not in its queue (no rule flagged
/// them): how many (counted up to [`UNFLAGGED_COUNTED`]), and the keys of the first `limit`.
pub(super) fn unflagged(
    conn: &Connection,
    form: &Form,
    text: &str,
    limit: usize,
) -> rusqlite::Result<(u64, Vec<String>)> {
    let row = Row {
        record: "t.rowid",
        key: format!("CAST(t.{} AS TEXT)", quote(&form.key)),
        name: form
            .display
            .as_ref()
            .map_or("NULL".into(), |d| format!("CAST(t.{} AS TEXT)", quote(d))),
    };
    let mut sql = format!(
        "SELECT {} FROM {} t WHERE NOT EXISTS \
         (SELECT 1 FROM queue q WHERE q.form = ? AND q.record = t.rowid)",
        row.key,
        quote(&form.name)
    );
    let mut args = vec![SqlValue::Text(form.name.clone())];
    matches(form, text, &row, &mut sql, &mut args);
    sql.push_str(&format!(" LIMIT {UNFLAGGED_COUNTED}"));
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let (mut count, mut keys) = (0u64, Vec::new());
    while let Some(r) = rows.next()? {
        count += 1;
        if keys.len() < limit {
            keys.push(r.get(0)?);
        }
    }
    Ok((count, keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_letters_and_the_last_alone() {
        assert_eq!(terms("济南钢铁"), "济南 南钢 钢铁 铁");
        assert_eq!(terms("历下（第3）厂"), "历下 下第 第3 3厂 厂");
        assert_eq!(terms("AB c"), "ab bc c");
        assert_eq!(terms("济"), "济");
        assert_eq!(terms("（）"), "");
    }

    #[test]
    fn a_query_is_the_phrase_of_its_pairs() {
        assert_eq!(query("济南").as_deref(), Some("\"济南\""));
        assert_eq!(query("济南钢").as_deref(), Some("\"济南 南钢\""));
        assert_eq!(query("济").as_deref(), Some("\"济\" *"));
        assert_eq!(query("Ab").as_deref(), Some("\"ab\""));
        assert_eq!(query("（"), None);
    }
}
