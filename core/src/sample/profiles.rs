//! Plant profiles: what a plant of each kind burns, discharges and emits, as ranges the generator
//! draws from. Magnitudes are per 10k yuan (万元) of output, so they scale with the plant.
//!
//! Most of the file is one data table, `params`.

/// What kind of plant a class is, for its emissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Power,
    Heat,
    GasSupply,
    WaterSupply,
    CoalMining,
    OilExtraction,
    OreMining,
    Quarrying,
    Food,
    Brewing,
    Textile,
    Tannery,
    Wood,
    Furniture,
    Paper,
    Printing,
    Refining,
    Chemical,
    Coating,
    Pharma,
    Tyre,
    Plastics,
    Cement,
    BuildingMaterial,
    Steel,
    NonFerrous,
    Machinery,
    Vehicles,
    Electronics,
    Recycling,
}

use Profile::*;

/// How plants of a profile behave. Ranges are `(low, high)`.
pub struct Params {
    /// Weights of scale 1 大型, 2 中型, 3 小型, 4 微型.
    pub scale: [u32; 4],
    /// Normal production hours.
    pub hours: (f64, f64),
    /// Probability of burning fuel coal.
    pub coal: f64,
    /// Probability of desulphurisation for a coal burner.
    pub desulf: f64,
    /// Desulphurisation efficiency, %.
    pub eff: (f64, f64),
    /// Whether coal burners here also run denitrification.
    pub denox: bool,
    /// Water intake, t per 万元 of output.
    pub water: (f64, f64),
    /// Probability of discharging industrial wastewater.
    pub discharge: f64,
    /// COD concentration of the discharge, mg/L.
    pub cod: (f64, f64),
    /// NH3-N concentration of the discharge, mg/L.
    pub nh3n: (f64, f64),
    /// Probability of NOx from gas-fired boilers or kilns in a plant without coal.
    pub gas_nox: f64,
    /// Probability of process particulate (grinding, cutting, kilns, mining).
    pub pm: f64,
    /// Process particulate generated, t per 万元.
    pub pm_rate: (f64, f64),
    /// VOCs emitted, kg per 万元, for plants that emit them.
    pub vocs: (f64, f64),
    /// Probability of VOC emissions outside the R26 list.
    pub voc_other: f64,
    /// Process solid waste, t per 万元.
    pub waste: (f64, f64),
}

const BASE: Params = Params {
    scale: [2, 10, 45, 43],
    hours: (2000.0, 7200.0),
    coal: 0.0,
    desulf: 0.5,
    eff: (65.0, 90.0),
    denox: false,
    water: (1.0, 6.0),
    discharge: 0.1,
    cod: (40.0, 200.0),
    nh3n: (2.0, 20.0),
    gas_nox: 0.15,
    pm: 0.2,
    pm_rate: (0.002, 0.02),
    vocs: (0.5, 4.0),
    voc_other: 0.0,
    waste: (0.01, 0.2),
};

/// The parameters of a profile.
///
/// A data table, one arm per profile giving what differs from `BASE`. It is long because
/// there are thirty profiles; as a `match` it stays exhaustive, so a new profile does not
/// compile without its row.
pub fn params(profile: Profile) -> Params {
    match profile {
        Power => Params {
            scale: [40, 45, 15, 0],
            hours: (6500.0, 8760.0),
            coal: 0.95,
            desulf: 1.0,
            eff: (92.0, 98.5),
            denox: true,
            water: (20.0, 80.0),
            discharge: 0.6,
            cod: (20.0, 60.0),
            nh3n: (1.0, 8.0),
            pm: 0.0,
            ..BASE
        },
        Heat => Params {
            scale: [5, 35, 45, 15],
            hours: (2880.0, 4000.0),
            coal: 0.85,
            desulf: 0.9,
            eff: (80.0, 96.0),
            denox: true,
            water: (5.0, 20.0),
            discharge: 0.3,
            cod: (20.0, 60.0),
            nh3n: (1.0, 8.0),
            pm: 0.0,
            gas_nox: 0.9,
            ..BASE
        },
        GasSupply => Params {
            scale: [5, 25, 50, 20],
            hours: (8000.0, 8760.0),
            gas_nox: 0.6,
            pm: 0.0,
            discharge: 0.0,
            ..BASE
        },
        WaterSupply => Params {
            scale: [5, 30, 45, 20],
            hours: (8000.0, 8760.0),
            water: (200.0, 600.0),
            discharge: 0.5,
            cod: (10.0, 30.0),
            nh3n: (0.5, 3.0),
            pm: 0.0,
            gas_nox: 0.0,
            ..BASE
        },
        CoalMining => Params {
            scale: [25, 40, 30, 5],
            hours: (6000.0, 8000.0),
            coal: 0.6,
            water: (5.0, 20.0),
            discharge: 0.9,
            cod: (15.0, 60.0),
            nh3n: (0.5, 5.0),
            pm: 0.8,
            waste: (0.5, 3.0),
            ..BASE
        },
        OilExtraction => Params {
            scale: [30, 40, 25, 5],
            hours: (8000.0, 8760.0),
            coal: 0.2,
            water: (5.0, 30.0),
            discharge: 0.7,
            cod: (30.0, 120.0),
            nh3n: (1.0, 10.0),
            voc_other: 0.6,
            ..BASE
        },
        OreMining => Params {
            scale: [10, 30, 45, 15],
            hours: (4000.0, 7200.0),
            coal: 0.2,
            water: (3.0, 15.0),
            discharge: 0.6,
            cod: (15.0, 60.0),
            nh3n: (0.5, 5.0),
            pm: 0.9,
            pm_rate: (0.01, 0.08),
            waste: (1.0, 8.0),
            ..BASE
        },
        Quarrying => Params {
            scale: [2, 15, 50, 33],
            hours: (2000.0, 6000.0),
            water: (0.5, 3.0),
            discharge: 0.05,
            pm: 0.95,
            pm_rate: (0.02, 0.1),
            waste: (0.1, 1.0),
            ..BASE
        },
        Food => Params {
            coal: 0.3,
            water: (4.0, 25.0),
            discharge: 0.85,
            cod: (60.0, 400.0),
            nh3n: (3.0, 35.0),
            pm: 0.1,
            ..BASE
        },
        Brewing => Params {
            scale: [10, 30, 40, 20],
            coal: 0.4,
            water: (8.0, 30.0),
            discharge: 0.95,
            cod: (80.0, 400.0),
            nh3n: (3.0, 30.0),
            ..BASE
        },
        Textile => Params {
            coal: 0.35,
            water: (2.0, 20.0),
            discharge: 0.6,
            cod: (60.0, 300.0),
            nh3n: (2.0, 20.0),
            pm: 0.3,
            ..BASE
        },
        Tannery => Params {
            coal: 0.3,
            water: (10.0, 30.0),
            discharge: 0.95,
            cod: (100.0, 400.0),
            nh3n: (10.0, 40.0),
            voc_other: 0.3,
            ..BASE
        },
        Wood => Params {
            coal: 0.3,
            discharge: 0.05,
            pm: 0.9,
            pm_rate: (0.01, 0.05),
            voc_other: 0.5,
            ..BASE
        },
        Furniture => Params {
            coal: 0.05,
            discharge: 0.05,
            pm: 0.8,
            vocs: (2.0, 12.0),
            ..BASE
        },
        Paper => Params {
            scale: [10, 35, 40, 15],
            hours: (6000.0, 8400.0),
            coal: 0.7,
            desulf: 0.8,
            water: (30.0, 100.0),
            discharge: 0.95,
            cod: (50.0, 150.0),
            nh3n: (2.0, 12.0),
            ..BASE
        },
        Printing => Params {
            coal: 0.02,
            discharge: 0.1,
            pm: 0.05,
            vocs: (3.0, 20.0),
            ..BASE
        },
        Refining => Params {
            scale: [35, 40, 20, 5],
            hours: (7500.0, 8760.0),
            coal: 0.8,
            desulf: 0.95,
            eff: (85.0, 97.0),
            denox: true,
            water: (5.0, 20.0),
            discharge: 0.9,
            cod: (40.0, 150.0),
            nh3n: (3.0, 25.0),
            vocs: (3.0, 15.0),
            voc_other: 0.9,
            ..BASE
        },
        Chemical => Params {
            scale: [10, 30, 40, 20],
            hours: (6000.0, 8400.0),
            coal: 0.55,
            desulf: 0.8,
            eff: (75.0, 95.0),
            water: (5.0, 30.0),
            discharge: 0.85,
            cod: (50.0, 300.0),
            nh3n: (3.0, 35.0),
            vocs: (1.0, 8.0),
            voc_other: 0.5,
            ..BASE
        },
        Coating => Params {
            coal: 0.1,
            water: (1.0, 5.0),
            discharge: 0.4,
            cod: (60.0, 300.0),
            nh3n: (2.0, 15.0),
            vocs: (5.0, 25.0),
            ..BASE
        },
        Pharma => Params {
            scale: [8, 30, 42, 20],
            hours: (5000.0, 8000.0),
            coal: 0.4,
            desulf: 0.7,
            water: (8.0, 30.0),
            discharge: 0.9,
            cod: (60.0, 300.0),
            nh3n: (5.0, 35.0),
            vocs: (1.0, 8.0),
            ..BASE
        },
        Tyre => Params {
            scale: [20, 40, 30, 10],
            hours: (6000.0, 8400.0),
            coal: 0.6,
            desulf: 0.8,
            water: (2.0, 8.0),
            discharge: 0.4,
            cod: (40.0, 150.0),
            pm: 0.6,
            vocs: (1.0, 5.0),
            ..BASE
        },
        Plastics => Params {
            coal: 0.1,
            discharge: 0.1,
            pm: 0.2,
            voc_other: 0.6,
            ..BASE
        },
        Cement => Params {
            scale: [20, 40, 35, 5],
            hours: (5500.0, 7500.0),
            coal: 0.95,
            desulf: 0.6,
            eff: (60.0, 85.0),
            denox: true,
            water: (0.5, 3.0),
            discharge: 0.05,
            pm: 1.0,
            pm_rate: (0.05, 0.2),
            ..BASE
        },
        BuildingMaterial => Params {
            coal: 0.45,
            desulf: 0.6,
            water: (0.5, 4.0),
            discharge: 0.05,
            pm: 0.9,
            pm_rate: (0.02, 0.1),
            gas_nox: 0.4,
            ..BASE
        },
        Steel => Params {
            scale: [30, 40, 25, 5],
            hours: (7000.0, 8760.0),
            coal: 0.8,
            desulf: 0.9,
            eff: (80.0, 95.0),
            denox: true,
            water: (3.0, 15.0),
            discharge: 0.5,
            cod: (20.0, 80.0),
            nh3n: (1.0, 10.0),
            pm: 1.0,
            pm_rate: (0.02, 0.1),
            waste: (0.2, 1.5),
            ..BASE
        },
        NonFerrous => Params {
            scale: [20, 35, 35, 10],
            hours: (6000.0, 8760.0),
            coal: 0.5,
            desulf: 0.85,
            eff: (80.0, 95.0),
            water: (2.0, 10.0),
            discharge: 0.4,
            cod: (20.0, 80.0),
            pm: 0.9,
            waste: (0.2, 1.5),
            ..BASE
        },
        Machinery => Params {
            coal: 0.05,
            water: (0.5, 3.0),
            discharge: 0.15,
            cod: (40.0, 150.0),
            pm: 0.6,
            voc_other: 0.4,
            ..BASE
        },
        Vehicles => Params {
            scale: [8, 25, 45, 22],
            coal: 0.05,
            water: (0.5, 4.0),
            discharge: 0.4,
            cod: (40.0, 200.0),
            pm: 0.6,
            vocs: (1.0, 10.0),
            ..BASE
        },
        Electronics => Params {
            water: (1.0, 6.0),
            discharge: 0.3,
            cod: (30.0, 150.0),
            pm: 0.1,
            voc_other: 0.3,
            ..BASE
        },
        Recycling => Params {
            coal: 0.1,
            water: (0.5, 3.0),
            discharge: 0.1,
            pm: 0.8,
            waste: (0.2, 1.0),
            ..BASE
        },
    }
}
