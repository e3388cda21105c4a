//! `huishen status`: the review's figures as text, JSON or CSV for the daily report; the
//! same figures the dashboard shows on the review screen.

use std::path::PathBuf;

use crate::cells::{pad, pad_left, width};
use crate::i18n::{Lang, cmd, refusal, say};
use huishen_core::review::Workspace;
use huishen_core::review::stats::{self, RegionStats, ReviewerStats, RuleStats, Stats, Tally};

/// Which table to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    /// Per prefecture (the first four digits of the division code)
    Region,
    /// Per reviewer: work today and the progress of their scope
    Reviewer,
    /// Per rule: at the first check, failing now, corrected, explained
    Rule,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
A flagged record (one any rule ever flagged) is signed when it is locked, open when an error \
or an unexplained warning is still failing, and ready otherwise. Progress is signed / flagged; \
a reviewer's progress is that of the records in their scope.

The reviewers' work today counts their sign, correct and explain events since midnight in \
huishen's time zone (HUISHEN_TZ, else TZ, else the system's); --since sets another start. Times \
are shown in that zone; --json and --csv give them in RFC 3339 with its offset.")]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// Only one table: per region (prefecture), reviewer or rule
    #[arg(long, value_enum)]
    by: Option<By>,
    /// How to print: table for people; json, jsonl (a line per prefecture, reviewer or rule
    /// of --by; the whole figures on one line without it) or csv (the table --by names; the
    /// overall figures without --by) for scripts
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT", conflicts_with_all = ["json", "csv"])]
    format: super::format::Format,
    /// The same as --format json
    #[arg(long, hide = true, conflicts_with = "csv")]
    json: bool,
    /// The same as --format csv
    #[arg(long, hide = true)]
    csv: bool,
    /// List the prefectures and reviewers with less than PERCENT of their flagged records signed
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    behind: Option<f64>,
    /// Count the reviewers' work from this time instead of local midnight (2025-06-01,
    /// 2025-06-01 08:00 in huishen's zone, or 2025-06-01T08:00:00+08:00)
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// The form (default: the workspace's first)
    #[arg(long)]
    form: Option<String>,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%');
    match number.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(cmd::not_a_percentage(super::lang(), text)),
    }
}

pub fn run(mut args: Args) -> anyhow::Result<()> {
    use super::format::Format;
    args.json |= args.format == Format::Json;
    args.csv |= args.format == Format::Csv;
    let ws = Workspace::open(&args.workspace)?;
    let working = super::progress::Working::new(cmd::counting_figures(super::lang()).into(), None);
    let figures = ws.figures(args.form.as_deref(), args.since.as_deref());
    drop(working);
    let figures = in_zone(figures?);
    let lang = super::lang();
    if args.format == Format::Jsonl && args.behind.is_none() {
        let rows = match args.by {
            None => vec![serde_json::to_value(&figures)?],
            Some(By::Region) => super::format::rows_of(&figures.prefectures)?,
            Some(By::Reviewer) => super::format::rows_of(&figures.reviewers)?,
            Some(By::Rule) => super::format::rows_of(&figures.rules)?,
        };
        return super::format::emit(Format::Jsonl, &figures, &rows, || Ok(String::new()));
    }
    args.json |= args.format == Format::Jsonl;
    let mut out = match args.behind {
        Some(pct) => behind(lang, &figures, pct, args.by, args.json, args.csv)?,
        None => report(lang, &figures, args.by, args.json, args.csv)?,
    };
    if args.behind.is_none() && args.by.is_none() && !args.json && !args.csv {
        // After the line that counts the form's records.
        let at = out.find('\n').map_or(out.len(), |i| i + 1);
        out.insert_str(at, &child_lines(lang, &ws, &figures.form)?);
    }
    out!("{out}")?;
    Ok(())
}

/// The figures with their times in RFC 3339 with the offset of huishen's zone, as exports
/// give them (the tables show them in that zone as well).
fn in_zone(mut s: Stats) -> Stats {
    let zone = huishen_core::domain::time::zone();
    s.as_of = zone.rfc3339(&s.as_of);
    s.since = zone.rfc3339(&s.since);
    s.pace.finish = zone.rfc3339_opt(s.pace.finish.as_deref());
    s
}

/// For the census objects of `form`, the rows of each child form: "G103_1 (Boilers): 5 rows
/// under the records of G101_1".
fn child_lines(lang: Lang, ws: &Workspace, form: &str) -> anyhow::Result<String> {
    let schema = ws.schema()?;
    let counts = ws.form_counts()?;
    let mut out = String::new();
    for child in schema.children(form) {
        let rows = counts
            .iter()
            .find(|c| c.form == child.name)
            .map_or(0, |c| c.records);
        let label = lang.of(&child.label);
        out.push_str(&cmd::status_children(lang, rows, &child.name, label));
        out.push('\n');
    }
    Ok(out)
}

/// The figures, or one table of them.
fn report(lang: Lang, s: &Stats, by: Option<By>, json: bool, csv: bool) -> anyhow::Result<String> {
    if json {
        // Straight from the structs, so that the fields keep their order.
        let text = match by {
            None => serde_json::to_string_pretty(s)?,
            Some(By::Region) => serde_json::to_string_pretty(&s.prefectures)?,
            Some(By::Reviewer) => serde_json::to_string_pretty(&s.reviewers)?,
            Some(By::Rule) => serde_json::to_string_pretty(&s.rules)?,
        };
        return Ok(format!("{text}\n"));
    }
    if csv {
        let (head, rows) = match by {
            None => overall_rows(s),
            Some(By::Region) => region_rows(s.prefectures.iter()),
            Some(By::Reviewer) => reviewer_rows(s.reviewers.iter()),
            Some(By::Rule) => rule_rows(&s.rules),
        };
        return write_csv(&head, &rows);
    }
    let mut out = String::new();
    if by.is_none() {
        let o = &s.overall;
        let at = stats::minute(&s.as_of);
        let lines = [
            cmd::status_records(lang, &s.form, s.records, &at),
            cmd::status_flagged(lang, o.flagged, o.signed, o.progress_pct, o.ready, o.open),
            cmd::status_per_hour(
                lang,
                &spark(&s.signatures_per_hour),
                s.signatures_per_hour.iter().sum::<u64>(),
            ),
        ];
        out.push_str(&lines.map(|l| l + "\n").concat());
        out.push_str(&selective_lines(lang, s));
        if let Some((event, hash)) = &s.head {
            let root = s.root.as_deref().unwrap_or(cmd::none(lang));
            out.push_str(&cmd::status_head(lang, *event, hash, root));
            out.push('\n');
        }
    }
    let sections: Vec<(By, &str)> = match by {
        Some(b) => vec![(b, "")],
        None => vec![
            (By::Region, cmd::by_prefecture(lang)),
            (By::Reviewer, cmd::by_reviewer(lang)),
            (By::Rule, cmd::by_rule(lang)),
        ],
    };
    for (b, heading) in sections {
        out.push_str(heading);
        let (mut head, mut rows) = match b {
            By::Region => region_rows(s.prefectures.iter()),
            By::Reviewer => reviewer_rows(s.reviewers.iter()),
            By::Rule => rule_rows(&s.rules),
        };
        if b == By::Rule {
            // On screen one title is enough: the language's, last, unpadded.
            head.pop();
            rows.iter_mut().for_each(|r| {
                let zh = r.pop().unwrap_or_default();
                if lang == Lang::Zh
                    && let Some(title) = r.last_mut()
                {
                    *title = zh;
                }
                severity_in(lang, r);
            });
        }
        out.push_str(&table(lang, &head, &rows));
        if b == By::Rule && !s.datasets.is_empty() {
            out.push_str(cmd::check_datasets(lang));
            out.push('\n');
            out.push_str(&super::check::datasets_text(lang, &s.datasets));
        }
        if b == By::Reviewer {
            out.push_str(&cmd::status_today(lang, &stats::minute(&s.since)));
            out.push('\n');
        }
    }
    Ok(out)
}

/// The lines of selective review and pace (none of scores when the rules have no score).
fn selective_lines(lang: Lang, s: &Stats) -> String {
    let (c, p) = (&s.scores, &s.pace);
    let mut out = String::new();
    if c.scored > 0 || c.proposals > 0 {
        out.push_str(&cmd::status_scores(
            lang,
            c.scored,
            c.scored + c.unscored,
            c.unscored,
            c.reviewed_pct,
            c.high,
            c.high_left,
            c.proposals,
        ));
        out.push('\n');
        if c.due > 0 {
            out.push_str(&cmd::status_due(lang, c.due));
            out.push('\n');
        }
    }
    let hours = |h: Option<f64>| h.map_or("—".to_string(), |h| cmd::hours(lang, h));
    out.push_str(&match &p.finish {
        Some(finish) => cmd::status_pace(
            lang,
            p.records_per_hour,
            p.left,
            &hours(p.hours_left),
            &stats::minute(finish),
            p.high_left,
            &hours(p.high_hours_left),
        ),
        None => cmd::status_no_pace(lang, p.left, p.high_left),
    });
    out.push('\n');
    out
}

/// The prefectures and reviewers below `pct`.
fn behind(
    lang: Lang,
    s: &Stats,
    pct: f64,
    by: Option<By>,
    json: bool,
    csv: bool,
) -> anyhow::Result<String> {
    if by == Some(By::Rule) {
        return Err(refusal(|lang| cmd::behind_by_rule(lang).to_string()).into());
    }
    let (mut regions, mut reviewers) = stats::behind(s, pct);
    if by == Some(By::Reviewer) {
        regions.clear();
    }
    if by == Some(By::Region) {
        reviewers.clear();
    }
    if json {
        let mut value = serde_json::json!({ "threshold_pct": pct });
        if by != Some(By::Reviewer) {
            value["prefectures"] = serde_json::to_value(&regions)?;
        }
        if by != Some(By::Region) {
            value["reviewers"] = serde_json::to_value(&reviewers)?;
        }
        return Ok(format!("{}\n", serde_json::to_string_pretty(&value)?));
    }
    let head = heads("kind,id,name", TALLY);
    let mut rows = Vec::new();
    for r in &regions {
        let name = r.name.clone().unwrap_or_default();
        rows.push(tally_row(
            vec![cmd::kind_region(lang).into(), r.code.clone(), name],
            &r.tally,
        ));
    }
    for r in &reviewers {
        let who = vec![
            cmd::kind_reviewer(lang).into(),
            r.name.clone(),
            r.role.clone(),
        ];
        rows.push(tally_row(who, &r.in_scope));
    }
    if csv {
        return write_csv(&head, &rows);
    }
    if rows.is_empty() {
        return Ok(format!("{}\n", cmd::nothing_behind(lang, pct)));
    }
    Ok(format!(
        "{}\n{}",
        cmd::behind_heading(lang, pct),
        table(lang, &head, &rows)
    ))
}

/// The columns of a tally, after those that say whose it is.
const TALLY: &str = "flagged,signed,ready,open,progress_pct";

/// Column names from comma-separated lists.
fn heads(first: &str, then: &str) -> Vec<String> {
    first
        .split(',')
        .chain(then.split(','))
        .filter(|h| !h.is_empty())
        .map(String::from)
        .collect()
}

type Rows = (Vec<String>, Vec<Vec<String>>);

fn tally_row(mut row: Vec<String>, t: &Tally) -> Vec<String> {
    row.extend([
        t.flagged.to_string(),
        t.signed.to_string(),
        t.ready.to_string(),
        t.open.to_string(),
        format!("{:.1}", t.progress_pct),
    ]);
    row
}

fn overall_rows(s: &Stats) -> Rows {
    let head = heads(
        "form,as_of,since,records",
        &format!("{TALLY},signatures_24h"),
    );
    let mut row = tally_row(
        vec![
            s.form.clone(),
            s.as_of.clone(),
            s.since.clone(),
            s.records.to_string(),
        ],
        &s.overall,
    );
    row.push(s.signatures_per_hour.iter().sum::<u64>().to_string());
    (head, vec![row])
}

fn region_rows<'a>(regions: impl Iterator<Item = &'a RegionStats>) -> Rows {
    let head = heads("code,name", TALLY);
    let rows = regions
        .map(|r| {
            tally_row(
                vec![r.code.clone(), r.name.clone().unwrap_or_default()],
                &r.tally,
            )
        })
        .collect();
    (head, rows)
}

fn reviewer_rows<'a>(reviewers: impl Iterator<Item = &'a ReviewerStats>) -> Rows {
    let head = heads(
        "name,role,scope,signed_today,corrections_today,explanations_today",
        TALLY,
    );
    let rows = reviewers
        .map(|r| {
            let mut row = vec![r.name.clone(), r.role.clone(), r.scope.clone()];
            let today = [r.signed_today, r.corrections_today, r.explanations_today];
            row.extend(today.map(|n| n.to_string()));
            tally_row(row, &r.in_scope)
        })
        .collect();
    (head, rows)
}

fn rule_rows(rules: &[RuleStats]) -> Rows {
    let head = heads(
        "rule,severity,at_first_check,failing_now,corrected,explained,title_en,title_zh",
        "",
    );
    let rows = rules
        .iter()
        .map(|r| {
            let mut row = vec![r.rule.clone(), r.severity.as_str().to_string()];
            let counts = [r.at_first_check, r.failing_now, r.corrected, r.explained];
            row.extend(counts.map(|n| n.to_string()));
            row.extend([r.title.en.clone(), r.title.zh.clone()]);
            row
        })
        .collect();
    (head, rows)
}

fn write_csv(head: &[String], rows: &[Vec<String>]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(head)?;
    for row in rows {
        w.write_record(row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// An aligned text table: numbers to the right, text and codes to the left, Chinese two cells
/// wide; the last column is left unpadded.
fn table(lang: Lang, names: &[String], rows: &[Vec<String>]) -> String {
    let head: Vec<String> = names
        .iter()
        .map(|h| cmd::status_column(lang, h).to_string())
        .collect();
    let numeric = |i: usize| {
        !matches!(names[i].as_str(), "code" | "id" | "scope")
            && !rows.is_empty()
            && rows.iter().all(|r| {
                r.get(i)
                    .is_some_and(|c| !c.is_empty() && c.parse::<f64>().is_ok())
            })
    };
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(&head[i]))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let right: Vec<bool> = (0..head.len()).map(numeric).collect();
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            let last = i + 1 == cells.len();
            out.push_str(&match (right[i], last) {
                (true, _) => pad_left(cell, widths[i]),
                (false, true) => cell.clone(),
                (false, false) => pad(cell, widths[i]),
            });
        }
        format!("{}\n", out.trim_end())
    };
    let mut out = line(&head);
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// A rule row's severity (its second cell) in the language; the CSV keeps `error` / `warning`.
fn severity_in(lang: Lang, row: &mut [String]) {
    if let Some(cell) = row.get_mut(1) {
        match cell.as_str() {
            "error" => *cell = say::error(lang).to_string(),
            "warning" => *cell = say::warning(lang).to_string(),
            _ => {}
        }
    }
}

/// Counts as a one-line sparkline: `·` for none, then ▁ to █ up to the largest.
fn spark(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values
        .iter()
        .map(|&v| {
            if v == 0 {
                '·'
            } else {
                BARS[((v * 8).div_ceil(max) as usize).clamp(1, 8) - 1]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_marks_empty_hours_apart() {
        assert_eq!(spark(&[0, 1, 2, 4]), "·▂▄█");
    }

    #[test]
    fn percentages_may_carry_a_sign() {
        assert_eq!(parse_percent("50%"), Ok(50.0));
        assert!(parse_percent("150").is_err());
    }

    #[test]
    fn tables_align_chinese() {
        let out = table(
            Lang::En,
            &heads("name,n", ""),
            &[heads("济南市,3", ""), heads("ab,12", "")],
        );
        assert_eq!(out, "name     n\n济南市   3\nab      12\n");
    }
}
