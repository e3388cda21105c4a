//! A pass over a large form cut into pieces of its records, by rowid, so that both of a
//! check's workers can share it (see `parallel`); and the pieces' findings put back together
//! into each rule's outcome over the whole form. Each piece reads a snapshot of its own: the
//! rules' verdicts then stand at the earliest of the pieces' marks, so that a correction made
//! while the pieces ran is counted as made after the verdicts, and its record's flags are
//! left as its re-check wrote them (see `settle`).

use std::collections::HashMap;

use rusqlite::Connection;

use super::check::summary_of;
use super::fused::Found;
use super::parallel::RuleOutcome;
use super::settle::Mark;
use super::vocabulary::ActiveRules;
use crate::store::forms::quote;

/// Records per piece, about: fewer make a form one piece.
pub(super) const PIECE_ROWS: i64 = 50_000;

/// Pieces of one form at most.
const MOST_PIECES: i64 = 8;

/// A range of a form's rowids: from `from` (or the first) up to, not including, `to` (or
/// past the last), the `at`th of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub(super) at: u32,
    pub(super) of: u32,
    from: Option<i64>,
    to: Option<i64>,
}

impl Piece {
    /// The whole form.
    pub(super) const WHOLE: Piece = Piece {
        at: 0,
        of: 1,
        from: None,
        to: None,
    };

    /// The SQL suffix keeping the records of the piece (nothing for the whole form).
    pub(super) fn filter(&self, form: &str) -> String {
        let rowid = format!("{}.rowid", quote(form));
        let from = self.from.map(|f| format!(" AND {rowid} >= {f}"));
        let to = self.to.map(|t| format!(" AND {rowid} < {t}"));
        format!("{}{}", from.unwrap_or_default(), to.unwrap_or_default())
    }
}

/// The pieces the records of `form` are cut into: as many as fill `rows` records each (one
/// for a small form; [`PIECE_ROWS`] in a check), at most [`MOST_PIECES`], of equal spans of
/// rowids. The first and the last are open, so that records imported meanwhile fall in one
/// of them.
pub(super) fn cut(conn: &Connection, form: &str, rows: i64) -> rusqlite::Result<Vec<Piece>> {
    let (low, high): (Option<i64>, Option<i64>) = conn.query_row(
        &format!("SELECT min(rowid), max(rowid) FROM {}", quote(form)),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(low), Some(high)) = (low, high) else {
        return Ok(vec![Piece::WHOLE]);
    };
    let span = high.saturating_sub(low).saturating_add(1);
    let n = (span / rows.max(1)).clamp(1, MOST_PIECES);
    let bound = |k: i64| low + (span / n) * k + (span % n) * k / n;
    Ok((0..n)
        .map(|k| Piece {
            at: k as u32,
            of: n as u32,
            from: (k > 0).then(|| bound(k)),
            to: (k < n - 1).then(|| bound(k + 1)),
        })
        .collect())
}

/// What one piece of a pass found: per member rule, its findings over the piece, or `None`
/// when the rule ran out of its budget there.
pub(super) struct PieceFound {
    pub(super) members: Vec<usize>,
    pub(super) piece: Piece,
    pub(super) mark: Mark,
    /// The form's records, as the piece's snapshot counted them.
    pub(super) items: u64,
    pub(super) found: Vec<Option<Found>>,
}

/// Each rule's outcome over its whole form, from the findings of every piece of its pass: a
/// rule that ran out of its budget on any piece has none, as it would have run out of it on
/// the whole form.
pub(super) fn join(
    rules: &ActiveRules,
    mut pieces: Vec<PieceFound>,
) -> HashMap<usize, RuleOutcome> {
    pieces.sort_by_key(|p| p.piece.at);
    let mut by_rule: HashMap<usize, Vec<(Option<Found>, Mark, u64)>> = HashMap::new();
    for p in pieces {
        for (&i, found) in p.members.iter().zip(p.found) {
            by_rule.entry(i).or_default().push((found, p.mark, p.items));
        }
    }
    by_rule
        .into_iter()
        .map(|(i, parts)| {
            let mark = earliest(parts.iter().map(|(_, m, _)| *m));
            let items = parts.first().map_or(0, |(_, _, n)| *n);
            let mut applicable = 0;
            let mut verdicts = Vec::new();
            let mut whole = true;
            for (found, _, _) in parts {
                match found {
                    Some(f) => {
                        applicable += f.applicable;
                        verdicts.extend(f.verdicts);
                    }
                    None => whole = false,
                }
            }
            let outcome = whole.then(|| {
                verdicts.sort_unstable_by_key(|(record, _)| *record);
                let summary = summary_of(&rules.rules[i], items, applicable, &verdicts);
                (summary, verdicts)
            });
            (i, (outcome, mark))
        })
        .collect()
}

/// The mark that verdicts read at all of `marks` stand at: the earliest event, import and
/// rule set, and the last record any of them saw.
fn earliest(marks: impl Iterator<Item = Mark>) -> Mark {
    marks
        .reduce(|a, b| Mark {
            event: a.event.min(b.event),
            import: a.import.min(b.import),
            rule_set: a.rule_set.min(b.rule_set),
            last_record: a.last_record.max(b.last_record),
        })
        .unwrap_or(Mark {
            event: 0,
            import: 0,
            rule_set: 0,
            last_record: 0,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rowids: &[i64]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE F (v)").unwrap();
        for r in rowids {
            conn.execute("INSERT INTO F (rowid, v) VALUES (?1, 1)", [r])
                .unwrap();
        }
        conn
    }

    /// Every record falls in exactly one piece, whatever the gaps between rowids.
    #[test]
    fn the_pieces_of_a_form_hold_each_record_once() {
        let mut rowids: Vec<i64> = (1..=180_000).step_by(3).collect();
        rowids.extend([400_000, 400_001, 999_999]);
        let conn = table(&rowids);
        let pieces = cut(&conn, "F", PIECE_ROWS).unwrap();
        assert_eq!(pieces.len(), 8);
        let mut seen: u64 = 0;
        for p in &pieces {
            let n: u64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM F WHERE 1{}", p.filter("F")),
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            seen += n;
        }
        assert_eq!(seen, rowids.len() as u64);
        assert_eq!(
            pieces[0].filter("F"),
            format!(" AND \"F\".rowid < {}", 125_000)
        );
        assert!(pieces[7].filter("F").starts_with(" AND \"F\".rowid >= "));
        assert!(!pieces[7].filter("F").contains('<'));
    }

    #[test]
    fn a_small_or_empty_form_is_one_piece() {
        assert_eq!(
            cut(&table(&[]), "F", PIECE_ROWS).unwrap(),
            vec![Piece::WHOLE]
        );
        assert_eq!(
            cut(&table(&[1, 2, 90_000]), "F", PIECE_ROWS).unwrap().len(),
            1
        );
        assert_eq!(Piece::WHOLE.filter("F"), "");
    }
}
