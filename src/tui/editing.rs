//! The review actions on screen: the field editor and its reason, the explanation, note and
//! reopen editors, signing, undo and history. Every write goes through the review module;
//! a refusal stays on screen as a message and changes nothing.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::app::{App, Overlay, Pane};
use huishen_core::Result;
use huishen_core::domain::Datum;
use huishen_core::domain::Field;
use huishen_core::domain::Severity;

/// The field editor: first the value, then the reason.
#[derive(Debug, Clone)]
pub struct EditState {
    pub field: Field,
    /// The value now stored, as text.
    pub current: String,
    pub stage: EditStage,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum EditStage {
    Value(TextArea<'static>),
    /// `choice` indexes the schema's reasons; one past the end is "another reason", typed.
    Reason {
        value: String,
        choice: usize,
        other: TextArea<'static>,
    },
}

/// What a multi-line editor is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPurpose {
    Explain { rule: String },
    Note,
    Reopen,
}

#[derive(Debug, Clone)]
pub struct TextState {
    pub purpose: TextPurpose,
    pub text: TextArea<'static>,
    pub error: Option<String>,
}

fn one_line(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_string()]);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

fn is_save(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('s') && key.modifiers.contains(KeyModifiers::CONTROL)
}

impl App {
    fn current_field(&self) -> Option<(Field, String, i64)> {
        let record = self.record.as_ref()?;
        let v = record.values.get(self.field_cursor)?;
        Some((v.field.clone(), v.text.clone(), record.record))
    }

    /// Starts a review action from the keymap.
    pub fn start(&mut self, action: super::action::Action) -> Result<()> {
        use super::action::Action;
        let Some(record) = self.record.clone() else {
            self.message = Some(
                self.lang
                    .pick("No record is selected", "没有选中的记录")
                    .into(),
            );
            return Ok(());
        };
        let locked_text = self.lang.pick(
            "The record is signed and locked; reopen it (o) with a reason first",
            "该记录已签字锁定；请先填写原因重新打开（o）",
        );
        match action {
            Action::Edit => {
                if self.focus != Pane::Record {
                    self.focus = Pane::Record;
                    self.message = Some(
                        self.lang
                            .pick(
                                "Choose the field to correct, then press e again",
                                "请选择要修正的指标，再按 e",
                            )
                            .into(),
                    );
                    return Ok(());
                }
                if record.status.locked {
                    self.message = Some(locked_text.into());
                    return Ok(());
                }
                // Opening a field for correction claims the record.
                if let Err(e) = self.session.open_for_work(record.record) {
                    self.message = Some(e.to_string());
                    return self.reload_after_action();
                }
                if let Some((field, current, _)) = self.current_field() {
                    self.overlay = Some(Overlay::Edit(Box::new(EditState {
                        stage: EditStage::Value(one_line(&current)),
                        field,
                        current,
                        error: None,
                    })));
                }
            }
            Action::Explain => {
                let candidates: Vec<&huishen_core::domain::FlagLine> = record
                    .flags
                    .iter()
                    .filter(|f| f.is_open() && f.severity == Severity::Warning && !f.explained)
                    .collect();
                let under_cursor = match self.focus {
                    Pane::Flags => record.flags.get(self.flag_cursor),
                    _ => None,
                };
                let rule = match under_cursor {
                    Some(f) if f.is_open() && f.severity == Severity::Error => {
                        self.message = Some(
                            self.lang
                                .pick(
                                    "Errors must be corrected, not explained",
                                    "强制性错误必须修正，不能说明",
                                )
                                .into(),
                        );
                        return Ok(());
                    }
                    Some(f) if f.is_open() => Some(f.rule.clone()),
                    _ => candidates.first().map(|f| f.rule.clone()),
                };
                match rule {
                    Some(rule) if !record.status.locked => {
                        self.overlay = Some(Overlay::Text(Box::new(TextState {
                            purpose: TextPurpose::Explain { rule },
                            text: TextArea::default(),
                            error: None,
                        })))
                    }
                    Some(_) => self.message = Some(locked_text.into()),
                    None => {
                        self.message = Some(
                            self.lang
                                .pick(
                                    "No open warning to explain on this record",
                                    "该记录没有待说明的提示性问题",
                                )
                                .into(),
                        )
                    }
                }
            }
            Action::Note => {
                self.overlay = Some(Overlay::Text(Box::new(TextState {
                    purpose: TextPurpose::Note,
                    text: TextArea::default(),
                    error: None,
                })))
            }
            Action::Reopen => {
                if record.status.signatures.is_empty() {
                    self.message = Some(
                        self.lang
                            .pick("The record is not signed", "该记录尚未签字")
                            .into(),
                    );
                } else {
                    self.overlay = Some(Overlay::Text(Box::new(TextState {
                        purpose: TextPurpose::Reopen,
                        text: TextArea::default(),
                        error: None,
                    })));
                }
            }
            Action::Sign => {
                let result = self.session.sign(record.record, record.status.version);
                self.after(result.map(|locked| {
                    if locked {
                        self.lang
                            .pick("Signed; the record is locked", "已签字，记录已锁定")
                            .to_string()
                    } else {
                        self.lang.pick("Signed", "已签字").to_string()
                    }
                }))?;
            }
            Action::Undo => {
                let result = self.session.undo(record.record, record.status.version);
                let lang = self.lang;
                self.after(
                    result.map(|event| {
                        format!("{} {}", lang.pick("Undone:", "已撤销："), event.kind)
                    }),
                )?;
            }
            Action::History => {
                let lines = self.session.history(record.record)?;
                self.overlay = Some(Overlay::History { lines, scroll: 0 });
            }
            _ => {}
        }
        Ok(())
    }

    /// Shows the outcome of an action and reloads what it changed.
    fn after(&mut self, outcome: Result<String>) -> Result<()> {
        match outcome {
            Ok(text) => self.message = Some(text),
            Err(e) => self.message = Some(e.to_string()),
        }
        self.reload_after_action()
    }

    pub(super) fn on_edit_key(
        &mut self,
        mut state: Box<EditState>,
        key: KeyEvent,
    ) -> Result<Option<Overlay>> {
        if key.code == KeyCode::Esc {
            return Ok(None);
        }
        let reasons = self.session.reasons()?;
        match &mut state.stage {
            EditStage::Value(area) => {
                if key.code == KeyCode::Enter {
                    let text = area.lines().concat();
                    match Datum::parse(state.field.ty, &text) {
                        Err(why) => state.error = Some(format!("“{text}” {why}")),
                        Ok(_) if text == state.current => {
                            state.error = Some(
                                self.lang
                                    .pick("The value is unchanged", "数值未改变")
                                    .into(),
                            )
                        }
                        Ok(_) => {
                            state.error = None;
                            state.stage = EditStage::Reason {
                                value: text,
                                choice: 0,
                                other: TextArea::default(),
                            };
                        }
                    }
                } else {
                    area.input(key);
                }
            }
            EditStage::Reason {
                value,
                choice,
                other,
            } => match key.code {
                KeyCode::Up => *choice = choice.saturating_sub(1),
                KeyCode::Down => *choice = (*choice + 1).min(reasons.len()),
                KeyCode::Enter => {
                    let reason = match reasons.get(*choice) {
                        Some(r) => self.lang.pick(&r.en, &r.zh).to_string(),
                        None => other.lines().concat(),
                    };
                    if reason.trim().is_empty() {
                        state.error = Some(
                            self.lang
                                .pick("A correction needs a reason", "修正必须填写原因")
                                .into(),
                        );
                        return Ok(Some(Overlay::Edit(state)));
                    }
                    let Some(record) = self.record.clone() else {
                        return Ok(None);
                    };
                    let result = self.session.correct(
                        record.record,
                        record.status.version,
                        &state.field.name,
                        value,
                        &reason,
                    );
                    return match result {
                        Ok(report) => {
                            let lang = self.lang;
                            let mut text = format!(
                                "{} {}",
                                lang.pick("Corrected", "已修正"),
                                state.field.name
                            );
                            if !report.resolved.is_empty() {
                                let rules: Vec<&str> =
                                    report.resolved.iter().map(|(r, _)| r.as_str()).collect();
                                text.push_str(&format!(
                                    " · {} {}",
                                    lang.pick("fixed:", "已解决："),
                                    rules.join(", ")
                                ));
                            }
                            if !report.opened.is_empty() {
                                let rules: Vec<&str> =
                                    report.opened.iter().map(|(r, _)| r.as_str()).collect();
                                text.push_str(&format!(
                                    " · {} {}",
                                    lang.pick("new:", "新问题："),
                                    rules.join(", ")
                                ));
                            }
                            self.message = Some(text);
                            self.reload_after_action()?;
                            Ok(None)
                        }
                        Err(e) => {
                            state.error = Some(e.to_string());
                            self.reload_after_action()?;
                            Ok(Some(Overlay::Edit(state)))
                        }
                    };
                }
                _ if *choice == reasons.len() => {
                    other.input(key);
                }
                _ => {}
            },
        }
        Ok(Some(Overlay::Edit(state)))
    }

    pub(super) fn on_text_key(
        &mut self,
        mut state: Box<TextState>,
        key: KeyEvent,
    ) -> Result<Option<Overlay>> {
        if key.code == KeyCode::Esc {
            return Ok(None);
        }
        if !is_save(&key) {
            state.text.input(key);
            return Ok(Some(Overlay::Text(state)));
        }
        let Some(record) = self.record.clone() else {
            return Ok(None);
        };
        let text = state.text.lines().join("\n");
        let (seen, id) = (record.status.version, record.record);
        let lang = self.lang;
        let result = match &state.purpose {
            TextPurpose::Explain { rule } => self
                .session
                .explain(id, seen, rule, &text)
                .map(|()| format!("{} {rule}", lang.pick("Explained", "已说明"))),
            TextPurpose::Note => self
                .session
                .note(id, seen, &text)
                .map(|()| lang.pick("Note added", "已添加备注").to_string()),
            TextPurpose::Reopen => self.session.reopen(id, seen, &text).map(|()| {
                lang.pick(
                    "Reopened; its signatures are void",
                    "已重新打开，原签字作废",
                )
                .to_string()
            }),
        };
        match result {
            Ok(done) => {
                self.message = Some(done);
                self.reload_after_action()?;
                Ok(None)
            }
            Err(e) => {
                state.error = Some(e.to_string());
                self.reload_after_action()?;
                Ok(Some(Overlay::Text(state)))
            }
        }
    }
}
