//! What a proposed correction would do to a record's verdicts: each rule of the record's form
//! that reads only the record (and peers figures) is evaluated over the record with the
//! proposed values in place, without writing anything. Rules that read other records are
//! left out (their verdict on the change is known only once it is made).

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::evaluate::prepare_rule;
use super::sandbox::Sandbox;
use super::vocabulary::{ActiveRules, Reach};
use crate::domain::Form;
use crate::error::{Error, Result};
use crate::store::forms::quote;

/// The rules (of those that read only their record) that would fail with `changes` made:
/// (rule, fails).
pub(in crate::store) fn what_if(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    form: &Form,
    record: i64,
    changes: &[(String, SqlValue)],
) -> Result<Vec<(String, bool)>> {
    let t = quote(&form.name);
    let mut columns = vec!["rowid AS rowid".to_string()];
    let mut values = Vec::new();
    for f in &form.fields {
        match changes
            .iter()
            .position(|(c, _)| c.eq_ignore_ascii_case(&f.name))
        {
            Some(i) => {
                columns.push(format!(":_v{i} AS {}", quote(&f.name)));
                values.push((format!(":_v{i}"), changes[i].1.clone()));
            }
            None => columns.push(quote(&f.name)),
        }
    }
    let row = format!(
        "(SELECT {} FROM main.{t} WHERE rowid = :_record) AS {t}",
        columns.join(", ")
    );
    let mut out = Vec::new();
    for rule in rules
        .rules
        .iter()
        .filter(|r| r.form == form.name && matches!(r.reach, Reach::Record | Reach::Peers))
    {
        let when = rule.when.as_deref().unwrap_or("1");
        let sql = format!(
            "SELECT NOT coalesce(({check}), 0) FROM {row} WHERE ({when})",
            check = rule.check
        );
        let mut stmt = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
        let bound = stmt.raw_bind_parameter(c":_record", record).and_then(|()| {
            values.iter().try_for_each(|(name, v)| {
                let index = stmt
                    .parameter_index(name)?
                    .ok_or(rusqlite::Error::InvalidParameterName(name.clone()))?;
                stmt.raw_bind_parameter(index, v)
            })
        });
        bound.map_err(|e| failed(&rule.id, &e))?;
        let mut rows = stmt.raw_query();
        let fails = match sandbox.meter().next(&mut rows) {
            Ok(Some(r)) => r.get::<_, bool>(0).map_err(|e| failed(&rule.id, &e))?,
            Ok(None) => false,
            Err(e) => {
                return Err(match sandbox.meter().exceeded(&rule.id, &e) {
                    Some(over) => Error::OverBudget(over),
                    None => failed(&rule.id, &e),
                });
            }
        };
        out.push((rule.id.clone(), fails));
    }
    Ok(out)
}

fn failed(rule: &str, e: &rusqlite::Error) -> Error {
    Error::Storage {
        context: format!("trying rule {rule} on a proposed correction"),
        detail: super::sandbox::plain_sql_error(e),
    }
}
