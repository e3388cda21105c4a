//! Accepting a proposed fix is the same as making its correction by hand: on the selective
//! fixture (`tests/fixtures/selective/`) with A2's output drawn at random inside F01's unit-error
//! band, one copy of the workspace accepts F01 and another gets the same value with the same
//! reason typed as a correction; the values, flags, scores, proposals and queue lines of every
//! record agree afterwards, and both verify.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};

use huishen_core::domain::Datum;
use huishen_core::review::{Direction, QueueFilter, Session};
use proptest::prelude::*;

use common::fixtures::selective_with;
use common::review::{leave, open, seen, verified};
use common::{ADMIN, Scratch, hs};

/// The fixture with A2's output and 2016 output replaced, as workspace `name`.
fn workspace(s: &Scratch, name: &str, output: f64, prev: f64) -> PathBuf {
    selective_with(s, name, |csv| {
        csv.replace(
            "A2,3701,30,30,1000000,95,40",
            &format!("A2,3701,30,30,{output},{prev},40"),
        )
    })
}

/// Everything a reviewer sees of every record, and the queue.
fn seen_all(ws: &Path) -> String {
    let mut session = open(ws, ADMIN);
    let mut out = String::new();
    for record in 1..=5 {
        let d = session.record(record).unwrap().unwrap();
        let values: Vec<&str> = d.values.iter().map(|v| v.text.as_str()).collect();
        let flags: Vec<String> = d
            .flags
            .iter()
            .map(|f| format!("{}:{}", f.rule, f.state.as_str()))
            .collect();
        out.push_str(&format!(
            "{values:?} {flags:?} {:?} {:?}\n",
            d.scores, d.proposals
        ));
    }
    let rows = session
        .window(&QueueFilter::default(), None, Direction::Forward, 10)
        .unwrap();
    out.push_str(&format!("{rows:?}\n"));
    leave(&session);
    out
}

fn rowid(session: &mut Session, key: &str) -> i64 {
    session.find(key).unwrap().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn accepting_a_fix_equals_the_same_correction_by_hand(
        prev in 20u32..5000,
        ratio in 6600u32..13400,
    ) {
        let prev = f64::from(prev);
        let output = prev * f64::from(ratio);
        let s = Scratch::new();
        let accepted = workspace(&s, "a.huishen", output, prev);
        let by_hand = workspace(&s, "b.huishen", output, prev);

        let mut a = open(&accepted, ADMIN);
        let record = rowid(&mut a, "A2");
        let proposal = a.proposals(record).unwrap().into_iter().next().expect("F01 proposes");
        let new = proposal.changes[0].new.clone();
        prop_assert_eq!(&new, &Datum::Real(output / 10000.0));
        let v = seen(&mut a, record);
        a.accept_fix(record, v, "F01").unwrap();
        let reason = a.history(record).unwrap()[0].payload["reason"].as_str().unwrap().to_string();
        leave(&a);

        let mut b = open(&by_hand, ADMIN);
        let record = rowid(&mut b, "A2");
        let v = seen(&mut b, record);
        b.correct_to(record, v, "output", new, &reason).unwrap();
        leave(&b);

        prop_assert_eq!(seen_all(&accepted), seen_all(&by_hand));
        hs(&s).args(["verify", "a.huishen"]).assert().success().stdout(verified(&accepted));
        hs(&s).args(["verify", "b.huishen"]).assert().success().stdout(verified(&by_hand));
    }
}
