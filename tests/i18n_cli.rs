//! The command line speaks the language asked for: `--lang`, then `HUISHEN_LANG`, then
//! `LC_ALL` / `LC_MESSAGES` / `LANG`; its errors, its tables and summaries, and the values of
//! an export under Chinese headers.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use assert_cmd::Command;
use common::{DEMO, Scratch, demo, hs};

/// `huishen ARGS` on the demo in `s`, with the language given by `how`.
fn run(s: &Scratch, how: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = hs(s);
    cmd.env_remove("HUISHEN_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    for (var, value) in how {
        if *var == "--lang" {
            cmd.args(["--lang", value]);
        } else {
            cmd.env(var, value);
        }
    }
    cmd.args(args);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

fn stderr_of_failure(cmd: &mut Command) -> String {
    let out = cmd.assert().failure().get_output().clone();
    String::from_utf8(out.stderr).unwrap()
}

/// Every way of asking for Chinese.
const CHINESE: [&[(&str, &str)]; 4] = [
    &[("--lang", "zh")],
    &[("HUISHEN_LANG", "zh-CN")],
    &[("LANG", "zh_CN.UTF-8")],
    &[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")],
];

/// Every way of asking for English, over a Chinese locale.
const ENGLISH: [&[(&str, &str)]; 3] = [
    &[],
    &[("--lang", "en"), ("LANG", "zh_CN.UTF-8")],
    &[("HUISHEN_LANG", "en"), ("LANG", "zh_CN.UTF-8")],
];

#[test]
fn status_speaks_the_language_asked_for() {
    let s = Scratch::new();
    demo(&s);
    for how in CHINESE {
        let out = stdout(&mut run(&s, how, &["status", DEMO]));
        assert!(out.contains("G101_1：2000 条记录，截至"), "{how:?}\n{out}");
        assert!(out.contains("有疑问"), "{how:?}\n{out}");
        assert!(out.contains("\n各规则\n"), "{how:?}\n{out}");
        assert!(!out.contains("records, as of"), "{how:?}\n{out}");
    }
    for how in ENGLISH {
        let out = stdout(&mut run(&s, how, &["status", DEMO]));
        assert!(
            out.contains("G101_1: 2000 records, as of"),
            "{how:?}\n{out}"
        );
        assert!(out.contains("\nby rule\n"), "{how:?}\n{out}");
    }
}

#[test]
fn status_by_rule_gives_the_titles_in_the_language() {
    let s = Scratch::new();
    demo(&s);
    let zh = stdout(&mut run(&s, CHINESE[0], &["status", DEMO, "--by", "rule"]));
    assert!(zh.contains("统一社会信用代码校验位错误"), "{zh}");
    assert!(zh.contains("严重程度") && zh.contains("错误"), "{zh}");
    assert!(!zh.contains("Credit code check character is wrong"), "{zh}");
    let en = stdout(&mut run(&s, ENGLISH[0], &["status", DEMO, "--by", "rule"]));
    assert!(en.contains("Credit code check character is wrong"), "{en}");
    assert!(!en.contains("统一社会信用代码校验位错误"), "{en}");
    // The CSV for scripts keeps its names and both titles, whatever the language.
    let csv = stdout(&mut run(
        &s,
        CHINESE[0],
        &["status", DEMO, "--by", "rule", "--csv"],
    ));
    assert!(csv.starts_with("rule,severity,at_first_check"), "{csv}");
}

#[test]
fn errors_are_said_in_the_language_asked_for() {
    let s = Scratch::new();
    for how in CHINESE {
        let err = stderr_of_failure(&mut run(&s, how, &["status", "nowhere.huishen"]));
        assert_eq!(
            err,
            "错误：nowhere.huishen 处没有工作区；请用 `huishen init nowhere.huishen --schema FILE` 新建\n",
            "{how:?}"
        );
    }
    for how in ENGLISH {
        let err = stderr_of_failure(&mut run(&s, how, &["status", "nowhere.huishen"]));
        assert!(
            err.starts_with("error: there is no workspace at nowhere.huishen"),
            "{how:?}: {err}"
        );
    }
}

#[test]
fn a_refusal_of_the_command_line_itself_is_said_in_chinese() {
    let s = Scratch::new();
    demo(&s);
    let err = stderr_of_failure(&mut run(
        &s,
        CHINESE[1],
        &["status", DEMO, "--behind", "50", "--by", "rule"],
    ));
    assert_eq!(
        err,
        "错误：--behind 列出有进度的地市和审核员；规则没有进度：请去掉 --by rule\n"
    );
}

#[test]
fn check_summarises_in_chinese() {
    let s = Scratch::new();
    demo(&s);
    let out = stdout(&mut run(&s, CHINESE[2], &["check", DEMO]));
    let head = out.lines().next().unwrap();
    for word in ["规则", "严重程度", "条数", "通过", "未通过", "缺失"] {
        assert!(head.contains(word), "{head}");
    }
    assert!(out.contains("\n合计 "), "{out}");
    assert!(out.contains("规则集 1：新增"), "{out}");
    let out = stdout(&mut run(&s, ENGLISH[0], &["check", DEMO]));
    assert!(out.starts_with("rule     severity"), "{out}");
    assert!(out.contains("rule set 1: "), "{out}");
}

#[test]
fn an_import_refused_row_by_row_is_said_in_chinese() {
    let s = Scratch::new();
    demo(&s);
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/i18n/g101_1_bad_number.csv"
    );
    let err = stderr_of_failure(&mut run(
        &s,
        CHINESE[0],
        &["import", DEMO, "--form", "G101_1", file],
    ));
    assert!(
        err.starts_with("错误：") && err.contains("1 行中有 1 行有误，未导入任何内容"),
        "{err}"
    );
    assert!(
        err.contains(":2:10 output_value_10k_yuan (工业总产值（当年价格）)：值“四点二”不是数字"),
        "{err}"
    );
    assert!(err.contains("请修改这些行后重新导入"), "{err}");
    assert!(!err.contains("is not a number"), "{err}");
    let err = stderr_of_failure(&mut run(
        &s,
        ENGLISH[0],
        &["import", DEMO, "--form", "G101_1", file],
    ));
    assert!(err.contains("value \"四点二\" is not a number"), "{err}");
}

#[test]
fn verify_says_what_it_proved_in_chinese() {
    let s = Scratch::new();
    demo(&s);
    let out = stdout(&mut run(&s, CHINESE[3], &["verify", DEMO]));
    assert!(out.starts_with("页面完整性：文件的每一页都完好"), "{out}");
    assert!(out.contains("审计日志："), "{out}");
    assert!(out.contains("签字：每个有效签字都与其记录相符"), "{out}");
    let out = stdout(&mut run(&s, ENGLISH[1], &["verify", DEMO]));
    assert!(out.starts_with("page integrity: every page"), "{out}");
}

#[test]
fn flags_exported_under_chinese_headers_have_chinese_values() {
    let s = Scratch::new();
    demo(&s);
    let zh = stdout(&mut run(
        &s,
        ENGLISH[0],
        &["export", DEMO, "--what", "flags"],
    ));
    // A CSV for spreadsheets starts with a byte-order mark.
    let zh = zh.trim_start_matches('\u{feff}');
    let first = zh.lines().nth(1).unwrap();
    assert!(
        zh.starts_with("普查对象记录号,审核规则,类别,规则标题,结果,状态"),
        "{zh}"
    );
    assert!(
        first.contains(",错误,") || first.contains(",提示,"),
        "{first}"
    );
    assert!(
        first.contains(",不成立,") || first.contains(",缺失,"),
        "{first}"
    );
    assert!(first.contains(",未通过,"), "{first}");
    assert!(!zh.contains(",failing,"), "{zh}");
    // Under names, the values are the names scripts read.
    let names = stdout(&mut run(
        &s,
        CHINESE[0],
        &["export", DEMO, "--what", "flags", "--headers", "names"],
    ));
    assert!(names.contains(",failing,"), "{names}");
    assert!(!names.contains(",未通过,"), "{names}");
}

#[test]
fn export_says_what_it_wrote_in_chinese() {
    let s = Scratch::new();
    demo(&s);
    let done = run(
        &s,
        CHINESE[0],
        &["export", DEMO, "--what", "notes", "--out", "notes.csv"],
    )
    .assert()
    .success()
    .get_output()
    .clone();
    assert!(
        done.stdout.is_empty(),
        "the export is the data; what it did goes to standard error"
    );
    let out = String::from_utf8(done.stderr).unwrap();
    assert!(out.starts_with("已将 G101_1 的 "), "{out}");
    assert!(
        out.contains("条备注导出到 notes.csv（CSV, UTF-8）"),
        "{out}"
    );
}

#[test]
fn a_language_huishen_does_not_speak_is_refused_in_both() {
    let s = Scratch::new();
    run(&s, &[("--lang", "fr")], &["status", DEMO])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`fr` is not a language huishen speaks: use en or zh-CN（请用 en 或 zh-CN）",
        ));
}

/// A record outside the reviewer's scope, in a batch of corrections: 李四 (scope 37) and a
/// Jiangsu record, refused in Chinese with the record, its region and his scope.
#[test]
fn a_record_outside_the_scope_is_refused_in_chinese() {
    let s = Scratch::new();
    demo(&s);
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/i18n/outside_scope.csv"
    );
    let args = ["apply", DEMO, file, "--reviewer", "李四"];
    let err = stderr_of_failure(run(&s, CHINESE[0], &args).write_stdin("lisi-2017\n"));
    assert!(
        err.contains("记录 G3207220000145（区划 320722）不在您的审核范围 37 内"),
        "{err}"
    );
    assert!(
        err.contains("1 行中有 1 行无法应用，未写入任何内容"),
        "{err}"
    );
    assert!(!err.contains("outside your scope"), "{err}");
    let err = stderr_of_failure(run(&s, ENGLISH[0], &args).write_stdin("lisi-2017\n"));
    assert!(err.contains("is outside your scope 37"), "{err}");
}
