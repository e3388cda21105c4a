//! The trial run of a vetted rule file on the workspace's data, before anything of it is
//! stored: every peers definition is computed and every rule is run over its whole form, each
//! under the rule budget. One that runs out of it, or makes a value larger than any rule may,
//! is a problem with its place and id, and the file is refused; a rule that merely fails on
//! some record is left for the check to report.

use rusqlite::Connection;

use super::evaluate::evaluate;
use super::peers;
use super::sandbox::Sandbox;
use super::selective::{Over, compute_proposals, compute_scores};
use super::vocabulary::{ActiveRules, Dependencies, StoredRule};
use crate::domain::Schema;
use crate::domain::SourceLocation;
use crate::domain::schema::Problem;
use crate::error::{Error, OverBudget, Result};
use crate::rules::{BudgetKind, RuleFileError, RuleSet};
use crate::store::forms::quote;

/// Runs the peers and rules of `set` (vetted as `stored`) under their budget, inside the
/// caller's transaction: every problem found, as a refused rule file.
pub(super) fn run(
    conn: &Connection,
    sandbox: &Sandbox,
    schema: &Schema,
    set: &RuleSet,
    stored: &[StoredRule],
) -> Result<()> {
    let rules = ActiveRules {
        rule_set: 0,
        params: set.params.clone(),
        budget: set.budget,
        peers: set.peers.clone(),
        rules: stored.to_vec(),
        datasets: set.datasets.clone(),
        scores: set.scores.clone(),
        fixes: set.fixes.clone(),
        depends: Dependencies::default(),
    };
    let budget = set.budget.of(BudgetKind::Rule);
    let mut problems = Vec::new();
    for p in &set.peers {
        let ran = {
            let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
            peers::refresh_all(conn, sandbox, &rules, p)
        };
        if let Some(over) = over_budget(ran)? {
            let what = format!("peers {} (over {})", p.name, records(conn, &p.form)?);
            problems.push(problem(&p.location, &what, &over));
        }
    }
    // The rules of a file vetted without a problem are its rules, in order.
    for (rule, located) in stored.iter().zip(&set.rules) {
        let ran = {
            let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
            evaluate(
                conn,
                sandbox,
                &rules,
                rule,
                "",
                &|_| Ok(()),
                &mut Vec::new(),
            )
        };
        if let Some(over) = over_budget(ran)? {
            let what = format!("rule {} (over {})", rule.id, records(conn, &rule.form)?);
            problems.push(problem(&located.location, &what, &over));
        }
    }
    for d in &set.datasets {
        let ran = {
            let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
            super::dataset::evaluate_one(conn, sandbox, &rules, d)
        };
        if let Some(over) = over_budget(ran)? {
            let what = format!("rule {} (over {})", d.id, records(conn, &d.form)?);
            problems.push(problem(&d.location, &what, &over));
        }
    }
    for s in &set.scores {
        let ran = {
            let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
            compute_scores(conn, sandbox, &rules, s, &Over::Form)
        };
        if let Some(over) = over_budget(ran)? {
            let what = format!("score {} (over {})", s.id, records(conn, &s.form)?);
            problems.push(problem(&s.location, &what, &over));
        }
    }
    for f in &set.fixes {
        let ran = {
            let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
            compute_proposals(conn, sandbox, &rules, schema, f, &Over::Form)
        };
        if let Some(over) = over_budget(ran)? {
            let what = format!("fix {} (over {})", f.id, records(conn, &f.form)?);
            problems.push(problem(&f.location, &what, &over));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Rules(RuleFileError { problems }))
    }
}

/// The budget a run ran out of, if it did; its other errors as they are.
fn over_budget<T>(ran: Result<T>) -> Result<Option<OverBudget>> {
    match ran {
        Ok(_) => Ok(None),
        Err(Error::OverBudget(over)) => Ok(Some(over)),
        Err(e) => Err(e),
    }
}

/// "the 1,200 records of N101".
fn records(conn: &Connection, form: &str) -> Result<String> {
    let n: i64 = conn
        .query_row(&format!("SELECT count(*) FROM {}", quote(form)), [], |r| {
            r.get(0)
        })
        .map_err(crate::store::err("counting records"))?;
    Ok(format!(
        "the {} records of {form}",
        crate::domain::text::thousands(n.max(0) as u64)
    ))
}

fn problem(location: &SourceLocation, what: &str, over: &OverBudget) -> Problem {
    let advice = if over.setting.is_empty() {
        "change it so that the values it makes stay small".to_string()
    } else {
        format!(
            "make it cheaper (a narrower `when`; for a cross-record rule, a subquery an index \
             can answer), or raise {}",
            over.setting
        )
    };
    Problem {
        location: location.clone(),
        message: format!(
            "{what} was stopped in its trial run: it {}; {advice}",
            over.why.en
        ),
    }
}
