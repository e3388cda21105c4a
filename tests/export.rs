//! `huishen export` end to end, on the demo workspace after a short review session by the
//! sample team: what each kind of export holds, that exported data re-imports to identical
//! values (UTF-8 and GBK), that an export reads one snapshot, and that every bad input is
//! refused with a clear message and leaves no file behind.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{SAMPLE_SCHEMA, Scratch, act, huishen};
use huishen_core::review::Workspace;
use huishen_core::review::{ExportOptions, Format, Only, OutEncoding, Output, What};
use predicates::prelude::*;
use proptest::strategy::Strategy;
use rusqlite::types::Value as Sql;

/// R15: PM emitted entered in kg (16.4 for 0.0164 t); corrected, signed twice, locked.
const PM_KG: &str = "G3702110001616";
/// R22: wastewater without receiving water (370105); corrected twice, signed, reopened, noted.
const NO_RIVER: &str = "G3701050000066";
/// R21 (warning): cement kiln far below the sulphur balance; explained.
const KILN: &str = "G3714250000019";
/// R20 and R21: coal burned with SO2 0; a correction made and undone.
const COAL_NO_SO2: &str = "G3707040000041";
/// R19: fuel coal without sulphur content (370102); corrected from empty.
const NO_SULPHUR: &str = "G3701020000108";

/// The demo workspace after a review session, built once per test run and copied.
fn reviewed() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("export-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ws = dir.join("demo.huishen");
        huishen()
            .arg("demo")
            .arg("--workspace")
            .arg(&ws)
            .assert()
            .success();
        act(&ws, "王五", PM_KG, |s, r, v| {
            s.correct(r, v, "pm_emit_t", "0.0164", "单位换算错误")
        });
        assert!(!act(&ws, "王五", PM_KG, |s, r, v| s.sign(r, v)));
        assert!(act(&ws, "李四", PM_KG, |s, r, v| s.sign(r, v)));
        act(&ws, "张三", NO_RIVER, |s, r, v| {
            s.correct(r, v, "receiving_water", "小清河", "企业核实")
        });
        act(&ws, "张三", NO_RIVER, |s, r, v| {
            s.correct(r, v, "receiving_water", "小清河（济南段）", "企业核实")
        });
        assert!(!act(&ws, "王五", NO_RIVER, |s, r, v| s.sign(r, v)));
        assert!(act(&ws, "李四", NO_RIVER, |s, r, v| s.sign(r, v)));
        act(&ws, "王五", NO_RIVER, |s, r, v| {
            s.reopen(r, v, "受纳水体名称需按名录填写")
        });
        act(&ws, "张三", NO_RIVER, |s, r, v| {
            s.note(r, v, "待企业确认受纳水体名称")
        });
        act(&ws, "王五", KILN, |s, r, v| {
            s.explain(r, v, "R21", "水泥窑固硫，经现场核查数据无误")
        });
        act(&ws, "王五", COAL_NO_SO2, |s, r, v| {
            s.correct(r, v, "so2_gen_t", "12.5", "录入错误")
        });
        act(&ws, "王五", COAL_NO_SO2, |s, r, v| s.undo(r, v));
        act(&ws, "张三", NO_SULPHUR, |s, r, v| {
            s.correct(r, v, "coal_sulfur_pct", "0.8", "企业核实")
        });
        // Fold the write-ahead log in, so that one file is the whole workspace.
        let conn = rusqlite::Connection::open(&ws).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        ws
    })
}

/// A fresh copy of the reviewed workspace as `ws.huishen` in the scratch folder.
fn workspace(s: &Scratch) -> PathBuf {
    let ws = s.path("ws.huishen");
    std::fs::copy(reviewed(), &ws).unwrap();
    ws
}

/// The binary, run in the scratch folder so that messages name files as given.
fn hs(s: &Scratch) -> assert_cmd::Command {
    let mut cmd = huishen();
    cmd.current_dir(s.dir.path());
    cmd
}

/// Exports with `args` to standard output and returns the text (without the UTF-8 BOM).
fn exported(s: &Scratch, args: &[&str]) -> String {
    let out = hs(s)
        .args(["export", "ws.huishen"])
        .args(args)
        .assert()
        .success();
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

/// Every record of a form with its values, by key, as SQLite holds them.
fn values(ws: &Path) -> Vec<Vec<Sql>> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare("SELECT * FROM G101_1 ORDER BY record_id")
        .unwrap();
    let n = stmt.column_count() - 2;
    stmt.query_map([], |row| (0..n).map(|i| row.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn one<T: rusqlite::types::FromSql>(ws: &Path, sql: &str) -> T {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Imports `file` into a fresh workspace of the sample schema, then compares every value.
fn reimports_identically(s: &Scratch, ws: &Path, file: &str, encoding: &str) {
    let fresh = s.path(&format!("{file}.huishen"));
    huishen()
        .arg("init")
        .arg(&fresh)
        .arg("--schema")
        .arg(SAMPLE_SCHEMA)
        .assert()
        .success();
    hs(s)
        .arg("import")
        .arg(&fresh)
        .args(["--form", "G101_1", "--encoding", encoding, file])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "imported 2000 records into G101_1",
        ));
    let (before, after) = (values(ws), values(&fresh));
    assert_eq!(before.len(), after.len());
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a, b, "a record changed on the way out and in");
    }
    assert!(
        before.iter().any(|r| r.contains(&Sql::Real(0.0164))),
        "the corrected value went out"
    );
}

#[test]
fn data_reimports_identically_in_utf8_and_gbk() {
    let s = Scratch::new();
    let ws = workspace(&s);
    hs(&s)
        .args([
            "export",
            "ws.huishen",
            "--what",
            "data",
            "--out",
            "utf8.csv",
        ])
        .assert()
        .success()
        .stdout("exported 2000 records of G101_1 to utf8.csv (CSV, UTF-8)\n");
    reimports_identically(&s, &ws, "utf8.csv", "auto");
    hs(&s)
        .args([
            "export",
            "ws.huishen",
            "--what",
            "data",
            "--encoding",
            "gbk",
        ])
        .args(["--out", "gbk.csv"])
        .assert()
        .success()
        .stdout("exported 2000 records of G101_1 to gbk.csv (CSV, GBK)\n");
    let bytes = std::fs::read(s.path("gbk.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK is not UTF-8");
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    assert!(text.starts_with("普查对象记录号,统一社会信用代码,单位详细名称,"));
    reimports_identically(&s, &ws, "gbk.csv", "gbk");
    for headers in ["names", "en"] {
        let file = format!("{headers}.csv");
        hs(&s)
            .args([
                "export",
                "ws.huishen",
                "--what",
                "data",
                "--headers",
                headers,
            ])
            .args(["--out", &file])
            .assert()
            .success();
        reimports_identically(&s, &ws, &file, "utf-8");
    }
}

#[test]
fn data_headers_are_the_fields_labels_or_names() {
    let s = Scratch::new();
    workspace(&s);
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
fn with_original_adds_the_imported_value_after_each_corrected_field() {
    let s = Scratch::new();
    workspace(&s);
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
    assert_eq!(header.len(), 32 + 3);
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
    let ws = workspace(&s);
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
    workspace(&s);
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
    let ws = workspace(&s);
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
    workspace(&s);
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
    workspace(&s);
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
    let ws = workspace(&s);
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
    };
    let report = snapshot.export(&options, &mut output).unwrap();
    output.finish().unwrap();
    assert_eq!(report.rows, 4, "the correction made meanwhile is not in it");
    drop(snapshot);
    let after = rows(&exported(&s, &["--what", "changes"]));
    assert_eq!(after.len(), 1 + 5);
}

// ---------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------

/// Runs an export that must fail with exactly `stderr` and leave no file in the folder but
/// the workspace (and whatever `keep` names).
fn refused(s: &Scratch, args: &[&str], stderr: &str, keep: &[&str]) {
    hs(s)
        .args(["export", "ws.huishen"])
        .args(args)
        .assert()
        .failure()
        .stdout("")
        .stderr(stderr.to_string());
    let mut left: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("ws.huishen"))
        .collect();
    left.sort();
    assert_eq!(left, keep, "files left behind");
}

#[test]
fn an_unknown_form_is_refused() {
    let s = Scratch::new();
    workspace(&s);
    refused(
        &s,
        &["--what", "data", "--form", "G999", "--out", "x.csv"],
        "error: the workspace has no form `G999`; its forms are: G101_1\n",
        &[],
    );
}

#[test]
fn an_unknown_what_is_a_usage_error() {
    let s = Scratch::new();
    workspace(&s);
    hs(&s)
        .args(["export", "ws.huishen", "--what", "everything"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'everything' for '--what <WHAT>'",
        ))
        .stderr(predicate::str::contains(
            "[possible values: data, changes, flags, signatures, notes]",
        ));
}

#[test]
fn an_existing_file_is_kept_unless_force_is_given() {
    let s = Scratch::new();
    workspace(&s);
    s.write("out.csv", "keep me");
    refused(
        &s,
        &["--what", "data", "--out", "out.csv"],
        "error: out.csv exists already; nothing was written. Choose another path, or add --force to replace it\n",
        &["out.csv"],
    );
    assert_eq!(
        std::fs::read_to_string(s.path("out.csv")).unwrap(),
        "keep me"
    );
    hs(&s)
        .args([
            "export",
            "ws.huishen",
            "--what",
            "notes",
            "--out",
            "out.csv",
            "--force",
        ])
        .assert()
        .success()
        .stdout("exported 1 notes of G101_1 to out.csv (CSV, UTF-8)\n");
    let text = std::fs::read_to_string(s.path("out.csv")).unwrap();
    assert!(text.starts_with("\u{feff}普查对象记录号,备注,"), "{text}");
}

#[test]
fn an_output_that_cannot_be_written_is_refused() {
    let s = Scratch::new();
    workspace(&s);
    refused(
        &s,
        &["--what", "data", "--out", "missing/out.csv"],
        "error: cannot write missing/out.csv: the folder missing does not exist\n",
        &[],
    );
    std::fs::create_dir(s.path("folder")).unwrap();
    refused(
        &s,
        &["--what", "data", "--out", "folder"],
        "error: cannot write folder: it is a folder; give the path of a file\n",
        &["folder"],
    );
}

#[test]
fn a_value_gbk_cannot_encode_names_record_and_field_and_writes_nothing() {
    let s = Scratch::new();
    let ws = workspace(&s);
    act(&ws, "王五", KILN, |s, r, v| {
        s.correct(r, v, "unit_name", "临朐𠮷祥水泥有限公司", "企业核实")
    });
    let message = format!(
        "error: cannot write out.csv in GBK: record {KILN}, field unit_name (单位详细名称) is “临朐𠮷祥水泥有限公司”, and GBK has no 𠮷 (U+20BB7); nothing was written. Export with --encoding utf-8, or correct the value\n"
    );
    refused(
        &s,
        &["--what", "data", "--encoding", "gbk", "--out", "out.csv"],
        &message,
        &[],
    );
    // With --force over an older export, the older file stays as it was.
    s.write("out.csv", "older export");
    refused(
        &s,
        &[
            "--what",
            "data",
            "--encoding",
            "gbk",
            "--out",
            "out.csv",
            "--force",
        ],
        &message,
        &["out.csv"],
    );
    assert_eq!(
        std::fs::read_to_string(s.path("out.csv")).unwrap(),
        "older export"
    );
    refused(
        &s,
        &[
            "--what",
            "changes",
            "--encoding",
            "gbk",
            "--headers",
            "names",
        ],
        &format!(
            "error: cannot write standard output in GBK: record {KILN}, field unit_name, column new is “临朐𠮷祥水泥有限公司”, and GBK has no 𠮷 (U+20BB7); nothing was written. Export with --encoding utf-8, or correct the value\n"
        ),
        &["out.csv"],
    );
    hs(&s)
        .args([
            "export",
            "ws.huishen",
            "--what",
            "data",
            "--out",
            "utf8.csv",
        ])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(s.path("utf8.csv"))
            .unwrap()
            .contains("临朐𠮷祥水泥有限公司")
    );
}

#[test]
fn options_that_do_not_go_together_are_refused() {
    let s = Scratch::new();
    workspace(&s);
    refused(
        &s,
        &[
            "--what",
            "data",
            "--format",
            "json",
            "--encoding",
            "gbk",
            "--out",
            "x.json",
        ],
        "error: JSON is always UTF-8; leave out --encoding gbk, or export CSV\n",
        &[],
    );
    refused(
        &s,
        &["--what", "changes", "--with-original", "--out", "x.csv"],
        "error: --with-original adds original values to the data; use it with --what data (the change log has them already)\n",
        &[],
    );
}

#[test]
fn a_missing_workspace_is_refused() {
    let s = Scratch::new();
    hs(&s)
        .args(["export", "nothing.huishen", "--what", "data", "--out", "x.csv"])
        .assert()
        .failure()
        .stderr("error: there is no workspace at nothing.huishen; create one with `huishen init nothing.huishen --schema FILE`\n");
    assert!(!s.path("x.csv").exists());
}

// ---------------------------------------------------------------------------------------
// Values that must survive the trip out and back in exactly
// ---------------------------------------------------------------------------------------

const TINY_SCHEMA: &str = r#"
[[form]]
name = "T"
label = { zh = "测试表", en = "Test form" }
key = "id"

[[form.field]]
name = "id"
label = { zh = "编号", en = "ID" }
type = "text"
required = true

[[form.field]]
name = "name"
label = { zh = "名称", en = "Name" }
type = "text"

[[form.field]]
name = "code"
label = { zh = "代码", en = "Code" }
type = "code"

[[form.field]]
name = "count"
label = { zh = "数量", en = "Count" }
type = "integer"

[[form.field]]
name = "amount"
label = { zh = "金额", en = "Amount" }
type = "real"

[[form.field]]
name = "flag"
label = { zh = "标志", en = "Flag" }
type = "bool"
"#;

/// Every stored value of form T, in import order, in full detail (reals to the bit).
fn tiny_values(ws: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, name, code, count, amount, flag FROM T ORDER BY _import, _line")
        .unwrap();
    stmt.query_map([], |row| {
        let cells: Vec<String> = (0..6)
            .map(|i| match row.get::<_, Sql>(i).unwrap() {
                Sql::Real(x) => format!("Real({:#x})", x.to_bits()),
                other => format!("{other:?}"),
            })
            .collect();
        Ok(cells.join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A workspace of the tiny schema holding `csv`, made through the library.
fn tiny_workspace(dir: &Path, name: &str, csv: &Path) -> PathBuf {
    let ws = dir.join(name);
    let mut workspace = Workspace::create_from(&ws, "tiny.toml", TINY_SCHEMA, "tester").unwrap();
    let options = huishen_core::review::ImportOptions {
        form: "T",
        encoding: huishen_core::review::EncodingChoice::Auto,
        delimiter: b',',
        skip_bad_rows: false,
        user: "tester",
    };
    workspace.import_csv(csv, &options, &mut |_| {}).unwrap();
    ws
}

/// Exports the data of `ws` through the library and imports it into a fresh workspace.
fn round_trip(dir: &Path, ws: &Path, encoding: OutEncoding, tag: &str) -> PathBuf {
    let file = dir.join(format!("{tag}.csv"));
    let mut reader = Workspace::open(ws).unwrap();
    let mut out = Output::create(Some(&file), false).unwrap();
    let options = ExportOptions {
        what: What::Data,
        form: None,
        format: Format::Csv,
        encoding,
        only: Only::All,
        headers: None,
        with_original: false,
    };
    reader.export(&options, &mut out).unwrap();
    out.finish().unwrap();
    tiny_workspace(dir, &format!("{tag}.huishen"), &file)
}

#[test]
fn awkward_values_survive_the_round_trip_exactly() {
    let s = Scratch::new();
    let csv = s.write(
        "awkward.csv",
        "编号,名称,代码,数量,金额,标志\n\
         A1,\"济南,一厂\",0610,9223372036854775807,0.30000000000000004,是\n\
         A2,\"say \"\"hi\"\"\nnext line\",007,-9223372036854775808,1e-7,0\n\
         A3, leading and trailing space ,,,-0.0,\n\
         A4,\"carriage\r\nreturn\",1,0,123456789.12345679,1\n\
         A5,x,2,1,1e300,\n\
         A6,y,3,2,5e-324,\n\
         A7,z,4,3,-2.2250738585072014e-308,1\n",
    );
    let ws = tiny_workspace(s.dir.path(), "in.huishen", &csv);
    let before = tiny_values(&ws);
    assert_eq!(before.len(), 7);
    for (encoding, tag) in [(OutEncoding::Utf8, "utf8"), (OutEncoding::Gbk, "gbk")] {
        let back = round_trip(s.dir.path(), &ws, encoding, tag);
        assert_eq!(tiny_values(&back), before, "{tag}");
    }
    let text = std::fs::read_to_string(s.path("utf8.csv")).unwrap();
    assert!(
        text.contains("A1,\"济南,一厂\",0610,9223372036854775807,0.30000000000000004,1\n"),
        "{text}"
    );
    assert!(
        text.contains("A2,\"say \"\"hi\"\"\nnext line\",007,"),
        "{text}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 24, ..Default::default() })]

    /// Any finite number, whole number, yes/no and text (commas, quotes, line breaks,
    /// Chinese, spaces) comes back exactly.
    #[test]
    fn any_values_survive_the_round_trip_exactly(
        rows in proptest::collection::vec(
            (
                proptest::option::of("[a-z济南, \"\n]{1,8}"),
                proptest::option::of(proptest::num::i64::ANY),
                proptest::option::of(
                    proptest::num::f64::ANY.prop_filter("finite", |x| x.is_finite()),
                ),
                proptest::option::of(proptest::bool::ANY),
            ),
            1..40,
        )
    ) {
        let s = Scratch::new();
        let mut text = String::from("id,name,count,amount,flag\n");
        let quoted = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
        for (i, (name, count, amount, flag)) in rows.iter().enumerate() {
            text.push_str(&format!(
                "K{i},{},{},{},{}\n",
                name.as_deref().map(quoted).unwrap_or_default(),
                count.map(|c| c.to_string()).unwrap_or_default(),
                amount.map(|x| format!("{x:e}")).unwrap_or_default(),
                flag.map(|b| u8::from(b).to_string()).unwrap_or_default(),
            ));
        }
        let csv = s.write("random.csv", text);
        let ws = tiny_workspace(s.dir.path(), "in.huishen", &csv);
        let before = tiny_values(&ws);
        proptest::prop_assert_eq!(before.len(), rows.len());
        for (encoding, tag) in [(OutEncoding::Utf8, "utf8"), (OutEncoding::Gbk, "gbk")] {
            let back = round_trip(s.dir.path(), &ws, encoding, tag);
            proptest::prop_assert_eq!(tiny_values(&back), before.clone());
        }
    }
}
