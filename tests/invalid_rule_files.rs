//! Every bad rule file is refused with its place (file:line:column), the rule's id and why, and
//! loads nothing: one file per invalid input under `tests/fixtures/invalid/rules/`, each tried
//! three ways on the livestock dataset (loaded into a workspace without rules, loaded over the
//! fixture's rules in force and checked, and given to `init --rules`, which has no records for
//! the files refused by their trial run to be tried on), each time with exactly
//! the same message and nothing changed: the workspace, the rules it lists and the files in its
//! folder are as they were, and `init` leaves no workspace behind.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::{
    Mismatches, N101, Outcome, assert_table_covers, copy_in, copy_invalid, livestock, rules_list,
    run,
};
use common::{Scratch, fingerprint, hs};

/// Each fixture and what `huishen` says of it.
const TABLE: &[(&str, &str)] = &[
    (
        "severity-not-quoted.toml",
        "error: severity-not-quoted.toml:4:12: string values must be quoted, expected literal string\n",
    ),
    (
        "unterminated-string.toml",
        "error: unterminated-string.toml:2:9: invalid basic string, expected `\"`\n",
    ),
    (
        "duplicate-id.toml",
        "error: duplicate-id.toml:81:6: rule L03: the id is used twice (first at line 32)\n",
    ),
    (
        "unknown-form.toml",
        "error: unknown-form.toml:2:6: rule X1: unknown form `N102`; the workspace's forms are N101\n",
    ),
    // Appended to the good rules: one bad rule refuses the whole file.
    (
        "unknown-field.toml",
        "error: unknown-field.toml:81:6: rule X1 is not valid SQL: no such column: stock_total\n",
    ),
    // Every problem of a file at once.
    (
        "two-bad-rules.toml",
        "error: two-bad-rules.toml:2:6: rule X1 is not valid SQL: no such column: stock_total\n\
         two-bad-rules.toml:9:6: rule X2 is not valid SQL: no such function: herd_size\n",
    ),
    (
        "unknown-function.toml",
        "error: unknown-function.toml:2:6: rule X1 is not valid SQL: no such function: herd_size\n",
    ),
    // Each expression is read by an SQL parser first: the place is where it stops making sense.
    (
        "check-not-sql.toml",
        "error: check-not-sql.toml:6:23: rule X1: `check` is not one SQL expression: expected an expression, found its end; \
         correct it; if SQLite takes it as written, huishen's SQL parser does not know the construct: \
         write it another way (`x IS NULL` for `x ISNULL`, `NOT (x GLOB y)` for `x NOT GLOB y`) and report it\n",
    ),
    (
        "when-not-sql.toml",
        "error: when-not-sql.toml:7:24: rule X1: `when` is not one SQL expression: expected `(`, found its end; \
         correct it; if SQLite takes it as written, huishen's SQL parser does not know the construct: \
         write it another way (`x IS NULL` for `x ISNULL`, `NOT (x GLOB y)` for `x NOT GLOB y`) and report it\n",
    ),
    // A second statement as a reviewer might try it, and the same written so that SQLite would see
    // a complete first statement: the parser stops both at the parenthesis that reaches out.
    (
        "check-splices-a-second-statement.toml",
        "error: check-splices-a-second-statement.toml:6:13: rule X1: `check` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    (
        "check-drops-a-table.toml",
        "error: check-drops-a-table.toml:6:13: rule X1: `check` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    (
        "when-splices-a-delete.toml",
        "error: when-splices-a-delete.toml:7:10: rule X1: `when` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    (
        "check-loads-an-extension.toml",
        "error: check-loads-an-extension.toml:2:6: rule X1 is refused: it calls load_extension; a rule may only read\n",
    ),
    (
        "check-reads-a-pragma.toml",
        "error: check-reads-a-pragma.toml:2:6: rule X1 is refused: it reads pragma_table_info, a PRAGMA; \
         a rule may only read\n",
    ),
    // The ATTACH would create evil.db beside the workspace: the folder must stay as it was.
    (
        "check-attaches-a-database.toml",
        "error: check-attaches-a-database.toml:6:13: rule X1: `check` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    (
        "undefined-parameter.toml",
        "error: undefined-parameter.toml:2:6: rule X1 is refused: it uses $nope, which [params] does not define\n",
    ),
    (
        "undefined-parameter-with-underscore.toml",
        "error: undefined-parameter-with-underscore.toml:2:6: rule X1 is refused: it uses $_nope, which [params] does not define\n",
    ),
    (
        "positional-parameter.toml",
        "error: positional-parameter.toml:2:6: rule X1 is refused: it uses `?`; name parameters instead, as $name\n",
    ),
    (
        "related-splices-sql.toml",
        "error: related-splices-sql.toml:7:23: rule X1: `related` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    (
        "related-calls-a-huishen-function.toml",
        "error: related-calls-a-huishen-function.toml:2:6: rule X1: related calls region_name(); it is indexed, so it may use \
         only SQLite's own functions\n",
    ),
    (
        "related-splices-sql-on-a-record-rule.toml",
        "error: related-splices-sql-on-a-record-rule.toml:7:23: rule X1: `related` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    // SQLite would run `... AND (1) OR (1)`, which flags every record.
    (
        "when-reaches-out-of-its-parentheses.toml",
        "error: when-reaches-out-of-its-parentheses.toml:7:10: rule X1: `when` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    (
        "peers-value-reaches-out-of-its-parentheses.toml",
        "error: peers-value-reaches-out-of-its-parentheses.toml:5:19: peers stock: `value` is not one SQL expression: it goes on after its end with `)`, which closes a parenthesis it did not open; \
         write a single expression, without `;` and without a `)` it did not open\n",
    ),
    (
        "peers-quantiles-unknown.toml",
        "error: peers-quantiles-unknown.toml:6:13: peers `stock`: quantiles = \"type6\" is not a way \
         huishen takes quartiles; use \"nearest-rank\" (R's type 1, the default) or \"type7\" (R's \
         default)\n",
    ),
    (
        "check-holds-a-comment.toml",
        "error: check-holds-a-comment.toml:6:26: rule X1: `check` is not one SQL expression: it holds an SQL comment; \
         comments belong in the TOML file, after `#`\n",
    ),
    // SQLite takes this; the parser does not, and says how to write it.
    (
        "check-not-glob-unknown-to-the-parser.toml",
        "error: check-not-glob-unknown-to-the-parser.toml:8:26: rule X1: `check` is not one SQL expression: expected IN or BETWEEN after NOT, found `GLOB`; \
         correct it; if SQLite takes it as written, huishen's SQL parser does not know the construct: \
         write it another way (`x IS NULL` for `x ISNULL`, `NOT (x GLOB y)` for `x NOT GLOB y`) and report it\n",
    ),
    // Budgets: each rule and peers definition is run once on the workspace's data when the
    // file is loaded, and one that runs out of its budget, or makes a value too large for any
    // rule, is refused. The files that run out of time set a short budget of their own.
    (
        "rule-never-ends.toml",
        "error: rule-never-ends.toml:6:6: rule X1 (over the 20 records of N101) was stopped in its trial run: \
         it ran for more than its budget of 100 ms; make it cheaper (a narrower `when`; for a cross-record rule, a subquery an index can answer), \
         or raise `[budget] rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)\n",
    ),
    (
        "peers-value-never-ends.toml",
        "error: peers-value-never-ends.toml:6:8: peers stock (over the 20 records of N101) was stopped in its trial run: \
         it ran for more than its budget of 100 ms; make it cheaper (a narrower `when`; for a cross-record rule, a subquery an index can answer), \
         or raise `[budget] rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)\n",
    ),
    (
        "rule-makes-a-huge-blob.toml",
        "error: rule-makes-a-huge-blob.toml:3:6: rule X1 (over the 20 records of N101) was stopped in its trial run: \
         it made a value longer than 16 MiB, the most any rule may make; \
         change it so that the values it makes stay small\n",
    ),
    (
        "rule-prints-a-huge-width.toml",
        "error: rule-prints-a-huge-width.toml:3:6: rule X1 (over the 20 records of N101) was stopped in its trial run: \
         it made a value longer than 16 MiB, the most any rule may make; \
         change it so that the values it makes stay small\n",
    ),
    // Scores and fixes are vetted as rules are: their fields, what they read, their SQL.
    (
        "score-item-not-a-number.toml",
        "error: score-item-not-a-number.toml:2:6: score S1: `farm_name` is a text field; it must hold numbers\n",
    ),
    (
        "score-reads-other-records.toml",
        "error: score-reads-other-records.toml:2:6: score S1 reads other records of N101; it may read only \
         its own record and peers figures (define a [[peers]] for a group total)\n",
    ),
    (
        "score-minkowski-without-p.toml",
        "error: score-minkowski-without-p.toml:5:11: score S1: `combine = \"minkowski\"` needs `p`, a number >= 1\n",
    ),
    (
        "fix-sets-an-unknown-field.toml",
        "error: fix-sets-an-unknown-field.toml:2:6: fix F1: `set` names `manure_t`, which is not a field of N101\n",
    ),
    (
        "fix-sets-the-key.toml",
        "error: fix-sets-the-key.toml:2:6: fix F1: `set` names the key field `record_id`; a fix may not change a record's key\n",
    ),
    (
        "score-never-ends.toml",
        "error: score-never-ends.toml:6:6: score S1 (over the 20 records of N101) was stopped in its trial run: \
         it ran for more than its budget of 100 ms; make it cheaper (a narrower `when`; for a cross-record rule, a subquery an index can answer), \
         or raise `[budget] rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)\n",
    ),
    (
        "fix-never-ends.toml",
        "error: fix-never-ends.toml:6:6: fix F1 (over the 20 records of N101) was stopped in its trial run: \
         it ran for more than its budget of 100 ms; make it cheaper (a narrower `when`; for a cross-record rule, a subquery an index can answer), \
         or raise `[budget] rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)\n",
    ),
    // Dataset rules (`scope = "form"` or `"group"`): their scope, group and aggregate check.
    (
        "dataset-scope-unknown.toml",
        "error: dataset-scope-unknown.toml:5:9: rule D1: scope = \"county\" is not a scope; use \"record\" (the default: a verdict per record), \"form\" (one verdict on the form) or \"group\" (one per group of records, with `group`)\n",
    ),
    (
        "dataset-group-missing.toml",
        "error: dataset-group-missing.toml:3:6: rule D1: scope = \"group\" needs `group`, the expression whose value is each record's group (e.g. group = \"substr(region_code, 1, 4)\")\n",
    ),
    (
        "dataset-check-reads-a-bare-field.toml",
        "error: dataset-check-reads-a-bare-field.toml:9:9: rule D1: `check` reads `manure_gen_t` outside an aggregate; a dataset rule's check is over all the records that count, so write sum(manure_gen_t), min(manure_gen_t), max(manure_gen_t), count(manure_gen_t) or another aggregate\n",
    ),
    (
        "dataset-check-aggregates-nothing.toml",
        "error: dataset-check-aggregates-nothing.toml:8:9: rule D1: `check` aggregates nothing; a dataset rule's check is over all the records that count: use sum, total, avg, count, min or max (or make it a record rule: drop `scope`)\n",
    ),
    (
        "dataset-related-on-a-form-rule.toml",
        "error: dataset-related-on-a-form-rule.toml:3:6: rule D1: `related` has no meaning for a rule with scope = \"form\"; remove it\n",
    ),
    (
        "dataset-group-on-a-record-rule.toml",
        "error: dataset-group-on-a-record-rule.toml:7:9: rule D1: `group` belongs to a rule with scope = \"group\"; a record rule that reads other records names them with `related`\n",
    ),
    (
        "dataset-group-reads-other-records.toml",
        "error: dataset-group-reads-other-records.toml:3:6: rule D1: `group` must be an expression over the record alone, without subqueries or parameters\n",
    ),
    (
        "dataset-unknown-field.toml",
        "error: dataset-unknown-field.toml:3:6: rule D1 is not valid SQL: no such column: stock_total\n",
    ),
    (
        "dataset-aggregate-in-when.toml",
        "error: dataset-aggregate-in-when.toml:8:8: rule D1: `when` calls sum(), an aggregate; `when` chooses the records that count one at a time, so the aggregate belongs in `check`\n",
    ),
    (
        "dataset-id-of-a-record-rule.toml",
        "error: dataset-id-of-a-record-rule.toml:10:6: rule x1: the id is used twice (first at line 3)\n",
    ),
    (
        "dataset-never-ends.toml",
        "error: dataset-never-ends.toml:6:6: rule D1 (over the 20 records of N101) was stopped in its trial run: it ran for more than its budget of 100 ms; make it cheaper (a narrower `when`; for a cross-record rule, a subquery an index can answer), or raise `[budget] rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)\n",
    ),
    (
        "budget-unknown-setting.toml",
        "error: budget-unknown-setting.toml:2:1: unknown field `rule_seconds`, expected `rule_ms` or `recheck_ms`\n",
    ),
];

/// Fixtures refused by their trial run on the workspace's records: `init` has none yet, so it
/// loads them, and the first check stops them instead (`tests/hostile_rules.rs`).
const REFUSED_OVER_RECORDS: &[&str] = &[
    "rule-never-ends.toml",
    "peers-value-never-ends.toml",
    "rule-makes-a-huge-blob.toml",
    "rule-prints-a-huge-width.toml",
    "score-never-ends.toml",
    "fix-never-ends.toml",
    "dataset-never-ends.toml",
];

#[test]
fn every_bad_rule_file_is_refused_with_its_place_and_loads_nothing() {
    assert_table_covers(
        "rules",
        &TABLE.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
    );
    // The two workspaces a file is loaded into, built once and copied for each fixture.
    let bare = Scratch::new();
    livestock(&bare, false);
    let ruled = Scratch::new();
    livestock(&ruled, true);
    let no_rules = (
        false,
        String::new(),
        "error: the workspace has no rules yet; load a rule file with \
         `huishen rules load WORKSPACE FILE`\n"
            .to_string(),
    );
    assert_eq!(rules_list(&bare, N101), no_rules);
    let fixture_rules = rules_list(&ruled, N101);
    assert!(
        fixture_rules.1.starts_with("rule set 1:\nL01 "),
        "{fixture_rules:?}"
    );

    let mut mismatches = Mismatches::default();
    for (name, message) in TABLE {
        for (template, rules) in [(&bare, &no_rules), (&ruled, &fixture_rules)] {
            let s = Scratch::new();
            let ws = s.path(N101);
            std::fs::copy(template.path(N101), &ws).unwrap();
            copy_invalid(&s, "rules", name);
            let (before, files) = (fingerprint(&ws), s.files());
            let got = run(hs(&s).args(["rules", "load", N101, name]));
            let with = if rules.0 {
                "over rules"
            } else {
                "without rules"
            };
            mismatches.check(
                name,
                &format!("load {with}"),
                got,
                Outcome::refused(message),
            );
            mismatches.check(name, "the workspace", fingerprint(&ws), before);
            mismatches.check(name, "the rules", &rules_list(&s, N101), rules);
            mismatches.check(name, "the folder", s.files(), files);
        }
        if REFUSED_OVER_RECORDS.contains(name) {
            continue;
        }
        let s = Scratch::new();
        copy_in(&s, "livestock/schema.toml");
        copy_invalid(&s, "rules", name);
        let files = s.files();
        let got = run(hs(&s).args(["init", N101, "--schema", "schema.toml", "--rules", name]));
        mismatches.check(name, "init", got, Outcome::refused(message));
        mismatches.check(name, "the folder after init", s.files(), files);
    }
    mismatches.assert_none();
}
