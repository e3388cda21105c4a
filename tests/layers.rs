//! The house's layers: the screen, the command line, the examples, the benches and the tests
//! reach a workspace only through the review core (`huishen_core::review`), whose storage
//! engine is private (the core's doc test shows that naming it does not compile). These
//! tests keep the rest of the project from growing a second way in.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn nothing_outside_the_core_names_its_storage_engine() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "the walk found the project's files");
    let needle = ["store", "::"].concat();
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains(&needle))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "{offenders:?} name the storage engine"
    );
}

#[test]
fn the_screen_and_the_command_line_do_not_speak_sql() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("rusqlite"))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(offenders.is_empty(), "{offenders:?} use rusqlite");
    // Only the tests, which play an auditor with SQL, may depend on it.
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap();
    assert!(dependencies.contains("huishen-core"), "{dependencies}");
    assert!(!dependencies.contains("rusqlite"), "{dependencies}");
}

#[test]
fn the_core_knows_no_screen_and_no_command_line() {
    let manifest = std::fs::read_to_string(root().join("core/Cargo.toml")).unwrap();
    for crate_name in ["clap", "ratatui", "crossterm"] {
        assert!(
            !manifest.contains(crate_name),
            "the core depends on {crate_name}"
        );
    }
}
