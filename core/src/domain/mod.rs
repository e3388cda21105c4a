//! The nouns of review as plain types: no I/O, no screen, no SQL.

mod event;
mod flag;
mod keywords;
pub mod schema;
mod selective;
mod team;
pub mod text;
pub mod time;
pub mod uscc;
pub mod value;
mod words;

pub use event::{EventKind, EventLine, RecordState, Signature};
pub use flag::{FlagLine, FlagState, OpenFlag, Outcome, Severity};
pub use schema::{
    Field, FieldType, Form, HeaderMatch, Names, Parent, Schema, SchemaError, nearest_field,
};
pub use selective::{Localisation, Located, Proposal, ProposedChange, RecordScore};
pub use team::{Assignment, AssignmentKind, Claim, Policy, Reviewer, fingerprint};
pub use text::{Localized, SourceLocation};
pub use value::{Datum, Value};
