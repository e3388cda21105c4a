//! The domain's values as SQLite stores them: the closed sets of values as words, and typed
//! values as SQLite values.

use rusqlite::ToSql;
use rusqlite::types::{
    FromSql, FromSqlError, FromSqlResult, ToSqlOutput, Value as SqlValue, ValueRef,
};

use crate::domain::{AssignmentKind, Datum, EventKind, FlagState, Outcome, Severity, Value};

macro_rules! stored_as_words {
    ($($name:ty),+) => {$(
        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let word = value.as_str()?;
                <$name>::parse(word).ok_or_else(|| {
                    FromSqlError::Other(
                        format!("`{word}` is not a {} huishen knows", stringify!($name)).into(),
                    )
                })
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_str().as_bytes())))
            }
        }
    )+};
}

stored_as_words!(AssignmentKind, EventKind, FlagState, Outcome, Severity);

/// A stored value as the domain holds it. Form tables are STRICT, so a blob can only be
/// there by tampering; it reads as its size, never as data.
pub fn datum(v: SqlValue) -> Datum {
    match v {
        SqlValue::Null => Datum::Null,
        SqlValue::Integer(i) => Datum::Integer(i),
        SqlValue::Real(x) => Datum::Real(x),
        SqlValue::Text(t) => Datum::Text(t),
        SqlValue::Blob(b) => Datum::Text(format!("<{} bytes>", b.len())),
    }
}

/// A domain value as SQLite stores it.
pub fn sql(v: &Datum) -> SqlValue {
    match v {
        Datum::Null => SqlValue::Null,
        Datum::Integer(i) => SqlValue::Integer(*i),
        Datum::Real(x) => SqlValue::Real(*x),
        Datum::Text(t) => SqlValue::Text(t.clone()),
    }
}

/// Binds a domain value as an SQLite value.
#[derive(Debug, Clone, Copy)]
pub struct Bound<'a>(pub Value<'a>);

impl ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(i),
            Value::Real(x) => ValueRef::Real(x),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}
