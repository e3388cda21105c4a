//! Times in the zone the office works in: `status`, the report, exports and refusals show the
//! trail's UTC times in the zone `HUISHEN_TZ` (else `TZ`, else the system's) names, with that
//! zone; an unknown zone is refused with what to do. Each expected time is the stored UTC time
//! shifted by the SQLite shell's own arithmetic, not by huishen's.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use std::path::Path;

use common::db::one;
use common::demo::{KILN, reviewed};
use common::review::open;
use common::{Scratch, demo, hs};
use serde_json::Value;

/// A zone as the tests use it: its name, the shift SQLite adds to UTC, its abbreviation and
/// its offset in RFC 3339.
struct Zone {
    name: &'static str,
    shift: &'static str,
    abbreviation: &'static str,
    offset: &'static str,
}

const SHANGHAI: Zone = Zone {
    name: "Asia/Shanghai",
    shift: "+8 hours",
    abbreviation: "CST",
    offset: "+08:00",
};

const UTC: Zone = Zone {
    name: "UTC",
    shift: "+0 hours",
    abbreviation: "UTC",
    offset: "Z",
};

/// `strftime(format, at, shift)` by SQLite.
fn shifted(ws: &Path, format: &str, at: &str, zone: &Zone) -> String {
    one(
        ws,
        &format!("SELECT strftime('{format}', '{at}', '{}')", zone.shift),
    )
}

/// A stored time as an export gives it in `zone`: `2026-12-01T14:51:15.704+08:00`, or the
/// stored text itself in UTC.
fn exported(ws: &Path, at: &str, zone: &Zone) -> String {
    match zone.offset {
        "Z" => at.to_string(),
        offset => format!("{}{offset}", shifted(ws, "%Y-%m-%dT%H:%M:%f", at, zone)),
    }
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn status_shows_the_time_and_today_in_the_zone() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    for zone in [SHANGHAI, UTC] {
        let now = |ws: &Path| shifted(ws, "%Y-%m-%d %H:%M", "now", &zone);
        let before = now(&ws);
        let out = hs(&s)
            .env("HUISHEN_TZ", zone.name)
            .args(["status", "demo.huishen"])
            .assert()
            .success();
        let after = now(&ws);
        let text = stdout(&out);
        let first = text.lines().next().unwrap();
        assert!(
            [&before, &after]
                .iter()
                .any(|t| first.ends_with(&format!("as of {t} {}", zone.abbreviation))),
            "{first} ({before} .. {after} {})",
            zone.name
        );
        let today = shifted(&ws, "%Y-%m-%d", "now", &zone);
        assert!(
            text.contains(&format!(
                "(today: since {today} 00:00 {};",
                zone.abbreviation
            )),
            "{text}"
        );

        let out = hs(&s)
            .env("HUISHEN_TZ", zone.name)
            .args(["status", "demo.huishen", "--json"])
            .assert()
            .success();
        let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            json["since"],
            format!("{today}T00:00:00.000{}", zone.offset),
            "{}",
            zone.name
        );
        assert!(json["as_of"].as_str().unwrap().ends_with(zone.offset));
    }
}

#[test]
fn since_is_read_in_the_zone_unless_it_gives_its_offset() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let today = shifted(&ws, "%Y-%m-%d", "now", &SHANGHAI);
    let json = |since: &str| -> Value {
        let out = hs(&s)
            .env("HUISHEN_TZ", SHANGHAI.name)
            .args(["status", "demo.huishen", "--json", "--since", since])
            .assert()
            .success();
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    // Midnight in Beijing is 16:00 UTC the day before.
    let utc_midnight: String = one(
        &ws,
        &format!("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', '{today}', '-8 hours')"),
    );
    let local = json(&today);
    let explicit = json(&utc_midnight);
    assert_eq!(local["since"], format!("{today}T00:00:00.000+08:00"));
    assert_eq!(local["since"], explicit["since"]);
    assert_eq!(local["reviewers"], explicit["reviewers"]);
    // The reviewed workspace's work was done today: it counts from local midnight.
    let signed: u64 = local["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["signed_today"].as_u64().unwrap())
        .sum();
    assert!(signed > 0, "{local}");
    assert_eq!(
        json(&format!("{today} 08:00"))["since"],
        format!("{today}T08:00:00.000+08:00")
    );
}

#[test]
fn exports_give_each_time_with_the_zones_offset() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let at_of = |event: &Value| -> String {
        one(
            &ws,
            &format!(
                "SELECT at FROM events WHERE id = {}",
                event.as_i64().unwrap()
            ),
        )
    };
    for zone in [SHANGHAI, UTC] {
        for what in ["changes", "signatures", "notes"] {
            let out = format!("{what}-{}.json", zone.abbreviation);
            hs(&s)
                .env("HUISHEN_TZ", zone.name)
                .args(["export", "demo.huishen", "--what", what, "--format", "json"])
                .args(["--headers", "names", "--out", &out])
                .assert()
                .success();
            let rows: Vec<Value> =
                serde_json::from_str(&std::fs::read_to_string(s.path(&out)).unwrap()).unwrap();
            assert!(!rows.is_empty(), "{what}");
            for row in &rows {
                let stored = at_of(&row["event"]);
                assert_eq!(row["at"], exported(&ws, &stored, &zone), "{what} {row}");
            }
        }
        // The flags: when first seen and when fixed, in CSV as in JSON.
        let out = format!("flags-{}.csv", zone.abbreviation);
        hs(&s)
            .env("HUISHEN_TZ", zone.name)
            .args([
                "export",
                "demo.huishen",
                "--what",
                "flags",
                "--headers",
                "names",
            ])
            .args(["--out", &out])
            .assert()
            .success();
        let text = std::fs::read_to_string(s.path(&out)).unwrap();
        let mut lines = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let heads = lines.headers().unwrap().clone();
        let column = |name: &str| heads.iter().position(|h| h == name).unwrap();
        let fixed = column("resolved_at");
        let mut shown: Vec<String> = lines
            .records()
            .map(|row| row.unwrap()[fixed].to_string())
            .filter(|at| !at.is_empty())
            .collect();
        let mut stored: Vec<String> = {
            let conn = rusqlite::Connection::open(&ws).unwrap();
            let mut q = conn
                .prepare(
                    "SELECT resolved_at FROM flags WHERE form = 'G101_1' AND resolved_at NOT NULL",
                )
                .unwrap();
            q.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(|at| exported(&ws, &at.unwrap(), &zone))
                .collect()
        };
        shown.sort();
        stored.sort();
        assert_eq!(shown, stored);
        let seen_fixed = shown.len();
        assert!(seen_fixed > 0, "{text}");
    }
}

#[test]
fn the_report_gives_its_times_in_the_zone() {
    let s = Scratch::new();
    let ws = demo(&s);
    let loaded: String = one(
        &ws,
        "SELECT loaded_at FROM rule_sets ORDER BY id DESC LIMIT 1",
    );
    for zone in [SHANGHAI, UTC] {
        let out = format!("report-{}.md", zone.abbreviation);
        let before = shifted(&ws, "%Y-%m-%d %H:%M", "now", &zone);
        hs(&s)
            .env("HUISHEN_TZ", zone.name)
            .args(["report", "demo.huishen", "--format", "md", "--out", &out])
            .assert()
            .success();
        let after = shifted(&ws, "%Y-%m-%d %H:%M", "now", &zone);
        let md = std::fs::read_to_string(s.path(&out)).unwrap();
        let rule_set = format!(
            "({} {})",
            shifted(&ws, "%Y-%m-%d %H:%M", &loaded, &zone),
            zone.abbreviation
        );
        let line = |label: &str| {
            md.lines()
                .find(|l| l.contains(label))
                .unwrap_or_else(|| panic!("{label} in {md}"))
                .to_string()
        };
        assert!(line("Rule set").ends_with(&rule_set), "{md}");
        let as_of = line("Figures as of");
        let named = match zone.name {
            "UTC" => String::new(),
            name => format!(" ({name})"),
        };
        assert!(
            [&before, &after].iter().any(|t| {
                as_of.contains(&format!("{t}:"))
                    && as_of.ends_with(&format!(" {}{named}", zone.abbreviation))
            }),
            "{as_of} ({before} .. {after})"
        );
    }
}

#[test]
fn a_refusal_gives_the_time_of_the_claim_in_the_zone() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut lisi = open(&ws, "李四");
    let record = common::rowid(&ws, KILN);
    let seen = common::review::seen(&mut lisi, record);
    lisi.open_for_work(record, seen).unwrap();
    let since = common::review::claimed_since(&ws, "李四");
    s.write(
        "fixes.csv",
        format!("key,field,value,reason\n{KILN},so2_gen_t,12.5,企业核实\n"),
    );
    for zone in [SHANGHAI, UTC] {
        let out = hs(&s)
            .env("HUISHEN_TZ", zone.name)
            .args(["apply", "demo.huishen", "fixes.csv", "--reviewer", "王五"])
            .write_stdin("wangwu-2017\n")
            .assert()
            .failure();
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        let clock = shifted(&ws, "%H:%M", &since, &zone);
        assert!(
            stderr.contains(&format!(
                "李四 is working on record {KILN} (since {clock} {})",
                zone.abbreviation
            )),
            "{stderr}"
        );
    }
    drop(lisi);
}

#[test]
fn an_unknown_zone_is_refused_saying_where_and_what_to_do() {
    let s = Scratch::new();
    demo(&s);
    hs(&s)
        .env("HUISHEN_TZ", "Asia/Shangai")
        .args(["status", "demo.huishen"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "error: the environment variable HUISHEN_TZ is “Asia/Shangai”, which is not a time \
             zone: nothing was done. Set HUISHEN_TZ to a name of the time zone database such as \
             Asia/Shanghai or UTC, or unset it to use TZ or the system's zone\n",
        );
    hs(&s)
        .env_remove("HUISHEN_TZ")
        .env("TZ", "Mars/Olympus_Mons")
        .args(["status", "demo.huishen"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "error: the environment variable TZ is “Mars/Olympus_Mons”, which is not a time \
             zone: nothing was done. Set TZ to a name of the time zone database such as \
             Asia/Shanghai or UTC, or set HUISHEN_TZ, which huishen reads before TZ\n",
        );
    // HUISHEN_TZ comes first; TZ alone is read as well.
    for env in [
        [("HUISHEN_TZ", "Asia/Shanghai"), ("TZ", "Mars/Olympus_Mons")],
        [("HUISHEN_TZ", ""), ("TZ", "Asia/Shanghai")],
    ] {
        let out = hs(&s)
            .envs(env)
            .args(["status", "demo.huishen"])
            .assert()
            .success();
        assert!(
            stdout(&out).lines().next().unwrap().ends_with(" CST"),
            "{env:?}"
        );
    }
}
