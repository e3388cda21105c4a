//! Search finds what a reviewer types: any part of a unit's name (two Chinese characters
//! such as 济南 as well as one or many), or the start of its key; the same lines as reading
//! every name would give, through the name index, which follows corrections and undos. The
//! records no rule flagged are counted apart, so that a reviewer is told why they are not
//! listed.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::sqlite3;
use common::review::open;
use common::{Scratch, demo};
use huishen_core::review::{Direction, QueueFilter, Session};

/// The queue lines the search lists, in queue order.
fn searched(session: &Session, text: &str) -> Vec<String> {
    let filter = QueueFilter {
        search: Some(text.to_string()),
        ..QueueFilter::default()
    };
    let rows = session
        .window(&filter, None, Direction::Forward, 100_000)
        .unwrap();
    assert_eq!(session.count(&filter).unwrap(), rows.len() as u64, "{text}");
    rows.into_iter().map(|r| r.key).collect()
}

/// The same, by reading every line: key from its start, name anywhere (ASCII case folded).
fn every_line(session: &Session, text: &str) -> Vec<String> {
    let all = session
        .window(&QueueFilter::default(), None, Direction::Forward, 100_000)
        .unwrap();
    let lower = text.to_lowercase();
    all.into_iter()
        .filter(|r| {
            r.key.starts_with(text)
                || (r.name.as_deref()).is_some_and(|n| n.to_lowercase().contains(&lower))
        })
        .map(|r| r.key)
        .collect()
}

#[test]
fn search_lists_what_reading_every_name_lists() {
    let s = Scratch::new();
    let ws = demo(&s);
    let session = open(&ws, "王五");
    let names: Vec<String> = session
        .window(&QueueFilter::default(), None, Direction::Forward, 100_000)
        .unwrap()
        .into_iter()
        .filter_map(|r| r.name)
        .collect();
    // Parts of real names, one to four characters long, from their start, middle and end.
    let first = names[0].chars().collect::<Vec<_>>();
    let mut texts: Vec<String> = vec![
        "济南".into(),
        "有限".into(),
        "公司".into(),
        "化".into(),
        "司".into(),
        first[..2].iter().collect(),
        first[1..4].iter().collect(),
        first[first.len() - 2..].iter().collect(),
        "G37".into(),
        "G3714250000019".into(),
        "3714".into(),
        "不在任何名称中".into(),
        "（".into(),
    ];
    texts.extend(names.iter().take(5).cloned());
    for text in &texts {
        let expected = every_line(&session, text);
        assert_eq!(searched(&session, text), expected, "search for {text}");
    }
    // Two-character searches find names, the example a reviewer gives first.
    assert!(!searched(&session, "济南").is_empty());
    // A key is found from its start: its digits in the middle are not a name.
    assert_eq!(searched(&session, "G3714250000019"), ["G3714250000019"]);
    assert!(searched(&session, "3714250000019").is_empty());
}

#[test]
fn a_corrected_name_is_found_as_it_now_reads_and_an_undo_brings_the_old_one_back() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut session = open(&ws, "王五");
    let line = session
        .window(
            &QueueFilter {
                search: Some("G3714250000019".into()),
                ..QueueFilter::default()
            },
            None,
            Direction::Forward,
            1,
        )
        .unwrap()
        .remove(0);
    let old = line.name.clone().unwrap();
    let seen = session.status(line.record).unwrap().version;
    session
        .correct(
            line.record,
            seen,
            "unit_name",
            "鹊华新材料有限公司",
            "名称以营业执照为准",
        )
        .unwrap();
    assert_eq!(searched(&session, "鹊华"), ["G3714250000019"]);
    assert_eq!(searched(&session, "鹊华新材料"), ["G3714250000019"]);
    assert!(!searched(&session, &old).contains(&"G3714250000019".to_string()));
    let seen = session.status(line.record).unwrap().version;
    session.undo(line.record, seen).unwrap();
    assert!(searched(&session, "鹊华").is_empty());
    assert!(searched(&session, &old).contains(&"G3714250000019".to_string()));
}

#[test]
fn records_no_rule_flagged_are_counted_apart() {
    let s = Scratch::new();
    let ws = demo(&s);
    let session = open(&ws, "王五");
    // A record the rules did not flag, by its key and by its name.
    let out = sqlite3(
        &ws,
        "SELECT record_id, unit_name FROM G101_1 t WHERE NOT EXISTS \
         (SELECT 1 FROM queue q WHERE q.form = 'G101_1' AND q.record = t.rowid) LIMIT 1",
    );
    let found = String::from_utf8(out.stdout).unwrap();
    let (key, name) = found.trim().split_once('|').unwrap();
    assert!(searched(&session, key).is_empty());
    let (count, keys) = session.unflagged_matches(key, 3).unwrap();
    assert_eq!((count, keys), (1, vec![key.to_string()]));
    let (count, keys) = session.unflagged_matches(name, 3).unwrap();
    assert!(
        count >= 1 && keys.contains(&key.to_string()),
        "{name}: {keys:?}"
    );
    // A flagged record is not counted among them.
    let (count, _) = session.unflagged_matches("G3714250000019", 3).unwrap();
    assert_eq!(count, 0);
}
