//! Census objects in the workspace's tables: a record of a form without a parent and every
//! row beneath it, tied by each child form's parent key (`child.parent_key = parent.key`, as
//! the rules and the import tie them). A signature, a lock, a region scope and a claim are
//! the object's: these find a row's object, and the rows beneath a record.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension};

use super::forms::quote;
use crate::domain::Form;

/// The forms whose parent is `form`, in schema order.
pub fn child_forms<'f>(forms: &'f [Form], form: &'f Form) -> impl Iterator<Item = &'f Form> + 'f {
    forms.iter().filter(move |f| {
        f.parent
            .as_ref()
            .is_some_and(|p| p.form.eq_ignore_ascii_case(&form.name))
    })
}

fn form_named<'f>(forms: &'f [Form], name: &str) -> Option<&'f Form> {
    forms.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The record a row of a child form lies under: its parent form and the parent's rowid;
/// `None` for a row of a form without a parent, or one whose parent record is not there.
pub fn parent_of<'f>(
    conn: &Connection,
    forms: &'f [Form],
    form: &Form,
    record: i64,
) -> rusqlite::Result<Option<(&'f Form, i64)>> {
    let Some(link) = &form.parent else {
        return Ok(None);
    };
    let Some(parent) = form_named(forms, &link.form) else {
        return Ok(None);
    };
    let found = conn
        .query_row(
            &format!(
                "SELECT p.rowid FROM {} p JOIN {} c ON c.{} = p.{} WHERE c.rowid = ?1",
                quote(&parent.name),
                quote(&form.name),
                quote(&link.key),
                quote(&parent.key)
            ),
            [record],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.map(|rowid| (parent, rowid)))
}

/// The record of `parent_form` whose key is `value`: the record a child row naming `value`
/// in its parent key lies under.
pub fn named_by<'f>(
    conn: &Connection,
    parent: &'f Form,
    value: &SqlValue,
) -> rusqlite::Result<Option<(&'f Form, i64)>> {
    if *value == SqlValue::Null {
        return Ok(None);
    }
    let found = conn
        .query_row(
            &format!(
                "SELECT rowid FROM {} WHERE {} = ?1",
                quote(&parent.name),
                quote(&parent.key)
            ),
            [value],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.map(|rowid| (parent, rowid)))
}

/// The root of the census object `record` of `form` belongs to: the record itself for a form
/// without a parent, else the record at the top of its parents; `None` when a parent on the
/// way up is not there.
pub fn root_of<'f>(
    conn: &Connection,
    forms: &'f [Form],
    form: &Form,
    record: i64,
) -> rusqlite::Result<Option<(&'f Form, i64)>> {
    let Some(form) = form_named(forms, &form.name) else {
        return Ok(None);
    };
    let mut at = (form, record);
    // The schema was checked free of cycles; the bound keeps a hand-made one finite.
    for _ in 0..=forms.len() {
        if at.0.parent.is_none() {
            return Ok(Some(at));
        }
        match parent_of(conn, forms, at.0, at.1)? {
            Some(up) => at = up,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// The root of the census object a row of `form` would belong to with `value` in its
/// parent key (`form` a child form).
pub fn root_under<'f>(
    conn: &Connection,
    forms: &'f [Form],
    form: &Form,
    value: &SqlValue,
) -> rusqlite::Result<Option<(&'f Form, i64)>> {
    let Some(parent) = form
        .parent
        .as_ref()
        .and_then(|link| form_named(forms, &link.form))
    else {
        return Ok(None);
    };
    match named_by(conn, parent, value)? {
        Some((parent, rowid)) => root_of(conn, forms, parent, rowid),
        None => Ok(None),
    }
}

/// The rows of `child` (a child form of `parent`) under record `record` of `parent`, in key
/// order.
pub fn rows_under(
    conn: &Connection,
    parent: &Form,
    child: &Form,
    record: i64,
) -> rusqlite::Result<Vec<i64>> {
    let Some(link) = &child.parent else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.rowid FROM {} c JOIN {} p ON c.{} = p.{} WHERE p.rowid = ?1 ORDER BY c.{}",
        quote(&child.name),
        quote(&parent.name),
        quote(&link.key),
        quote(&parent.key),
        quote(&child.key)
    ))?;
    let rows = stmt.query_map([record], |r| r.get(0))?;
    rows.collect()
}

/// Every row beneath record `record` of `form`, at any depth: per child form in schema
/// order, rows in key order, each followed by the rows beneath it.
pub fn rows_beneath<'f>(
    conn: &Connection,
    forms: &'f [Form],
    form: &Form,
    record: i64,
) -> rusqlite::Result<Vec<(&'f Form, i64)>> {
    let mut out = Vec::new();
    if let Some(form) = form_named(forms, &form.name) {
        beneath(conn, forms, form, record, 0, &mut out)?;
    }
    Ok(out)
}

fn beneath<'f>(
    conn: &Connection,
    forms: &'f [Form],
    form: &'f Form,
    record: i64,
    depth: usize,
    out: &mut Vec<(&'f Form, i64)>,
) -> rusqlite::Result<()> {
    if depth > forms.len() {
        return Ok(());
    }
    for child in child_forms(forms, form) {
        for row in rows_under(conn, form, child, record)? {
            out.push((child, row));
            beneath(conn, forms, child, row, depth + 1, out)?;
        }
    }
    Ok(())
}
