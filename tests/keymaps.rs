//! The keymap: the shipped files, presets and user files laid over the built-in one key by
//! key, the errors a broken file gets, and the help generated from the keys in force.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use huishen::tui::action::{Action, Command, Mode, Section};
use huishen::tui::i18n::Lang;
use huishen::tui::keymap::{Key, Keymap};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn plain(c: char) -> KeyEvent {
    press(KeyCode::Char(c), KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    press(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn named(code: KeyCode) -> KeyEvent {
    press(code, KeyModifiers::NONE)
}

fn keymap_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("keymaps/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    files
}

/// The problems a keymap file gets from [`Keymap::parse`].
fn problems(source: &str) -> Vec<String> {
    match Keymap::parse("my.toml", source) {
        Ok(bindings) => panic!("expected problems, got {bindings:?}"),
        Err(error) => error.problems,
    }
}

#[test]
fn every_file_in_keymaps_parses_and_names_only_known_actions() {
    let files = keymap_files();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(names.contains(&"default.toml".to_string()), "{names:?}");
    assert!(names.contains(&"vim.toml".to_string()), "{names:?}");
    for file in &files {
        assert_eq!(
            file.extension().and_then(|e| e.to_str()),
            Some("toml"),
            "{} is not a keymap file",
            file.display()
        );
        let source = std::fs::read_to_string(file).expect("readable");
        let bindings = Keymap::parse(&file.display().to_string(), &source)
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(!bindings.is_empty(), "{} binds nothing", file.display());
        for (action, keys) in &bindings.keys {
            assert_eq!(Action::from_name(action.name()), Some(*action));
            assert!(
                !keys.is_empty(),
                "{} unbinds {}",
                file.display(),
                action.name()
            );
        }
        // Every mode table names only commands its mode takes.
        for (mode, commands) in &bindings.modes {
            assert_eq!(Mode::from_name(mode.name()), Some(*mode));
            for (command, keys) in commands {
                assert_eq!(
                    mode.command(command.name()),
                    Some(*command),
                    "{}: [{}] {}",
                    file.display(),
                    mode.name(),
                    command.name()
                );
                assert!(mode.describe(*command, Lang::En).is_some());
                assert!(
                    !keys.is_empty(),
                    "{} unbinds [{}] {}",
                    file.display(),
                    mode.name(),
                    command.name()
                );
            }
        }
        // Every file in keymaps/ is a preset `--keymap` accepts by name.
        let stem = file.file_stem().expect("a stem").to_string_lossy();
        let mut by_hand = Keymap::builtin();
        by_hand
            .overlay("file", &source)
            .unwrap_or_else(|error| panic!("{error}"));
        let preset = Keymap::load_from(Some(&stem), None).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(preset, by_hand, "preset {stem}");
    }
}

#[test]
fn the_builtin_keymap_is_default_toml_and_binds_every_action() {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/default.toml"))
            .expect("readable");
    let parsed = Keymap::parse("default.toml", &source).unwrap_or_else(|error| panic!("{error}"));
    let listed: Vec<Action> = parsed.keys.iter().map(|(action, _)| *action).collect();
    let builtin = Keymap::builtin();
    for &action in Action::ALL {
        assert!(
            listed.contains(&action),
            "default.toml does not list {}",
            action.name()
        );
        assert!(
            !builtin.keys(action).is_empty(),
            "{} has no key",
            action.name()
        );
    }
    assert_eq!(Keymap::load_from(None, None).expect("loads"), builtin);
    // Every window has a table, and every command of every mode a key.
    for &mode in Mode::ALL {
        let table = parsed.modes.iter().find(|(m, _)| *m == mode);
        assert!(table.is_some(), "default.toml has no [{}]", mode.name());
        for &command in mode.commands() {
            assert!(
                !builtin.command_keys(mode, command).is_empty(),
                "[{}] {} has no key",
                mode.name(),
                command.name()
            );
        }
    }
}

#[test]
fn the_builtin_bindings() {
    let keymap = Keymap::builtin();
    let cases = [
        (named(KeyCode::Down), Action::MoveDown),
        (named(KeyCode::Up), Action::MoveUp),
        (named(KeyCode::PageDown), Action::PageDown),
        (named(KeyCode::PageUp), Action::PageUp),
        (named(KeyCode::Home), Action::First),
        (named(KeyCode::End), Action::Last),
        (plain('n'), Action::NextError),
        (
            press(KeyCode::Char('N'), KeyModifiers::SHIFT),
            Action::PrevError,
        ),
        (plain('/'), Action::Search),
        (plain('f'), Action::Filter),
        (named(KeyCode::Esc), Action::ClearFilter),
        (named(KeyCode::Tab), Action::FocusNext),
        (
            press(KeyCode::BackTab, KeyModifiers::SHIFT),
            Action::FocusPrev,
        ),
        (
            press(KeyCode::Char('L'), KeyModifiers::SHIFT),
            Action::ToggleLanguage,
        ),
        (ctrl('r'), Action::Refresh),
        (press(KeyCode::Char('?'), KeyModifiers::SHIFT), Action::Help),
        (plain('?'), Action::Help),
        (plain('q'), Action::Quit),
        (ctrl('c'), Action::Quit),
    ];
    for (event, action) in cases {
        assert_eq!(keymap.action(&event), Some(action), "{event:?}");
    }
    assert_eq!(keymap.action(&plain('j')), None);
    assert_eq!(keymap.action(&plain('c')), None, "c is not ctrl-c");
    assert_eq!(keymap.action(&plain('Q')), None, "Q is not q");
    assert_eq!(
        keymap.action(&press(KeyCode::Char('q'), KeyModifiers::ALT)),
        None
    );
    let mut release = plain('q');
    release.kind = KeyEventKind::Release;
    assert_eq!(keymap.action(&release), None, "a release does nothing");
    let mut repeat = named(KeyCode::Down);
    repeat.kind = KeyEventKind::Repeat;
    assert_eq!(
        keymap.action(&repeat),
        Some(Action::MoveDown),
        "holding a key repeats it"
    );
    assert_eq!(keymap.keys(Action::Quit), ["q", "Ctrl-C"]);
    assert_eq!(keymap.keys(Action::PageDown), ["PgDn"]);
    assert_eq!(keymap.keys(Action::FocusPrev), ["Shift-Tab"]);
}

#[test]
fn vim_overlays_key_by_key() {
    let vim = Keymap::load_from(Some("vim"), None).expect("the vim preset loads");
    let cases = [
        (plain('j'), Action::MoveDown),
        (named(KeyCode::Down), Action::MoveDown),
        (plain('k'), Action::MoveUp),
        (named(KeyCode::Up), Action::MoveUp),
        (ctrl('f'), Action::PageDown),
        (ctrl('d'), Action::PageDown),
        (named(KeyCode::PageDown), Action::PageDown),
        (ctrl('b'), Action::PageUp),
        (ctrl('u'), Action::PageUp),
        (named(KeyCode::PageUp), Action::PageUp),
        (plain('g'), Action::First),
        (named(KeyCode::Home), Action::First),
        (press(KeyCode::Char('G'), KeyModifiers::SHIFT), Action::Last),
        (named(KeyCode::End), Action::Last),
        (plain('q'), Action::Quit),
        (plain('n'), Action::NextError),
    ];
    for (event, action) in cases {
        assert_eq!(vim.action(&event), Some(action), "{event:?}");
    }
    assert_eq!(vim.keys(Action::MoveDown), ["↓", "j"]);
    assert_eq!(vim.keys(Action::PageDown), ["PgDn", "Ctrl-F", "Ctrl-D"]);
    // Everything vim.toml does not mention is as built in.
    let builtin = Keymap::builtin();
    let vim_source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps/vim.toml"))
            .expect("readable");
    let parsed = Keymap::parse("vim.toml", &vim_source).expect("parses");
    let touched: Vec<Action> = parsed.keys.iter().map(|(action, _)| *action).collect();
    for &action in Action::ALL.iter().filter(|a| !touched.contains(a)) {
        assert_eq!(vim.keys(action), builtin.keys(action), "{}", action.name());
    }
    // In the help and the history j and k scroll, and the arrows still do.
    for mode in [Mode::Help, Mode::History] {
        assert_eq!(vim.command(mode, &plain('j')), Some(Command::ScrollDown));
        assert_eq!(vim.command(mode, &plain('k')), Some(Command::ScrollUp));
        assert_eq!(vim.command_keys(mode, Command::ScrollDown), ["↓", "j"]);
    }
    // Where text is typed, letters stay letters.
    for mode in [
        Mode::Search,
        Mode::Filter,
        Mode::FieldEditor,
        Mode::Reason,
        Mode::TextEditor,
    ] {
        for &command in mode.commands() {
            assert_eq!(
                vim.command_keys(mode, command),
                builtin.command_keys(mode, command),
                "[{}] {}",
                mode.name(),
                command.name()
            );
        }
    }
}

#[test]
fn an_overlay_takes_keys_from_other_actions_and_empty_unbinds() {
    let mut keymap = Keymap::builtin();
    keymap
        .overlay(
            "mine.toml",
            "[keys]\nquit = [\"n\"]\nhelp = []\nfocus_next = [\"tab\", \"F2\"]\n",
        )
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(keymap.action(&plain('n')), Some(Action::Quit));
    assert_eq!(keymap.keys(Action::Quit), ["q", "Ctrl-C", "n"]);
    assert!(
        keymap.keys(Action::NextError).is_empty(),
        "n was next_error's only key"
    );
    assert_eq!(keymap.action(&plain('?')), None);
    assert!(keymap.keys(Action::Help).is_empty());
    assert_eq!(keymap.keys(Action::FocusNext), ["Tab", "F2"]);
    assert_eq!(
        keymap.action(&named(KeyCode::F(2))),
        Some(Action::FocusNext)
    );

    // A file with problems changes nothing.
    let before = keymap.clone();
    assert!(
        keymap
            .overlay(
                "bad.toml",
                "[keys]\nquit = [\"x\"]\nfilter = [\"ctlr-f\"]\n"
            )
            .is_err()
    );
    assert_eq!(keymap, before);
}

/// Runs this test binary again, just `test`, with `env` set and `HUISHEN_CONFIG_DIR` etc.
/// as given: environment variables are process-wide, and setting them needs `unsafe`, which
/// the crate forbids, so tests that need them run in a child process.
fn run_child(test: &str, env: &[(&str, &Path)], remove: &[&str]) {
    let mut command = Process::new(std::env::current_exe().expect("the test binary"));
    command
        .args(["--exact", test, "--test-threads=1", "--nocapture"])
        .env("HUISHEN_KEYMAP_TEST_CHILD", "1");
    for name in ["HUISHEN_CONFIG_DIR", "XDG_CONFIG_HOME", "HOME"] {
        command.env_remove(name);
    }
    for name in remove {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child {test} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "child {test} did not run:\n{stdout}"
    );
}

fn in_child() -> bool {
    std::env::var_os("HUISHEN_KEYMAP_TEST_CHILD").is_some()
}

const USER_KEYMAP: &str = "# mine\n[keys]\nfilter = [\"/\"]\n";

fn assert_user_keymap(keymap: &Keymap, base: &Keymap) {
    assert_eq!(
        keymap.action(&plain('/')),
        Some(Action::Filter),
        "the user's key"
    );
    assert_eq!(
        keymap.action(&plain('f')),
        Some(Action::Filter),
        "filter keeps f"
    );
    assert!(
        keymap.keys(Action::Search).is_empty(),
        "search lost its only key"
    );
    for &action in Action::ALL {
        if action != Action::Filter && action != Action::Search {
            assert_eq!(keymap.keys(action), base.keys(action), "{}", action.name());
        }
    }
}

#[test]
fn a_user_file_in_the_config_dir_overrides_one_key_and_keeps_the_rest() {
    if in_child() {
        let dir = PathBuf::from(std::env::var_os("HUISHEN_CONFIG_DIR").expect("set by the parent"));
        assert_eq!(Keymap::config_dir(), Some(dir));
        let keymap = Keymap::load(None).unwrap_or_else(|error| panic!("{error}"));
        assert_user_keymap(&keymap, &Keymap::builtin());
        let vim = Keymap::load(Some("vim")).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            vim.action(&plain('j')),
            Some(Action::MoveDown),
            "the preset is still there"
        );
        assert_user_keymap(&vim, &Keymap::load_from(Some("vim"), None).expect("loads"));
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("keymap.toml"), USER_KEYMAP).expect("written");
    // The same, in this process, with the directory given.
    let keymap =
        Keymap::load_from(None, Some(dir.path())).unwrap_or_else(|error| panic!("{error}"));
    assert_user_keymap(&keymap, &Keymap::builtin());
    run_child(
        "a_user_file_in_the_config_dir_overrides_one_key_and_keeps_the_rest",
        &[("HUISHEN_CONFIG_DIR", dir.path())],
        &[],
    );
}

#[test]
fn the_config_dir_falls_back_to_xdg_then_home() {
    if in_child() {
        let expected = std::env::var_os("EXPECT_CONFIG_DIR").map(PathBuf::from);
        match expected {
            Some(dir) => assert_eq!(Keymap::config_dir(), Some(dir)),
            // Without HOME, the system's config folder of the user the passwd file names.
            None => assert!(
                Keymap::config_dir().is_none_or(|d| d.is_absolute() && d.ends_with("huishen")),
                "{:?}",
                Keymap::config_dir()
            ),
        }
        // No keymap.toml there: the built-in keymap.
        assert_eq!(Keymap::load(None).expect("loads"), Keymap::builtin());
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let xdg = dir.path().join("xdg");
    let home = dir.path().join("home");
    let test = "the_config_dir_falls_back_to_xdg_then_home";
    run_child(
        test,
        &[
            ("XDG_CONFIG_HOME", &xdg),
            ("HOME", &home),
            ("EXPECT_CONFIG_DIR", &xdg.join("huishen")),
        ],
        &[],
    );
    run_child(
        test,
        &[
            ("HOME", &home),
            ("EXPECT_CONFIG_DIR", &home.join(".config/huishen")),
        ],
        &[],
    );
    // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
    run_child(
        test,
        &[
            ("XDG_CONFIG_HOME", Path::new("relative")),
            ("HOME", &home),
            ("EXPECT_CONFIG_DIR", &home.join(".config/huishen")),
        ],
        &[],
    );
    run_child(test, &[], &["EXPECT_CONFIG_DIR"]);
}

#[test]
fn a_broken_user_file_is_reported_with_its_path() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, "[keys]\nmove_down = [\"j\"]\nquit = [\"j\"]\n").expect("written");
    let error = Keymap::load_from(None, Some(dir.path())).expect_err("a key on two actions");
    assert_eq!(
        error.to_string(),
        format!(
            "{}:3:9: `j` is bound to both `move_down` and `quit`: a key does one thing, so keep it on one of them",
            path.display()
        )
    );
}

#[test]
fn a_keymap_given_by_path_is_read_and_a_missing_one_explained() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "[keys]\nquit = [\"x\"]\n").expect("written");
    let keymap = Keymap::load_from(Some(&path.display().to_string()), None).expect("loads");
    assert_eq!(keymap.action(&plain('x')), Some(Action::Quit));
    assert_eq!(keymap.action(&plain('q')), Some(Action::Quit));

    let missing = dir.path().join("nope.toml").display().to_string();
    let error = Keymap::load_from(Some(&missing), None).expect_err("no such file");
    assert_eq!(error.problems.len(), 1);
    assert!(
        error.problems[0].starts_with(&format!("{missing}: cannot read this keymap file (")),
        "{error}"
    );
    assert!(
        error.problems[0].ends_with("); give the path of a keymap file or a preset: default, vim"),
        "{error}"
    );
}

#[test]
fn a_toml_syntax_error_gives_file_line_column() {
    assert_eq!(
        problems("[keys]\nmove_down = [\"j\"\nquit = [\"q\"]\n"),
        ["my.toml:3:1: missing comma between array elements, expected `,`"]
    );
}

#[test]
fn an_unknown_action_lists_the_known_ones() {
    let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
    assert_eq!(
        problems("[keys]\nmove_down = [\"j\"]\nmvoe_up = [\"k\"]\n"),
        [format!(
            "my.toml:3:1: unknown action `mvoe_up`: the actions are {}",
            names.join(", ")
        )]
    );
    assert!(
        names.starts_with(&["move_down", "move_up", "page_down"])
            && names.ends_with(&["help", "quit"])
    );
}

#[test]
fn a_bad_key_spec_says_what_is_accepted() {
    let accepted = "write a single character (j, G, /, ?), or a key name (up, down, left, right, \
        home, end, pageup, pagedown, tab, backtab, enter, esc, space, backspace, delete, insert, \
        f1 to f12), either of them optionally after ctrl-, alt- or shift-, as in ctrl-d or shift-tab";
    assert_eq!(
        problems(
            "[keys]\npage_down = [\"pagedown\", \"ctlr-d\"]\nfirst = [\"gg\", \"\"]\nlast = [\"f13\"]\n"
        ),
        [
            format!("my.toml:2:26: `ctlr-d` is not a key: {accepted}"),
            format!("my.toml:3:10: `gg` is not a key: {accepted}"),
            format!("my.toml:3:16: an empty string is not a key: {accepted}"),
            format!("my.toml:4:9: `f13` is not a key: {accepted}"),
        ]
    );
    assert_eq!(
        problems("[keys]\nhelp = [\"shift-/\"]\n"),
        [
            "my.toml:2:9: `shift-/` is not a key: shift- goes only with letters and key names; \
          write the character Shift makes instead, as in `?` rather than `shift-/`"
        ]
    );
}

#[test]
fn a_key_on_two_actions_in_one_file_names_both() {
    assert_eq!(
        problems("[keys]\nfirst = [\"g\"]\nlast = [\"G\"]\nmove_down = [\"shift-G\", \"g\"]\n"),
        [
            "my.toml:4:14: `shift-G` is bound to both `last` and `move_down`: a key does one \
             thing, so keep it on one of them",
            "my.toml:4:25: `g` is bound to both `first` and `move_down`: a key does one thing, \
             so keep it on one of them",
        ]
    );
    assert_eq!(
        problems("[keys]\nquit = [\"q\", \"Q\", \"q\"]\n"),
        ["my.toml:2:19: `q` is listed twice for `quit`: remove one"]
    );
}

#[test]
fn other_tables_and_shapes_are_explained() {
    let tables = "[keys] for the main screen and one per window: [help], [search], [filter], \
        [field_editor], [reason], [text_editor], [history], [flag_detail], [dashboard], [sign], \
        [take_over], [bulk]";
    assert_eq!(
        problems(
            "move_down = [\"j\"]\ntheme = \"dark\"\n[keys]\nquit = [\"q\"]\n[colours]\nbg = 1\n"
        ),
        [
            "my.toml:1:1: `move_down` is outside the [keys] table: put bindings under [keys]"
                .to_string(),
            format!("my.toml:2:1: unknown setting `theme`: a keymap file has the tables {tables}"),
            format!(
                "my.toml:5:2: unknown table `[colours]`: a keymap file has the tables {tables}"
            ),
        ]
    );
    // `help` is an action and a window: at the top level, as a list, it is the action.
    assert_eq!(
        problems("help = [\"?\"]\n"),
        ["my.toml:1:1: `help` is outside the [keys] table: put bindings under [keys]"]
    );
    assert_eq!(
        problems("[keys]\nquit = \"q\"\n"),
        [
            "my.toml:2:8: invalid type: string \"q\", expected a list of keys in brackets, \
             like [\"q\", \"ctrl-c\"], or [] for none"
        ]
    );
    assert_eq!(
        problems("[keys]\nquit = [1]\n"),
        [
            "my.toml:2:9: invalid type: integer `1`, expected a key in quotes, like \"j\", \
             \"ctrl-d\" or \"pagedown\""
        ]
    );
    // Several problems are reported together.
    assert_eq!(
        problems("[keys]\nquite = [\"q\"]\nhelp = [\"ctrl-?\", \"hlep\"]\n").len(),
        2
    );
}

#[test]
fn an_empty_file_binds_nothing() {
    assert!(Keymap::parse("empty.toml", "").expect("parses").is_empty());
    assert!(
        Keymap::parse("empty.toml", "# nothing\n[keys]\n")
            .expect("parses")
            .is_empty()
    );
}

#[test]
fn help_rows_cover_every_bound_action_by_section() {
    for keymap in [
        Keymap::builtin(),
        Keymap::load_from(Some("vim"), None).expect("loads"),
    ] {
        for lang in [Lang::En, Lang::Zh] {
            let rows = keymap.help_rows(lang);
            let bound: Vec<Action> = Action::ALL
                .iter()
                .copied()
                .filter(|&a| !keymap.keys(a).is_empty())
                .collect();
            assert_eq!(rows.len(), bound.len());
            for &action in &bound {
                let row = rows
                    .iter()
                    .find(|(_, _, description)| *description == action.description(lang))
                    .unwrap_or_else(|| panic!("no row for {}", action.name()));
                assert_eq!(row.0, action.section());
                assert_eq!(row.1, keymap.keys(action).join(", "));
            }
            let sections: Vec<Section> = rows.iter().map(|(section, _, _)| *section).collect();
            let mut sorted = sections.clone();
            sorted.sort();
            assert_eq!(sections, sorted, "rows are grouped by section");
        }
    }
    let mut keymap = Keymap::builtin();
    keymap
        .overlay("mine.toml", "[keys]\nrefresh = []\n")
        .expect("parses");
    let rows = keymap.help_rows(Lang::En);
    assert_eq!(rows.len(), Action::ALL.len() - 1);
    assert!(
        !rows
            .iter()
            .any(|(_, _, d)| *d == Action::Refresh.description(Lang::En))
    );
    assert_eq!(
        rows.first().map(|(s, k, d)| (*s, k.as_str(), *d)),
        Some((Section::Move, "↓", "Next line"))
    );
    assert_eq!(
        rows.last().map(|(s, k, d)| (*s, k.as_str(), *d)),
        Some((Section::General, "q, Ctrl-C", "Quit"))
    );
}

#[test]
fn the_readme_key_table_is_the_builtin_keymap() {
    let readme = include_str!("../README.md");
    let start =
        readme.find("<!-- keys:begin -->\n").expect("begin marker") + "<!-- keys:begin -->\n".len();
    let end = readme.find("<!-- keys:end -->").expect("end marker");
    assert_eq!(
        &readme[start..end],
        Keymap::builtin().markdown_table(Lang::En),
        "README.md's key table differs from keymaps/default.toml: paste markdown_table's output"
    );
}

#[test]
fn shift_g_and_capital_g_are_the_same_key() {
    let vim = Keymap::load_from(Some("vim"), None).expect("loads");
    for event in [
        press(KeyCode::Char('G'), KeyModifiers::SHIFT),
        press(KeyCode::Char('G'), KeyModifiers::NONE),
        press(KeyCode::Char('g'), KeyModifiers::SHIFT),
    ] {
        assert_eq!(vim.action(&event), Some(Action::Last), "{event:?}");
    }
    assert_eq!(vim.action(&plain('g')), Some(Action::First));
    let capital = Key::parse("G").expect("a key");
    assert_eq!(Key::parse("shift-g"), Ok(capital));
    assert_eq!(Key::parse("SHIFT-g"), Ok(capital));
    assert_eq!(Key::parse("shift-G"), Ok(capital));
    assert_ne!(Key::parse("g"), Ok(capital));
    assert_eq!(capital.to_string(), "G");

    let mut keymap = Keymap::builtin();
    keymap
        .overlay("mine.toml", "[keys]\nlast = [\"shift-g\"]\n")
        .expect("parses");
    assert_eq!(
        keymap.action(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
        Some(Action::Last)
    );
    assert_eq!(keymap.action(&plain('g')), None);
    // Shift with a named key is its own key; Shift-Tab is BackTab however it is reported.
    assert_eq!(Key::parse("shift-tab"), Key::parse("backtab"));
    assert_eq!(
        keymap.action(&press(KeyCode::Tab, KeyModifiers::SHIFT)),
        Some(Action::FocusPrev)
    );
    assert_ne!(Key::parse("shift-up"), Key::parse("up"));
}

#[test]
fn keys_display_canonically() {
    let cases = [
        ("ctrl-d", "Ctrl-D"),
        ("CTRL-d", "Ctrl-D"),
        ("ctrl-shift-d", "Ctrl-Shift-D"),
        ("ctrl-D", "Ctrl-Shift-D"),
        ("alt-x", "Alt-X"),
        ("ctrl-alt-delete", "Ctrl-Alt-Del"),
        ("pagedown", "PgDn"),
        ("PageUp", "PgUp"),
        ("down", "↓"),
        ("up", "↑"),
        ("left", "←"),
        ("right", "→"),
        ("shift-up", "Shift-↑"),
        ("home", "Home"),
        ("end", "End"),
        ("tab", "Tab"),
        ("backtab", "Shift-Tab"),
        ("enter", "Enter"),
        ("ESC", "Esc"),
        ("space", "Space"),
        (" ", "Space"),
        ("backspace", "Backspace"),
        ("delete", "Del"),
        ("insert", "Ins"),
        ("f1", "F1"),
        ("F12", "F12"),
        ("alt-f5", "Alt-F5"),
        ("j", "j"),
        ("G", "G"),
        ("?", "?"),
        ("-", "-"),
        ("ctrl--", "Ctrl--"),
        ("会", "会"),
    ];
    for (spec, shown) in cases {
        let key = Key::parse(spec).unwrap_or_else(|error| panic!("{spec}: {error}"));
        assert_eq!(key.to_string(), shown, "{spec}");
        // What is shown parses back to the same key, where it is a spec at all.
        if let Ok(again) = Key::parse(&shown.to_lowercase()) {
            if shown.chars().count() > 1 && !shown.contains(['↓', '↑', '←', '→']) {
                assert_eq!(again, key, "{spec} -> {shown}");
            }
        }
    }
    for bad in ["", "ctrl-", "f0", "f13", "hyper-x", "jk", "\t"] {
        assert!(Key::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_window_command_is_rebound_key_by_key_in_its_own_table() {
    let mut keymap = Keymap::builtin();
    keymap
        .overlay(
            "mine.toml",
            "[filter]\nconfirm = [\"ctrl-s\"]\ncancel = [\"q\"]\n\n[text_editor]\nsave = [\"ctrl-enter\", \"ctrl-s\"]\n",
        )
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        keymap.command(Mode::Filter, &ctrl('s')),
        Some(Command::Confirm)
    );
    assert_eq!(
        keymap.command(Mode::Filter, &named(KeyCode::Enter)),
        Some(Command::Confirm),
        "confirm keeps Enter"
    );
    assert_eq!(
        keymap.command(Mode::Filter, &plain('q')),
        Some(Command::Cancel)
    );
    assert_eq!(
        keymap.command_keys(Mode::Filter, Command::Cancel),
        ["Esc", "q"]
    );
    assert_eq!(
        keymap.command_keys(Mode::TextEditor, Command::Save),
        ["Ctrl-S", "Ctrl-Enter"]
    );
    // Tables are independent: q still quits on the main screen, Ctrl-S means nothing there.
    assert_eq!(keymap.action(&plain('q')), Some(Action::Quit));
    assert_eq!(keymap.action(&ctrl('s')), None);
    assert_eq!(keymap.command(Mode::Search, &ctrl('s')), None);
    // `[]` unbinds a command in its table only.
    keymap
        .overlay("more.toml", "[take_over]\ncancel = []\n")
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        keymap
            .command_keys(Mode::TakeOver, Command::Cancel)
            .is_empty()
    );
    assert_eq!(
        keymap.command_keys(Mode::Filter, Command::Cancel),
        ["Esc", "q"]
    );
}

#[test]
fn a_window_table_names_only_its_own_commands() {
    assert_eq!(
        problems("[filter]\nconfirm = [\"enter\"]\nsave = [\"ctrl-s\"]\n"),
        [
            "my.toml:3:1: unknown action `save`: in [filter] the actions are next_row, prev_row, \
          next_value, prev_value, confirm, cancel"
        ]
    );
    assert_eq!(
        problems("[help]\nquit = [\"q\"]\n"),
        [
            "my.toml:2:1: unknown action `quit`: in [help] the actions are scroll_down, scroll_up, \
          page_down, page_up, close"
        ]
    );
    assert_eq!(
        problems("[reason]\nnext_reason = [\"down\"]\nprev_reason = [\"down\"]\n"),
        [
            "my.toml:3:16: `down` is bound to both `next_reason` and `prev_reason`: a key does one \
          thing, so keep it on one of them"
        ]
    );
    // A key may do one thing per table, and different things in different tables.
    let parsed = Keymap::parse(
        "my.toml",
        "[keys]\nquit = [\"q\"]\n[take_over]\ncancel = [\"q\"]\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(parsed.keys.len(), 1);
    assert_eq!(parsed.modes.len(), 1);
}

#[test]
fn the_help_lists_every_mode_with_its_keys() {
    for keymap in [
        Keymap::builtin(),
        Keymap::load_from(Some("vim"), None).expect("loads"),
    ] {
        for lang in [Lang::En, Lang::Zh] {
            let groups = keymap.help(lang);
            for &mode in Mode::ALL {
                let group = groups
                    .iter()
                    .find(|g| g.table == Some(mode.name()))
                    .unwrap_or_else(|| panic!("no group for [{}]", mode.name()));
                assert_eq!(group.title, mode.title(lang));
                assert_eq!(group.rows.len(), mode.commands().len());
                for &command in mode.commands() {
                    let description = mode.describe(command, lang).expect("described");
                    assert!(
                        group.rows.iter().any(|(keys, d)| *d == description
                            && *keys == keymap.command_keys(mode, command)),
                        "[{}] {}",
                        mode.name(),
                        command.name()
                    );
                }
            }
            // The main screen's sections come first, then the windows, in Mode::ALL order.
            let tables: Vec<&str> = groups.iter().filter_map(|g| g.table).collect();
            let names: Vec<&str> = Mode::ALL.iter().map(|m| m.name()).collect();
            assert_eq!(tables, names);
            assert!(groups[0].table.is_none());
        }
    }
    let table = Keymap::builtin().markdown_table(Lang::En);
    assert!(
        table.contains("| **In the filter** `[filter]` | |\n"),
        "{table}"
    );
    assert!(
        table.contains("| `Enter` | Apply the filter |\n"),
        "{table}"
    );
    assert!(table.contains("| `Ctrl-S` | Save |\n"), "{table}");
}

/// A keymap that leaves no way out of the screen is refused before anything opens, with the
/// file it came from; the screen is never started with no key that quits.
#[test]
fn a_keymap_without_a_key_to_quit_is_refused() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/invalid/keymap/no-way-out.toml"
    );
    let out = assert_cmd::Command::cargo_bin("huishen")
        .unwrap()
        .args([
            "review",
            "nowhere.huishen",
            "--reviewer",
            "王五",
            "--keymap",
            fixture,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {fixture}: the keymap leaves no key for `quit`, so the screen could not be \
             left; bind quit to a key in [keys] (e.g. quit = [\"q\", \"Ctrl-C\"])\n"
        )
    );
    assert!(Keymap::load_from(Some(fixture), None).is_err());
}
