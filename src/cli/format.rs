//! One output convention for every command that reports: `--format table` (the default, for
//! people, in their language) or `json`, `jsonl` (one object a line) and `csv` for scripts,
//! always on standard output; progress, notices and errors go to standard error.

use serde::Serialize;
use serde_json::Value;

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people, in the language of messages
    #[default]
    Table,
    /// One JSON document
    Json,
    /// JSON Lines: one object per line (per rule, reviewer, finding ...)
    Jsonl,
    /// CSV with a header line, one row per object
    Csv,
}

/// `--format`, with `--json` kept as its old spelling.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct FormatArg {
    /// How to print the report: table for people; json, jsonl or csv for scripts
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    format: Format,
    /// The same as --format json
    #[arg(long, hide = true, conflicts_with = "format")]
    json: bool,
}

impl FormatArg {
    pub fn get(&self) -> Format {
        if self.json { Format::Json } else { self.format }
    }
}

/// Prints a report: `whole` as one JSON document, `rows` one object a line or as CSV, or the
/// table `table` makes.
pub fn emit(
    format: Format,
    whole: &impl Serialize,
    rows: &[Value],
    table: impl FnOnce() -> anyhow::Result<String>,
) -> anyhow::Result<()> {
    match format {
        Format::Table => out!("{}", table()?)?,
        Format::Json => outln!("{}", serde_json::to_string_pretty(whole)?)?,
        Format::Jsonl => {
            for row in rows {
                outln!("{}", serde_json::to_string(row)?)?;
            }
        }
        Format::Csv => out!("{}", csv_of(rows)?)?,
    }
    Ok(())
}

/// Objects as CSV: a column per key (in the order the objects list them: by name), nested
/// values as JSON.
pub fn csv_of(rows: &[Value]) -> anyhow::Result<String> {
    let mut keys: Vec<String> = Vec::new();
    for row in rows {
        if let Value::Object(map) = row {
            for key in map.keys() {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&keys)?;
    for row in rows {
        let cells = keys.iter().map(|k| match row.get(k) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        });
        out.write_record(cells)?;
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}

/// Each item of a list serialised, for `rows`.
pub fn rows_of<T: Serialize>(items: &[T]) -> anyhow::Result<Vec<Value>> {
    Ok(items
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_column_per_key_and_nested_values_as_json() {
        let rows = [
            serde_json::json!({ "id": "R01", "fails": 3 }),
            serde_json::json!({ "id": "R02", "fields": ["a", "b"], "note": null }),
        ];
        assert_eq!(
            csv_of(&rows).unwrap(),
            "fails,id,fields,note\n3,R01,,\n,R02,\"[\"\"a\"\",\"\"b\"\"]\",\n"
        );
    }
}
