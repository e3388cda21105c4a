//! Which key does which [`Action`] on the main screen, and which [`Command`] in each window
//! over it ([`Mode`]).
//!
//! The shipped `keymaps/default.toml` *is* the built-in keymap: it is compiled in and parsed
//! like any other keymap file. A preset (`vim`, or the path of a file) and then the user's own
//! `keymap.toml` are laid over it key by key, table by table: each key a file names does that
//! file's action (in that table) from then on, taken from whatever action had it there, and
//! every other key keeps its binding. An action given `[]` loses all its keys.
//!
//! ```toml
//! [keys]
//! move_down = ["down", "j"]
//! quit = ["q", "ctrl-c"]
//!
//! [filter]
//! confirm = ["enter", "ctrl-s"]
//! ```
//!
//! The help overlay and the README's key table come from [`Keymap::help`] and
//! [`Keymap::markdown_table`], so they always show the keys in force.

mod help;
mod key;
mod parse;

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use crate::tui::action::{Action, Command, Mode};
pub use help::HelpGroup;
pub use key::Key;
pub use parse::{KeymapError, KeymapFile};

/// The built-in keymap, as shipped.
const DEFAULT_FILE: &str = "keymaps/default.toml";
const DEFAULT_SOURCE: &str = include_str!("../../../keymaps/default.toml");

/// The presets [`Keymap::load`] accepts by name, with the file each one is compiled from.
const PRESETS: &[(&str, &str, &str)] = &[
    ("default", DEFAULT_FILE, DEFAULT_SOURCE),
    (
        "vim",
        "keymaps/vim.toml",
        include_str!("../../../keymaps/vim.toml"),
    ),
];

/// The user's keymap, in the config directory.
const USER_FILE: &str = "keymap.toml";

/// One table's keys: each key does at most one thing; a thing may have several keys. In the
/// order the files gave them, which is the order the help shows a thing's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bindings<A>(Vec<(Key, A)>);

impl<A> Default for Bindings<A> {
    fn default() -> Self {
        Bindings(Vec::new())
    }
}

impl<A: Copy + Eq> Bindings<A> {
    /// `keys` do `action` from now on; no keys unbinds it.
    fn lay(&mut self, action: A, keys: &[Key]) {
        if keys.is_empty() {
            self.0.retain(|(_, a)| *a != action);
        }
        for &key in keys {
            match self.0.iter().position(|(k, _)| *k == key) {
                Some(i) if self.0[i].1 == action => {}
                Some(i) => {
                    self.0.remove(i);
                    self.0.push((key, action));
                }
                None => self.0.push((key, action)),
            }
        }
    }

    fn get(&self, key: Key) -> Option<A> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, a)| *a)
    }

    fn keys(&self, action: A) -> Vec<String> {
        self.0
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(key, _)| key.to_string())
            .collect()
    }
}

/// The keys in force, on the main screen and in every mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    main: Bindings<Action>,
    /// Indexed by the mode's place in [`Mode::ALL`].
    modes: [Bindings<Command>; Mode::ALL.len()],
}

impl Keymap {
    /// The shipped `keymaps/default.toml`.
    pub fn builtin() -> Keymap {
        let mut keymap = Keymap::default();
        if let Err(error) = keymap.overlay(DEFAULT_FILE, DEFAULT_SOURCE) {
            // A test parses the shipped file, so this cannot happen in a released build.
            panic!("the built-in keymap is broken:\n{error}");
        }
        keymap
    }

    /// Reads a keymap file: each table's actions with their keys, in file order. `file`
    /// names the file in problems. Reports every problem it finds, not just the first.
    pub fn parse(file: &str, source: &str) -> Result<KeymapFile, KeymapError> {
        parse::parse(file, source)
    }

    /// Lays a keymap file over this keymap, key by key in each table: each key the file
    /// names does the file's action from now on (taken from whatever action had it there); an
    /// action given `[]` loses all its keys; every other binding stays. On error nothing
    /// changes.
    pub fn overlay(&mut self, file: &str, source: &str) -> Result<(), KeymapError> {
        let parsed = Keymap::parse(file, source)?;
        for (action, keys) in parsed.keys {
            self.main.lay(action, &keys);
        }
        for (mode, commands) in parsed.modes {
            for (command, keys) in commands {
                self.modes[mode_index(mode)].lay(command, &keys);
            }
        }
        Ok(())
    }

    /// The keymap in force: the built-in one, then `choice` (a preset name, `vim` or
    /// `default`, or the path of a keymap file), then the user's `keymap.toml` in
    /// [`Keymap::config_dir`] if there is one.
    pub fn load(choice: Option<&str>) -> Result<Keymap, KeymapError> {
        Keymap::load_from(choice, Keymap::config_dir().as_deref())
    }

    /// [`Keymap::load`] with the config directory given rather than looked up.
    pub fn load_from(
        choice: Option<&str>,
        config_dir: Option<&Path>,
    ) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::builtin();
        // The files laid over the built-in keymap, for messages.
        let mut files: Vec<String> = Vec::new();
        if let Some(choice) = choice {
            files.push(choice.to_string());
            match PRESETS.iter().find(|(name, _, _)| *name == choice) {
                Some((_, file, source)) => keymap.overlay(file, source)?,
                None => {
                    let source = std::fs::read_to_string(choice).map_err(|error| {
                        let presets: Vec<&str> = PRESETS.iter().map(|(name, _, _)| *name).collect();
                        KeymapError {
                            problems: vec![format!(
                                "{choice}: cannot read this keymap file ({error}); give the \
                                 path of a keymap file or a preset: {}",
                                presets.join(", ")
                            )],
                        }
                    })?;
                    keymap.overlay(choice, &source)?;
                }
            }
        }
        if let Some(dir) = config_dir {
            let path = dir.join(USER_FILE);
            if path.is_file() {
                let file = path.display().to_string();
                files.push(file.clone());
                let source = std::fs::read_to_string(&path).map_err(|error| KeymapError {
                    problems: vec![format!(
                        "{file}: cannot read your keymap ({error}); fix its permissions or \
                         remove it"
                    )],
                })?;
                keymap.overlay(&file, &source)?;
            }
        }
        if keymap.keys(Action::Quit).is_empty() {
            return Err(KeymapError {
                problems: vec![format!(
                    "{}: the keymap leaves no key for `quit`, so the screen could not be left; \
                     bind quit to a key in [keys] (e.g. quit = [\"q\", \"Ctrl-C\"])",
                    files.join(" with ")
                )],
            });
        }
        Ok(keymap)
    }

    /// Where the user's `keymap.toml` lives: `$HUISHEN_CONFIG_DIR`, else
    /// `$XDG_CONFIG_HOME/huishen`, else `huishen` in the system's config folder
    /// (`~/.config` on Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
    pub fn config_dir() -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if let Some(dir) = var("HUISHEN_CONFIG_DIR") {
            return Some(PathBuf::from(dir));
        }
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and to be ignored.
        if let Some(dir) = var("XDG_CONFIG_HOME").map(PathBuf::from)
            && dir.is_absolute()
        {
            return Some(dir.join("huishen"));
        }
        dirs::config_dir().map(|dir| dir.join("huishen"))
    }

    /// The action a key press asks for on the main screen. Key releases ask for nothing.
    pub fn action(&self, key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        self.main.get(Key::from_event(key))
    }

    /// The command a key press asks for in `mode`. Key releases ask for nothing.
    pub fn command(&self, mode: Mode, key: &KeyEvent) -> Option<Command> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        self.modes[mode_index(mode)].get(Key::from_event(key))
    }

    /// The keys that do `action` on the main screen, for display (`↓`, `j`, `Ctrl-D`), in
    /// file order.
    pub fn keys(&self, action: Action) -> Vec<String> {
        self.main.keys(action)
    }

    /// The keys that do `command` in `mode`, for display, in file order.
    pub fn command_keys(&self, mode: Mode, command: Command) -> Vec<String> {
        self.modes[mode_index(mode)].keys(command)
    }
}

fn mode_index(mode: Mode) -> usize {
    Mode::ALL.iter().position(|m| *m == mode).unwrap_or(0)
}
