//! Export: the corrected data, the change log, the flags, the signature register and the
//! notes of one form, read from one snapshot of the workspace and written as CSV or JSON.
//!
//! The data goes out with the columns it came in with and reads back in as the same values:
//! `huishen import` of an exported file into a fresh workspace of the same schema gives every
//! record the values it has now.

use super::export_table::{Cell, Column, Format, OutEncoding, Row, TableWriter};
use super::output::Output;
use crate::domain::{Field, FieldType, Form};
use crate::error::Result;
use crate::store::{Scope, Snapshot};
use rusqlite::types::Value as SqlValue;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The records with their current values
    Data,
    /// One row per standing correction
    Changes,
    /// Every flag with its state and explanation
    Flags,
    /// The signature register
    Signatures,
    /// The notes on records
    Notes,
    /// All five, a sheet each (an Excel workbook only)
    All,
}

impl What {
    /// The tables `All` stands for, in the order of their sheets.
    pub const TABLES: [What; 5] = [
        What::Data,
        What::Changes,
        What::Flags,
        What::Signatures,
        What::Notes,
    ];
}

/// Which records to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    /// Records signed off and locked
    Signed,
    /// Every record
    #[default]
    All,
}

/// What the header line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headers {
    /// Field and column names (ASCII)
    Names,
    /// Chinese labels
    Zh,
    /// English labels
    En,
}

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub what: What,
    /// The form (default: the workspace's first).
    pub form: Option<String>,
    pub format: Format,
    pub encoding: OutEncoding,
    pub only: Only,
    /// Default: Chinese labels for CSV, names for JSON.
    pub headers: Option<Headers>,
    /// Data only: add each corrected field's value as imported.
    pub with_original: bool,
    /// Data only: after each coded field (value labels, yes or no, a division or industry
    /// code), a column with what its value means (2 → 中型, 370102 → 历下区).
    pub with_labels: bool,
    /// Data only: add a column per score function of the form (empty where a record cannot
    /// be scored).
    pub with_scores: bool,
    /// Data of a child form only: these fields of each row's parent record, after its own.
    pub with_parent: Vec<String>,
}

/// The columns a data export adds.
#[derive(Debug, Clone, Copy)]
struct Extra {
    original: bool,
    scores: bool,
    labels: bool,
}

/// What coded values mean, each looked up once per export (an industry's name is found
/// among 1,400).
#[derive(Default)]
struct Meanings(std::collections::HashMap<(usize, String), Option<crate::domain::Localized>>);

impl Meanings {
    fn of(&mut self, index: usize, field: &Field, text: &str) -> Option<crate::domain::Localized> {
        (self.0.entry((index, text.to_string())))
            .or_insert_with(|| field.meaning(text))
            .clone()
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub form: String,
    pub rows: u64,
}

/// Writes the export to `out` (which the caller then finishes).
pub fn export(
    snap: &Snapshot<'_>,
    options: &ExportOptions,
    out: &mut Output,
) -> Result<ExportReport> {
    let form = snap.form(options.form.as_deref())?.clone();
    if options.with_scores && !matches!(options.what, What::Data | What::All) {
        return Err(crate::Error::declined(
            "--with-scores adds the records' scores to the data; use it with --what data",
            "--with-scores 把记录的评分加入数据；请与 --what data 一起使用",
        ));
    }
    if options.with_labels && !matches!(options.what, What::Data | What::All) {
        return Err(crate::Error::declined(
            "--labels adds what coded values mean to the data; use it with --what data",
            "--labels 把代码的含义加入数据；请与 --what data 一起使用",
        ));
    }
    if options.with_original && !matches!(options.what, What::Data | What::All) {
        return Err(crate::Error::declined(
            "--with-original adds original values to the data; use it with --what data (the change log has them already)",
            "--with-original 把原始值加入数据；请与 --what data 一起使用（修改记录中已有原始值）",
        ));
    }
    let parent = parent_fields(snap, &form, options)?;
    let headers = options.headers.unwrap_or(match options.format {
        Format::Csv | Format::Xlsx => Headers::Zh,
        Format::Json => Headers::Names,
    });
    if options.what == What::All && options.format != Format::Xlsx {
        return Err(crate::Error::declined(
            "--what all writes a workbook with a sheet per table: add --format xlsx, or export one --what at a time",
            "--what all 写出每张表一个工作表的工作簿：请加 --format xlsx，或每次导出一种 --what",
        ));
    }
    let scope = match options.only {
        Only::Signed => Scope::Signed,
        Only::All => Scope::All,
    };
    let table = Table {
        form: &form,
        headers,
        format: options.format,
        encoding: options.encoding,
    };
    let rows = table.one(snap, options.what, scope, options, parent.as_ref(), out)?;
    Ok(ExportReport {
        form: form.name.clone(),
        rows,
    })
}

impl Table<'_> {
    /// Writes one table (or, for `All`, each table in turn).
    fn one(
        &self,
        snap: &Snapshot<'_>,
        what: What,
        scope: Scope,
        options: &ExportOptions,
        parent: Option<&(Form, Vec<Field>)>,
        out: &mut Output,
    ) -> Result<u64> {
        Ok(match what {
            What::Data => self.data(
                snap,
                scope,
                Extra {
                    original: options.with_original,
                    scores: options.with_scores,
                    labels: options.with_labels,
                },
                parent,
                out,
            )?,
            What::Changes => self.changes(snap, scope, out)?,
            What::Flags => self.flags(snap, scope, out)?,
            What::Signatures => self.signatures(snap, scope, out)?,
            What::Notes => self.notes(snap, scope, out)?,
            // A sheet each, in one workbook.
            What::All => {
                let mut rows = 0;
                for table in What::TABLES {
                    rows += self.one(snap, table, scope, options, parent, out)?;
                }
                rows
            }
        })
    }
}

struct Table<'f> {
    form: &'f Form,
    headers: Headers,
    format: Format,
    encoding: OutEncoding,
}

/// A row of a log table: the record's key, then the cells.
fn log_row(key: String, field: Option<String>, cells: Vec<Cell>) -> Row {
    let mut all = Vec::with_capacity(cells.len() + 1);
    all.push(Cell::Text(key.clone()));
    all.extend(cells);
    Row {
        key,
        field,
        cells: all,
    }
}

fn text(t: impl Into<String>) -> Cell {
    Cell::Text(t.into())
}

fn opt(t: Option<impl Into<String>>) -> Cell {
    t.map_or(Cell::Null, |t| Cell::Text(t.into()))
}

/// A stored time (UTC) in RFC 3339 with huishen's zone's offset (see `domain::time`).
fn time(at: &str) -> Cell {
    Cell::Text(crate::domain::time::zone().rfc3339(at))
}

fn time_opt(at: Option<String>) -> Cell {
    at.map_or(Cell::Null, |at| time(&at))
}

impl Table<'_> {
    fn field_header(&self, field: &Field) -> String {
        match self.headers {
            Headers::Names => field.name.clone(),
            Headers::Zh => field.label.zh.clone(),
            Headers::En => field.label.en.clone(),
        }
    }

    fn data_column(&self, field: &Field) -> Column {
        Column {
            header: self.field_header(field),
            name: field.name.clone(),
            label: Some(field.label.zh.clone()),
        }
    }

    /// A column of a log table: its name and its Chinese and English headers.
    fn column(&self, name: &str, zh: &str, en: &str) -> Column {
        Column {
            header: match self.headers {
                Headers::Names => name,
                Headers::Zh => zh,
                Headers::En => en,
            }
            .to_string(),
            name: name.to_string(),
            label: None,
        }
    }

    /// The key column of a log table, headed like the key field of the data.
    fn key_column(&self) -> Column {
        let key = &self.form.fields[self.form.key_index()];
        Column {
            header: self.field_header(key),
            name: key.name.clone(),
            label: None,
        }
    }

    fn writer<'o>(
        &self,
        out: &'o mut Output,
        what: What,
        columns: Vec<Column>,
    ) -> Result<TableWriter<'o>> {
        let sheet = match (what, self.headers == Headers::Zh) {
            (What::Data, _) => self.form.name.clone(),
            (What::Changes, true) => format!("{} 修改记录", self.form.name),
            (What::Flags, true) => format!("{} 标记", self.form.name),
            (What::Signatures, true) => format!("{} 签字", self.form.name),
            (What::Notes, true) => format!("{} 备注", self.form.name),
            (What::Changes, false) => format!("{} changes", self.form.name),
            (What::Flags, false) => format!("{} flags", self.form.name),
            (What::Signatures, false) => format!("{} signatures", self.form.name),
            (What::Notes, false) | (What::All, _) => format!("{} notes", self.form.name),
        };
        TableWriter::start(out, self.format, self.encoding, columns, &sheet)
    }

    fn in_english(&self) -> bool {
        self.headers != Headers::Zh
    }

    /// A value of a log's own vocabulary (a severity, an outcome, a state): in Chinese under
    /// Chinese headers, as named otherwise (what scripts read).
    fn word(&self, value: String) -> Cell {
        if self.in_english() {
            return text(value);
        }
        let zh = match value.as_str() {
            "error" => "错误",
            "warning" => "提示",
            "fail" => "不成立",
            "missing" => "缺失",
            "failing" => "未通过",
            "explained" => "已说明",
            "fixed" => "已修正",
            "standing" => "有效",
            "voided" => "已作废",
            _ => return text(value),
        };
        text(zh.to_string())
    }

    fn data(
        &self,
        snap: &Snapshot<'_>,
        scope: Scope,
        extra: Extra,
        parent: Option<&(Form, Vec<Field>)>,
        out: &mut Output,
    ) -> Result<u64> {
        let Extra {
            original: with_original,
            scores: with_scores,
            labels: with_labels,
        } = extra;
        let labelled: Vec<bool> = (self.form.fields.iter())
            .map(|f| with_labels && f.has_meaning())
            .collect();
        let mut meanings = Meanings::default();
        let originals = if with_original {
            snap.originals(self.form, scope)?
        } else {
            Default::default()
        };
        let mut corrected = vec![false; self.form.fields.len()];
        for (index, _) in originals.values().flatten() {
            corrected[*index] = true;
        }
        let mut columns = Vec::new();
        for (field, corrected) in self.form.fields.iter().zip(&corrected) {
            columns.push(self.data_column(field));
            if *corrected {
                let header = self.field_header(field);
                columns.push(Column {
                    header: match self.headers {
                        Headers::Names => format!("{header}_original"),
                        Headers::Zh => format!("{header}（原值）"),
                        Headers::En => format!("{header} (original)"),
                    },
                    name: format!("{}_original", field.name),
                    label: Some(format!("{}（原值）", field.label.zh)),
                });
            }
            if with_labels && field.has_meaning() {
                let header = self.field_header(field);
                columns.push(Column {
                    header: match self.headers {
                        Headers::Names => format!("{header}_label"),
                        Headers::Zh => format!("{header}（名称）"),
                        Headers::En => format!("{header} (label)"),
                    },
                    name: format!("{}_label", field.name),
                    label: Some(format!("{}（名称）", field.label.zh)),
                });
            }
        }
        let (score_ids, scores) = if with_scores {
            snap.scores(self.form)?
        } else {
            Default::default()
        };
        for id in &score_ids {
            columns.push(Column {
                header: match self.headers {
                    Headers::Names => format!("score_{id}"),
                    Headers::Zh => format!("评分 {id}"),
                    Headers::En => format!("Score {id}"),
                },
                name: format!("score_{id}"),
                label: Some(format!("评分 {id}")),
            });
        }
        let parent_values = match parent {
            Some((form, fields)) => {
                for f in fields {
                    let header = self.field_header(f);
                    columns.push(Column {
                        header: match self.headers {
                            Headers::Names => format!("{}.{}", form.name, f.name),
                            Headers::Zh => format!("{}·{header}", form.label.zh),
                            Headers::En => format!("{}: {header}", form.label.en),
                        },
                        name: format!("{}.{}", form.name, f.name),
                        label: Some(format!("{}·{}", form.label.zh, f.label.zh)),
                    });
                }
                snap.parent_values(self.form, fields)?
            }
            None => Default::default(),
        };
        let parent_width = parent.map_or(0, |(_, f)| f.len());
        let key_index = self.form.key_index();
        let mut writer = self.writer(out, What::Data, columns)?;
        let mut row = Row {
            key: String::new(),
            field: None,
            cells: Vec::new(),
        };
        snap.records(self.form, scope, &mut |rowid, values| {
            row.key = Cell::of(FieldType::Text, &values[key_index]).text();
            row.cells.clear();
            let record_originals = originals.get(&rowid);
            for (index, (field, value)) in self.form.fields.iter().zip(values).enumerate() {
                row.cells.push(Cell::of(field.ty, value));
                if corrected[index] {
                    let original = record_originals
                        .and_then(|o| o.iter().find(|(i, _)| *i == index))
                        .map_or(value, |(_, v)| v);
                    row.cells.push(Cell::of(field.ty, original));
                }
                if labelled[index] {
                    let text = Cell::of(field.ty, value).text();
                    row.cells.push(match meanings.of(index, field, &text) {
                        Some(m) => Cell::Text(match self.headers {
                            Headers::En => m.en,
                            Headers::Zh | Headers::Names => m.zh,
                        }),
                        None => Cell::Null,
                    });
                }
            }
            if let Some((_, fields)) = parent {
                match parent_values.get(&rowid) {
                    Some(values) => {
                        for (f, v) in fields.iter().zip(values) {
                            row.cells.push(Cell::of(f.ty, v));
                        }
                    }
                    None => row.cells.extend((0..parent_width).map(|_| Cell::Null)),
                }
            }
            let record_scores = scores.get(&rowid);
            for i in 0..score_ids.len() {
                let value = record_scores
                    .and_then(|s| s.get(i).copied().flatten())
                    .map_or(SqlValue::Null, SqlValue::Real);
                row.cells.push(Cell::of(FieldType::Real, &value));
            }
            writer.row(&row)
        })?;
        writer.finish()
    }

    fn changes(&self, snap: &Snapshot<'_>, scope: Scope, out: &mut Output) -> Result<u64> {
        let columns = vec![
            self.key_column(),
            self.column("field", "指标", "Field"),
            self.column("label", "指标名称", "Field label"),
            self.column("original", "原值", "Original"),
            self.column("new", "新值", "New"),
            self.column("rules", "审核规则", "Rules"),
            self.column("reason", "修正原因", "Reason"),
            self.column("reviewer", "审核人", "Reviewer"),
            self.column("role", "角色", "Role"),
            self.column("at", "时间", "Time"),
            self.column("event", "事件", "Event"),
            self.column("hash", "事件哈希", "Event hash"),
        ];
        let mut writer = self.writer(out, What::Changes, columns)?;
        for c in snap.changes(self.form, scope)? {
            let field = self.form.field(&c.field);
            let ty = field.map_or(FieldType::Text, |f| f.ty);
            let label = field.map(|f| {
                if self.in_english() {
                    f.label.en.clone()
                } else {
                    f.label.zh.clone()
                }
            });
            writer.row(&log_row(
                c.key,
                Some(c.field.clone()),
                vec![
                    text(c.field),
                    opt(label),
                    Cell::of(ty, &c.original),
                    Cell::of(ty, &c.new),
                    text(c.rules.join(" ")),
                    text(c.reason),
                    text(c.reviewer),
                    text(c.role),
                    time(&c.at),
                    Cell::Integer(c.event),
                    text(c.hash),
                ],
            ))?;
        }
        writer.finish()
    }

    fn flags(&self, snap: &Snapshot<'_>, scope: Scope, out: &mut Output) -> Result<u64> {
        let columns = vec![
            self.key_column(),
            self.column("rule", "审核规则", "Rule"),
            self.column("severity", "类别", "Severity"),
            self.column("title", "规则标题", "Title"),
            self.column("outcome", "结果", "Outcome"),
            self.column("state", "状态", "State"),
            self.column("explanation", "说明", "Explanation"),
            self.column("explained_by", "说明人", "Explained by"),
            self.column("first_seen", "首次标记", "First flagged"),
            self.column("resolved_at", "修正时间", "Fixed at"),
        ];
        let mut writer = self.writer(out, What::Flags, columns)?;
        for f in snap.flags(self.form, scope)? {
            let title = if self.in_english() {
                f.title_en
            } else {
                f.title_zh
            };
            writer.row(&log_row(
                f.key,
                None,
                vec![
                    text(f.rule),
                    self.word(f.severity),
                    text(title),
                    match f.outcome.as_str() {
                        // An outcome of `error` is a check that could not be evaluated.
                        "error" if !self.in_english() => text("无法计算"),
                        _ => self.word(f.outcome),
                    },
                    self.word(f.state),
                    opt(f.explanation),
                    opt(f.explained_by),
                    time(&f.first_seen),
                    time_opt(f.resolved_at),
                ],
            ))?;
        }
        writer.finish()
    }

    fn signatures(&self, snap: &Snapshot<'_>, scope: Scope, out: &mut Output) -> Result<u64> {
        let columns = vec![
            self.key_column(),
            self.column("signer", "签核人", "Signer"),
            self.column("role", "角色", "Role"),
            self.column("at", "时间", "Time"),
            self.column("record_hash", "记录哈希", "Record hash"),
            self.column("event", "事件", "Event"),
            self.column("state", "状态", "State"),
            self.column("voided_by", "作废事件", "Voided by"),
        ];
        let mut writer = self.writer(out, What::Signatures, columns)?;
        for s in snap.signatures(self.form, scope)? {
            let state = if s.voided_by.is_some() {
                "voided"
            } else {
                "standing"
            };
            writer.row(&log_row(
                s.key,
                None,
                vec![
                    text(s.signer),
                    text(s.role),
                    time(&s.at),
                    text(s.record_hash),
                    Cell::Integer(s.event),
                    self.word(state.to_string()),
                    s.voided_by.map_or(Cell::Null, Cell::Integer),
                ],
            ))?;
        }
        writer.finish()
    }

    fn notes(&self, snap: &Snapshot<'_>, scope: Scope, out: &mut Output) -> Result<u64> {
        let columns = vec![
            self.key_column(),
            self.column("text", "备注", "Note"),
            self.column("reviewer", "审核人", "Reviewer"),
            self.column("role", "角色", "Role"),
            self.column("at", "时间", "Time"),
            self.column("event", "事件", "Event"),
        ];
        let mut writer = self.writer(out, What::Notes, columns)?;
        for n in snap.notes(self.form, scope)? {
            writer.row(&log_row(
                n.key,
                None,
                vec![
                    text(n.text),
                    text(n.reviewer),
                    text(n.role),
                    time(&n.at),
                    Cell::Integer(n.event),
                ],
            ))?;
        }
        writer.finish()
    }
}

/// The parent form and its fields `--with-parent` names, checked: data of a child form only,
/// and every name a field of its parent.
fn parent_fields(
    snap: &Snapshot<'_>,
    form: &Form,
    options: &ExportOptions,
) -> Result<Option<(Form, Vec<Field>)>> {
    if options.with_parent.is_empty() {
        return Ok(None);
    }
    let refuse = |en: String, zh: String| Err(crate::Error::declined(en, zh));
    if options.what != What::Data {
        return refuse(
            "--with-parent adds fields of the parent record to the data; use it with --what data"
                .into(),
            "--with-parent 把上级记录的指标加入数据；请与 --what data 一起使用".into(),
        );
    }
    let Some(link) = &form.parent else {
        return refuse(
            format!(
                "--with-parent adds fields of the parent record, but {} is not a child form: \
                 name a child form with --form",
                form.name
            ),
            format!(
                "--with-parent 加入上级记录的指标，但 {} 不是下级报表：请用 --form 指定一个下级报表",
                form.name
            ),
        );
    };
    let parent = snap.form(Some(&link.form))?.clone();
    let mut fields = Vec::new();
    for name in &options.with_parent {
        match parent.field(name.trim()) {
            Some(f) => fields.push(f.clone()),
            None => {
                let known: Vec<&str> = parent.fields.iter().map(|f| f.name.as_str()).collect();
                return refuse(
                    format!(
                        "--with-parent: `{}` is not a field of {}, the parent form of {}; its \
                         fields are {}",
                        name.trim(),
                        parent.name,
                        form.name,
                        known.join(", ")
                    ),
                    format!(
                        "--with-parent：`{}` 不是 {}（{} 的上级报表）的指标；其指标为 {}",
                        name.trim(),
                        parent.name,
                        form.name,
                        known.join(", ")
                    ),
                );
            }
        }
    }
    Ok(Some((parent, fields)))
}
