//! Where a queue line stands in the review (ready to sign, signed once, signed off), read
//! with the line and used as a filter: what a second signer asks the queue for.

use rusqlite::types::Value as SqlValue;

/// A queue line's standing in the review, as a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Nothing left to correct or explain and not signed off: a signature may be given.
    Ready,
    /// Ready, and not signed by this reviewer: ready for their signature.
    ReadyFor(String),
    /// Signed by at least one reviewer, and not yet signed off.
    SignedOnce,
    /// Signed off and locked.
    Locked,
    /// Claimed by this reviewer now.
    ClaimedBy(String),
}

/// The line's census object is signed off and locked.
const LOCKED: &str = "EXISTS (SELECT 1 FROM record_state s WHERE s.form = q.form \
                      AND s.record = q.record AND s.locked = 1)";

/// Standing signatures of the line's census object.
const SIGNATURES: &str = "(SELECT count(*) FROM signatures g WHERE g.form = q.form \
                          AND g.record = q.record AND g.voided_by IS NULL)";

/// An open warning of the line's object (`{flags}`, its flags) that nobody has explained.
const TO_EXPLAIN: &str = "EXISTS (SELECT 1 FROM ({flags}) w \
     JOIN rules r ON r.rule_set = (SELECT max(id) FROM rule_sets) AND r.id = w.rule \
     WHERE w.state = 'open' AND r.severity = 'warning' \
       AND NOT EXISTS (SELECT 1 FROM explanations x WHERE x.form = w.form \
                       AND x.record = w.record AND x.rule = w.rule AND x.undone_by IS NULL))";

/// The columns a queue line carries of its standing: locked, standing signatures, a warning
/// left to explain; `flags` is the source of the line's flags.
pub(super) fn columns(flags: &str) -> String {
    format!(
        "{LOCKED}, {SIGNATURES}, {}",
        TO_EXPLAIN.replace("{flags}", flags)
    )
}

impl Standing {
    /// The WHERE condition for the line `q`, with its parameters.
    pub(super) fn condition(&self, flags: &str, sql: &mut String, args: &mut Vec<SqlValue>) {
        let to_explain = TO_EXPLAIN.replace("{flags}", flags);
        let ready = format!("q.errors = 0 AND NOT {to_explain} AND NOT {LOCKED}");
        match self {
            Standing::Ready => sql.push_str(&format!(" AND {ready}")),
            Standing::ReadyFor(me) => {
                sql.push_str(&format!(
                    " AND {ready} AND NOT EXISTS (SELECT 1 FROM signatures m \
                     WHERE m.form = q.form AND m.record = q.record AND m.voided_by IS NULL \
                       AND m.reviewer = ?)"
                ));
                args.push(SqlValue::Text(me.clone()));
            }
            Standing::SignedOnce => {
                sql.push_str(&format!(" AND {SIGNATURES} > 0 AND NOT {LOCKED}"))
            }
            Standing::Locked => sql.push_str(&format!(" AND {LOCKED}")),
            Standing::ClaimedBy(me) => {
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM claims c WHERE c.form = q.form \
                     AND c.record = q.record AND c.reviewer = ? AND {})",
                    crate::store::claims::LIVE
                ));
                args.push(SqlValue::Text(me.clone()));
            }
        }
    }
}
