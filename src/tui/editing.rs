//! What the editors over the screen hold while a reviewer types: the field editor (first the
//! value, then the reason) and the multi-line explanation, note and reopen editors. They are
//! part of the model; `app` changes them and `views::editors` draws them.

use huishen_core::domain::Datum;
use ratatui_textarea::TextArea;

use huishen_core::domain::Field;

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
        /// The new value, in the field's type.
        value: Datum,
        choice: usize,
        other: TextArea<'static>,
    },
}

impl EditState {
    /// The editor on `field`, its value `current` ready to change.
    pub fn new(field: Field, current: String) -> EditState {
        let mut area = TextArea::new(vec![current.clone()]);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        EditState {
            field,
            current,
            stage: EditStage::Value(area),
            error: None,
        }
    }
}

/// What a multi-line editor is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPurpose {
    Explain {
        rule: String,
    },
    Note,
    Reopen,
    /// One explanation for the warnings of every record listed.
    BulkExplain,
}

#[derive(Debug, Clone)]
pub struct TextState {
    pub purpose: TextPurpose,
    pub text: TextArea<'static>,
    pub error: Option<String>,
}

impl TextState {
    /// An empty editor for `purpose`.
    pub fn new(purpose: TextPurpose) -> TextState {
        TextState {
            purpose,
            text: TextArea::default(),
            error: None,
        }
    }
}
