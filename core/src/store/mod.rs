//! The workspace: one SQLite file. This module and its children are the only place that
//! speaks SQL.
//!
//! A workspace is marked with `PRAGMA application_id` so that huishen never mistakes another
//! program's database for one of its own, and versioned with `PRAGMA user_version`, which the
//! numbered files in `migrations/` bring up to date.

mod admin;
mod audit;
mod checkpoint;
mod claims;
mod export;
mod fault;
mod files;
mod flag_history;
mod forms;
mod import;
mod migrations;
mod object;
mod queue;
mod record;
mod reference;
mod review_state;
mod rule_engine;
mod search;
mod stats;
mod words;
mod work;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use crate::domain::{Reviewer, Schema};
use crate::error::{Error, Result};
use crate::seal::Signer;

pub use audit::Verification;
pub use audit::witness::Head;
pub use export::{Figures, RegionFigures, Scope, Snapshot};
pub(crate) use files::new_file_in;
pub use flag_history::{FlagEvent, FlagStep, Opener};
pub use forms::{FormCount, ImportLogEntry};
pub use import::{ImportFinish, ImportStart, Inserted, RowSink};
pub use queue::{Direction, Impact, Progress, QueueFilter, QueueRow, Standing};
pub use rule_engine::{
    ActiveRules, CheckReport, LoadReport, RecheckReport, RuleSummary, RuntimeError, StoredRule,
};
pub use rule_engine::{Comparison, Figure, LinkedRows, PeerStats, PeersFigures};
pub use rule_engine::{DatasetFigure, DatasetVerdicts, GroupVerdict};
pub use stats::{Pace, RegionStats, ReviewerStats, RuleStats, ScoreProgress, Stats, Tally};
pub use work::Work;

/// A storage error in words: what was being done, and SQLite's reason without its codes.
pub(crate) fn err(context: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |e| match fault::engine(None, context, &e) {
        Some(fault) => fault,
        None => Error::Storage {
            context: context.to_string(),
            detail: rule_engine::plain_sql_error(&e),
        },
    }
}

/// SQLite's page cache of a workspace connection, in KiB.
pub(in crate::store) const PAGE_CACHE_KIB: i64 = 16384;

/// `PRAGMA application_id` of every huishen workspace ("HUIS" in ASCII).
pub const APPLICATION_ID: i64 = 0x4855_4953;

/// How long a command waits for another process's write to finish before giving up.
/// `HUISHEN_BUSY_TIMEOUT_MS` overrides it.
pub const DEFAULT_BUSY_TIMEOUT_MS: u64 = 5_000;

/// An open workspace.
pub struct Workspace {
    conn: Connection,
    /// The schema, read once: it never changes after `init`.
    schema: std::cell::OnceCell<Schema>,
    /// The rules in force, read again only when a new rule set appears.
    rules_cache: std::cell::RefCell<Option<std::rc::Rc<rule_engine::ActiveRules>>>,
    path: PathBuf,
    busy_timeout_ms: u64,
    sandbox: rule_engine::Sandbox,
    /// Checkpoints in the background, for a review session.
    checkpointer: Option<checkpoint::Checkpointer>,
}

impl Workspace {
    /// Creates a new workspace at `path` for `schema`. The file appears complete or not at all:
    /// it is built under a temporary name beside `path` and renamed at the end.
    pub fn create(
        path: &Path,
        schema: &Schema,
        schema_file: &str,
        schema_source: &str,
        root: &Reviewer,
        signer: &Signer,
    ) -> Result<Workspace> {
        if path.exists() {
            return Err(Error::WorkspaceExists { path: path.into() });
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(Error::Write {
                path: path.into(),
                reason: format!("the folder {} does not exist", dir.display()),
            });
        }
        let temp = new_file_in(dir, ".huishen-init-").map_err(|e| Error::Write {
            path: path.into(),
            reason: e.kind().to_string(),
        })?;
        {
            let conn = Connection::open(temp.path())
                .map_err(sqlite_error(path, "creating the workspace"))?;
            let mut ws = Workspace {
                conn,
                path: path.into(),
                busy_timeout_ms: busy_timeout_ms(),
                sandbox: rule_engine::Sandbox::default(),
                schema: std::cell::OnceCell::new(),
                rules_cache: std::cell::RefCell::new(None),
                checkpointer: None,
            };
            ws.conn
                .execute_batch(&format!(
                    "PRAGMA page_size = 8192; PRAGMA application_id = {APPLICATION_ID}; PRAGMA journal_mode = WAL;"
                ))
                .map_err(ws.error("creating the workspace"))?;
            ws.configure()?;
            migrations::migrate(&ws.conn).map_err(ws.error("creating the workspace tables"))?;
            let tx = ws
                .conn
                .unchecked_transaction()
                .map_err(ws.error("creating the workspace"))?;
            forms::create(&tx, schema, schema_file, schema_source, &root.name)
                .map_err(ws.error("creating the form tables"))?;
            admin::enrol_root(&tx, root, signer, schema_source)
                .map_err(ws.error("enrolling the first administrator"))?;
            reference::load(&tx).map_err(ws.error("loading the reference tables"))?;
            tx.commit().map_err(ws.error("creating the workspace"))?;
            ws.conn
                .close()
                .map_err(|(_, e)| sqlite_error(path, "closing the new workspace")(e))?;
        }
        temp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::WorkspaceExists { path: path.into() }
            } else {
                Error::Write {
                    path: path.into(),
                    reason: e.error.to_string(),
                }
            }
        })?;
        Workspace::open(path)
    }

    /// Opens an existing workspace, bringing an older format up to date.
    pub fn open(path: &Path) -> Result<Workspace> {
        if path.is_dir() {
            return Err(Error::Folder {
                path: path.into(),
                inside: files::workspaces_in(path),
            });
        }
        if !path.is_file() {
            return Err(Error::NoWorkspace { path: path.into() });
        }
        // A file that nobody may write (mode 0444) is opened for reading, even by root, so
        // that it reads like it would for anyone; a file this account may not write SQLite
        // opens for reading by itself. Either way a change is refused as read-only.
        let nobody_writes = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
        let access = if nobody_writes {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let flags = access | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)
            .map_err(sqlite_error(path, "opening the workspace"))?;
        let sandbox = rule_engine::Sandbox::install(&mut conn)
            .map_err(sqlite_error(path, "opening the workspace"))?;
        rule_engine::register_functions(&conn)
            .map_err(sqlite_error(path, "opening the workspace"))?;
        let mut ws = Workspace {
            conn,
            path: path.into(),
            busy_timeout_ms: busy_timeout_ms(),
            sandbox,
            schema: std::cell::OnceCell::new(),
            rules_cache: std::cell::RefCell::new(None),
            checkpointer: None,
        };
        ws.wait_on_writers()?;
        let app_id: i64 = ws
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(ws.error("reading the workspace header"))?;
        if app_id != APPLICATION_ID {
            let detail = if app_id == 0 {
                "an SQLite database, but not one made by huishen".to_string()
            } else {
                format!("an SQLite database of another program (application id {app_id:#x})")
            };
            return Err(Error::NotAWorkspace {
                path: path.into(),
                detail,
            });
        }
        let version: i64 = ws
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(ws.error("reading the workspace version"))?;
        if version > migrations::LATEST {
            return Err(Error::NewerWorkspace {
                path: path.into(),
                found: version,
                supported: migrations::LATEST,
            });
        }
        ws.configure()?;
        if version < migrations::LATEST {
            migrations::migrate(&ws.conn).map_err(ws.error("updating the workspace format"))?;
        }
        if version < migrations::PEERS_SUM {
            ws.upgrade_peers()?;
        }
        Ok(ws)
    }

    /// Waits for other connections' writes with [`wait_for_lock`].
    fn wait_on_writers(&mut self) -> Result<()> {
        BUSY_TIMEOUT_MS.store(self.busy_timeout_ms, Ordering::Relaxed);
        self.conn
            .busy_handler(Some(wait_for_lock))
            .map_err(self.error("opening the workspace"))
    }

    fn configure(&mut self) -> Result<()> {
        self.wait_on_writers()?;
        // An action runs a few dozen distinct statements; keep them all prepared.
        self.conn.set_prepared_statement_cache_capacity(256);
        self.conn
            .execute_batch(
                &format!("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{PAGE_CACHE_KIB};"),
            )
            .map_err(self.error("opening the workspace"))
    }

    /// Moves checkpoints off this connection's commits onto a thread of their own, for as
    /// long as the workspace stays open (see `checkpoint`). For review sessions, which
    /// commit many small actions while others do the same.
    pub fn checkpoint_in_background(&mut self) -> Result<()> {
        if self.checkpointer.is_none() {
            let conn = checkpoint::Checkpointer::connect(&self.path)
                .map_err(self.error("starting checkpoints"))?;
            let checkpointer =
                checkpoint::Checkpointer::start(conn).map_err(|e| Error::Storage {
                    context: "starting checkpoints".into(),
                    detail: e.to_string(),
                })?;
            self.checkpointer = Some(checkpointer);
            self.conn
                .pragma_update(None, "wal_autocheckpoint", 0)
                .map_err(self.error("starting checkpoints"))?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The error with this workspace named and, for text that is not UTF-8, the form, record
    /// and field where it stands.
    pub fn locate(&self, err: Error) -> Error {
        let err = err.in_workspace(&self.path);
        match err {
            Error::BadText {
                path,
                doing,
                cell: None,
            } => {
                let cell = self.schema().ok().and_then(|schema| {
                    let found = fault::find_bad_text(&self.conn, &schema).ok()??;
                    let (form, key, field) = found;
                    Some(format!("form {form}, record {key}, field {field}"))
                });
                Error::BadText { path, doing, cell }
            }
            other => other,
        }
    }

    /// Lets the file's group read and write the workspace, whatever the umask gave it (see
    /// [`files::share_with_group`]).
    pub fn share_with_group(&self) -> Result<()> {
        files::share_with_group(&self.path)
    }

    /// The schema stored in the workspace at `init`.
    pub fn schema(&self) -> Result<Schema> {
        forms::load_schema(&self.conn).map_err(self.error("reading the schema"))
    }

    /// The schema, read from the workspace once and kept.
    pub fn schema_cached(&self) -> Result<&Schema> {
        if let Some(schema) = self.schema.get() {
            return Ok(schema);
        }
        let schema = self.schema()?;
        Ok(self.schema.get_or_init(|| schema))
    }

    /// Record counts per form.
    pub fn form_counts(&self) -> Result<Vec<FormCount>> {
        forms::counts(&self.conn).map_err(self.error("counting records"))
    }

    /// Every import, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportLogEntry>> {
        forms::imports(&self.conn).map_err(self.error("reading the import log"))
    }

    /// Row counts of the reference tables: (regions, retired regions, industries).
    pub fn reference_counts(&self) -> Result<(u64, u64, u64)> {
        reference::counts(&self.conn).map_err(self.error("counting reference rows"))
    }

    /// A closure that turns an SQLite error into a workspace error with context.
    fn error(&self, context: &'static str) -> impl Fn(rusqlite::Error) -> Error + '_ {
        let path = self.path.clone();
        let waited_ms = self.busy_timeout_ms;
        move |e| classify(&path, context, waited_ms, e)
    }
}

/// How long a connection waits for another's write, for [`wait_for_lock`], which SQLite
/// calls without context.
static BUSY_TIMEOUT_MS: AtomicU64 = AtomicU64::new(DEFAULT_BUSY_TIMEOUT_MS);

/// SQLite's busy handler: while another connection writes, waits in naps of 0.5 to 1 ms until
/// the busy timeout has passed. SQLite's own handler naps up to 100 ms at a time once a wait
/// grows, so with several reviewers writing, one could sleep through many free moments;
/// with short naps each waiting reviewer takes the lock within a millisecond of its release.
fn wait_for_lock(attempt: i32) -> bool {
    thread_local! {
        static SINCE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
    }
    let now = Instant::now();
    let since = SINCE.with(|since| {
        if attempt == 0 {
            since.set(Some(now));
        }
        *since.get().get_or_insert(now)
    });
    let waited = now.duration_since(since);
    if waited >= Duration::from_millis(BUSY_TIMEOUT_MS.load(Ordering::Relaxed)) {
        return false;
    }
    // A little jitter, so that waiters do not all wake together.
    let jitter = (waited.subsec_nanos() ^ (attempt as u32).wrapping_mul(2_654_435_761)) % 500;
    std::thread::sleep(Duration::from_micros(500 + u64::from(jitter)));
    true
}

pub(in crate::store) fn busy_timeout_ms() -> u64 {
    std::env::var("HUISHEN_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_BUSY_TIMEOUT_MS)
}

fn sqlite_error(path: &Path, context: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    let path = path.to_path_buf();
    move |e| classify(&path, context, busy_timeout_ms(), e)
}

/// Turns an SQLite error into one a reviewer can act on.
fn classify(path: &Path, context: &str, waited_ms: u64, err: rusqlite::Error) -> Error {
    fault::classify(Some(path), context, waited_ms, err)
}
