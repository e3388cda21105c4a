//! The schema replayed: the schema file the workspace was made with (its sha256 signed in the
//! trail's first signed event), the forms and fields tables made from it, each form table as
//! huishen creates it (STRICT, its columns, nothing added), and no trigger but huishen's own.
//! The forms verify replays the data of are the signed schema's, never the tables'.

use rusqlite::{Connection, OptionalExtension};

use super::trail::Event;
use crate::domain::Schema;
use crate::store::forms::{load_schema, table_sql};

/// The triggers huishen makes (append-only events, queue counts).
const TRIGGERS: &[&str] = &[
    "events_append_only_delete",
    "events_append_only_update",
    "queue_counts_delete",
    "queue_counts_insert",
];

/// The sha256 of a schema file's text as the trail signs it.
pub fn schema_digest(source: &str) -> String {
    crate::seal::digest(source)
}

/// Checks the schema; returns what differs and the signed schema (when it parses).
pub fn check(
    conn: &Connection,
    events: &[Event],
    problems: &mut Vec<String>,
) -> rusqlite::Result<Option<Schema>> {
    let stored: Option<(String, String)> = conn
        .query_row(
            "SELECT schema_file, schema_source FROM workspace",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((file, source)) = stored else {
        problems.push("workspace: the row that holds the schema was deleted".into());
        return Ok(None);
    };
    let first = events.iter().find(|e| e.signature.is_some());
    let signed = first.and_then(|e| e.payload.get("schema_sha256")?.as_str().map(String::from));
    match (first, signed) {
        (Some(e), Some(digest)) if digest != schema_digest(&source) => problems.push(format!(
            "workspace: the schema is not the one event #{} signed: it was changed outside huishen",
            e.id
        )),
        (Some(e), None) => problems.push(format!(
            "workspace: event #{}, the trail's root, signs no schema",
            e.id
        )),
        _ => {}
    }
    let Ok(schema) = Schema::parse(&file, &source) else {
        problems.push("workspace: the schema it holds no longer reads as a schema".into());
        return Ok(None);
    };
    let tables = load_schema(conn)?;
    for form in &schema.forms {
        match tables.forms.iter().find(|f| f.name == form.name) {
            None => problems.push(format!(
                "forms: form {} of the schema is not in the table: it was deleted",
                form.name
            )),
            Some(t) if t != form => problems.push(format!(
                "forms/fields: form {} is not as the schema defines it (its labels, key, \
                 fields, types, units, aliases, missing-value tokens or order were changed)",
                form.name
            )),
            Some(_) => {}
        }
        let made: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [&form.name],
                |r| r.get(0),
            )
            .optional()?;
        if made.as_deref() != Some(table_sql(form).as_str()) {
            problems.push(format!(
                "sqlite_master: the table of form {} is not the one huishen made (a column, \
                 a type or STRICT was changed)",
                form.name
            ));
        }
    }
    for t in tables
        .forms
        .iter()
        .filter(|t| schema.form(&t.name).is_none())
    {
        problems.push(format!(
            "forms: form {} is not in the schema: it was added outside huishen",
            t.name
        ));
    }
    if tables.reasons != schema.reasons {
        problems.push("reasons: the reasons are not those of the schema".into());
    }
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name",
    )?;
    let found: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in found.iter().filter(|n| !TRIGGERS.contains(&n.as_str())) {
        problems.push(format!(
            "sqlite_master: {name} is a trigger or view huishen did not make: it can change or \
             hide what is written"
        ));
    }
    for name in TRIGGERS.iter().filter(|t| !found.iter().any(|f| f == *t)) {
        problems.push(format!(
            "sqlite_master: huishen's trigger {name} was dropped"
        ));
    }
    Ok(Some(schema))
}
