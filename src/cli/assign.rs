use std::path::PathBuf;

use crate::store::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    workspace: PathBuf,
    /// The reviewer whose work split this is
    #[arg(long)]
    reviewer: String,
    /// A division-code prefix (e.g. 3703); repeat for more
    #[arg(long)]
    region: Vec<String>,
    /// A rule id; repeat for more
    #[arg(long)]
    rule: Vec<String>,
    /// A form; repeat for more
    #[arg(long)]
    form: Vec<String>,
    /// Replace the reviewer's assignments instead of adding to them
    #[arg(long)]
    clear: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    for r in &args.region {
        if r.is_empty() || !r.chars().all(|c| c.is_ascii_digit()) {
            anyhow::bail!(
                "`{r}` is not a division-code prefix (digits, e.g. 3703); nothing was changed"
            );
        }
    }
    if let Some(rules) = ws.active_rules()? {
        for id in &args.rule {
            if !rules.rules.iter().any(|r| &r.id == id) {
                anyhow::bail!("there is no rule {id} in the rules in force; nothing was changed");
            }
        }
    }
    let schema = ws.schema()?;
    for f in &args.form {
        if schema.form(f).is_none() {
            anyhow::bail!("there is no form {f}; nothing was changed");
        }
    }
    let add: Vec<(String, String)> = args
        .region
        .iter()
        .map(|v| ("region".to_string(), v.clone()))
        .chain(args.rule.iter().map(|v| ("rule".to_string(), v.clone())))
        .chain(args.form.iter().map(|v| ("form".to_string(), v.clone())))
        .collect();
    ws.assign(&args.reviewer, &add, args.clear, &super::os_user())?;
    let now = ws.assignments(&args.reviewer)?;
    if now.is_empty() {
        println!(
            "{} has no assignments: their queue shows every record",
            args.reviewer
        );
    } else {
        let list: Vec<String> = now
            .iter()
            .map(|a| format!("{} {}", a.kind, a.value))
            .collect();
        println!("{} reviews: {}", args.reviewer, list.join(", "));
    }
    Ok(())
}
