//! The review queue: every record a rule has flagged, ordered by its worst open flag (errors,
//! then warnings, then records whose flags are all fixed, which wait for sign-off), then
//! region, then key; read in
//! windows by keyset pagination so that the screen costs the same at 2,000 records as at
//! 3.6 million. Check and re-check keep it in step with the flags.

mod standing;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params_from_iter};
pub use standing::Standing;

use super::Workspace;
use super::forms::quote;
use super::search::Purpose;
use crate::domain::{AssignmentKind, Form, Outcome, Schema, Severity};
use crate::error::Result;

/// One queue line.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub record: i64,
    /// The worst open flag's severity; `None` when every flag is fixed.
    pub severity: Option<Severity>,
    pub region: String,
    pub key: String,
    pub name: Option<String>,
    pub errors: u32,
    pub warnings: u32,
    /// The record's highest score; `None` when it has none (no score function, or it
    /// cannot be scored).
    pub score: Option<f64>,
    /// A score reaches its threshold (`None`: no score).
    pub high: Option<bool>,
    /// Open proposals of fix rules.
    pub proposals: u32,
    /// Signed off and locked.
    pub locked: bool,
    /// Standing signatures.
    pub signatures: u32,
    /// An open warning nobody has explained yet.
    pub to_explain: bool,
}

impl QueueRow {
    /// The queue's order by score: highest first, records without a score last.
    fn priority(&self) -> f64 {
        self.score.map_or(1e308, |s| -s)
    }
}

/// Records by their impact: at or above a score's threshold, below every threshold, or
/// without a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impact {
    High,
    Low,
    Unscored,
}

/// Which queue lines to show. Everything set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Records whose worst open flag has this severity.
    pub severity: Option<Severity>,
    /// Records with an open flag of this rule.
    pub rule: Option<String>,
    /// Records whose region code starts with this.
    pub region_prefix: Option<String>,
    /// Records whose key or name contains this text.
    pub search: Option<String>,
    /// Records with an open flag of this outcome.
    pub outcome: Option<Outcome>,
    /// A reviewer's work split, (kind, value) with kind `region`, `rule` or `form`: records
    /// matching any of them. Empty means no limit.
    pub mine: Vec<(AssignmentKind, String)>,
    /// Records of this impact.
    pub impact: Option<Impact>,
    /// Only records with an open proposal.
    pub proposals: bool,
    /// Order by score (highest first) instead of by severity.
    pub by_score: bool,
    /// Where the line stands in the review (ready to sign, signed once, signed off…).
    pub standing: Option<Standing>,
    /// The reviewer's scope (a region prefix): a scoped reviewer's screen lists only the
    /// records they may act on. Kept, like the work split, when the filters are cleared.
    pub scope: Option<String>,
}

impl QueueFilter {
    /// No filter but, possibly, the work split.
    pub fn is_empty(&self) -> bool {
        *self
            == QueueFilter {
                mine: self.mine.clone(),
                scope: self.scope.clone(),
                ..QueueFilter::default()
            }
    }

    /// The WHERE conditions and their parameters, after the form's. `flags` is the source of
    /// the flags a line counts, (form, record, rule, state), for the line `q`.
    fn conditions(&self, flags: &str, sql: &mut String, args: &mut Vec<SqlValue>) {
        if let Some(sev) = self.severity {
            sql.push_str(" AND q.severity = ?");
            args.push(SqlValue::Integer(severity_rank(sev)));
        }
        for prefix in [&self.region_prefix, &self.scope].into_iter().flatten() {
            sql.push_str(" AND q.region >= ? AND q.region < ?");
            args.push(SqlValue::Text(prefix.clone()));
            args.push(SqlValue::Text(format!("{prefix}\u{10FFFF}")));
        }
        if let Some(text) = &self.search {
            super::search::verify(text, &super::search::line(), sql, args);
        }
        match self.impact {
            Some(Impact::High) => sql.push_str(" AND q.high = 1"),
            Some(Impact::Low) => sql.push_str(" AND q.high = 0"),
            Some(Impact::Unscored) => sql.push_str(" AND q.high IS NULL"),
            None => {}
        }
        if self.proposals {
            sql.push_str(" AND q.proposals > 0");
        }
        if !self.mine.is_empty() {
            let mut any = Vec::new();
            for (kind, value) in &self.mine {
                match kind {
                    AssignmentKind::Region => {
                        any.push("(q.region >= ? AND q.region < ?)");
                        args.push(SqlValue::Text(value.clone()));
                        args.push(SqlValue::Text(format!("{value}\u{10FFFF}")));
                    }
                    AssignmentKind::Rule => {
                        any.push("EXISTS (SELECT 1 FROM ({flags}) g WHERE g.rule = ?)");
                        args.push(SqlValue::Text(value.clone()));
                    }
                    AssignmentKind::Form => {
                        any.push("q.form = ?");
                        args.push(SqlValue::Text(value.clone()));
                    }
                }
            }
            let any = any.join(" OR ").replace("{flags}", flags);
            sql.push_str(&format!(" AND ({any})"));
        }
        if let Some(standing) = &self.standing {
            standing.condition(flags, sql, args);
        }
        if self.rule.is_some() || self.outcome.is_some() {
            // The object's flags by rule and outcome: the outcome is read from the flag.
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM ({flags}) g JOIN flags f ON f.id = g.id \
                 WHERE g.state = 'open' AND (? IS NULL OR g.rule = ?) AND (? IS NULL OR f.outcome = ?))"
            ));
            let rule = self.rule.clone().map_or(SqlValue::Null, SqlValue::Text);
            let outcome = self
                .outcome
                .map_or(SqlValue::Null, |o| SqlValue::Text(o.as_str().to_string()));
            args.extend([rule.clone(), rule, outcome.clone(), outcome]);
        }
    }
}

/// Queue order: errors, warnings, then records with no open flag.
fn rank(s: Option<Severity>) -> i64 {
    s.map_or(2, severity_rank)
}

fn severity_rank(s: Severity) -> i64 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
    }
}

const COLUMNS: &str = "q.record, q.severity, q.region, q.key, q.name, q.errors, q.warnings, q.score, q.high, q.proposals";

/// The columns of a queue line: its own and its standing's (`flags`, the source of its
/// flags).
fn columns(flags: &str) -> String {
    format!("{COLUMNS}, {}", standing::columns(flags))
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueueRow> {
    Ok(QueueRow {
        record: r.get(0)?,
        severity: match r.get::<_, i64>(1)? {
            0 => Some(Severity::Error),
            1 => Some(Severity::Warning),
            _ => None,
        },
        region: r.get(2)?,
        key: r.get(3)?,
        name: r.get(4)?,
        errors: r.get(5)?,
        warnings: r.get(6)?,
        score: r.get(7)?,
        high: r.get(8)?,
        proposals: r.get(9)?,
        locked: r.get(10)?,
        signatures: r.get(11)?,
        to_explain: r.get(12)?,
    })
}

/// How far the review of a form has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub records: u64,
    /// Records any rule has flagged.
    pub flagged: u64,
    /// Flagged records with a flag still open.
    pub open: u64,
    /// Records signed off and locked.
    pub signed: u64,
}

/// Direction of a keyset read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Lines after the anchor (or from the start), in queue order.
    Forward,
    /// Lines before the anchor (or from the end), nearest first.
    Backward,
}

/// The queue rows of one record, recomputed from its open flags.
pub(super) fn refresh_records(
    conn: &Connection,
    schema: &Schema,
    rule_set: i64,
    form: &str,
    records: &[i64],
) -> rusqlite::Result<()> {
    let Some(form) = schema.form(form) else {
        return Ok(());
    };
    let mut delete = conn.prepare_cached("DELETE FROM queue WHERE form = ?1 AND record = ?2")?;
    let mut insert = conn.prepare_cached(&insert_sql(schema, form, true))?;
    for record in records {
        delete.execute(rusqlite::params![form.name, record])?;
        insert.execute(rusqlite::params![form.name, rule_set, record])?;
    }
    // A child row's flags count on its census object's line too.
    if let Some(link) = &form.parent
        && let Some(parent) = schema.form(&link.form)
    {
        let mut up = conn.prepare_cached(&format!(
            "SELECT p.rowid FROM {} c JOIN {} p ON p.{} = c.{} WHERE c.rowid = ?1",
            quote(&form.name),
            quote(&parent.name),
            quote(&parent.key),
            quote(&link.key)
        ))?;
        let mut parents = Vec::new();
        for record in records {
            let found: Option<i64> =
                up.query_row([record], |r| r.get(0))
                    .map(Some)
                    .or_else(|e| match e {
                        rusqlite::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?;
            parents.extend(found);
        }
        parents.sort_unstable();
        parents.dedup();
        refresh_records(conn, schema, rule_set, &parent.name, &parents)?;
    }
    Ok(())
}

/// The score columns of a queue line, from the record's scores and open proposals.
const SCORE_COLUMNS: &str = "(SELECT max(s.value) FROM scores s WHERE s.form = {f}.form AND s.record = {f}.record),
         coalesce(-(SELECT max(s.value) FROM scores s WHERE s.form = {f}.form AND s.record = {f}.record), 1e308),
         (SELECT max(s.high) FROM scores s WHERE s.form = {f}.form AND s.record = {f}.record),
         (SELECT count(*) FROM proposals p WHERE p.form = {f}.form AND p.record = {f}.record
             AND p.dismissed_by IS NULL)";

fn score_columns(alias: &str) -> String {
    SCORE_COLUMNS.replace("{f}", alias)
}

/// Sets the score columns of a form's queue lines (`records`: only theirs) from the scores
/// and proposals tables.
pub(super) fn rescore(
    conn: &Connection,
    form: &str,
    records: Option<&[i64]>,
) -> rusqlite::Result<()> {
    let sql = format!(
        "UPDATE queue SET (score, priority, high, proposals) = (SELECT {}) WHERE form = ?1{}",
        score_columns("queue"),
        if records.is_some() {
            " AND record = ?2"
        } else {
            ""
        }
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    match records {
        None => {
            stmt.execute([form])?;
        }
        Some(rs) => {
            for r in rs {
                stmt.execute(rusqlite::params![form, r])?;
            }
        }
    }
    Ok(())
}

/// Rebuilds a form's whole queue.
pub(super) fn rebuild(
    conn: &Connection,
    schema: &Schema,
    form: &Form,
    rule_set: i64,
) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM queue WHERE form = ?1", [&form.name])?;
    conn.execute(
        &insert_sql(schema, form, false),
        rusqlite::params![form.name, rule_set],
    )?;
    Ok(())
}

/// The flags a queue line of `form` counts, as rows (form, record, rule, state, id): the
/// record's own and, for a form with child forms, those of every row of its census object,
/// each counted on the object's record. `one` limits them to the record `?3`.
pub(super) fn object_flags(schema: &Schema, form: &Form, one: bool) -> String {
    let (form_is, record_is) = if one {
        ("?1", Some("?3"))
    } else {
        ("?1", None)
    };
    flags_of_objects(schema, form, form_is, record_is)
}

/// [`object_flags`] for the queue line `q`.
fn line_flags(schema: &Schema, form: &Form) -> String {
    flags_of_objects(schema, form, "q.form", Some("q.record"))
}

/// The flags of the objects of `form` (`form_is`: an SQL expression naming it), of the
/// object record `record_is` when given.
fn flags_of_objects(
    schema: &Schema,
    form: &Form,
    form_is: &str,
    record_is: Option<&str>,
) -> String {
    let mut parts = vec![format!(
        "SELECT f.form, f.record, f.rule, f.state, f.id FROM flags f WHERE f.form = {form_is}{}",
        record_is.map_or(String::new(), |r| format!(" AND f.record = {r}"))
    )];
    for d in descendants(schema, form) {
        // The way from the flagged row up its parents to a record of `form`.
        let steps: Vec<_> = (schema.ancestry(d).into_iter())
            .scan(false, |done, step| {
                let take = !*done;
                *done |= step.2.name == form.name;
                take.then_some(step)
            })
            .collect();
        let top = steps.len();
        let part = match record_is {
            // One object: from its root down to the rows and their flags, in that order, so
            // that each step is an indexed lookup (the planner might otherwise scan the
            // child form's flags).
            Some(r) => {
                let mut sql = format!(
                    "SELECT {form_is}, c{top}.rowid, f.rule, f.state, f.id FROM {} c{top}",
                    quote(&form.name)
                );
                for (i, (row, key, up)) in steps.iter().enumerate().rev() {
                    sql.push_str(&format!(
                        " CROSS JOIN {} c{i} ON c{i}.{} = c{}.{}",
                        quote(&row.name),
                        quote(key),
                        i + 1,
                        quote(&up.key)
                    ));
                }
                format!(
                    "{sql} CROSS JOIN flags f ON f.form = '{}' AND f.record = c0.rowid \
                     WHERE c{top}.rowid = {r}",
                    d.name.replace('\'', "''")
                )
            }
            // Every object: from the flags up.
            None => {
                let mut joins = format!("JOIN {} c0 ON c0.rowid = f.record", quote(&d.name));
                for (i, (_, key, up)) in steps.iter().enumerate() {
                    joins.push_str(&format!(
                        " JOIN {} c{} ON c{}.{} = c{i}.{}",
                        quote(&up.name),
                        i + 1,
                        i + 1,
                        quote(&up.key),
                        quote(key)
                    ));
                }
                format!(
                    "SELECT {form_is}, c{top}.rowid, f.rule, f.state, f.id FROM flags f {joins} \
                     WHERE f.form = '{}'",
                    d.name.replace('\'', "''")
                )
            }
        };
        parts.push(part);
    }
    parts.join(" UNION ALL ")
}

/// The forms below `form` in its census objects, at any depth (the schema has no cycles).
pub(super) fn descendants<'s>(schema: &'s Schema, form: &Form) -> Vec<&'s Form> {
    let mut out: Vec<&Form> = Vec::new();
    let mut next: Vec<&Form> = schema.children(&form.name);
    while let Some(f) = next.pop() {
        if out.iter().any(|o| o.name == f.name) || out.len() > schema.forms.len() {
            continue;
        }
        next.extend(schema.children(&f.name));
        out.push(f);
    }
    out
}

fn insert_sql(schema: &Schema, form: &Form, one: bool) -> String {
    let region = form.region.as_deref().map_or("''".to_string(), |r| {
        format!("coalesce(CAST(t.{} AS TEXT), '')", quote(r))
    });
    let name = form.display.as_deref().map_or("NULL".to_string(), |d| {
        format!("CAST(t.{} AS TEXT)", quote(d))
    });
    format!(
        "INSERT INTO queue (form, record, severity, region, key, name, errors, warnings,
                            score, priority, high, proposals)
         SELECT ?1, f.record,
                min(CASE WHEN f.state <> 'open' THEN 2 WHEN r.severity = 'error' THEN 0 ELSE 1 END),
                {region},
                CAST(t.{key} AS TEXT), {name},
                sum(f.state = 'open' AND r.severity = 'error'),
                sum(f.state = 'open' AND r.severity = 'warning'),
                {scores}
         FROM ({flags}) f
         JOIN rules r ON r.rule_set = ?2 AND r.id = f.rule
         JOIN {table} t ON t.rowid = f.record
         GROUP BY f.record",
        key = quote(&form.key),
        table = quote(&form.name),
        scores = score_columns("f"),
        flags = object_flags(schema, form, one),
    )
}

impl Workspace {
    /// `SELECT what FROM` the queue lines of `form` that `filter` leaves, and its parameters.
    /// A search the index can answer well starts from the records it finds (each looked up
    /// in the queue); a common one reads the queue in order (see [`search::way`]).
    ///
    /// [`search::way`]: super::search::way
    fn filtered(
        &self,
        form: &str,
        filter: &QueueFilter,
        (what, purpose): (&str, Purpose),
    ) -> Result<(String, Vec<SqlValue>)> {
        let flags = self.line_flags(form)?;
        let mut args = Vec::new();
        let mut from = "queue q".to_string();
        if let (Some(f), Some(text)) = (self.schema_cached()?.form(form), &filter.search) {
            let way = super::search::way(&self.conn, f, text, purpose)
                .map_err(self.error("searching the records"))?;
            if let (super::search::Way::Index, Some((hits, hit_args))) =
                (way, super::search::hits(f, text))
            {
                // CROSS JOIN: the records found first, whatever the planner would guess.
                from = format!("({hits}) h CROSS JOIN queue q ON q.record = h.record");
                args.extend(hit_args);
            }
        }
        let mut sql = format!("SELECT {what} FROM {from} WHERE q.form = ?");
        args.push(SqlValue::Text(form.to_string()));
        filter.conditions(&flags, &mut sql, &mut args);
        Ok((sql, args))
    }

    /// The source of the flags a queue line of `form` counts (see [`line_flags`]).
    fn line_flags(&self, form: &str) -> Result<String> {
        let schema = self.schema_cached()?;
        Ok(match schema.form(form) {
            Some(f) => line_flags(schema, f),
            None => "SELECT f.form, f.record, f.rule, f.state, f.id FROM flags f \
                     WHERE f.form = q.form AND f.record = q.record"
                .to_string(),
        })
    }

    /// Up to `limit` queue lines next to `anchor` (exclusive) in `direction`.
    pub fn queue_window(
        &self,
        form: &str,
        filter: &QueueFilter,
        anchor: Option<&QueueRow>,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<QueueRow>> {
        let flags = self.line_flags(form)?;
        let (mut sql, mut args) =
            self.filtered(form, filter, (&columns(&flags), Purpose::Window))?;
        let (cmp, order) = match direction {
            Direction::Forward => (">", "ASC"),
            Direction::Backward => ("<", "DESC"),
        };
        if filter.by_score {
            if let Some(a) = anchor {
                sql.push_str(&format!(
                    " AND (q.priority, q.severity, q.region, q.key) {cmp} (?, ?, ?, ?)"
                ));
                args.push(SqlValue::Real(a.priority()));
                args.push(SqlValue::Integer(rank(a.severity)));
                args.push(SqlValue::Text(a.region.clone()));
                args.push(SqlValue::Text(a.key.clone()));
            }
            sql.push_str(&format!(
                " ORDER BY q.priority {order}, q.severity {order}, q.region {order}, q.key {order} LIMIT {limit}"
            ));
            return self.queue_rows(&sql, args);
        }
        let mut anchor = anchor;
        match (filter.severity, anchor) {
            // One severity: the order is (region, key) within it, which the index serves
            // without sorting. An anchor of another severity lies wholly before or after.
            (Some(sev), Some(a)) if rank(a.severity) != severity_rank(sev) => {
                let anchor_first = rank(a.severity) < severity_rank(sev);
                if anchor_first != (direction == Direction::Forward) {
                    return Ok(Vec::new());
                }
                anchor = None;
            }
            (Some(_), Some(a)) => {
                sql.push_str(&format!(" AND (q.region, q.key) {cmp} (?, ?)"));
                args.push(SqlValue::Text(a.region.clone()));
                args.push(SqlValue::Text(a.key.clone()));
                anchor = None;
            }
            _ => {}
        }
        if let Some(a) = anchor {
            sql.push_str(&format!(
                " AND (q.severity, q.region, q.key) {cmp} (?, ?, ?)"
            ));
            args.push(SqlValue::Integer(rank(a.severity)));
            args.push(SqlValue::Text(a.region.clone()));
            args.push(SqlValue::Text(a.key.clone()));
        }
        let order_by = if filter.severity.is_some() {
            format!("q.region {order}, q.key {order}")
        } else {
            format!("q.severity {order}, q.region {order}, q.key {order}")
        };
        sql.push_str(&format!(" ORDER BY {order_by} LIMIT {limit}"));
        self.queue_rows(&sql, args)
    }

    fn queue_rows(&self, sql: &str, args: Vec<SqlValue>) -> Result<Vec<QueueRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(self.error("reading the queue"))?;
        let rows = stmt
            .query_map(params_from_iter(args), row)
            .map_err(self.error("reading the queue"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.error("reading the queue"))?;
        Ok(rows)
    }

    /// Records of `form` that match the search `text` but are not in its queue (no rule
    /// flagged them): how many (up to [`super::search::UNFLAGGED_COUNTED`] and one more), and the
    /// keys of the first `limit`.
    pub fn unflagged_matches(
        &self,
        form: &str,
        text: &str,
        limit: usize,
    ) -> Result<(u64, Vec<String>)> {
        let Some(form) = self.schema_cached()?.form(form) else {
            return Ok((0, Vec::new()));
        };
        super::search::unflagged(&self.conn, form, text, limit)
            .map_err(self.error("searching the records"))
    }

    /// A record's queue line as it stands now (`None`: it is not in the queue).
    pub fn queue_row(&self, form: &str, record: i64) -> Result<Option<QueueRow>> {
        use rusqlite::OptionalExtension;
        self.conn
            .prepare_cached(&format!(
                "SELECT {} FROM queue q WHERE q.form = ?1 AND q.record = ?2",
                columns(&self.line_flags(form)?)
            ))
            .and_then(|mut s| s.query_row(rusqlite::params![form, record], row).optional())
            .map_err(self.error("reading the queue"))
    }

    /// How many queue lines the filter leaves.
    pub fn queue_count(&self, form: &str, filter: &QueueFilter) -> Result<u64> {
        let unordered = QueueFilter {
            by_score: false,
            ..filter.clone()
        };
        if unordered == QueueFilter::default() {
            return self
                .conn
                .query_row(
                    "SELECT coalesce(sum(n), 0) FROM queue_counts WHERE form = ?1",
                    [form],
                    |r| r.get(0),
                )
                .map_err(self.error("counting the queue"));
        }
        let (sql, args) = self.filtered(form, filter, ("count(*)", Purpose::Count))?;
        self.conn
            .query_row(&sql, params_from_iter(args), |r| r.get(0))
            .map_err(self.error("counting the queue"))
    }

    /// How many queue lines come before `row` under the filter.
    pub fn queue_position(&self, form: &str, filter: &QueueFilter, at: &QueueRow) -> Result<u64> {
        let (mut sql, mut args) = self.filtered(form, filter, ("count(*)", Purpose::Count))?;
        if filter.by_score {
            sql.push_str(" AND (q.priority, q.severity, q.region, q.key) < (?, ?, ?, ?)");
            args.push(SqlValue::Real(at.priority()));
        } else {
            sql.push_str(" AND (q.severity, q.region, q.key) < (?, ?, ?)");
        }
        args.push(SqlValue::Integer(rank(at.severity)));
        args.push(SqlValue::Text(at.region.clone()));
        args.push(SqlValue::Text(at.key.clone()));
        self.conn
            .query_row(&sql, params_from_iter(args), |r| r.get(0))
            .map_err(self.error("counting the queue"))
    }

    /// A number that changes whenever another connection commits a change to the workspace
    /// (`PRAGMA data_version`): cheap enough to ask on every tick.
    pub fn data_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(self.error("polling the workspace"))
    }

    /// How far the review of a form has come.
    pub fn form_progress(&self, form: &str) -> Result<Progress> {
        // huishen never deletes a record, so the highest row id is the number of records.
        let records: u64 = self
            .conn
            .query_row(
                &format!("SELECT coalesce(max(rowid), 0) FROM {}", quote(form)),
                [],
                |r| r.get(0),
            )
            .map_err(self.error("counting records"))?;
        let (flagged, open): (u64, u64) = self
            .conn
            .query_row(
                "SELECT coalesce(sum(n), 0), coalesce(sum(n) FILTER (WHERE severity < 2), 0)
                 FROM queue_counts WHERE form = ?1",
                [form],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.error("counting the queue"))?;
        let signed: u64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM record_state WHERE form = ?1 AND locked = 1",
                [form],
                |r| r.get(0),
            )
            .map_err(self.error("counting signatures"))?;
        Ok(Progress {
            records,
            flagged,
            open,
            signed,
        })
    }
}
