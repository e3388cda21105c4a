//! Typed values and the conversion of text cells into them. No silent coercion: a cell that
//! does not fit its field's type is an error that says why.

use super::FieldType;

/// One typed value, borrowing its text from the cell it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
}

impl<'a> Value<'a> {
    /// Converts a cell to `ty`. An empty cell is NULL (for numbers and yes/no, a cell of only
    /// spaces is empty too); numbers and yes/no values may have surrounding spaces; text and
    /// codes are kept exactly as written.
    pub fn parse(ty: FieldType, cell: &'a str) -> Result<Value<'a>, String> {
        match ty {
            FieldType::Text | FieldType::Code => Ok(if cell.is_empty() {
                Value::Null
            } else {
                Value::Text(cell)
            }),
            FieldType::Integer => parse_integer(cell.trim()),
            FieldType::Real => parse_real(cell.trim()),
            FieldType::Bool => parse_bool(cell.trim()),
        }
    }
}

fn parse_integer(cell: &str) -> Result<Value<'_>, String> {
    if cell.is_empty() {
        return Ok(Value::Null);
    }
    if let Ok(n) = cell.parse::<i64>() {
        return Ok(Value::Integer(n));
    }
    Err(if cell.contains(',') {
        "is not a whole number (thousands separators are not accepted)".to_string()
    } else if cell.parse::<f64>().is_ok_and(f64::is_finite) {
        "is not a whole number".to_string()
    } else if looks_full_width(cell) {
        "is not a whole number (it has full-width characters; use ASCII digits)".to_string()
    } else {
        "is not a number".to_string()
    })
}

fn parse_real(cell: &str) -> Result<Value<'_>, String> {
    if cell.is_empty() {
        return Ok(Value::Null);
    }
    // Rust accepts "inf" and "NaN"; a census value is always a finite decimal.
    let plain = cell
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    match cell.parse::<f64>() {
        Ok(x) if plain && x.is_finite() => Ok(Value::Real(x)),
        _ if cell.contains(',') => {
            Err("is not a number (thousands separators are not accepted)".to_string())
        }
        _ if looks_full_width(cell) => {
            Err("is not a number (it has full-width characters; use ASCII digits)".to_string())
        }
        _ => Err("is not a number".to_string()),
    }
}

fn parse_bool(cell: &str) -> Result<Value<'_>, String> {
    const YES: &[&str] = &["1", "true", "yes", "y", "是"];
    const NO: &[&str] = &["0", "false", "no", "n", "否"];
    if cell.is_empty() {
        Ok(Value::Null)
    } else if YES.iter().any(|y| y.eq_ignore_ascii_case(cell)) {
        Ok(Value::Integer(1))
    } else if NO.iter().any(|n| n.eq_ignore_ascii_case(cell)) {
        Ok(Value::Integer(0))
    } else {
        Err("is not yes or no (use 1/0, true/false, yes/no or 是/否)".to_string())
    }
}

fn looks_full_width(cell: &str) -> bool {
    cell.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c))
}

/// A typed value that owns its text: a stored value as the workflow reads it, and what a
/// correction writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Datum {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl Datum {
    /// Converts what a reviewer typed to `ty`, as an import converts a cell.
    pub fn parse(ty: FieldType, text: &str) -> Result<Datum, String> {
        Value::parse(ty, text).map(Datum::from)
    }

    pub fn is_null(&self) -> bool {
        *self == Datum::Null
    }

    /// The value as a reviewer reads it: empty for NULL, 1 or 0 for yes/no.
    pub fn display(&self) -> String {
        match self {
            Datum::Null => String::new(),
            Datum::Integer(i) => i.to_string(),
            Datum::Real(x) => x.to_string(),
            Datum::Text(t) => t.clone(),
        }
    }
}

impl From<Value<'_>> for Datum {
    fn from(v: Value<'_>) -> Datum {
        match v {
            Value::Null => Datum::Null,
            Value::Integer(i) => Datum::Integer(i),
            Value::Real(x) => Datum::Real(x),
            Value::Text(t) => Datum::Text(t.to_string()),
        }
    }
}

/// Why a typed value does not fit its field, in Chinese (the reasons [`Value::parse`] gives).
pub fn why_zh(why: &str) -> String {
    if why.starts_with("is not yes or no") {
        return "不是“是”或“否”（可用 1/0、true/false、yes/no 或 是/否）".into();
    }
    let what = if why.starts_with("is not a whole number") {
        "不是整数"
    } else {
        "不是数字"
    };
    let detail = if why.contains("thousands separators") {
        "（不接受千位分隔符）"
    } else if why.contains("full-width") {
        "（含全角字符，请用半角数字）"
    } else {
        ""
    };
    format!("{what}{detail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_null() {
        for ty in FieldType::ALL {
            assert_eq!(Value::parse(ty, ""), Ok(Value::Null));
        }
        assert_eq!(Value::parse(FieldType::Real, "  "), Ok(Value::Null));
        assert_eq!(Value::parse(FieldType::Text, "  "), Ok(Value::Text("  ")));
    }

    #[test]
    fn numbers_are_strict() {
        assert_eq!(
            Value::parse(FieldType::Integer, " 42 "),
            Ok(Value::Integer(42))
        );
        assert_eq!(
            Value::parse(FieldType::Real, "-1.5e3"),
            Ok(Value::Real(-1500.0))
        );
        assert!(Value::parse(FieldType::Integer, "4.0").is_err());
        assert!(Value::parse(FieldType::Real, "NaN").is_err());
        assert!(Value::parse(FieldType::Real, "inf").is_err());
        let err = Value::parse(FieldType::Real, "1,234.5").unwrap_err();
        assert!(err.contains("thousands"), "{err}");
        let err = Value::parse(FieldType::Integer, "１２").unwrap_err();
        assert!(err.contains("full-width"), "{err}");
    }

    #[test]
    fn codes_keep_leading_zeros() {
        assert_eq!(
            Value::parse(FieldType::Code, "0610"),
            Ok(Value::Text("0610"))
        );
    }

    #[test]
    fn yes_and_no_in_both_languages() {
        assert_eq!(Value::parse(FieldType::Bool, "是"), Ok(Value::Integer(1)));
        assert_eq!(
            Value::parse(FieldType::Bool, "FALSE"),
            Ok(Value::Integer(0))
        );
        assert!(Value::parse(FieldType::Bool, "2").is_err());
    }
}
