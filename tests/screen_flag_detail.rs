//! The flag detail window on the demo workspace, headless: Enter on a flag in the flags pane
//! (or `i` anywhere) opens it, the arrows and pages scroll it never past its end, `L` switches
//! its language, Esc closes it; and the flags pane wraps the selected flag's title. Whole
//! windows as snapshots, in both languages at 80×24 and 120×40, for a rule over the record
//! alone (R13), a peers rule (R29) and a rule over the census object's boilers (P01).

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use std::path::Path;

use common::demo::{JIANGSU, OUTLIER, TWICE_A, TWICE_B};
use common::screen::{app_on, chars, key, screen, timeless};
use common::{ADMIN, ADMIN_PASSPHRASE, Scratch, demo};
use huishen::tui::app::{App, Overlay, Pane};
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;

/// SO2 generated entered as negative: R10, R13 and R20 at once.
const NEGATIVE_SO2: &str = "G3714270001431";
/// Fuel coal below its boilers' (P01).
const COAL_BELOW_BOILERS: &str = "G3713020001081";

fn app(ws: &Path, lang: Lang, (w, h): (u16, u16)) -> App {
    app_on(ws, (ADMIN, ADMIN_PASSPHRASE), None, lang, (w, h))
}

/// The record `key` searched for, and the flags pane focused on its flag of `rule`.
fn on_flag(app: &mut App, record: &str, rule: &str) {
    key(app, KeyCode::Char('/'));
    chars(app, record);
    key(app, KeyCode::Enter);
    assert_eq!(app.selected().unwrap().key, record);
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Flags);
    let flags = &app.record.as_ref().unwrap().flags;
    let at = flags
        .iter()
        .position(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("{record} has no {rule} flag"));
    for _ in 0..at {
        key(app, KeyCode::Down);
    }
}

/// The rule of the open detail window, if one is open.
fn open_detail(app: &App) -> Option<(&str, u16)> {
    match &app.overlay {
        Some(Overlay::FlagDetail { detail, scroll }) => Some((detail.flag.rule.as_str(), *scroll)),
        _ => None,
    }
}

/// The screen with the trail's times (which differ from run to run) masked, width kept.
fn masked(app: &App) -> String {
    timeless(&screen(app))
}

#[test]
fn enter_on_a_flag_opens_its_detail_and_esc_closes_it() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, (120, 40));
    on_flag(&mut app, NEGATIVE_SO2, "R13");
    key(&mut app, KeyCode::Enter);
    assert_eq!(open_detail(&app), Some(("R13", 0)));
    let shown = screen(&app);
    assert!(shown.contains("Why R13 flagged G3714270001431"), "{shown}");
    assert!(
        shown.contains("so2_emit_t <= coalesce(so2_gen_t, 0) + 1e-6"),
        "{shown}"
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(open_detail(&app), None);
    // The flags pane keeps its place; any other key closes the window too.
    assert_eq!(app.focus, Pane::Flags);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('z'));
    assert_eq!(open_detail(&app), None);
    // Its own key opens it from any pane, on the flag under the flags pane's cursor.
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Queue);
    key(&mut app, KeyCode::Char('i'));
    assert_eq!(open_detail(&app), Some(("R13", 0)));
}

#[test]
fn the_window_scrolls_to_its_end_and_no_further() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::Zh, (80, 24));
    on_flag(&mut app, OUTLIER, "R29");
    key(&mut app, KeyCode::Enter);
    assert_eq!(open_detail(&app), Some(("R29", 0)));
    key(&mut app, KeyCode::Up);
    assert_eq!(open_detail(&app), Some(("R29", 0)));
    for _ in 0..20 {
        key(&mut app, KeyCode::PageDown);
    }
    let (_, end) = open_detail(&app).unwrap();
    assert!(end > 0, "R29's detail is longer than 80×24");
    key(&mut app, KeyCode::Down);
    assert_eq!(open_detail(&app), Some(("R29", end)));
    // At its end the last line, the history, is on screen, and the window says where it is.
    let shown = masked(&app);
    assert!(
        shown.contains("王五 运行全面核查时触发（未通过）"),
        "{shown}"
    );
    assert!(shown.contains("共"), "{shown}");
    insta::assert_snapshot!("flag_detail_r29_end_zh_80x24", shown);
    key(&mut app, KeyCode::Up);
    assert_eq!(open_detail(&app), Some(("R29", end - 1)));
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(open_detail(&app), Some(("R29", 0)));
    // L switches the language without closing it.
    key(&mut app, KeyCode::Char('L'));
    assert_eq!(app.lang, Lang::En);
    assert_eq!(open_detail(&app), Some(("R29", 0)));
    assert!(screen(&app).contains("Why R29 flagged G3701050000123"));
}

/// The window of `rule` on `record` in both languages at both sizes, as snapshots.
fn snapshots(record: &str, rule: &str, name: &str, must: &[&str]) {
    let s = Scratch::new();
    let ws = demo(&s);
    for lang in [Lang::En, Lang::Zh] {
        for size in [(80, 24), (120, 40)] {
            let mut app = app(&ws, lang, size);
            on_flag(&mut app, record, rule);
            key(&mut app, KeyCode::Enter);
            assert_eq!(open_detail(&app).map(|(r, _)| r), Some(rule));
            let shown = masked(&app);
            if lang == Lang::En && size == (120, 40) {
                for text in must {
                    assert!(shown.contains(text), "{text}\n{shown}");
                }
            }
            let (w, h) = size;
            insta::assert_snapshot!(format!("flag_detail_{name}_{lang:?}_{w}x{h}"), shown);
        }
    }
}

#[test]
fn a_rule_over_the_record_shows_its_values_sides_and_located_field() {
    snapshots(
        NEGATIVE_SO2,
        "R13",
        "r13",
        &[
            "SO2 emitted must not exceed SO2 generated",
            "SO2 generated",
            "-657.4269",
            "Error localisation",
        ],
    );
}

#[test]
fn a_peers_rule_shows_its_group_quartiles_and_the_records_figure() {
    snapshots(
        OUTLIER,
        "R29",
        "r29",
        &[
            "Peer group figures: so2_intensity",
            "substr(industry_code, 1, 2) = ",
            "IQR = Q3 − Q1 = ",
            "the rule reads peers_so2_intensity: grp, n, q1, q3",
        ],
    );
}

#[test]
fn a_rule_over_the_boilers_lists_the_rows_it_sums() {
    snapshots(
        COAL_BELOW_BOILERS,
        "P01",
        "p01",
        &[
            "Rows of Boilers: fuel and SO2 it reads (2 of 2)",
            "G3713020001081-02  G3713020001081    19917.6",
            "= 32138.7",
            "= 38777.9",
        ],
    );
}

#[test]
fn the_selected_flag_shows_its_whole_title_in_the_flags_pane_at_80x24() {
    let s = Scratch::new();
    let ws = demo(&s);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app(&ws, lang, (80, 24));
        on_flag(&mut app, JIANGSU, "R04");
        let shown = screen(&app);
        let tail = match lang {
            Lang::Zh => "茌平）",
            Lang::En => "Chiping fail)",
        };
        assert!(shown.contains(tail), "{shown}");
        insta::assert_snapshot!(format!("flags_pane_wrapped_{lang:?}_80x24"), shown);
        // Away from the flags pane, the title is cut to its column again.
        key(&mut app, KeyCode::Tab);
        assert!(!screen(&app).contains(tail));
    }
}

#[test]
fn a_cross_record_rule_lists_the_record_that_shares_its_value() {
    snapshots(
        TWICE_A,
        "R27",
        "r27",
        &["Other records with credit_code = '", TWICE_B],
    );
}

#[test]
fn on_a_boiler_opened_in_the_record_pane_enter_explains_its_flag_against_its_enterprise() {
    let s = Scratch::new();
    let ws = demo(&s);
    let object = "G3714030000381";
    let boiler = "G3714030000381-02";
    for (lang, size) in [(Lang::En, (80, 24)), (Lang::Zh, (120, 40))] {
        let mut app = app(&ws, lang, size);
        key(&mut app, KeyCode::Char('/'));
        chars(&mut app, object);
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::Tab);
        let fields = app.record.as_ref().unwrap().values.len();
        let at = app
            .object_rows()
            .iter()
            .position(|(_, row)| row.key == boiler)
            .unwrap();
        for _ in 0..fields + at {
            key(&mut app, KeyCode::Down);
        }
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.record.as_ref().unwrap().key, boiler);
        key(&mut app, KeyCode::Tab);
        assert_eq!(app.focus, Pane::Flags);
        key(&mut app, KeyCode::Enter);
        let Some(Overlay::FlagDetail { detail, .. }) = &app.overlay else {
            panic!("no detail:\n{}", screen(&app))
        };
        assert_eq!(
            (detail.flag.rule.as_str(), detail.key.as_str()),
            ("B02", boiler)
        );
        let [parent] = detail.linked.as_slice() else {
            panic!("{:?}", detail.linked)
        };
        assert_eq!(parent.form, "G101_1");
        assert_eq!(parent.rows.len(), 1);
        assert_eq!(parent.rows[0].1, object);
        let (w, h) = size;
        insta::assert_snapshot!(format!("flag_detail_b02_{lang:?}_{w}x{h}"), masked(&app));
        // Esc closes it on the row, which stays open.
        key(&mut app, KeyCode::Esc);
        assert_eq!(open_detail(&app), None);
        assert_eq!(app.record.as_ref().unwrap().key, boiler);
    }
}

#[test]
fn from_the_record_pane_its_key_opens_the_first_flag_on_the_field_under_the_cursor() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, (120, 40));
    on_flag(&mut app, JIANGSU, "R05");
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Pane::Record);
    let fields: Vec<String> = app
        .record
        .as_ref()
        .unwrap()
        .values
        .iter()
        .map(|v| v.field.name.clone())
        .collect();
    let at = |name: &str| fields.iter().position(|f| f == name).unwrap();
    for _ in 0..at("region_code") {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('i'));
    assert_eq!(open_detail(&app).map(|(r, _)| r), Some("R04"));
    key(&mut app, KeyCode::Esc);
    // On a field no rule names, the flag under the flags pane's cursor.
    for _ in at("region_code")..at("longitude") {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('i'));
    assert_eq!(open_detail(&app).map(|(r, _)| r), Some("R05"));
}
