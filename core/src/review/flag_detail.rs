//! Why a record was flagged: one flag with its rule as written, what the rule read on the
//! record and what it computed there (each side of its comparisons, the peers groups it
//! reads, the rows of other forms it reads through the parent link), the flag's history on
//! the record, and what error localisation and the fix rules say about it.

use super::{FieldValue, Session};
use crate::domain::{Datum, FlagLine, Form, Localisation, Localized, Located, Proposal};
use crate::error::Result;

pub use crate::store::{
    Comparison, Figure, FlagEvent, FlagStep, LinkedRows, Opener, PeerStats, PeersFigures,
};

/// A flag on a record, and everything that says why it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagDetail {
    pub record: i64,
    pub key: String,
    /// The record's form.
    pub form: Form,
    /// The flag as the flags pane lists it (its rule, severity, both titles, state).
    pub flag: FlagLine,
    pub hint: Option<Localized>,
    /// The rule's expressions as written in the rules file.
    pub when: Option<String>,
    pub check: String,
    pub related: Option<String>,
    /// The record's values of the fields the rule reads, in schema order.
    pub reads: Vec<FieldValue>,
    /// Each comparison its check makes, its sides computed on the record.
    pub comparisons: Vec<Comparison>,
    /// The peers groups it reads, seen from the record.
    pub peers: Vec<PeersFigures>,
    /// Rows of other forms of the census object it reads through the parent link.
    pub linked: Vec<LinkedRows>,
    /// Other forms it reads not tied to the record by the parent link (without rows).
    pub unlinked: Vec<LinkedRows>,
    /// For a rule with `related` (and no peers figures): the record's value of it and the
    /// other records that share it, with the fields the rule reads.
    pub related_records: Option<(Option<Datum>, LinkedRows)>,
    /// The flag's history on the record, oldest first.
    pub history: Vec<FlagEvent>,
    /// What error localisation says about this flag.
    pub located: FlagLocated,
    /// Proposed fixes that would settle it (or change a field it reads).
    pub proposals: Vec<Proposal>,
}

/// Error localisation as it concerns one flag.
#[derive(Debug, Clone, PartialEq)]
pub enum FlagLocated {
    /// Localisation has nothing to say (the record fails no linear rule, or this flag is
    /// not among those it read).
    Nothing,
    /// Change these fields (together with the record's other failing linear rules).
    Fields { fields: Vec<String>, weight: f64 },
    /// The rule cannot hold with the others whatever changes.
    Contradictory { rules: Vec<String> },
    /// The search stopped at its budget.
    OverBudget,
    /// The rule is not linear: localisation leaves it out, for this construct.
    LeftOut { construct: String },
}

impl FlagLocated {
    fn of(rule: &str, l: &Localisation) -> FlagLocated {
        if let Some((_, construct)) = l.left_out.iter().find(|(r, _)| r == rule) {
            return FlagLocated::LeftOut {
                construct: construct.clone(),
            };
        }
        match &l.located {
            Located::Fields {
                fields,
                weight,
                failing,
            } if failing.iter().any(|r| r == rule) => FlagLocated::Fields {
                fields: fields.clone(),
                weight: *weight,
            },
            Located::Contradictory { rules } if rules.iter().any(|r| r == rule) => {
                FlagLocated::Contradictory {
                    rules: rules.clone(),
                }
            }
            Located::OverBudget { failing } if failing.iter().any(|r| r == rule) => {
                FlagLocated::OverBudget
            }
            _ => FlagLocated::Nothing,
        }
    }
}

impl Session {
    /// Why `rule` flagged `record` of the session's form: `None` when the record is gone or
    /// the rule never flagged it.
    pub fn flag_detail(&mut self, record: i64, rule: &str) -> Result<Option<FlagDetail>> {
        let Some(values) = self.ws.record_values(&self.form.name, record)? else {
            return Ok(None);
        };
        let flags = self.ws.record_flags(&self.form.name, record)?;
        let Some(flag) = flags.into_iter().find(|f| f.rule == rule) else {
            return Ok(None);
        };
        let Some(stored) = self.rules.iter().find(|r| r.id == rule).cloned() else {
            return Ok(None);
        };
        let originals = self.ws.originals(&self.form.name, record)?;
        let all = FieldValue::all(&self.form, values.clone(), &originals);
        let key = all
            .get(self.form.key_index())
            .map(|v| v.text.clone())
            .unwrap_or_default();
        let figures = self.ws.rule_figures(&self.form, record, rule)?;
        let reads: Vec<FieldValue> = all
            .into_iter()
            .filter(|v| figures.fields.contains(&v.field.name))
            .collect();
        let mut watched = vec![(
            self.form.name.as_str(),
            record,
            key.as_str(),
            figures.fields.as_slice(),
        )];
        let names: Vec<Vec<String>> = figures
            .linked
            .iter()
            .map(|l| l.fields.iter().map(|f| f.name.clone()).collect())
            .collect();
        for (l, names) in figures.linked.iter().zip(&names) {
            for (row, row_key, _) in &l.rows {
                watched.push((l.form.as_str(), *row, row_key.as_str(), names.as_slice()));
            }
        }
        let history = self
            .ws
            .flag_history(&self.form.name, record, rule, &watched)?;
        let located = if flag.is_open() {
            FlagLocated::of(rule, &self.locator()?.locate(&values))
        } else {
            FlagLocated::Nothing
        };
        let proposals = {
            let form = self.form.clone();
            let work = self.ws.look()?;
            work.proposals(&form, record)?
        }
        .into_iter()
        .filter(|p| {
            p.resolves.iter().any(|r| r == rule)
                || p.changes.iter().any(|c| figures.fields.contains(&c.field))
        })
        .collect();
        Ok(Some(FlagDetail {
            record,
            key,
            form: self.form.clone(),
            flag,
            hint: stored.hint,
            when: stored.when,
            check: stored.check,
            related: stored.related,
            reads,
            comparisons: figures.comparisons,
            peers: figures.peers,
            linked: figures.linked,
            unlinked: figures.unlinked,
            related_records: figures.related,
            history,
            located,
            proposals,
        }))
    }
}

impl Figure {
    /// The figure as a number, when it is one.
    pub fn number(&self) -> Option<f64> {
        match self.value {
            Some(Datum::Integer(i)) => Some(i as f64),
            Some(Datum::Real(x)) => Some(x),
            _ => None,
        }
    }
}
