//! [`App::update`]: the one place the model changes. Each message changes the model and says
//! what the core should do next; the answers of the core come back here as messages too.

use ratatui::layout::Position;

use super::msg::{Done, Effect, Loaded, Msg, Read, Selection, Write};
use super::{App, Figures, FilterMenu, Overlay, Pane};
use crate::tui::action::Action;
use crate::tui::i18n::say;
use crate::tui::layout::Areas;
use huishen_core::domain::{Outcome, Severity};
use huishen_core::review::{BulkAction, Direction, QueueFilter};

impl App {
    /// Applies `msg` to the model and returns what to run next (at most one effect reads the
    /// queue, so that it starts from the queue as this left it).
    #[must_use = "the effects are to be run, see App::send"]
    pub fn update(&mut self, msg: impl Into<Msg>) -> Vec<Effect> {
        match msg.into() {
            Msg::Action(action) => {
                self.message = None;
                return self.act(action);
            }
            Msg::Unbound => self.message = None,
            Msg::Command(command) => return self.command(command),
            Msg::Other(key) => return self.other_key(key),
            Msg::Click(at) => return self.click(at),
            Msg::Scroll { at, down } => return self.scroll(at, down),
            Msg::Resize(size) => {
                self.areas = Areas::new(size);
                return vec![self.read(Read::KeepPlace)];
            }
            Msg::Tick => {
                let poll = Effect::Poll {
                    known: self.data_version,
                    view: self.view(),
                };
                // Now and then, what other reviewers' corrections left due and no screen
                // scored yet (one that quit at once, say).
                self.ticks = self.ticks.wrapping_add(1);
                let mut effects = vec![poll];
                if self.ticks % super::DUE_TICKS == 0 {
                    effects.push(Effect::RefreshDue);
                }
                effects.extend(self.claim_tick());
                return effects;
            }
            Msg::Loaded(loaded) => return self.load(*loaded),
            Msg::Searched(found, filter) => {
                // A search the reviewer has since replaced or cancelled is dropped.
                if self.searching.as_ref() != Some(&filter) {
                    return Vec::new();
                }
                self.searching = None;
                match found {
                    Ok(loaded) => {
                        self.filter = filter;
                        return self.load(*loaded);
                    }
                    Err(error) => self.message = Some(say::failure(self.lang, &error)),
                }
            }
            Msg::Refreshed(polled, view) => {
                self.polling = false;
                let loaded = match polled {
                    Ok(Some(loaded)) => loaded,
                    Ok(None) => return Vec::new(),
                    Err(error) => {
                        self.message = Some(say::failure(self.lang, &error));
                        return Vec::new();
                    }
                };
                // Read for the queue as it was: taken only if the screen is still there (if
                // not, the next tick asks again, the data version being unchanged).
                let now = self.view();
                if now.filter == view.filter
                    && now.selected == view.selected
                    && now.window.rows.first().map(|r| r.record)
                        == view.window.rows.first().map(|r| r.record)
                {
                    return self.load(*loaded);
                }
            }
            Msg::Row(row) => self.row_read(row),
            Msg::Assigned(Ok(mine)) => {
                if mine.is_empty() {
                    self.message = Some(say::no_assignments(self.lang).into());
                }
                self.filter.mine = mine;
                return vec![self.read(Read::Around)];
            }
            Msg::Claimed(Ok(()), then) => {
                self.hold();
                self.open_editor(then);
            }
            Msg::Claimed(Err(error), _) => {
                self.message = Some(say::failure(self.lang, &error));
                return vec![self.read(Read::AfterAction)];
            }
            Msg::Wrote(outcome) => return self.wrote(outcome),
            Msg::History(Ok(lines)) => self.overlay = Some(Overlay::History { lines, scroll: 0 }),
            Msg::FlagDetail(detail) => self.flag_detail_read(detail),
            Msg::Figures(figures) => {
                if let Some(Overlay::Dashboard(shown)) = &mut self.overlay {
                    *shown = match figures {
                        Ok(figures) => Figures::Ready(figures),
                        Err(error) => Figures::Failed(say::failure(self.lang, &error)),
                    };
                }
            }
            Msg::NoError(direction) => {
                self.message = Some(
                    match direction {
                        Direction::Forward => say::no_further_error(self.lang),
                        Direction::Backward => say::no_earlier_error(self.lang),
                    }
                    .into(),
                );
            }
            Msg::Assigned(Err(error)) | Msg::History(Err(error)) | Msg::Failed(error) => {
                self.message = Some(say::failure(self.lang, &error));
            }
            Msg::Planned(Ok(plan)) => self.overlay = Some(Overlay::Bulk(plan)),
            Msg::Planned(Err(error)) => self.message = Some(say::failure(self.lang, &error)),
            Msg::Nothing => {}
        }
        Vec::new()
    }

    /// A main-screen action.
    fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Search => {
                let input = self.filter.search.clone().unwrap_or_default();
                self.overlay = Some(Overlay::Search { input });
            }
            Action::Filter => self.overlay = Some(Overlay::Filter(self.menu_from_filter())),
            // The search and filters go, one press at a time before the marks, and the cursor
            // stays on the record it was on: the next key acts where the reviewer was.
            Action::ClearFilter => {
                // A search on its way is called off first.
                if self.searching.take().is_some() {
                    self.message = Some(say::search_called_off(self.lang).into());
                    return Vec::new();
                }
                if self.filter.is_empty() {
                    if !self.marked.is_empty() {
                        self.marked.clear();
                        self.message = Some(say::marks_cleared(self.lang).into());
                    }
                    return Vec::new();
                }
                let mine = std::mem::take(&mut self.filter.mine);
                let scope = self.filter.scope.take();
                self.filter = QueueFilter {
                    mine,
                    scope,
                    ..QueueFilter::default()
                };
                self.region_label = None;
                self.message = Some(say::filters_cleared(self.lang).into());
                return vec![self.read(Read::Around)];
            }
            Action::ToggleMine => {
                if self.filter.mine.is_empty() {
                    return vec![Effect::Assignments];
                }
                self.filter.mine.clear();
                return vec![self.read(Read::Around)];
            }
            Action::TakeOver => {
                let claim = self.record.as_ref().and_then(|r| r.claimed_by.clone());
                match claim {
                    Some(c) => self.overlay = Some(Overlay::TakeOver { from: c.reviewer }),
                    None => self.message = Some(say::nobody_else_on_record(self.lang).into()),
                }
            }
            Action::FocusNext => self.focus = next_pane(self.focus, true),
            Action::FocusPrev => self.focus = next_pane(self.focus, false),
            Action::ToggleLanguage => self.lang = self.lang.other(),
            Action::Dashboard => {
                self.overlay = Some(Overlay::Dashboard(Figures::Loading));
                return vec![Effect::Figures(self.zone.today_start())];
            }
            Action::Refresh => return vec![self.read(Read::AfterAction)],
            Action::OrderByScore => {
                self.filter.by_score = !self.filter.by_score;
                // A new order starts at its top: the highest scores first.
                self.message = Some(say::ordered_by(self.lang, self.filter.by_score).into());
                return vec![self.read(Read::FromStart)];
            }
            Action::BulkExplain => {
                self.overlay = Some(Overlay::Text(Box::new(
                    crate::tui::editing::TextState::new(
                        crate::tui::editing::TextPurpose::BulkExplain,
                    ),
                )));
            }
            Action::BulkAccept => {
                let action = BulkAction::Accept { fix: None };
                return vec![Effect::PlanBulk(self.selection(), action)];
            }
            Action::BulkSign => return vec![Effect::PlanBulk(self.selection(), BulkAction::Sign)],
            Action::Mark => match self.selected().map(|r| r.record) {
                Some(record) => {
                    if !self.marked.remove(&record) {
                        self.marked.insert(record);
                    }
                    self.message = Some(say::marked(self.lang, self.marked.len()));
                    return self.movement(Pane::Queue, Action::MoveDown, 1);
                }
                None => self.message = Some(say::no_record_selected(self.lang).into()),
            },
            Action::AcceptFix | Action::DismissFix => return self.on_proposal(action),
            Action::Edit
            | Action::Explain
            | Action::Note
            | Action::Sign
            | Action::Undo
            | Action::Reopen
            | Action::History => return self.start(action),
            Action::FlagDetail => return self.open_flag_detail(),
            Action::OpenRow if self.focus == Pane::Flags => return self.open_flag_detail(),
            Action::OpenRow => return self.open_row(),
            Action::CloseRow => return self.close_row(),
            Action::NextError => return self.jump(Direction::Forward),
            Action::PrevError => return self.jump(Direction::Backward),
            Action::MoveDown
            | Action::MoveUp
            | Action::PageDown
            | Action::PageUp
            | Action::First
            | Action::Last => return self.movement(self.focus, action, 1),
        }
        Vec::new()
    }

    /// A movement in `pane`, `times` over: the queue is read, the record's fields and flags
    /// are at hand.
    fn movement(&mut self, pane: Pane, action: Action, times: usize) -> Vec<Effect> {
        match pane {
            Pane::Queue => return vec![self.read(Read::Move(action, times))],
            Pane::Record => {
                let n = self.record_lines();
                for _ in 0..times {
                    self.field_cursor =
                        step(self.field_cursor, n, action, self.areas.record_rows());
                }
            }
            Pane::Flags => {
                let n = self.record.as_ref().map_or(0, |r| r.flags.len());
                for _ in 0..times {
                    self.flag_cursor = step(self.flag_cursor, n, action, self.areas.flag_rows());
                }
            }
        }
        Vec::new()
    }

    fn jump(&mut self, direction: Direction) -> Vec<Effect> {
        if self.filter.severity == Some(Severity::Warning) {
            self.message = Some(say::warnings_only(self.lang).into());
            return Vec::new();
        }
        vec![self.read(Read::Jump(direction))]
    }

    fn pane_at(&self, at: Position) -> Option<Pane> {
        let areas = &self.areas;
        [
            (areas.queue, Pane::Queue),
            (areas.record, Pane::Record),
            (areas.flags, Pane::Flags),
        ]
        .into_iter()
        .find(|(area, _)| area.contains(at))
        .map(|(_, pane)| pane)
    }

    /// A click focuses the pane; on a queue line it selects the line.
    fn click(&mut self, at: Position) -> Vec<Effect> {
        let Some(pane) = self.pane_at(at) else {
            return Vec::new();
        };
        self.focus = pane;
        // The first line inside the border is the header.
        let top = self.areas.queue.y + 2;
        let line = at.y.saturating_sub(top) as usize;
        if pane == Pane::Queue && at.y >= top && line < self.rows.len() {
            self.cursor = line;
            return vec![self.read(Read::Record)];
        }
        Vec::new()
    }

    /// The wheel moves three lines in the pane under it, wherever the focus is.
    fn scroll(&mut self, at: Position, down: bool) -> Vec<Effect> {
        let Some(pane) = self.pane_at(at) else {
            return Vec::new();
        };
        let action = if down {
            Action::MoveDown
        } else {
            Action::MoveUp
        };
        self.movement(pane, action, 3)
    }

    /// Takes what a read of the queue found.
    fn load(&mut self, loaded: Loaded) -> Vec<Effect> {
        let w = loaded.window;
        (self.rows, self.cursor, self.position, self.count) =
            (w.rows, w.cursor, w.position, w.count);
        if let Some(progress) = loaded.progress {
            self.progress = progress;
            self.unflagged = loaded.unflagged;
        }
        if let Some(version) = loaded.data_version {
            self.data_version = version;
        }
        if let Some(record) = loaded.record {
            self.displaced(record.as_ref());
            if self.inside.is_some() {
                return self.object_read(record);
            }
            let same = self.record.as_ref().map(|r| r.record) == record.as_ref().map(|r| r.record);
            self.record = record;
            if !same {
                self.field_cursor = 0;
                self.flag_cursor = 0;
            }
        }
        Vec::new()
    }

    /// Shows what a write did, or why it was refused: in the editor it came from, which
    /// closes when it is done, else in the status line. Then reads what it changed.
    fn wrote(&mut self, outcome: huishen_core::Result<Done>) -> Vec<Effect> {
        match outcome {
            Ok(done) => {
                // A bulk action done, the marks it was for are spent.
                if matches!(done, Done::Bulk { .. }) {
                    self.marked.clear();
                }
                // An action on the record claims it; a signature or a bulk action lets go.
                if matches!(done, Done::Bulk { .. } | Done::Signed { .. }) {
                    self.held = None;
                } else {
                    self.hold();
                }
                self.message = Some(self.done_text(&done));
                if matches!(self.overlay, Some(Overlay::Edit(_) | Overlay::Text(_))) {
                    self.overlay = None;
                }
            }
            Err(error) => match &mut self.overlay {
                Some(Overlay::Edit(state)) => state.error = Some(say::failure(self.lang, &error)),
                Some(Overlay::Text(state)) => state.error = Some(say::failure(self.lang, &error)),
                _ => self.message = Some(say::failure(self.lang, &error)),
            },
        }
        // A correction may have left a peers group's scores due: the worker scores it now,
        // beside the reviewer's next keys.
        vec![self.read(Read::AfterAction), Effect::RefreshDue]
    }

    fn done_text(&self, done: &Done) -> String {
        let lang = self.lang;
        match done {
            Done::Corrected {
                field,
                resolved,
                opened,
            } => {
                let mut text = say::corrected(lang, field);
                if !resolved.is_empty() {
                    text.push_str(&say::corrected_fixed(lang, &resolved.join(", ")));
                }
                if !opened.is_empty() {
                    text.push_str(&say::corrected_new(lang, &opened.join(", ")));
                }
                text
            }
            Done::Explained { rule } => say::explained_rule(lang, rule),
            Done::Noted => say::note_added(lang).into(),
            Done::Reopened => say::reopened(lang).into(),
            Done::Signed { locked: true } => say::signed_and_locked(lang).into(),
            Done::Signed { locked: false } => say::signed(lang).into(),
            Done::Undone { kind } => say::undone(lang, say::action(lang, *kind)),
            Done::TookOver { from } => say::took_over(lang, from),
            Done::FixAccepted {
                fix,
                resolved,
                opened,
            } => {
                let mut text = say::fix_accepted(lang, fix);
                if !resolved.is_empty() {
                    text.push_str(&say::corrected_fixed(lang, &resolved.join(", ")));
                }
                if !opened.is_empty() {
                    text.push_str(&say::corrected_new(lang, &opened.join(", ")));
                }
                text
            }
            Done::FixDismissed { fix } => say::fix_dismissed(lang, fix),
            Done::Bulk {
                done,
                refused,
                batch,
            } => say::bulk_done(lang, *done, *refused, batch),
            Done::UndoneBatch { records, left } => say::batch_undone(lang, *records, *left),
        }
    }

    /// What a bulk action is for: the marked records, or (none marked) the listed ones.
    pub(super) fn selection(&self) -> Selection {
        if self.marked.is_empty() {
            Selection::Listed(self.filter.clone())
        } else {
            Selection::Marked(self.marked.iter().copied().collect())
        }
    }

    /// Accepts or dismisses the record's first open proposal.
    fn on_proposal(&mut self, action: Action) -> Vec<Effect> {
        let Some(record) = &self.record else {
            self.message = Some(say::no_record_selected(self.lang).into());
            return Vec::new();
        };
        let Some(p) = record.proposals.iter().find(|p| !p.dismissed) else {
            self.message = Some(say::no_proposal(self.lang).into());
            return Vec::new();
        };
        let (record, seen, fix) = (record.record, record.status.version, p.fix.clone());
        let write = if action == Action::AcceptFix {
            Write::AcceptFix { record, seen, fix }
        } else {
            Write::DismissFix { record, seen, fix }
        };
        vec![Effect::Write(write)]
    }

    fn menu_from_filter(&self) -> FilterMenu {
        FilterMenu {
            row: 0,
            severity: self.filter.severity,
            rule: self
                .filter
                .rule
                .as_ref()
                .and_then(|id| self.session.rules().iter().position(|r| &r.id == id)),
            region: self.region_label.clone().unwrap_or_default(),
            outcome: self
                .filter
                .outcome
                .filter(|o| matches!(o, Outcome::Fail | Outcome::Missing)),
            impact: self.filter.impact,
            standing: self.filter.standing.clone(),
            rule_typed: String::new(),
            error: None,
        }
    }
}

fn next_pane(pane: Pane, forward: bool) -> Pane {
    match (pane, forward) {
        (Pane::Queue, true) | (Pane::Flags, false) => Pane::Record,
        (Pane::Record, true) | (Pane::Queue, false) => Pane::Flags,
        (Pane::Flags, true) | (Pane::Record, false) => Pane::Queue,
    }
}

/// A cursor over `n` lines moved by a movement action.
fn step(cursor: usize, n: usize, action: Action, page: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let last = n - 1;
    match action {
        Action::MoveDown => (cursor + 1).min(last),
        Action::MoveUp => cursor.saturating_sub(1),
        Action::PageDown => (cursor + page.max(1)).min(last),
        Action::PageUp => cursor.saturating_sub(page.max(1)),
        Action::First => 0,
        Action::Last => last,
        _ => cursor,
    }
}
