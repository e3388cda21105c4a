//! Claims (who is on which record) and assignments (who reviews what).

use rusqlite::{OptionalExtension, params};

use super::work::Work;
use super::{Workspace, err};
use crate::domain::{Assignment, AssignmentKind, Claim, EventKind, Form};
use crate::error::{Error, Result};
use crate::seal::Signer;

/// A live claim's SQL condition: seen within the policy's claim minutes.
pub(super) const LIVE: &str = "julianday(c.last_seen) > julianday('now') - (SELECT claim_minutes FROM policy WHERE id = 1) / 1440.0";

/// Where a claim on a row is held: on the root of its census object, so that a claim on any
/// row of an object covers the whole object; on the row itself when it has no root.
fn place(
    conn: &rusqlite::Connection,
    forms: &[Form],
    form: &str,
    record: i64,
) -> rusqlite::Result<(String, i64)> {
    let own = (form.to_string(), record);
    let Some(def) = forms.iter().find(|f| f.name.eq_ignore_ascii_case(form)) else {
        return Ok(own);
    };
    if def.parent.is_none() {
        return Ok(own);
    }
    Ok(match super::object::root_of(conn, forms, def, record)? {
        Some((root, rowid)) => (root.name.clone(), rowid),
        None => own,
    })
}

/// The live claim on a record (on its census object) by anyone but `me`.
fn live_claim(
    conn: &rusqlite::Connection,
    form: &str,
    record: i64,
    forms: &[Form],
    me: &str,
) -> rusqlite::Result<Option<Claim>> {
    let (form, record) = place(conn, forms, form, record)?;
    conn.query_row(
        &format!(
            "SELECT c.reviewer, c.since, c.last_seen FROM claims c
             WHERE c.form = ?1 AND c.record = ?2 AND c.reviewer <> ?3 AND {LIVE}"
        ),
        params![form, record, me],
        |r| {
            Ok(Claim {
                reviewer: r.get(0)?,
                since: r.get(1)?,
                last_seen: r.get(2)?,
            })
        },
    )
    .optional()
}

impl Work<'_> {
    /// Another reviewer's live claim on the record (on its census object), if any.
    pub fn claim_by_other(&self, form: &str, record: i64, me: &str) -> Result<Option<Claim>> {
        live_claim(self.conn(), form, record, self.forms(), me).map_err(err("reading claims"))
    }

    /// Makes the record (its census object) the reviewer's one claimed record (any other
    /// claim of theirs ends).
    pub fn claim(&mut self, form: &str, record: i64, me: &str) -> Result<()> {
        let (form, record) =
            place(self.conn(), self.forms(), form, record).map_err(err("claiming a record"))?;
        self.conn()
            .execute(
                "DELETE FROM claims WHERE reviewer = ?1 AND NOT (form = ?2 AND record = ?3)",
                params![me, form, record],
            )
            .map_err(err("claiming a record"))?;
        self.conn()
            .execute(
                "INSERT INTO claims (form, record, reviewer, since, last_seen)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                 ON CONFLICT (form, record) DO UPDATE SET
                     since = CASE WHEN reviewer = excluded.reviewer THEN since ELSE excluded.since END,
                     reviewer = excluded.reviewer, last_seen = excluded.last_seen",
                params![form, record, me],
            )
            .map_err(err("claiming a record"))?;
        Ok(())
    }

    /// Lets go of the reviewer's claim on a record (on its census object: done with it).
    pub fn unclaim(&mut self, form: &str, record: i64, me: &str) -> Result<()> {
        let (form, record) =
            place(self.conn(), self.forms(), form, record).map_err(err("releasing a claim"))?;
        self.conn()
            .execute(
                "DELETE FROM claims WHERE form = ?1 AND record = ?2 AND reviewer = ?3",
                params![form, record, me],
            )
            .map(|_| ())
            .map_err(err("releasing a claim"))
    }

    /// Takes a record over from another reviewer: an audited event, then the claim.
    pub fn take_over(
        &mut self,
        form: &str,
        record: i64,
        key: &str,
        me: &str,
        from: &str,
    ) -> Result<()> {
        self.append(
            me,
            EventKind::TakeOver,
            form,
            record,
            key,
            &serde_json::json!({ "from": from }),
        )?;
        self.claim(form, record, me)
    }
}

impl Workspace {
    /// The live claim on a record (on its census object) by anyone but `me`.
    pub fn claim_on(&self, form: &str, record: i64, me: &str) -> Result<Option<Claim>> {
        let forms = &self.schema_cached()?.forms;
        live_claim(&self.conn, form, record, forms, me).map_err(self.error("reading claims"))
    }

    /// Ends every claim of a reviewer (on exit).
    pub fn release_claims(&self, reviewer: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM claims WHERE reviewer = ?1", [reviewer])
            .map(|_| ())
            .map_err(self.error("releasing claims"))
    }

    /// A reviewer's work split.
    pub fn assignments(&self, reviewer: &str) -> Result<Vec<Assignment>> {
        self.conn
            .prepare("SELECT reviewer, kind, value FROM assignments WHERE reviewer = ?1 ORDER BY kind, value")
            .and_then(|mut s| {
                s.query_map([reviewer], |r| Ok(Assignment { reviewer: r.get(0)?, kind: r.get(1)?, value: r.get(2)? }))?
                    .collect()
            })
            .map_err(self.error("reading assignments"))
    }

    /// Adds to (or with `clear`, first empties) a reviewer's work split.
    pub fn assign(
        &mut self,
        reviewer: &str,
        add: &[(AssignmentKind, String)],
        clear: bool,
        by: &Signer,
    ) -> Result<()> {
        let mut work = self.work(by)?;
        if work.reviewer(reviewer)?.is_none() {
            return Err(Error::declined(
                format!("there is no reviewer {reviewer}; add one with `huishen reviewer add`"),
                format!("没有审核员 {reviewer}；请用 `huishen reviewer add` 添加"),
            ));
        }
        if clear {
            work.conn()
                .execute("DELETE FROM assignments WHERE reviewer = ?1", [reviewer])
                .map_err(err("assigning"))?;
        }
        for (kind, value) in add {
            work.conn()
                .execute(
                    "INSERT OR IGNORE INTO assignments (reviewer, kind, value) VALUES (?1, ?2, ?3)",
                    params![reviewer, kind, value],
                )
                .map_err(err("assigning"))?;
        }
        let payload = serde_json::json!({ "reviewer": reviewer, "clear": clear, "add": add });
        work.append_plain(by.name(), EventKind::Assign, &payload)?;
        work.commit()
    }
}
