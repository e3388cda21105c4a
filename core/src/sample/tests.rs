//! The committed sample and its generator must agree; `HUISHEN_REGENERATE_SAMPLE=1 cargo test
//! --lib sample::` rewrites the committed files instead of comparing them.

use super::*;

const CSV_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../sample-data/shandong-2017/g101_1.csv"
);
const GBK_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../sample-data/shandong-2017/g101_1_gbk.csv"
);
const BOILERS_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../sample-data/shandong-2017/g103_1.csv"
);
const OUTLETS_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../sample-data/shandong-2017/g102.csv"
);
const README_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../sample-data/README.md");

const COMMITTED_CSV: &[u8] = include_bytes!("../../../sample-data/shandong-2017/g101_1.csv");
const COMMITTED_GBK: &[u8] = include_bytes!("../../../sample-data/shandong-2017/g101_1_gbk.csv");
const COMMITTED_README: &str = include_str!("../../../sample-data/README.md");

/// Records in the GBK slice.
const GBK_RECORDS: usize = 200;

const DEFECTS_BEGIN: &str = "<!-- defects:begin -->";
const DEFECTS_END: &str = "<!-- defects:end -->";
const KINDS_BEGIN: &str = "<!-- kinds:begin -->";
const KINDS_END: &str = "<!-- kinds:end -->";

fn regenerating() -> bool {
    std::env::var_os("HUISHEN_REGENERATE_SAMPLE").is_some_and(|v| v == "1")
}

fn run(records: u64, seed: u64) -> (Vec<u8>, Vec<Defect>, SampleSummary) {
    let mut csv = Vec::new();
    let mut defects = Vec::new();
    let summary = generate(&SampleOptions { records, seed }, &mut csv, |d| {
        defects.push(d)
    })
    .expect("writing to memory cannot fail");
    (csv, defects, summary)
}

fn committed_sample() -> (Vec<u8>, Vec<Defect>, SampleSummary) {
    run(2000, DEFAULT_SEED)
}

/// The census objects of a run: records, boilers, outlets, defects.
fn run_objects(records: u64, seed: u64) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<Defect>) {
    let (mut csv, mut boilers, mut outlets) = (Vec::new(), Vec::new(), Vec::new());
    let mut defects = Vec::new();
    generate_objects(
        &SampleOptions { records, seed },
        &mut csv,
        &mut boilers,
        &mut outlets,
        |d| defects.push(d),
    )
    .expect("writing to memory cannot fail");
    (csv, boilers, outlets, defects)
}

/// The first `lines` lines of `text`, each with its newline.
fn first_lines(text: &str, lines: usize) -> &str {
    let end = text
        .match_indices('\n')
        .nth(lines - 1)
        .map_or(text.len(), |(i, _)| i + 1);
    &text[..end]
}

/// The text between two marker lines.
fn between<'a>(text: &'a str, begin: &str, end: &str) -> &'a str {
    let start = text.find(begin).map_or(0, |i| i + begin.len());
    let stop = text[start..].find(end).map_or(text.len(), |i| start + i);
    text[start..stop].trim()
}

fn replace_between(text: &str, begin: &str, end: &str, body: &str) -> String {
    let start = text.find(begin).expect("README has the begin marker") + begin.len();
    let stop = start + text[start..].find(end).expect("README has the end marker");
    format!("{}\n{}{}", &text[..start], body, &text[stop..])
}

#[test]
fn committed_csv_is_the_generator_output() {
    let (csv, defects, _) = committed_sample();
    if regenerating() {
        let (_, boilers, outlets, _) = run_objects(2000, DEFAULT_SEED);
        std::fs::write(BOILERS_PATH, &boilers).expect("write g103_1.csv");
        std::fs::write(OUTLETS_PATH, &outlets).expect("write g102.csv");
        std::fs::write(CSV_PATH, &csv).expect("write g101_1.csv");
        let text = String::from_utf8(csv).expect("UTF-8");
        let (gbk, _, had_errors) = encoding_rs::GBK.encode(first_lines(&text, GBK_RECORDS + 1));
        assert!(!had_errors, "the slice has characters GBK lacks");
        std::fs::write(GBK_PATH, &gbk).expect("write g101_1_gbk.csv");
        let readme = std::fs::read_to_string(README_PATH).expect("read README");
        let readme = replace_between(
            &readme,
            KINDS_BEGIN,
            KINDS_END,
            &defect_kinds_markdown(&defects),
        );
        let readme = replace_between(
            &readme,
            DEFECTS_BEGIN,
            DEFECTS_END,
            &defects_markdown(&defects),
        );
        std::fs::write(README_PATH, readme).expect("write README");
        return;
    }
    assert!(
        csv == COMMITTED_CSV,
        "sample-data/shandong-2017/g101_1.csv differs from generate(2000, seed 2017); \
         regenerate with HUISHEN_REGENERATE_SAMPLE=1 cargo test --lib sample::"
    );
}

#[test]
fn committed_child_files_are_the_generator_output() {
    if regenerating() {
        return;
    }
    let (csv, boilers, outlets, defects) = run_objects(2000, DEFAULT_SEED);
    assert!(
        csv == COMMITTED_CSV,
        "the records do not depend on the child files"
    );
    assert!(
        boilers == BOILERS_CSV && outlets == OUTLETS_CSV,
        "sample-data/shandong-2017/g103_1.csv or g102.csv differs from generate_objects(2000, \
         seed 2017); regenerate with HUISHEN_REGENERATE_SAMPLE=1 cargo test --lib sample::"
    );
    assert_eq!(defects, committed_sample().1);
}

#[test]
fn objects_have_about_two_children_each_and_every_child_kind() {
    let (csv, boilers, outlets, defects) = run_objects(2000, DEFAULT_SEED);
    let rows = |b: &[u8]| String::from_utf8_lossy(b).lines().count() - 1;
    let (records, children) = (rows(&csv), rows(&boilers) + rows(&outlets));
    let per_object = children as f64 / records as f64;
    assert!(
        (1.5..=2.5).contains(&per_object),
        "{per_object} children per object"
    );
    for kind in ChildKind::ALL {
        let n = defects
            .iter()
            .filter(|d| d.description == kind.description())
            .count();
        assert!(n >= 2, "{kind:?} seeded {n} times");
    }
    // Every child names a parent of the file, written before it.
    let keys: std::collections::HashSet<String> = String::from_utf8_lossy(&csv)
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    for file in [&boilers, &outlets] {
        for line in String::from_utf8_lossy(file).lines().skip(1) {
            let parent = line.split(',').nth(1).unwrap_or_default();
            assert!(keys.contains(parent), "{line}");
        }
    }
}

#[test]
fn one_seed_gives_one_set_of_child_files() {
    let (_, b1, o1, _) = run_objects(300, 7);
    let (_, b2, o2, _) = run_objects(300, 7);
    assert!(b1 == b2 && o1 == o2);
    let (_, b3, _, _) = run_objects(300, 8);
    assert!(b1 != b3);
}

#[test]
fn gbk_slice_decodes_to_the_first_201_lines() {
    if regenerating() {
        return;
    }
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(COMMITTED_GBK);
    assert!(!had_errors);
    let utf8 = std::str::from_utf8(COMMITTED_CSV).expect("UTF-8");
    assert_eq!(text, first_lines(utf8, GBK_RECORDS + 1));
    assert_eq!(text.lines().count(), GBK_RECORDS + 1);
}

#[test]
fn readme_lists_every_seeded_defect_and_kind() {
    if regenerating() {
        return;
    }
    let (_, defects, _) = committed_sample();
    assert_eq!(
        between(COMMITTED_README, DEFECTS_BEGIN, DEFECTS_END),
        defects_markdown(&defects).trim()
    );
    assert_eq!(
        between(COMMITTED_README, KINDS_BEGIN, KINDS_END),
        defect_kinds_markdown(&defects).trim()
    );
}

#[test]
fn header_is_the_chinese_labels_in_schema_order() {
    let (csv, _, _) = run(1, 1);
    let text = String::from_utf8(csv).expect("UTF-8");
    let header = text.lines().next().unwrap_or_default();
    assert!(header.starts_with("普查对象记录号,统一社会信用代码,单位详细名称,区划代码,"));
    assert!(header.ends_with(",2016年环境统计二氧化硫排放量,2016年工业总产值"));
    assert_eq!(header.split(',').count(), FIELD_NAMES.len());
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn one_seed_gives_one_file_and_another_seed_another() {
    let (a, da, _) = run(600, 99);
    let (b, db, _) = run(600, 99);
    let (c, _, _) = run(600, 100);
    assert!(a == b);
    assert_eq!(da, db);
    assert!(a != c);
}

#[test]
fn defect_share_and_kinds_of_the_committed_sample() {
    let (csv, defects, summary) = committed_sample();
    assert_eq!(summary.records, 2000);
    assert_eq!(summary.defective_records, defects.len() as u64);
    // The records' own defects; the child kinds come on top (`objects_have_…`).
    let own = defects
        .iter()
        .filter(|d| Kind::ALL.iter().any(|k| k.description() == d.description))
        .count();
    let share = own as f64 / summary.records as f64;
    assert!((0.12..=0.18).contains(&share), "defect share {share}");
    for kind in Kind::ALL {
        let n = defects
            .iter()
            .filter(|d| d.description == kind.description())
            .count();
        assert!(n >= 2, "{kind:?} seeded {n} times");
    }
    let text = String::from_utf8(csv).expect("UTF-8");
    assert_eq!(text.lines().count(), 2001);
    assert!(!text.starts_with('\u{feff}'));
}

#[test]
fn keys_are_unique_and_defects_point_at_records() {
    let (csv, boilers, outlets, defects) = run_objects(3000, 5);
    let text = [csv, boilers, outlets]
        .map(|f| String::from_utf8(f).expect("UTF-8"))
        .join("");
    // Every file's first line is its header, which names no record.
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('G'))
        .filter_map(|l| l.split(',').next())
        .collect();
    let unique: std::collections::HashSet<&str> = keys.iter().copied().collect();
    assert_eq!(unique.len(), keys.len());
    for d in &defects {
        assert!(unique.contains(d.key.as_str()), "{}", d.key);
    }
}

#[test]
fn markdown_table_has_one_row_per_defect() {
    let defects = [Defect {
        key: "G3701020000001".into(),
        rules: vec!["R04", "R05"],
        description: "Jiangsu border county code, outside Shandong",
        description_zh: "区划代码为江苏邻县，不属本省",
    }];
    assert_eq!(
        defects_markdown(&defects),
        "| key | rules | defect |\n|---|---|---|\n\
         | G3701020000001 | R04, R05 | Jiangsu border county code, outside Shandong |\n"
    );
}

#[test]
fn most_records_have_their_2016_values() {
    let (csv, defects, _) = committed_sample();
    let mut reader = csv::Reader::from_reader(&csv[..]);
    let header = reader.headers().expect("a header").clone();
    let column = |label: &str| header.iter().position(|h| h == label).expect(label);
    let (key, output) = (column("普查对象记录号"), column("工业总产值（当年价格）"));
    let (prev_output, prev_so2) = (
        column("2016年工业总产值"),
        column("2016年环境统计二氧化硫排放量"),
    );
    let in_yuan: Vec<&str> = defects
        .iter()
        .filter(|d| d.description == Kind::OutputInYuan.description())
        .map(|d| d.key.as_str())
        .collect();
    let (mut records, mut with_output, mut with_so2) = (0, 0, 0);
    for row in reader.records() {
        let row = row.expect("a record");
        records += 1;
        with_so2 += usize::from(!row[prev_so2].is_empty());
        let Ok(prev) = row[prev_output].parse::<f64>() else {
            continue;
        };
        with_output += 1;
        let ratio = row[output].parse::<f64>().expect("an output") / prev;
        if in_yuan.contains(&&row[key]) {
            assert!(6500.0 < ratio && ratio < 13500.0, "{}: {ratio}", &row[key]);
        } else {
            assert!((0.79..=1.26).contains(&ratio), "{}: {ratio}", &row[key]);
        }
    }
    let share = |n: usize| n as f64 / records as f64;
    assert!((0.8..0.9).contains(&share(with_output)), "{with_output}");
    assert!((0.7..0.9).contains(&share(with_so2)), "{with_so2}");
}
