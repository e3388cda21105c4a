//! The library's error type. Every message says what went wrong, where, and what to do; none
//! is a raw SQLite message.

use std::path::PathBuf;

use crate::domain::SchemaError;
mod import;
mod import_zh;
mod zh;

use crate::rules::RuleFileError;
pub use import::{HeaderProblem, ImportError, RowProblem, column_name};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Schema(#[from] SchemaError),

    #[error("cannot read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },

    #[error("cannot write {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },

    #[error(
        "{} already exists; a new workspace never overwrites a file. \
         Choose another path, or remove the file if you mean to start over",
        path.display()
    )]
    WorkspaceExists { path: PathBuf },

    #[error(
        "there is no workspace at {0}; create one with `huishen init {0} --schema FILE`",
        path.display()
    )]
    NoWorkspace { path: PathBuf },

    #[error(
        "{} is a folder, not a workspace; give the path of the workspace file{}",
        path.display(),
        if inside.is_empty() {
            String::new()
        } else {
            format!(" (in it: {})", inside.join(", "))
        }
    )]
    Folder { path: PathBuf, inside: Vec<String> },

    #[error(
        "{} is not a huishen workspace ({detail}); nothing was changed. \
         Check the path, or create a workspace with `huishen init`",
        path.display()
    )]
    NotAWorkspace { path: PathBuf, detail: String },

    #[error(
        "{} was written by a newer huishen (workspace format {found}; this huishen reads up \
         to {supported}); nothing was changed. Use a newer huishen",
        path.display()
    )]
    NewerWorkspace {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error(
        "{} is locked by another process that is writing to it (waited {waited_ms} ms); \
         nothing was changed. Try again when that work finishes",
        path.display()
    )]
    Locked { path: PathBuf, waited_ms: u64 },

    #[error(
        "{} is damaged ({detail}); nothing was changed. Restore it from a backup, or save \
         what can still be read with `sqlite3 {} .recover > recovered.sql`",
        place(path),
        path.as_ref().map_or_else(|| "WORKSPACE".into(), |p| p.display().to_string())
    )]
    Corrupt {
        path: Option<PathBuf>,
        detail: String,
    },

    #[error(
        "{} is read-only for this account, so {doing} was not possible; nothing was changed. \
         Ask whoever owns it for write access to the file and its folder (see “Sharing one \
         workspace between OS accounts” in the README), or work on a copy",
        place(path)
    )]
    ReadOnly {
        path: Option<PathBuf>,
        doing: String,
    },

    #[error(
        "the disk that holds {} is full, so {doing} was not possible; nothing was changed. \
         Free some space and try again",
        place(path)
    )]
    DiskFull {
        path: Option<PathBuf>,
        doing: String,
    },

    #[error(
        "{} holds text that is not valid UTF-8{}, found while {doing}: it was changed outside \
         huishen; nothing was changed. Restore it from a backup, or correct that value with the \
         sqlite3 CLI, and run `huishen verify`",
        place(path),
        cell.as_ref().map_or_else(String::new, |c| format!(" ({c})"))
    )]
    BadText {
        path: Option<PathBuf>,
        doing: String,
        /// The form, record and field, when found.
        cell: Option<String>,
    },

    #[error("the workspace has no form `{form}`; its forms are: {known}")]
    UnknownForm { form: String, known: String },

    #[error("form {form} has no field `{field}`")]
    UnknownField { form: String, field: String },

    #[error("form {form} has no record with key `{key}`")]
    UnknownRecord { form: String, key: String },

    #[error("{0}")]
    Import(Box<ImportError>),

    #[error("{0}")]
    Rules(RuleFileError),

    #[error(
        "the workspace has no rules yet; load a rule file with `huishen rules load WORKSPACE FILE`"
    )]
    NoRules,

    #[error("no rule {unknown} in the rules in force; they are: {known}")]
    UnknownRules { unknown: String, known: String },

    /// A rule was stopped: it ran past its budget or made a value larger than allowed.
    #[error("rule {} was stopped: it {}", .0.rule, .0.why.en)]
    OverBudget(OverBudget),

    /// The passphrase given does not unseal the reviewer's key: nothing was done.
    #[error("wrong passphrase for {reviewer}; nothing was done")]
    WrongPassphrase { reviewer: String },

    /// A reviewer action the workflow does not allow, said in both languages of the screen.
    #[error("{en}")]
    Declined { en: String, zh: String },

    /// Standard output's reader went away (`| head`) before everything was written; the
    /// command line ends quietly.
    #[error("standard output was closed before everything was written")]
    OutputClosed,

    #[error("{context}: {detail}")]
    Storage { context: String, detail: String },
}

/// The workspace as a message names it.
fn place(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map_or_else(|| "the workspace".into(), |p| p.display().to_string())
}

/// The English of a text said in both languages, for the JSON scripts read.
fn in_english<S: serde::Serializer>(
    text: &crate::domain::Localized,
    out: S,
) -> std::result::Result<S::Ok, S::Error> {
    out.serialize_str(&text.en)
}

/// A rule (or peers definition) stopped for running past its budget, or for making a value
/// larger than any rule may make.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OverBudget {
    /// The rule's id, or `peers NAME`.
    pub rule: String,
    /// What it did, as "ran for more than its budget of 300 ms", in both languages (scripts
    /// reading `check --json` get the English, as before: `why`).
    #[serde(serialize_with = "in_english")]
    pub why: crate::domain::Localized,
    /// The setting that raises the budget; empty when the limit is not a setting.
    pub setting: String,
}

impl Error {
    /// A refusal, said in both languages: what was refused, why, and what to do. The only way
    /// to refuse, so that no refusal reaches a reviewer in one language only.
    pub fn declined(en: impl Into<String>, zh: impl Into<String>) -> Error {
        Error::Declined {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The message in Chinese. Every variant has one; what comes from outside huishen (a
    /// system's reason a file cannot be read) is quoted as it came.
    pub fn in_chinese(&self) -> String {
        zh::say(self)
    }

    /// The message in Chinese when `chinese`, else in English.
    pub fn in_language(&self, chinese: bool) -> String {
        if chinese {
            self.in_chinese()
        } else {
            self.to_string()
        }
    }

    /// The error with the workspace named, when it was said without it.
    pub(crate) fn in_workspace(mut self, workspace: &std::path::Path) -> Error {
        if let Error::Corrupt { path, .. }
        | Error::ReadOnly { path, .. }
        | Error::DiskFull { path, .. }
        | Error::BadText { path, .. } = &mut self
        {
            path.get_or_insert_with(|| workspace.to_path_buf());
        }
        self
    }

    /// A form `schema` does not have, with the forms it does.
    pub fn unknown_form(schema: &crate::domain::Schema, form: &str) -> Error {
        Error::UnknownForm {
            form: form.to_string(),
            known: schema
                .forms
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl From<ImportError> for Error {
    fn from(err: ImportError) -> Error {
        Error::Import(Box::new(err))
    }
}
