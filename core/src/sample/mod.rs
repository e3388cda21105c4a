//! The synthetic Shandong census sample: a deterministic generator of G101_1 records (industrial
//! enterprise basics and emissions) on real division and industry codes, with defects seeded for
//! every review rule.
//!
//! `generate(2000 records, seed 2017)` is the committed `sample-data/shandong-2017/g101_1.csv`;
//! larger runs (270,000 for Shandong, 3,600,000 for the country) stream in constant memory and
//! are used for benchmarks. About 17 % of records carry exactly one defect kind; the four
//! cross-record kinds (R27, R28, X02, X03) are written as two adjacent records.
//!
//! Two random streams make a record. The first draws the plant and, for about 14 % of plants,
//! a *shaped* defect kind that the plant is drawn to suit (R01–R30). The second draws the 2016
//! output (and a 2016 SO2 of 0 for a plant without SO2) and, for about 2 % of the records drawn
//! clean, an *overlaid* kind (X01–X06, and R31's output in yuan) laid over the record as it is,
//! or over the next clean record that fits it. Nothing the second stream draws changes the
//! first, so the plants, their keys and their shaped defects are the same whatever the
//! overlaid kinds are. A third stream draws one point in every 700 records where a *slipped*
//! kind (SO2 generated entered with a minus sign: R10, R13, R20 and R21 at once) goes on the
//! first record still clean that fits it; it changes nothing the other two draw.

mod defects;
mod industry;
mod objects;
mod places;
mod plant;
mod profiles;
mod record;
mod rng;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::io::{self, Write};

use crate::domain::Schema;

use defects::{Kind, Pool, Slips};
use objects::{BOILER_FIELDS, ChildKind, OUTLET_FIELDS, Objects};
use plant::{Force, Plants};
use record::{FIELD_NAMES, Record, RowWriter};
use rng::Rng;

pub use industry::{VOC_CLASSES, VOC_DIVISIONS};

/// The seed of the committed sample.
pub const DEFAULT_SEED: u64 = 2017;

/// Chance that a record starts a shaped defect (pairs make the share of defective records a
/// little higher, about 15 %).
const DEFECT_CHANCE: f64 = 0.14;

/// Chance that a record drawn clean draws an overlaid defect, which then goes on the first clean
/// record that fits it (about 2 % more defective records, pairs included).
const OVERLAY_CHANCE: f64 = 0.02;

/// An R29 outlier goes only into an industry division that already has this many in-band SO2
/// emitters per outlier (its own included), so outliers never reach the division's upper quartile
/// and the rule's minimum of 5 peers always holds.
const PEERS_PER_OUTLIER: u32 = 8;

const SCHEMA_FILE: &str = "sample-data/shandong-2017/schema.toml";

/// The sample's schema file.
pub const SCHEMA_TOML: &str = include_str!("../../../sample-data/shandong-2017/schema.toml");

/// The census rule set for the sample.
pub const RULES_TOML: &str = include_str!("../../../sample-data/shandong-2017/rules.toml");

/// The committed sample records (2,000 Shandong industrial sources, UTF-8).
pub const RECORDS_CSV: &[u8] = include_bytes!("../../../sample-data/shandong-2017/g101_1.csv");

/// The committed boilers (G103_1) of the sample's coal burners, UTF-8.
pub const BOILERS_CSV: &[u8] = include_bytes!("../../../sample-data/shandong-2017/g103_1.csv");

/// The committed wastewater outlets (G102) of the sample's dischargers, UTF-8.
pub const OUTLETS_CSV: &[u8] = include_bytes!("../../../sample-data/shandong-2017/g102.csv");

/// The child forms of the sample with their committed files, in the order they are imported
/// (after G101_1): form, file name, contents.
pub const CHILD_FILES: [(&str, &str, &[u8]); 2] = [
    ("G103_1", "g103_1.csv", BOILERS_CSV),
    ("G102", "g102.csv", OUTLETS_CSV),
];

/// The sample team's leader (组长), the demo workspace's administrator.
pub const LEADER: &str = "王五";

/// The sample team: name, role, scope (a division-code prefix; empty: all of Shandong) and
/// passphrase.
pub const TEAM: [(&str, &str, &str, &str); 3] = [
    ("张三", "县级审核", "3701", "zhangsan-2017"),
    ("李四", "市级审核", "37", "lisi-2017"),
    ("王五", "省级审核", "", "wangwu-2017"),
];

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    pub records: u64,
    pub seed: u64,
}

/// One seeded defect: the record's key and the rules it makes fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defect {
    pub key: String,
    pub rules: Vec<&'static str>,
    /// Short English description.
    pub description: &'static str,
    pub description_zh: &'static str,
}

/// What a run wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSummary {
    pub records: u64,
    /// The defect rows reported: defective records, and rows beneath them or parents of
    /// theirs that a child defect makes fail.
    pub defective_records: u64,
}

/// Streams the G101_1 CSV (UTF-8, no BOM, header = the Chinese labels of schema.toml in schema
/// order) to `out`, and calls `on_defect` for every seeded defect, in file order (those of the
/// child rows too, whose files it does not write).
pub fn generate<W: Write>(
    opts: &SampleOptions,
    out: W,
    on_defect: impl FnMut(Defect),
) -> io::Result<SampleSummary> {
    generate_objects(opts, out, io::sink(), io::sink(), on_defect)
}

/// Streams the census objects: the G101_1 records to `out`, their boilers (G103_1) to
/// `boilers` and their wastewater outlets (G102) to `outlets`, each a CSV like `out`'s; calls
/// `on_defect` for every seeded defect in file order, a child's after its parent's.
pub fn generate_objects<W: Write, B: Write, O: Write>(
    opts: &SampleOptions,
    out: W,
    boilers: B,
    outlets: O,
    mut on_defect: impl FnMut(Defect),
) -> io::Result<SampleSummary> {
    let mut writer = RowWriter::new(out);
    writer.header(&header_labels()?)?;
    let mut objects = Objects::new(
        opts.seed,
        boilers,
        outlets,
        &child_header("G103_1", &BOILER_FIELDS)?,
        &child_header("G102", &OUTLET_FIELDS)?,
    )?;

    let mut plants = Plants::new(opts.seed);
    let mut schedule = Schedule::default();
    let mut overlays = Schedule::default();
    // The overlaid kind drawn and waiting for a clean record that fits it (an efficiency waits
    // for a desulphurising plant).
    let mut armed: Option<Kind> = None;
    let width = opts.records.to_string().len().max(7);
    let mut rec = Record::default();
    let mut pending: Option<(Kind, Record)> = None;
    let mut peers = OutlierPeers::default();
    // The record before `rec`: written once `rec` is made, as an overlaid pair kind laid over
    // `rec` marks it too.
    let mut held = Held::default();
    let mut slips = Slips::new(opts.seed);
    let mut defective = 0;

    for serial in 1..=opts.records {
        let mut kind = if let Some((kind, second)) = pending.take() {
            rec = second;
            Some(kind)
        } else {
            let remaining = opts.records - serial + 1;
            let kind = draw_kind(&mut plants, &mut schedule, &peers, remaining);
            fill_record(&mut rec, serial, kind, &mut plants, &peers);
            if let Some(kind) = kind.filter(|k| k.is_pair()) {
                pending = Some((kind, second_of_pair(kind, &rec, serial + 1, &mut plants)));
            }
            kind
        };
        plant::record_id(&mut rec.id, rec.region, serial, width);
        peers.count(&rec, kind);

        if kind.is_none() {
            if armed.is_none() && plants.overlay.chance(OVERLAY_CHANCE) {
                armed = overlays.next(&mut plants.overlay, &Kind::OVERLAID, |_| true);
            }
            let before = (held.present && held.kind.is_none()).then_some(&held.rec);
            if let Some(k) = armed.filter(|k| k.fits(&rec, before)) {
                k.overlay(&mut rec, serial, before, &mut plants);
                if k.is_pair() {
                    held.kind = Some(k);
                }
                kind = armed.take();
            }
        }
        let slip = slips.due(serial);
        if let Some(k) = slip.filter(|k| kind.is_none() && k.slip_fits(&rec)) {
            k.slip(&mut rec);
            slips.laid();
            kind = Some(k);
        }

        if held.present {
            defective += held.write(&mut writer, &mut objects, &mut on_defect)?;
        }
        std::mem::swap(&mut held.rec, &mut rec);
        held.kind = kind;
        held.present = true;
    }
    if held.present {
        defective += held.write(&mut writer, &mut objects, &mut on_defect)?;
    }
    writer.flush()?;
    objects.flush()?;
    Ok(SampleSummary {
        records: opts.records,
        defective_records: defective,
    })
}

/// The last record made, not yet written, and its defect kind.
#[derive(Default)]
struct Held {
    rec: Record,
    kind: Option<Kind>,
    /// Whether `rec` is a record of this run (false before the first).
    present: bool,
}

impl Held {
    /// Writes the record and the rows beneath it and reports their defects; returns the
    /// number of defect rows reported (the record's, 0 or 1, and its children's).
    fn write<W: Write, B: Write, O: Write>(
        &self,
        writer: &mut RowWriter<W>,
        objects: &mut Objects<B, O>,
        on_defect: &mut impl FnMut(Defect),
    ) -> io::Result<u64> {
        writer.record(&self.rec)?;
        let own = match self.kind {
            Some(kind) => {
                on_defect(Defect {
                    key: self.rec.id.clone(),
                    rules: kind.rules().to_vec(),
                    description: kind.description(),
                    description_zh: kind.description_zh(),
                });
                1
            }
            None => 0,
        };
        Ok(own + objects.write(&self.rec, self.kind.is_none(), on_defect)?)
    }
}

/// The SO2 emitters made so far per industry division: those in the band, and the seeded
/// outliers. They decide where an R29 outlier may go.
struct OutlierPeers {
    band: [u32; 100],
    outliers: [u32; 100],
}

impl Default for OutlierPeers {
    fn default() -> OutlierPeers {
        OutlierPeers {
            band: [0; 100],
            outliers: [0; 100],
        }
    }
}

impl OutlierPeers {
    /// Whether division `d` has enough in-band peers for one more outlier.
    fn qualifies(&self, d: usize) -> bool {
        self.band[d] >= PEERS_PER_OUTLIER * (self.outliers[d] + 1)
    }

    /// The divisions that can take one more outlier, in code order.
    fn qualifying(&self) -> Vec<usize> {
        (0..100).filter(|&d| self.qualifies(d)).collect()
    }

    /// Counts a record as it is made if it emits SO2 and has an output.
    fn count(&mut self, rec: &Record, kind: Option<Kind>) {
        if rec.so2_emit.is_some_and(|e| e > 0.0) && rec.output > 0.0 {
            let d = industry::division(rec.industry);
            if kind == Some(Kind::IntensityOutlier) {
                self.outliers[d] += 1;
            } else {
                self.band[d] += 1;
            }
        }
    }
}

/// Whether the next new record carries a defect, and which: a chance draw, then the schedule's
/// next kind that fits (`remaining` records are left, this one included).
fn draw_kind(
    plants: &mut Plants,
    schedule: &mut Schedule,
    peers: &OutlierPeers,
    remaining: u64,
) -> Option<Kind> {
    if plants.rng.chance(DEFECT_CHANCE) {
        schedule.next(&mut plants.rng, &Kind::SHAPED, |k| match k {
            _ if k.is_pair() => remaining >= 2,
            Kind::IntensityOutlier => (0..100).any(|d| peers.qualifies(d)),
            _ => true,
        })
    } else {
        None
    }
}

/// Fills `rec` with a new plant: its place and class chosen to suit `kind`, then the defect
/// applied, then its 2016 values.
fn fill_record(
    rec: &mut Record,
    serial: u64,
    kind: Option<Kind>,
    plants: &mut Plants,
    peers: &OutlierPeers,
) {
    let division = match kind {
        Some(Kind::IntensityOutlier) => *plants.rng.pick(&peers.qualifying()),
        _ => 0,
    };
    let place = match kind.map(Kind::pool) {
        Some(Pool::Retired) => *plants.rng.pick(&plants.places.retired),
        Some(Pool::Jiangsu) => *plants.rng.pick(&plants.places.jiangsu),
        _ => plants.county(),
    };
    let class = plants.class(|c| kind.is_none_or(|k| k.accepts(c, division)));
    let force = kind.map_or_else(Force::default, Kind::force);
    plants.fill(rec, serial, &place, class, force);
    if let Some(kind) = kind {
        kind.apply(rec, plants);
    }
    plants.previous_period(rec);
}

/// The second record of a shaped cross-record defect.
fn second_of_pair(kind: Kind, first: &Record, serial: u64, plants: &mut Plants) -> Record {
    match kind {
        Kind::SharedAcrossCounties => {
            let prefecture = &first.region[..4];
            let siblings: Vec<usize> = (0..plants.places.counties.len())
                .filter(|&i| {
                    let p = &plants.places.counties[i];
                    p.code.starts_with(prefecture) && p.code != first.region
                })
                .collect();
            let place = match siblings.is_empty() {
                true => plants.county(),
                false => plants.places.counties[*plants.rng.pick(&siblings)],
            };
            let class = plants.class(|_| true);
            let mut second = Record::default();
            plants.fill(&mut second, serial, &place, class, Force::default());
            plants.previous_period(&mut second);
            second.credit.clone_from(&first.credit);
            second
        }
        // Entered twice: the same plant (its 2016 values too), its own key, a point a little
        // apart.
        _ => {
            let mut second = first.clone();
            let centre = (first.lon.unwrap_or(117.0), first.lat.unwrap_or(36.4));
            let (lon, lat) = plants.coordinates(serial, centre, 0.002);
            second.lon = Some(lon);
            second.lat = Some(lat);
            second
        }
    }
}

/// The order the defect kinds of one family are used in: shuffled rounds of the family, so
/// every kind appears about equally often; a kind that does not fit yet (an outlier before its
/// division has enough peers, a pair at the last record) waits for a later record.
#[derive(Default)]
struct Schedule {
    queue: VecDeque<Kind>,
}

impl Schedule {
    fn next(
        &mut self,
        rng: &mut Rng,
        family: &[Kind],
        fits: impl Fn(Kind) -> bool,
    ) -> Option<Kind> {
        for _ in 0..2 {
            if let Some(i) = self.queue.iter().position(|&k| fits(k)) {
                return self.queue.remove(i);
            }
            let mut round = family.to_vec();
            for i in (1..round.len()).rev() {
                round.swap(i, rng.below(i + 1));
            }
            self.queue.extend(round);
        }
        None
    }
}

/// The CSV header: the Chinese labels of the G101_1 fields, checked against the generator's
/// field order.
fn header_labels() -> io::Result<Vec<String>> {
    let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidData, msg);
    let schema = Schema::parse(SCHEMA_FILE, SCHEMA_TOML).map_err(|e| invalid(e.to_string()))?;
    let form = schema
        .form("G101_1")
        .ok_or_else(|| invalid(format!("{SCHEMA_FILE}: no form G101_1")))?;
    let names: Vec<&str> = form.fields.iter().map(|f| f.name.as_str()).collect();
    if names != FIELD_NAMES {
        return Err(invalid(format!(
            "{SCHEMA_FILE}: the G101_1 fields are {names:?}, the sample generator writes {FIELD_NAMES:?}"
        )));
    }
    Ok(form.fields.iter().map(|f| f.label.zh.clone()).collect())
}

/// The CSV header of a child form: the Chinese labels of its fields, checked against the
/// generator's field order.
fn child_header(form: &str, fields: &[&str]) -> io::Result<Vec<String>> {
    let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidData, msg);
    let schema = Schema::parse(SCHEMA_FILE, SCHEMA_TOML).map_err(|e| invalid(e.to_string()))?;
    let form_def = schema
        .form(form)
        .ok_or_else(|| invalid(format!("{SCHEMA_FILE}: no form {form}")))?;
    let names: Vec<&str> = form_def.fields.iter().map(|f| f.name.as_str()).collect();
    if names != fields {
        return Err(invalid(format!(
            "{SCHEMA_FILE}: the {form} fields are {names:?}, the sample generator writes {fields:?}"
        )));
    }
    Ok(form_def.fields.iter().map(|f| f.label.zh.clone()).collect())
}

/// The README table of seeded defects: `| key | rules | defect |`, one row per defective record.
pub fn defects_markdown(defects: &[Defect]) -> String {
    let mut md = String::from("| key | rules | defect |\n|---|---|---|\n");
    for d in defects {
        md.push_str("| ");
        md.push_str(&d.key);
        md.push_str(" | ");
        md.push_str(&d.rules.join(", "));
        md.push_str(" | ");
        md.push_str(d.description);
        md.push_str(" |\n");
    }
    md
}

/// The README table of defect kinds with how often each occurs in `defects`:
/// `| defect | 缺陷 | rules | records | how it is seeded |`.
pub fn defect_kinds_markdown(defects: &[Defect]) -> String {
    let mut md = String::from(
        "| defect | 缺陷 | rules | records | how it is seeded |\n|---|---|---|---|---|\n",
    );
    let mut row = |description: &str, zh: &str, rules: &[&str], seeding: &str| {
        let records = defects
            .iter()
            .filter(|d| d.description == description)
            .count();
        md.push_str(&format!(
            "| {description} | {zh} | {} | {records} | {seeding} |\n",
            rules.join(", ")
        ));
    };
    for kind in Kind::ALL {
        row(
            kind.description(),
            kind.description_zh(),
            kind.rules(),
            kind.seeding(),
        );
    }
    for kind in ChildKind::ALL {
        row(
            kind.description(),
            kind.description_zh(),
            kind.rules(),
            kind.seeding(),
        );
    }
    md
}
