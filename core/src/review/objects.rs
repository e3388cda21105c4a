//! A census object on the reviewer's screen: the record of the session's form and, per child
//! form, the rows beneath it (a boiler per row) with their own values and flags; and a
//! session on a child form, for acting on those rows with the same keys.

use super::{FieldValue, Session};
use crate::domain::{Datum, FlagLine, Form};
use crate::error::Result;

/// The rows of one child form under a record.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRows {
    pub form: Form,
    pub rows: Vec<ChildRow>,
}

/// One child row, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    pub record: i64,
    pub key: String,
    pub values: Vec<FieldValue>,
    pub flags: Vec<FlagLine>,
}

impl ChildRow {
    /// Its open flags.
    pub fn open(&self) -> impl Iterator<Item = &FlagLine> {
        self.flags.iter().filter(|f| f.is_open())
    }
}

impl Session {
    /// The rows of each child form of the session's form under the record whose key is `key`.
    pub(super) fn children(&self, key: &Datum) -> Result<Vec<ChildRows>> {
        let schema = self.ws.schema_cached()?;
        let mut out = Vec::new();
        for form in schema.children(&self.form.name) {
            let mut rows = Vec::new();
            for record in self.ws.children_of(&form.name, key)? {
                let Some(values) = self.ws.record_values(&form.name, record)? else {
                    continue;
                };
                let originals = self.ws.originals(&form.name, record)?;
                let values = FieldValue::all(form, values, &originals);
                let key = values
                    .get(form.key_index())
                    .map(|v| v.text.clone())
                    .unwrap_or_default();
                rows.push(ChildRow {
                    record,
                    key,
                    values,
                    flags: self.ws.record_flags(&form.name, record)?,
                });
            }
            out.push(ChildRows {
                form: form.clone(),
                rows,
            });
        }
        Ok(out)
    }

    /// The same reviewer, signed in, on another form of the workspace (a child form of this
    /// session's, to act on the rows of a census object): every action is theirs, signed
    /// with their key.
    pub fn on_form(&self, form: &str) -> Result<Session> {
        let mut other = Session::observe(self.ws.path(), &self.reviewer.name, Some(form))?;
        other.signer = self.signer.as_ref().map(|s| s.duplicate());
        Ok(other)
    }
}
