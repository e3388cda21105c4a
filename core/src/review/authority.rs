//! Who may do what: signing in (unsealing a reviewer's key with their passphrase), the
//! administrators' authority, and enrolling or changing reviewers.

use crate::domain::Reviewer;
use crate::error::{Error, Result};
use crate::seal::Signer;

use super::Workspace;
use super::checks::declined;
use super::passphrase::MIN_CHARS;

/// A reviewer to enrol.
#[derive(Debug, Clone, Copy)]
pub struct NewReviewer<'a> {
    pub name: &'a str,
    pub role: &'a str,
    /// A division-code prefix; empty: everywhere.
    pub scope: &'a str,
    /// An administrator (组长).
    pub admin: bool,
    pub passphrase: &'a str,
}

/// What changes about a reviewer; `None` keeps it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReviewerChange<'a> {
    pub role: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub admin: Option<bool>,
    /// A new passphrase: a new key pair, sealed under it.
    pub passphrase: Option<&'a str>,
}

/// Refuses a region scope that is not a division-code prefix (digits; empty: everywhere).
pub(super) fn validate_scope(scope: &str) -> Result<()> {
    if scope.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::declined(
            format!(
                "the scope `{scope}` is not a division-code prefix (digits, e.g. 3703); nothing was changed"
            ),
            format!("审核范围 `{scope}` 不是区划代码前缀（应为数字，如 3703），未作任何改动"),
        ))
    }
}

fn long_enough(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_CHARS {
        return Err(declined(
            format!(
                "the passphrase is too short: use at least {MIN_CHARS} characters; nothing was changed"
            ),
            format!("口令太短：至少 {MIN_CHARS} 个字符；未做任何更改"),
        ));
    }
    Ok(())
}

/// A reviewer with a new key sealed under `passphrase`, and that key unsealed.
fn keyed(mut r: Reviewer, passphrase: &str) -> Result<(Reviewer, Signer)> {
    let made = Signer::enrol(&r.name, r.admin, passphrase)?;
    r.public_key = made.signer.public_key();
    r.sealed_key = made.sealed;
    r.passphrase_hash.clear();
    Ok((r, made.signer))
}

/// Unseals `reviewer`'s key with `passphrase`.
pub(super) fn sign_in(reviewer: &Reviewer, passphrase: &str) -> Result<Signer> {
    let name = &reviewer.name;
    if reviewer.sealed_key.is_empty() {
        return Err(declined(
            format!(
                "{name} was enrolled before reviewers had signing keys, so nothing can be signed \
                 as {name} yet: an administrator gives {name} a new passphrase with `huishen \
                 reviewer change WORKSPACE {name} --passphrase`; in a workspace with no \
                 administrator yet, `huishen upgrade WORKSPACE --as NAME` makes the first"
            ),
            format!(
                "{name} 是在审核员有签名密钥之前登记的，暂不能以 {name} 的名义签名：请管理员用 \
                 `huishen reviewer change 工作区 {name} --passphrase` 为其设置新口令；尚无管理员的\
                 工作区先运行 `huishen upgrade 工作区 --as 姓名`"
            ),
        ));
    }
    Signer::unseal(
        name,
        reviewer.admin,
        &reviewer.sealed_key,
        &reviewer.public_key,
        passphrase,
    )?
    .ok_or_else(|| Error::WrongPassphrase {
        reviewer: name.clone(),
    })
}

impl Workspace {
    /// Signs `name` in: unseals their key with `passphrase`. What they then do is signed with it.
    pub fn sign_in(&self, name: &str, passphrase: &str) -> Result<Signer> {
        let reviewer = self.store.reviewer(name)?.ok_or_else(|| {
            Error::declined(
                format!(
                    "there is no reviewer {name} in {}; `huishen reviewer list` shows who is enrolled",
                    self.path().display()
                ),
                format!(
                    "{} 中没有审核员 {name}；`huishen reviewer list` 列出已登记的审核员",
                    self.path().display()
                ),
            )
        })?;
        sign_in(&reviewer, passphrase)
    }

    /// Refuses `by` unless they are an administrator of this workspace, enrolled with the key
    /// they hold; `what` names the action in both languages.
    pub(super) fn authorised(&self, by: &Signer, what: (&str, &str)) -> Result<()> {
        let stored = self.store.reviewer(by.name())?;
        let same_key = stored
            .as_ref()
            .is_some_and(|r| r.public_key == by.public_key());
        if !same_key {
            return Err(declined(
                format!(
                    "{} is not enrolled in this workspace with the key that signed in; nothing was changed",
                    by.name()
                ),
                format!("{} 未以此密钥登记在本工作区；未做任何更改", by.name()),
            ));
        }
        if !stored.is_some_and(|r| r.admin) {
            return Err(declined(
                format!(
                    "{} is not an administrator: only an administrator (组长) may {}; nothing was changed",
                    by.name(),
                    what.0
                ),
                format!(
                    "{} 不是管理员：只有组长可以{}；未做任何更改",
                    by.name(),
                    what.1
                ),
            ));
        }
        Ok(())
    }

    /// Refuses a new reviewer before anyone is asked for a passphrase: a name and a role are
    /// needed, the scope must be a division-code prefix, and the name must be new.
    pub fn may_enrol(&self, name: &str, role: &str, scope: &str) -> Result<()> {
        let (name, role) = (name.trim(), role.trim());
        if name.is_empty() || role.is_empty() {
            return Err(Error::declined(
                "a reviewer needs a name and a role",
                "审核员须有姓名和角色",
            ));
        }
        validate_scope(scope)?;
        if self.store.reviewer(name)?.is_some() {
            return Err(Error::declined(
                format!("reviewer {name} exists already"),
                format!("审核员 {name} 已存在"),
            ));
        }
        Ok(())
    }

    /// Enrols a reviewer (an administrator's action): a new key pair, sealed under their
    /// passphrase; returns them, with the key's fingerprint.
    pub fn add_reviewer(&mut self, new: &NewReviewer<'_>, by: &Signer) -> Result<Reviewer> {
        self.authorised(by, ("enrol reviewers", "登记审核员"))?;
        self.may_enrol(new.name, new.role, new.scope)?;
        long_enough(new.passphrase)?;
        let (reviewer, _) = keyed(fresh(new), new.passphrase)?;
        let added = self.store.add_reviewer(&reviewer, by);
        added.map_err(|e| self.store.locate(e))?;
        Ok(reviewer)
    }

    /// Changes a reviewer's role, scope, authority or passphrase (an administrator's action).
    /// A new passphrase gives a new key pair; what the old key signed stays signed by it.
    pub fn change_reviewer(
        &mut self,
        name: &str,
        change: &ReviewerChange<'_>,
        by: &Signer,
    ) -> Result<Reviewer> {
        self.authorised(by, ("change reviewers", "更改审核员"))?;
        let Some(mut reviewer) = self.store.reviewer(name)? else {
            return Err(Error::declined(
                format!("there is no reviewer {name}; nothing was changed"),
                format!("没有审核员 {name}，未作任何改动"),
            ));
        };
        let before = reviewer.clone();
        if let Some(role) = change.role {
            if role.trim().is_empty() {
                return Err(Error::declined("a reviewer needs a role", "审核员须有角色"));
            }
            reviewer.role = role.trim().to_string();
        }
        if let Some(scope) = change.scope {
            validate_scope(scope)?;
            reviewer.scope = scope.to_string();
        }
        if let Some(admin) = change.admin {
            if !admin && name == by.name() {
                return Err(declined(
                    "an administrator cannot take away their own authority: another administrator must; nothing was changed",
                    "管理员不能撤销自己的权限，须由另一位管理员操作；未做任何更改",
                ));
            }
            reviewer.admin = admin;
        }
        if let Some(passphrase) = change.passphrase {
            long_enough(passphrase)?;
            reviewer = keyed(reviewer, passphrase)?.0;
        } else if reviewer.sealed_key.is_empty() {
            return Err(declined(
                format!(
                    "{name} has no signing key yet: give them a passphrase (--passphrase) with this change"
                ),
                format!("{name} 还没有签名密钥：请同时为其设置口令（--passphrase）"),
            ));
        }
        if reviewer == before {
            return Err(declined(
                format!(
                    "nothing to change for {name}: give a new --role, --scope, --admin or \
                     --passphrase"
                ),
                format!(
                    "{name} 没有要更改的内容：请给出新的 --role、--scope、--admin 或 --passphrase"
                ),
            ));
        }
        let changed = self.store.change_reviewer(&reviewer, by);
        changed.map_err(|e| self.store.locate(e))?;
        Ok(reviewer)
    }
}

impl Workspace {
    /// Removes a reviewer (an administrator's action): their work split and claims go, what
    /// they did stays in the trail, and their key signs nothing from then on.
    pub fn remove_reviewer(&mut self, name: &str, by: &Signer) -> Result<()> {
        self.authorised(by, ("remove reviewers", "移除审核员"))?;
        if name == by.name() {
            return Err(declined(
                "an administrator cannot remove themselves: another administrator must; nothing was changed",
                "管理员不能移除自己，须由另一位管理员操作；未做任何更改",
            ));
        }
        let removed = self.store.remove_reviewer(name, by);
        removed.map_err(|e| self.store.locate(e))
    }

    /// Signs a workspace written before signing keys: `name`, a reviewer enrolled then (their
    /// old passphrase proves it), becomes its first administrator and the root of its keys,
    /// and one upgrade event signed by them attests the trail so far and what the tables hold.
    /// Returns them signed in, and the number of events attested.
    pub fn upgrade(&mut self, name: &str, passphrase: &str) -> Result<(Signer, i64)> {
        if self.store.root_fingerprint()?.is_some() {
            return Err(declined(
                "the trail is signed already: there is nothing to upgrade",
                "审核记录已签名，无需升级",
            ));
        }
        let Some(reviewer) = self.store.reviewer(name)? else {
            return Err(Error::declined(
                format!(
                    "there is no reviewer {name}; `huishen reviewer list` shows who is enrolled"
                ),
                format!("没有审核员 {name}；`huishen reviewer list` 列出已登记的审核员"),
            ));
        };
        if !super::passphrase::matches(&reviewer, passphrase) {
            return Err(Error::WrongPassphrase {
                reviewer: name.to_string(),
            });
        }
        let (reviewer, signer) = keyed(
            Reviewer {
                admin: true,
                ..reviewer
            },
            passphrase,
        )?;
        let upgraded = self.store.upgrade(&reviewer, &signer);
        let events = upgraded.map_err(|e| self.store.locate(e))?;
        Ok((signer, events))
    }
}

/// A reviewer as enrolled, before their key is made.
fn fresh(new: &NewReviewer<'_>) -> Reviewer {
    Reviewer {
        name: new.name.trim().to_string(),
        role: new.role.trim().to_string(),
        scope: new.scope.to_string(),
        admin: new.admin,
        public_key: String::new(),
        sealed_key: String::new(),
        passphrase_hash: String::new(),
    }
}

/// The first administrator of a new workspace, keyed.
pub(super) fn root(new: &NewReviewer<'_>) -> Result<(Reviewer, Signer)> {
    let (name, role) = (new.name.trim(), new.role.trim());
    if name.is_empty() || role.is_empty() {
        return Err(Error::declined(
            "the first administrator needs a name and a role; no workspace was made",
            "首位管理员须有姓名和角色；未建立工作区",
        ));
    }
    validate_scope(new.scope)?;
    long_enough(new.passphrase)?;
    keyed(
        fresh(&NewReviewer {
            admin: true,
            ..*new
        }),
        new.passphrase,
    )
}
