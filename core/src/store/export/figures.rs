//! The review report's figures for one form, read inside the snapshot: the record lifecycle,
//! counts by prefecture and by rule, corrections by field and reason, the records still open
//! and what each reviewer did.

use crate::store::rule_engine::DatasetVerdicts;
use rusqlite::params;

use super::Snapshot;
use crate::domain::Form;
use crate::error::Result;
use crate::store::err;

/// Counts over the whole form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub records: u64,
    /// Records any rule has flagged.
    pub flagged: u64,
    /// Records with an error still failing or a warning neither fixed nor explained.
    pub still_open: u64,
    /// Flagged records with nothing failing, not yet locked.
    pub ready: u64,
    /// Records signed off and locked.
    pub signed: u64,
    pub corrections: u64,
    pub corrected_records: u64,
    pub explanations: u64,
    pub notes: u64,
    /// Standing signatures.
    pub signatures: u64,
}

/// Counts for one prefecture (the first four digits of the division code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionFigures {
    pub prefix: String,
    pub records: u64,
    pub flagged: u64,
    pub still_open: u64,
    pub ready: u64,
    pub corrected: u64,
    pub signed: u64,
}

/// What one rule flagged and what became of it, counted in records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFigures {
    pub id: String,
    pub severity: String,
    pub title_zh: String,
    pub title_en: String,
    pub flagged: u64,
    /// Still failing and not explained.
    pub failing: u64,
    /// Still failing, explained as right (说明).
    pub explained: u64,
    /// Passing now.
    pub fixed: u64,
}

/// A record that still needs work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRecord {
    pub key: String,
    pub name: Option<String>,
    pub region: String,
    /// Its rules still failing and not explained.
    pub rules: Vec<String>,
}

/// What one reviewer did (standing actions only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewerFigures {
    pub name: String,
    pub role: String,
    pub scope: String,
    pub corrections: u64,
    pub explanations: u64,
    pub notes: u64,
    pub signatures: u64,
    /// Records the reviewer acted on.
    pub records: u64,
    pub last_action: Option<String>,
}

/// Everything the report shows about one form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// When the snapshot was read (UTC).
    pub taken_at: String,
    /// The rule set in force: id, file, when loaded.
    pub rule_set: Option<(i64, String, String)>,
    pub totals: Totals,
    pub regions: Vec<RegionFigures>,
    pub rules: Vec<RuleFigures>,
    /// (field name, corrections, records)
    pub fields: Vec<(String, u64, u64)>,
    /// (reason, corrections)
    pub reasons: Vec<(String, u64)>,
    /// The first records still open, in queue order.
    pub open_records: Vec<OpenRecord>,
    pub reviewers: Vec<ReviewerFigures>,
    /// Events in the audit trail, and the newest one's id and hash.
    pub events: u64,
    pub last_event: Option<(i64, String)>,
    /// The fingerprint of the trail's root key: a printed report pins the trail to it.
    pub root: Option<String>,
    /// Per child form of the form, its label and how many rows it holds beneath the census
    /// objects.
    pub child_rows: Vec<(crate::domain::Localized, u64)>,
    /// The dataset rules of the form (and of the forms beneath it): their verdicts now.
    pub datasets: Vec<DatasetVerdicts>,
}

/// Record sets the figures are counted over, as SQL common table expressions (?1 = form).
/// A census object is open while a row of it (its record or one beneath) has a blocking
/// flag; `{flags}` is the source of the objects' flags (`queue::object_flags`).
const SETS: &str = "
    WITH open_records AS (
        SELECT DISTINCT g.record FROM ({flags}) g
        JOIN flags f ON f.id = g.id
        JOIN rules r ON r.rule_set = f.rule_set AND r.id = f.rule
        WHERE f.state = 'open'
          AND (r.severity = 'error' OR NOT EXISTS (
               SELECT 1 FROM explanations x WHERE x.form = f.form AND x.record = f.record
               AND x.rule = f.rule AND x.undone_by IS NULL))),
    corrected AS (
        SELECT DISTINCT record FROM corrections WHERE form = ?1 AND undone_by IS NULL),
    locked AS (
        SELECT record FROM record_state WHERE form = ?1 AND locked = 1)";

impl Snapshot<'_> {
    /// The report's figures for `form`; at most `open_limit` open records are listed.
    pub fn figures(&self, form: &Form, open_limit: usize) -> Result<Figures> {
        let context = err("reading the report's figures");
        let taken_at: String = self
            .tx
            .query_row("SELECT strftime('%Y-%m-%d %H:%M:%SZ', 'now')", [], |r| {
                r.get(0)
            })
            .map_err(&context)?;
        let rule_set = self
            .tx
            .query_row(
                "SELECT id, file_name, loaded_at FROM rule_sets ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(&context)?;
        let (fields, reasons) = self.corrections_by(form)?;
        let (events, last_event) = self.trail_head()?;
        Ok(Figures {
            taken_at,
            rule_set,
            totals: self.totals(form)?,
            regions: self.region_figures(form)?,
            rules: self.rule_figures(form)?,
            fields,
            reasons,
            open_records: self.open_records(form, open_limit)?,
            reviewers: self.reviewer_figures(form)?,
            events,
            last_event,
            root: crate::store::audit::root_key(&self.tx)
                .map_err(err("reading the report's figures"))?
                .map(|k| crate::seal::fingerprint(&k)),
            child_rows: self.child_rows(form)?,
            datasets: self.datasets(form)?,
        })
    }

    /// The verdicts of the dataset rules of `form` and the forms beneath it.
    fn datasets(&self, form: &Form) -> Result<Vec<DatasetVerdicts>> {
        let Some(rules) = self.ws.active_rules()? else {
            return Ok(Vec::new());
        };
        let mut forms = vec![form.name.clone()];
        forms.extend(
            crate::store::queue::descendants(&self.schema, form)
                .iter()
                .map(|f| f.name.clone()),
        );
        crate::store::rule_engine::evaluate_all(&self.tx, &self.ws.sandbox, &rules, &|f, _| {
            forms.iter().any(|g| g.eq_ignore_ascii_case(f))
        })
    }

    /// The flags of the census objects of `form` (see `queue::object_flags`).
    fn object_flags(&self, form: &Form) -> String {
        crate::store::queue::object_flags(&self.schema, form, false)
    }

    /// [`SETS`] for the census objects of `form`.
    fn sets(&self, form: &Form) -> String {
        SETS.replace("{flags}", &self.object_flags(form))
    }

    /// The rows of each child form of `form`.
    fn child_rows(&self, form: &Form) -> Result<Vec<(crate::domain::Localized, u64)>> {
        let mut out = Vec::new();
        for child in self.schema.children(&form.name) {
            let n: u64 = self
                .tx
                .query_row(
                    &format!(
                        "SELECT count(*) FROM {}",
                        crate::store::forms::quote(&child.name)
                    ),
                    [],
                    |r| r.get(0),
                )
                .map_err(err("reading the report's figures"))?;
            out.push((child.label.clone(), n));
        }
        Ok(out)
    }

    /// The form's totals: records, flagged, open, ready, signed, and the work done.
    fn totals(&self, form: &Form) -> Result<Totals> {
        let sets = self.sets(form);
        let context = err("reading the report's figures");
        let one = |sql: &str| -> Result<u64> {
            self.tx
                .query_row(sql, [&form.name], |r| r.get(0))
                .map_err(&context)
        };
        let table = super::quote(&form.name);
        Ok(Totals {
            records: one(&format!("SELECT count(*) FROM {table} WHERE ?1 = ?1"))?,
            flagged: one("SELECT count(*) FROM queue WHERE form = ?1")?,
            still_open: one(&format!("{sets} SELECT count(*) FROM open_records"))?,
            ready: one(&format!(
                "{sets} SELECT count(*) FROM queue q WHERE q.form = ?1
                 AND q.record NOT IN open_records AND q.record NOT IN locked"
            ))?,
            signed: one(&format!("{sets} SELECT count(*) FROM locked"))?,
            corrections: one(
                "SELECT count(*) FROM corrections WHERE form = ?1 AND undone_by IS NULL",
            )?,
            corrected_records: one(&format!("{sets} SELECT count(*) FROM corrected"))?,
            explanations: one(
                "SELECT count(*) FROM explanations WHERE form = ?1 AND undone_by IS NULL",
            )?,
            notes: one("SELECT count(*) FROM notes WHERE form = ?1 AND undone_by IS NULL")?,
            signatures: one(
                "SELECT count(*) FROM signatures WHERE form = ?1 AND voided_by IS NULL",
            )?,
        })
    }

    /// The figures per prefecture (the first four digits of the division code).
    fn region_figures(&self, form: &Form) -> Result<Vec<RegionFigures>> {
        let sets = self.sets(form);
        let table = super::quote(&form.name);
        let region = form.region.as_deref().map_or("''".to_string(), |r| {
            format!("coalesce(CAST(t.{} AS TEXT), '')", super::quote(r))
        });
        self.rows(
            &format!(
                "{sets} SELECT substr({region}, 1, 4) AS p, count(*),
                        count(q.record),
                        sum(t.rowid IN open_records),
                        sum(q.record IS NOT NULL AND t.rowid NOT IN open_records
                            AND t.rowid NOT IN locked),
                        sum(t.rowid IN corrected),
                        sum(t.rowid IN locked)
                 FROM {table} t LEFT JOIN queue q ON q.form = ?1 AND q.record = t.rowid
                 GROUP BY p ORDER BY p"
            ),
            &form.name,
            "reading the report's figures",
            |r| {
                Ok(RegionFigures {
                    prefix: r.get(0)?,
                    records: r.get(1)?,
                    flagged: r.get(2)?,
                    still_open: r.get(3)?,
                    ready: r.get(4)?,
                    corrected: r.get(5)?,
                    signed: r.get(6)?,
                })
            },
        )
    }

    /// The figures per rule of the rules in force.
    fn rule_figures(&self, form: &Form) -> Result<Vec<RuleFigures>> {
        self.rows(
            "WITH pairs AS (
                 SELECT rule, record, max(state = 'open') AS open FROM flags
                 WHERE form = ?1 GROUP BY rule, record),
             explained AS (
                 SELECT DISTINCT rule, record FROM explanations
                 WHERE form = ?1 AND undone_by IS NULL)
             SELECT r.id, r.severity, r.title_zh, r.title_en, count(p.record),
                    coalesce(sum(p.open AND e.record IS NULL), 0),
                    coalesce(sum(p.open AND e.record IS NOT NULL), 0),
                    coalesce(sum(NOT p.open), 0)
             FROM rules r
             LEFT JOIN pairs p ON p.rule = r.id
             LEFT JOIN explained e ON e.rule = p.rule AND e.record = p.record
             WHERE r.rule_set = (SELECT max(id) FROM rule_sets) AND r.form = ?1
             GROUP BY r.id ORDER BY r.position",
            &form.name,
            "reading the report's figures",
            |r| {
                Ok(RuleFigures {
                    id: r.get(0)?,
                    severity: r.get(1)?,
                    title_zh: r.get(2)?,
                    title_en: r.get(3)?,
                    flagged: r.get(4)?,
                    failing: r.get(5)?,
                    explained: r.get(6)?,
                    fixed: r.get(7)?,
                })
            },
        )
    }

    /// Standing corrections by field (corrections, records) and by reason.
    #[allow(clippy::type_complexity)]
    fn corrections_by(&self, form: &Form) -> Result<(Vec<(String, u64, u64)>, Vec<(String, u64)>)> {
        let fields = self.rows(
            "SELECT field, count(*), count(DISTINCT record) FROM corrections
             WHERE form = ?1 AND undone_by IS NULL GROUP BY field ORDER BY 2 DESC, 1",
            &form.name,
            "reading the report's figures",
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let reasons = self.rows(
            "SELECT reason, count(*) FROM corrections
             WHERE form = ?1 AND undone_by IS NULL GROUP BY reason ORDER BY 2 DESC, 1",
            &form.name,
            "reading the report's figures",
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((fields, reasons))
    }

    /// The records still open, at most `open_limit`, with their failing rules.
    fn open_records(&self, form: &Form, open_limit: usize) -> Result<Vec<OpenRecord>> {
        self.tx
            .prepare(&format!(
                "SELECT q.key, q.name, q.region,
                        group_concat(f.rule, ' ' ORDER BY r.position)
                 FROM queue q
                 JOIN ({}) g ON g.record = q.record
                 JOIN flags f ON f.id = g.id AND f.state = 'open'
                 JOIN rules r ON r.rule_set = f.rule_set AND r.id = f.rule
                 WHERE q.form = ?1 AND q.record IN (
                     {} SELECT record FROM open_records)
                   AND (r.severity = 'error' OR NOT EXISTS (
                        SELECT 1 FROM explanations x WHERE x.form = f.form
                        AND x.record = f.record AND x.rule = f.rule AND x.undone_by IS NULL))
                 GROUP BY q.record ORDER BY q.severity, q.region, q.key LIMIT ?2",
                self.object_flags(form),
                self.sets(form).trim_start()
            ))
            .and_then(|mut s| {
                s.query_map(params![form.name, open_limit as i64], |r| {
                    Ok(OpenRecord {
                        key: r.get(0)?,
                        name: r.get(1)?,
                        region: r.get(2)?,
                        rules: super::words(r.get(3)?),
                    })
                })?
                .collect()
            })
            .map_err(err("reading the report's figures"))
    }

    /// What each reviewer did on the form.
    fn reviewer_figures(&self, form: &Form) -> Result<Vec<ReviewerFigures>> {
        self.rows(
            "SELECT v.name, v.role, v.scope,
                 (SELECT count(*) FROM corrections c
                  WHERE c.reviewer = v.name AND c.form = ?1 AND c.undone_by IS NULL),
                 (SELECT count(*) FROM explanations x
                  WHERE x.reviewer = v.name AND x.form = ?1 AND x.undone_by IS NULL),
                 (SELECT count(*) FROM notes n
                  WHERE n.reviewer = v.name AND n.form = ?1 AND n.undone_by IS NULL),
                 (SELECT count(*) FROM signatures g
                  WHERE g.reviewer = v.name AND g.form = ?1 AND g.voided_by IS NULL),
                 (SELECT count(DISTINCT record) FROM events e
                  WHERE e.reviewer = v.name AND e.form = ?1),
                 (SELECT max(at) FROM events e WHERE e.reviewer = v.name AND e.form = ?1)
             FROM reviewers v ORDER BY v.name",
            &form.name,
            "reading the report's figures",
            |r| {
                Ok(ReviewerFigures {
                    name: r.get(0)?,
                    role: r.get(1)?,
                    scope: r.get(2)?,
                    corrections: r.get(3)?,
                    explanations: r.get(4)?,
                    notes: r.get(5)?,
                    signatures: r.get(6)?,
                    records: r.get(7)?,
                    last_action: r.get(8)?,
                })
            },
        )
    }

    /// The number of events and the newest one's (id, hash).
    fn trail_head(&self) -> Result<(u64, Option<(i64, String)>)> {
        let context = err("reading the report's figures");
        let events = self
            .tx
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .map_err(&context)?;
        let last_event = self
            .tx
            .query_row(
                "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok(Some((r.get(0)?, r.get(1)?))),
            )
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(&context)?;
        Ok((events, last_event))
    }
}
