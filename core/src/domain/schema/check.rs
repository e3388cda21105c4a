//! Checking a schema file: its raw TOML shape, and every problem with its file:line:column.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::owner::text_owner;
use super::{Field, FieldType, Form, Parent, PolicySettings, Schema};
use crate::domain::text::{Localized, NEEDS_ZH_AND_EN, SourceLocation};

/// Parses and checks a schema file. `file` names the file in messages.
pub(super) fn parse(file: &str, source: &str) -> Result<Schema, SchemaError> {
    let raw: RawSchema = toml::from_str(source).map_err(|e| {
        let mut message = e.message().trim().to_string();
        if message.contains(NEEDS_ZH_AND_EN) {
            let at = e.span().map_or(0, |s| s.start);
            message = format!("{} {message}", text_owner(source, at));
        }
        SchemaError {
            problems: vec![Problem::at(file, source, e.span(), &message)],
        }
    })?;
    let mut check = Checker {
        file,
        source,
        problems: Vec::new(),
    };
    let schema = check.schema(raw);
    if check.problems.is_empty() {
        Ok(schema)
    } else {
        Err(SchemaError {
            problems: check.problems,
        })
    }
}

/// Names a workspace uses for its own tables; a form may not take them.
pub const RESERVED_TABLES: &[&str] = &[
    "workspace",
    "forms",
    "fields",
    "imports",
    "regions",
    "regions_retired",
    "industries",
    "rules",
    "rule_sets",
    "flags",
    "events",
    "reviewers",
    "signatures",
    "corrections",
    "notes",
    "claims",
    "assignments",
    "policy",
];

/// Everything wrong with a schema file, each with its place.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct SchemaError {
    pub problems: Vec<Problem>,
}

/// One problem in a schema file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub location: SourceLocation,
    pub message: String,
}

impl Problem {
    fn at(file: &str, source: &str, span: Option<Range<usize>>, message: &str) -> Problem {
        Problem {
            location: SourceLocation::from_offset(file, source, span.map_or(0, |s| s.start)),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    #[serde(default)]
    form: Vec<Spanned<RawForm>>,
    #[serde(default)]
    reasons: Vec<Localized>,
    policy: Option<Spanned<PolicySettings>>,
    /// Cell texts that mean no value, for every form that names none of its own.
    null_values: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    name: Spanned<String>,
    label: Localized,
    key: Option<Spanned<String>>,
    display: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    /// The parent form of a child form, and the field holding the parent's key.
    parent: Option<Spanned<String>>,
    parent_key: Option<Spanned<String>>,
    null_values: Option<Vec<String>>,
    #[serde(default)]
    field: Vec<RawField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: Spanned<String>,
    label: Spanned<Localized>,
    #[serde(rename = "type")]
    ty: FieldType,
    unit: Option<Localized>,
    #[serde(default)]
    required: bool,
    /// How much a value is trusted, for error localisation (default 1).
    reliability: Option<Spanned<f64>>,
    /// What its codes mean, code by code.
    #[serde(default)]
    values: std::collections::BTreeMap<String, Localized>,
    /// The reference table that names its codes: `division` or `industry`.
    names: Option<Spanned<String>>,
    /// Other headers that name it in an imported file.
    aliases: Option<Spanned<Vec<String>>>,
}

struct Checker<'a> {
    file: &'a str,
    source: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, span: Range<usize>, message: String) {
        self.problems
            .push(Problem::at(self.file, self.source, Some(span), &message));
    }

    fn schema(&mut self, raw: RawSchema) -> Schema {
        if raw.form.is_empty() {
            self.problem(
                0..0,
                "the schema defines no form: add a [[form]] table".into(),
            );
        }
        let mut forms: Vec<Form> = Vec::new();
        // Where each form names its parent, for the problems found once all forms are read.
        let mut parents: Vec<Option<Range<usize>>> = Vec::new();
        for raw_form in raw.form {
            let span = raw_form.span();
            let raw_form = raw_form.into_inner();
            parents.push(raw_form.parent.as_ref().map(|p| p.span()));
            let null_values = (raw_form.null_values.clone())
                .or_else(|| raw.null_values.clone())
                .unwrap_or_default();
            let mut form = self.form(raw_form, span);
            form.null_values = null_values.iter().map(|t| t.trim().to_string()).collect();
            if forms
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(&form.name))
            {
                let at = self.find(&form.name);
                self.problem(at, format!("form `{}` is defined twice", form.name));
            }
            forms.push(form);
        }
        self.parents(&forms, &parents);
        if let Some(p) = &raw.policy
            && p.get_ref().signatures < 1
        {
            // The line of `signatures = 0` itself, not the table's header.
            let table = p.span().start;
            let at = self.source[table..]
                .find("signatures")
                .map_or(table, |i| table + i);
            self.problem(at..at, "policy: `signatures` must be at least 1".into());
        }
        Schema {
            forms,
            reasons: raw.reasons,
            policy: raw.policy.map(|p| p.into_inner()),
        }
    }

    /// Each child form's parent: a form of the file, not the form itself, whose key has the
    /// type of the child's `parent_key`, and no chain of parents that comes back to a form.
    fn parents(&mut self, forms: &[Form], spans: &[Option<Range<usize>>]) {
        for (form, span) in forms.iter().zip(spans) {
            let (Some(link), Some(span)) = (&form.parent, span) else {
                continue;
            };
            let Some(parent) = forms
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(&link.form))
            else {
                let known: Vec<&str> = forms.iter().map(|f| f.name.as_str()).collect();
                self.problem(
                    span.clone(),
                    format!(
                        "form `{}`: parent `{}` is not a form of this file (its forms: {})",
                        form.name,
                        link.form,
                        known.join(", ")
                    ),
                );
                continue;
            };
            if parent.name == form.name {
                self.problem(
                    span.clone(),
                    format!("form `{}` names itself as its parent", form.name),
                );
                continue;
            }
            let (Some(theirs), Some(ours)) = (parent.field(&parent.key), form.field(&link.key))
            else {
                continue;
            };
            let kind = |t: FieldType| {
                if t == FieldType::Integer {
                    "integer"
                } else {
                    "text"
                }
            };
            if kind(theirs.ty) != kind(ours.ty) {
                self.problem(
                    span.clone(),
                    format!(
                        "form `{}`: parent_key `{}` has type {}, but the key `{}` of `{}` has \
                         type {}; give them the same type",
                        form.name, ours.name, ours.ty, theirs.name, parent.name, theirs.ty
                    ),
                );
            }
        }
        // A cycle: following parents from a form comes back to it.
        for (form, span) in forms.iter().zip(spans) {
            let Some(span) = span else { continue };
            let mut path = vec![form.name.as_str()];
            let mut at = form;
            while let Some(up) = at
                .parent
                .as_ref()
                .and_then(|p| forms.iter().find(|f| f.name.eq_ignore_ascii_case(&p.form)))
            {
                if up.name == at.name {
                    break;
                }
                path.push(up.name.as_str());
                if up.name == form.name {
                    self.problem(
                        span.clone(),
                        format!(
                            "form `{}`: its parents go round in a circle ({}); a census \
                             object's forms must end at a form without a parent",
                            form.name,
                            path.join(" → ")
                        ),
                    );
                    break;
                }
                if path.len() > forms.len() {
                    break;
                }
                at = up;
            }
        }
    }

    /// The span of the first quoted occurrence of `text`, for problems found after parsing.
    fn find(&self, text: &str) -> Range<usize> {
        let quoted = format!("\"{text}\"");
        let start = self.source.rfind(&quoted).map_or(0, |i| i + 1);
        start..start
    }

    fn form(&mut self, raw: RawForm, span: Range<usize>) -> Form {
        let name = raw.name.get_ref().clone();
        if let Err(why) = check_identifier(&name) {
            self.problem(raw.name.span(), format!("form name `{name}` {why}"));
        } else if RESERVED_TABLES
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&name))
            || name.to_ascii_lowercase().starts_with("sqlite_")
        {
            self.problem(
                raw.name.span(),
                format!("form name `{name}` is reserved for huishen's own tables; choose another"),
            );
        }
        if raw.field.is_empty() {
            self.problem(
                span.clone(),
                format!("form `{name}` has no fields: add [[form.field]] tables"),
            );
        }
        let mut fields: Vec<Field> = Vec::new();
        for raw_field in raw.field {
            self.field(&name, &fields, &raw_field);
            fields.push(Field {
                name: raw_field.name.get_ref().clone(),
                label: raw_field.label.get_ref().clone(),
                ty: raw_field.ty,
                unit: raw_field.unit,
                required: raw_field.required,
                reliability: raw_field.reliability.as_ref().map_or(1.0, |r| *r.get_ref()),
                values: (raw_field.values.iter())
                    .map(|(code, label)| (code.clone(), label.clone()))
                    .collect(),
                names: raw_field
                    .names
                    .as_ref()
                    .and_then(|n| super::Names::parse(n.get_ref())),
                aliases: (raw_field.aliases.iter())
                    .flat_map(|a| a.get_ref().iter().map(|a| a.trim().to_string()))
                    .collect(),
            });
        }
        let form = Form {
            name,
            label: raw.label,
            key: raw
                .key
                .as_ref()
                .map(|k| k.get_ref().clone())
                .unwrap_or_default(),
            display: raw.display.as_ref().map(|d| d.get_ref().clone()),
            region: raw.region.as_ref().map(|r| r.get_ref().clone()),
            fields,
            parent: None,
            null_values: Vec::new(),
        };
        let form = self.parent_link(form, (&raw.parent, &raw.parent_key));
        let Some(raw_key) = &raw.key else {
            self.problem(
                raw.name.span(),
                format!(
                    "form `{}` has no `key`: add key = \"FIELD\", the field whose value is \
                     unique per record",
                    form.name
                ),
            );
            return form;
        };
        self.reference(&form, "key", raw_key);
        if let Some(key) = form.field(&form.key)
            && !matches!(
                key.ty,
                FieldType::Text | FieldType::Code | FieldType::Integer
            )
        {
            self.problem(
                raw_key.span(),
                format!(
                    "key field `{}` has type {}; a key must be text, code or integer",
                    key.name, key.ty
                ),
            );
        }
        for (what, spanned) in [("display", &raw.display), ("region", &raw.region)] {
            if let Some(spanned) = spanned {
                self.reference(&form, what, spanned);
            }
        }
        form
    }

    /// A child form's `parent` and `parent_key`, which go together; the key must be a field.
    fn parent_link(
        &mut self,
        mut form: Form,
        link: (&Option<Spanned<String>>, &Option<Spanned<String>>),
    ) -> Form {
        match link {
            (None, None) => {}
            (Some(parent), None) => self.problem(
                parent.span(),
                format!(
                    "form `{}` names a parent but no `parent_key`: add parent_key = \"FIELD\", \
                     the field of `{}` holding the key of its `{}` record",
                    form.name,
                    form.name,
                    parent.get_ref()
                ),
            ),
            (None, Some(key)) => self.problem(
                key.span(),
                format!(
                    "form `{}` has a `parent_key` but no `parent`: add parent = \"FORM\"",
                    form.name
                ),
            ),
            (Some(parent), Some(key)) => {
                self.reference(&form, "parent_key", key);
                // Without the column a file's rows belong to no record: refused at its header.
                if form.field(key.get_ref()).is_some_and(|f| !f.required) {
                    self.problem(
                        key.span(),
                        format!(
                            "form `{}`: parent_key `{}` must be `required = true`: a row of `{}` \
                             belongs to a record of `{}` by it",
                            form.name,
                            key.get_ref(),
                            form.name,
                            parent.get_ref()
                        ),
                    );
                }
                if key.get_ref().eq_ignore_ascii_case(&form.key) {
                    self.problem(
                        key.span(),
                        format!(
                            "form `{}`: parent_key `{}` is its own key; a child row needs a key \
                             of its own (a boiler number, say) beside its parent's",
                            form.name,
                            key.get_ref()
                        ),
                    );
                }
                form.parent = Some(Parent {
                    form: parent.get_ref().clone(),
                    key: form
                        .field(key.get_ref())
                        .map_or_else(|| key.get_ref().clone(), |f| f.name.clone()),
                });
            }
        }
        form
    }

    fn reference(&mut self, form: &Form, what: &str, spanned: &Spanned<String>) {
        if form.field(spanned.get_ref()).is_none() && !form.fields.is_empty() {
            self.problem(
                spanned.span(),
                format!(
                    "{what} `{}` is not a field of form `{}`",
                    spanned.get_ref(),
                    form.name
                ),
            );
        }
    }

    fn field(&mut self, form: &str, earlier: &[Field], raw: &RawField) {
        let name = raw.name.get_ref();
        if let Err(why) = check_identifier(name) {
            self.problem(raw.name.span(), format!("field name `{name}` {why}"));
        }
        if let Some(first) = earlier.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
            self.problem(
                raw.name.span(),
                format!(
                    "field `{name}` is defined twice in form `{form}` (first as `{}`); field names must be unique, ignoring case",
                    first.name
                ),
            );
        }
        if let Some(names) = &raw.names
            && super::Names::parse(names.get_ref()).is_none()
        {
            self.problem(
                names.span(),
                format!(
                    "field `{name}`: `names = \"{}\"` is not a reference table; name a field's \
                     codes from \"division\" (GB/T 2260) or \"industry\" (GB/T 4754-2017)",
                    names.get_ref()
                ),
            );
        }
        if let Some(r) = &raw.reliability
            && !(r.get_ref().is_finite() && *r.get_ref() > 0.0)
        {
            self.problem(
                r.span(),
                format!("field `{name}`: `reliability` must be a number greater than 0"),
            );
        }
        let label = raw.label.get_ref();
        for text in [&label.zh, &label.en] {
            if text.trim().is_empty() {
                self.problem(
                    raw.label.span(),
                    format!("field `{name}` has an empty label"),
                );
            } else if let Some(other) = earlier.iter().find(|f| f.names_header(text)) {
                self.problem(
                    raw.label.span(),
                    format!(
                        "label \"{text}\" of field `{name}` is also a name or label of field `{}`: a CSV header must name one field",
                        other.name
                    ),
                );
            }
        }
        if let Some(aliases) = &raw.aliases {
            for alias in aliases.get_ref() {
                let clash = earlier.iter().find(|f| f.names_header(alias));
                let own = alias.eq_ignore_ascii_case(name) || *alias == label.zh;
                if alias.trim().is_empty() {
                    self.problem(aliases.span(), format!("field `{name}` has an empty alias"));
                } else if let Some(other) = clash {
                    self.problem(
                        aliases.span(),
                        format!(
                            "alias \"{alias}\" of field `{name}` is also a name, label or alias of field `{}`: a header must name one field",
                            other.name
                        ),
                    );
                } else if own {
                    self.problem(
                        aliases.span(),
                        format!(
                            "alias \"{alias}\" of field `{name}` is its own name or label already"
                        ),
                    );
                }
            }
        }
    }
}

/// Field and form names are used in SQL rules, so they must be plain identifiers.
pub fn check_identifier(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err("is empty".into());
    };
    if !first.is_ascii_alphabetic() {
        return Err("must start with an ASCII letter".into());
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(format!(
            "contains `{bad}`; use only ASCII letters, digits and `_`"
        ));
    }
    if name.len() > 64 {
        return Err("is longer than 64 characters".into());
    }
    if crate::domain::keywords::is_sql_keyword(name) {
        return Err("is an SQL keyword; rules could not name it plainly".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_field(field: &str) -> String {
        format!(
            "[[form]]\nname = \"F\"\nlabel = {{ zh = \"表\", en = \"Form\" }}\nkey = \"id\"\n\n\
             [[form.field]]\nname = \"id\"\nlabel = {{ zh = \"编号\", en = \"ID\" }}\ntype = \"text\"\n\n{field}"
        )
    }

    #[test]
    fn the_sample_schema_parses() {
        let source = include_str!("../../../../sample-data/shandong-2017/schema.toml");
        let schema = Schema::parse("schema.toml", source).expect("sample schema");
        let form = schema.form("G101_1").expect("G101_1");
        // G101_1 and the rows beneath its records (G103_1 boilers, G102 outlets).
        let fields: usize = schema.forms.iter().map(|f| f.fields.len()).sum();
        assert_eq!(fields, source.matches("[[form.field]]").count());
        assert_eq!(form.fields.len(), 33);
        assert!(form.fields.len() > 30);
        assert_eq!(form.key, "record_id");
        assert_eq!(
            form.field("SO2_EMIT_T").map(|f| f.ty),
            Some(FieldType::Real)
        );
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = Schema::parse("s.toml", "[[form]]\nname = \"F\nkey = 1\n").unwrap_err();
        assert!(err.to_string().starts_with("s.toml:2:"), "{err}");
    }

    #[test]
    fn unknown_type_is_reported_where_it_stands() {
        let source = one_field(
            "[[form.field]]\nname = \"x\"\nlabel = { zh = \"甲\", en = \"X\" }\ntype = \"float\"\n",
        );
        let err = Schema::parse("s.toml", &source).unwrap_err().to_string();
        assert!(err.starts_with("s.toml:14:8:"), "{err}");
        assert!(err.contains("float") && err.contains("integer"), "{err}");
    }

    #[test]
    fn duplicate_and_invalid_names_are_all_listed() {
        let source = one_field(
            "[[form.field]]\nname = \"ID\"\nlabel = { zh = \"甲\", en = \"A\" }\ntype = \"text\"\n\n\
             [[form.field]]\nname = \"2x\"\nlabel = { zh = \"乙\", en = \"B\" }\ntype = \"text\"\n\n\
             [[form.field]]\nname = \"order\"\nlabel = { zh = \"丙\", en = \"C\" }\ntype = \"text\"\n",
        );
        let err = Schema::parse("s.toml", &source).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.problems.len(), 3, "{text}");
        assert!(
            text.contains("s.toml:12:8: field `ID` is defined twice"),
            "{text}"
        );
        assert!(
            text.contains("`2x` must start with an ASCII letter"),
            "{text}"
        );
        assert!(text.contains("`order` is an SQL keyword"), "{text}");
    }

    #[test]
    fn key_must_be_a_field() {
        let source = one_field("").replace("key = \"id\"", "key = \"nope\"");
        let err = Schema::parse("s.toml", &source).unwrap_err().to_string();
        assert!(
            err.contains("s.toml:4:7: key `nope` is not a field"),
            "{err}"
        );
    }
}
