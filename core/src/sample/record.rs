//! One G101_1 row as the generator builds it, and its CSV form.
//!
//! Numbers are kept already rounded to the decimals they are written with ([`q`]), so what the
//! generator reasons about (emitted ≤ generated, concentrations, intensities) is exactly what a
//! reader of the file gets back.

use std::io::Write;

/// The G101_1 field names in schema order; the CSV columns follow it.
pub const FIELD_NAMES: [&str; 33] = [
    "record_id",
    "credit_code",
    "unit_name",
    "region_code",
    "longitude",
    "latitude",
    "industry_code",
    "scale_code",
    "open_year",
    "output_value_10k_yuan",
    "production_hours",
    "fuel_coal_t",
    "coal_sulfur_pct",
    "water_intake_t",
    "wastewater_t",
    "receiving_water",
    "cod_gen_t",
    "cod_emit_t",
    "nh3n_gen_t",
    "nh3n_emit_t",
    "has_gas_treatment",
    "gas_facility_count",
    "so2_gen_t",
    "so2_emit_t",
    "nox_gen_t",
    "nox_emit_t",
    "pm_gen_t",
    "pm_emit_t",
    "vocs_emit_kg",
    "desulf_eff_pct",
    "solid_waste_gen_t",
    "prev_so2_emit_t",
    "prev_output_value_10k_yuan",
];

/// Decimals written for each kind of quantity.
pub mod decimals {
    pub const DEGREES: u32 = 6;
    pub const OUTPUT: u32 = 1;
    pub const HOURS: u32 = 0;
    pub const COAL: u32 = 1;
    pub const PERCENT: u32 = 2;
    pub const WATER: u32 = 0;
    pub const POLLUTANT: u32 = 4;
    pub const VOCS: u32 = 1;
    pub const EFFICIENCY: u32 = 1;
    pub const WASTE: u32 = 1;
}

const POW10: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];

/// `x` rounded to `d` decimals: the double nearest to the decimal that [`write_fixed`] prints,
/// i.e. the value a reader parses back.
pub fn q(x: f64, d: u32) -> f64 {
    let p = POW10[d as usize];
    (x * p).round() / p
}

/// One record. `None` is a blank cell (NULL).
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub id: String,
    pub credit: String,
    pub name: String,
    pub region: &'static str,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub industry: &'static str,
    pub scale: u8,
    pub open_year: i64,
    pub output: f64,
    pub hours: f64,
    pub coal: Option<f64>,
    pub sulfur: Option<f64>,
    pub intake: Option<f64>,
    pub wastewater: Option<f64>,
    pub water_body: String,
    pub cod_gen: Option<f64>,
    pub cod_emit: Option<f64>,
    pub nh3n_gen: Option<f64>,
    pub nh3n_emit: Option<f64>,
    pub gas_treatment: bool,
    pub facilities: i64,
    pub so2_gen: Option<f64>,
    pub so2_emit: Option<f64>,
    pub nox_gen: Option<f64>,
    pub nox_emit: Option<f64>,
    pub pm_gen: Option<f64>,
    pub pm_emit: Option<f64>,
    pub vocs: Option<f64>,
    pub desulf: Option<f64>,
    pub waste: Option<f64>,
    pub prev_so2: Option<f64>,
    pub prev_output: Option<f64>,
}

/// Appends `x` with at most `d` decimals, trailing zeros dropped (`12.5`, `8760`, `0.0031`).
pub fn write_fixed(buf: &mut Vec<u8>, x: f64, d: u32) {
    let p = POW10[d as usize];
    let n = (x * p).round() as i64;
    if n < 0 {
        buf.push(b'-');
    }
    let n = n.unsigned_abs();
    let scale = p as u64;
    let (int, mut frac) = (n / scale, n % scale);
    // Integer part, most significant digit first.
    let start = buf.len();
    let mut v = int;
    loop {
        buf.push(b'0' + (v % 10) as u8);
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf[start..].reverse();
    if frac != 0 {
        let mut digits = d;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        buf.push(b'.');
        let start = buf.len();
        for _ in 0..digits {
            buf.push(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        buf[start..].reverse();
    }
}

/// Writes records to a CSV writer field by field, reusing one number buffer.
pub struct RowWriter<W: Write> {
    csv: csv::Writer<W>,
    buf: Vec<u8>,
}

impl<W: Write> RowWriter<W> {
    pub fn new(out: W) -> RowWriter<W> {
        RowWriter {
            csv: csv::WriterBuilder::new().from_writer(out),
            buf: Vec::with_capacity(32),
        }
    }

    pub fn header(&mut self, labels: &[String]) -> csv::Result<()> {
        self.csv.write_record(labels)
    }

    fn num(&mut self, x: Option<f64>, d: u32) -> csv::Result<()> {
        self.buf.clear();
        if let Some(x) = x {
            write_fixed(&mut self.buf, x, d);
        }
        self.csv.write_field(&self.buf)
    }

    fn int(&mut self, x: i64) -> csv::Result<()> {
        self.num(Some(x as f64), 0)
    }

    pub fn record(&mut self, r: &Record) -> csv::Result<()> {
        use decimals::*;
        self.csv.write_field(&r.id)?;
        self.csv.write_field(&r.credit)?;
        self.csv.write_field(&r.name)?;
        self.csv.write_field(r.region)?;
        self.num(r.lon, DEGREES)?;
        self.num(r.lat, DEGREES)?;
        self.csv.write_field(r.industry)?;
        self.int(i64::from(r.scale))?;
        self.int(r.open_year)?;
        self.num(Some(r.output), OUTPUT)?;
        self.num(Some(r.hours), HOURS)?;
        self.num(r.coal, COAL)?;
        self.num(r.sulfur, PERCENT)?;
        self.num(r.intake, WATER)?;
        self.num(r.wastewater, WATER)?;
        self.csv.write_field(&r.water_body)?;
        self.num(r.cod_gen, POLLUTANT)?;
        self.num(r.cod_emit, POLLUTANT)?;
        self.num(r.nh3n_gen, POLLUTANT)?;
        self.num(r.nh3n_emit, POLLUTANT)?;
        self.int(i64::from(r.gas_treatment))?;
        self.int(r.facilities)?;
        self.num(r.so2_gen, POLLUTANT)?;
        self.num(r.so2_emit, POLLUTANT)?;
        self.num(r.nox_gen, POLLUTANT)?;
        self.num(r.nox_emit, POLLUTANT)?;
        self.num(r.pm_gen, POLLUTANT)?;
        self.num(r.pm_emit, POLLUTANT)?;
        self.num(r.vocs, VOCS)?;
        self.num(r.desulf, EFFICIENCY)?;
        self.num(r.waste, WASTE)?;
        self.num(r.prev_so2, POLLUTANT)?;
        self.num(r.prev_output, OUTPUT)?;
        self.csv.write_record(None::<&[u8]>)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(x: f64, d: u32) -> String {
        let mut buf = Vec::new();
        write_fixed(&mut buf, x, d);
        String::from_utf8(buf).expect("ASCII")
    }

    #[test]
    fn fixed_point_drops_trailing_zeros() {
        assert_eq!(fixed(12.5, 1), "12.5");
        assert_eq!(fixed(8760.0, 0), "8760");
        assert_eq!(fixed(0.0031, 4), "0.0031");
        assert_eq!(fixed(0.25, 4), "0.25");
        assert_eq!(fixed(0.0, 4), "0");
        assert_eq!(fixed(-1234.0, 0), "-1234");
        assert_eq!(fixed(117.000_001, 6), "117.000001");
    }

    #[test]
    fn rounded_values_round_trip_through_text() {
        let mut x = 0.000_123_456_7;
        while x < 1e6 {
            for d in [0, 1, 2, 4, 6] {
                let v = q(x, d);
                let text = fixed(v, d);
                assert_eq!(text.parse::<f64>().ok(), Some(v), "{x} at {d} decimals");
            }
            x *= 1.37;
        }
    }
}
