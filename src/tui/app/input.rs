//! Input as messages: a key through the keymap of the mode in force, the mouse by where it
//! is, the terminal's size, the clock. Nothing here changes the model; [`App::send`] does,
//! through `update`.

use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::App;
use super::msg::Msg;

impl App {
    /// Handles one key: the open window's mode takes it first, then the main keymap.
    pub fn on_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        let msg = match self.mode() {
            None => self.keymap.action(&key).map_or(Msg::Unbound, Msg::Action),
            Some(mode) => self
                .keymap
                .command(mode, &key)
                .map_or(Msg::Other(key), Msg::Command),
        };
        self.send(msg);
    }

    /// Handles the mouse: a click selects, the wheel scrolls the pane under it. Windows over
    /// the screen take no mouse.
    pub fn on_mouse(&mut self, mouse: MouseEvent) {
        if self.overlay.is_some() {
            return;
        }
        let at = Position::new(mouse.column, mouse.row);
        let msg = match mouse.kind {
            MouseEventKind::ScrollDown => Msg::Scroll { at, down: true },
            MouseEventKind::ScrollUp => Msg::Scroll { at, down: false },
            MouseEventKind::Down(_) => Msg::Click(at),
            _ => return,
        };
        self.send(msg);
    }

    pub fn on_resize(&mut self, size: Rect) {
        self.send(Msg::Resize(size));
    }

    /// Collects what the worker has answered, then asks whether another process changed the
    /// workspace (and if so reloads without moving).
    pub fn on_tick(&mut self) {
        self.collect();
        self.send(Msg::Tick);
    }

    /// Takes in what the worker and the searcher have answered, without waiting.
    pub fn collect(&mut self) {
        let answers: Vec<Msg> = (self.worker.answers().into_iter())
            .chain(self.searcher.answers())
            .collect();
        for answer in answers {
            self.send(answer);
        }
    }

    /// A search, or a poll under one, is on its way: its lines are not on screen yet.
    pub fn waiting(&self) -> bool {
        self.searching.is_some() || self.polling
    }
}
