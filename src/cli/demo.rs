//! `huishen demo`: a fresh workspace from the Shandong sample embedded in the binary.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::interchange::{EncodingChoice, ImportOptions};
use crate::store::Workspace;

const SCHEMA: &str = include_str!("../../sample-data/shandong-2017/schema.toml");
const RECORDS: &[u8] = include_bytes!("../../sample-data/shandong-2017/g101_1.csv");
const RULES: &str = include_str!("../../sample-data/shandong-2017/rules.toml");

/// The sample review team: name, role, scope, passphrase (a demo's passphrases are public).
pub const TEAM: [(&str, &str, &str, &str); 3] = [
    ("张三", "县级审核", "3701", "zhangsan-2017"),
    ("李四", "市级审核", "37", "lisi-2017"),
    ("王五", "省级审核", "", "wangwu-2017"),
];

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
                .context("cannot create a temporary folder for the demo")?
                .keep();
            dir.join("shandong-2017.huishen")
        }
    };
    let mut ws = build(&path)?;
    print_summary(&ws)?;
    let report = ws.check(&[], &mut |_, _, _| {})?;
    drop(ws);
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !interactive {
        println!();
        print!("{}", super::check::table(&report));
        println!(
            "\n(standard input or output is not a terminal, so the review screen was not opened)"
        );
        return Ok(());
    }
    super::review::open(&path, &args.reviewer, &args.screen, false)
}

/// Creates the sample workspace at `path`, imports the sample records and loads the census
/// rules.
pub fn build(path: &Path) -> anyhow::Result<Workspace> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    let schema_path = folder.join("schema.toml");
    let rules_path = folder.join("rules.toml");
    let records_path = folder.join("g101_1.csv");
    let schema = crate::domain::Schema::parse("sample-data/shandong-2017/schema.toml", SCHEMA)?;
    let mut ws = Workspace::create(
        path,
        &schema,
        "sample-data/shandong-2017/schema.toml",
        SCHEMA,
        &super::os_user(),
    )?;
    let files = [
        (&schema_path, SCHEMA.as_bytes()),
        (&rules_path, RULES.as_bytes()),
        (&records_path, RECORDS),
    ];
    for (file, bytes) in files {
        if !file.exists() {
            std::fs::write(file, bytes)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
    }
    let options = ImportOptions {
        form: "G101_1",
        encoding: EncodingChoice::Auto,
        delimiter: b',',
        skip_bad_rows: false,
        user: &super::os_user(),
    };
    let report = super::import::import_file(&mut ws, &records_path, &options)?;
    super::import::print_report(&records_path, &report);
    let loaded = super::rules::load(&mut ws, &rules_path)?;
    super::rules::print_load(&rules_path, &loaded);
    for (name, role, scope, secret) in TEAM {
        let reviewer = crate::store::Reviewer {
            name: name.to_string(),
            role: role.to_string(),
            scope: scope.to_string(),
            passphrase_hash: crate::review::passphrase::hash(secret)?,
        };
        ws.add_reviewer(&reviewer, &super::os_user())?;
    }
    Ok(ws)
}

fn print_summary(ws: &Workspace) -> anyhow::Result<()> {
    let schema = ws.schema()?;
    let (regions, retired, industries) = ws.reference_counts()?;
    println!();
    println!("huishen demo workspace: {}", ws.path().display());
    for count in ws.form_counts()? {
        let label = schema
            .form(&count.form)
            .map(|f| format!("{} / {}", f.label.zh, f.label.en))
            .unwrap_or_default();
        println!("  form {} ({label}): {} records", count.form, count.records);
    }
    println!(
        "  reference: {regions} Shandong divisions ({retired} retired codes kept apart), {industries} GB/T 4754-2017 industries"
    );
    println!();
    println!(
        "The sample team (log in with `huishen review {} --reviewer NAME`):",
        ws.path().display()
    );
    for (name, role, scope, secret) in TEAM {
        let scope = if scope.is_empty() {
            "all of Shandong"
        } else {
            scope
        };
        println!("  {name}  {role}  scope {scope}  passphrase {secret}");
    }
    println!();
    println!("Look inside with the sqlite3 CLI:");
    println!(
        "  sqlite3 {} 'SELECT record_id, unit_name, region_code FROM G101_1 LIMIT 5'",
        ws.path().display()
    );
    Ok(())
}
