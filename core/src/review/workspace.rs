//! A workspace as its callers see it: create, open, import, load rules, check, verify, the
//! team and its policy, the work split, the figures, export and the report. Every command of
//! the command line is a thin call into one of these; a reviewer's work on records goes
//! through a [`Session`](super::Session).

use std::path::Path;

use crate::domain::{Assignment, AssignmentKind, Policy, Reviewer, Schema};
use crate::error::{Error, Result};
use crate::seal::Signer;

use super::authority::{self, NewReviewer};
use crate::interchange::{self, ExportOptions, ExportReport, ImportOptions, ImportReport, Output};
use crate::report::{self, ReportOptions};
use crate::rules::RuleSet;
use crate::store;

pub use crate::interchange::Progress as ImportProgress;
pub use crate::store::{
    ActiveRules, CheckReport, FormCount, ImportLogEntry, LoadReport, RuleSummary, RuntimeError,
    Verification,
};

/// An open workspace.
pub struct Workspace {
    pub(crate) store: store::Workspace,
}

/// Removes a workspace file and its WAL companions.
fn remove_workspace(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// Reads a text file the caller named, saying which file could not be read.
fn read_text(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.into(),
        reason: format!("{what}: {}", e.kind()),
    })
}

/// Where the sample the demo is built from stands in huishen's source tree.
pub const SAMPLE_DIR: &str = "sample-data/shandong-2017";

impl Workspace {
    /// Creates a new workspace at `path` from a schema file, with `root` as its first
    /// administrator (the root of its keys), signed in. The file appears complete or not at
    /// all; an existing file is never overwritten.
    pub fn create(
        path: &Path,
        schema_file: &Path,
        root: &NewReviewer<'_>,
    ) -> Result<(Workspace, Signer)> {
        let source = read_text(schema_file, "the schema file")?;
        let name = schema_file.display().to_string();
        Workspace::create_from(path, &name, &source, root)
    }

    /// Creates a new workspace at `path` from a schema's text (`name` says where it came from).
    pub fn create_from(
        path: &Path,
        name: &str,
        source: &str,
        root: &NewReviewer<'_>,
    ) -> Result<(Workspace, Signer)> {
        let schema = Schema::parse(name, source)?;
        let (reviewer, signer) = authority::root(root)?;
        let store = store::Workspace::create(path, &schema, name, source, &reviewer, &signer)?;
        Ok((Workspace { store }, signer))
    }

    /// The fingerprint of the workspace's root key (its first administrator's, or the key
    /// of the upgrade that attested an older trail): the same on every paper copy.
    pub fn root_fingerprint(&self) -> Result<Option<String>> {
        self.store.root_fingerprint()
    }

    /// Creates a new workspace from a schema file and, when given, loads a rule file into it.
    /// The rule file is read first, and a rule set that does not load leaves no workspace.
    pub fn init(
        path: &Path,
        schema_file: &Path,
        rules: Option<&Path>,
        root: &NewReviewer<'_>,
    ) -> Result<(Workspace, Signer, Option<LoadReport>)> {
        let rules = rules.map(Workspace::parse_rules).transpose()?;
        let (mut ws, signer) = Workspace::create(path, schema_file, root)?;
        let Some((name, source, set)) = rules else {
            return Ok((ws, signer, None));
        };
        match ws.load_rules_from(&name, &source, &set, &signer) {
            Ok(report) => Ok((ws, signer, Some(report))),
            Err(e) => {
                drop(ws);
                remove_workspace(path);
                Err(e)
            }
        }
    }

    /// Builds the sample workspace at `path` (a new file) and writes nothing else: the
    /// Shandong sample's schema, its records and the rows beneath them (boilers, wastewater
    /// outlets) and the census rules, all embedded in the binary (the files are in the
    /// source tree under [`SAMPLE_DIR`], whose names the workspace records), and the sample
    /// team ([`crate::sample::TEAM`]), its leader ([`crate::sample::LEADER`]) the
    /// administrator, signed in. The imports are returned in the order they were made,
    /// G101_1 first, each with the file it names.
    #[allow(clippy::type_complexity)]
    pub fn demo(
        path: &Path,
    ) -> Result<(
        Workspace,
        Signer,
        Vec<(std::path::PathBuf, ImportReport)>,
        LoadReport,
    )> {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder).map_err(|e| Error::Write {
            path: folder.into(),
            reason: format!("cannot create the folder: {}", e.kind()),
        })?;
        // The records are read from files, so they go to a private folder that is removed
        // when the demo is built.
        let scratch = tempfile::tempdir().map_err(|e| Error::Write {
            path: std::env::temp_dir(),
            reason: format!("cannot create a folder: {}", e.kind()),
        })?;
        let write = |name: &str, bytes: &[u8]| -> Result<std::path::PathBuf> {
            let file = scratch.path().join(name);
            std::fs::write(&file, bytes).map_err(|e| Error::Write {
                path: file.clone(),
                reason: e.kind().to_string(),
            })?;
            Ok(file)
        };
        let named = |name: &str| format!("{SAMPLE_DIR}/{name}");
        let leader = |(name, ..): &&(&str, &str, &str, &str)| *name == crate::sample::LEADER;
        let (name, role, scope, passphrase) = crate::sample::TEAM
            .iter()
            .find(leader)
            .copied()
            .unwrap_or(crate::sample::TEAM[0]);
        let root = NewReviewer {
            name,
            role,
            scope,
            admin: true,
            passphrase,
        };
        let schema = crate::sample::SCHEMA_TOML;
        let (mut ws, by) = Workspace::create_from(path, &named("schema.toml"), schema, &root)?;
        for (name, role, scope, passphrase) in crate::sample::TEAM.iter().filter(|m| !leader(m)) {
            let member = NewReviewer {
                name,
                role,
                scope,
                admin: false,
                passphrase,
            };
            ws.add_reviewer(&member, &by)?;
        }
        let files = std::iter::once(("G101_1", "g101_1.csv", crate::sample::RECORDS_CSV))
            .chain(crate::sample::CHILD_FILES);
        let mut imported = Vec::new();
        for (form, file, bytes) in files {
            let name = named(file);
            let options = ImportOptions {
                name: Some(&name),
                ..ImportOptions::new(form, &by)
            };
            let report = ws.import_csv(&write(file, bytes)?, &options, &mut |_| {})?;
            imported.push((std::path::PathBuf::from(name), report));
        }
        let rules = crate::sample::RULES_TOML;
        let set = RuleSet::parse(&named("rules.toml"), rules).map_err(Error::Rules)?;
        let loaded = ws.load_rules_from(&named("rules.toml"), rules, &set, &by)?;
        Ok((ws, by, imported, loaded))
    }

    /// Lets the workspace file's group read and write it (and its WAL and SHM files), for a
    /// session shared by several OS accounts of one group.
    pub fn share_with_group(&self) -> Result<()> {
        self.store.share_with_group()
    }

    /// Opens an existing workspace, bringing an older format up to date.
    pub fn open(path: &Path) -> Result<Workspace> {
        Ok(Workspace {
            store: store::Workspace::open(path)?,
        })
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn schema(&self) -> Result<Schema> {
        self.store.schema()
    }

    /// The records in each form.
    pub fn form_counts(&self) -> Result<Vec<FormCount>> {
        self.store.form_counts()
    }

    /// The import log, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportLogEntry>> {
        self.store.imports()
    }

    /// (divisions, retired division codes, industries) in the reference tables.
    pub fn reference_counts(&self) -> Result<(u64, u64, u64)> {
        self.store.reference_counts()
    }

    /// Reads a `--map` file of headers and the fields of `form` they hold.
    pub fn header_map(&self, file: &Path, form: &str) -> Result<interchange::HeaderMap> {
        let schema = self.store.schema()?;
        let form = (schema.form(form)).ok_or_else(|| Error::unknown_form(&schema, form))?;
        interchange::HeaderMap::read(file, form)
    }

    /// Imports a CSV file or a workbook's sheet into a form: all or nothing, or with the bad
    /// rows set aside.
    pub fn import_csv(
        &mut self,
        file: &Path,
        options: &ImportOptions<'_>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        self.authorised(options.by, ("import records", "导入记录"))?;
        let imported = interchange::import_csv(&mut self.store, file, options, progress);
        imported.map_err(|e| self.store.locate(e))
    }

    /// Reads a rule file without loading it: every problem with file:line:column.
    pub fn parse_rules(file: &Path) -> Result<(String, String, RuleSet)> {
        let source = read_text(file, "the rule file")?;
        let name = file.display().to_string();
        let set = RuleSet::parse(&name, &source).map_err(Error::Rules)?;
        Ok((name, source, set))
    }

    /// Loads a rule file as the rules in force (nothing changes when it is loaded already).
    pub fn load_rules(&mut self, file: &Path, by: &Signer) -> Result<LoadReport> {
        let (name, source, set) = Workspace::parse_rules(file)?;
        self.load_rules_from(&name, &source, &set, by)
    }

    /// Loads rules already read (`name` says where they came from).
    pub fn load_rules_from(
        &mut self,
        name: &str,
        source: &str,
        set: &RuleSet,
        by: &Signer,
    ) -> Result<LoadReport> {
        self.authorised(by, ("load rules", "载入规则"))?;
        let loaded = self.store.load_rules(set, name, source, by);
        loaded.map_err(|e| self.store.locate(e))
    }

    /// The rules in force, or `Error::NoRules`.
    pub fn rules(&self) -> Result<std::rc::Rc<ActiveRules>> {
        self.store.active_rules()?.ok_or(Error::NoRules)
    }

    /// Runs the rules in force (or only those named) over every record and keeps the flags.
    /// `progress` hears (rules done, rules in all, the rule now running; empty at the end).
    pub fn check(
        &mut self,
        only: &[String],
        by: &Signer,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<CheckReport> {
        self.authorised(by, ("run a full check", "运行全面核查"))?;
        let checked = self.store.check(only, by, progress);
        checked.map_err(|e| self.store.locate(e))
    }

    /// Scores the groups edits left due (see [`Session::refresh_due`]); returns how many
    /// were settled.
    pub fn refresh_due(&self) -> Result<u64> {
        self.store.refresh_due()
    }

    /// Checks every page of the file, the audit trail and every standing signature, all as of
    /// one moment (one read transaction, which never takes the write lock). A damaged file is
    /// [`Error::Corrupt`]: it could not be checked; a verification that is not
    /// [`ok`](Verification::ok) means the file was changed outside huishen.
    pub fn verify(&self) -> Result<Verification> {
        self.store
            .verify(&[], false)
            .map_err(|e| self.store.locate(e))
    }

    /// [`Workspace::verify`], and every rule run again in the same snapshot (writing nothing):
    /// the open flags and the peers figures must be what the rules give now.
    pub fn verify_deep(&self) -> Result<Verification> {
        self.store
            .verify(&[], true)
            .map_err(|e| self.store.locate(e))
    }

    pub fn reviewers(&self) -> Result<Vec<Reviewer>> {
        self.store.reviewers()
    }

    pub fn policy(&self) -> Result<Policy> {
        self.store.policy()
    }

    /// Sets the sign-off policy, refusing one that could never be met.
    pub fn set_policy(&mut self, policy: Policy, by: &Signer) -> Result<()> {
        self.authorised(by, ("change the policy", "更改签核规则"))?;
        if policy.claim_minutes < 1 {
            return Err(Error::declined(
                "a claim lasts at least one minute",
                "认领时长至少为一分钟",
            ));
        }
        if policy.signatures_required < 1 {
            return Err(Error::declined(
                "a record needs at least one signature",
                "每条记录至少需要一个签字",
            ));
        }
        let set = self.store.set_policy(policy, by);
        set.map_err(|e| self.store.locate(e))
    }

    /// Splits the work: gives `reviewer` regions (code prefixes), rules and forms, after
    /// `clear` drops what they had. Anything unknown refuses the whole change.
    pub fn assign(
        &mut self,
        reviewer: &str,
        regions: &[String],
        rules: &[String],
        forms: &[String],
        clear: bool,
        by: &Signer,
    ) -> Result<Vec<Assignment>> {
        self.authorised(by, ("split the work", "分配工作"))?;
        for r in regions {
            if r.is_empty() || !r.chars().all(|c| c.is_ascii_digit()) {
                return Err(Error::declined(
                    format!(
                        "`{r}` is not a division-code prefix (digits, e.g. 3703); nothing was changed"
                    ),
                    format!("`{r}` 不是区划代码前缀（应为数字，如 3703），未作任何改动"),
                ));
            }
        }
        if let Some(active) = self.store.active_rules()? {
            if let Some(id) = rules
                .iter()
                .find(|id| !active.rules.iter().any(|r| &r.id == *id))
            {
                return Err(Error::declined(
                    format!("there is no rule {id} in the rules in force; nothing was changed"),
                    format!("现行规则中没有规则 {id}，未作任何改动"),
                ));
            }
        }
        let schema = self.store.schema()?;
        if let Some(f) = forms.iter().find(|f| schema.form(f).is_none()) {
            return Err(Error::declined(
                format!("there is no form {f}; nothing was changed"),
                format!("没有报表 {f}，未作任何改动"),
            ));
        }
        let add: Vec<(AssignmentKind, String)> = regions
            .iter()
            .map(|v| (AssignmentKind::Region, v.clone()))
            .chain(rules.iter().map(|v| (AssignmentKind::Rule, v.clone())))
            .chain(forms.iter().map(|v| (AssignmentKind::Form, v.clone())))
            .collect();
        let assigned = self.store.assign(reviewer, &add, clear, by);
        assigned.map_err(|e| self.store.locate(e))?;
        self.store.assignments(reviewer)
    }

    /// The figures of `form` (the first form when `None`) with "today" starting at `since`
    /// (read in huishen's zone unless it gives its offset), or at the start of today in
    /// huishen's zone.
    pub fn figures(&self, form: Option<&str>, since: Option<&str>) -> Result<super::Stats> {
        let schema = self.store.schema_cached()?;
        let form = match form {
            Some(name) => schema
                .form(name)
                .ok_or_else(|| Error::unknown_form(schema, name))?,
            None => schema
                .forms
                .first()
                .ok_or_else(|| Error::unknown_form(schema, ""))?,
        };
        let since = super::stats::today_from(since)?;
        self.store.stats(&form.name, Some(&since))
    }

    /// A consistent read of the whole workspace: what it held when the snapshot began,
    /// whatever others write meanwhile.
    pub fn snapshot(&mut self) -> Result<Snapshot<'_>> {
        Ok(Snapshot {
            inner: self.store.snapshot()?,
        })
    }

    /// Exports data, the change log, flags, signatures or notes, from one read snapshot.
    pub fn export(&mut self, options: &ExportOptions, out: &mut Output) -> Result<ExportReport> {
        // Scores edits left due are computed first, so that the export shows them current.
        if options.with_scores && self.store.due()? > 0 {
            self.store.refresh_due()?;
        }
        let exported = self.snapshot().and_then(|s| s.export(options, out));
        exported.map_err(|e| self.store.locate(e))
    }

    /// Renders the review report, from one read snapshot.
    pub fn report(&mut self, options: &ReportOptions) -> Result<String> {
        let rendered = self.snapshot().and_then(|s| s.report(options));
        rendered.map_err(|e| self.store.locate(e))
    }
}

/// A read of a workspace in one transaction (see [`Workspace::snapshot`]).
pub struct Snapshot<'w> {
    inner: store::Snapshot<'w>,
}

impl Snapshot<'_> {
    /// Exports data, the change log, flags, signatures or notes.
    pub fn export(&self, options: &ExportOptions, out: &mut Output) -> Result<ExportReport> {
        interchange::export(&self.inner, options, out)
    }

    /// Renders the review report.
    pub fn report(&self, options: &ReportOptions) -> Result<String> {
        report::render(&self.inner, options)
    }
}
