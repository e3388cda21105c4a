use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

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

pub fn run(args: Args) -> anyhow::Result<()> {
    let options = SampleOptions {
        records: args.records,
        seed: args.seed,
    };
    let mut defects = match &args.defects {
        Some(path) => Some(
            csv::Writer::from_path(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
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
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(std::io::BufWriter::with_capacity(1 << 20, file))
        };
        let children: Vec<PathBuf> = CHILD_FILES
            .iter()
            .map(|(_, name, _)| folder.join(name))
            .collect();
        if let Some(clash) = children.iter().find(|c| **c == args.out) {
            anyhow::bail!(
                "--out {} would be overwritten by the child rows written beside it; name the records file otherwise",
                clash.display()
            );
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
            w.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        for child in &children {
            eprintln!("wrote the rows beneath the records to {}", child.display());
        }
        summary
    };
    if let Some(e) = defect_error {
        return Err(e).context("cannot write the defects file");
    }
    if let Some(mut w) = defects {
        w.flush().context("cannot write the defects file")?;
    }
    eprintln!(
        "generated {} records ({} seeded defect rows, the rows beneath them included) with seed {}",
        summary.records, summary.defective_records, args.seed
    );
    Ok(())
}
