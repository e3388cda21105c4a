//! `huishen completions SHELL` and `huishen man`: shell completions and manual pages, both
//! generated from the command line's own clap definitions, so that they never fall behind it.

use std::path::PathBuf;

use clap::CommandFactory;

use crate::i18n::{cmd, refusal};

#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// The shell: bash, zsh, fish, elvish or powershell
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Without --out the page of huishen itself is written to standard output (`huishen man | man -l -`).
With --out DIR, DIR gets huishen.1 and a page per command (huishen-import.1, ...), for
`man -M DIR huishen` or a folder of MANPATH.")]
pub struct ManArgs {
    /// A folder to write every page into
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn completions(args: CompletionArgs) -> anyhow::Result<()> {
    let mut command = super::Cli::command();
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut command, "huishen", &mut text);
    out!("{}", String::from_utf8_lossy(&text))?;
    Ok(())
}

pub fn man(args: ManArgs) -> anyhow::Result<()> {
    let command = super::Cli::command();
    let Some(dir) = args.out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page)?;
        out!("{}", String::from_utf8_lossy(&page))?;
        return Ok(());
    };
    if !dir.is_dir() {
        let shown = dir.display().to_string();
        return Err(refusal(|lang| cmd::not_a_folder(lang, &shown)).into());
    }
    let mut written = 0;
    let mut pages = vec![(String::from("huishen"), command.clone())];
    for sub in command.get_subcommands() {
        let bin = format!("huishen {}", sub.get_name());
        pages.push((
            format!("huishen-{}", sub.get_name()),
            sub.clone().bin_name(bin),
        ));
    }
    for (name, page) in pages {
        let mut text = Vec::new();
        clap_mangen::Man::new(page)
            .title(name.clone())
            .render(&mut text)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, text).map_err(|e| {
            let (shown, e) = (path.display().to_string(), e.to_string());
            refusal(move |lang| cmd::cannot_write(lang, &shown, &e))
        })?;
        written += 1;
    }
    outln!(
        "{}",
        cmd::man_written(super::lang(), written, &dir.display().to_string())
    )?;
    Ok(())
}
