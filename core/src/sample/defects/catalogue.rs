//! The catalogue of defect kinds: the rules each makes fail, its descriptions in English and
//! Chinese, and how it is seeded, as the README's tables show them. A data table, one row per
//! kind in each function; the shaped kinds first, then the overlaid ones, then the slipped ones.

use super::Kind::{self, *};

impl Kind {
    /// The rules the defect makes fail, and no others.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            MissingCreditCode | MissingLongitude => &["R01"],
            LetterO => &["R02"],
            WrongCheck => &["R03"],
            PrefectureRegion | RetiredRegion => &["R04"],
            // A code from outside the province is also missing from the (Shandong) division table.
            OutsideProvince => &["R04", "R05"],
            NonIndustrial => &["R06"],
            Opened2018 => &["R07"],
            SwappedCoordinates => &["R08"],
            LeapYearHours => &["R09"],
            NegativeIntake => &["R10"],
            CodOverGenerated => &["R11"],
            Nh3nOverGenerated => &["R12"],
            So2OverGenerated => &["R13"],
            NoxOverGenerated => &["R14"],
            PmInKilograms => &["R15"],
            DesulfTenfold => &["R16"],
            FlagWithoutFacility => &["R17"],
            UntreatedSo2Reduced => &["R18"],
            CoalWithoutSulfur => &["R19"],
            // SO2 of 0 from burning coal is also off the sulphur balance.
            CoalWithoutSo2 => &["R20", "R21"],
            CementKiln => &["R21"],
            NoReceivingWater => &["R22"],
            CodWithoutWastewater => &["R23"],
            WastewaterOverIntake => &["R24"],
            CodConcentration => &["R25"],
            VocsZero => &["R26"],
            DuplicateInCounty => &["R27"],
            SharedAcrossCounties => &["R28"],
            IntensityOutlier => &["R29"],
            So2Jump => &["R30"],
            ForeignPrefectureCode => &["X01"],
            SharedCoordinates => &["X02"],
            NameUnderTwoCodes => &["X03"],
            ZeroHours => &["X04"],
            DesulfMisreported => &["X05"],
            CoalWithoutWaste => &["X06"],
            OutputInYuan => &["R31"],
            // Three linear rules (R10, R13, R20) that only a new SO2 generated satisfies
            // together, and the sulphur balance (R21), a product of fields.
            So2GenNegative => &["R10", "R13", "R20", "R21"],
        }
    }

    /// A short English description.
    pub fn description(self) -> &'static str {
        match self {
            MissingCreditCode => "credit code missing",
            MissingLongitude => "longitude missing",
            LetterO => "letter O typed for digit 0 in the credit code",
            WrongCheck => "credit code check character wrong",
            PrefectureRegion => "prefecture code entered as the division code",
            RetiredRegion => "retired division code (2019 list)",
            OutsideProvince => "Jiangsu border county code, outside Shandong",
            NonIndustrial => "non-industrial industry code",
            Opened2018 => "opened in 2018, after the census date",
            SwappedCoordinates => "longitude and latitude swapped",
            LeapYearHours => "8784 production hours (leap-year slip)",
            NegativeIntake => "negative water intake",
            CodOverGenerated => "COD emitted exceeds COD generated",
            Nh3nOverGenerated => "NH3-N emitted exceeds NH3-N generated",
            So2OverGenerated => "SO2 emitted exceeds SO2 generated",
            NoxOverGenerated => "NOx emitted exceeds NOx generated",
            PmInKilograms => "particulate emitted entered in kg instead of t",
            DesulfTenfold => "desulphurisation efficiency entered 10x (e.g. 950 for 95.0)",
            FlagWithoutFacility => "gas treatment flag 1 with 0 facilities",
            UntreatedSo2Reduced => "no gas treatment, yet SO2 emitted below generated",
            CoalWithoutSulfur => "fuel coal without sulphur content",
            CoalWithoutSo2 => "fuel coal burned with SO2 0",
            CementKiln => "cement kiln: SO2 far below the coal sulphur balance",
            NoReceivingWater => "wastewater discharged without receiving water",
            CodWithoutWastewater => "COD emitted without wastewater",
            WastewaterOverIntake => "wastewater above 105 % of water intake",
            CodConcentration => "implied COD concentration above 500 mg/L",
            VocsZero => "VOC-relevant industry reports VOCs 0",
            DuplicateInCounty => "same credit code twice in one county (entered twice)",
            SharedAcrossCounties => "one credit code in two counties of a prefecture",
            IntensityOutlier => "SO2 intensity far above division peers (output too small)",
            So2Jump => "SO2 fell more than 3x from 2016 (ultra-low-emission retrofit)",
            ForeignPrefectureCode => "credit code registered in another prefecture",
            SharedCoordinates => "coordinates identical to the record before (copied)",
            NameUnderTwoCodes => "same unit name as the record before, another credit code",
            ZeroHours => "0 production hours with an output",
            DesulfMisreported => "desulphurisation efficiency off the SO2 figures by over 5 points",
            CoalWithoutWaste => "fuel coal burned with solid waste 0",
            OutputInYuan => "output reported in yuan instead of 10k yuan",
            So2GenNegative => "SO2 generated entered with a minus sign",
        }
    }

    /// The Chinese description.
    pub fn description_zh(self) -> &'static str {
        match self {
            MissingCreditCode => "统一社会信用代码缺失",
            MissingLongitude => "中心经度缺失",
            LetterO => "信用代码中数字0误录为字母O",
            WrongCheck => "信用代码校验位错误",
            PrefectureRegion => "区划代码误填为地市级代码",
            RetiredRegion => "区划代码已撤销（沿用2019年旧代码）",
            OutsideProvince => "区划代码为江苏邻县，不属本省",
            NonIndustrial => "行业代码不属于工业",
            Opened2018 => "开业年份2018，晚于普查时点",
            SwappedCoordinates => "经纬度填反",
            LeapYearHours => "正常生产时间8784小时（按闰年计）",
            NegativeIntake => "取水量为负数",
            CodOverGenerated => "化学需氧量排放量大于产生量",
            Nh3nOverGenerated => "氨氮排放量大于产生量",
            So2OverGenerated => "二氧化硫排放量大于产生量",
            NoxOverGenerated => "氮氧化物排放量大于产生量",
            PmInKilograms => "颗粒物排放量按千克填报（单位错误）",
            DesulfTenfold => "脱硫效率多录一位（如95.0录为950）",
            FlagWithoutFacility => "有废气治理设施但设施数为0",
            UntreatedSo2Reduced => "无废气治理设施但二氧化硫排放量小于产生量",
            CoalWithoutSulfur => "有燃料煤消耗但未填含硫量",
            CoalWithoutSo2 => "有燃料煤消耗但二氧化硫产生量为0",
            CementKiln => "水泥窑固硫，二氧化硫产生量远低于硫平衡估算",
            NoReceivingWater => "有废水排放但未填受纳水体",
            CodWithoutWastewater => "有化学需氧量排放但无废水排放量",
            WastewaterOverIntake => "废水排放量超过取水量的105%",
            CodConcentration => "折算化学需氧量浓度超过500 mg/L",
            VocsZero => "涉VOCs行业挥发性有机物排放量为0",
            DuplicateInCounty => "同一区县内信用代码重复（重复填报）",
            SharedAcrossCounties => "同一信用代码出现在同市两个区县",
            IntensityOutlier => "二氧化硫排放强度远高于同行业（产值偏小）",
            So2Jump => "二氧化硫排放量较2016年下降超过3倍（超低排放改造）",
            ForeignPrefectureCode => "信用代码登记机关属其他地市",
            SharedCoordinates => "经纬度与上一条记录完全相同（复制）",
            NameUnderTwoCodes => "单位名称与上一条记录相同但信用代码不同",
            ZeroHours => "正常生产时间为0但有工业总产值",
            DesulfMisreported => "脱硫效率与二氧化硫产生量、排放量推算值相差超过5个百分点",
            CoalWithoutWaste => "有燃料煤消耗但一般工业固体废物产生量为0",
            OutputInYuan => "工业总产值按元填报（应为万元）",
            So2GenNegative => "二氧化硫产生量误录为负数",
        }
    }

    /// How the kind is seeded, for the README.
    pub fn seeding(self) -> &'static str {
        match self {
            MissingCreditCode => "credit code left blank",
            MissingLongitude => "longitude left blank",
            LetterO => "the first 0 of the organization code (or its first character) becomes O",
            WrongCheck => "the 18th character replaced by another symbol",
            PrefectureRegion => "region_code = the prefecture's code, e.g. 370100",
            RetiredRegion => "a plant registered under 371202, 371203, 370634, 370684 or 371523",
            OutsideProvince => {
                "a plant in 丰县, 沛县, 赣榆 or 东海 (inside Shandong's coordinate box)"
            }
            NonIndustrial => "industry_code 7211, 5162, 7320 or 5191 (a plant without coal)",
            Opened2018 => "open_year 2018, no 2016 SO2",
            SwappedCoordinates => "longitude and latitude exchanged",
            LeapYearHours => "production_hours 8784",
            NegativeIntake => "water intake negated (a plant without wastewater)",
            CodOverGenerated => "cod_gen_t set to 55–90 % of cod_emit_t",
            Nh3nOverGenerated => "nh3n_gen_t set to 55–90 % of nh3n_emit_t",
            So2OverGenerated => {
                "so2_gen_t set to 70–90 % of so2_emit_t (coal burner without desulphurisation)"
            }
            NoxOverGenerated => "NOx emitted = old generated, generated set to 60–90 % of it",
            PmInKilograms => "pm_emit_t multiplied by 1000",
            DesulfTenfold => "desulf_eff_pct multiplied by 10",
            FlagWithoutFacility => "has_gas_treatment 1, gas_facility_count 0",
            UntreatedSo2Reduced => {
                "a desulphurising plant reports has_gas_treatment 0 and 0 facilities"
            }
            CoalWithoutSulfur => "coal_sulfur_pct left blank",
            CoalWithoutSo2 => "so2_gen_t and so2_emit_t 0, no efficiency, no 2016 value",
            CementKiln => "a 3011 cement plant whose coal is 2.5–5x what its SO2 implies",
            NoReceivingWater => "receiving_water left blank",
            CodWithoutWastewater => "wastewater_t left blank",
            WastewaterOverIntake => "water intake set to 50–83 % of the wastewater",
            CodConcentration => "cod_emit_t recomputed at 1000–3000 mg/L",
            VocsZero => "vocs_emit_kg 0 in an R26 industry",
            DuplicateInCounty => {
                "the next record is a copy with its own key and nearby coordinates"
            }
            SharedAcrossCounties => {
                "the next record, in another county of the same prefecture, reuses the credit code"
            }
            IntensityOutlier => {
                "output divided by 15–30 in a division with at least 8 peers per outlier"
            }
            So2Jump => "prev_so2_emit_t set to 3.5–5x so2_emit_t",
            ForeignPrefectureCode => {
                "the credit code issued under a county of another prefecture (still valid)"
            }
            SharedCoordinates => {
                "a clean record takes the coordinates of the clean record before it"
            }
            NameUnderTwoCodes => "a clean record takes the unit name of the clean record before it",
            ZeroHours => "production_hours 0",
            DesulfMisreported => {
                "desulf_eff_pct moved 8–20 points from (generated - emitted) / generated, within 0–100"
            }
            CoalWithoutWaste => "solid_waste_gen_t 0 at a coal burner",
            OutputInYuan => {
                "output_value_10k_yuan multiplied by 10,000 (a plant without SO2, with a 2016 output)"
            }
            So2GenNegative => {
                "so2_gen_t negated at a coal burner, one record in every 700 (third random stream)"
            }
        }
    }
}
