//! `huishen demo`: a fresh workspace from the Shandong sample embedded in the binary.

use crate::i18n::{cmd, refusal};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use huishen_core::review::{Signer, Workspace};
use huishen_core::sample::{LEADER, TEAM};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Build the workspace here instead of in a new temporary folder (the file must not exist)
    #[arg(long)]
    workspace: Option<PathBuf>,
    /// The member of the sample team the screen opens for
    #[arg(long, default_value = "王五")]
    reviewer: String,
    #[command(flatten)]
    screen: super::review::ScreenArgs,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let path = match args.workspace {
        Some(path) => path,
        None => {
            let dir = tempfile::Builder::new()
                .prefix("huishen-demo-")
                .tempdir()
                .map_err(|e| {
                    let e = e.to_string();
                    refusal(|lang| cmd::no_temporary_folder(lang, &e))
                })?
                .keep();
            dir.join("shandong-2017.huishen")
        }
    };
    let (mut ws, by) = build(&path)?;
    print_summary(&ws)?;
    let report = ws.check(&[], &by, &mut |_, _, _| {})?;
    drop(ws);
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !interactive {
        outln!()?;
        out!("{}", super::check::table(super::lang(), &report))?;
        outln!("\n{}", cmd::demo_not_a_terminal(super::lang()))?;
        return Ok(());
    }
    // The sample team's passphrases are printed above; the screen opens without asking.
    let known = TEAM.iter().find(|(name, ..)| *name == args.reviewer);
    super::review::open(
        &path,
        &args.reviewer,
        &args.screen,
        known.map(|m| m.3),
        true,
    )
}

/// Builds the sample workspace at `path` and says what went in; returns it with its
/// administrator signed in.
pub fn build(path: &Path) -> anyhow::Result<(Workspace, Signer)> {
    let (ws, by, imported, loaded) = Workspace::demo(path)?;
    for (file, report) in &imported {
        super::import::print_report(file, report)?;
    }
    let rules = Path::new(huishen_core::review::SAMPLE_DIR).join("rules.toml");
    super::rules::print_load(&rules, &loaded)?;
    Ok((ws, by))
}

fn print_summary(ws: &Workspace) -> anyhow::Result<()> {
    let schema = ws.schema()?;
    let (regions, retired, industries) = ws.reference_counts()?;
    let lang = super::lang();
    let file = ws.path().display().to_string();
    outln!()?;
    outln!("{}", cmd::demo_workspace(lang, &file))?;
    for count in ws.form_counts()? {
        let label = schema
            .form(&count.form)
            .map(|f| format!("{} / {}", f.label.zh, f.label.en))
            .unwrap_or_default();
        outln!(
            "{}",
            cmd::demo_form(lang, &count.form, &label, count.records)
        )?;
    }
    outln!(
        "{}",
        cmd::demo_reference(lang, regions, retired, industries)
    )?;
    outln!()?;
    outln!("{}", cmd::demo_team(lang, &file))?;
    for (name, role, scope, secret) in TEAM {
        let scope = if scope.is_empty() {
            cmd::all_of_shandong(lang)
        } else {
            scope
        };
        let leader = if name == LEADER {
            cmd::demo_leader(lang)
        } else {
            ""
        };
        outln!(
            "{}",
            cmd::demo_member(lang, name, role, scope, secret, leader)
        )?;
    }
    if let Some(root) = ws.root_fingerprint()? {
        outln!("{}", cmd::demo_root(lang, &root))?;
    }
    outln!()?;
    outln!("{}", cmd::look_inside(lang))?;
    outln!("  sqlite3 {file} 'SELECT record_id, unit_name, region_code FROM G101_1 LIMIT 5'")?;
    Ok(())
}
