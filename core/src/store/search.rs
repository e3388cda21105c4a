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

/// How a search is answered: through the index (the records it finds, each looked up), or
/// by reading the queue in its order, each line's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    Index,
    Read,
}

/// What a search's answer is for: a window of lines, or a count (of all lines, or of those
/// before one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Window,
    Count,
}

/// How to answer the search `text` on `form` for `purpose`. Looking up the n records the
/// index finds costs n; reading the queue in order costs, for a window of 35 lines, about
/// 35 N / n names of the N records, and for a count all of them. So a window is read in
/// order when n exceeds about √(20 N) (有限公司, 食品 at 3.6 million), a count only when n
/// exceeds half of N (有限公司), where a lookup costs more than the reading.
pub(super) fn way(
    conn: &Connection,
    form: &Form,
    text: &str,
    purpose: Purpose,
) -> rusqlite::Result<Way> {
    let Some(query_letters) = form.display.as_ref().map(|_| letters(text)) else {
        return Ok(Way::Index);
    };
    if query_letters.is_empty() {
        return Ok(Way::Read);
    }
    let records: f64 = conn.query_row(
        &format!("SELECT coalesce(max(rowid), 0) FROM {}", quote(&form.name)),
        [],
        |r| r.get(0),
    )?;
    let most = match purpose {
        Purpose::Window => (20.0 * records).sqrt(),
        Purpose::Count => records / 2.0,
    } as i64;
    let vocab = quote(&format!("{} search terms", form.name));
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} USING fts5vocab(main, {}, 'row')",
        quote(&format!("{} search", form.name)).replace('"', "'")
    ))?;
    // At most as many names hold the text as hold its rarest pair (or, one letter, as hold
    // any pair it begins).
    let found: i64 = if let [one] = query_letters.as_slice() {
        conn.query_row(
            &format!(
                "SELECT coalesce(sum(doc), 0) FROM temp.{vocab} WHERE term >= ?1 AND term < ?2"
            ),
            [one.to_string(), format!("{one}\u{10FFFF}")],
            |r| r.get(0),
        )?
    } else {
        let mut rarest = i64::MAX;
        let mut doc = conn.prepare_cached(&format!(
            "SELECT coalesce(max(doc), 0) FROM temp.{vocab} WHERE term = ?1"
        ))?;
        for pair in query_letters.windows(2) {
            let pair: String = pair.iter().collect();
            rarest = rarest.min(doc.query_row([pair], |r| r.get(0))?);
        }
        rarest
    };
    Ok(if found > most { Way::Read } else { Way::Index })
}

/// The records of `form` the search `text` finds through the index (a superset of those that
/// match, see [`verify`]), as SQL yielding `record` and its parameters: those whose key
/// starts with the text, and those whose name holds its letters in that order. `None` when
/// the index cannot answer (a text without a letter or digit): every name is then read.
pub(super) fn hits(form: &Form, text: &str) -> Option<(String, Vec<SqlValue>)> {
    let query = form.display.as_ref().map(|_| query(text));
    if query == Some(None) {
        return None;
    }
    let (table, key) = (quote(&form.name), quote(&form.key));
    let key_is_text = (form.fields.iter().find(|f| f.name == form.key))
        .is_none_or(|f| matches!(f.ty, FieldType::Text | FieldType::Code));
    let mut args = Vec::new();
    let mut any = vec![if key_is_text {
        args.push(SqlValue::Text(text.to_string()));
        args.push(SqlValue::Text(format!("{text}\u{10FFFF}")));
        format!("SELECT rowid AS record FROM {table} WHERE {key} >= ? AND {key} < ?")
    } else {
        args.push(SqlValue::Text(text.to_string()));
        format!("SELECT rowid AS record FROM {table} WHERE CAST({key} AS TEXT) = ?")
    }];
    if let Some(Some(query)) = query {
        let index = self::table(&form.name);
        any.push(format!("SELECT rowid FROM {index} WHERE {index} MATCH ?"));
        args.push(SqlValue::Text(query));
    }
    // UNION: a record found both ways is one record.
    Some((any.join(" UNION "), args))
}

/// How a row to search is named: its key and its name, as SQL.
pub(super) struct Row {
    pub key: String,
    pub name: String,
}

/// The queue line `q`, as search reads it.
pub(super) fn line() -> Row {
    Row {
        key: "q.key".into(),
        name: "q.name".into(),
    }
}

/// How far [`unflagged`] counts: one more than 1,000 means "more than 1,000".
pub const UNFLAGGED_COUNTED: u64 = 1001;

/// Adds the condition that `row`'s key starts with `text` or its name holds it, as typed
/// (ASCII case folded): what the index found is checked so, and a text the index cannot
/// answer is looked for so in every name.
pub(super) fn verify(text: &str, row: &Row, sql: &mut String, args: &mut Vec<SqlValue>) {
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
        key: format!("CAST(t.{} AS TEXT)", quote(&form.key)),
        name: form
            .display
            .as_ref()
            .map_or("NULL".into(), |d| format!("CAST(t.{} AS TEXT)", quote(d))),
    };
    let (from, mut args) = match hits(form, text) {
        Some((hits, args)) => (
            format!(
                "({hits}) h CROSS JOIN {} t ON t.rowid = h.record",
                quote(&form.name)
            ),
            args,
        ),
        None => (format!("{} t", quote(&form.name)), Vec::new()),
    };
    let mut sql = format!(
        "SELECT {} FROM {from} WHERE NOT EXISTS \
         (SELECT 1 FROM queue q WHERE q.form = ? AND q.record = t.rowid)",
        row.key
    );
    args.push(SqlValue::Text(form.name.clone()));
    verify(text, &row, &mut sql, &mut args);
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
    use crate::domain::Schema;

    /// A form of `names.len()` records with these names, indexed.
    fn indexed(names: &[String]) -> (Connection, Form) {
        let source = "[[form]]\nname = \"F\"\nkey = \"id\"\ndisplay = \"name\"\n\
            label = { zh = \"表\", en = \"Form\" }\n\
            [[form.field]]\nname = \"id\"\nlabel = { zh = \"号\", en = \"ID\" }\ntype = \"text\"\n\
            [[form.field]]\nname = \"name\"\nlabel = { zh = \"名\", en = \"Name\" }\ntype = \"text\"\n";
        let schema = Schema::parse("s.toml", source).expect("a schema");
        let form = schema.forms[0].clone();
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE F (id TEXT PRIMARY KEY, name TEXT, _import INTEGER)")
            .unwrap();
        for (i, name) in names.iter().enumerate() {
            conn.execute(
                "INSERT INTO F VALUES (?1, ?2, 1)",
                rusqlite::params![format!("K{i:05}"), name],
            )
            .unwrap();
        }
        create(&conn, &form).unwrap();
        fill(&conn, &form, None).unwrap();
        (conn, form)
    }

    #[test]
    fn a_common_text_is_read_in_order_a_rare_one_looked_up() {
        // 10,000 names, all with 有限公司, one in a hundred with 济南: √(20 × 10,000) = 447.
        let names: Vec<String> = (0..10_000)
            .map(|i| match i % 100 {
                0 => format!("济南第{i}化工有限公司"),
                _ => format!("历下第{i}食品有限公司"),
            })
            .collect();
        let (conn, form) = indexed(&names);
        let window = |text: &str| way(&conn, &form, text, Purpose::Window).unwrap();
        let count = |text: &str| way(&conn, &form, text, Purpose::Count).unwrap();
        assert_eq!(window("有限公司"), Way::Read);
        assert_eq!(window("食品"), Way::Read);
        assert_eq!(window("济南"), Way::Index);
        assert_eq!(window("济南第1"), Way::Index);
        assert_eq!(window("不在其中"), Way::Index);
        // One character: every pair it begins (历下 in 9,900 names).
        assert_eq!(window("历"), Way::Read);
        assert_eq!(window("济"), Way::Index);
        assert_eq!(window("（"), Way::Read);
        // A count reads every line only when the text is in most names.
        assert_eq!(count("有限公司"), Way::Read);
        assert_eq!(count("食品"), Way::Read);
        assert_eq!(count("济南"), Way::Index);
        assert_eq!(count("第1"), Way::Index);
        // What the index finds holds every name that matches.
        let (hits, args) = hits(&form, "济南").unwrap();
        let found: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM ({hits})"),
                rusqlite::params_from_iter(args),
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 100);
    }

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
