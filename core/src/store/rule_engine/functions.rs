//! SQL functions registered on every workspace connection, so that rules stay short:
//! `uscc_valid`, `region_exists`, `region_name`, `region_level`, `region_parent`,
//! `region_retired`, `industry_exists`, `industry_name`, `industry_level`, `regexp` (which
//! also serves the REGEXP operator) and `unit_error`. All are deterministic and return NULL
//! for NULL.

use std::collections::HashMap;
use std::sync::OnceLock;

use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

use crate::domain::uscc;
use crate::reference::{self, Industry};

/// The names of the functions [`register`] adds. An expression an index stores may not call
/// them, or the sqlite3 CLI could no longer write the table.
pub(super) const NAMES: &[&str] = &[
    "uscc_valid",
    "region_exists",
    "region_name",
    "region_level",
    "region_parent",
    "region_retired",
    "industry_exists",
    "industry_name",
    "industry_level",
    "regexp",
    "unit_error",
];

fn retired() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        reference::retired_divisions()
            .map(|r| (r.code, r.name))
            .collect()
    })
}

fn industries() -> &'static HashMap<&'static str, Industry> {
    static MAP: OnceLock<HashMap<&'static str, Industry>> = OnceLock::new();
    MAP.get_or_init(|| reference::industries().map(|i| (i.code, i)).collect())
}

/// The text of argument 0, `None` for NULL. Numbers are read as their decimal text, so that
/// `region_exists(370102)` works as `region_exists('370102')`.
fn text_arg(ctx: &Context<'_>, i: usize) -> Option<String> {
    match ctx.get_raw(i) {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(x.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

type Lookup = fn(&str) -> Value;

/// The error a function gives SQLite.
type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

fn register_lookup(conn: &Connection, name: &str, lookup: Lookup) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function(name, 1, flags, move |ctx| {
        Ok(match text_arg(ctx, 0) {
            None => Value::Null,
            Some(code) => lookup(code.trim()),
        })
    })
}

fn flag(b: bool) -> Value {
    Value::Integer(i64::from(b))
}

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.to_string()))
}

/// Registers every function on `conn`.
pub(in crate::store) fn register(conn: &Connection) -> rusqlite::Result<()> {
    register_lookup(conn, "uscc_valid", |c| flag(uscc::is_valid(c)))?;
    register_lookup(conn, "region_exists", |c| {
        flag(reference::division(c).is_some())
    })?;
    register_lookup(conn, "region_name", |c| {
        text(
            reference::division(c)
                .map(|d| d.name)
                .or_else(|| retired().get(c).copied()),
        )
    })?;
    register_lookup(conn, "region_level", |c| {
        text(reference::division(c).map(|d| d.level))
    })?;
    register_lookup(conn, "region_parent", |c| {
        text(
            reference::division(c)
                .map(|d| d.parent)
                .filter(|p| !p.is_empty()),
        )
    })?;
    register_lookup(conn, "region_retired", |c| flag(retired().contains_key(c)))?;
    register_lookup(conn, "industry_exists", |c| {
        flag(industries().contains_key(c))
    })?;
    register_lookup(conn, "industry_name", |c| {
        text(industries().get(c).map(|i| i.name))
    })?;
    register_lookup(conn, "industry_level", |c| {
        industries()
            .get(c)
            .map_or(Value::Null, |i| Value::Integer(i64::from(i.level)))
    })?;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("regexp", 2, flags, |ctx| {
        let Some(subject) = text_arg(ctx, 1) else {
            return Ok(ToSqlOutput::Owned(Value::Null));
        };
        if matches!(ctx.get_raw(0), ValueRef::Null) {
            return Ok(ToSqlOutput::Owned(Value::Null));
        }
        let regex = ctx.get_or_create_aux(0, |pattern| -> Result<regex::Regex, BoxError> {
            let pattern = pattern
                .as_str()
                .map_err(|_| "the pattern of regexp() must be text")?;
            regex::Regex::new(pattern).map_err(|e| {
                // regex explains itself over several lines; its last line says what is wrong.
                let text = e.to_string();
                let why = text
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim_start_matches("error: ");
                format!("invalid regular expression \"{pattern}\": {why}").into()
            })
        })?;
        Ok(ToSqlOutput::Owned(flag(regex.is_match(&subject))))
    })?;
    conn.create_scalar_function("unit_error", 5, flags, |ctx| {
        let mut args = [0.0; 5];
        for (i, arg) in args.iter_mut().enumerate() {
            *arg = match ctx.get_raw(i) {
                ValueRef::Null => return Ok(ToSqlOutput::Owned(Value::Null)),
                ValueRef::Integer(n) => n as f64,
                ValueRef::Real(x) => x,
                ValueRef::Text(_) | ValueRef::Blob(_) => {
                    return Err(rusqlite::Error::UserFunctionError(
                        format!(
                            "unit_error() takes numbers; its argument {} is not one",
                            i + 1
                        )
                        .into(),
                    ));
                }
            };
        }
        let [value, predicted, factor, lower, upper] = args;
        Ok(ToSqlOutput::Owned(unit_error(
            value, predicted, factor, lower, upper,
        )?))
    })?;
    Ok(())
}

/// The unit-error test of the ONS selective editing method (known as thousand-pounds
/// correction): `value` was reported in a unit `factor` times too small when its ratio to the
/// `predicted` value lies strictly between `lower` and `upper` (e.g. 10000, 6500, 13500 for
/// yuan reported where 10k yuan were asked). 1 or 0; NULL when `predicted` is 0, as no ratio
/// can be taken; an error for a factor that is not positive or bounds out of order.
fn unit_error(
    value: f64,
    predicted: f64,
    factor: f64,
    lower: f64,
    upper: f64,
) -> rusqlite::Result<Value> {
    if !(factor > 0.0 && lower >= 0.0 && lower < upper) {
        return Err(rusqlite::Error::UserFunctionError(
            format!(
                "unit_error(value, predicted, factor, lower, upper) needs factor > 0 and \
                 0 <= lower < upper; it was given factor {factor}, lower {lower}, upper {upper}"
            )
            .into(),
        ));
    }
    if predicted == 0.0 {
        return Ok(Value::Null);
    }
    let ratio = value / predicted;
    Ok(flag(lower < ratio && ratio < upper))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(sql: &str) -> Value {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        conn.query_row(&format!("SELECT {sql}"), [], |r| r.get(0))
            .unwrap()
    }

    /// Hand-worked: 162990 reported where 16.299 (10k yuan) was predicted is a ratio of
    /// 10000: a unit error; at the bounds themselves it is not one (strictly between).
    #[test]
    fn unit_error_at_and_around_its_bounds() {
        let t = |v: &str, p: &str| eval(&format!("unit_error({v}, {p}, 10000, 6500, 13500)"));
        assert_eq!(t("162990", "16.299"), Value::Integer(1));
        assert_eq!(t("16.3", "16.299"), Value::Integer(0));
        assert_eq!(t("6500", "1"), Value::Integer(0), "at the lower bound");
        assert_eq!(t("6500.001", "1"), Value::Integer(1), "just above it");
        assert_eq!(t("13500", "1"), Value::Integer(0), "at the upper bound");
        assert_eq!(t("13499.999", "1"), Value::Integer(1), "just below it");
        assert_eq!(t("-10000", "1"), Value::Integer(0), "a negative ratio");
        assert_eq!(t("5", "0"), Value::Null, "no ratio to a predicted 0");
        assert_eq!(t("NULL", "1"), Value::Null);
        assert_eq!(t("1", "NULL"), Value::Null);
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        for bad in [
            "unit_error(1, 1, 0, 1, 2)",
            "unit_error(1, 1, 10, 3, 2)",
            "unit_error('x', 1, 10, 1, 2)",
        ] {
            let err = conn
                .query_row(&format!("SELECT {bad}"), [], |r| r.get::<_, Value>(0))
                .unwrap_err()
                .to_string();
            assert!(err.contains("unit_error("), "{bad}: {err}");
        }
    }

    #[test]
    fn reference_lookups() {
        assert_eq!(eval("region_exists('370102')"), Value::Integer(1));
        assert_eq!(eval("region_exists('371202')"), Value::Integer(0));
        assert_eq!(eval("region_retired('371200')"), Value::Integer(1));
        assert_eq!(eval("region_name(370102)"), Value::Text("历下区".into()));
        assert_eq!(
            eval("region_parent('370102')"),
            Value::Text("370100".into())
        );
        assert_eq!(
            eval("region_level('370100')"),
            Value::Text("prefecture".into())
        );
        assert_eq!(eval("industry_exists('2614')"), Value::Integer(1));
        assert_eq!(eval("industry_level('26')"), Value::Integer(2));
        assert_eq!(eval("region_name(NULL)"), Value::Null);
    }

    #[test]
    fn credit_codes_from_the_standard() {
        assert_eq!(eval("uscc_valid('91350100M000100Y43')"), Value::Integer(1));
        assert_eq!(eval("uscc_valid('91350100M000100Y4Z')"), Value::Integer(0));
        assert_eq!(eval("uscc_valid('91350211M0000XUF46')"), Value::Integer(0));
        assert_eq!(eval("uscc_valid(NULL)"), Value::Null);
    }

    #[test]
    fn regexp_function_and_operator() {
        assert_eq!(eval("'370102' REGEXP '^37[0-9]{4}$'"), Value::Integer(1));
        assert_eq!(eval("regexp('^[0-9]+$', 'x1')"), Value::Integer(0));
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let err = conn
            .query_row("SELECT 'a' REGEXP '('", [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        assert!(
            err.to_string().contains("invalid regular expression"),
            "{err}"
        );
    }
}
