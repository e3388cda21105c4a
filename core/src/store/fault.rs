//! SQLite's errors about the file itself (read-only, damaged, full, text that is not text)
//! turned into messages a reviewer can act on: what happened, where, and what to do. Errors of
//! a statement (a rule's SQL, a constraint) are said where the statement is run.

use std::path::Path;

use rusqlite::ErrorCode;

use crate::error::{Error, Result};

/// The file-level fault behind `err`, if it is one; `path` is the workspace when known.
pub(super) fn engine(path: Option<&Path>, context: &str, err: &rusqlite::Error) -> Option<Error> {
    let path = path.map(Path::to_path_buf);
    let doing = context.to_string();
    if is_bad_text(err) {
        return Some(Error::BadText {
            path,
            doing,
            cell: None,
        });
    }
    Some(match err.sqlite_error_code()? {
        ErrorCode::ReadOnly => Error::ReadOnly { path, doing },
        ErrorCode::DatabaseCorrupt => Error::Corrupt {
            path,
            detail: format!("SQLite found a damaged page while {doing}"),
        },
        ErrorCode::DiskFull => Error::DiskFull { path, doing },
        _ => return None,
    })
}

/// Any SQLite error, classified; what is not a file-level fault keeps SQLite's reason.
pub(super) fn classify(
    path: Option<&Path>,
    context: &str,
    waited_ms: u64,
    err: rusqlite::Error,
) -> Error {
    if let Some(fault) = engine(path, context, &err) {
        return fault;
    }
    let path = path.map_or_else(|| "the workspace".into(), Path::to_path_buf);
    match err.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            Error::Locked { path, waited_ms }
        }
        Some(ErrorCode::NotADatabase) => Error::NotAWorkspace {
            path,
            detail: "not an SQLite database".into(),
        },
        Some(ErrorCode::CannotOpen) => Error::Read {
            path,
            reason: "the file cannot be opened (check that it exists and that you may read and \
                     write it and its folder)"
                .into(),
        },
        _ => Error::Storage {
            context: format!("{context} in {}", path.display()),
            detail: plain(&err),
        },
    }
}

/// A text value whose bytes are not UTF-8 (the file was changed outside huishen).
fn is_bad_text(err: &rusqlite::Error) -> bool {
    match err {
        rusqlite::Error::Utf8Error(..) => true,
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => {
            inner.downcast_ref::<std::str::Utf8Error>().is_some()
                || inner.downcast_ref::<std::string::FromUtf8Error>().is_some()
        }
        _ => false,
    }
}

/// The message of an SQLite error without Rust's wrapping.
fn plain(err: &rusqlite::Error) -> String {
    match err {
        rusqlite::Error::SqliteFailure(e, Some(msg)) => format!("{msg} ({:?})", e.code),
        other => other.to_string(),
    }
}

/// The first cell of a form table whose text is not UTF-8, as (form, key, field), for a
/// message that says where a tampered value stands.
pub(super) fn find_bad_text(
    conn: &rusqlite::Connection,
    schema: &crate::domain::Schema,
) -> Result<Option<(String, String, String)>> {
    use super::forms::quote;
    let fail = |e: rusqlite::Error| Error::Storage {
        context: "looking for text that is not UTF-8".into(),
        detail: plain(&e),
    };
    for form in &schema.forms {
        for field in &form.fields {
            let sql = format!(
                "SELECT CAST({} AS BLOB), CAST({} AS BLOB) FROM {} WHERE typeof({}) = 'text'",
                quote(&form.key),
                quote(&field.name),
                quote(&form.name),
                quote(&field.name)
            );
            let mut stmt = conn.prepare(&sql).map_err(fail)?;
            let mut rows = stmt.query([]).map_err(fail)?;
            while let Some(row) = rows.next().map_err(fail)? {
                let value: Vec<u8> = row.get(1).map_err(fail)?;
                if std::str::from_utf8(&value).is_err() {
                    let key: Option<Vec<u8>> = row.get(0).map_err(fail)?;
                    let key = String::from_utf8_lossy(&key.unwrap_or_default()).into_owned();
                    return Ok(Some((form.name.clone(), key, field.name.clone())));
                }
            }
        }
    }
    Ok(None)
}
