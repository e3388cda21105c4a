//! The record rules of one form evaluated together, in one pass over its records: each row
//! yields one integer holding every rule's verdict on the record in two bits (passes, fails,
//! missing, does not apply), so that a full check reads the form once for all of them instead
//! of twice per rule (once to count where it applies, once for its verdicts). The verdicts are
//! those of [`super::evaluate::evaluate`] rule by rule: the same `when` and `check` in the
//! same truth of SQL. A pass that SQLite cannot finish (a rule failing as it runs on some
//! record, or the rules' budget spent) yields nothing, and the caller runs the rules one by
//! one, where each is reported as it always was.

use rusqlite::Connection;

use super::evaluate::prepare_rule;
use super::sandbox::Sandbox;
use super::vocabulary::{ActiveRules, Reach, StoredRule, Verdict};
use crate::domain::Outcome;
use crate::error::Result;
use crate::rules::BudgetKind;
use crate::store::forms::quote;

/// Rules per pass: two bits each in a signed 64-bit integer.
pub(super) const MOST: usize = 31;

/// What one rule of a pass found: how many records it applies to, and its verdicts on those
/// it does not pass, in rowid order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) applicable: u64,
    pub(super) verdicts: Vec<Verdict>,
}

/// Whether `rule` can go in a pass with others: it reads its own record alone.
pub(super) fn fusable(rule: &StoredRule) -> bool {
    rule.reach == Reach::Record
}

/// The two bits of one rule: 0 passes, 1 fails, 2 missing, 3 does not apply.
fn code(rule: &StoredRule) -> String {
    let check = &rule.check;
    // Most records pass: their check is evaluated once.
    let verdict = format!("CASE WHEN ({check}) THEN 0 WHEN ({check}) IS NULL THEN 2 ELSE 1 END");
    match &rule.when {
        Some(when) => format!("CASE WHEN ({when}) THEN {verdict} ELSE 3 END"),
        None => verdict,
    }
}

/// The statement of one pass over the records `filter` keeps (an SQL suffix such as
/// ` AND "F".rowid >= 100`, or nothing): rowid, and each rule's code shifted to its place.
pub(super) fn fused_sql(form: &str, rules: &[&StoredRule], filter: &str) -> String {
    let codes: Vec<String> = (rules.iter().enumerate())
        .map(|(i, r)| match i {
            0 => format!("({})", code(r)),
            i => format!("({}) * {}", code(r), 1i64 << (2 * i)),
        })
        .collect();
    format!(
        "SELECT rowid, {} FROM {} WHERE 1{filter}",
        codes.join(" + "),
        quote(form)
    )
}

/// Evaluates `group` (at most [`MOST`] rules of `form`, each [`fusable`]) in one pass over
/// the records `filter` keeps, under the budget of all of them together, shared by the
/// `pieces` the form's records are cut into: what each found, in the order given; `None` when
/// the pass could not finish, and the rules must run one by one.
pub(super) fn evaluate_fused(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    (form, group): (&str, &[&StoredRule]),
    (filter, pieces): (&str, u32),
) -> Result<Option<Vec<Found>>> {
    debug_assert!(group.len() <= MOST);
    let ids: Vec<&str> = group.iter().map(|r| r.id.as_str()).collect();
    let sql = fused_sql(form, group, filter);
    let mut stmt = prepare_rule(conn, sandbox, rules, &ids.join(", "), &sql)?;
    let budget = rules.budget.of(BudgetKind::Rule) * group.len() as u32 / pieces.max(1);
    let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
    let mut found: Vec<Found> = group.iter().map(|_| Found::default()).collect();
    let mut rows = stmt.raw_query();
    loop {
        let row = match sandbox.meter().next(&mut rows) {
            Ok(Some(row)) => row,
            Ok(None) => return Ok(Some(found)),
            Err(_) => return Ok(None),
        };
        let (Ok(rowid), Ok(codes)) = (row.get::<_, i64>(0), row.get::<_, i64>(1)) else {
            return Ok(None);
        };
        for (i, f) in found.iter_mut().enumerate() {
            match (codes >> (2 * i)) & 3 {
                0 => f.applicable += 1,
                1 => {
                    f.applicable += 1;
                    f.verdicts.push((rowid, Outcome::Fail));
                }
                2 => {
                    f.applicable += 1;
                    f.verdicts.push((rowid, Outcome::Missing));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Localized, Severity};

    fn rule(id: &str, check: &str, when: Option<&str>) -> StoredRule {
        StoredRule {
            id: id.into(),
            form: "T".into(),
            severity: Severity::Error,
            title: Localized::new("", ""),
            hint: None,
            check: check.into(),
            when: when.map(str::to_string),
            related: None,
            fields: Vec::new(),
            reach: Reach::Record,
        }
    }

    /// A rule set of `rules` alone.
    fn active(rules: &[StoredRule]) -> ActiveRules {
        ActiveRules {
            rule_set: 1,
            params: Default::default(),
            budget: Default::default(),
            peers: Vec::new(),
            rules: rules.to_vec(),
            datasets: Vec::new(),
            scores: Vec::new(),
            fixes: Vec::new(),
            depends: Default::default(),
        }
    }

    /// Each rule's verdicts by the statement a rule runs alone, and by one pass.
    #[test]
    fn a_pass_gives_each_rule_the_verdicts_it_gives_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE T (a, b);
             INSERT INTO T VALUES (1, 2), (3, NULL), (NULL, 1), ('x', 0), (5, 5), (0, -1);",
        )
        .unwrap();
        let sandbox = Sandbox::install(&mut conn).unwrap();
        let group = [
            rule("A", "a < b", None),
            rule("B", "a", Some("b IS NOT NULL")),
            rule("C", "b", Some("a > 0")),
            rule("D", "coalesce(a, 0) + coalesce(b, 0) > 3", Some("a")),
        ];
        let active = active(&group);
        let refs: Vec<&StoredRule> = group.iter().collect();
        let fused = evaluate_fused(&conn, &sandbox, &active, ("T", &refs), ("", 1))
            .unwrap()
            .unwrap();
        for (r, f) in group.iter().zip(&fused) {
            let alone = super::super::evaluate::evaluate(
                &conn,
                &sandbox,
                &active,
                r,
                "",
                &|_| Ok(()),
                &mut Vec::new(),
            )
            .unwrap();
            assert_eq!(f.verdicts, alone, "rule {}", r.id);
            let when = r.when.as_deref().unwrap_or("1");
            let applicable: u64 = conn
                .query_row(&format!("SELECT count(*) FROM T WHERE ({when})"), [], |x| {
                    x.get(0)
                })
                .unwrap();
            assert_eq!(f.applicable, applicable, "rule {}", r.id);
        }
        assert!(fused.iter().all(|f| !f.verdicts.is_empty()));
    }

    #[test]
    fn a_rule_failing_as_it_runs_leaves_the_rules_to_run_one_by_one() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE T (a, b); INSERT INTO T VALUES (1, 2);")
            .unwrap();
        let sandbox = Sandbox::install(&mut conn).unwrap();
        let group = [
            rule("A", "a < b", None),
            rule("B", "abs(-9223372036854775807 - a) > 0", None),
        ];
        let active = active(&group);
        let refs: Vec<&StoredRule> = group.iter().collect();
        assert_eq!(
            evaluate_fused(&conn, &sandbox, &active, ("T", &refs), ("", 1)).unwrap(),
            None
        );
    }
}
