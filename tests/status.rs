//! `huishen status` and the dashboard: the figures after a morning's review of the demo
//! workspace, as JSON, CSV and text, the regions and reviewers behind, and the dashboard drawn
//! from the same figures in both languages at 120×40 and 80×24.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};

use common::review::queued;
use common::seeded::{seeded, seeded_in, seeded_records};
use common::{Scratch, demo, huishen};
use huishen::tui::i18n::Lang;
use huishen::tui::theme::Theme;
use huishen::tui::views::dashboard;
use huishen_core::domain::time::Zone;
use huishen_core::review::Session;
use huishen_core::review::Stats;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

/// Where the reviewers' work "today" starts in these tests: before anything happened.
const SINCE: &str = "2000-01-01T00:00:00Z";

/// Seeded defects (sample-data/README.md) the tests work on.
const SWAPPED: &str = "G3704040001869"; // R08 longitude and latitude swapped (枣庄)
const NEGATIVE: &str = "G3704050001229"; // R10 negative water intake (枣庄)
const COD: &str = "G3704060000061"; // R11 COD emitted above generated (枣庄)
const NO_RIVER: &str = "G3704050000271"; // R22 no receiving water (枣庄)
const RETROFIT: &str = "G3701020000637"; // R30 SO2 fell more than 3x (济南)
const WATER: &str = "G3709110000030"; // R24 wastewater above water intake (泰安)

/// `who` at work on the workspace; their claims end when they are done.
fn act(ws: &Path, who: &str, work: impl FnOnce(&mut Session)) {
    let mut session = Session::open(ws, who, common::review::passphrase_of(who), None).unwrap();
    work(&mut session);
    session.release().unwrap();
}

fn correct(s: &mut Session, key: &str, field: &str, text: &str) {
    let record = queued(s, key);
    let seen = s.status(record).unwrap().version;
    s.correct(record, seen, field, text, "单位换算错误")
        .unwrap();
}

fn explain(s: &mut Session, key: &str, rule: &str) {
    let record = queued(s, key);
    let seen = s.status(record).unwrap().version;
    s.explain(record, seen, rule, "已电话核实，数据属实")
        .unwrap();
}

fn sign(s: &mut Session, key: &str) {
    let record = queued(s, key);
    let seen = s.status(record).unwrap().version;
    s.sign(record, seen).unwrap();
}

/// The demo after a morning's work: three records of 枣庄 corrected and signed by two roles
/// (locked), one corrected and not signed, two warnings explained, one of them signed once.
fn reviewed(s: &Scratch) -> PathBuf {
    let ws = demo(s);
    act(&ws, "王五", |s| {
        correct(s, SWAPPED, "longitude", "117.241614");
        correct(s, SWAPPED, "latitude", "34.995869");
        sign(s, SWAPPED);
        correct(s, COD, "cod_gen_t", "5.2");
        sign(s, COD);
        explain(s, RETROFIT, "R30");
    });
    act(&ws, "李四", |s| {
        sign(s, SWAPPED);
        correct(s, NEGATIVE, "water_intake_t", "7914");
        sign(s, NEGATIVE);
        sign(s, COD);
        correct(s, NO_RIVER, "receiving_water", "峄城污水处理厂");
        explain(s, WATER, "R24");
    });
    act(&ws, "王五", |s| sign(s, NEGATIVE));
    act(&ws, "张三", |s| sign(s, RETROFIT));
    ws
}

fn status(ws: &Path, args: &[&str]) -> String {
    let out = huishen()
        .arg("status")
        .arg(ws)
        .args(["--since", SINCE])
        .args(args)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn status_json(ws: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&status(ws, &all)).unwrap()
}

fn tally(flagged: u64, signed: u64, ready: u64, open: u64, pct: f64) -> Value {
    json!({ "flagged": flagged, "signed": signed, "ready": ready, "open": open, "progress_pct": pct })
}

/// The rules of the sample's form G101_1 (status lists one form's rules; those of the rows
/// beneath its records are on their own forms).
/// The sample's rules on G101_1 and the forms beneath it (boilers, outlets): every rule.
fn object_rules() -> usize {
    common::sample_record_rules()
}

/// The tally of `flagged` records of which `signed` are signed and `ready` await sign-off.
fn tally_of(flagged: u64, signed: u64, ready: u64) -> Value {
    tally(
        flagged,
        signed,
        ready,
        flagged - signed - ready,
        percent(signed, flagged),
    )
}

/// `part` of `whole` in per cent, to one decimal, as the figures round it.
fn percent(part: u64, whole: u64) -> f64 {
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// The prefectures (4-digit prefixes) with a seeded record.
fn seeded_prefectures() -> usize {
    let keys = seeded().into_values().flatten();
    let prefixes: std::collections::BTreeSet<String> = keys.map(|k| k[1..5].to_string()).collect();
    prefixes.len()
}

/// The line of `text` that starts with `start`, split at runs of blanks.
fn cells<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    let line = text.lines().find(|l| l.starts_with(start));
    let line = line.unwrap_or_else(|| panic!("no line starts with {start:?} in:\n{text}"));
    line.split_whitespace().collect()
}

fn by<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {list}"))
}

#[test]
fn status_counts_what_the_reviewers_did() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let f = status_json(&ws, &[]);
    assert_eq!(f["form"], "G101_1");
    assert_eq!(f["records"], 2000);
    assert_eq!(f["since"], "2000-01-01T00:00:00.000Z");
    // Signed: three records of 枣庄; ready: one more of 枣庄, one of 济南 and one of 泰安.
    let all = seeded_records();
    assert_eq!(f["overall"], tally_of(all, 3, 3));

    let regions = &f["prefectures"];
    assert_eq!(regions.as_array().unwrap().len(), seeded_prefectures());
    let mut zaozhuang = tally_of(seeded_in("3704"), 3, 1);
    zaozhuang["code"] = json!("370400");
    zaozhuang["name"] = json!("枣庄市");
    assert_eq!(by(regions, "code", "370400"), &zaozhuang);
    assert_eq!(by(regions, "code", "370100")["open"], seeded_in("3701") - 1);
    assert_eq!(by(regions, "code", "370900")["ready"], 1);
    assert_eq!(by(regions, "code", "371200")["name"], "莱芜市");
    assert_eq!(by(regions, "code", "320300")["name"], Value::Null);
    let flagged: u64 = regions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["flagged"].as_u64().unwrap())
        .sum();
    assert_eq!(flagged, all);

    assert_eq!(
        f["reviewers"],
        json!([
            { "name": "张三", "role": "县级审核", "scope": "3701", "signed_today": 1,
              "corrections_today": 0, "explanations_today": 0, "in_scope": tally_of(seeded_in("3701"), 0, 1) },
            { "name": "李四", "role": "市级审核", "scope": "37", "signed_today": 3,
              "corrections_today": 2, "explanations_today": 1, "in_scope": tally_of(seeded_in("37"), 3, 3) },
            { "name": "王五", "role": "省级审核", "scope": "", "signed_today": 3,
              "corrections_today": 3, "explanations_today": 1, "in_scope": tally_of(all, 3, 3) },
        ])
    );

    let rules = &f["rules"];
    assert_eq!(rules.as_array().unwrap().len(), object_rules());
    let counts = |id: &str| {
        let r = by(rules, "rule", id);
        [
            &r["at_first_check"],
            &r["failing_now"],
            &r["corrected"],
            &r["explained"],
        ]
        .map(|v| v.as_u64().unwrap())
    };
    // At the first check a rule flags its seeded records; one of them corrected (R08, R10, R11,
    // R22) or explained (R24, R30) since, or none (R13, X01).
    let seeded = seeded();
    let at_first = |id: &str| seeded[id].len() as u64;
    for id in ["R08", "R10", "R11", "R22"] {
        assert_eq!(counts(id), [at_first(id), at_first(id) - 1, 1, 0], "{id}");
    }
    for id in ["R24", "R30"] {
        assert_eq!(counts(id), [at_first(id), at_first(id), 0, 1], "{id}");
    }
    for id in ["R13", "X01"] {
        assert_eq!(counts(id), [at_first(id), at_first(id), 0, 0], "{id}");
    }
    assert_eq!(by(rules, "rule", "R30")["severity"], "warning");
    assert_eq!(
        by(rules, "rule", "R30")["title"]["zh"]
            .as_str()
            .unwrap()
            .get(..6),
        Some("二氧")
    );

    let mut hours = vec![json!(0); 23];
    hours.push(json!(7));
    assert_eq!(f["signatures_per_hour"], Value::Array(hours));

    // Nothing happened after 2999: no work today.
    let later = huishen()
        .args([
            "status",
            ws.to_str().unwrap(),
            "--json",
            "--since",
            "2999-01-01",
        ])
        .assert()
        .success();
    let later: Value = serde_json::from_slice(&later.get_output().stdout).unwrap();
    for r in later["reviewers"].as_array().unwrap() {
        assert_eq!([&r["signed_today"], &r["corrections_today"]], [0, 0], "{r}");
    }
    // Without --since, today starts at local midnight, given in UTC.
    let today = huishen()
        .args(["status", ws.to_str().unwrap(), "--json"])
        .assert()
        .success();
    let today: Value = serde_json::from_slice(&today.get_output().stdout).unwrap();
    let (since, as_of) = (
        today["since"].as_str().unwrap(),
        today["as_of"].as_str().unwrap(),
    );
    assert!(
        since.ends_with(":00.000Z") && since <= as_of,
        "{since} {as_of}"
    );
    huishen()
        .args(["status", ws.to_str().unwrap(), "--since", "soon"])
        .assert()
        .failure()
        .stdout("")
        .stderr(
            "error: “soon” is not a time; write a day, 2026-12-01 (from midnight in UTC), a day and \
             a time in UTC, 2026-12-01 08:00, or a time with its offset, 2026-12-01T08:00:00+08:00\n",
        );
}

#[test]
fn the_dashboard_and_status_agree() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let session = Session::open(&ws, "张三", common::review::passphrase_of("张三"), None).unwrap();
    let figures = session.figures(Some(SINCE)).unwrap();
    let mut screen = serde_json::to_value(&figures).unwrap();
    let mut cli = status_json(&ws, &[]);
    // The time of the read, and the finish the pace projects from it, differ by the time
    // between the two reads.
    for v in [&mut screen, &mut cli] {
        v.as_object_mut().unwrap().remove("as_of");
        v["pace"].as_object_mut().unwrap().remove("finish");
    }
    assert_eq!(screen, cli);
    assert_eq!(
        status_json(&ws, &["--by", "region"]),
        json!(figures.prefectures)
    );
    assert_eq!(
        status_json(&ws, &["--by", "reviewer"]),
        json!(figures.reviewers)
    );
    assert_eq!(status_json(&ws, &["--by", "rule"]), json!(figures.rules));
}

#[test]
fn status_prints_tables_and_csv() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let csv = status(&ws, &["--csv", "--by", "region"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "code,name,flagged,signed,ready,open,progress_pct");
    let jiangsu = seeded_in("3203");
    assert_eq!(lines[1], format!("320300,,{jiangsu},0,0,{jiangsu},0.0"));
    let zaozhuang = seeded_in("3704");
    let zaozhuang = format!(
        "370400,枣庄市,{zaozhuang},3,{},{},{:.1}",
        1,
        zaozhuang - 4,
        percent(3, zaozhuang)
    );
    assert!(lines.contains(&zaozhuang.as_str()), "{csv}");
    assert_eq!(lines.len(), seeded_prefectures() + 1);

    let csv = status(&ws, &["--csv", "--by", "reviewer"]);
    let (jinan, shandong, all) = (seeded_in("3701"), seeded_in("37"), seeded_records());
    assert_eq!(
        csv,
        format!(
            "name,role,scope,signed_today,corrections_today,explanations_today,flagged,signed,ready,open,progress_pct\n\
             张三,县级审核,3701,1,0,0,{jinan},0,{},{},0.0\n\
             李四,市级审核,37,3,2,1,{shandong},3,{},{},{:.1}\n\
             王五,省级审核,,3,3,1,{all},3,{},{},{:.1}\n",
            1,
            jinan - 1,
            3,
            shandong - 6,
            percent(3, shandong),
            3,
            all - 6,
            percent(3, all)
        )
    );
    let csv = status(&ws, &["--csv", "--by", "rule"]);
    assert!(csv.starts_with(
        "rule,severity,at_first_check,failing_now,corrected,explained,title_en,title_zh\n"
    ));
    let r24 = seeded()["R24"].len();
    assert!(
        csv.contains(&format!("\nR24,warning,{r24},{r24},0,1,")),
        "{csv}"
    );
    let csv = status(&ws, &["--csv"]);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("G101_1,"), "{row}");
    assert!(
        row.ends_with(&format!(
            ",2000-01-01T00:00:00.000Z,2000,{all},3,{},{},{:.1},7",
            3,
            all - 6,
            percent(3, all)
        )),
        "{row}"
    );

    let text = status(&ws, &[]);
    assert!(text.starts_with("G101_1: 2000 records, as of "), "{text}");
    // The trail's head, for a witness to keep: the newest event and its hash.
    let (event, hash): (i64, String) = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        text.contains(&format!(
            "\naudit trail head: event #{event} hash {hash}, root key {} (keep it outside the \
             workspace: huishen verify --witness FILE)\n",
            common::review::root_of(&ws)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\nflagged {all}: signed 3 ({:.1}%), ready {}, open {}\n",
            percent(3, all),
            3,
            all - 6
        )),
        "{text}"
    );
    assert!(text.contains("(7 in all)"), "{text}");
    let zaozhuang = seeded_in("3704");
    assert_eq!(
        cells(&text, "370400  "),
        [
            "370400",
            "枣庄市",
            &zaozhuang.to_string(),
            "3",
            &(1).to_string(),
            &(zaozhuang - 4).to_string(),
            &format!("{:.1}", percent(3, zaozhuang)),
        ]
    );
    assert_eq!(
        cells(&text, "李四  "),
        [
            "李四",
            "市级审核",
            "37",
            "3",
            "2",
            "1",
            &shandong.to_string(),
            "3",
            &(3).to_string(),
            &(shandong - 6).to_string(),
            &format!("{:.1}", percent(3, shandong)),
        ]
    );
    let r30 = seeded()["R30"].len().to_string();
    assert_eq!(
        cells(&text, "R30 ")[..7],
        ["R30", "warning", &r30, &r30, "0", "1", "SO2"]
    );
    let rules = status(&ws, &["--by", "rule"]);
    assert!(
        rules.starts_with("rule  severity  at_first_check"),
        "{rules}"
    );
    // The record rules' table, then the dataset rules under their heading.
    let (table, datasets) = rules.split_once("dataset rules").unwrap();
    assert_eq!(table.lines().count(), object_rules() + 1);
    let summaries = (datasets.lines()).filter(|l| l.starts_with('D')).count();
    assert_eq!(summaries, common::sample_dataset_rules(), "{datasets}");
}

#[test]
fn behind_lists_the_regions_and_reviewers_below_the_threshold() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    // 枣庄 has three of its flagged records signed, every other prefecture none: at a
    // threshold just under its share it is the one prefecture not behind.
    let threshold = (100.0 * 3.0 / seeded_in("3704") as f64).floor();
    let below = status_json(&ws, &["--behind", &threshold.to_string()]);
    assert_eq!(below["threshold_pct"], threshold);
    let codes: Vec<&str> = below["prefectures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), seeded_prefectures() - 1);
    assert!(!codes.contains(&"370400"), "枣庄 is not behind: {codes:?}");
    assert_eq!(below["reviewers"].as_array().unwrap().len(), 3);

    // 张三 has signed nothing in his scope; 李四 and 王五 three records (under 1 % of theirs).
    let jinan = seeded_in("3701");
    let csv = status(&ws, &["--behind", "0.5", "--by", "reviewer", "--csv"]);
    assert_eq!(
        csv,
        format!(
            "kind,id,name,flagged,signed,ready,open,progress_pct\nreviewer,张三,县级审核,{jinan},0,{},{},0.0\n",
            1,
            jinan - 1
        )
    );
    let text = status(&ws, &["--behind", "0.5%", "--by", "region"]);
    assert!(text.starts_with("below 0.5% signed"), "{text}");
    assert_eq!(
        cells(&text, "region  370100"),
        [
            "region",
            "370100",
            "济南市",
            &jinan.to_string(),
            "0",
            &(1).to_string(),
            &(jinan - 1).to_string(),
            "0.0"
        ]
    );
    assert!(
        !text.contains("370400") && !text.contains("\nreviewer "),
        "{text}"
    );
    assert_eq!(
        status(&ws, &["--behind", "0"]),
        "nothing is below 0% signed\n"
    );
    huishen()
        .args([
            "status",
            ws.to_str().unwrap(),
            "--behind",
            "50",
            "--by",
            "rule",
        ])
        .assert()
        .failure()
        .stdout("")
        .stderr(
            "error: --behind lists prefectures and reviewers, which have a progress; rules do \
             not: leave out --by rule\n",
        );
}

/// The dashboard as plain lines, each wide character once.
fn screen(figures: &Stats, lang: Lang, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            let theme = Theme { color: false };
            dashboard::render(f, f.area(), figures, (lang, theme), &Zone::utc())
        })
        .unwrap();
    common::screen::text_of(terminal.backend().buffer())
}

#[test]
fn dashboard_in_both_languages_at_two_sizes() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let session = Session::open(&ws, "王五", common::review::passphrase_of("王五"), None).unwrap();
    let mut figures = session.figures(Some(SINCE)).unwrap();
    figures.as_of = "2026-06-01T09:30:00.000Z".into();
    for (lang, name) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(120, 40), (80, 24)] {
            let text = screen(&figures, lang, w, h);
            insta::assert_snapshot!(format!("dashboard_{name}_{w}x{h}"), text);
        }
    }
    // Small and odd sizes draw what fits and never panic.
    for (w, h) in [(30, 8), (45, 14), (200, 60), (1, 1)] {
        screen(&figures, Lang::Zh, w, h);
    }
}
