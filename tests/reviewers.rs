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

#[test]
fn three_wrong_passphrases_open_nothing() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    hs(&s)
        .args(["review", DEMO, "--reviewer", "李四"])
        // Another member's passphrase, the right one in capitals, the right one with a space.
        .write_stdin("wangwu-2017\nLISI-2017\nlisi-2017 \n")
        .assert()
        .failure()
        .code(1)
        .stderr(contains("wrong passphrase; 2 tries left\n"))
        .stderr(contains(
            "error: wrong passphrase for 李四 three times; nothing was opened\n",
        ))
        .stdout("");
    hs(&s)
        .args(["review", DEMO, "--reviewer", "王五"])
        .write_stdin("a\nb\nc\n")
        .assert()
        .failure()
        .code(1)
        .stderr(contains(
            "error: wrong passphrase for 王五 three times; nothing was opened\n",
        ));
    // Standard input that ends early counts as wrong answers.
    hs(&s)
        .args(["review", DEMO, "--reviewer", "张三"])
        .write_stdin("")
        .assert()
        .failure()
        .code(1)
        .stderr(contains(
            "error: wrong passphrase for 张三 three times; nothing was opened\n",
        ));
    hs(&s)
        .args(["review", DEMO, "--reviewer", "赵六"])
        .write_stdin("zhaoliu-2017\n")
        .assert()
        .failure()
        .code(1)
        .stderr(
            "error: there is no reviewer 赵六 in demo.huishen; add one with `huishen reviewer add demo.huishen 赵六 --role ROLE`\n",
        );
    assert_eq!(fingerprint(&ws), before);
}

/// What a reviewer reads after each wrong passphrase, word for word.
#[test]
fn the_passphrase_prompt_counts_the_tries_left_in_plain_words() {
    let s = Scratch::new();
    demo(&s);
    hs(&s)
        .args(["review", DEMO, "--reviewer", "李四"])
        .write_stdin("a\nb\nc\n")
        .assert()
        .failure()
        .stderr(
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
