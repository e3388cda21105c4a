//! A string shown to a user without its translation fails here: every entry of the catalogue
//! (the screen's `say` and the command line's `cmd`) has an English and a Chinese template
//! that differ and a Chinese one that is Chinese; the command line prints no sentence of its
//! own outside the catalogue; the core refuses only in both languages and says every error
//! in Chinese.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The string literals of `text` in order, `\` line continuations joined.
fn literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('\n') => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    Some(other) => {
                        lit.push('\\');
                        lit.push(other);
                    }
                    None => {}
                },
                '"' => break,
                c => lit.push(c),
            }
        }
        out.push(lit);
    }
    out
}

/// The entries of the `words!` and `sentences!` blocks of a catalogue file: name, English,
/// Chinese.
fn entries(source: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = ["words! {", "sentences! {"]
        .iter()
        .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
        .min()
    {
        let body_start = at.0 + at.1;
        let end = rest[body_start..].find("\n}").unwrap() + body_start;
        for entry in split_entries(&rest[body_start..end]) {
            let name: String = entry
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let lits = literals(&entry);
            assert_eq!(lits.len(), 2, "{name}: {lits:?}");
            out.push((name, lits[0].clone(), lits[1].clone()));
        }
        rest = &rest[end..];
    }
    out
}

/// A block's entries: split at `;` outside string literals.
fn split_entries(body: &str) -> Vec<String> {
    let (mut out, mut cur, mut in_str, mut escaped) = (Vec::new(), String::new(), false, false);
    for c in body.chars() {
        cur.push(c);
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            ';' if !in_str => out.push(std::mem::take(&mut cur)),
            _ => {}
        }
    }
    out.into_iter()
        .map(|e| {
            // Comments between entries are not part of them.
            e.lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|e| !e.trim().is_empty())
        .collect()
}

/// Words the Chinese templates keep as they are: keys, placeholders a user types, commands
/// and options, and the names of formats and tools.
const ALLOWED: &[&str] = &[
    "tab",
    "error",
    "warning",
    "high",
    "low",
    "unscored",
    "key",
    "field",
    "value",
    "reason",
    "status",
    "region",
    "rule",
    "FILE",
    "NAME",
    "WORKSPACE",
    "ADMINISTRATOR",
    "recovered",
    "sql",
    "ROLE",
    "BATCH",
    "TEXT",
    "ID",
    "TIME",
    "event",
    "hash",
    "head",
    "check",
    "verify",
    "witness",
    "import",
    "export",
    "apply",
    "review",
    "reviewer",
    "rules",
    "load",
    "list",
    "add",
    "init",
    "upgrade",
    "bulk",
    "form",
    "undo",
    "commit",
    "explain",
    "accept",
    "sign",
    "encoding",
    "utf-8",
    "headers",
    "names",
    "deep",
    "behind",
    "since",
    "force",
    "out",
    "what",
    "data",
    "schema",
    "ASCII",
    "quick",
    "sqlite",
    "true",
    "false",
    "yes",
];

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// English words of `text` outside its `{placeholders}` (and outside `code` and --options,
/// which both languages write alike).
fn english_words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let (mut depth, mut code) = (0, false);
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '`' => code = !code,
            _ if depth == 0 && !code => plain.push(c),
            _ => {}
        }
    }
    plain
        .split(|c: char| !c.is_ascii_alphabetic() && c != '-')
        .filter(|w| w.len() > 2 && !w.starts_with('-'))
        .filter(|w| {
            ![
                "huishen", "sha", "SQLite", "UTF", "UTC", "Esc", "Enter", "Tab", "Ctrl", "GBK",
                "CSV", "JSON", "SSH",
            ]
            .contains(w)
        })
        .map(String::from)
        .collect()
}

#[test]
fn every_catalogue_entry_is_in_both_languages() {
    let mut checked = 0;
    let mut found: Vec<String> = Vec::new();
    for path in sources(&root().join("src/i18n")) {
        let file = path.strip_prefix(root()).unwrap().display().to_string();
        let source = read(&path);
        for (name, en, zh) in entries(&source) {
            checked += 1;
            let only_marks = english_words(&en).is_empty();
            assert!(
                has_chinese(&zh) || only_marks,
                "{file}: `{name}` has no Chinese: {zh:?}"
            );
            assert!(
                en != zh || has_chinese(&en) || only_marks,
                "{file}: `{name}` says the same in both: {en:?}"
            );
            let left: Vec<String> = english_words(&zh)
                .into_iter()
                .filter(|w| !en.contains(&format!("`{w}")) && !name.contains("hint_language"))
                .filter(|w| !ALLOWED.contains(&w.as_str()))
                .collect();
            if !left.is_empty() {
                found.push(format!(
                    "{file}: `{name}` leaves English: {left:?} in {zh:?}"
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(checked > 250, "only {checked} entries found");
}

#[test]
fn the_checker_of_the_catalogue_would_catch_an_untranslated_entry() {
    let source =
        "words! {\n    good = \"Queue\", \"待审队列\";\n    bad = \"Queue\", \"Queue\";\n}\n";
    let found = entries(source);
    assert_eq!(found.len(), 2);
    let (_, en, zh) = &found[1];
    assert!(!has_chinese(zh) && en == zh && !english_words(zh).is_empty());
}

/// The macros that print or build text, and the way out of a command with an English error.
const SAYING: [&str; 6] = [
    "outln!(",
    "out!(",
    "eprintln!(",
    "eprint!(",
    "format!(",
    "bail!(",
];

#[test]
fn the_command_line_says_nothing_outside_the_catalogue() {
    let mut checked = 0;
    let mut found: Vec<String> = Vec::new();
    for path in sources(&root().join("src/cli")) {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let source = read(&path);
        for bad in [
            "anyhow::bail!",
            "bail!(",
            "anyhow!(",
            ".context(",
            ".with_context(",
        ] {
            assert!(
                !source.contains(bad),
                "{name} has `{bad}`: say it with i18n::refusal"
            );
        }
        // Only the code, not the clap help in doc comments and attributes.
        let code: String = source
            .lines()
            .filter(|l| {
                let t = l.trim_start();
                !t.starts_with("//") && !t.starts_with("#[")
            })
            .collect::<Vec<_>>()
            .join("\n");
        for mac in SAYING {
            let mut rest = code.as_str();
            while let Some(at) = rest.find(mac) {
                let after = &rest[at + mac.len()..];
                let first = after.trim_start();
                if let Some(lit) = first.strip_prefix('"') {
                    let lit = &literals(&format!("\"{lit}"))[0];
                    // The sqlite3 example is a command to type, the same in every language.
                    let words = english_words(lit);
                    // A literal without a space is a name for scripts (a CSV column), not a
                    // sentence.
                    if !words.is_empty() && lit.contains(' ') && !lit.contains("sqlite3 {file}") {
                        found.push(format!(
                            "{name}: `{mac}\"{lit}\"` prints English: {words:?}"
                        ));
                    }
                }
                rest = after;
            }
        }
        checked += 1;
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(checked > 15, "{checked}");
}

#[test]
fn the_core_refuses_only_in_both_languages() {
    let mut checked = 0;
    for dir in ["core/src", "src"] {
        for path in sources(&root().join(dir)) {
            let source = read(&path);
            let name = path.display().to_string();
            assert!(
                !source.contains("Error::Refused"),
                "{name} refuses in one language"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    // Every error says itself in Chinese: the match of the Chinese messages has no fallback.
    let zh = read(&root().join("core/src/error/zh.rs"));
    assert!(!zh.contains("_ =>"), "core/src/error/zh.rs has a fallback");
    let variants = read(&root().join("core/src/error/mod.rs"));
    let start = variants.find("pub enum Error {").unwrap();
    let end = variants[start..].find("\n}").unwrap() + start;
    // The variants stand at one indent; their fields and messages deeper.
    for line in variants[start..end]
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
    {
        let t = line.trim();
        let Some(name) = t
            .split(['(', ' ', '{', ','])
            .next()
            .filter(|n| n.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
            .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
        else {
            continue;
        };
        assert!(
            zh.contains(&format!("Error::{name}")),
            "Error::{name} has no Chinese in core/src/error/zh.rs"
        );
    }
}
