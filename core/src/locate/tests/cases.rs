//! Small rules, each written for one point of the reading or the search.

use super::super::search::locate_within;
use super::*;

#[test]
fn a_balance_changes_its_lightest_term() {
    let balance = rules(&["a + b = c"]);
    let record = record(&[("a", Some(1.0)), ("b", Some(2.0)), ("c", Some(4.0))]);
    let w = |a, b, c| weights(&[("a", a), ("b", b), ("c", c)]);
    assert_eq!(
        fields_of(locate(&balance, &record, &w(1.0, 2.0, 3.0))),
        ["a"]
    );
    assert_eq!(
        fields_of(locate(&balance, &record, &w(5.0, 2.0, 3.0))),
        ["b"]
    );
    assert_eq!(
        fields_of(locate(&balance, &record, &w(5.0, 2.0, 0.5))),
        ["c"]
    );
}

#[test]
fn a_missing_value_is_filled_and_a_comparison_of_null_is_not_true() {
    let both = rules(&["longitude IS NOT NULL AND latitude IS NOT NULL"]);
    let record = record(&[("longitude", None), ("latitude", Some(36.0))]);
    let all = weights(&[("longitude", 1.0), ("latitude", 1.0)]);
    assert_eq!(fields_of(locate(&both, &record, &all)), ["longitude"]);

    // R08 does not apply while longitude is NULL, and does once it is changed.
    let with_r08 = [both[0].clone(), sample_rule("R08")];
    assert_eq!(fields_of(locate(&with_r08, &record, &all)), ["longitude"]);

    let x = weights(&[("x", 1.0)]);
    let null_x = self::record(&[("x", None)]);
    assert_eq!(fields_of(locate(&rules(&["x <= 10"]), &null_x, &x)), ["x"]);
    let coalesced = rules(&["coalesce(x, 0) >= 1"]);
    assert_eq!(fields_of(locate(&coalesced, &null_x, &x)), ["x"]);
    let guarded = [rule("W", "x >= 1", Some("x IS NOT NULL")).expect("linear")];
    assert_eq!(locate(&guarded, &null_x, &x), Outcome::NothingToLocate);
}

#[test]
fn strict_inequalities_are_strict() {
    let zeros = record(&[("a", Some(0.0)), ("b", Some(0.0)), ("c", Some(0.0))]);
    let w = weights(&[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
    assert_eq!(
        locate(&rules(&["a <= b", "b <= c"]), &zeros, &w),
        Outcome::NothingToLocate
    );
    // b alone would need 0 < b < 0; two fields are needed, the schema's first two on a tie.
    let Outcome::Located(l) = locate(&rules(&["a < b", "b < c"]), &zeros, &w) else {
        panic!("nothing located");
    };
    assert_eq!((l.fields, l.weight), (vec!["a".into(), "b".into()], 2.0));

    let x = weights(&[("x", 1.0)]);
    let open = rules(&["x > 0 AND x < 1"]);
    assert_eq!(
        fields_of(locate(&open, &record(&[("x", Some(5.0))]), &x)),
        ["x"]
    );
    let empty = rules(&["x > 0 AND x < 0"]);
    let outcome = locate(&empty, &record(&[("x", Some(5.0))]), &x);
    assert_eq!(
        outcome,
        Outcome::Contradictory {
            rules: vec!["Q1".into()]
        }
    );
}

#[test]
fn contradictory_rules_are_named_without_the_rest() {
    let three = rules(&["a >= 1", "a + b = 3", "a <= 0"]);
    let record = record(&[("a", Some(5.0)), ("b", Some(0.0))]);
    let w = weights(&[("a", 1.0), ("b", 1.0)]);
    let outcome = locate(&three, &record, &w);
    assert_eq!(
        outcome,
        Outcome::Contradictory {
            rules: vec!["Q1".into(), "Q3".into()]
        }
    );

    // A failing rule whose fields may not change cannot be mended either.
    let fixed = rules(&["a + b = 3"]);
    let only_c = weights(&[("c", 1.0)]);
    let outcome = locate(&fixed, &record, &only_c);
    let q1 = Outcome::Contradictory {
        rules: vec!["Q1".into()],
    };
    assert_eq!(outcome, q1);
    // So too when a field that may change is NULL.
    let and_a_null = rules(&["a + b = 3", "c >= 1"]);
    let record = with(record, &[("c", None)]);
    assert_eq!(locate(&and_a_null, &record, &only_c), q1);
}

#[test]
fn a_search_past_its_budget_says_so() {
    let two = rules(&["a < b", "b < c"]);
    let zeros = record(&[("a", Some(0.0)), ("b", Some(0.0)), ("c", Some(0.0))]);
    let w = weights(&[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
    let outcome = locate_within(&two, &zeros, &w, 3);
    assert_eq!(
        outcome,
        Outcome::OverBudget {
            failing: vec!["Q1".into(), "Q2".into()]
        }
    );
}

#[test]
fn ties_of_weight_go_to_fewer_fields_even_when_sums_round() {
    let either = rules(&["a >= 5 OR c >= 5", "b >= 5 OR c >= 5"]);
    let record = record(&[("a", Some(1.0)), ("b", Some(2.0)), ("c", Some(0.0))]);
    let exact = weights(&[("a", 1.0), ("b", 1.0), ("c", 2.0)]);
    assert_eq!(fields_of(locate(&either, &record, &exact)), ["c"]);
    // 0.1 + 0.7 is 0.7999999999999999 in f64.
    let rounded = weights(&[("a", 0.1), ("b", 0.7), ("c", 0.8)]);
    assert_eq!(fields_of(locate(&either, &record, &rounded)), ["c"]);
    let lighter = weights(&[("a", 0.1), ("b", 0.6), ("c", 0.8)]);
    assert_eq!(fields_of(locate(&either, &record, &lighter)), ["a", "b"]);
}

#[test]
fn abs_in_and_between_are_read_as_their_constraints() {
    let w = weights(&[("a", 1.0), ("b", 2.0)]);
    let ab = |a, b| record(&[("a", Some(a)), ("b", Some(b))]);
    let near = rules(&["abs(a - b) <= 5"]);
    assert_eq!(locate(&near, &ab(10.0, 6.0), &w), Outcome::NothingToLocate);
    assert_eq!(fields_of(locate(&near, &ab(10.0, 0.0), &w)), ["a"]);
    let far = rules(&["3 <= abs(a)", "a BETWEEN -4 AND 4"]);
    assert_eq!(fields_of(locate(&far, &ab(1.0, 0.0), &w)), ["a"]);
    let contradiction = rules(&["abs(a) >= 3", "a NOT BETWEEN -4 AND 4", "abs(a) < 4"]);
    assert!(matches!(
        locate(&contradiction, &ab(0.0, 0.0), &w),
        Outcome::Contradictory { .. }
    ));
    let listed = rules(&["a IN (1, 2, 3)", "b NOT IN (0, 2)"]);
    assert_eq!(fields_of(locate(&listed, &ab(2.0, 2.0), &w)), ["b"]);
    assert_eq!(fields_of(locate(&listed, &ab(5.0, 1.0), &w)), ["a"]);
    let exact = rules(&["abs(a) = $cap", "a < 0"]);
    assert_eq!(fields_of(locate(&exact, &ab(10.0, 0.0), &w)), ["a"]);
    assert_eq!(
        locate(&exact, &ab(-10.0, 0.0), &w),
        Outcome::NothingToLocate
    );
}

#[test]
fn what_is_linear_and_what_is_not() {
    let linear = [
        "T.a * $third + 2 * (b - c) / 4.0 >= -a",
        "CASE a WHEN 1 THEN b > 0 WHEN 2 THEN b < 0 END",
        "a / 3.0 <= $cap AND ifnull(a, b) = 1 AND a <> 1e6",
        "a AND NOT b AND TRUE AND 1 AND NULL IS NULL",
        "a == 1 OR a != 2 OR +a > -(b)",
    ];
    for check in linear {
        assert!(rule("L", check, None).is_ok(), "{check}");
    }
    let not_linear = [
        ("a * b > 0", "a * b (a product of fields)"),
        ("a / 3 <= 1", "a / 3 (a division of whole numbers"),
        ("1 / a <= 1", "1 / a (a division by a field)"),
        ("r2.a > 0", "r2.a (a column of another table)"),
        ("unit_name <> ''", "unit_name (not a numeric field)"),
        (
            "a <= $missing",
            "$missing (a parameter that is not a number)",
        ),
        (
            "abs(a) + 1 <= 2",
            "abs(a) (abs other than as a side of a comparison)",
        ),
        ("max(a, b) <= 2", "max(a, b) (the function max)"),
        (
            "(a > 0) + (b > 0) >= 1",
            "a > 0 (a truth value read as a number)",
        ),
        ("a LIKE '1%'", "a LIKE '1%' (LIKE)"),
    ];
    for (check, construct) in not_linear {
        let e = rule("N", check, None).expect_err(check);
        assert!(
            e.construct.starts_with(construct),
            "{check}: {}",
            e.construct
        );
    }
    let e = rule("N", "a > 0", Some("b * c > 0")).expect_err("when");
    assert_eq!(e.to_string(), "N: not linear: b * c (a product of fields)");
}

#[test]
fn a_null_field_that_changes_can_bring_a_rule_in() {
    // Changing b as well would make it not NULL and bring in the third rule, which the
    // other two leave no room for: more free fields are not always better.
    let three = [
        rule("Q1", "c > 1", None).expect("linear"),
        rule("Q2", "coalesce(a, 0) <= 0", None).expect("linear"),
        rule("Q3", "abs(c - a) <= 0", Some("b IS NOT NULL")).expect("linear"),
    ];
    let record = record(&[("a", Some(1.0)), ("b", None), ("c", None)]);
    let w = weights(&[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
    assert_eq!(fields_of(locate(&three, &record, &w)), ["a", "c"]);

    // With b's rule in force from the start, nothing lets the three hold.
    let record = with(record, &[("b", Some(0.0))]);
    let outcome = locate(&three, &record, &w);
    let all = vec!["Q1".into(), "Q2".into(), "Q3".into()];
    assert_eq!(outcome, Outcome::Contradictory { rules: all });
}
