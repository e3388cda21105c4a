//! `huishen locate`: for every record with an open flag, which fields to change so that its
//! linear rules can all hold (error localisation), as the record pane shows it.

use crate::i18n::cmd;
use std::path::PathBuf;

use huishen_core::domain::Located;
use huishen_core::review::Workspace;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
The fields are those of least total reliability (the schema's `reliability`, 1 by default) \
that can be changed so that every linear rule of the form holds at once; ties go to fewer \
fields, then to the fields that come first in the schema. Rules that are not linear (products \
of fields, text, other records) are left out and named. Yes/no, text and code fields are \
never proposed.")]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// The form (default: the workspace's first)
    #[arg(long)]
    form: Option<String>,
    #[command(flatten)]
    format: super::format::FormatArg,
}

fn json(r: &Located) -> serde_json::Value {
    match r {
        Located::Nothing => serde_json::json!({ "outcome": "nothing" }),
        Located::Fields {
            fields,
            weight,
            failing,
        } => serde_json::json!({
            "outcome": "located", "fields": fields, "weight": weight, "failing": failing,
        }),
        Located::Contradictory { rules } => {
            serde_json::json!({ "outcome": "contradictory", "rules": rules })
        }
        Located::OverBudget { failing } => {
            serde_json::json!({ "outcome": "over_budget", "failing": failing })
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let ws = Workspace::open(&args.workspace)?;
    let (records, left_out) = ws.locate_all(args.form.as_deref())?;
    let format = args.format.get();
    if format != super::format::Format::Table {
        let rows: Vec<serde_json::Value> = (records.iter())
            .map(|r| {
                let mut v = json(&r.located);
                v["key"] = serde_json::json!(r.key);
                v
            })
            .collect();
        let value = serde_json::json!({
            "records": rows,
            "left_out": left_out.iter().map(|(rule, why)| serde_json::json!({ "rule": rule, "construct": why })).collect::<Vec<_>>(),
        });
        return super::format::emit(format, &value, &rows, || Ok(String::new()));
    }
    let lang = super::lang();
    for (rule, why) in &left_out {
        outln!("{}", cmd::left_out(lang, rule, why))?;
    }
    for r in &records {
        match &r.located {
            Located::Nothing => {}
            Located::Fields {
                fields,
                weight,
                failing,
            } => outln!(
                "{}\t{}",
                r.key,
                cmd::located(lang, &fields.join(", "), *weight, &failing.join(", "))
            )?,
            Located::Contradictory { rules } => {
                outln!("{}\t{}", r.key, cmd::contradictory(lang, &rules.join(", ")))?
            }
            Located::OverBudget { failing } => outln!(
                "{}\t{}",
                r.key,
                cmd::search_over_budget(lang, &failing.join(", "))
            )?,
        }
    }
    Ok(())
}
