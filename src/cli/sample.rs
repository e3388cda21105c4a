use crate::i18n::{cmd, refusal};
use std::io::Write;
use std::path::PathBuf;

use huishen_core::sample::{CHILD_FILES, DEFAULT_SEED, SampleOptions, generate, generate_objects};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many records to generate (270000 is Shandong's census, 3600000 the national one)
    #[arg(long, default_value_t = 2000)]
    records: u64,
    /// The seed: one seed always gives the same file
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// The G101_1 CSV file to write (UTF-8, Chinese headers); the rows beneath the records go
    /// beside it as g103_1.csv (boilers) and g102.csv (wastewater outlets). `-` writes the
    /// records alone to standard output
    #[arg(long)]
    out: PathBuf,
    /// Also write the seeded defects (key, rules, defect) as CSV to this file
    #[arg(long)]
    defects: Option<PathBuf>,
}

/// A file the sample could not be written to, and why.
fn cannot_write(path: &std::path::Path, e: &dyn std::fmt::Display) -> huishen_core::Error {
    huishen_core::Error::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let options = SampleOptions {
        records: args.records,
        seed: args.seed,
    };
    let mut defects = match &args.defects {
        Some(path) => Some(csv::Writer::from_path(path).map_err(|e| cannot_write(path, &e))?),
        None => None,
    };
    let mut defect_error = None;
    let mut on_defect = |d: huishen_core::sample::Defect| {
        if let Some(w) = defects.as_mut()
            && let Err(e) = w.write_record([d.key.as_str(), &d.rules.join(" "), d.description])
        {
            defect_error.get_or_insert(e);
        }
    };
    let summary = if args.out.as_os_str() == "-" {
        let stdout = std::io::stdout().lock();
        generate(&options, std::io::BufWriter::new(stdout), &mut on_defect)?
    } else {
        let folder = args.out.parent().unwrap_or(std::path::Path::new(""));
        let create = |path: &std::path::Path| -> anyhow::Result<_> {
            let file = std::fs::File::create(path).map_err(|e| cannot_write(path, &e))?;
            Ok(std::io::BufWriter::with_capacity(1 << 20, file))
        };
        let children: Vec<PathBuf> = CHILD_FILES
            .iter()
            .map(|(_, name, _)| folder.join(name))
            .collect();
        if let Some(clash) = children.iter().find(|c| **c == args.out) {
            let clash = clash.display().to_string();
            return Err(refusal(|lang| cmd::out_clashes(lang, &clash)).into());
        }
        let mut out = create(&args.out)?;
        let mut boilers = create(&children[0])?;
        let mut outlets = create(&children[1])?;
        let summary = generate_objects(
            &options,
            &mut out,
            &mut boilers,
            &mut outlets,
            &mut on_defect,
        )?;
        for (w, path) in [
            (&mut out, &args.out),
            (&mut boilers, &children[0]),
            (&mut outlets, &children[1]),
        ] {
            w.flush().map_err(|e| cannot_write(path, &e))?;
        }
        for child in &children {
            let child = child.display().to_string();
            eprintln!("{}", cmd::wrote_children(super::lang(), &child));
        }
        summary
    };
    let defects_file = args.defects.clone().unwrap_or_default();
    if let Some(e) = defect_error {
        return Err(cannot_write(&defects_file, &e).into());
    }
    if let Some(mut w) = defects {
        w.flush().map_err(|e| cannot_write(&defects_file, &e))?;
    }
    let (records, defective) = (summary.records, summary.defective_records);
    let line = cmd::generated(super::lang(), records, defective, args.seed);
    eprintln!("{line}");
    Ok(())
}
