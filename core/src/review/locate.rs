//! Error localisation through the door: the rules of the session's form read once (those
//! that are linear in its number fields; the others named with the construct that stopped
//! them), then any record's values located against them. Whole-number and real fields may
//! change, each weighing its schema reliability; yes/no fields keep their values (a flag is
//! never proposed as the field to change), as do text and code fields.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::Session;
use crate::domain::{Datum, FieldType, Form, Localisation, Located};
use crate::error::Result;
use crate::locate::{self, LinearRule, Outcome};
use crate::rules::Param;
use crate::store::StoredRule;

/// The rules of one form as localisation reads them.
pub struct Locator {
    rules: Vec<LinearRule>,
    left_out: Vec<(String, String)>,
    /// The fields that may change, in schema order, with their weights.
    candidates: Vec<(String, f64)>,
    /// The fields the rules may read as numbers: (name, position in the record).
    numbers: Vec<(String, usize)>,
}

impl Locator {
    /// Reads `rules` (of `form`) with the rule set's `params`.
    pub(crate) fn new(
        form: &Form,
        rules: &[StoredRule],
        params: &BTreeMap<String, Param>,
    ) -> Locator {
        let numeric = |name: &str| {
            form.field(name)
                .filter(|f| matches!(f.ty, FieldType::Integer | FieldType::Real | FieldType::Bool))
                .map(|f| f.name.clone())
        };
        let params: BTreeMap<String, f64> = params
            .iter()
            .filter_map(|(k, v)| match v {
                Param::Integer(i) => Some((k.clone(), *i as f64)),
                Param::Real(x) => Some((k.clone(), *x)),
                Param::Bool(b) => Some((k.clone(), f64::from(u8::from(*b)))),
                Param::Text(_) => None,
            })
            .collect();
        let mut linear = Vec::new();
        let mut left_out = Vec::new();
        for r in rules.iter().filter(|r| r.form == form.name) {
            match locate::read_rule(
                &r.id,
                &r.check,
                r.when.as_deref(),
                &form.name,
                &numeric,
                &params,
            ) {
                Ok(rule) => linear.push(rule),
                Err(not) => left_out.push((not.rule, not.construct)),
            }
        }
        Locator {
            rules: linear,
            left_out,
            candidates: form
                .fields
                .iter()
                .filter(|f| matches!(f.ty, FieldType::Integer | FieldType::Real))
                .map(|f| (f.name.clone(), f.reliability))
                .collect(),
            numbers: form
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    matches!(f.ty, FieldType::Integer | FieldType::Real | FieldType::Bool)
                })
                .map(|(i, f)| (f.name.clone(), i))
                .collect(),
        }
    }

    /// Locates a record from its values (in field order).
    pub fn locate(&self, values: &[Datum]) -> Localisation {
        let record: BTreeMap<String, Option<f64>> = self
            .numbers
            .iter()
            .map(|(name, i)| {
                let v = match values.get(*i) {
                    Some(Datum::Integer(n)) => Some(*n as f64),
                    Some(Datum::Real(x)) => Some(*x),
                    _ => None,
                };
                (name.clone(), v)
            })
            .collect();
        let located = match locate::locate(&self.rules, &record, &self.candidates) {
            Outcome::NothingToLocate => Located::Nothing,
            Outcome::Located(l) => Located::Fields {
                fields: l.fields,
                weight: l.weight,
                failing: l.failing,
            },
            Outcome::Contradictory { rules } => Located::Contradictory { rules },
            Outcome::OverBudget { failing } => Located::OverBudget { failing },
        };
        Localisation {
            located,
            left_out: self.left_out.clone(),
        }
    }
}

impl Session {
    /// The session's form's rules, read for localisation: once per session, as the rules
    /// the session checks against are (`Session::rules`).
    pub fn locator(&mut self) -> Result<Rc<Locator>> {
        if let Some(l) = &self.locator {
            return Ok(Rc::clone(l));
        }
        let rules = self.ws.active_rules()?;
        let params = rules
            .as_deref()
            .map(|r| r.params.clone())
            .unwrap_or_default();
        let l = Rc::new(Locator::new(&self.form, &self.rules, &params));
        self.locator = Some(Rc::clone(&l));
        Ok(l)
    }

    /// Which fields of the record to change so that its linear rules can all hold.
    pub fn locate(&mut self, record: i64) -> Result<Option<Localisation>> {
        let Some(values) = self.ws.record_values(&self.form.name, record)? else {
            return Ok(None);
        };
        Ok(Some(self.locator()?.locate(&values)))
    }
}

/// (rule, construct) of each rule localisation left out.
pub type LeftOut = Vec<(String, String)>;

/// One record's localisation, by key.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordLocated {
    pub key: String,
    pub located: Located,
}

impl super::Workspace {
    /// Localises every record of `form` (default: the first) with an open flag, in queue
    /// order; with the rules localisation left out.
    pub fn locate_all(&self, form: Option<&str>) -> Result<(Vec<RecordLocated>, LeftOut)> {
        let schema = self.store.schema()?;
        let form = match form {
            Some(name) => schema
                .form(name)
                .ok_or_else(|| crate::Error::unknown_form(&schema, name))?,
            None => schema
                .forms
                .first()
                .ok_or_else(|| crate::Error::unknown_form(&schema, ""))?,
        };
        let Some(rules) = self.store.active_rules()? else {
            return Ok((Vec::new(), Vec::new()));
        };
        let locator = Locator::new(form, &rules.rules, &rules.params);
        let mut out = Vec::new();
        let filter = crate::store::QueueFilter::default();
        let mut anchor = None;
        loop {
            let rows = self.store.queue_window(
                &form.name,
                &filter,
                anchor.as_ref(),
                crate::store::Direction::Forward,
                1000,
            )?;
            let Some(last) = rows.last().cloned() else {
                break;
            };
            for row in rows.iter().filter(|r| r.severity.is_some()) {
                let values = self
                    .store
                    .record_values(&form.name, row.record)?
                    .unwrap_or_default();
                out.push(RecordLocated {
                    key: row.key.clone(),
                    located: locator.locate(&values).located,
                });
            }
            anchor = Some(last);
        }
        Ok((out, locator.left_out.clone()))
    }
}
