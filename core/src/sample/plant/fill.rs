//! Fills one clean record, step by step: size and age, what the plant burns and treats, its
//! coal and SO2, particulate, water, solid waste, and where and who it is.
//!
//! Every step draws from the one random stream, so the order of the steps, and of the draws
//! within each, is what makes a seed give the same file; keep it when changing anything here.

use super::{Force, Plants};
use crate::sample::industry::{self, Class};
use crate::sample::places::Place;
use crate::sample::profiles::{self, Params, Profile};
use crate::sample::record::{Record, decimals::*, q};
use crate::sample::rng::Rng;

/// What a plant burns, emits and treats, decided before the quantities are drawn.
#[derive(Debug, Clone, Copy)]
struct Air {
    coal: bool,
    process_pm: bool,
    gas_nox: bool,
    treated: bool,
    desulf: bool,
    denox: bool,
}

impl Plants {
    /// Fills `r` with a clean plant of `class` in `place`.
    pub fn fill(
        &mut self,
        r: &mut Record,
        serial: u64,
        place: &Place,
        class: &'static Class,
        force: Force,
    ) {
        let p = profiles::params(class.profile);
        size_and_age(&mut self.rng, r, &p, place, class);
        let air = Air::draw(&mut self.rng, r, &p, class, force);

        let (pm_gen, waste) = if air.coal {
            self.burn_coal(r, &p, class, air)
        } else {
            no_coal(&mut self.rng, r, air.gas_nox);
            (0.0, 0.0)
        };
        let rng = &mut self.rng;
        particulate(rng, r, &p, air, pm_gen);
        gas_treatment(rng, r, air);
        water(rng, r, &p, place, force);
        solid_waste(rng, r, &p, class, waste);
        self.identify(r, serial, place, class);
    }

    /// The coal burner's fuel, SO2 and NOx, and the 2016 SO2; returns the particulate and the
    /// solid waste its coal makes.
    ///
    /// SO2 comes from coal only. Its intensity (t per 10k yuan) is drawn evenly within the
    /// division's band; generation, coal and sulphur are worked back from it so the sulphur
    /// balance holds within ±15 %.
    fn burn_coal(&mut self, r: &mut Record, p: &Params, class: &Class, air: Air) -> (f64, f64) {
        let division = industry::division(class.code);
        let intensity = industry::so2_base(division) * (1.0 + self.spread_draw(division));
        let rng = &mut self.rng;
        let emit = q(intensity * r.output, POLLUTANT);
        let generated = if air.desulf {
            let eff = rng.range(p.eff.0, p.eff.1);
            let generated = q(emit / (1.0 - eff / 100.0), POLLUTANT);
            r.desulf = Some(q(100.0 * (generated - emit) / generated, EFFICIENCY));
            generated
        } else {
            r.desulf = None;
            emit
        };
        let sulfur = q(rng.range(0.4, 1.3), PERCENT);
        let coal_t = q(generated / (0.016 * sulfur * rng.range(0.85, 1.15)), COAL);
        r.coal = Some(coal_t);
        r.sulfur = Some(sulfur);
        r.so2_gen = Some(generated);
        r.so2_emit = Some(emit);
        let nox = q(coal_t * rng.range(0.004, 0.009), POLLUTANT);
        r.nox_gen = Some(nox);
        r.nox_emit = Some(if air.denox {
            q(nox * rng.range(0.15, 0.45), POLLUTANT)
        } else {
            nox
        });
        let pm_gen = coal_t * rng.range(0.08, 0.2);
        let waste = coal_t * rng.range(0.12, 0.25);
        r.prev_so2 = if r.open_year < 2017 && rng.chance(0.85) {
            Some(q(emit * rng.range(0.6, 1.4), POLLUTANT))
        } else {
            None
        };
        (pm_gen, waste)
    }

    /// Where and who the plant is: coordinates, credit code and unit name.
    fn identify(&mut self, r: &mut Record, serial: u64, place: &Place, class: &Class) {
        let (lon, lat) = self.coordinates(serial, place.centre, place.spread);
        r.lon = Some(lon);
        r.lat = Some(lat);
        let mut credit = std::mem::take(&mut r.credit);
        self.credit_code(&mut credit, serial, place.code, r.open_year);
        r.credit = credit;
        let mut name = std::mem::take(&mut r.name);
        self.unit_name(&mut name, place, class.word);
        r.name = name;
    }
}

impl Air {
    /// Draws what the plant burns and treats (and its VOCs, which decide whether it emits at
    /// all); `force` overrides the draws a defect depends on.
    fn draw(rng: &mut Rng, r: &mut Record, p: &Params, class: &Class, force: Force) -> Air {
        let coal = force.coal.unwrap_or_else(|| rng.chance(p.coal));
        let process_pm = force.pm || rng.chance(p.pm);
        let gas_nox = !coal && (force.nox || rng.chance(p.gas_nox));
        r.vocs = if industry::voc_relevant(class.code) || rng.chance(p.voc_other) {
            Some(q((r.output * rng.range(p.vocs.0, p.vocs.1)).max(1.0), VOCS))
        } else {
            None
        };
        let emits = coal || process_pm || gas_nox || r.vocs.is_some();
        let treated = force.desulf == Some(true)
            || force.treated.unwrap_or_else(|| emits && rng.chance(0.92));
        let desulf = coal && treated && force.desulf.unwrap_or_else(|| rng.chance(p.desulf));
        let denox = coal && treated && p.denox;
        Air {
            coal,
            process_pm,
            gas_nox,
            treated,
            desulf,
            denox,
        }
    }
}

/// Place, class, scale (drawn by the profile's weights), output, opening year and hours.
fn size_and_age(rng: &mut Rng, r: &mut Record, p: &Params, place: &Place, class: &Class) {
    let scale = {
        let total: u32 = p.scale.iter().sum();
        let mut x = rng.below(total as usize) as u32;
        let mut s = 0;
        while x >= p.scale[s] {
            x -= p.scale[s];
            s += 1;
        }
        s as u8 + 1
    };
    let output = match scale {
        1 => rng.skewed(50_000.0, 600_000.0),
        2 => rng.skewed(5_000.0, 50_000.0),
        3 => rng.skewed(500.0, 5_000.0),
        _ => rng.skewed(30.0, 500.0),
    };
    let u = rng.unit();
    let open_year = 2017 - (67.0 * u * u).floor() as i64;

    r.region = place.code;
    r.industry = class.code;
    r.scale = scale;
    r.open_year = open_year;
    r.output = q(output, OUTPUT);
    r.hours = q(rng.range(p.hours.0, p.hours.1), HOURS);
}

/// A plant without coal: no SO2, and NOx only from a gas boiler or kiln.
fn no_coal(rng: &mut Rng, r: &mut Record, gas_nox: bool) {
    r.coal = None;
    r.sulfur = None;
    r.so2_gen = None;
    r.so2_emit = None;
    r.desulf = None;
    r.prev_so2 = None;
    if gas_nox {
        let nox = q(r.output * rng.range(0.0002, 0.001), POLLUTANT);
        r.nox_gen = Some(nox);
        r.nox_emit = Some(nox);
    } else {
        r.nox_gen = None;
        r.nox_emit = None;
    }
}

/// Particulate generated (from the coal's `pm_gen` and the process) and emitted.
fn particulate(rng: &mut Rng, r: &mut Record, p: &Params, air: Air, mut pm_gen: f64) {
    if air.process_pm {
        pm_gen += r.output * rng.range(p.pm_rate.0, p.pm_rate.1);
    }
    if pm_gen > 0.0 {
        let generated = q(pm_gen, POLLUTANT);
        r.pm_gen = Some(generated);
        r.pm_emit = Some(if air.treated {
            q(generated * rng.range(0.002, 0.03), POLLUTANT)
        } else {
            generated
        });
    } else {
        r.pm_gen = None;
        r.pm_emit = None;
    }
}

/// The gas treatment flag and the number of facilities, at least one per treated pollutant.
fn gas_treatment(rng: &mut Rng, r: &mut Record, air: Air) {
    r.gas_treatment = air.treated;
    r.facilities = if air.treated {
        let parts = [air.desulf, air.denox, r.pm_gen.is_some(), r.vocs.is_some()];
        (parts.iter().filter(|&&b| b).count() as i64).max(1) + rng.int(0, 1)
    } else {
        0
    };
}

/// Water: every plant takes some; dischargers send it to a river or a treatment plant at a
/// concentration within 5–500 mg/L.
fn water(rng: &mut Rng, r: &mut Record, p: &Params, place: &Place, force: Force) {
    let mut intake = q((r.output * rng.range(p.water.0, p.water.1)).max(1.0), WATER);
    let discharge = force
        .discharge
        .unwrap_or_else(|| r.output >= 200.0 && rng.chance(p.discharge));
    if discharge {
        let share = rng.range(0.35, 0.85);
        let wastewater = q((intake * share).max(rng.range(2000.0, 6000.0)), WATER);
        intake = intake.max(q(wastewater / share, WATER));
        let cod = q(wastewater * rng.range(p.cod.0, p.cod.1) / 1e6, POLLUTANT);
        let nh3n = q(wastewater * rng.range(p.nh3n.0, p.nh3n.1) / 1e6, POLLUTANT);
        r.wastewater = Some(wastewater);
        r.cod_emit = Some(cod);
        r.cod_gen = Some(q(cod / (1.0 - rng.range(0.5, 0.95)), POLLUTANT));
        r.nh3n_emit = Some(nh3n);
        r.nh3n_gen = Some(q(nh3n / (1.0 - rng.range(0.4, 0.9)), POLLUTANT));
        r.water_body.clear();
        if rng.chance(0.45) {
            r.water_body.push_str(place.short);
            r.water_body.push_str("污水处理厂");
        } else {
            let water = *rng.pick(place.waters);
            r.water_body.push_str(water);
        }
    } else {
        r.wastewater = None;
        r.cod_emit = None;
        r.cod_gen = None;
        r.nh3n_emit = None;
        r.nh3n_gen = None;
        r.water_body.clear();
    }
    r.intake = Some(intake);
}

/// Solid waste: the coal's `waste` plus, for most plants (all coal mines), process waste.
fn solid_waste(rng: &mut Rng, r: &mut Record, p: &Params, class: &Class, mut waste: f64) {
    if rng.chance(0.6) || class.profile == Profile::CoalMining {
        waste += r.output * rng.range(p.waste.0, p.waste.1);
    }
    r.waste = (waste > 0.0).then(|| q(waste.max(0.1), WASTE));
}
