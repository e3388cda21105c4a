//! Checkpoints away from the reviewers' actions. SQLite copies the write-ahead log back into
//! the workspace file (a checkpoint) when a commit finds the log long, in that commit: with a
//! team writing all day, one action in a few dozen would wait tens of milliseconds for it. A
//! review session instead turns that off for its connection and checkpoints from a thread
//! of its own with a second connection, every quarter of a second. A checkpoint runs beside
//! readers and writers; a passive one never waits for them and never makes them wait.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// How often the log is copied back.
const EVERY: Duration = Duration::from_millis(250);

/// The checkpointing thread; dropping it stops the thread and waits for it.
pub(super) struct Checkpointer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// A connection of its own to checkpoint `path` with.
    pub(super) fn connect(path: &Path) -> rusqlite::Result<Connection> {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }

    /// Starts checkpointing on `conn`, from [`Checkpointer::connect`].
    pub(super) fn start(conn: Connection) -> std::io::Result<Checkpointer> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("huishen-checkpoint".into())
            .spawn(move || {
                let (stopped, wake) = &*signal;
                let mut done = stopped.lock().unwrap_or_else(|e| e.into_inner());
                while !*done {
                    done = wake
                        .wait_timeout(done, EVERY)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                    // A checkpoint that cannot run now (another is running) runs next time.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (stopped, wake) = &*self.stop;
        *stopped.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workspace file grows only when a checkpoint copies the log back into it: with the
    /// writer's own checkpoints off, it grows because the thread checkpoints.
    #[test]
    fn the_thread_copies_the_log_back_while_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
                 CREATE TABLE t (x TEXT);",
            )
            .unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        let checkpointer = Checkpointer::start(Checkpointer::connect(&path).unwrap()).unwrap();
        for i in 0..200 {
            writer
                .execute("INSERT INTO t VALUES (?1)", [format!("{i:0>4000}")])
                .unwrap();
        }
        // The thread runs every quarter of a second; give it many chances on a busy machine.
        let grown = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            std::fs::metadata(&path).unwrap().len() > before + 400_000
        });
        drop(checkpointer);
        assert!(grown, "no checkpoint copied the log back");
        let rows: i64 = writer
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 200);
    }
}
