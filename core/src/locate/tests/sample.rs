//! The sample's rules on records of the sample's form.

use super::*;

#[test]
fn the_sample_s_linear_rules_and_why_the_others_are_left_out() {
    let (linear, left_out) = sample_rules();
    let ids: Vec<&str> = linear.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "R07", "R08", "R09", "R10", "R11", "R12", "R13", "R14", "R15", "R16", "R17", "R18",
            "R19", "R20", "R23", "R24", "R30", "R31", "X04", "X06"
        ]
    );
    let why = |id: &str| {
        left_out
            .iter()
            .find(|n| n.rule == id)
            .map(ToString::to_string)
            .expect("left out")
    };
    let r21 = why("R21");
    assert!(r21.starts_with("R21: not linear: "), "{r21}");
    assert!(
        r21.contains("fuel_coal_t * coal_sulfur_pct (a product of fields)"),
        "{r21}"
    );
    let r25 = why("R25");
    assert!(
        r25.contains("/ wastewater_t (a division by a field)"),
        "{r25}"
    );
    let r02 = why("R02");
    assert!(
        r02.contains("credit_code GLOB '") && r02.contains("(the operator GLOB)"),
        "{r02}"
    );
    assert!(why("R27").contains("(a subquery)"));
    assert!(why("R01").contains("(a function of text)"));
    assert!(why("X05").contains("(a division by a field)"));
}

#[test]
fn a_record_that_passes_every_linear_rule_has_nothing_to_locate() {
    let (linear, _) = sample_rules();
    let outcome = locate(&linear, &sound_record(), &sample_weights());
    assert_eq!(outcome, Outcome::NothingToLocate);
}

#[test]
fn r13_emitted_above_generated_changes_one_field_the_schema_s_first_on_a_tie() {
    let r13 = [sample_rule("R13")];
    let record = record(&[("so2_emit_t", Some(12.0)), ("so2_gen_t", Some(10.0))]);
    let Outcome::Located(l) = locate(&r13, &record, &sample_weights()) else {
        panic!("nothing located");
    };
    // so2_gen_t stands before so2_emit_t in the schema.
    assert_eq!(l.fields, ["so2_gen_t"]);
    assert_eq!(
        (l.weight, l.failing, l.considered),
        (1.0, vec!["R13".into()], vec!["R13".into()])
    );
    let lighter = weights(&[("so2_gen_t", 1.0), ("so2_emit_t", 0.5)]);
    assert_eq!(fields_of(locate(&r13, &record, &lighter)), ["so2_emit_t"]);
}

#[test]
fn three_failing_rules_are_mended_by_the_one_field_they_share() {
    let (linear, _) = sample_rules();
    let record = with(sound_record(), &[("so2_gen_t", Some(-5.0))]);
    let Outcome::Located(l) = locate(&linear, &record, &sample_weights()) else {
        panic!("nothing located");
    };
    assert_eq!(l.failing, ["R10", "R13", "R20"]);
    assert_eq!(l.fields, ["so2_gen_t"]);
    assert_eq!(l.considered.len(), linear.len());
}

#[test]
fn another_rule_on_the_emission_makes_it_the_field_to_change() {
    // R30 bounds SO2 emitted by last year's 0.6 t: 12 t breaks it too, 10 t generated does not.
    let (linear, _) = sample_rules();
    let record = with(
        sound_record(),
        &[("so2_emit_t", Some(12.0)), ("so2_gen_t", Some(10.0))],
    );
    let Outcome::Located(l) = locate(&linear, &record, &sample_weights()) else {
        panic!("nothing located");
    };
    assert_eq!(
        (l.failing, l.fields),
        (vec!["R13".into(), "R30".into()], vec!["so2_emit_t".into()])
    );
}

#[test]
fn a_conditional_rule_changes_its_condition_or_its_consequence() {
    let r17 = [sample_rule("R17")];
    let record = record(&[
        ("has_gas_treatment", Some(1.0)),
        ("gas_facility_count", Some(0.0)),
    ]);
    assert_eq!(
        fields_of(locate(&r17, &record, &sample_weights())),
        ["has_gas_treatment"]
    );
    let heavy = weights(&[("has_gas_treatment", 2.0), ("gas_facility_count", 1.0)]);
    assert_eq!(
        fields_of(locate(&r17, &record, &heavy)),
        ["gas_facility_count"]
    );

    let implication = rules(&["NOT (x > 0) OR (y > 0)"]);
    let record = self::record(&[("x", Some(5.0)), ("y", Some(0.0))]);
    let w = |x| weights(&[("x", x), ("y", 1.0)]);
    assert_eq!(fields_of(locate(&implication, &record, &w(1.0))), ["x"]);
    assert_eq!(fields_of(locate(&implication, &record, &w(3.0))), ["y"]);
}

#[test]
fn a_flag_is_relaxed_to_a_real_number() {
    // Gas treatment reported, no facility: making the flag 0 would bring in R18 (0.5 t
    // emitted of 1.6 t generated), but as a real number it may be neither 0 nor 1.
    let (linear, _) = sample_rules();
    let record = with(sound_record(), &[("gas_facility_count", Some(0.0))]);
    let Outcome::Located(l) = locate(&linear, &record, &sample_weights()) else {
        panic!("nothing located");
    };
    assert_eq!(
        (l.failing, l.fields),
        (vec!["R17".into()], vec!["has_gas_treatment".into()])
    );
}
