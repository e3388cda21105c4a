//! Heads kept outside the workspace (a witness file, a printed report): the trail must still
//! hold each one, with the hash it had when it was witnessed. Someone who rewrites the trail
//! and computes every hash again, or cuts its newest events off, cannot keep a witnessed head.

use rusqlite::{Connection, OptionalExtension};

/// A head as a witness keeps it: event id, hash, when it was witnessed and where it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub event: i64,
    pub hash: String,
    pub at: String,
    /// Where the head is kept, for messages (`FILE:LINE`).
    pub place: String,
}

/// What is wrong with each head the trail no longer holds, in the caller's read transaction.
pub(crate) fn check(conn: &Connection, heads: &[Head]) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT hash FROM events WHERE id = ?1")?;
    for head in heads {
        let now: Option<String> = stmt.query_row([head.event], |r| r.get(0)).optional()?;
        let short = |h: &str| h.get(..16).unwrap_or(h).to_string();
        match now {
            None => problems.push(format!(
                "event #{}, witnessed at {} ({}), is no longer in the trail: its newest events \
                 were cut off",
                head.event, head.at, head.place
            )),
            Some(hash) if hash != head.hash => problems.push(format!(
                "event #{} is not the event witnessed at {} ({}): its hash was {}…, it is {}… \
                 now; the trail was rewritten",
                head.event,
                head.at,
                head.place,
                short(&head.hash),
                short(&hash)
            )),
            Some(_) => {}
        }
    }
    Ok(problems)
}
