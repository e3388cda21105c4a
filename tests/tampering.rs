//! Tampering as an auditor (or an attacker) would try it: the sqlite3 shell on a copy of a
//! reviewed workspace, one change per case, and `huishen verify` must name what changed (the
//! event, table, record or field) and exit with the "tampered" status. Each case starts from
//! a fresh copy of the reviewed demo workspace, which verifies clean.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use common::db::{event_count, sqlite3_ok};
use common::demo::{CLEAN_QINGDAO, COAL_NO_SO2, KILN, NO_RIVER, OUTLIER, PM_KG, reviewed};
use common::review::verified;
use common::{DEMO, Scratch, hs};

/// The exit status of a workspace that was checked and does not verify.
const TAMPERED: i32 = 3;

/// Runs `sql` with the sqlite3 shell on a fresh reviewed workspace, then verify: it must fail
/// as tampered and say every one of `named`.
fn caught(sql: &str, named: &[&str]) {
    let s = Scratch::new();
    let ws = reviewed(&s);
    sqlite3_ok(&ws, sql);
    let out = hs(&s).args(["verify", DEMO]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(TAMPERED),
        "{sql}\n— verify did not find it:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in named {
        assert!(
            stdout.contains(name),
            "{sql}\n— verify does not say {name:?}:\n{stdout}"
        );
    }
}

#[test]
fn the_reviewed_workspace_verifies_clean() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .success()
        .stdout(verified(&ws));
}

#[test]
fn a_value_of_an_unsigned_record_changed_in_the_data_is_found() {
    caught(
        &format!(
            "UPDATE G101_1 SET unit_name = unit_name || '分厂' WHERE record_id = '{CLEAN_QINGDAO}'"
        ),
        &[&format!(
            "G101_1/{CLEAN_QINGDAO}: its values (with its corrections taken back) are not those imported by event #4"
        )],
    );
}

#[test]
fn a_corrected_value_overwritten_in_the_data_is_found() {
    caught(
        &format!("UPDATE G101_1 SET pm_emit_t = 0.5 WHERE record_id = '{PM_KG}'"),
        &[&format!(
            "G101_1/{PM_KG}: pm_emit_t is 0.5, but the audit trail's corrections leave it 0.0164"
        )],
    );
}

#[test]
fn a_deleted_data_row_is_found() {
    caught(
        &format!("DELETE FROM G101_1 WHERE record_id = '{CLEAN_QINGDAO}'"),
        &[&format!(
            "G101_1/{CLEAN_QINGDAO}: the record of import #1 (event #4) is not in the data: it was deleted outside huishen"
        )],
    );
}

#[test]
fn the_kept_record_hashes_changed_by_hand_are_found() {
    caught(
        &format!(
            "UPDATE import_rows SET hash = '00' || substr(hash, 3) WHERE key = '{CLEAN_QINGDAO}'"
        ),
        &[
            "import_rows: the record hashes kept of import #1 are not those event #4 signed",
            &format!("G101_1/{CLEAN_QINGDAO}: its values"),
        ],
    );
}

#[test]
fn a_row_added_to_the_data_is_found() {
    caught(
        "INSERT INTO G101_1 (record_id, unit_name, region_code, _import, _line)
         SELECT 'G3799990009999', unit_name, region_code, 99, 9999 FROM G101_1 LIMIT 1",
        &["G101_1/G3799990009999: the record comes from no import"],
    );
}

#[test]
fn a_deleted_signature_row_is_found() {
    caught(
        &format!(
            "DELETE FROM signatures WHERE record = (SELECT rowid FROM G101_1 WHERE record_id = '{PM_KG}') AND reviewer = '李四'"
        ),
        &["signatures: the signature of event", "it was deleted"],
    );
}

#[test]
fn a_voided_signature_revived_is_found() {
    caught(
        "UPDATE signatures SET voided_by = NULL",
        &[
            "signatures: the signature of event",
            "voided by = null, but the audit trail says",
        ],
    );
}

#[test]
fn a_lock_set_or_lifted_by_hand_is_found() {
    caught(
        &format!(
            "UPDATE record_state SET locked = 0 WHERE record = (SELECT rowid FROM G101_1 WHERE record_id = '{PM_KG}')"
        ),
        &[&format!(
            "record_state: G101_1/{PM_KG} is not locked, but its signatures say it is locked"
        )],
    );
    caught(
        &format!(
            "UPDATE record_state SET locked = 1 WHERE record = (SELECT rowid FROM G101_1 WHERE record_id = '{NO_RIVER}')"
        ),
        &[&format!(
            "record_state: G101_1/{NO_RIVER} is locked, but its signatures say it is not locked"
        )],
    );
}

#[test]
fn a_swapped_passphrase_or_key_in_the_reviewers_table_is_found() {
    caught(
        "UPDATE reviewers SET sealed_key = (SELECT sealed_key FROM reviewers WHERE name = '王五'),
                              public_key = (SELECT public_key FROM reviewers WHERE name = '王五')
         WHERE name = '李四'",
        &[
            "reviewers: reviewer 李四 has public key",
            "reviewers: reviewer 李四 has sealed key",
        ],
    );
}

#[test]
fn a_role_scope_or_authority_changed_in_the_reviewers_table_is_found() {
    caught(
        "UPDATE reviewers SET role = '省级审核', scope = '', admin = 1 WHERE name = '张三'",
        &[
            "reviewers: reviewer 张三 has role = \"省级审核\"",
            "reviewers: reviewer 张三 has scope = \"\"",
            "reviewers: reviewer 张三 has admin = 1",
        ],
    );
}

#[test]
fn a_reviewer_added_by_hand_is_found() {
    caught(
        "INSERT INTO reviewers (name, role, scope, passphrase, added_at, admin, public_key, sealed_key)
         SELECT '赵六', role, '', passphrase, added_at, 1, public_key, sealed_key FROM reviewers WHERE name = '王五'",
        &["reviewers: reviewer 赵六 is not in the audit trail"],
    );
}

#[test]
fn the_policy_weakened_by_hand_is_found() {
    caught(
        "UPDATE policy SET signatures_required = 1, four_eyes = 0",
        &["policy: the policy 1 has signatures_required = 1, but the audit trail says 2"],
    );
}

#[test]
fn a_rule_replaced_by_hand_is_found() {
    caught(
        "UPDATE rules SET check_sql = '1' WHERE id = 'R15'",
        &["rules: the rules of rule set 1 are not those loaded by event #"],
    );
}

#[test]
fn a_rule_files_source_replaced_by_hand_is_found() {
    caught(
        "UPDATE rule_sets SET source = source || ' '",
        &["rule_sets: the source of rule set 1 is not the file that was loaded"],
    );
}

#[test]
fn the_side_tables_changed_by_hand_are_found() {
    caught(
        "UPDATE corrections SET reason = '随手改' WHERE field = 'pm_emit_t'",
        &[
            "corrections: the correction of event",
            "reason = \"随手改\"",
        ],
    );
    caught(
        "UPDATE explanations SET text = '无'",
        &["explanations: the explanation of event", "text = \"无\""],
    );
    caught(
        "DELETE FROM notes",
        &["notes: the note of event", "it was deleted"],
    );
    caught(
        "UPDATE corrections SET undone_by = NULL",
        &["corrections: the correction of event", "undone by = null"],
    );
}

#[test]
fn the_import_log_changed_by_hand_is_found() {
    caught(
        "UPDATE imports SET rows = rows + 5",
        &["imports: import 1 has rows = 2005, but the audit trail says 2000"],
    );
}

#[test]
fn an_event_rewritten_with_its_chain_recomputed_is_found_by_its_signature() {
    // The attacker changes an explanation's text and recomputes every hash after it, as a
    // script can: the chain holds, but the signatures were over the old hashes.
    let s = Scratch::new();
    let ws = reviewed(&s);
    let n = event_count(&ws);
    rechain(
        &ws,
        &format!(
            "UPDATE events SET payload = replace(payload, '无误', '有误') WHERE kind = 'explain' AND key = '{KILN}'"
        ),
    );
    let out = hs(&s).args(["verify", DEMO]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(TAMPERED), "{stdout}");
    assert!(
        stdout.contains(&format!("audit trail: {n} events, every one linked")),
        "the chain itself was made to hold: {stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "(explain of G101_1/{KILN} by 王五) does not carry 王五's signature"
        )),
        "{stdout}"
    );
}

#[test]
fn a_forged_sign_event_with_its_signature_row_and_lock_is_found() {
    // A whole sign event forged at the end of the trail, its hash computed as huishen does,
    // with its signature row and the lock: without 李四's key it cannot carry a signature.
    let s = Scratch::new();
    let ws = reviewed(&s);
    let sql = format!(
        "INSERT INTO events (at, reviewer, kind, form, record, key, payload, prev_hash, hash, signature)
         SELECT at, '李四', 'sign', form, record, '{COAL_NO_SO2}', payload, hash, hash, signature
           FROM events WHERE kind = 'sign' ORDER BY id DESC LIMIT 1"
    );
    rechain(&ws, &sql);
    let out = hs(&s).args(["verify", DEMO]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(TAMPERED), "{stdout}");
    assert!(
        stdout.contains("does not carry 李四's signature"),
        "{stdout}"
    );
}

/// Runs `sql` on the events with the append-only triggers dropped, then recomputes every
/// event's hash from the first, as huishen computes it: an attacker with a 40-line script.
fn rechain(ws: &std::path::Path, sql: &str) {
    let conn = common::db::unguarded(ws);
    conn.execute_batch(sql).unwrap();
    common::db::rehash_chain(&conn);
}

#[test]
fn a_flag_resolved_by_hand_is_found_by_a_deep_verification_only() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    hs(&s)
        .args(["verify", DEMO, "--deep"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "flags (deep): every rule run again gives the open flags and peers figures stored\n",
        ));
    sqlite3_ok(
        &ws,
        &format!(
            "UPDATE flags SET state = 'resolved' WHERE rule = 'R29' AND state = 'open'
               AND record = (SELECT rowid FROM G101_1 WHERE record_id = '{OUTLIER}')"
        ),
    );
    // The flags are derived: a plain verification does not hold them to the rules.
    hs(&s).args(["verify", DEMO]).assert().success();
    let out = hs(&s).args(["verify", DEMO, "--deep"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(TAMPERED), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "flags: rule R29 fails on G101_1/{OUTLIER} (fail), but its flag is not open"
        )),
        "{stdout}"
    );
}

#[test]
fn a_value_that_reads_like_another_is_found() {
    // Infinity on a signed record (JSON has no infinity: it must not read as NULL).
    caught(
        &format!("UPDATE G101_1 SET vocs_emit_kg = 9e999 WHERE record_id = '{PM_KG}'"),
        &[&format!("G101_1/{PM_KG}: its values")],
    );
    // A rule parameter made a blob of the same bytes.
    caught(
        "UPDATE rule_params SET value = CAST(value AS BLOB) WHERE typeof(value) = 'text'",
        &["rules: the rules of rule set 1 are not those loaded by event #"],
    );
}

#[test]
fn the_schema_changed_behind_huishens_back_is_found() {
    caught(
        "UPDATE fields SET unit_zh = '元' WHERE name = 'output_value_10k_yuan'",
        &["forms/fields: form G101_1 is not as the schema defines it"],
    );
    // What a code means is the schema's too: a label or a reference table changed by hand
    // would make the screen say another thing than the schema.
    caught(
        "UPDATE fields SET value_labels = replace(value_labels, '中型', '大型') WHERE name = 'scale_code'",
        &["forms/fields: form G101_1 is not as the schema defines it"],
    );
    caught(
        "UPDATE fields SET names = 'industry' WHERE name = 'region_code'",
        &["forms/fields: form G101_1 is not as the schema defines it"],
    );
    caught(
        "UPDATE fields SET position = 99 WHERE name = 'nox_gen_t'",
        &["forms/fields: form G101_1 is not as the schema defines it"],
    );
    // So is how an import reads headers and "no value": an alias or a token slipped in by
    // hand would let a later import put a column into another field, or read 0 as missing.
    caught(
        "UPDATE fields SET aliases = '[\"二氧化硫产生量\"]' WHERE name = 'so2_emit_t'",
        &["forms/fields: form G101_1 is not as the schema defines it"],
    );
    caught(
        "UPDATE forms SET null_values = '[\"NA\",\"0\"]' WHERE name = 'G101_1'",
        &["forms/fields: form G101_1 is not as the schema defines it"],
    );
    caught(
        "DELETE FROM fields; DELETE FROM forms;",
        &["forms: form G101_1 of the schema is not in the table: it was deleted"],
    );
    caught(
        "UPDATE reasons SET zh = '随便'",
        &["reasons: the reasons are not those of the schema"],
    );
    caught(
        "UPDATE workspace SET schema_source = schema_source || ' '",
        &["workspace: the schema is not the one event #1 signed"],
    );
    caught(
        "ALTER TABLE G101_1 ADD COLUMN extra TEXT",
        &["sqlite_master: the table of form G101_1 is not the one huishen made"],
    );
    caught(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_master SET sql = replace(sql, ') STRICT', ')') WHERE name = 'G101_1';",
        &["sqlite_master: the table of form G101_1 is not the one huishen made"],
    );
}

#[test]
fn a_trigger_that_hides_writes_is_found() {
    caught(
        "CREATE TRIGGER hide_notes BEFORE INSERT ON notes WHEN NEW.reviewer = '张三'
         BEGIN SELECT RAISE(IGNORE); END;",
        &["sqlite_master: hide_notes is a trigger or view huishen did not make"],
    );
    caught(
        "DROP TRIGGER events_append_only_update",
        &["sqlite_master: huishen's trigger events_append_only_update was dropped"],
    );
}

#[test]
fn the_import_log_and_rule_set_provenance_changed_by_hand_are_found() {
    caught(
        "UPDATE imports SET file_name = 'other.csv', imported_by = '李四'",
        &[
            "imports: import 1 has file = \"other.csv\"",
            "imports: import 1 has imported by = \"李四\"",
        ],
    );
    caught(
        "UPDATE rule_sets SET loaded_by = '李四'",
        &["rule_sets: rule set 1 has loaded by = \"李四\", but the audit trail says \"王五\""],
    );
}

#[test]
fn a_signature_spelled_another_way_is_found() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    sqlite3_ok(
        &ws,
        "DROP TRIGGER events_append_only_update;
         UPDATE events SET signature = upper(signature) WHERE id = 5;
         CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    );
    let out = hs(&s).args(["verify", DEMO]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(TAMPERED), "{stdout}");
    assert!(
        stdout.contains("event #5 (import by 王五) does not carry 王五's signature"),
        "{stdout}"
    );
}

#[test]
fn a_large_corrected_integer_changed_by_one_is_found() {
    // Integers compare exactly, not as floating-point numbers (2^53 + 1 and 2^53 are one
    // double).
    let s = Scratch::new();
    let ws = reviewed(&s);
    common::correct(
        &ws,
        "G101_1",
        CLEAN_QINGDAO,
        "gas_facility_count",
        "9007199254740993",
    );
    hs(&s).args(["verify", DEMO]).assert().success();
    sqlite3_ok(
        &ws,
        &format!(
            "UPDATE G101_1 SET gas_facility_count = 9007199254740992 WHERE record_id = '{CLEAN_QINGDAO}'"
        ),
    );
    let out = hs(&s).args(["verify", DEMO]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(TAMPERED), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "G101_1/{CLEAN_QINGDAO}: gas_facility_count is 9007199254740992, but the audit trail's corrections leave it 9007199254740993"
        )),
        "{stdout}"
    );
}
