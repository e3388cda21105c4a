//! The csv-spectrum acid test (tests/fixtures/csv-spectrum, BSD-2-Clause): every case imports
//! into a workspace and reads back as its expected JSON. An empty cell is stored as NULL, which
//! the JSON writes as "".

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::{Scratch, huishen, stored_rows};

const CASES: &[&str] = &[
    "comma_in_quotes",
    "empty",
    "empty_crlf",
    "escaped_quotes",
    "json",
    "newlines",
    "newlines_crlf",
    "quotes_and_newlines",
    "simple",
    "simple_crlf",
    "utf8",
];

fn fixture(kind: &str, case: &str, ext: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv-spectrum")
        .join(kind)
        .join(format!("{case}.{ext}"))
}

/// A schema with one text field per header, named c1, c2, … and labelled with the header.
fn schema_for(headers: &[String]) -> String {
    let mut schema = String::from(
        "[[form]]\nname = \"S\"\nlabel = { zh = \"样例\", en = \"Spectrum\" }\nkey = \"c1\"\n",
    );
    for (i, h) in headers.iter().enumerate() {
        schema.push_str(&format!(
            "\n[[form.field]]\nname = \"c{}\"\nlabel = {{ zh = \"{h}\", en = \"{h}\" }}\ntype = \"text\"\n",
            i + 1
        ));
    }
    schema
}

/// The cases named for CRLF hold CRLF line ends and the others none: git must keep the bytes
/// (tests/fixtures/.gitattributes), or the CRLF cases test nothing.
#[test]
fn the_crlf_cases_keep_their_line_ends() {
    for case in CASES {
        let bytes = std::fs::read(fixture("csvs", case, "csv")).unwrap();
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        let lf = bytes.iter().filter(|b| **b == b'\n').count();
        if case.ends_with("_crlf") {
            assert!(
                crlf > 0 && crlf == lf,
                "{case}: {crlf} CRLF of {lf} line ends"
            );
        } else {
            assert_eq!(crlf, 0, "{case} has CRLF line ends");
        }
    }
}

#[test]
fn every_case_reads_back_as_its_expected_json() {
    for case in CASES {
        let csv_path = fixture("csvs", case, "csv");
        let text = std::fs::read_to_string(&csv_path).unwrap();
        let headers: Vec<String> = text
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect();
        let expected: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(&std::fs::read_to_string(fixture("json", case, "json")).unwrap())
                .unwrap();

        let s = Scratch::new();
        let schema = s.write("s.toml", schema_for(&headers));
        let ws = s.path("s.huishen");
        huishen()
            .arg("init")
            .arg(&ws)
            .arg("--schema")
            .arg(&schema)
            .assert()
            .success();
        huishen()
            .arg("import")
            .arg(&ws)
            .arg("--form")
            .arg("S")
            .arg(&csv_path)
            .assert()
            .success();

        let stored = stored_rows(&ws, "S");
        assert_eq!(stored.len(), expected.len(), "{case}: row count");
        for (row, want) in stored.iter().zip(&expected) {
            for (i, h) in headers.iter().enumerate() {
                let want = want[h].as_str().unwrap();
                let got = row[i].as_deref().unwrap_or("");
                assert_eq!(got, want, "{case}: column {h}");
            }
        }
    }
}
