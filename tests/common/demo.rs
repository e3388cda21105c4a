//! The demo workspace, as `huishen demo --workspace PATH` builds it with standard input not a
//! terminal: the Shandong sample's schema and 2,000 records, the census rules, a full check
//! and the sample team 张三 (县级审核, 3701), 李四 (市级审核, 37) and 王五 (省级审核,
//! everywhere). Each test binary builds it once with the real binary; every test gets a fresh
//! copy in its own scratch folder (building takes a moment, copying a millisecond).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use predicates::str::contains;

use super::db::fold_wal;
use super::seeded::seeded_flags;
use super::{Scratch, act, huishen};

/// The file name of the demo workspace in a test's scratch folder; messages name it so.
pub const DEMO: &str = "demo.huishen";

// Records of the sample the tests act on (keys from the defects table of
// sample-data/README.md).
/// R15: PM emitted entered in kg (16.4 for 0.0164 t); region 370211 (Qingdao); only that flag.
pub const PM_KG: &str = "G3702110001616";
/// R15 as well; region 370214.
pub const PM_KG_2: &str = "G3702140001937";
/// R21 (warning): cement kiln, SO2 far below the coal sulphur balance; region 371425.
pub const KILN: &str = "G3714250000019";
/// R20 (error) and R21 (warning): fuel coal burned with SO2 0; region 370704.
pub const COAL_NO_SO2: &str = "G3707040000041";
/// R22: wastewater discharged without receiving water; region 370105, inside 张三's 3701.
pub const NO_RIVER: &str = "G3701050000066";
/// R19: fuel coal without its sulphur content; region 370102, inside 3701.
pub const NO_SULPHUR: &str = "G3701020000108";
/// R29 (warning): SO2 intensity far above its division's peers; region 370105.
pub const OUTLIER: &str = "G3701050000123";
/// No flag at all; region 370115 (inside 3701).
pub const CLEAN_JINAN: &str = "G3701150000003";
/// No flag at all; region 370116 (inside 3701).
pub const CLEAN_JINAN_2: &str = "G3701160000006";
/// No flag at all; region 370213 (Qingdao, outside 3701).
pub const CLEAN_QINGDAO: &str = "G3702130000008";
/// R04 and R05: a Jiangsu border county (320722), outside Shandong.
pub const JIANGSU: &str = "G3207220000145";
/// R27 pair: the same credit code twice in county 371703.
pub const TWICE_A: &str = "G3717030000109";
pub const TWICE_B: &str = "G3717030000110";

/// A fresh copy of the demo workspace at [`DEMO`] in the scratch folder.
pub fn demo(s: &Scratch) -> PathBuf {
    let ws = s.path(DEMO);
    std::fs::copy(demo_template(), &ws).expect("copying the demo workspace");
    ws
}

/// The demo workspace of this test binary, built on first use with the binary.
pub fn demo_template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let ws = template_dir("demo").join(DEMO);
        huishen()
            .arg("demo")
            .arg("--workspace")
            .arg(&ws)
            .assert()
            .success()
            .stdout(contains(format!(
                "rule set 1: {} flags opened, 0 resolved",
                seeded_flags()
            )))
            .stdout(contains(
                "(standard input or output is not a terminal, so the review screen was not opened)",
            ));
        fold_wal(&ws);
        ws
    })
}

/// A fresh copy of the demo workspace after a short review session by the team, at [`DEMO`]
/// in the scratch folder:
///
/// - [`PM_KG`]: 王五 corrects the unit error (16.4 → 0.0164, 单位换算错误); 王五 and 李四 sign
///   it: locked.
/// - [`NO_RIVER`]: 张三 fills in the receiving water (小清河) and corrects it again
///   (小清河（济南段）); 王五 and 李四 sign it; 王五 reopens it (受纳水体名称需按名录填写);
///   张三 notes 待企业确认受纳水体名称: it awaits sign-off again.
/// - [`KILN`]: 王五 explains the R21 warning (水泥窑固硫，经现场核查数据无误).
/// - [`COAL_NO_SO2`]: 王五 corrects so2_gen_t to 12.5 and undoes it.
/// - [`NO_SULPHUR`]: 张三 fills in the coal sulphur content (0.8), which R21 then flags.
pub fn reviewed(s: &Scratch) -> PathBuf {
    let ws = s.path(DEMO);
    std::fs::copy(reviewed_template(), &ws).expect("copying the reviewed workspace");
    ws
}

/// The reviewed demo workspace of this test binary, built on first use.
pub fn reviewed_template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let ws = template_dir("reviewed").join(DEMO);
        std::fs::copy(demo_template(), &ws).expect("copying the demo workspace");
        act(&ws, "王五", PM_KG, |s, r, v| {
            s.correct(r, v, "pm_emit_t", "0.0164", "单位换算错误")
        });
        assert!(!act(&ws, "王五", PM_KG, |s, r, v| s.sign(r, v)));
        assert!(act(&ws, "李四", PM_KG, |s, r, v| s.sign(r, v)));
        act(&ws, "张三", NO_RIVER, |s, r, v| {
            s.correct(r, v, "receiving_water", "小清河", "企业核实")
        });
        act(&ws, "张三", NO_RIVER, |s, r, v| {
            s.correct(r, v, "receiving_water", "小清河（济南段）", "企业核实")
        });
        assert!(!act(&ws, "王五", NO_RIVER, |s, r, v| s.sign(r, v)));
        assert!(act(&ws, "李四", NO_RIVER, |s, r, v| s.sign(r, v)));
        act(&ws, "王五", NO_RIVER, |s, r, v| {
            s.reopen(r, v, "受纳水体名称需按名录填写")
        });
        act(&ws, "张三", NO_RIVER, |s, r, v| {
            s.note(r, v, "待企业确认受纳水体名称")
        });
        act(&ws, "王五", KILN, |s, r, v| {
            s.explain(r, v, "R21", "水泥窑固硫，经现场核查数据无误")
        });
        act(&ws, "王五", COAL_NO_SO2, |s, r, v| {
            s.correct(r, v, "so2_gen_t", "12.5", "录入错误")
        });
        act(&ws, "王五", COAL_NO_SO2, |s, r, v| s.undo(r, v));
        act(&ws, "张三", NO_SULPHUR, |s, r, v| {
            s.correct(r, v, "coal_sulfur_pct", "0.8", "企业核实")
        });
        fold_wal(&ws);
        ws
    })
}

/// A new folder for a template of this test binary, under Cargo's temporary folder for
/// integration tests; templates of earlier runs more than an hour old are removed.
pub fn template_dir(what: &str) -> PathBuf {
    const PREFIX: &str = "huishen-template-";
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if old && entry.file_name().to_string_lossy().starts_with(PREFIX) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let exe = std::env::current_exe().expect("the test binary");
    let binary = exe
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = root.join(format!("{PREFIX}{what}-{binary}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a template folder");
    dir
}
