//! `huishen export`: what each kind of export holds, on the demo workspace after a short review
//! session by the sample team (`common::demo::reviewed`): the data with its headers as labels
//! or names and the original beside each corrected value, the change log, the flags, the
//! signature register and the notes, in CSV and typed JSON, and one snapshot while others
//! review. (Round trips are in export_round_trip.rs, bad input in export_refusals.rs.)

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::one;
use common::demo::{COAL_NO_SO2, KILN, NO_RIVER, NO_SULPHUR, PM_KG, reviewed};
use common::{DEMO, Scratch, act, hs, sample_fields};
use huishen_core::review::Workspace;
use huishen_core::review::{ExportOptions, Format, Only, OutEncoding, Output, What};

/// Exports with `args` to standard output and returns the text (without the UTF-8 BOM).
fn exported(s: &Scratch, args: &[&str]) -> String {
    let out = hs(s).args(["export", DEMO]).args(args).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    text.trim_start_matches('\u{feff}').to_string()
}

/// CSV text as rows of cells, the header first.
fn rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn data_headers_are_the_fields_labels_or_names() {
    let s = Scratch::new();
    reviewed(&s);
    let first = |args: &[&str]| rows(&exported(&s, args)).remove(0)[..4].join(",");
    assert_eq!(
        first(&["--what", "data"]),
        "普查对象记录号,统一社会信用代码,单位详细名称,区划代码"
    );
    assert_eq!(
        first(&["--what", "data", "--headers", "names"]),
        "record_id,credit_code,unit_name,region_code"
    );
    assert_eq!(
        first(&["--what", "data", "--headers", "en"]),
        "Census record ID,Unified social credit code,Unit name,Division code"
    );
}

#[test]
fn labels_add_what_each_coded_value_means_after_it() {
    let s = Scratch::new();
    reviewed(&s);
    let table = rows(&exported(&s, &["--what", "data", "--labels"]));
    let column = |name: &str| table[0].iter().position(|h| h == name).unwrap();
    // Each label column follows its code, in the headers' language.
    let (region, scale, industry) = (column("区划代码"), column("企业规模"), column("行业代码"));
    assert_eq!(table[0][region + 1], "区划代码（名称）");
    assert_eq!(table[0][scale + 1], "企业规模（名称）");
    assert_eq!(table[0][industry + 1], "行业代码（名称）");
    for row in &table[1..] {
        let scale_name = match row[scale].as_str() {
            "1" => "大型",
            "2" => "中型",
            "3" => "小型",
            "4" => "微型",
            _ => "",
        };
        assert_eq!(row[scale + 1], scale_name, "{row:?}");
        // A division code the reference tables know is named, another province's code says
        // so, a retired one (the sample seeds them) says it is retired; others stay empty.
        let (code, label) = (row[region].as_str(), row[region + 1].as_str());
        match huishen_core::review::Session::region_name(code) {
            Some(name) => assert_eq!(label, name, "{row:?}"),
            None if code.len() == 6 && !code.starts_with("37") => {
                assert_eq!(label, "省外", "{row:?}");
            }
            None => assert!(label.is_empty() || label.ends_with("（已撤销）"), "{row:?}"),
        }
    }
    assert!(table[1..].iter().any(|r| r[region + 1] == "省外"));
    assert!(
        table[1..]
            .iter()
            .any(|r| r[region] == "371203" && r[region + 1] == "钢城区（已撤销）")
    );
    assert!(table[1..].iter().any(|r| !r[industry + 1].is_empty()));
    // In English, with English headers; names alone without --labels.
    let en = rows(&exported(
        &s,
        &["--what", "data", "--labels", "--headers", "en"],
    ));
    let scale = en[0].iter().position(|h| h == "Enterprise scale").unwrap();
    assert_eq!(en[0][scale + 1], "Enterprise scale (label)");
    assert!(
        en[1..]
            .iter()
            .all(|r| ["large", "medium", "small", "micro", ""].contains(&r[scale + 1].as_str()))
    );
    let plain = rows(&exported(&s, &["--what", "data"]));
    assert!(!plain[0].iter().any(|h| h.ends_with("（名称）")));
    // The sample schema codes four fields: division, industry, scale, waste-gas treatment.
    assert_eq!(plain[0].len() + 4, table[0].len(), "{:?}", table[0]);
    // The other exports have no coded values to add.
    hs(&s)
        .args(["export", DEMO, "--what", "flags", "--labels"])
        .assert()
        .failure()
        .stderr(
            "error: --labels adds what coded values mean to the data; use it with --what data\n",
        );
}

#[test]
fn with_original_adds_the_imported_value_after_each_corrected_field() {
    let s = Scratch::new();
    reviewed(&s);
    let table = rows(&exported(
        &s,
        &["--what", "data", "--headers", "names", "--with-original"],
    ));
    let header = &table[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(at("pm_emit_t_original"), at("pm_emit_t") + 1);
    assert_eq!(at("receiving_water_original"), at("receiving_water") + 1);
    assert_eq!(at("coal_sulfur_pct_original"), at("coal_sulfur_pct") + 1);
    // The undone correction leaves so2_gen_t uncorrected.
    assert!(!header.iter().any(|h| h == "so2_gen_t_original"));
    assert_eq!(header.len(), sample_fields() + 3);
    let record = |key: &str| table.iter().find(|r| r[0] == key).unwrap();
    let pm = record(PM_KG);
    assert_eq!(
        (&pm[at("pm_emit_t")][..], &pm[at("pm_emit_t_original")][..]),
        ("0.0164", "16.4")
    );
    let river = record(NO_RIVER);
    assert_eq!(&river[at("receiving_water")], "小清河（济南段）");
    assert_eq!(&river[at("receiving_water_original")], "");
    let sulphur = record(NO_SULPHUR);
    assert_eq!(
        (
            &sulphur[at("coal_sulfur_pct")][..],
            &sulphur[at("coal_sulfur_pct_original")][..]
        ),
        ("0.8", "")
    );
    // An uncorrected record's original is its value.
    let kiln = record(KILN);
    assert_eq!(kiln[at("pm_emit_t")], kiln[at("pm_emit_t_original")]);
    let zh = rows(&exported(&s, &["--what", "data", "--with-original"])).remove(0);
    assert!(zh.contains(&"颗粒物排放量（原值）".to_string()), "{zh:?}");
}

#[test]
fn the_change_log_has_one_row_per_standing_correction() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let table = rows(&exported(&s, &["--what", "changes", "--headers", "names"]));
    assert_eq!(
        table[0],
        [
            "record_id",
            "field",
            "label",
            "original",
            "new",
            "rules",
            "reason",
            "reviewer",
            "role",
            "at",
            "event",
            "hash"
        ]
    );
    let brief: Vec<Vec<&str>> = table[1..]
        .iter()
        .map(|r| r[..9].iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        brief,
        [
            [
                PM_KG,
                "pm_emit_t",
                "Particulate matter emitted",
                "16.4",
                "0.0164",
                "R15",
                "单位换算错误",
                "王五",
                "省级审核"
            ],
            [
                NO_RIVER,
                "receiving_water",
                "Receiving water body",
                "",
                "小清河",
                "R22",
                "企业核实",
                "张三",
                "县级审核"
            ],
            [
                NO_RIVER,
                "receiving_water",
                "Receiving water body",
                "小清河",
                "小清河（济南段）",
                "",
                "企业核实",
                "张三",
                "县级审核"
            ],
            [
                NO_SULPHUR,
                "coal_sulfur_pct",
                "Fuel coal sulphur content",
                "",
                "0.8",
                "R19",
                "企业核实",
                "张三",
                "县级审核"
            ],
        ]
    );
    for row in &table[1..] {
        let (at, hash): (String, String) = {
            let conn = rusqlite::Connection::open(&ws).unwrap();
            conn.query_row(
                "SELECT at, hash FROM events WHERE id = ?1",
                [row[10].parse::<i64>().unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
        };
        assert_eq!((&row[9], &row[11]), (&at, &hash));
    }
    let zh = rows(&exported(&s, &["--what", "changes"])).remove(0);
    assert_eq!(
        zh[..6],
        [
            "普查对象记录号",
            "指标",
            "指标名称",
            "原值",
            "新值",
            "审核规则"
        ]
    );
}

#[test]
fn flags_carry_their_state_and_explanation() {
    let s = Scratch::new();
    reviewed(&s);
    let table = rows(&exported(&s, &["--what", "flags", "--headers", "names"]));
    assert_eq!(
        table[0],
        [
            "record_id",
            "rule",
            "severity",
            "title",
            "outcome",
            "state",
            "explanation",
            "explained_by",
            "first_seen",
            "resolved_at"
        ]
    );
    let flag = |key: &str, rule: &str| {
        table
            .iter()
            .find(|r| r[0] == key && r[1] == rule)
            .unwrap_or_else(|| panic!("no {rule} flag on {key}"))
            .clone()
    };
    let kiln = flag(KILN, "R21");
    assert_eq!(
        kiln[2..8],
        [
            "warning",
            kiln[3].as_str(),
            "fail",
            "explained",
            "水泥窑固硫，经现场核查数据无误",
            "王五"
        ]
    );
    let pm = flag(PM_KG, "R15");
    assert_eq!(
        (&pm[2][..], &pm[3][..], &pm[5][..]),
        ("error", "PM emitted must not exceed PM generated", "fixed")
    );
    assert!(!pm[9].is_empty(), "a fixed flag says when");
    // The correction fixed R20 and its undo failed it again: two flags, the history kept.
    let coal: Vec<(&str, bool)> = table
        .iter()
        .filter(|r| r[0] == COAL_NO_SO2 && r[1] == "R20")
        .map(|r| (r[5].as_str(), r[9].is_empty()))
        .collect();
    assert_eq!(coal, [("fixed", false), ("failing", true)]);
    let states: std::collections::BTreeSet<&str> =
        table[1..].iter().map(|r| r[5].as_str()).collect();
    assert_eq!(
        states.into_iter().collect::<Vec<_>>(),
        ["explained", "failing", "fixed"]
    );
    let zh = rows(&exported(&s, &["--what", "flags"]));
    let title = &zh.iter().find(|r| r[0] == PM_KG).unwrap()[3];
    assert_eq!(title, "颗粒物排放量不得大于产生量");
}

#[test]
fn the_signature_register_holds_signer_role_time_and_record_hash() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let table = rows(&exported(
        &s,
        &["--what", "signatures", "--headers", "names"],
    ));
    assert_eq!(
        table[0],
        [
            "record_id",
            "signer",
            "role",
            "at",
            "record_hash",
            "event",
            "state",
            "voided_by"
        ]
    );
    let brief: Vec<(&str, &str, &str, &str)> = table[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        brief,
        [
            (PM_KG, "王五", "省级审核", "standing"),
            (PM_KG, "李四", "市级审核", "standing"),
            (NO_RIVER, "王五", "省级审核", "voided"),
            (NO_RIVER, "李四", "市级审核", "voided"),
        ]
    );
    let stored: String = one(
        &ws,
        "SELECT record_hash FROM signatures WHERE reviewer = '李四' ORDER BY event LIMIT 1",
    );
    assert_eq!(table[2][4], stored);
    assert_eq!(table[2][4].len(), 64);
    let reopen: i64 = one(&ws, "SELECT id FROM events WHERE kind = 'reopen'");
    assert_eq!(table[3][7], reopen.to_string());
    let signed = rows(&exported(
        &s,
        &[
            "--what",
            "signatures",
            "--only",
            "signed",
            "--headers",
            "names",
        ],
    ));
    assert_eq!(signed.len(), 3, "{signed:?}");
    assert!(
        signed[1..]
            .iter()
            .all(|r| r[0] == PM_KG && r[6] == "standing")
    );
}

#[test]
fn notes_and_only_signed() {
    let s = Scratch::new();
    reviewed(&s);
    let notes = rows(&exported(&s, &["--what", "notes", "--headers", "en"]));
    assert_eq!(
        notes[0],
        [
            "Census record ID",
            "Note",
            "Reviewer",
            "Role",
            "Time",
            "Event"
        ]
    );
    assert_eq!(
        notes[1][..4],
        [NO_RIVER, "待企业确认受纳水体名称", "张三", "县级审核"]
    );
    assert_eq!(notes.len(), 2);
    let data = rows(&exported(&s, &["--what", "data", "--only", "signed"]));
    assert_eq!(data.len(), 2);
    assert_eq!(data[1][0], PM_KG);
    let changes = rows(&exported(&s, &["--what", "changes", "--only", "signed"]));
    assert_eq!(changes.len(), 2);
    assert_eq!((&changes[1][0][..], &changes[1][4][..]), (PM_KG, "0.0164"));
    let notes = rows(&exported(&s, &["--what", "notes", "--only", "signed"]));
    assert_eq!(notes.len(), 1, "the noted record is no longer signed");
}

#[test]
fn json_is_typed_and_keyed_by_field_name() {
    let s = Scratch::new();
    reviewed(&s);
    let data: serde_json::Value =
        serde_json::from_str(&exported(&s, &["--what", "data", "--format", "json"])).unwrap();
    let records = data.as_array().unwrap();
    assert_eq!(records.len(), 2000);
    let pm = records.iter().find(|r| r["record_id"] == PM_KG).unwrap();
    assert_eq!(pm["pm_emit_t"], serde_json::json!(0.0164));
    assert!(pm["has_gas_treatment"].is_boolean(), "{pm}");
    assert!(pm["open_year"].is_i64(), "{pm}");
    let river = records.iter().find(|r| r["record_id"] == NO_RIVER).unwrap();
    assert_eq!(river["receiving_water"], "小清河（济南段）");
    let changes: serde_json::Value =
        serde_json::from_str(&exported(&s, &["--what", "changes", "--format", "json"])).unwrap();
    assert_eq!(changes[0]["original"], serde_json::json!(16.4));
    assert_eq!(changes[1]["original"], serde_json::Value::Null);
    assert_eq!(changes[0]["rules"], "R15");
    assert!(changes[0]["event"].is_i64());
}

/// An export holds what the workspace held when it began, whatever is written meanwhile.
#[test]
fn an_export_reads_one_snapshot_while_others_review() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let mut reader = Workspace::open(&ws).unwrap();
    let snapshot = reader.snapshot().unwrap();
    // Another reviewer corrects a record after the export began.
    act(&ws, "王五", KILN, |s, r, v| {
        s.correct(r, v, "unit_name", "临朐某某水泥有限公司", "企业核实")
    });
    let out = s.path("during.csv");
    let mut output = Output::create(Some(&out), false).unwrap();
    let options = ExportOptions {
        what: What::Changes,
        form: None,
        format: Format::Csv,
        encoding: OutEncoding::Utf8,
        only: Only::All,
        headers: None,
        with_original: false,
        with_labels: false,
        with_scores: false,
        with_parent: Vec::new(),
    };
    let report = snapshot.export(&options, &mut output).unwrap();
    output.finish().unwrap();
    assert_eq!(report.rows, 4, "the correction made meanwhile is not in it");
    drop(snapshot);
    let after = rows(&exported(&s, &["--what", "changes"]));
    assert_eq!(after.len(), 1 + 5);
}
