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
    /// The root key's fingerprint the trail had when witnessed (heads written since keys).
    pub root: Option<String>,
    /// The administrator who signed the head, the text they signed and their signature.
    pub signed: Option<(String, String, String)>,
}

/// What is wrong with each head the trail no longer holds, in the caller's read transaction.
/// `root` is the trail's root now; a head that names another was witnessed of another trail.
pub(crate) fn check(
    conn: &Connection,
    heads: &[Head],
    root: Option<&str>,
) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT hash FROM events WHERE id = ?1")?;
    let mut key = conn.prepare_cached("SELECT public_key FROM reviewers WHERE name = ?1")?;
    for head in heads {
        if let Some(witnessed) = &head.root
            && Some(witnessed.as_str()) != root
        {
            problems.push(format!(
                "the head witnessed at {} ({}) was of a trail with root key {witnessed}; this \
                 trail's root is {}: the whole trail was replaced",
                head.at,
                head.place,
                root.unwrap_or("none")
            ));
        }
        if let Some((by, text, signature)) = &head.signed {
            let public: Option<String> = key.query_row([by], |r| r.get(0)).optional()?;
            if !public.is_some_and(|p| crate::seal::verifies(&p, text.as_bytes(), signature)) {
                problems.push(format!(
                    "the head witnessed at {} ({}) does not carry {by}'s signature: the witness \
                     file was changed",
                    head.at, head.place
                ));
            }
        }
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
