use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use huishen_core::sample::{DEFAULT_SEED, SampleOptions, generate};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many records to generate (270000 is Shandong's census, 3600000 the national one)
    #[arg(long, default_value_t = 2000)]
    records: u64,
    /// The seed: one seed always gives the same file
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// The CSV file to write (UTF-8, Chinese headers); `-` for standard output
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
        let file = std::fs::File::create(&args.out)
            .with_context(|| format!("cannot write {}", args.out.display()))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let summary = generate(&options, &mut out, &mut on_defect)?;
        out.flush()
            .with_context(|| format!("cannot write {}", args.out.display()))?;
        summary
    };
    if let Some(e) = defect_error {
        return Err(e).context("cannot write the defects file");
    }
    if let Some(mut w) = defects {
        w.flush().context("cannot write the defects file")?;
    }
    eprintln!(
        "generated {} records ({} with seeded defects) with seed {}",
        summary.records, summary.defective_records, args.seed
    );
    Ok(())
}
