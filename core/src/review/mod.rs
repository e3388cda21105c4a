//! The review workflow over the store. The screen and the command line both come through here:
//! a reviewer's session on one form of a workspace, its queue, its records and their flags.

use std::path::Path;

use crate::domain::{
    AssignmentKind, Claim, Field, FlagLine, Form, Localisation, Localized, Proposal, RecordScore,
    Reviewer,
};
use crate::error::{Error, Result};
use crate::reference;
use crate::store::StoredRule;
use checks::declined;

pub use crate::seal::Signer;

mod actions;
mod authority;
mod batch;
mod bulk;
mod checks;
mod flag_detail;
mod locate;
mod messages;
mod objects;
pub mod passphrase;
mod selective;
pub mod stats;
mod witness;
mod workspace;

pub use actions::RecordStatus;
pub use authority::{NewReviewer, ReviewerChange};
pub use batch::{Plan, Planned};
pub use bulk::{BulkAction, BulkPlan, BulkReport, Refused};
pub use checks::Correction;
pub use flag_detail::{
    Comparison, Figure, FlagDetail, FlagEvent, FlagLocated, FlagStep, LinkedRows, Opener,
    PeerStats, PeersFigures,
};
pub use locate::{Locator, RecordLocated};
pub use messages::{action_noun, action_noun_zh, short_time};
pub use objects::{ChildRow, ChildRows};
pub use selective::batch_of;
pub use stats::{RegionStats, ReviewerStats, RuleStats, Stats, Tally};
pub use witness::Witnessed;
pub use workspace::{
    ActiveRules, CheckReport, FormCount, ImportLogEntry, ImportProgress, LoadReport, RuleSummary,
    RuntimeError, SAMPLE_DIR, Snapshot, Verification, Workspace,
};

pub use crate::interchange::{
    BatchRow, EncodingChoice, ExportOptions, ExportReport, Format, HeaderMap, Headers,
    ImportOptions, ImportReport, Only, OutEncoding, Output, What, read_batch,
};
pub use crate::report::{Lang as ReportLang, ReportFormat, ReportOptions};
pub use crate::rules::{DatasetRule, Scope};
pub use crate::store::{
    DatasetFigure, DatasetVerdicts, Direction, GroupVerdict, Impact, Progress, QueueFilter,
    QueueRow, RecheckReport, Standing,
};

/// A reviewer at work on one form of a workspace.
pub struct Session {
    ws: crate::store::Workspace,
    pub reviewer: Reviewer,
    /// The reviewer's unsealed key: every action of the session is signed with it. `None` for
    /// a session that only reads ([`Session::observe`]).
    signer: Option<Signer>,
    pub form: Form,
    rules: Vec<StoredRule>,
    /// The form's rules read for localisation, once, on the first record that needs it.
    locator: Option<std::rc::Rc<locate::Locator>>,
}

/// One field of a record, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldValue {
    pub field: Field,
    /// The value as text; empty for NULL.
    pub text: String,
    pub is_null: bool,
    /// The value as imported, when a correction stands (text; empty for NULL).
    pub original: Option<String>,
}

impl FieldValue {
    /// A record's values of `form`, in field order, each with its value as imported when a
    /// correction stands (`originals`: field name and that value).
    fn all(
        form: &Form,
        values: Vec<crate::domain::Datum>,
        originals: &[(String, crate::domain::Datum)],
    ) -> Vec<FieldValue> {
        form.fields
            .iter()
            .zip(values)
            .map(|(field, v)| FieldValue {
                field: field.clone(),
                is_null: v.is_null(),
                text: v.display(),
                original: originals
                    .iter()
                    .find(|(name, _)| *name == field.name)
                    .map(|(_, o)| o.display()),
            })
            .collect()
    }
}

/// A record with its values, flags and place in the lifecycle.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordDetail {
    pub record: i64,
    pub key: String,
    pub values: Vec<FieldValue>,
    pub flags: Vec<FlagLine>,
    pub status: RecordStatus,
    /// Another reviewer working on the record now.
    pub claimed_by: Option<Claim>,
    /// Its scores (selective review).
    pub scores: Vec<RecordScore>,
    /// The corrections fix rules propose for it.
    pub proposals: Vec<Proposal>,
    /// Which fields to change so that its linear rules can all hold (when it fails one).
    pub located: Option<Localisation>,
    /// Per child form, the rows of its census object beneath it (none for a form without
    /// child forms).
    pub children: Vec<ChildRows>,
}

impl RecordDetail {
    /// The open flags that name `field`.
    pub fn flags_on<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a FlagLine> + 'a {
        self.flags
            .iter()
            .filter(move |f| f.is_open() && f.fields.iter().any(|n| n == field))
    }
}

/// A region a reviewer named, resolved to a code prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionChoice {
    pub prefix: String,
    pub label: String,
}

impl Session {
    /// Opens a session for a registered reviewer on `form` (or the workspace's first form),
    /// unsealing their signing key with `passphrase`: a wrong passphrase opens nothing.
    pub fn open(
        path: &Path,
        reviewer: &str,
        passphrase: &str,
        form: Option<&str>,
    ) -> Result<Session> {
        let mut session = Session::observe(path, reviewer, form)?;
        let signer = authority::sign_in(&session.reviewer, passphrase)?;
        session.signer = Some(signer);
        session.ws.checkpoint_in_background()?;
        Ok(session)
    }

    /// Opens a session that reads as `reviewer` sees the workspace (their scope, their
    /// queue) but cannot act: every action is refused, as no key was unsealed.
    pub fn observe(path: &Path, reviewer: &str, form: Option<&str>) -> Result<Session> {
        let ws = crate::store::Workspace::open(path)?;
        let reviewer = ws.reviewer(reviewer)?.ok_or_else(|| {
            Error::declined(
                format!(
                    "there is no reviewer {reviewer} in {}; add one with `huishen reviewer add {} {reviewer} --role ROLE`",
                    path.display(),
                    path.display()
                ),
                format!(
                    "{} 中没有审核员 {reviewer}；请用 `huishen reviewer add {} {reviewer} --role ROLE` 添加",
                    path.display(),
                    path.display()
                ),
            )
        })?;
        let schema = ws.schema()?;
        let form = match form {
            Some(name) => schema
                .form(name)
                .cloned()
                .ok_or_else(|| Error::unknown_form(&schema, name))?,
            None => schema
                .forms
                .first()
                .cloned()
                .ok_or_else(|| Error::UnknownForm {
                    form: String::new(),
                    known: String::new(),
                })?,
        };
        let rules = ws
            .active_rules()?
            .map(|a| {
                a.rules
                    .iter()
                    .filter(|r| r.form == form.name)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Ok(Session {
            ws,
            reviewer,
            signer: None,
            form,
            rules,
            locator: None,
        })
    }

    /// The key the session's actions are signed with, or a refusal for a session that only
    /// reads. A free function, so that it borrows only the field.
    fn signed(signer: &Option<Signer>) -> Result<&Signer> {
        signer.as_ref().ok_or_else(|| {
            declined(
                "this session only reads: open it with the reviewer's passphrase to act",
                "此会话只读：输入审核员口令后才能操作",
            )
        })
    }

    /// The record of the session's form with this key.
    pub fn find(&mut self, key: &str) -> Result<Option<i64>> {
        let form = self.form.clone();
        self.ws.look()?.find(&form, key)
    }

    /// The workspace file.
    pub fn path(&self) -> &Path {
        self.ws.path()
    }

    /// The reviewer's work split as (kind, value) pairs; empty when nothing is assigned.
    pub fn assignments(&self) -> Result<Vec<(AssignmentKind, String)>> {
        Ok(self
            .ws
            .assignments(&self.reviewer.name)?
            .into_iter()
            .map(|a| (a.kind, a.value))
            .collect())
    }

    /// Common reasons for corrections, from the schema.
    pub fn reasons(&self) -> Result<Vec<Localized>> {
        Ok(self.ws.schema_cached()?.reasons.clone())
    }

    /// The label of field `name`, of this form or else of a form beneath it, for messages;
    /// the name itself when no form has it.
    pub fn label_of(&self, name: &str) -> Localized {
        self.field_named(name)
            .map_or_else(|| Localized::new(name, name), |f| f.label)
    }

    /// The field of this name: of the session's form, else of another form of the census
    /// object.
    pub fn field_named(&self, name: &str) -> Option<crate::domain::Field> {
        if let Some(f) = self.form.field(name) {
            return Some(f.clone());
        }
        let schema = self.ws.schema_cached().ok()?;
        schema.forms.iter().find_map(|f| f.field(name)).cloned()
    }

    /// The rules in force for this form.
    pub fn rules(&self) -> &[StoredRule] {
        &self.rules
    }

    pub fn window(
        &self,
        filter: &QueueFilter,
        anchor: Option<&QueueRow>,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<QueueRow>> {
        self.ws
            .queue_window(&self.form.name, filter, anchor, direction, limit)
    }

    /// A record's queue line as it stands now.
    pub fn queue_row(&self, record: i64) -> Result<Option<QueueRow>> {
        self.ws.queue_row(&self.form.name, record)
    }

    pub fn count(&self, filter: &QueueFilter) -> Result<u64> {
        self.ws.queue_count(&self.form.name, filter)
    }

    pub fn position(&self, filter: &QueueFilter, row: &QueueRow) -> Result<u64> {
        self.ws.queue_position(&self.form.name, filter, row)
    }

    /// Records that match the search `text` but are not in the queue, as no rule flagged
    /// them: how many (1,001 means more than 1,000) and the keys of the first `limit`.
    pub fn unflagged_matches(&self, text: &str, limit: usize) -> Result<(u64, Vec<String>)> {
        self.ws.unflagged_matches(&self.form.name, text, limit)
    }

    /// How far the review of the form has come.
    pub fn progress(&self) -> Result<crate::store::Progress> {
        self.ws.form_progress(&self.form.name)
    }

    pub fn data_version(&self) -> Result<i64> {
        self.ws.data_version()
    }

    /// A record with its values, flags and status.
    pub fn record(&mut self, record: i64) -> Result<Option<RecordDetail>> {
        let Some(values) = self.ws.record_values(&self.form.name, record)? else {
            return Ok(None);
        };
        let raw = values.clone();
        let flags = self.ws.record_flags(&self.form.name, record)?;
        let originals = self.ws.originals(&self.form.name, record)?;
        let status = self.status(record)?;
        let claimed_by = self
            .ws
            .claim_on(&self.form.name, record, &self.reviewer.name)?;
        let values = FieldValue::all(&self.form, values, &originals);
        let key = values
            .get(self.form.key_index())
            .map(|v| v.text.clone())
            .unwrap_or_default();
        let (scores, proposals) = {
            let work = self.ws.look()?;
            (
                work.scores(&self.form.name, record)?,
                work.proposals(&self.form, record)?,
            )
        };
        let children = match raw.get(self.form.key_index()) {
            Some(key) => self.children(key)?,
            None => Vec::new(),
        };
        let located = if flags.iter().any(|f| f.is_open()) {
            Some(self.locator()?.locate(&raw))
        } else {
            None
        };
        Ok(Some(RecordDetail {
            record,
            key,
            values,
            flags,
            status,
            claimed_by,
            scores,
            proposals,
            located,
            children,
        }))
    }

    /// Resolves what a reviewer typed as a region: a code (prefix) or the name of a
    /// prefecture or county (全称 or a part of it, e.g. 济南 or 历下).
    pub fn resolve_region(&self, typed: &str) -> Option<RegionChoice> {
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        if typed.chars().all(|c| c.is_ascii_digit()) {
            let label = reference::divisions()
                .find(|d| d.code.starts_with(typed) && d.level != "township")
                .map_or(typed.to_string(), |d| format!("{typed} {}", d.name));
            return Some(RegionChoice {
                prefix: typed.to_string(),
                label,
            });
        }
        let found = reference::divisions()
            .filter(|d| d.level == "prefecture" || d.level == "county")
            .find(|d| d.name.contains(typed))?;
        let prefix = if found.level == "prefecture" {
            found.code[..4].to_string()
        } else {
            found.code.to_string()
        };
        Some(RegionChoice {
            prefix,
            label: found.name.to_string(),
        })
    }

    /// The name of a division code, for the queue's county column.
    pub fn region_name(code: &str) -> Option<&'static str> {
        reference::division(code).map(|d| d.name)
    }

    /// Whether a division code belongs to another province than the reference tables'.
    pub fn region_outside(code: &str) -> bool {
        reference::outside_province(code)
    }
}
