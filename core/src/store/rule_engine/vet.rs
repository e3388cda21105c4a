//! Vetting a rule file before anything of it is stored: every rule and peers definition is
//! prepared inside the sandbox with the parameters bound. A rule that does not parse, names an
//! unknown form, field, function or parameter, or would do anything but read, is a problem
//! with the rule's id and place. A rule that passes becomes a [`StoredRule`], with the fields
//! it reads and how far it reaches.

use rusqlite::Connection;

use super::depends::reads_rows_of;
use super::functions;
use super::sandbox::{Access, Refusal, Sandbox};
use super::selective::{fix_sql, score_sql};
use super::vocabulary::{
    Reach, StoredRule, bind_params, mentions, over_the_record, plain_expression, verdict_sql,
};
use crate::domain::FieldType;
use crate::domain::schema::Problem;
use crate::domain::{Form, Schema, SourceLocation};
use crate::rules::{DatasetRule, Fix, Peers, Rule, RuleFileError, RuleSet, Scope, Score};
use crate::store::forms::quote;

/// Vets every peers definition and rule of `set`: the rules as they will be stored, or every
/// problem found.
pub(super) fn vet(
    conn: &Connection,
    sandbox: &Sandbox,
    schema: &Schema,
    set: &RuleSet,
) -> Result<Vec<StoredRule>, RuleFileError> {
    let mut vet = Vet {
        conn,
        sandbox,
        schema,
        set,
        problems: Vec::new(),
    };
    for p in &set.peers {
        vet.peers(p);
    }
    let stored: Vec<StoredRule> = set.rules.iter().filter_map(|r| vet.rule(r)).collect();
    for d in &set.datasets {
        vet.dataset(d);
    }
    for s in &set.scores {
        vet.score(s);
    }
    for f in &set.fixes {
        vet.fix(f);
    }
    if vet.problems.is_empty() {
        Ok(stored)
    } else {
        Err(RuleFileError {
            problems: vet.problems,
        })
    }
}

/// Vets the rules and peers of one file, gathering every problem.
struct Vet<'a> {
    conn: &'a Connection,
    sandbox: &'a Sandbox,
    schema: &'a Schema,
    set: &'a RuleSet,
    problems: Vec<Problem>,
}

impl Vet<'_> {
    fn problem(&mut self, location: &SourceLocation, message: String) {
        self.problems.push(Problem {
            location: location.clone(),
            message,
        });
    }

    fn form(&mut self, name: &str, location: &SourceLocation, what: &str) -> Option<Form> {
        let form = self.schema.form(name).cloned();
        if form.is_none() {
            let known: Vec<&str> = self.schema.forms.iter().map(|f| f.name.as_str()).collect();
            self.problem(
                location,
                format!(
                    "{what}: unknown form `{name}`; the workspace's forms are {}",
                    known.join(", ")
                ),
            );
        }
        form
    }

    /// Prepares `sql` in the sandbox with the parameters bound; a problem if it fails.
    fn try_prepare(&mut self, sql: &str, location: &SourceLocation, what: &str) -> Option<Access> {
        match self.sandbox.prepare(self.conn, sql) {
            Ok((mut stmt, access)) => match bind_params(&mut stmt, &self.set.params, &[]) {
                Ok(()) => Some(access),
                Err(why) => {
                    self.problem(location, format!("{what} is refused: {why}"));
                    None
                }
            },
            Err(Refusal::Forbidden(why)) => {
                self.problem(
                    location,
                    format!("{what} is refused: {why}; a rule may only read"),
                );
                None
            }
            Err(Refusal::Invalid(msg)) => {
                self.problem(location, format!("{what} is not valid SQL: {msg}"));
                None
            }
        }
    }

    /// Checks an expression that an index will store: no subquery, no parameter, none of
    /// huishen's own functions.
    fn indexable(&mut self, form: &Form, expr: &str, location: &SourceLocation, what: &str) {
        if !plain_expression(expr) {
            self.problem(
                location,
                format!("{what} must be one expression: no `;`, no comments, balanced parentheses"),
            );
            return;
        }
        let sql = format!("SELECT ({expr}) FROM {}", quote(&form.name));
        if let Some(access) = self.try_prepare(&sql, location, what) {
            let own = access
                .functions
                .iter()
                .find(|f| functions::NAMES.iter().any(|o| o.eq_ignore_ascii_case(f)));
            if let Some(own) = own {
                self.problem(location, format!("{what} calls {own}(); it is indexed, so it may use only SQLite's own functions"));
            } else if !over_the_record(expr) {
                self.problem(location, format!("{what} must be an expression over the record alone, without subqueries or parameters"));
            }
        }
    }

    /// Vets one peers definition.
    fn peers(&mut self, p: &Peers) {
        let what = format!("peers {}", p.name);
        let Some(form) = self.form(&p.form, &p.location, &what) else {
            return;
        };
        let filter = p.filter.as_deref().unwrap_or("1");
        let sql = format!(
            "SELECT ({}), ({}) FROM {} WHERE ({filter})",
            p.group,
            p.value,
            quote(&form.name)
        );
        self.try_prepare(&sql, &p.location, &what);
        self.indexable(&form, &p.group, &p.location, &format!("{what}: group"));
    }

    /// Vets one rule; the rule as it will be stored when it passes.
    fn rule(&mut self, rule: &Rule) -> Option<StoredRule> {
        let what = format!("rule {}", rule.id);
        let form = self.form(&rule.form, &rule.location, &what)?;
        let sql = verdict_sql(&form.name, &rule.check, rule.when.as_deref(), "");
        let access = self.try_prepare(&sql, &rule.location, &what)?;
        let mut fields = self.fields(rule, &form, &access, &what);
        if rule.fields.is_none() {
            // The field that ties a census object's rows together (the parent key read in
            // `b.record_id = G101_1.record_id`) is how the rule reads, not what it checks.
            let mut exprs = vec![rule.check.as_str()];
            exprs.extend(rule.when.as_deref());
            for link in super::links::links(self.schema, &form.name, &exprs) {
                let tie = link.own.rsplit('.').next().unwrap_or("").trim_matches('"');
                fields.retain(|f| !f.eq_ignore_ascii_case(tie));
            }
        }
        if let Some(related) = &rule.related {
            self.indexable(&form, related, &rule.location, &format!("{what}: related"));
        }
        Some(StoredRule {
            id: rule.id.clone(),
            form: form.name.clone(),
            severity: rule.severity,
            title: rule.title.clone(),
            hint: rule.hint.clone(),
            check: rule.check.clone(),
            when: rule.when.clone(),
            related: rule.related.clone(),
            fields,
            reach: reach(self.schema, self.set, rule, &form),
        })
    }

    /// Vets one dataset rule: its form and its statement; its group an expression over the
    /// record alone.
    fn dataset(&mut self, d: &DatasetRule) {
        let what = format!("rule {}", d.id);
        let Some(form) = self.form(&d.form, &d.location, &what) else {
            return;
        };
        if let Scope::Group(group) = &d.scope
            && !over_the_record(group)
        {
            self.problem(
                &d.location,
                format!("{what}: `group` must be an expression over the record alone, without subqueries or parameters"),
            );
            return;
        }
        let mut rule = d.clone();
        rule.form.clone_from(&form.name);
        self.try_prepare(&super::dataset::dataset_sql(&rule, &[]), &d.location, &what);
    }

    /// Vets one score: its form, its items' fields (numbers), its SQL, and that it reads no
    /// other record than its own but through peers figures.
    fn score(&mut self, s: &Score) {
        let what = format!("score {}", s.id);
        let Some(form) = self.form(&s.form, &s.location, &what) else {
            return;
        };
        let before = self.problems.len();
        for item in &s.items {
            self.numeric_field(&form, &item.field, &s.location, &what);
        }
        if self.problems.len() > before {
            return;
        }
        let mut texts = vec![s.design_weight.as_str()];
        for i in &s.items {
            texts.extend([i.predicted.as_str(), i.standardiser.as_str()]);
            texts.extend(i.auxiliary.as_deref());
        }
        if self.own_record_only(&form, &texts, &s.location, &what) {
            self.try_prepare(&score_sql(s, ""), &s.location, &what);
        }
    }

    /// Vets one fix rule: its form, the fields it sets, its SQL, and that it reads no other
    /// record than its own but through peers figures.
    fn fix(&mut self, f: &Fix) {
        let what = format!("fix {}", f.id);
        let Some(form) = self.form(&f.form, &f.location, &what) else {
            return;
        };
        let before = self.problems.len();
        for (field, _) in &f.set {
            if form.field(field).is_none() {
                self.problem(
                    &f.location,
                    format!(
                        "{what}: `set` names `{field}`, which is not a field of {}",
                        form.name
                    ),
                );
            } else if *field == form.key {
                self.problem(
                    &f.location,
                    format!("{what}: `set` names the key field `{field}`; a fix may not change a record's key"),
                );
            }
        }
        for field in &f.also {
            self.numeric_field(&form, field, &f.location, &format!("{what}: also"));
        }
        if self.problems.len() > before {
            return;
        }
        let mut texts = vec![f.when.as_str()];
        texts.extend(f.set.iter().map(|(_, e)| e.as_str()));
        if self.own_record_only(&form, &texts, &f.location, &what) {
            self.try_prepare(&fix_sql(f, ""), &f.location, &what);
        }
    }

    /// A problem unless `name` is a number field of `form`.
    fn numeric_field(&mut self, form: &Form, name: &str, location: &SourceLocation, what: &str) {
        match form.field(name) {
            None => self.problem(
                location,
                format!("{what}: `{name}` is not a field of {}", form.name),
            ),
            Some(f) if !matches!(f.ty, FieldType::Integer | FieldType::Real) => self.problem(
                location,
                format!("{what}: `{name}` is a {} field; it must hold numbers", f.ty),
            ),
            Some(_) => {}
        }
    }

    /// Whether `texts` read only their record (and peers figures); a problem if not.
    fn own_record_only(
        &mut self,
        form: &Form,
        texts: &[&str],
        location: &SourceLocation,
        what: &str,
    ) -> bool {
        let text = texts.join(" ");
        let other = self
            .schema
            .forms
            .iter()
            .find(|f| f.name != form.name && mentions(&text, &f.name));
        let reads_rows = reads_rows_of(&text, &form.name);
        if other.is_none() && !reads_rows {
            return true;
        }
        let whose = other.map_or(format!("other records of {}", form.name), |o| {
            format!("records of {}", o.name)
        });
        self.problem(
            location,
            format!(
                "{what} reads {whose}; it may read only its own record and peers figures \
                 (define a [[peers]] for a group total)"
            ),
        );
        false
    }

    /// The fields a rule shows: those it names, each a field of its form, or else the fields
    /// of its form that it reads.
    fn fields(&mut self, rule: &Rule, form: &Form, access: &Access, what: &str) -> Vec<String> {
        let Some(named) = &rule.fields else {
            return form
                .fields
                .iter()
                .filter(|f| {
                    access.reads.iter().any(|(t, c)| {
                        t.eq_ignore_ascii_case(&form.name) && c.eq_ignore_ascii_case(&f.name)
                    })
                })
                .map(|f| f.name.clone())
                .collect();
        };
        for f in named {
            if form.field(f).is_none() {
                self.problem(
                    &rule.location,
                    format!(
                        "{what}: `fields` names `{f}`, which is not a field of {}",
                        form.name
                    ),
                );
            }
        }
        named.clone()
    }
}

/// How far a rule's verdict on one record depends on other records.
fn reach(schema: &Schema, set: &RuleSet, rule: &Rule, form: &Form) -> Reach {
    let text = format!("{} {}", rule.check, rule.when.as_deref().unwrap_or(""));
    // A rule that names its own form's table, another form's or a peers table reads
    // other records than its own.
    let cross = schema.forms.iter().any(|f| mentions(&text, &f.name))
        || set.peers.iter().any(|p| mentions(&text, &p.table()));
    // Another form of the census object read only through the parent link ties the verdict
    // to the record's own object, which the re-check follows (`links`): not a read of other
    // records of this form.
    let mut exprs = vec![rule.check.as_str()];
    exprs.extend(rule.when.as_deref());
    let linked = super::links::links(schema, &form.name, &exprs);
    let reads_other_forms = schema.forms.iter().any(|f| {
        f.name != form.name && mentions(&text, &f.name) && !linked.iter().any(|l| l.form == f.name)
    });
    let reads_own_rows = reads_rows_of(&text, &form.name);
    match (&rule.related, cross) {
        (_, false) => Reach::Record,
        _ if reads_other_forms => Reach::Form,
        // Other records only through peers figures.
        _ if !reads_own_rows => Reach::Peers,
        (Some(_), true) => Reach::Related,
        (None, true) => Reach::Form,
    }
}
