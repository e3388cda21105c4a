//! What a field's value means to a reader: the schema's label of a code (1 → 大型 / large),
//! yes or no for a true-or-false field, the name of a division or industry code from the
//! reference tables.

use serde::Deserialize;

use super::{Field, FieldType};
use crate::domain::Localized;

/// The reference table that names a field's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Names {
    /// Administrative divisions (GB/T 2260): 370102 → 历下区.
    Division,
    /// Industries (GB/T 4754-2017): 2911 → 轮胎制造.
    Industry,
}

impl Names {
    pub fn as_str(self) -> &'static str {
        match self {
            Names::Division => "division",
            Names::Industry => "industry",
        }
    }

    pub fn parse(text: &str) -> Option<Names> {
        match text {
            "division" => Some(Names::Division),
            "industry" => Some(Names::Industry),
            _ => None,
        }
    }
}

impl Field {
    /// Whether the field's values can mean something beyond themselves (see [`meaning`]).
    ///
    /// [`meaning`]: Field::meaning
    pub fn has_meaning(&self) -> bool {
        !self.values.is_empty() || self.ty == FieldType::Bool || self.names.is_some()
    }

    /// What `text`, a value of this field, means: `None` when nothing says (a number, a
    /// code no label or table names, an empty value).
    pub fn meaning(&self, text: &str) -> Option<Localized> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Some((_, label)) = self.values.iter().find(|(code, _)| code == text) {
            return Some(label.clone());
        }
        if self.ty == FieldType::Bool {
            return match text {
                "1" => Some(Localized::new("是", "yes")),
                "0" => Some(Localized::new("否", "no")),
                _ => None,
            };
        }
        match self.names? {
            Names::Division => division_meaning(text),
            Names::Industry => {
                let i = crate::reference::industries().find(|i| i.code == text)?;
                Some(Localized::new(i.name, i.name))
            }
        }
    }
}

/// What a division code names: the division, a retired one (as the review report says it), or
/// another province; `None` for a code of this province the tables do not hold.
fn division_meaning(code: &str) -> Option<Localized> {
    use crate::reference;
    if let Some(d) = reference::division(code) {
        return Some(Localized::new(d.name, d.name));
    }
    if reference::outside_province(code) {
        return Some(Localized::new("省外", "outside Shandong"));
    }
    let retired = reference::retired_divisions().find(|r| r.code == code)?;
    Some(Localized::new(
        format!("{}（已撤销）", retired.name),
        format!("{} (retired)", retired.name),
    ))
}
