//! Schema files: forms and their fields, read from TOML and checked before anything is stored.
//!
//! ```toml
//! [[form]]
//! name = "G101_1"
//! label = { zh = "工业企业基本情况", en = "Industrial enterprise basics" }
//! key = "record_id"
//! display = "unit_name"     # optional: the field the queue shows beside the key
//! region = "region_code"    # optional: the field holding the division code
//!
//! [[form.field]]
//! name = "so2_emit_t"
//! label = { zh = "二氧化硫排放量", en = "SO2 emitted" }
//! type = "real"             # text | integer | real | code | bool
//! unit = { zh = "吨", en = "t" }
//! required = true           # the column must be present in every import
//! aliases = ["二氧化硫排放总量"]  # other headers that name it (a unit in brackets may follow any)
//! reliability = 2.0         # how much the value is trusted (error localisation; default 1)
//!
//! null_values = ["NA", "—", "/", "无"]   # optional, per form or for all: cells that mean no value
//!
//! [[form]]                  # a child form: rows under a record of its parent form
//! name = "G103_1"
//! label = { zh = "锅炉", en = "Boilers" }
//! key = "boiler_id"         # unique over the whole form
//! parent = "G101_1"         # the parent form
//! parent_key = "record_id"  # the field of this form holding its parent's key
//! ```
//!
//! A census object is a record of a form without a parent and every row beneath it, at any
//! depth; cycles are refused.

use std::fmt;

use serde::Deserialize;

use super::text::Localized;

mod header;
pub use header::{HeaderMatch, nearest_field};
mod meaning;
pub use meaning::Names;
mod check;
mod owner;

pub use check::{Problem, RESERVED_TABLES, SchemaError, check_identifier};

/// The type of a field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Free text, stored as is.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number.
    Real,
    /// A code (division, industry, credit code): text whose leading zeros matter.
    Code,
    /// Yes or no: `1`/`0`, `true`/`false`, `yes`/`no`, `是`/`否`; stored as 1 or 0.
    Bool,
}

impl FieldType {
    pub const ALL: [FieldType; 5] = [
        FieldType::Text,
        FieldType::Integer,
        FieldType::Real,
        FieldType::Code,
        FieldType::Bool,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Real => "real",
            FieldType::Code => "code",
            FieldType::Bool => "bool",
        }
    }

    pub fn parse(name: &str) -> Option<FieldType> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One field (指标) of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub label: Localized,
    pub ty: FieldType,
    pub unit: Option<Localized>,
    pub required: bool,
    /// How much the value is trusted: error localisation changes the fields of least total
    /// reliability. Positive; 1 unless the schema says otherwise.
    pub reliability: f64,
    /// What the field's codes mean (`values = { "1" = { zh = "大型", en = "large" } }`).
    pub values: Vec<(String, Localized)>,
    /// The reference table that names the field's codes (`names = "division"`).
    pub names: Option<Names>,
    /// Other headers that name the field in an imported file (`aliases = ["行业类别代码"]`).
    pub aliases: Vec<String>,
}

/// One form (报表): a record type with a key field.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub name: String,
    pub label: Localized,
    pub key: String,
    pub display: Option<String>,
    pub region: Option<String>,
    pub fields: Vec<Field>,
    /// The form this one's rows belong to, when it is a child form.
    pub parent: Option<Parent>,
    /// Cell texts an import reads as no value (`null_values = ["NA", "—"]`).
    pub null_values: Vec<String>,
}

/// A child form's link to its parent form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    /// The parent form.
    pub form: String,
    /// The field of the child form that holds the parent record's key.
    pub key: String,
}

impl Form {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn key_index(&self) -> usize {
        self.fields
            .iter()
            .position(|f| f.name == self.key)
            .unwrap_or(0)
    }
}

/// A whole schema file: one or more forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub forms: Vec<Form>,
    /// Common reasons for corrections, offered as a pick list (the reviewer may also type one).
    pub reasons: Vec<Localized>,
    /// The sign-off policy a new workspace starts with.
    pub policy: Option<PolicySettings>,
}

/// `[policy]` in a schema file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    #[serde(default = "two")]
    pub signatures: i64,
    #[serde(default = "yes")]
    pub distinct_roles: bool,
    #[serde(default = "yes")]
    pub four_eyes: bool,
}

fn two() -> i64 {
    2
}

fn yes() -> bool {
    true
}

impl Schema {
    pub fn form(&self, name: &str) -> Option<&Form> {
        self.forms
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The forms whose parent is `form`, in schema order.
    pub fn children(&self, form: &str) -> Vec<&Form> {
        self.forms
            .iter()
            .filter(|f| {
                f.parent
                    .as_ref()
                    .is_some_and(|p| p.form.eq_ignore_ascii_case(form))
            })
            .collect()
    }

    /// The form of the census object a row of `form` belongs to: `form` itself when it has
    /// no parent, else its parent's, and so on up.
    pub fn root_of<'s>(&'s self, form: &'s Form) -> &'s Form {
        self.ancestry(form).last().map_or(form, |(_, _, up)| *up)
    }

    /// The way up from `form` to its census object's root: each step a form with the field
    /// that holds its parent's key, and that parent; empty for a form without a parent.
    pub fn ancestry<'s>(&'s self, form: &'s Form) -> Vec<(&'s Form, &'s str, &'s Form)> {
        let mut steps = Vec::new();
        let mut at = form;
        // The schema was checked free of cycles; the bound keeps a hand-made one finite.
        while steps.len() < self.forms.len() {
            let Some((link, up)) =
                (at.parent.as_ref()).and_then(|p| Some((p, self.form(&p.form)?)))
            else {
                break;
            };
            steps.push((at, link.key.as_str(), up));
            at = up;
        }
        steps
    }

    /// Parses and checks a schema file. `file` names the file in messages.
    pub fn parse(file: &str, source: &str) -> Result<Schema, SchemaError> {
        check::parse(file, source)
    }
}
