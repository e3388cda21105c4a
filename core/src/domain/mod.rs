//! The nouns of review as plain types: no I/O, no screen, no SQL.

mod keywords;
mod review;
pub mod schema;
pub mod text;
pub mod uscc;
pub mod value;

pub use review::Severity;
pub use schema::{Field, FieldType, Form, Schema, SchemaError};
pub use text::{Localized, SourceLocation};
pub use value::Value;
