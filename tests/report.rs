//! `huishen report` end to end, on the demo workspace after a short review session
//! (`common::demo::reviewed`): the page
//! is valid HTML5 (html5ever reports no parse error) and needs nothing from outside; it shows
//! the session's figures in both languages, or in one when asked; Markdown has the same
//! tables; and bad input is refused with a clear message.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::demo::{KILN, NO_RIVER, NO_SULPHUR, PM_KG, reviewed};
use common::seeded::{seeded, seeded_in, seeded_records};
use common::{DEMO, SAMPLE_CSV, Scratch, hs, huishen};
use html5ever::tendril::TendrilSink;
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::{QuirksMode, TreeBuilderOpts};
use html5ever::{ParseOpts, parse_document};
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use predicates::prelude::*;

/// R21's row in the reviewed workspace: flagged, failing and the explained share. It flags
/// its seeded records and [`NO_SULPHUR`], whose sulphur content filled in is off the coal
/// balance; [`KILN`]'s warning is explained.
fn r21_figures() -> [String; 3] {
    let flagged = seeded()["R21"].len() as u64 + 1;
    [
        flagged.to_string(),
        (flagged - 1).to_string(),
        format!("{:.1}%", 100.0 / flagged as f64),
    ]
}

/// The report of the reviewed workspace, written with `args`, as text.
fn report(args: &[&str]) -> String {
    let s = Scratch::new();
    reviewed(&s);
    let out = hs(&s).args(["report", DEMO]).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Parses a page, insisting on no parse error and no quirks mode.
fn parse(html: &str) -> RcDom {
    let dom = parse_leniently(html);
    let errors = dom.errors.borrow();
    assert!(errors.is_empty(), "HTML5 parse errors: {errors:#?}");
    assert_eq!(dom.quirks_mode.get(), QuirksMode::NoQuirks);
    drop(errors);
    dom
}

/// Parses a page, collecting every parse error the HTML5 algorithm defines.
fn parse_leniently(html: &str) -> RcDom {
    let opts = ParseOpts {
        tokenizer: TokenizerOpts {
            exact_errors: true,
            ..TokenizerOpts::default()
        },
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..TreeBuilderOpts::default()
        },
    };
    parse_document(RcDom::default(), opts).one(html)
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

fn is(node: &Handle, tag: &str) -> bool {
    matches!(&node.data, NodeData::Element { name, .. } if &*name.local == tag)
}

/// The text of a node, as a reader sees it (the style sheet and SVG are not text).
fn text(node: &Handle) -> String {
    let mut out = String::new();
    if let NodeData::Text { contents } = &node.data {
        out.push_str(&contents.borrow());
    }
    if is(node, "style") || is(node, "svg") {
        return out;
    }
    if is(node, "br") {
        out.push(' ');
    }
    for child in node.children.borrow().iter() {
        out.push_str(&text(child));
    }
    out
}

/// Every element with this tag, in document order.
fn all(node: &Handle, tag: &str, found: &mut Vec<Handle>) {
    if is(node, tag) {
        found.push(node.clone());
    }
    for child in node.children.borrow().iter() {
        all(child, tag, found);
    }
}

fn section(dom: &RcDom, id: &str) -> Handle {
    let mut sections = Vec::new();
    all(&dom.document, "section", &mut sections);
    sections
        .into_iter()
        .find(|s| attr(s, "id").as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no section {id}"))
}

/// The cells of the `n`th table of a section, the heading row first.
fn table(dom: &RcDom, id: &str, n: usize) -> Vec<Vec<String>> {
    let mut tables = Vec::new();
    all(&section(dom, id), "table", &mut tables);
    let mut rows = Vec::new();
    all(&tables[n], "tr", &mut rows);
    rows.iter()
        .map(|row| {
            row.children
                .borrow()
                .iter()
                .filter(|c| is(c, "td") || is(c, "th"))
                .map(|c| text(c).trim().to_string())
                .collect()
        })
        .collect()
}

fn row<'a>(table: &'a [Vec<String>], first: &str) -> &'a [String] {
    table
        .iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row {first} in {table:#?}"))
}

#[test]
fn the_page_is_valid_html5_and_needs_nothing_from_outside() {
    let html = report(&[]);
    parse(&html);
    assert!(
        html.starts_with(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"
        )
    );
    for outside in ["<script", "http:", "https:", " src=", "<link", "url("] {
        assert!(!html.contains(outside), "the page has {outside}");
    }
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 7);
}

#[test]
fn the_validity_check_catches_broken_pages() {
    for broken in [
        "<html><head><title>x</title></head><body></body></html>",
        "<!DOCTYPE html><html><head><title>x</title></head><body><p>a</div></body></html>",
        "<!DOCTYPE html><html><head><title>x</title></head><body><table><p>a</table></body></html>",
        "<!DOCTYPE html><html><head><title>x</title></head><body><p a=\"1\" a=\"2\">x</p></body></html>",
    ] {
        let dom = parse_leniently(broken);
        assert!(
            !dom.errors.borrow().is_empty() || dom.quirks_mode.get() != QuirksMode::NoQuirks,
            "no error found in {broken}"
        );
    }
}

#[test]
fn the_page_shows_the_sessions_figures_in_both_languages() {
    let dom = parse(&report(&[]));
    let title = text(&dom.document);
    assert!(
        title.contains("联合会审报告 Joint review report"),
        "{title}"
    );
    let mut tiles = Vec::new();
    all(&section(&dom, "overview"), "div", &mut tiles);
    let tiles: Vec<String> = tiles
        .iter()
        .filter(|d| attr(d, "class").as_deref() == Some("tile"))
        .map(text)
        .collect();
    // Of the flagged records, two await sign-off and one is locked; an object flagged only in
    // the rows beneath its record is still open, as its own flags would keep it.
    let flagged = seeded_records();
    // The census objects, and the rows beneath them of each child form.
    let rows = |csv: &str| huishen_core::domain::text::thousands(csv.lines().count() as u64 - 1);
    let boilers = rows(include_str!("../sample-data/shandong-2017/g103_1.csv"));
    let outlets = rows(include_str!("../sample-data/shandong-2017/g102.csv"));
    assert_eq!(
        tiles,
        [
            "2,000普查对象 Census objects".to_string(),
            format!("{boilers}锅炉/燃气轮机废气治理与排放情况（行） Boilers: fuel and SO2 (rows)"),
            format!("{outlets}废水排放口（行） Wastewater outlets (rows)"),
            format!("{flagged}被标记 Flagged"),
            format!("{}待处理 Still open", flagged - 3),
            format!("{}待签核 Awaiting sign-off", 2),
            "1已签核锁定 Signed and locked".to_string(),
            "4修正 Corrections".to_string(),
            "1说明 Explanations".to_string(),
            "1备注 Notes".to_string(),
        ]
    );
    let regions = table(&dom, "regions", 0);
    assert_eq!(
        regions[0],
        [
            "地市 Prefecture",
            "记录 Records",
            "被标记 Flagged",
            "待处理 Still open",
            "待签核 Awaiting sign-off",
            "已修正 Corrected",
            "已签核 Signed"
        ]
    );
    // 青岛: one record corrected and signed (locked); 济南: two corrected, one of them awaiting
    // sign-off.
    let n = |count: u64| count.to_string();
    let qingdao = seeded_in("3702");
    assert_eq!(
        row(&regions, "3702 青岛市")[1..],
        ["147", &n(qingdao), &n(qingdao - 1), "0", "1", "1"]
    );
    let jinan = seeded_in("3701");
    assert_eq!(
        row(&regions, "3701 济南市")[1..],
        ["173", &n(jinan), &n(jinan - 1), "1", "2", "0"]
    );
    assert_eq!(
        row(&regions, "3207（省外 outside Shandong）")[1..3],
        ["6", &n(seeded_in("3207"))]
    );
    assert_eq!(
        row(&regions, "合计 Total")[1..],
        ["2,000", &n(flagged), &n(flagged - 3), &n(2), "3", "1"]
    );
    let rules = table(&dom, "rules", 0);
    assert_eq!(
        row(&rules, "R15")[1..],
        [
            "强制性 Error",
            "颗粒物排放量不得大于产生量 PM emitted must not exceed PM generated",
            "9",
            "8",
            "0",
            "1",
            "—"
        ]
    );
    let r21 = row(&rules, "R21");
    assert_eq!(r21[1], "提示性 Warning");
    let [r21_flagged, r21_failing, r21_share] = r21_figures();
    assert_eq!(
        r21[3..],
        [r21_flagged, r21_failing, "1".into(), "0".into(), r21_share]
    );
    let fields = table(&dom, "corrections", 0);
    assert_eq!(
        row(&fields, "受纳水体 Receiving water body")[1..],
        ["receiving_water", "2", "1"]
    );
    let reasons = table(&dom, "corrections", 1);
    assert_eq!(
        reasons[1..],
        [
            vec![
                "企业核实 Confirmed with the enterprise".to_string(),
                "3".into()
            ],
            vec!["单位换算错误 Unit error".to_string(), "1".into()],
        ]
    );
    let reviewers = table(&dom, "reviewers", 0);
    assert_eq!(
        row(&reviewers, "张三")[1..8],
        ["县级审核", "3701 济南市", "3", "0", "1", "0", "2"]
    );
    assert_eq!(
        row(&reviewers, "李四")[1..8],
        ["市级审核", "37 山东省", "0", "0", "0", "1", "2"]
    );
    // 王五's correction of COAL_NO_SO2 was undone: it is no correction, but he worked on
    // four records.
    assert_eq!(
        row(&reviewers, "王五")[1..8],
        ["省级审核", "全部 everywhere", "1", "1", "0", "1", "4"]
    );
    let open = table(&dom, "open", 0);
    assert_eq!(
        open[0],
        [
            "普查对象记录号 Census record ID",
            "单位详细名称 Unit name",
            "区县 County",
            "未通过的规则 Rules still failing"
        ]
    );
    // The header, and every flagged object but the two awaiting sign-off and the one locked
    // (an object flagged only beneath its record lists the rules of those rows).
    assert_eq!(open.len() as u64, 1 + seeded_records() - 3);
    assert_eq!(row(&open, NO_SULPHUR)[2..], ["370102 历下区", "R21"]);
    for done in [PM_KG, NO_RIVER, KILN] {
        assert!(!open.iter().any(|r| r[0] == done), "{done} is not open");
    }
}

#[test]
fn the_page_speaks_one_language_when_asked() {
    let en = report(&["--lang", "en"]);
    let dom = parse(&en);
    assert!(en.contains("<html lang=\"en\">"));
    let words = text(&dom.document);
    for heading in [
        "Overview",
        "By prefecture",
        "By rule",
        "Rule quality",
        "Corrections",
        "Reviewers",
        "Records still open",
        "County",
    ] {
        assert!(words.contains(heading), "no {heading}");
    }
    for chinese in ["概况", "区县", "按审核规则"] {
        assert!(!words.contains(chinese), "{chinese} in the English report");
    }
    assert_eq!(row(&table(&dom, "rules", 0), "R15")[1], "Error");
    let zh = report(&["--lang", "zh-CN"]);
    let words = text(&parse(&zh).document);
    assert!(words.contains("概况") && words.contains("区县"));
    for english in ["Overview", "County", "Records still open"] {
        assert!(!words.contains(english), "{english} in the Chinese report");
    }
}

#[test]
fn markdown_has_the_same_tables() {
    let md = report(&["--format", "md"]);
    assert!(
        md.starts_with("# 联合会审报告 Joint review report\n\n- **报表 Form**: G101_1\n"),
        "{md}"
    );
    let flagged = seeded_records();
    let total = format!(
        "| **合计 Total** | **2,000** | **{flagged}** | **{}** | **{}** | **3** | **1** |",
        flagged - 3,
        2
    );
    let r21 = format!("| R21 | {} |", r21_figures()[2]);
    for line in [
        "## 概况 Overview",
        "| 已签核锁定 Signed and locked | 1 |",
        "## 按审核规则 By rule",
        "| R15 | 强制性 Error | 颗粒物排放量不得大于产生量 PM emitted must not exceed PM generated | 9 | 8 | 0 | 1 | — |",
        total.as_str(),
        r21.as_str(),
        "| 企业核实 Confirmed with the enterprise | 3 |",
    ] {
        assert!(md.lines().any(|l| l == line), "no line {line:?} in:\n{md}");
    }
    assert!(!md.contains('<'), "no markup in Markdown");
}

#[test]
fn a_workspace_without_rules_or_review_has_a_report_too() {
    let s = Scratch::new();
    let ws = s.sample_workspace();
    huishen()
        .arg("import")
        .arg(&ws)
        .args(["--form", "G101_1", SAMPLE_CSV])
        .assert()
        .success();
    huishen()
        .current_dir(s.dir.path())
        .args(["report", "ws.huishen", "--out", "report.html"])
        .assert()
        .success()
        .stderr("wrote the review report to report.html\n");
    let html = std::fs::read_to_string(s.path("report.html")).unwrap();
    let dom = parse(&html);
    let words = text(&dom.document);
    assert!(words.contains("尚未载入 none loaded yet"), "{words}");
    assert!(words.contains("暂无数据 Nothing yet"));
    // Only the administrator who made the workspace, with nothing done yet.
    assert_eq!(
        table(&dom, "reviewers", 0)[1],
        [
            "王五",
            "组长",
            "全部 everywhere",
            "0",
            "0",
            "0",
            "0",
            "0",
            "—"
        ]
    );
}

#[test]
fn bad_input_is_refused() {
    let s = Scratch::new();
    reviewed(&s);
    let run = |args: &[&str]| {
        let mut cmd = hs(&s);
        cmd.args(["report", DEMO]).args(args);
        cmd
    };
    s.write("report.html", "older report");
    run(&["--out", "report.html"])
        .assert()
        .failure()
        .stderr("error: report.html exists already; nothing was written. Choose another path, or add --force to replace it\n");
    assert_eq!(
        std::fs::read_to_string(s.path("report.html")).unwrap(),
        "older report"
    );
    run(&["--out", "report.html", "--force"]).assert().success();
    assert!(
        std::fs::read_to_string(s.path("report.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    run(&["--form", "G999"])
        .assert()
        .failure()
        .stdout("")
        .stderr("error: the workspace has no form `G999`; its forms are: G101_1, G103_1, G102\n");
    run(&["--out", "nowhere/report.html"])
        .assert()
        .failure()
        .stderr("error: cannot write nowhere/report.html: the folder nowhere does not exist\n");
    run(&["--lang", "fr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'fr' for '--lang <LANG>': `fr` is not a language huishen speaks: use en or zh-CN",
        ));
    run(&["--format", "pdf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("[possible values: html, md]"));
    let mut left: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(DEMO))
        .collect();
    left.sort();
    assert_eq!(left, ["report.html"], "files left behind");
}

/// A printed report is a witness: it carries the trail's head in full and the root key's
/// fingerprint, as `huishen verify` will hold the trail to them.
#[test]
fn the_report_carries_the_trails_head_and_root() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let (event, hash): (i64, String) = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    hs(&s)
        .args(["report", DEMO, "--out", "r.html"])
        .assert()
        .success();
    let html = std::fs::read_to_string(s.path("r.html")).unwrap();
    let words = text(&parse(&html).document);
    assert!(words.contains(&format!("#{event} {hash}")), "{words}");
    let root = common::review::root_of(&ws);
    assert!(words.contains(&root), "{words}");
}
