//! Administration: enrolling reviewers and setting the sign-off policy, each an audited
//! action of its own.

use rusqlite::params;

use super::{Workspace, err};
use crate::domain::{EventKind, Policy, Reviewer};
use crate::error::{Error, Result};

impl Workspace {
    /// Adds a reviewer; the passphrase arrives already hashed.
    pub fn add_reviewer(&mut self, r: &Reviewer, by: &str) -> Result<()> {
        let mut work = self.work()?;
        if work.reviewer(&r.name)?.is_some() {
            return Err(Error::Refused(format!(
                "reviewer {} exists already",
                r.name
            )));
        }
        work.conn()
            .execute(
                "INSERT INTO reviewers (name, role, scope, passphrase, added_at)
                 VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                params![r.name, r.role, r.scope, r.passphrase_hash],
            )
            .map_err(err("adding a reviewer"))?;
        work.append_plain(
            by,
            EventKind::ReviewerAdd,
            &serde_json::json!({ "name": r.name, "role": r.role, "scope": r.scope }),
        )?;
        work.commit()
    }

    /// Changes the policy (an audited event).
    pub fn set_policy(&mut self, policy: Policy, by: &str) -> Result<()> {
        let mut work = self.work()?;
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
            by,
            EventKind::Policy,
            &serde_json::to_value(policy).unwrap_or_default(),
        )?;
        work.commit()
    }
}
