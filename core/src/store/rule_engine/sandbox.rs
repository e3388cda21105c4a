//! The sandbox rules run in: while it is active, SQLite's authorizer allows reading tables and
//! calling functions, and nothing else. It also notes what a statement reads, so that the
//! fields a rule touches are known without the rule saying so.
//!
//! SQLite asks the authorizer while a statement is prepared; every rule statement is prepared
//! with the sandbox active.

use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::{Connection, Statement};

use super::budget::Meter;

/// What a statement reads, as seen while it was prepared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Access {
    /// (table, column) pairs.
    pub(super) reads: Vec<(String, String)>,
    pub(super) functions: Vec<String>,
}

#[derive(Default)]
struct State {
    active: bool,
    access: Access,
    refused: Option<String>,
}

/// Shared between the workspace and its connection's authorizer.
#[derive(Clone, Default)]
pub(in crate::store) struct Sandbox {
    state: Arc<Mutex<State>>,
    /// The budget rule statements run under.
    meter: Meter,
}

/// Why the sandbox refused a statement, or why it would not prepare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The statement would do something other than read.
    Forbidden(String),
    /// SQLite could not prepare it (syntax, unknown column or function...).
    Invalid(String),
}

impl Sandbox {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held cannot leave the state inconsistent: it is a flag
        // and a list.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Installs the sandbox's authorizer on `conn`; inactive until `prepare` is called.
    pub(in crate::store) fn install(conn: &mut Connection) -> rusqlite::Result<Sandbox> {
        let sandbox = Sandbox {
            meter: Meter::install(conn)?,
            ..Sandbox::default()
        };
        let state = Arc::clone(&sandbox.state);
        conn.authorizer(Some(move |ctx: AuthContext<'_>| {
            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
            if !state.active {
                return Authorization::Allow;
            }
            match judge(&ctx.action) {
                Ok(()) => {
                    match ctx.action {
                        AuthAction::Read {
                            table_name,
                            column_name,
                        } => state
                            .access
                            .reads
                            .push((table_name.to_string(), column_name.to_string())),
                        AuthAction::Function { function_name } => {
                            state.access.functions.push(function_name.to_string())
                        }
                        _ => {}
                    }
                    Authorization::Allow
                }
                Err(why) => {
                    state.refused.get_or_insert(why);
                    Authorization::Deny
                }
            }
        }))?;
        Ok(sandbox)
    }

    /// The budget rule statements run under.
    pub(super) fn meter(&self) -> &Meter {
        &self.meter
    }

    /// Prepares `sql` with only reading allowed, and says what it reads.
    pub(super) fn prepare<'c>(
        &self,
        conn: &'c Connection,
        sql: &str,
    ) -> Result<(Statement<'c>, Access), Refusal> {
        {
            let mut state = self.lock();
            state.active = true;
            state.access = Access::default();
            state.refused = None;
        }
        let prepared = conn.prepare(sql);
        let mut state = self.lock();
        state.active = false;
        let access = std::mem::take(&mut state.access);
        match (prepared, state.refused.take()) {
            (Ok(stmt), None) => Ok((stmt, access)),
            (_, Some(why)) => Err(Refusal::Forbidden(why)),
            (Err(rusqlite::Error::MultipleStatement), None) => Err(Refusal::Forbidden(
                "it holds more than one statement".into(),
            )),
            (Err(e), None) => Err(Refusal::Invalid(plain_sql_error(&e))),
        }
    }
}

/// What a rule may do: read, select, call functions other than load_extension, recurse.
fn judge(action: &AuthAction<'_>) -> Result<(), String> {
    match action {
        AuthAction::Select | AuthAction::Recursive => Ok(()),
        AuthAction::Read { table_name, .. } if table_name.starts_with("pragma_") => {
            Err(format!("it reads {table_name}, a PRAGMA"))
        }
        AuthAction::Read { .. } => Ok(()),
        AuthAction::Function { function_name }
            if function_name.eq_ignore_ascii_case("load_extension") =>
        {
            Err("it calls load_extension".into())
        }
        AuthAction::Function { .. } => Ok(()),
        AuthAction::Pragma { pragma_name, .. } => Err(format!("it runs PRAGMA {pragma_name}")),
        AuthAction::Attach { .. } => Err("it attaches a database".into()),
        AuthAction::Detach { .. } => Err("it detaches a database".into()),
        AuthAction::Insert { table_name }
        | AuthAction::Update { table_name, .. }
        | AuthAction::Delete { table_name }
            if table_name.starts_with("sqlite_") =>
        {
            Err("it changes the workspace's structure".into())
        }
        AuthAction::Insert { table_name } => Err(format!("it writes to {table_name}")),
        AuthAction::Update { table_name, .. } => Err(format!("it writes to {table_name}")),
        AuthAction::Delete { table_name } => Err(format!("it deletes from {table_name}")),
        AuthAction::Transaction { .. } | AuthAction::Savepoint { .. } => {
            Err("it controls transactions".into())
        }
        _ => Err("it changes the workspace's structure".into()),
    }
}

/// An SQL error in plain words: SQLite's message without the error code wrapping.
pub(in crate::store) fn plain_sql_error(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sandboxed() -> (Connection, Sandbox) {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a, b); CREATE TABLE u (c);")
            .unwrap();
        let sandbox = Sandbox::install(&mut conn).unwrap();
        (conn, sandbox)
    }

    fn refusal(sql: &str) -> Refusal {
        let (conn, sandbox) = sandboxed();
        match sandbox.prepare(&conn, sql) {
            Ok(_) => panic!("{sql} was allowed"),
            Err(r) => r,
        }
    }

    #[test]
    fn reading_is_allowed_and_noted() {
        let (conn, sandbox) = sandboxed();
        let (_, access) = sandbox
            .prepare(
                &conn,
                "SELECT a + 1 FROM t WHERE EXISTS (SELECT 1 FROM u WHERE c = t.b)",
            )
            .unwrap();
        assert!(access.reads.contains(&("t".into(), "a".into())));
        assert!(access.reads.contains(&("u".into(), "c".into())));
    }

    #[test]
    fn anything_but_reading_is_refused_with_its_reason() {
        let forbidden = |sql| match refusal(sql) {
            Refusal::Forbidden(why) => why,
            Refusal::Invalid(msg) => panic!("{sql}: {msg}"),
        };
        assert_eq!(forbidden("DELETE FROM t"), "it deletes from t");
        assert_eq!(forbidden("INSERT INTO u VALUES (1)"), "it writes to u");
        assert_eq!(forbidden("UPDATE t SET a = 1"), "it writes to t");
        assert_eq!(
            forbidden("PRAGMA user_version = 3"),
            "it runs PRAGMA user_version"
        );
        assert_eq!(forbidden("ATTACH 'x.db' AS x"), "it attaches a database");
        assert_eq!(
            forbidden("SELECT load_extension('evil')"),
            "it calls load_extension"
        );
        assert_eq!(
            forbidden("SELECT * FROM pragma_table_info('t')"),
            "it reads pragma_table_info, a PRAGMA"
        );
        assert_eq!(
            forbidden("DROP TABLE t"),
            "it changes the workspace's structure"
        );
        assert_eq!(
            forbidden("SELECT 1; DROP TABLE t"),
            "it changes the workspace's structure"
        );
        assert_eq!(
            forbidden("SELECT 1; SELECT 2"),
            "it holds more than one statement"
        );
    }

    #[test]
    fn the_sandbox_is_off_outside_prepare() {
        let (conn, sandbox) = sandboxed();
        assert!(sandbox.prepare(&conn, "DELETE FROM t").is_err());
        conn.execute("DELETE FROM t", []).unwrap();
    }
}
