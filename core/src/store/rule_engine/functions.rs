//! SQL functions registered on every workspace connection, so that rules stay short:
//! `uscc_valid`, `region_exists`, `region_name`, `region_level`, `region_parent`,
//! `region_retired`, `industry_exists`, `industry_name`, `industry_level`, `regexp` (which
//! also serves the REGEXP operator) and `unit_error`. All are deterministic and return NULL
//! for NULL. Beside them the aggregate `exact_sum`, which peers tables take their sums from
//! (see [`ExactSum`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use rusqlite::Connection;
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
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
    "exact_sum",
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
    conn.create_aggregate_function("exact_sum", 1, flags, Exact)?;
    Ok(())
}

/// The number a peers value counts as in a sum: text as the number it spells (0 when it
/// spells none), NULL and blobs as 0.
pub(super) fn number(v: ValueRef<'_>) -> f64 {
    match v {
        ValueRef::Integer(i) => i as f64,
        ValueRef::Real(x) => x,
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0.0),
        ValueRef::Null | ValueRef::Blob(_) => 0.0,
    }
}

/// The sum of numbers, correctly rounded: the double nearest to the exact sum of the values
/// added, whatever order they are added in (Shewchuk's non-overlapping partials, as Python's
/// `math.fsum` keeps them). A peers group's sum and mean come from it, so they are the same
/// bit for bit whether its values are read in order or aggregated by SQLite in whatever order
/// its plan gives. (A sum that passes the range of a double is infinite or NaN.)
#[derive(Debug, Clone, Default)]
pub(super) struct ExactSum {
    /// Non-overlapping partial sums, in increasing magnitude; their exact sum is the sum.
    partials: Vec<f64>,
    /// The sum of the values that are not finite: 0, an infinity or NaN.
    special: f64,
}

impl ExactSum {
    pub(super) fn add(&mut self, value: f64) {
        if !value.is_finite() {
            self.special += value;
            return;
        }
        let mut x = value;
        let mut kept = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        self.partials.push(x);
    }

    /// The correctly rounded sum (ties to even), 0 for no values.
    pub(super) fn total(&self) -> f64 {
        // NaN too is not 0.
        if self.special != 0.0 {
            return self.special;
        }
        let p = &self.partials;
        let Some(mut n) = p.len().checked_sub(1) else {
            return 0.0;
        };
        let mut hi = p[n];
        let mut lo = 0.0;
        // From the largest partial down, until a rounding error shows.
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        // Half-way cases: the partials below decide which way `hi + lo` rounds.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

/// `exact_sum(x)`: the [`ExactSum`] of the group's values that are not NULL, read as
/// [`number`] reads them; NULL for a group without any.
struct Exact;

impl Aggregate<(ExactSum, bool), Option<f64>> for Exact {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<(ExactSum, bool)> {
        Ok((ExactSum::default(), false))
    }

    fn step(&self, ctx: &mut Context<'_>, acc: &mut (ExactSum, bool)) -> rusqlite::Result<()> {
        let v = ctx.get_raw(0);
        if !matches!(v, ValueRef::Null) {
            acc.0.add(number(v));
            acc.1 = true;
        }
        Ok(())
    }

    fn finalize(
        &self,
        _: &mut Context<'_>,
        acc: Option<(ExactSum, bool)>,
    ) -> rusqlite::Result<Option<f64>> {
        Ok(acc.filter(|(_, any)| *any).map(|(sum, _)| sum.total()))
    }
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

    /// The exact sum is the one nearest the true sum, in any order; a naive sum is not.
    #[test]
    fn exact_sums_are_correctly_rounded_in_any_order() {
        let sum = |xs: &[f64]| {
            let mut s = ExactSum::default();
            xs.iter().for_each(|x| s.add(*x));
            s.total()
        };
        assert_eq!(sum(&[0.1, 0.2, 0.3]), 0.6);
        assert_ne!(0.1 + 0.2 + 0.3, 0.6, "the naive sum rounds twice");
        assert_eq!(sum(&[1e16, 1.0, -1e16]), 1.0);
        assert_eq!(sum(&[-1e16, 1e16, 1.0]), 1.0);
        assert_eq!(sum(&[]), 0.0);
        assert_eq!(sum(&[1.0, f64::INFINITY, 2.0]), f64::INFINITY);
        assert!(sum(&[f64::INFINITY, f64::NEG_INFINITY]).is_nan());
        // Half-way: 1 + 2^-53 lies between 1 and its successor; the partial below decides.
        let half = 2f64.powi(-53);
        assert_eq!(sum(&[1.0, half, half * half]), 1.0 + 2.0 * half);
        assert_eq!(sum(&[1.0, half, -half * half]), 1.0);
        // Any order of the same values gives the same sum, to the last bit.
        let values: Vec<f64> = (1..=200)
            .map(|i| {
                (i as f64).sqrt() * 10f64.powi(i % 9 - 3) * if i % 3 == 0 { -1.0 } else { 1.0 }
            })
            .collect();
        let forward = sum(&values);
        let mut reversed = values.clone();
        reversed.reverse();
        let mut shuffled = values.clone();
        shuffled.sort_by_key(|a| a.to_bits());
        assert_eq!(sum(&reversed).to_bits(), forward.to_bits());
        assert_eq!(sum(&shuffled).to_bits(), forward.to_bits());
    }

    #[test]
    fn exact_sum_aggregates_numbers_and_skips_null() {
        assert_eq!(
            eval(
                "(SELECT exact_sum(x) FROM (SELECT 0.1 AS x UNION ALL SELECT 0.2 UNION ALL SELECT 0.3 UNION ALL SELECT NULL))"
            ),
            Value::Real(0.6)
        );
        assert_eq!(
            eval(
                "(SELECT exact_sum(x) FROM (SELECT 2 AS x UNION ALL SELECT ' 3.5 ' UNION ALL SELECT 'x'))"
            ),
            Value::Real(5.5)
        );
        assert_eq!(
            eval("(SELECT exact_sum(NULL) FROM (SELECT 1))"),
            Value::Null
        );
        assert_eq!(eval("(SELECT exact_sum(1) WHERE 0)"), Value::Null);
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
