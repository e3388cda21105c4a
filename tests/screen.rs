//! The review screen, headless: keys replayed into the app, asserting what a reviewer would
//! see; whole screens as snapshots in both languages at 120×40 and 80×24.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};

use common::screen::{app_on, chars, ctrl, key, screen};
use common::seeded::{seeded, seeded_records};
use common::{Scratch, huishen};
use huishen::tui::action::{Action, Mode};
use huishen::tui::app::{App, Figures, Overlay, Pane};
use huishen::tui::i18n::Lang;
use huishen::tui::keymap::Keymap;
use huishen::tui::theme::Theme;
use huishen_core::review::Session;
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

/// The demo workspace: the sample, the census rules, checked.
fn demo(s: &Scratch) -> PathBuf {
    let ws = s.path("demo.huishen");
    huishen()
        .arg("demo")
        .arg("--workspace")
        .arg(&ws)
        .assert()
        .success();
    ws
}

fn app(ws: &Path, lang: Lang, w: u16, h: u16) -> App {
    app_on(ws, ("王五", "wangwu-2017"), None, lang, (w, h))
}

fn selected_key(app: &App) -> String {
    app.selected().unwrap().key.clone()
}

#[test]
fn moving_through_the_queue_reads_windows_and_keeps_count() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    let flagged = seeded_records();
    assert_eq!(app.count, flagged);
    let first = selected_key(&app);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.position + app.cursor as u64, 2);
    assert!(screen(&app).contains(&format!("Queue 3/{flagged}")));
    // The record pane follows the cursor.
    assert_eq!(app.record.as_ref().unwrap().key, selected_key(&app));
    key(&mut app, KeyCode::End);
    assert_eq!(app.position + app.cursor as u64, flagged - 1);
    assert!(screen(&app).contains(&format!("Queue {flagged}/{flagged}")));
    key(&mut app, KeyCode::Down);
    assert_eq!(
        app.position + app.cursor as u64,
        flagged - 1,
        "the end stops the cursor"
    );
    key(&mut app, KeyCode::Home);
    assert_eq!(selected_key(&app), first);
    // Paging moves a page, and back.
    key(&mut app, KeyCode::PageDown);
    let page = app.position + app.cursor as u64;
    assert!(page >= 20, "{page}");
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.position + app.cursor as u64, 0);
    // Line by line past the window, the window scrolls and the position stays exact.
    for _ in 0..60 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(app.position + app.cursor as u64, 60);
    for _ in 0..45 {
        key(&mut app, KeyCode::Up);
    }
    assert_eq!(app.position + app.cursor as u64, 15);
}

#[test]
fn errors_come_first_and_n_jumps_between_them() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    assert_eq!(
        app.selected().unwrap().severity,
        Some(huishen_core::domain::Severity::Error)
    );
    key(&mut app, KeyCode::End);
    assert_eq!(
        app.selected().unwrap().severity,
        Some(huishen_core::domain::Severity::Warning)
    );
    key(&mut app, KeyCode::Char('N'));
    let last_error = app.selected().unwrap().clone();
    assert_eq!(
        last_error.severity,
        Some(huishen_core::domain::Severity::Error)
    );
    key(&mut app, KeyCode::Down);
    assert_eq!(
        app.selected().unwrap().severity,
        Some(huishen_core::domain::Severity::Warning)
    );
    key(&mut app, KeyCode::Char('n'));
    assert!(screen(&app).contains("No further record with an error"));
    key(&mut app, KeyCode::Char('N'));
    assert_eq!(app.selected().unwrap().key, last_error.key);
}

#[test]
fn search_finds_key_or_chinese_name() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::Zh, 120, 40);
    key(&mut app, KeyCode::Char('/'));
    assert!(matches!(app.overlay, Some(Overlay::Search { .. })));
    chars(&mut app, "济南");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.count > 0 && app.count < seeded_records(),
        "{}",
        app.count
    );
    assert!(
        app.rows
            .iter()
            .all(|r| r.name.as_deref().unwrap_or("").contains("济南"))
    );
    assert!(screen(&app).contains("筛选： “济南”"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.count, seeded_records());
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, "G3701020000108");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.count, 1);
    assert_eq!(selected_key(&app), "G3701020000108");
}

#[test]
fn filters_combine_and_show_in_the_top_bar() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Right); // severity: error
    key(&mut app, KeyCode::Enter);
    let errors = app.count;
    assert!(errors > 0 && errors < seeded_records());
    assert!(app.rows.iter().all(|r| r.errors > 0));
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    chars(&mut app, "济南");
    key(&mut app, KeyCode::Enter);
    assert!(app.count < errors);
    assert!(
        app.rows
            .iter()
            .all(|r| r.region.starts_with("3701") && r.errors > 0)
    );
    assert!(screen(&app).contains("filter: error, 济南市"));
    // A region nobody knows keeps the menu open with a message.
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    chars(&mut app, "火星");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Filter(_))));
    assert!(screen(&app).contains("No prefecture or county matches “火星”"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.count, seeded_records());
    assert!(screen(&app).contains("filter: none"));
    // By rule: R27 flags its pairs.
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Down);
    let r27 = app
        .session
        .rules()
        .iter()
        .position(|r| r.id == "R27")
        .unwrap();
    for _ in 0..=r27 {
        key(&mut app, KeyCode::Right);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.count, seeded()["R27"].len() as u64);
}

#[test]
fn panes_language_and_mouse() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Record);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.field_cursor, 1);
    assert!(screen(&app).contains("Flags · Unified social credit code"));
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Flags);
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Pane::Queue);
    key(&mut app, KeyCode::Char('L'));
    assert_eq!(app.lang, Lang::Zh);
    assert!(screen(&app).contains(&format!("待审队列 1/{}", seeded_records())));
    // A click on the fifth queue line selects it; the wheel scrolls.
    let queue = app.areas.queue;
    let click = |kind, row| MouseEvent {
        kind,
        column: queue.x + 5,
        row,
        modifiers: KeyModifiers::NONE,
    };
    app.on_mouse(click(
        MouseEventKind::Down(MouseButton::Left),
        queue.y + 2 + 4,
    ));
    assert_eq!(app.cursor, 4);
    app.on_mouse(click(MouseEventKind::ScrollDown, queue.y + 3));
    assert_eq!(app.position + app.cursor as u64, 7);
    key(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    key(&mut app, KeyCode::Char('x'));
    assert!(app.overlay.is_none());
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn a_change_by_another_process_appears_without_moving_the_cursor() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    for _ in 0..12 {
        key(&mut app, KeyCode::Down);
    }
    let here = app.selected().unwrap().clone();
    // Another reviewer fixes the first record's errors.
    let first = app.rows[0].key.clone();
    let detail = app.record.clone().unwrap();
    assert_eq!(detail.key, here.key);
    let before = app.count;
    let fixed = common::correct(&ws, "G101_1", &first, "region_code", "370102");
    assert!(!fixed.resolved.is_empty());
    common::screen::tick(&mut app);
    assert_eq!(
        app.selected().unwrap().key,
        here.key,
        "the cursor stays on its record"
    );
    assert!(app.count <= before);
}

#[test]
fn a_terminal_too_small_says_so() {
    let s = Scratch::new();
    let ws = demo(&s);
    let app = app(&ws, Lang::En, 50, 12);
    let text = screen(&app);
    assert!(
        text.contains("The terminal is too small for huishen"),
        "{text}"
    );
    assert!(
        text.contains("It is 50×12; it needs at least 60×16"),
        "{text}"
    );
}

#[test]
fn help_lists_every_bound_action() {
    let s = Scratch::new();
    let ws = demo(&s);
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(&ws, lang, 120, 60);
        app.send(Action::Help);
        let text = screen(&app);
        for action in Action::ALL {
            if !app.keymap.keys(*action).is_empty() {
                assert!(
                    text.contains(action.description(lang)),
                    "{lang:?}: {} missing",
                    action.name()
                );
            }
        }
    }
}

fn snapshots_for(lang: Lang, suffix: &str) {
    let s = Scratch::new();
    let ws = demo(&s);
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(&ws, lang, w, h);
        insta::assert_snapshot!(format!("main_{suffix}_{w}x{h}"), screen(&app));
        app.send(Action::Help);
        insta::assert_snapshot!(format!("help_{suffix}_{w}x{h}"), screen(&app));
        key(&mut app, KeyCode::Esc);
        app.send(Action::Filter);
        key(&mut app, KeyCode::Right);
        insta::assert_snapshot!(format!("filter_{suffix}_{w}x{h}"), screen(&app));
    }
}

#[test]
fn snapshots_in_english() {
    snapshots_for(Lang::En, "en");
}

#[test]
fn snapshots_in_chinese() {
    snapshots_for(Lang::Zh, "zh");
}

/// Opens the demo as `reviewer` with the queue searched down to one record.
fn on_record(ws: &Path, reviewer: &str, key_text: &str) -> App {
    let session =
        Session::open(ws, reviewer, common::review::passphrase_of(reviewer), None).unwrap();
    let mut app = App::new(
        session,
        Keymap::builtin(),
        Lang::En,
        Theme { color: false },
        Rect::new(0, 0, 120, 40),
    )
    .unwrap();
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, key_text);
    key(&mut app, KeyCode::Enter);
    assert_eq!(selected_key(&app), key_text);
    app
}

#[test]
fn correcting_a_unit_error_on_screen_fixes_its_flag() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = on_record(&ws, "王五", "G3710730000206");
    key(&mut app, KeyCode::Tab);
    for _ in 0..27 {
        key(&mut app, KeyCode::Down);
    }
    assert!(screen(&app).contains("Flags · Particulate matter emitted"));
    key(&mut app, KeyCode::Char('e'));
    assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    // A value of the wrong type is refused and the editor stays open.
    chars(&mut app, "abc");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("“abc” is not a number"));
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    chars(&mut app, "0.0203");
    key(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(
        text.contains("20.3 → 0.0203 t") && text.contains("Unit error"),
        "{text}"
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    let text = screen(&app);
    assert!(
        text.contains("Corrected Particulate matter emitted · fixed: R15"),
        "{text}"
    );
    assert!(text.contains("20.3 → 0.0203 t"), "{text}");
    assert!(text.contains("ready to sign"), "{text}");
    assert!(text.contains("✔ R15"), "{text}");
    // History, newest first.
    key(&mut app, KeyCode::Char('h'));
    let text = screen(&app);
    assert!(
        text.contains("王五 corrected Particulate matter emitted: 20.3 → 0.0203 (Unit error)"),
        "{text}"
    );
    key(&mut app, KeyCode::Esc);
    // Signing once asks first, saying what the signature does; not yet locked (two
    // signatures of distinct roles are needed).
    key(&mut app, KeyCode::Char('s'));
    let text = screen(&app);
    assert!(
        text.contains("Sign record G3710730000206 威海泰福针织有限公司?")
            && text.contains("You sign as 王五 (省级审核).")
            && text.contains("Signature 1 of 2: the record stays open for the signatures"),
        "{text}"
    );
    key(&mut app, KeyCode::Char('y'));
    assert!(screen(&app).contains("Signed"), "{}", screen(&app));
    assert!(screen(&app).contains("signed 1/2"));
    // Signing twice as the same person is refused with the reason.
    key(&mut app, KeyCode::Char('s'));
    assert!(
        screen(&app).contains("cannot be signed: you signed it already"),
        "{}",
        screen(&app)
    );
    // Undo takes the signature back.
    key(&mut app, KeyCode::Char('u'));
    assert!(screen(&app).contains("Undone: sign"), "{}", screen(&app));
    assert!(screen(&app).contains("ready to sign"));
}

#[test]
fn explaining_a_warning_and_signing_it_off_by_two_roles_locks_it() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = on_record(&ws, "王五", "G3714250000019");
    key(&mut app, KeyCode::Char('s'));
    assert!(
        screen(&app).contains("warnings neither fixed nor explained: R21"),
        "{}",
        screen(&app)
    );
    key(&mut app, KeyCode::Char('x'));
    assert!(screen(&app).contains("Explain R21"), "{}", screen(&app));
    chars(&mut app, "水泥窑固硫，企业核实");
    ctrl(&mut app, 's');
    let text = screen(&app);
    assert!(
        text.contains("Explained R21") && text.contains("explained"),
        "{text}"
    );
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('y'));
    assert!(screen(&app).contains("signed 1/2"));
    // 李四 (市级审核) signs from his own terminal: he is told it signs the record off.
    let mut other = on_record(&ws, "李四", "G3714250000019");
    key(&mut other, KeyCode::Char('s'));
    let text = screen(&other);
    assert!(
        text.contains("Signature 2 of 2: it signs the record off and locks it.")
            && text.contains("Signed before you: 王五 (省级审核)."),
        "{text}"
    );
    // Any other key leaves it unsigned; y signs.
    key(&mut other, KeyCode::Char('j'));
    assert!(other.overlay.is_none() && !screen(&other).contains("locked"));
    key(&mut other, KeyCode::Char('s'));
    key(&mut other, KeyCode::Char('y'));
    assert!(
        screen(&other).contains("Signed; the record is locked"),
        "{}",
        screen(&other)
    );
    // 王五's screen sees it on the next tick; a correction is refused while locked.
    common::screen::tick(&mut app);
    assert!(screen(&app).contains("locked"), "{}", screen(&app));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('e'));
    assert!(app.overlay.is_none());
    assert!(
        screen(&app).contains("signed and locked"),
        "{}",
        screen(&app)
    );
    // Reopening asks for a reason and voids the signatures.
    key(&mut app, KeyCode::Char('o'));
    ctrl(&mut app, 's');
    assert!(
        screen(&app).contains("reopening a signed record needs a reason"),
        "{}",
        screen(&app)
    );
    chars(&mut app, "企业补报新数据");
    ctrl(&mut app, 's');
    assert!(
        screen(&app).contains("Reopened; its signatures are void"),
        "{}",
        screen(&app)
    );
    assert!(!screen(&app).contains("locked"));
}

#[test]
fn a_stale_screen_is_refused_with_who_and_when() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut mine = on_record(&ws, "王五", "G3710730000206");
    let mut theirs = on_record(&ws, "李四", "G3710730000206");
    key(&mut theirs, KeyCode::Char('a'));
    chars(&mut theirs, "电话核实中");
    ctrl(&mut theirs, 's');
    assert!(screen(&theirs).contains("Note added"));
    // My screen has not ticked yet: my note is refused before I type it, and nothing of mine
    // was written.
    key(&mut mine, KeyCode::Char('a'));
    assert!(mine.overlay.is_none());
    let text = screen(&mine);
    assert!(text.contains("was changed by 李四 at"), "{text}");
    let history = mine
        .session
        .history(mine.record.as_ref().unwrap().record)
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].reviewer, "李四");
}

/// Ticks until the worker's figures reach the dashboard.
fn wait_for_figures(app: &mut App) {
    while matches!(app.overlay, Some(Overlay::Dashboard(Figures::Loading))) {
        std::thread::sleep(std::time::Duration::from_millis(5));
        common::screen::tick(app);
    }
}

#[test]
fn the_dashboard_opens_on_d_and_agrees_with_status() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::Zh, 120, 40);
    key(&mut app, KeyCode::Char('d'));
    wait_for_figures(&mut app);
    let text = screen(&app);
    let flagged = seeded_records();
    assert!(
        text.contains(&format!("总体进度 · 2000 条中 {flagged} 条有疑问")),
        "{text}"
    );
    let out = huishen()
        .arg("status")
        .arg(&ws)
        .arg("--json")
        .assert()
        .success();
    let status: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(status["overall"]["flagged"], flagged);
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn the_dashboard_figures_come_from_the_worker_not_the_key() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    // The key only asks: the dashboard opens at once, saying it is reading.
    let effects = app.update(Action::Dashboard);
    assert!(
        matches!(effects.as_slice(), [effect] if effect.lane() == huishen::tui::app::Lane::Worker),
        "the figures are read on the worker"
    );
    assert!(matches!(
        app.overlay,
        Some(Overlay::Dashboard(Figures::Loading))
    ));
    app.overlay = None;
    key(&mut app, KeyCode::Char('d'));
    assert!(matches!(
        app.overlay,
        Some(Overlay::Dashboard(Figures::Loading))
    ));
    assert!(screen(&app).contains("Reading the figures…"));
    // The answer arrives with a tick, from the worker's own session.
    wait_for_figures(&mut app);
    let Some(Overlay::Dashboard(Figures::Ready(figures))) = &app.overlay else {
        panic!("the figures did not arrive: {:?}", app.overlay);
    };
    let flagged = seeded_records();
    assert_eq!(figures.overall.flagged, flagged);
    assert_eq!(figures.records, 2000);
    let text = screen(&app);
    assert!(
        text.contains(&format!("Progress · {flagged} of 2000 flagged")),
        "{text}"
    );
    // L switches the language on the dashboard; any other key closes it.
    key(&mut app, KeyCode::Char('L'));
    assert_eq!(app.lang, Lang::Zh);
    assert!(matches!(app.overlay, Some(Overlay::Dashboard(_))));
    key(&mut app, KeyCode::Char('x'));
    assert!(app.overlay.is_none());
}

/// What the help shows, scrolled through from the top to the end.
fn whole_help(app: &mut App) -> String {
    app.send(Action::Help);
    let mut seen = String::new();
    for _ in 0..20 {
        seen.push_str(&screen(app));
        key(app, KeyCode::PageDown);
    }
    key(app, KeyCode::Esc);
    seen
}

#[test]
fn help_lists_the_keys_of_every_window() {
    let s = Scratch::new();
    let ws = demo(&s);
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(&ws, lang, 120, 40);
        let text = whole_help(&mut app);
        assert!(app.overlay.is_none());
        for &mode in Mode::ALL {
            assert!(text.contains(mode.title(lang)), "{lang:?}: {}", mode.name());
            for &command in mode.commands() {
                let description = mode.describe(command, lang).unwrap();
                assert!(
                    text.contains(description),
                    "{lang:?}: [{}] {}",
                    mode.name(),
                    command.name()
                );
            }
        }
        // The filter's keys are those in force: Enter applies, the arrows choose.
        assert!(text.contains("Enter"), "{text}");
    }
}

#[test]
fn a_window_command_rebound_in_the_users_keymap_works_on_screen() {
    let s = Scratch::new();
    let ws = demo(&s);
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("keymap.toml"),
        "[filter]\nconfirm = [\"ctrl-s\"]\ncancel = [\"q\"]\n\n\
         [text_editor]\nsave = [\"f2\"]\ncancel = [\"ctrl-s\"]\n\n\
         [help]\nclose = [\"?\"]\nscroll_down = [\"j\"]\n",
    )
    .unwrap();
    let keymap = Keymap::load_from(None, Some(config.path())).unwrap();
    let session = Session::open(&ws, "王五", "wangwu-2017", None).unwrap();
    let mut app = App::new(
        session,
        keymap,
        Lang::En,
        Theme { color: false },
        Rect::new(0, 0, 120, 40),
    )
    .unwrap();
    // The filter applies with Ctrl-S, and its hint says so.
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Right);
    assert!(screen(&app).contains("Enter apply · Esc cancel"));
    ctrl(&mut app, 's');
    assert!(app.overlay.is_none(), "Ctrl-S applied the filter");
    let errors = app.count;
    assert!(errors > 0 && errors < seeded_records(), "{errors}");
    // q cancels in the filter (and quits nowhere).
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Char('q'));
    assert!(app.overlay.is_none());
    assert!(!app.quit);
    assert_eq!(app.count, errors);
    // In the note editor Ctrl-S now cancels and F2 saves.
    key(&mut app, KeyCode::Char('a'));
    chars(&mut app, "电话核实中");
    assert!(screen(&app).contains("F2 save · Enter new line · Esc cancel"));
    ctrl(&mut app, 's');
    assert!(app.overlay.is_none(), "Ctrl-S cancelled");
    let record = app.record.as_ref().unwrap().record;
    assert!(app.session.history(record).unwrap().is_empty());
    key(&mut app, KeyCode::Char('a'));
    chars(&mut app, "电话核实中");
    key(&mut app, KeyCode::F(2));
    assert!(screen(&app).contains("Note added"), "{}", screen(&app));
    assert_eq!(app.session.history(record).unwrap().len(), 1);
    // The help shows the keys in force, and j scrolls it.
    let text = whole_help(&mut app);
    assert!(
        text.lines()
            .any(|l| l.contains("↓, j ") && l.contains("Scroll down")),
        "{text}"
    );
    app.send(Action::Help);
    key(&mut app, KeyCode::Char('j'));
    assert!(matches!(app.overlay, Some(Overlay::Help { scroll: 1 })));
    key(&mut app, KeyCode::Char('?'));
    assert!(app.overlay.is_none());
}

#[test]
fn screen_strings_come_from_the_catalogue() {
    // Every string the screen shows is in `tui/i18n/say.rs` (or the action and mode
    // descriptions): no view or handler picks between two literals itself.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = vec![root.clone()];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        if name.starts_with("i18n") || name == "action.rs" {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for bad in [".pick(\"", "Lang::En =>", "Lang::Zh =>"] {
            assert!(!source.contains(bad), "{name} has `{bad}`");
        }
        checked += 1;
    }
    assert!(checked > 10, "{checked}");
}

/// The core's refusals read in the screen's language: signing the first record of the queue,
/// which fails an error rule, is refused in Chinese on the Chinese screen with the rules that
/// fail, and in English on the English screen.
#[test]
fn a_refusal_reads_in_chinese_on_the_chinese_screen() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app(&ws, Lang::Zh, 120, 40);
    let record = app.record.clone().unwrap();
    let failing = record.status.failing_errors.join(", ");
    assert!(!failing.is_empty());
    key(&mut app, KeyCode::Char('s'));
    let text = screen(&app);
    assert!(app.overlay.is_none(), "{text}");
    assert!(text.contains(&failing) && text.contains("错误"), "{text}");
    assert!(!text.contains("cannot be signed"), "{text}");
    // The English screen says the same in English.
    let mut app = english_app(&ws);
    key(&mut app, KeyCode::Char('s'));
    assert!(
        screen(&app).contains("cannot be signed"),
        "{}",
        screen(&app)
    );
}

fn english_app(ws: &Path) -> App {
    app(ws, Lang::En, 160, 40)
}

/// A value of the wrong type is refused in the screen's language: “四点二” is not a number, in
/// Chinese on the Chinese screen.
#[test]
fn a_value_of_the_wrong_type_is_refused_in_chinese() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = on_record(&ws, "王五", "G3710730000206");
    app.send(Action::ToggleLanguage);
    key(&mut app, KeyCode::Tab);
    for _ in 0..27 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('e'));
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    chars(&mut app, "四点二");
    key(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("“四点二”不是数字"), "{text}");
    assert!(!text.contains("is not a number"), "{text}");
}
