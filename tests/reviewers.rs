//! Reviewers and what lets them in: a passphrase (three tries, counted in plain words; six
//! characters at least), a name the workspace knows, and a region scope outside which every
//! action is refused.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{fingerprint, rowid, stored};
use common::demo::{CLEAN_JINAN, CLEAN_QINGDAO, JIANGSU, NO_RIVER, PM_KG};
use common::review::{leave, open, outside, refusal, sign_as};
use common::{DEMO, Scratch, demo, hs};
use predicates::str::contains;
use rusqlite::types::Value as Sql;

/// A batch file that changes nothing, so that `apply` (without `--commit`) only logs in:
/// `review` needs a terminal, `apply` asks for the passphrase the same way.
const LOGIN: &str =
    "key,field,value,reason\nG3701150000003,unit_name,济阳凯胜热电有限公司,企业核实\n";

/// `huishen apply DEMO login.csv --reviewer WHO`, the given standard input.
fn log_in(s: &Scratch, who: &str, stdin: &str) -> assert_cmd::assert::Assert {
    s.write("login.csv", LOGIN);
    hs(s)
        .args(["apply", DEMO, "login.csv", "--reviewer", who])
        .write_stdin(stdin.to_string())
        .assert()
}

#[test]
fn three_wrong_passphrases_open_nothing() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    // Another member's passphrase, the right one in capitals, the right one with a space.
    log_in(&s, "李四", "wangwu-2017\nLISI-2017\nlisi-2017 \n")
        .failure()
        .code(1)
        .stderr(contains("wrong passphrase; 2 tries left\n"))
        .stderr(contains(
            "error: wrong passphrase for 李四 three times; nothing was opened\n",
        ))
        .stdout("");
    log_in(&s, "王五", "a\nb\nc\n")
        .failure()
        .code(1)
        .stderr(contains(
            "error: wrong passphrase for 王五 three times; nothing was opened\n",
        ));
    log_in(&s, "赵六", "zhaoliu-2017\n")
        .failure()
        .code(1)
        .stderr(
            "error: there is no reviewer 赵六 in demo.huishen; add one with `huishen reviewer add demo.huishen 赵六 --role ROLE`\n",
        );
    assert_eq!(fingerprint(&ws), before);
}

/// Input that ends before a passphrase (Ctrl-D, a script's standard input running out) is no
/// passphrase, not three wrong ones; after a wrong one as well.
#[test]
fn input_that_ends_is_no_passphrase_given() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    let refusal = "error: no passphrase given for 张三: the input ended before one was typed; \
        nothing was opened. Type it at the prompt, or give it as a line of standard input\n";
    log_in(&s, "张三", "")
        .failure()
        .code(1)
        .stdout("")
        .stderr(refusal);
    log_in(&s, "张三", "wrong-one\n")
        .failure()
        .code(1)
        .stderr(format!("wrong passphrase; 2 tries left\n{refusal}"));
    hs(&s)
        .args(["reviewer", "add", DEMO, "赵六", "--role", "统计部门"])
        .write_stdin("")
        .assert()
        .failure()
        .stderr(
            "error: no passphrase given: the input ended before one was typed; nothing was \
             changed. Type it at the prompt, or give it as a line of standard input\n",
        );
    assert_eq!(fingerprint(&ws), before);
}

/// What a reviewer reads after each wrong passphrase, word for word.
#[test]
fn the_passphrase_prompt_counts_the_tries_left_in_plain_words() {
    let s = Scratch::new();
    demo(&s);
    log_in(&s, "李四", "a\nb\nc\n").failure().stderr(
        "wrong passphrase; 2 tries left\n\
         wrong passphrase; 1 try left\n\
         error: wrong passphrase for 李四 three times; nothing was opened\n",
    );
}

#[test]
fn a_reviewer_needs_a_passphrase_of_six_characters() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    hs(&s)
        .args(["reviewer", "add", DEMO, "赵六", "--role", "统计部门"])
        .write_stdin("12345\n")
        .assert()
        .failure()
        .stderr(
            "error: the passphrase is too short: use at least 6 characters; nothing was changed\n",
        );
    hs(&s)
        .args(["reviewer", "add", DEMO, "李四", "--role", "统计部门"])
        .write_stdin("lisi-2018\n")
        .assert()
        .failure()
        .stderr("error: reviewer 李四 exists already\n");
    hs(&s)
        .args([
            "reviewer",
            "add",
            DEMO,
            "赵六",
            "--role",
            "统计部门",
            "--scope",
            "济南",
        ])
        .write_stdin("zhaoliu-2017\n")
        .assert()
        .failure()
        .stderr("error: the scope `济南` is not a division-code prefix (digits, e.g. 3703); nothing was changed\n");
    // Said before any passphrase is asked for: with none given, the scope is still the answer.
    hs(&s)
        .args(["reviewer", "add", DEMO, "赵六", "--role", "统计部门", "--scope", "济南"])
        .write_stdin("")
        .assert()
        .failure()
        .stderr("error: the scope `济南` is not a division-code prefix (digits, e.g. 3703); nothing was changed\n");
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn a_reviewer_cannot_act_outside_their_scope() {
    let s = Scratch::new();
    let ws = demo(&s);
    let qingdao = rowid(&ws, PM_KG);
    let jiangsu = rowid(&ws, JIANGSU);
    let clean_qingdao = rowid(&ws, CLEAN_QINGDAO);
    assert!(sign_as(&ws, clean_qingdao, &["李四", "王五"]));
    let v_clean = 2;
    let mut zhangsan = open(&ws, "张三");
    let before = fingerprint(&ws);

    let message = outside(PM_KG, "370211", "3701");
    assert_eq!(
        refusal(zhangsan.correct(qingdao, 0, "pm_emit_t", "0.0164", "单位换算错误")),
        message
    );
    assert_eq!(
        refusal(zhangsan.explain(qingdao, 0, "R15", "企业确认")),
        message
    );
    assert_eq!(refusal(zhangsan.note(qingdao, 0, "待核实")), message);
    assert_eq!(refusal(zhangsan.sign(qingdao, 0)), message);
    assert_eq!(refusal(zhangsan.undo(qingdao, 0)), message);
    assert_eq!(
        refusal(zhangsan.reopen(clean_qingdao, v_clean, "企业更正")),
        outside(CLEAN_QINGDAO, "370213", "3701")
    );
    // 李四's scope is Shandong (37): a Jiangsu record is outside it.
    let mut lisi = open(&ws, "李四");
    assert_eq!(
        refusal(lisi.note(jiangsu, 0, "应移交江苏")),
        outside(JIANGSU, "320722", "37")
    );
    assert_eq!(fingerprint(&ws), before);

    // Inside the scope the same actions are accepted; 王五's scope is everywhere.
    let jinan = rowid(&ws, NO_RIVER);
    zhangsan.note(jinan, 0, "已联系企业").unwrap();
    lisi.note(qingdao, 0, "疑似千克误填为吨").unwrap();
    let mut wangwu = open(&ws, "王五");
    wangwu.note(jiangsu, 0, "应移交江苏省").unwrap();
}

#[test]
fn a_reviewer_who_moves_a_record_out_of_their_scope_can_no_longer_act_on_it() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_JINAN);
    let mut zhangsan = open(&ws, "张三");
    zhangsan
        .correct(rec, 0, "region_code", "370213", "区划调整")
        .unwrap();
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(zhangsan.undo(rec, 1)),
        outside(CLEAN_JINAN, "370213", "3701")
    );
    assert_eq!(fingerprint(&ws), before);
    // 李四 (Shandong) can take it back once 张三 has left it.
    leave(&zhangsan);
    let mut lisi = open(&ws, "李四");
    lisi.correct(rec, 1, "region_code", "370115", "区划调整")
        .unwrap();
    assert_eq!(
        stored(&ws, CLEAN_JINAN, "region_code"),
        Sql::Text("370115".into())
    );
}
