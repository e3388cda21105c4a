//! Forms in the workspace: their description in `forms` and `fields`, and one table per form,
//! named after it, with one column per field plus where each record came from (`_import`,
//! `_line`).

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::{Field, FieldType, Form, Localized, Names, Schema};

/// A form and how many records it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormCount {
    pub form: String,
    pub records: u64,
}

/// One row of the import log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLogEntry {
    pub id: i64,
    pub form: String,
    pub file_name: String,
    pub sha256: String,
    pub encoding: String,
    pub rows: u64,
    pub rejected: u64,
    pub imported_at: String,
    pub imported_by: String,
}

/// A record key as text, as the screen, the trail and messages show it.
pub fn key_text(value: rusqlite::types::Value) -> String {
    match value {
        rusqlite::types::Value::Text(t) => t,
        rusqlite::types::Value::Integer(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// An identifier quoted for SQL. Names are checked identifiers already (domain::schema); the
/// quoting keeps them from ever being read as anything else.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn column_type(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text | FieldType::Code => "TEXT",
        FieldType::Integer | FieldType::Bool => "INTEGER",
        FieldType::Real => "REAL",
    }
}

/// `CREATE TABLE` for a form. STRICT tables refuse a value of the wrong type even from the
/// sqlite3 CLI.
pub fn table_sql(form: &Form) -> String {
    let mut columns: Vec<String> = form
        .fields
        .iter()
        .map(|f| {
            let name = quote(&f.name);
            let mut col = format!("{name} {}", column_type(f.ty));
            if f.name == form.key {
                col.push_str(" NOT NULL PRIMARY KEY");
            }
            if f.ty == FieldType::Bool {
                col.push_str(&format!(" CHECK ({name} IN (0, 1))"));
            }
            col
        })
        .collect();
    columns.push("_import INTEGER NOT NULL".into());
    columns.push("_line INTEGER NOT NULL".into());
    format!(
        "CREATE TABLE {} (\n    {}\n) STRICT",
        quote(&form.name),
        columns.join(",\n    ")
    )
}

pub fn create(
    conn: &Connection,
    schema: &Schema,
    schema_file: &str,
    schema_source: &str,
    user: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO workspace (id, created_at, created_by, huishen_version, schema_file, schema_source)
         VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2, ?3, ?4)",
        params![user, env!("CARGO_PKG_VERSION"), schema_file, schema_source],
    )?;
    for (position, reason) in schema.reasons.iter().enumerate() {
        conn.execute(
            "INSERT INTO reasons (position, zh, en) VALUES (?1, ?2, ?3)",
            params![position, reason.zh, reason.en],
        )?;
    }
    if let Some(p) = &schema.policy {
        conn.execute(
            "UPDATE policy SET signatures_required = ?1, distinct_roles = ?2, four_eyes = ?3 WHERE id = 1",
            params![p.signatures, p.distinct_roles, p.four_eyes],
        )?;
    }
    for (position, form) in schema.forms.iter().enumerate() {
        conn.execute(
            "INSERT INTO forms (name, position, label_zh, label_en, key_field, display_field, region_field,
                                parent_form, parent_field, null_values)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                form.name,
                position,
                form.label.zh,
                form.label.en,
                form.key,
                form.display,
                form.region,
                form.parent.as_ref().map(|p| &p.form),
                form.parent.as_ref().map(|p| &p.key),
                texts(&form.null_values),
            ],
        )?;
        let mut insert = conn.prepare(
            "INSERT INTO fields (form, position, name, label_zh, label_en, type, unit_zh, unit_en, required,
                                 reliability, value_labels, names, aliases)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for (position, field) in form.fields.iter().enumerate() {
            insert.execute(params![
                form.name,
                position,
                field.name,
                field.label.zh,
                field.label.en,
                field.ty.as_str(),
                field.unit.as_ref().map(|u| &u.zh),
                field.unit.as_ref().map(|u| &u.en),
                field.required,
                field.reliability,
                value_labels(&field.values),
                field.names.map(|n| n.as_str()),
                texts(&field.aliases),
            ])?;
        }
        conn.execute_batch(&table_sql(form))?;
        super::search::create(conn, form)?;
        if let Some(link) = &form.parent {
            // A parent's rows are found by their key; a child's by its parent's key.
            conn.execute_batch(&format!(
                "CREATE INDEX {} ON {} ({})",
                quote(&format!("{}_by_parent", form.name)),
                quote(&form.name),
                quote(&link.key)
            ))?;
        }
    }
    Ok(())
}

/// A field's value labels as stored: `[[code, zh, en], ...]`, or NULL for none.
pub(super) fn value_labels(values: &[(String, Localized)]) -> Option<String> {
    (!values.is_empty()).then(|| {
        let rows: Vec<[&str; 3]> = (values.iter())
            .map(|(code, l)| [code.as_str(), l.zh.as_str(), l.en.as_str()])
            .collect();
        serde_json::to_string(&rows).unwrap_or_default()
    })
}

/// A list of texts as stored: a JSON array, or NULL for none.
pub(super) fn texts(list: &[String]) -> Option<String> {
    (!list.is_empty()).then(|| serde_json::to_string(list).unwrap_or_default())
}

/// A list of texts as stored, read back; empty when absent (or unreadable).
fn texts_of(stored: Option<&str>) -> Vec<String> {
    stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

/// Value labels as stored, read back; none when absent (or unreadable).
fn labels_of(stored: Option<&str>) -> Vec<(String, Localized)> {
    let rows: Vec<[String; 3]> = stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    (rows.into_iter())
        .map(|[code, zh, en]| (code, Localized { zh, en }))
        .collect()
}

pub fn load_schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut forms: Vec<Form> = conn
        .prepare(
            "SELECT name, label_zh, label_en, key_field, display_field, region_field,
                    parent_form, parent_field, null_values
             FROM forms ORDER BY position",
        )?
        .query_map([], |r| {
            Ok(Form {
                name: r.get(0)?,
                label: Localized::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                key: r.get(3)?,
                display: r.get(4)?,
                region: r.get(5)?,
                fields: Vec::new(),
                parent: r
                    .get::<_, Option<String>>(6)?
                    .zip(r.get::<_, Option<String>>(7)?)
                    .map(|(form, key)| crate::domain::Parent { form, key }),
                null_values: texts_of(r.get::<_, Option<String>>(8)?.as_deref()),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut select = conn.prepare(
        "SELECT name, label_zh, label_en, type, unit_zh, unit_en, required, reliability,
                value_labels, names, aliases
         FROM fields WHERE form = ?1 ORDER BY position",
    )?;
    for form in &mut forms {
        form.fields = select
            .query_map([&form.name], |r| {
                let ty: String = r.get(3)?;
                let unit_zh: Option<String> = r.get(4)?;
                let unit_en: Option<String> = r.get(5)?;
                Ok(Field {
                    name: r.get(0)?,
                    label: Localized::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                    // The CHECK constraint on fields.type admits only known names.
                    ty: FieldType::parse(&ty).unwrap_or(FieldType::Text),
                    unit: unit_zh.zip(unit_en).map(|(zh, en)| Localized { zh, en }),
                    required: r.get(6)?,
                    reliability: r.get(7)?,
                    values: labels_of(r.get::<_, Option<String>>(8)?.as_deref()),
                    names: (r.get::<_, Option<String>>(9)?.as_deref()).and_then(Names::parse),
                    aliases: texts_of(r.get::<_, Option<String>>(10)?.as_deref()),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    let reasons = conn
        .prepare("SELECT zh, en FROM reasons ORDER BY position")?
        .query_map([], |r| {
            Ok(Localized::new(
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Schema {
        forms,
        reasons,
        policy: None,
    })
}

pub fn counts(conn: &Connection) -> rusqlite::Result<Vec<FormCount>> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM forms ORDER BY position")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|form| {
            let records: u64 =
                conn.query_row(&format!("SELECT count(*) FROM {}", quote(&form)), [], |r| {
                    r.get(0)
                })?;
            Ok(FormCount { form, records })
        })
        .collect()
}

pub fn imports(conn: &Connection) -> rusqlite::Result<Vec<ImportLogEntry>> {
    conn.prepare(
        "SELECT id, form, file_name, file_sha256, encoding, rows, rejected, imported_at, imported_by
         FROM imports ORDER BY id",
    )?
    .query_map([], |r| {
        Ok(ImportLogEntry {
            id: r.get(0)?,
            form: r.get(1)?,
            file_name: r.get(2)?,
            sha256: r.get(3)?,
            encoding: r.get(4)?,
            rows: r.get(5)?,
            rejected: r.get(6)?,
            imported_at: r.get(7)?,
            imported_by: r.get(8)?,
        })
    })?
    .collect()
}

/// Where a stored record came from, by key.
pub fn origin(
    conn: &Connection,
    form: &Form,
    key: &crate::domain::Value<'_>,
) -> rusqlite::Result<Option<(i64, String, u64)>> {
    conn.query_row(
        &format!(
            "SELECT i.id, i.file_name, t._line FROM {} t JOIN imports i ON i.id = t._import
             WHERE t.{} = ?1",
            quote(&form.name),
            quote(&form.key)
        ),
        [super::words::Bound(*key)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}
