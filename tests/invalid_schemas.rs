//! Every bad schema file is refused by `huishen init` with the place of each problem
//! (file:line:column) and what is wrong, and no workspace appears: one file per invalid input
//! under `tests/fixtures/invalid/schema/`, most of them the tiny form with one thing wrong.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::{Mismatches, Outcome, assert_table_covers, copy_invalid, run};
use common::{Scratch, hs};

/// Each fixture and the problems `huishen init` lists for it.
const TABLE: &[(&str, &str)] = &[
    (
        "unterminated-string.toml",
        "unterminated-string.toml:4:10: invalid basic string, expected `\"`",
    ),
    (
        "unknown-type.toml",
        "unknown-type.toml:32:8: unknown variant `boolean`, expected one of `text`, `integer`, \
         `real`, `code`, `bool`",
    ),
    (
        "duplicate-field.toml",
        "duplicate-field.toml:19:8: field `ID` is defined twice in form `T` (first as `id`); field \
         names must be unique, ignoring case",
    ),
    (
        "field-name-with-a-dash.toml",
        "field-name-with-a-dash.toml:24:8: field name `amount-10k` contains `-`; use only ASCII \
         letters, digits and `_`",
    ),
    // Every problem of a file at once.
    (
        "two-problems.toml",
        "two-problems.toml:19:8: field `ID` is defined twice in form `T` (first as `id`); field \
         names must be unique, ignoring case\n\
         two-problems.toml:24:8: field name `amount-10k` contains `-`; use only ASCII letters, \
         digits and `_`",
    ),
    (
        "field-name-is-an-sql-keyword.toml",
        "field-name-is-an-sql-keyword.toml:30:8: field name `select` is an SQL keyword; rules \
         could not name it plainly",
    ),
    (
        "reserved-form-name.toml",
        "reserved-form-name.toml:2:8: form name `flags` is reserved for huishen's own tables; \
         choose another",
    ),
    (
        "form-defined-twice.toml",
        "form-defined-twice.toml:35:9: form `T` is defined twice",
    ),
    (
        "form-without-fields.toml",
        "form-without-fields.toml:1:1: form `T` has no fields: add [[form.field]] tables",
    ),
    (
        "key-not-a-field.toml",
        "key-not-a-field.toml:4:7: key `code` is not a field of form `T`",
    ),
    (
        "key-of-type-real.toml",
        "key-of-type-real.toml:4:7: key field `amount` has type real; a key must be text, code or \
         integer",
    ),
    (
        "display-not-a-field.toml",
        "display-not-a-field.toml:5:11: display `title` is not a field of form `T`",
    ),
    (
        "label-names-another-field.toml",
        "label-names-another-field.toml:20:9: label \"名称\" of field `count` is also a name or \
         label of field `name`: a CSV header must name one field",
    ),
    (
        "alias-names-another-field.toml",
        "alias-names-another-field.toml:22:11: alias \"NAME\" of field `count` is also a name, \
         label or alias of field `name`: a header must name one field",
    ),
    (
        "null-values-not-a-list.toml",
        "null-values-not-a-list.toml:5:15: invalid type: string \"NA\", expected a sequence",
    ),
    (
        "no-signatures-required.toml",
        "no-signatures-required.toml:35:1: policy: `signatures` must be at least 1",
    ),
    (
        "no-key.toml",
        "no-key.toml:2:8: form `T` has no `key`: add key = \"FIELD\", the field whose value is \
         unique per record",
    ),
    (
        "label-without-en.toml",
        "label-without-en.toml:20:9: the label of field `count` has no `en`; it needs both `zh` \
         and `en`, as in { zh = \"吨\", en = \"t\" }, or one plain string for both languages",
    ),
    // Child forms: the parent must be another form of the file, named with the field that
    // holds its key, of the same type, and parents must end at a form without one.
    // The codes of a field are named from a reference table huishen has.
    (
        "names-not-a-table.toml",
        "names-not-a-table.toml:16:9: field `town`: `names = \"township\"` is not a reference \
         table; name a field's codes from \"division\" (GB/T 2260) or \"industry\" (GB/T \
         4754-2017)",
    ),
    (
        "parent-unknown.toml",
        "parent-unknown.toml:16:10: form `C`: parent `Q` is not a form of this file (its forms: \
         P, C)",
    ),
    (
        "parent-is-itself.toml",
        "parent-is-itself.toml:5:10: form `C` names itself as its parent",
    ),
    (
        "parent-without-parent-key.toml",
        "parent-without-parent-key.toml:16:10: form `C` names a parent but no `parent_key`: add \
         parent_key = \"FIELD\", the field of `C` holding the key of its `P` record",
    ),
    (
        "parent-key-without-parent.toml",
        "parent-key-without-parent.toml:16:14: form `C` has a `parent_key` but no `parent`: add \
         parent = \"FORM\"",
    ),
    (
        "parent-key-not-a-field.toml",
        "parent-key-not-a-field.toml:17:14: parent_key `enterprise` is not a field of form `C`",
    ),
    (
        "parent-key-of-another-type.toml",
        "parent-key-of-another-type.toml:16:10: form `C`: parent_key `pid` has type integer, but \
         the key `id` of `P` has type text; give them the same type",
    ),
    (
        "parent-key-is-the-own-key.toml",
        "parent-key-is-the-own-key.toml:17:14: form `C`: parent_key `boiler` is its own key; a \
         child row needs a key of its own (a boiler number, say) beside its parent's",
    ),
    (
        "parent-key-not-required.toml",
        "parent-key-not-required.toml:17:14: form `C`: parent_key `pid` must be `required = \
         true`: a row of `C` belongs to a record of `P` by it",
    ),
    (
        "parents-in-a-circle.toml",
        "parents-in-a-circle.toml:5:10: form `C`: its parents go round in a circle (C → D → C); \
         a census object's forms must end at a form without a parent\n\
         parents-in-a-circle.toml:24:10: form `D`: its parents go round in a circle (D → C → \
         D); a census object's forms must end at a form without a parent",
    ),
];

/// What `huishen init` prints for a schema's problems: each once, with its place.
fn as_printed(problems: &str) -> String {
    format!("error: {problems}\n")
}

#[test]
fn every_bad_schema_is_refused_with_the_place_of_each_problem_and_creates_nothing() {
    assert_table_covers(
        "schema",
        &TABLE.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
    );
    let mut mismatches = Mismatches::default();
    for (name, problems) in TABLE {
        let s = Scratch::new();
        copy_invalid(&s, "schema", name);
        let got = run(hs(&s).args(["init", "w.huishen", "--schema", name]));
        mismatches.check(name, "init", got, Outcome::refused(&as_printed(problems)));
        mismatches.check(name, "the folder", s.files(), vec![name.to_string()]);
    }
    mismatches.assert_none();
}
