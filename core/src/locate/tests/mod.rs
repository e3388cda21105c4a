//! Hand-worked cases: on the sample's own rules (`sample.rs`), on small rules written for
//! one point each (`cases.rs`), and a property: the set located is the lightest
//! (`proptests.rs`).

use std::collections::BTreeMap;

use super::*;
use crate::domain::{FieldType, Schema};
use crate::rules::{Param, RuleSet};
use crate::sample::{RULES_TOML, SCHEMA_TOML};

mod cases;
mod proptests;
mod sample;
mod templates;

/// The sample form's numeric fields, in the schema's order.
pub(super) fn sample_fields() -> Vec<String> {
    let schema = Schema::parse("schema.toml", SCHEMA_TOML).expect("the sample schema");
    let form = schema.form("G101_1").expect("G101_1");
    let numeric = [FieldType::Integer, FieldType::Real, FieldType::Bool];
    form.fields
        .iter()
        .filter(|f| numeric.contains(&f.ty))
        .map(|f| f.name.clone())
        .collect()
}

/// The sample's rules, read: the linear ones and those left out.
pub(super) fn sample_rules() -> (Vec<LinearRule>, Vec<NotLinear>) {
    let set = RuleSet::parse("rules.toml", RULES_TOML).expect("the sample rules");
    let params: BTreeMap<String, f64> = set
        .params
        .iter()
        .filter_map(|(k, v)| match v {
            Param::Integer(i) => Some((k.clone(), *i as f64)),
            Param::Real(r) => Some((k.clone(), *r)),
            _ => None,
        })
        .collect();
    let fields = sample_fields();
    let numeric = |name: &str| {
        fields
            .iter()
            .find(|f| f.eq_ignore_ascii_case(name))
            .cloned()
    };
    let (mut linear, mut left_out) = (Vec::new(), Vec::new());
    // The rules of G101_1: those of the rows beneath a record read other fields.
    for r in set.rules.iter().filter(|r| r.form == "G101_1") {
        let when = r.when.as_deref();
        match read_rule(&r.id, &r.check, when, &r.form, &numeric, &params) {
            Ok(rule) => linear.push(rule),
            Err(e) => left_out.push(e),
        }
    }
    (linear, left_out)
}

pub(super) fn sample_rule(id: &str) -> LinearRule {
    let (linear, _) = sample_rules();
    linear
        .into_iter()
        .find(|r| r.id == id)
        .expect("a linear rule")
}

/// Every numeric field of the sample, weight 1.
pub(super) fn sample_weights() -> Vec<(String, f64)> {
    sample_fields().into_iter().map(|f| (f, 1.0)).collect()
}

/// A record of the sample that passes every linear rule.
pub(super) fn sound_record() -> BTreeMap<String, Option<f64>> {
    let values = [
        ("longitude", 117.0),
        ("latitude", 36.0),
        ("open_year", 2000.0),
        ("output_value_10k_yuan", 1000.0),
        ("production_hours", 8000.0),
        ("fuel_coal_t", 100.0),
        ("coal_sulfur_pct", 1.0),
        ("water_intake_t", 1000.0),
        ("wastewater_t", 500.0),
        ("cod_gen_t", 10.0),
        ("cod_emit_t", 5.0),
        ("nh3n_gen_t", 1.0),
        ("nh3n_emit_t", 0.5),
        ("has_gas_treatment", 1.0),
        ("gas_facility_count", 2.0),
        ("so2_gen_t", 1.6),
        ("so2_emit_t", 0.5),
        ("nox_gen_t", 2.0),
        ("nox_emit_t", 1.0),
        ("pm_gen_t", 3.0),
        ("pm_emit_t", 1.0),
        ("vocs_emit_kg", 0.0),
        ("desulf_eff_pct", 68.75),
        ("solid_waste_gen_t", 50.0),
        ("prev_so2_emit_t", 0.6),
    ];
    values
        .into_iter()
        .map(|(k, v)| (k.to_string(), Some(v)))
        .collect()
}

pub(super) fn with(
    mut record: BTreeMap<String, Option<f64>>,
    changes: &[(&str, Option<f64>)],
) -> BTreeMap<String, Option<f64>> {
    for (k, v) in changes {
        record.insert(k.to_string(), *v);
    }
    record
}

/// A rule over the fields a, b, c, x, y, z, longitude and latitude of form T.
pub(super) fn rule(id: &str, check: &str, when: Option<&str>) -> Result<LinearRule, NotLinear> {
    let known = ["a", "b", "c", "x", "y", "z", "longitude", "latitude"];
    let numeric = |n: &str| known.contains(&n).then(|| n.to_string());
    let params = BTreeMap::from([("cap".to_string(), 10.0), ("third".to_string(), 0.5)]);
    read_rule(id, check, when, "T", &numeric, &params)
}

pub(super) fn rules(checks: &[&str]) -> Vec<LinearRule> {
    checks
        .iter()
        .enumerate()
        .map(|(i, c)| rule(&format!("Q{}", i + 1), c, None).expect("linear"))
        .collect()
}

pub(super) fn record(values: &[(&str, Option<f64>)]) -> BTreeMap<String, Option<f64>> {
    with(BTreeMap::new(), values)
}

pub(super) fn weights(w: &[(&str, f64)]) -> Vec<(String, f64)> {
    w.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

pub(super) fn fields_of(outcome: Outcome) -> Vec<String> {
    match outcome {
        Outcome::Located(l) => l.fields,
        other => panic!("nothing located: {other:?}"),
    }
}
