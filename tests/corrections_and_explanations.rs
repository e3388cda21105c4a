//! Corrections, explanations and notes on the demo workspace: a value that does not fit its
//! field, a value the field holds already, an action without its reason or text, and an
//! explanation of an error or of a rule that does not flag the record are each refused in
//! words, and change nothing.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{fingerprint, rowid, stored};
use common::demo::{CLEAN_QINGDAO, KILN, NO_RIVER, PM_KG};
use common::review::{open, refusal, seen, sign_as};
use common::{Scratch, demo};
use huishen_core::Error;
use rusqlite::types::Value as Sql;

#[test]
fn a_value_of_the_wrong_type_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);

    let cases = [
        (
            "pm_emit_t",
            "abc",
            "“abc” is not a number; pm_emit_t is a number",
        ),
        (
            "pm_emit_t",
            "1,640",
            "“1,640” is not a number (thousands separators are not accepted); pm_emit_t is a number",
        ),
        (
            "pm_emit_t",
            "１６.４",
            "“１６.４” is not a number (it has full-width characters; use ASCII digits); pm_emit_t is a number",
        ),
        (
            "pm_emit_t",
            "NaN",
            "“NaN” is not a number; pm_emit_t is a number",
        ),
        (
            "open_year",
            "2017.5",
            "“2017.5” is not a whole number; open_year is a whole number",
        ),
        (
            "has_gas_treatment",
            "maybe",
            "“maybe” is not yes or no (use 1/0, true/false, yes/no or 是/否); has_gas_treatment is yes or no (1/0)",
        ),
    ];
    for (field, text, message) in cases {
        assert_eq!(
            refusal(lisi.correct(rec, 0, field, text, "单位换算错误")),
            message,
            "{field} = {text}"
        );
    }
    assert_eq!(
        refusal(lisi.correct(rec, 0, "record_id", "G3702110009999", "录入错误")),
        "the key identifies the record and cannot be corrected"
    );
    assert_eq!(
        refusal(lisi.correct(rec, 0, "pm_emit_t", "16.4", "录入错误")),
        "pm_emit_t of record G3702110001616 is 16.4 already; nothing was written"
    );
    match lisi.correct(rec, 0, "pm_emitted", "0.0164", "单位换算错误") {
        Err(e @ Error::UnknownField { .. }) => {
            assert_eq!(e.to_string(), "form G101_1 has no field `pm_emitted`")
        }
        other => panic!("expected an unknown field, got {other:?}"),
    }
    assert_eq!(fingerprint(&ws), before);
    assert_eq!(stored(&ws, PM_KG, "pm_emit_t"), Sql::Real(16.4));
    assert_eq!(lisi.status(rec).unwrap().version, 0);
}

/// Clearing a field that is empty already changes nothing, and says so in words.
#[test]
fn clearing_an_empty_field_says_it_is_empty_already() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, NO_RIVER);
    assert_eq!(stored(&ws, NO_RIVER, "receiving_water"), Sql::Null);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.correct(rec, 0, "receiving_water", "", "企业核实")),
        format!("receiving_water of record {NO_RIVER} is empty already; nothing was written")
    );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn an_empty_reason_or_text_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, KILN);
    let clean = rowid(&ws, CLEAN_QINGDAO);
    let mut wangwu = open(&ws, "王五");
    assert!(sign_as(&ws, clean, &["李四", "王五"]));
    let before = fingerprint(&ws);
    let v = seen(&mut wangwu, clean);

    assert_eq!(
        refusal(wangwu.correct(rec, 0, "so2_gen_t", "20", "")),
        "a correction needs a reason"
    );
    assert_eq!(
        refusal(wangwu.correct(rec, 0, "so2_gen_t", "20", " \n\t ")),
        "a correction needs a reason"
    );
    assert_eq!(
        refusal(wangwu.explain(rec, 0, "R21", "   ")),
        "an explanation needs text: say why the value is right"
    );
    assert_eq!(refusal(wangwu.note(rec, 0, "\n")), "a note needs text");
    assert_eq!(
        refusal(wangwu.reopen(clean, v, "  ")),
        "reopening a signed record needs a reason"
    );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn an_error_cannot_be_explained() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.explain(rec, 0, "R15", "企业确认颗粒物排放量无误")),
        "R15 is an error: errors must be corrected, not explained"
    );
    assert_eq!(
        refusal(lisi.explain(rec, 0, "R21", "燃料中含固硫剂")),
        "rule R21 does not flag record G3702110001616; there is nothing to explain"
    );
    assert_eq!(
        refusal(lisi.explain(rec, 0, "R99", "燃料中含固硫剂")),
        "rule R99 does not flag record G3702110001616; there is nothing to explain"
    );
    assert_eq!(fingerprint(&ws), before);
    assert_eq!(lisi.status(rec).unwrap().failing_errors, ["R15"]);
}
