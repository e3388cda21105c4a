//! Administration: enrolling reviewers, changing them and setting the sign-off policy, each
//! one signed event of the administrator who did it.

use rusqlite::{Connection, params};

use super::{Workspace, err};
use crate::domain::{EventKind, Policy, Reviewer};
use crate::error::{Error, Result};
use crate::seal::Signer;
use crate::store::audit;

/// What the trail keeps of a reviewer: everything but the sealed key, of which it keeps the
/// sha256 (so that a swapped sealed key is found, and the key itself never leaves its row).
pub fn reviewer_payload(r: &Reviewer) -> serde_json::Value {
    serde_json::json!({
        "name": r.name, "role": r.role, "scope": r.scope, "admin": r.admin,
        "public_key": r.public_key, "sealed": crate::seal::digest(&r.sealed_key),
    })
}

fn insert_reviewer(conn: &Connection, r: &Reviewer) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO reviewers (name, role, scope, passphrase, added_at, admin, public_key, sealed_key)
         VALUES (?1, ?2, ?3, '', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?4, ?5, ?6)",
        params![r.name, r.role, r.scope, r.admin, r.public_key, r.sealed_key],
    )
}

/// Enrols the workspace's first administrator, the root of its keys: their enrolment is the
/// trail's first event, signed with the key it enrols, and signs the schema file's sha256.
pub fn enrol_root(
    conn: &Connection,
    r: &Reviewer,
    signer: &Signer,
    schema_source: &str,
) -> rusqlite::Result<()> {
    insert_reviewer(conn, r)?;
    let mut payload = reviewer_payload(r);
    if let Some(p) = payload.as_object_mut() {
        p.insert(
            "schema_sha256".into(),
            audit::schema::schema_digest(schema_source).into(),
        );
    }
    audit::append(
        conn,
        signer,
        EventKind::ReviewerAdd.as_str(),
        None,
        &payload,
    )?;
    Ok(())
}

impl Workspace {
    /// Adds a reviewer with their key already sealed.
    pub fn add_reviewer(&mut self, r: &Reviewer, by: &Signer) -> Result<()> {
        let mut work = self.work(by)?;
        if work.reviewer(&r.name)?.is_some() {
            return Err(Error::declined(
                format!("reviewer {} exists already", r.name),
                format!("审核员 {} 已存在", r.name),
            ));
        }
        insert_reviewer(work.conn(), r).map_err(err("adding a reviewer"))?;
        work.append_plain(by.name(), EventKind::ReviewerAdd, &reviewer_payload(r))?;
        work.commit()
    }

    /// Changes a reviewer's role, scope, authority or key (a new passphrase).
    pub fn change_reviewer(&mut self, r: &Reviewer, by: &Signer) -> Result<()> {
        let mut work = self.work(by)?;
        if work.reviewer(&r.name)?.is_none() {
            return Err(Error::declined(
                format!("there is no reviewer {}", r.name),
                format!("没有审核员 {}", r.name),
            ));
        }
        work.conn()
            .execute(
                "UPDATE reviewers SET role = ?2, scope = ?3, admin = ?4, public_key = ?5,
                        sealed_key = ?6, passphrase = '' WHERE name = ?1",
                params![r.name, r.role, r.scope, r.admin, r.public_key, r.sealed_key],
            )
            .map_err(err("changing a reviewer"))?;
        work.append_plain(by.name(), EventKind::ReviewerChange, &reviewer_payload(r))?;
        work.commit()
    }

    /// Removes a reviewer, with their work split and claims; what they did stays in the trail.
    pub fn remove_reviewer(&mut self, name: &str, by: &Signer) -> Result<()> {
        let mut work = self.work(by)?;
        if work.reviewer(name)?.is_none() {
            return Err(Error::declined(
                format!("there is no reviewer {name}"),
                format!("没有审核员 {name}"),
            ));
        }
        for sql in [
            "DELETE FROM assignments WHERE reviewer = ?1",
            "DELETE FROM claims WHERE reviewer = ?1",
            "DELETE FROM reviewers WHERE name = ?1",
        ] {
            work.conn()
                .execute(sql, [name])
                .map_err(err("removing a reviewer"))?;
        }
        work.append_plain(
            by.name(),
            EventKind::ReviewerRemove,
            &serde_json::json!({ "name": name }),
        )?;
        work.commit()
    }

    /// Changes the policy (an audited event).
    pub fn set_policy(&mut self, policy: Policy, by: &Signer) -> Result<()> {
        let mut work = self.work(by)?;
        work.conn()
            .execute(
                "UPDATE policy SET signatures_required = ?1, distinct_roles = ?2, four_eyes = ?3,
                                   claim_minutes = ?4 WHERE id = 1",
                params![
                    policy.signatures_required,
                    policy.distinct_roles,
                    policy.four_eyes,
                    policy.claim_minutes
                ],
            )
            .map_err(err("setting the policy"))?;
        work.append_plain(
            by.name(),
            EventKind::Policy,
            &serde_json::to_value(policy).unwrap_or_default(),
        )?;
        work.commit()
    }
}

impl Workspace {
    /// Signs a trail written before keys as a whole: `r` (keyed now, an administrator)
    /// becomes the root, and one upgrade event signed by them attests the trail's head and
    /// what the tables hold now (imports with their digests, rule sets, policy, work split).
    /// Returns the number of events attested.
    pub fn upgrade(&mut self, r: &Reviewer, by: &Signer) -> Result<i64> {
        let forms = self.schema()?.forms;
        let work = self.work(by)?;
        let conn = work.conn();
        let attested = audit::attest(conn, &forms).map_err(err("upgrading"))?;
        let Some(events) = attested.get("head").and_then(|h| h.get("event")?.as_i64()) else {
            return Err(Error::declined(
                "the workspace has no events yet: there is nothing to upgrade",
                "工作区尚无任何事件，无需升级",
            ));
        };
        conn.execute(
            "UPDATE reviewers SET admin = 1, public_key = ?2, sealed_key = ?3, passphrase = ''
             WHERE name = ?1",
            params![r.name, r.public_key, r.sealed_key],
        )
        .map_err(err("upgrading"))?;
        let mut payload = reviewer_payload(r);
        if let (Some(p), Some(a)) = (payload.as_object_mut(), attested.as_object()) {
            p.extend(a.clone());
        }
        let mut work = work;
        work.append_plain(by.name(), EventKind::Upgrade, &payload)?;
        work.commit()?;
        Ok(events)
    }
}
