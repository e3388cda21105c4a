//! The rows beneath each G101_1 record that make it a census object: its boilers (G103_1) and
//! its wastewater outlets (G102).
//!
//! A coal burner gets 1–4 boilers whose coal adds up to the enterprise's fuel coal and whose SO2
//! adds up to its SO2 figures (each boiler burns the enterprise's coal, of its sulphur content);
//! a discharger gets 1–4 outlets whose wastewater and COD add up to the enterprise's. The totals
//! are split in the units the files are written in (tenths of a tonne of coal, whole tonnes of
//! water, ten-thousandths of a tonne of pollutant), so the sums are exact after a round trip
//! through the text. Every other enterprise has none.
//!
//! The rows come from the record as it is written (its own defects included) and from a fourth
//! random stream of their own, so nothing here changes a G101_1 record: a defect of the parent
//! never reaches a child's rule (an SO2 generated entered with a minus sign is the slip of the
//! parent's figure; its boilers keep the true one). About 2.5 % of the clean coal burners and of
//! the clean dischargers draw a child defect ([`ChildKind`]), laid on the first clean object
//! that fits it.

use std::collections::VecDeque;
use std::io::{self, Write};

use super::Defect;
use super::record::{Record, decimals, q, write_fixed};
use super::rng::Rng;

/// Mixed into the seed for the fourth random stream (the child rows), unrelated to the others.
const CHILD_SALT: u64 = 0x6103_B011_E25E_ED17;

/// Chance that a clean object with children draws a child defect.
const CHILD_DEFECT_CHANCE: f64 = 0.025;

/// The G103_1 field names in schema order; the boiler CSV's columns follow it.
pub const BOILER_FIELDS: [&str; 7] = [
    "boiler_id",
    "record_id",
    "fuel_type",
    "coal_t",
    "sulphur_pct",
    "so2_gen_t",
    "so2_emit_t",
];

/// The G102 field names in schema order.
pub const OUTLET_FIELDS: [&str; 4] = ["outlet_id", "record_id", "wastewater_t", "cod_emit_t"];

/// What a boiler burns.
const FUELS: [&str; 3] = ["烟煤", "无烟煤", "洗精煤"];

/// Ten-thousandths of a tonne: the pollutant unit of the files.
const POLLUTANT_UNITS: f64 = 10_000.0;

/// A seeded defect in the rows beneath a record, or in their totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildKind {
    BoilerSo2Tenfold,
    BoilerCoalInKg,
    BoilerCoalOverTotal,
    BoilerEmitAsGenerated,
    BoilerGenBelowEmit,
    OutletCodInKg,
    OutletWithoutWastewater,
    OutletWaterOverTotal,
}

use ChildKind::*;

impl ChildKind {
    pub const BOILER: [ChildKind; 5] = [
        BoilerSo2Tenfold,
        BoilerCoalInKg,
        BoilerCoalOverTotal,
        BoilerEmitAsGenerated,
        BoilerGenBelowEmit,
    ];
    pub const OUTLET: [ChildKind; 3] =
        [OutletCodInKg, OutletWithoutWastewater, OutletWaterOverTotal];
    pub const ALL: [ChildKind; 8] = [
        BoilerSo2Tenfold,
        BoilerCoalInKg,
        BoilerCoalOverTotal,
        BoilerEmitAsGenerated,
        BoilerGenBelowEmit,
        OutletCodInKg,
        OutletWithoutWastewater,
        OutletWaterOverTotal,
    ];

    /// The rules it makes fail, the child's and the parent's, and no others.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            BoilerSo2Tenfold => &["B01"],
            BoilerCoalInKg => &["B02", "P01"],
            BoilerCoalOverTotal => &["P01"],
            BoilerEmitAsGenerated => &["P02"],
            BoilerGenBelowEmit => &["B03"],
            OutletCodInKg => &["W01", "P04"],
            OutletWithoutWastewater => &["W02"],
            OutletWaterOverTotal => &["P03"],
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            BoilerSo2Tenfold => "boiler SO2 generated above what its coal's sulphur can make",
            BoilerCoalInKg => "boiler coal entered in kg: more than its enterprise burns",
            BoilerCoalOverTotal => "enterprise's fuel coal below the sum of its boilers'",
            BoilerEmitAsGenerated => "enterprise's SO2 emitted below the sum of its boilers'",
            OutletCodInKg => "outlet COD entered in kg: more than its enterprise discharges",
            OutletWithoutWastewater => "outlet discharges COD without wastewater",
            BoilerGenBelowEmit => "boiler SO2 emitted exceeds SO2 generated",
            OutletWaterOverTotal => "enterprise's wastewater below the sum of its outlets'",
        }
    }

    pub fn description_zh(self) -> &'static str {
        match self {
            BoilerSo2Tenfold => "锅炉二氧化硫产生量超过燃煤含硫量所能产生的量",
            BoilerCoalInKg => "锅炉耗煤量按千克填报，超过企业燃料煤消耗量",
            BoilerCoalOverTotal => "企业燃料煤消耗量小于各锅炉耗煤量之和",
            BoilerEmitAsGenerated => "企业二氧化硫排放量小于各锅炉排放量之和",
            OutletCodInKg => "排放口化学需氧量按千克填报，超过企业排放量",
            OutletWithoutWastewater => "排放口有化学需氧量但未填废水排放量",
            BoilerGenBelowEmit => "锅炉二氧化硫排放量大于产生量",
            OutletWaterOverTotal => "企业废水排放量小于各排放口废水排放量之和",
        }
    }

    pub fn seeding(self) -> &'static str {
        match self {
            BoilerSo2Tenfold => {
                "one boiler's so2_gen_t multiplied by 10 (the boiler row is listed)"
            }
            BoilerCoalInKg => {
                "one boiler's coal_t multiplied by 1000 (the boiler and its enterprise are listed)"
            }
            BoilerCoalOverTotal => {
                "the smallest of 2–4 boilers' coal_t raised by half (the enterprise is listed)"
            }
            BoilerEmitAsGenerated => {
                "a desulphurising plant's boiler reports so2_emit_t = so2_gen_t (the enterprise is listed)"
            }
            OutletCodInKg => {
                "one outlet's cod_emit_t multiplied by 1000 (the outlet and its enterprise are listed)"
            }
            OutletWithoutWastewater => {
                "one outlet's wastewater_t left blank (the outlet is listed)"
            }
            BoilerGenBelowEmit => {
                "a boiler's so2_gen_t set to 70–90 % of its so2_emit_t (the boiler is listed)"
            }
            OutletWaterOverTotal => {
                "the smallest of 2–4 outlets' wastewater_t raised by half (the enterprise is listed)"
            }
        }
    }

    /// Which of the rows listed for it are the child's: the others are the parent's.
    fn child_rules(self) -> &'static [&'static str] {
        match self {
            BoilerSo2Tenfold => &["B01"],
            BoilerCoalInKg => &["B02"],
            BoilerGenBelowEmit => &["B03"],
            OutletCodInKg => &["W01"],
            OutletWithoutWastewater => &["W02"],
            BoilerCoalOverTotal | BoilerEmitAsGenerated | OutletWaterOverTotal => &[],
        }
    }

    fn parent_rules(self) -> &'static [&'static str] {
        match self {
            BoilerCoalInKg | BoilerCoalOverTotal => &["P01"],
            BoilerEmitAsGenerated => &["P02"],
            OutletCodInKg => &["P04"],
            OutletWaterOverTotal => &["P03"],
            BoilerSo2Tenfold | BoilerGenBelowEmit | OutletWithoutWastewater => &[],
        }
    }
}

/// One boiler, its figures in file units (tenths of a tonne of coal, ten-thousandths of a
/// tonne of SO2).
#[derive(Debug, Clone)]
struct Boiler {
    fuel: &'static str,
    coal: i64,
    so2_gen: Option<i64>,
    so2_emit: Option<i64>,
}

/// One outlet: whole tonnes of water, ten-thousandths of a tonne of COD.
#[derive(Debug, Clone)]
struct Outlet {
    water: Option<i64>,
    cod: Option<i64>,
}

/// Writes the rows beneath each record.
pub struct Objects<B: Write, O: Write> {
    rng: Rng,
    boilers: csv::Writer<B>,
    outlets: csv::Writer<O>,
    boiler_queue: VecDeque<ChildKind>,
    outlet_queue: VecDeque<ChildKind>,
    armed_boiler: Option<ChildKind>,
    armed_outlet: Option<ChildKind>,
    buf: Vec<u8>,
}

impl<B: Write, O: Write> Objects<B, O> {
    /// Starts both files with their headers (the Chinese labels of the forms' fields).
    pub fn new(
        seed: u64,
        boilers: B,
        outlets: O,
        boiler_header: &[String],
        outlet_header: &[String],
    ) -> io::Result<Objects<B, O>> {
        let mut boilers = csv::WriterBuilder::new().from_writer(boilers);
        let mut outlets = csv::WriterBuilder::new().from_writer(outlets);
        boilers.write_record(boiler_header)?;
        outlets.write_record(outlet_header)?;
        Ok(Objects {
            rng: Rng::new(seed ^ CHILD_SALT),
            boilers,
            outlets,
            boiler_queue: VecDeque::new(),
            outlet_queue: VecDeque::new(),
            armed_boiler: None,
            armed_outlet: None,
            buf: Vec::with_capacity(32),
        })
    }

    /// Writes the rows beneath `rec` (`clean`: the record carries no defect of its own) and
    /// reports their seeded defects; returns the number of defect rows reported.
    pub fn write(
        &mut self,
        rec: &Record,
        clean: bool,
        on_defect: &mut impl FnMut(Defect),
    ) -> io::Result<u64> {
        let mut reported = 0;
        if let Some(coal) = rec.coal.filter(|&c| c > 0.0) {
            let mut boilers = self.boilers_of(rec, coal);
            let kind = self.child_kind(clean, true, |k| boilers_fit(k, &boilers));
            if let Some(kind) = kind {
                let at = self.lay_on_boilers(kind, &mut boilers);
                reported += report(kind, rec, &boiler_id(&rec.id, at), on_defect);
            }
            for (i, b) in boilers.iter().enumerate() {
                self.write_boiler(rec, i, b)?;
            }
        }
        if let Some(water) = rec.wastewater.filter(|&w| w > 0.0) {
            let mut outlets = self.outlets_of(rec, water);
            let kind = self.child_kind(clean, false, |k| outlets_fit(k, &outlets));
            if let Some(kind) = kind {
                let at = self.lay_on_outlets(kind, &mut outlets);
                reported += report(kind, rec, &outlet_id(&rec.id, at), on_defect);
            }
            for (i, o) in outlets.iter().enumerate() {
                self.write_outlet(rec, i, o)?;
            }
        }
        Ok(reported)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.boilers.flush()?;
        self.outlets.flush()
    }

    /// The child defect for the object at hand: a chance draw arms the next kind of its family,
    /// which waits for a clean object that fits it.
    fn child_kind(
        &mut self,
        clean: bool,
        boiler: bool,
        fits: impl Fn(ChildKind) -> bool,
    ) -> Option<ChildKind> {
        let draw = self.rng.chance(CHILD_DEFECT_CHANCE);
        let (armed, queue, family) = match boiler {
            true => (
                &mut self.armed_boiler,
                &mut self.boiler_queue,
                &ChildKind::BOILER[..],
            ),
            false => (
                &mut self.armed_outlet,
                &mut self.outlet_queue,
                &ChildKind::OUTLET[..],
            ),
        };
        if !clean {
            return None;
        }
        if armed.is_none() && draw {
            if queue.is_empty() {
                let mut round = family.to_vec();
                for i in (1..round.len()).rev() {
                    round.swap(i, self.rng.below(i + 1));
                }
                queue.extend(round);
            }
            *armed = queue.pop_front();
        }
        armed.filter(|&k| fits(k)).and_then(|_| armed.take())
    }

    /// 1–4 boilers sharing the coal (each at least a tenth of it) and its SO2 in proportion.
    fn boilers_of(&mut self, rec: &Record, coal: f64) -> Vec<Boiler> {
        let units = (coal * 10.0).round() as i64;
        let n = (self.rng.int(1, 4) as usize).min((units / 10).max(1) as usize);
        let coal_parts = split(&mut self.rng, units, n);
        let gen_total = rec
            .so2_gen
            .map(|g| (g.abs() * POLLUTANT_UNITS).round() as i64);
        let emit_total = rec.so2_emit.map(|e| (e * POLLUTANT_UNITS).round() as i64);
        let generated = gen_total.map(|g| proportional(g, &coal_parts, units));
        let emit = emit_total.map(|e| proportional(e, &coal_parts, units));
        let fuel = *self.rng.pick(&FUELS);
        (0..n)
            .map(|i| {
                let so2_gen = generated.as_ref().map(|g| g[i]);
                let so2_emit = emit.as_ref().map(|e| match so2_gen {
                    Some(g) => e[i].min(g),
                    None => e[i],
                });
                Boiler {
                    fuel,
                    coal: coal_parts[i],
                    so2_gen,
                    so2_emit,
                }
            })
            .collect()
    }

    /// 1–4 outlets sharing the wastewater (each at least a tenth of it) and its COD.
    fn outlets_of(&mut self, rec: &Record, water: f64) -> Vec<Outlet> {
        let units = water.round() as i64;
        let n = (self.rng.int(1, 4) as usize).min((units / 10).max(1) as usize);
        let parts = split(&mut self.rng, units, n);
        let cod = rec
            .cod_emit
            .map(|c| proportional((c * POLLUTANT_UNITS).round() as i64, &parts, units));
        (0..n)
            .map(|i| Outlet {
                water: Some(parts[i]),
                cod: cod.as_ref().map(|c| c[i]),
            })
            .collect()
    }

    /// Lays a boiler kind; returns the boiler it went on.
    fn lay_on_boilers(&mut self, kind: ChildKind, boilers: &mut [Boiler]) -> usize {
        match kind {
            BoilerSo2Tenfold => {
                let at = self.rng.below(boilers.len());
                boilers[at].so2_gen = boilers[at].so2_gen.map(|g| g * 10);
                at
            }
            BoilerCoalInKg => {
                let at = self.rng.below(boilers.len());
                boilers[at].coal *= 1000;
                at
            }
            BoilerCoalOverTotal => {
                let at = (0..boilers.len())
                    .min_by_key(|&i| boilers[i].coal)
                    .unwrap_or(0);
                boilers[at].coal += (boilers[at].coal + 1) / 2;
                at
            }
            BoilerGenBelowEmit => {
                let with_emit: Vec<usize> = (0..boilers.len())
                    .filter(|&i| boilers[i].so2_emit.is_some_and(|e| e >= 10))
                    .collect();
                let at = *self.rng.pick(&with_emit);
                let share = self.rng.int(70, 90);
                boilers[at].so2_gen = boilers[at].so2_emit.map(|e| e * share / 100);
                at
            }
            _ => {
                let at = (0..boilers.len())
                    .find(|&i| desulphurised(&boilers[i]))
                    .unwrap_or(0);
                boilers[at].so2_emit = boilers[at].so2_gen;
                at
            }
        }
    }

    fn lay_on_outlets(&mut self, kind: ChildKind, outlets: &mut [Outlet]) -> usize {
        if kind == OutletWaterOverTotal {
            let at = (0..outlets.len())
                .min_by_key(|&i| outlets[i].water)
                .unwrap_or(0);
            outlets[at].water = outlets[at].water.map(|w| w + (w + 1) / 2);
            return at;
        }
        let with_cod: Vec<usize> = (0..outlets.len())
            .filter(|&i| outlets[i].cod.is_some_and(|c| c > 0))
            .collect();
        let at = *self.rng.pick(&with_cod);
        match kind {
            OutletCodInKg => outlets[at].cod = outlets[at].cod.map(|c| c * 1000),
            _ => outlets[at].water = None,
        }
        at
    }

    fn num(&mut self, units: Option<i64>, per: f64, d: u32) -> csv::Result<()> {
        self.buf.clear();
        if let Some(u) = units {
            write_fixed(&mut self.buf, q(u as f64 / per, d), d);
        }
        Ok(())
    }

    fn write_boiler(&mut self, rec: &Record, i: usize, b: &Boiler) -> io::Result<()> {
        use decimals::*;
        self.boilers.write_field(boiler_id(&rec.id, i))?;
        self.boilers.write_field(&rec.id)?;
        self.boilers.write_field(b.fuel)?;
        self.num(Some(b.coal), 10.0, COAL)?;
        self.boilers.write_field(&self.buf)?;
        self.buf.clear();
        if let Some(s) = rec.sulfur {
            write_fixed(&mut self.buf, s, PERCENT);
        }
        self.boilers.write_field(&self.buf)?;
        self.num(b.so2_gen, POLLUTANT_UNITS, POLLUTANT)?;
        self.boilers.write_field(&self.buf)?;
        self.num(b.so2_emit, POLLUTANT_UNITS, POLLUTANT)?;
        self.boilers.write_field(&self.buf)?;
        self.boilers.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn write_outlet(&mut self, rec: &Record, i: usize, o: &Outlet) -> io::Result<()> {
        use decimals::*;
        self.outlets.write_field(outlet_id(&rec.id, i))?;
        self.outlets.write_field(&rec.id)?;
        self.num(o.water, 1.0, WATER)?;
        self.outlets.write_field(&self.buf)?;
        self.num(o.cod, POLLUTANT_UNITS, POLLUTANT)?;
        self.outlets.write_field(&self.buf)?;
        self.outlets.write_record(None::<&[u8]>)?;
        Ok(())
    }
}

/// A boiler of a desulphurising plant: it emits less SO2 than it makes.
fn desulphurised(b: &Boiler) -> bool {
    matches!((b.so2_gen, b.so2_emit), (Some(g), Some(e)) if e < g)
}

fn boilers_fit(kind: ChildKind, boilers: &[Boiler]) -> bool {
    match kind {
        BoilerSo2Tenfold => boilers.iter().all(|b| b.so2_gen.is_some_and(|g| g > 0)),
        BoilerCoalInKg => true,
        BoilerCoalOverTotal => boilers.len() >= 2,
        BoilerEmitAsGenerated => boilers.iter().any(desulphurised),
        BoilerGenBelowEmit => boilers.iter().any(|b| b.so2_emit.is_some_and(|e| e >= 10)),
        _ => false,
    }
}

fn outlets_fit(kind: ChildKind, outlets: &[Outlet]) -> bool {
    if kind == OutletWaterOverTotal {
        return outlets.len() >= 2;
    }
    matches!(kind, OutletCodInKg | OutletWithoutWastewater)
        && outlets.iter().any(|o| o.cod.is_some_and(|c| c > 0))
}

/// Reports a child kind: the child row for the child's rules, the parent for its own.
fn report(
    kind: ChildKind,
    parent: &Record,
    child_key: &str,
    on_defect: &mut impl FnMut(Defect),
) -> u64 {
    let mut rows = 0;
    for (key, rules) in [
        (child_key, kind.child_rules()),
        (parent.id.as_str(), kind.parent_rules()),
    ] {
        if !rules.is_empty() {
            on_defect(Defect {
                key: key.to_string(),
                rules: rules.to_vec(),
                description: kind.description(),
                description_zh: kind.description_zh(),
            });
            rows += 1;
        }
    }
    rows
}

pub fn boiler_id(record: &str, i: usize) -> String {
    format!("{record}-{:02}", i + 1)
}

pub fn outlet_id(record: &str, i: usize) -> String {
    format!("{record}-W{:02}", i + 1)
}

/// `total` split into `n` positive parts, each drawn with a weight of 1–3 (so each is at least
/// a tenth of the total, give or take a unit); the last takes what is left.
fn split(rng: &mut Rng, total: i64, n: usize) -> Vec<i64> {
    let weights: Vec<i64> = (0..n).map(|_| rng.int(100, 300)).collect();
    let sum: i64 = weights.iter().sum();
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|&w| (i128::from(total) * i128::from(w) / i128::from(sum)) as i64)
        .collect();
    let given: i64 = parts[..n - 1].iter().sum();
    parts[n - 1] = total - given;
    parts
}

/// `total` shared in proportion to `parts` (which add up to `of`); the last takes what is left.
fn proportional(total: i64, parts: &[i64], of: i64) -> Vec<i64> {
    let n = parts.len();
    let mut out: Vec<i64> = parts
        .iter()
        .map(|&p| (i128::from(total) * i128::from(p) / i128::from(of.max(1))) as i64)
        .collect();
    let given: i64 = out[..n - 1].iter().sum();
    out[n - 1] = total - given;
    out
}
