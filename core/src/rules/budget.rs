//! How long a rule may run: the `[budget]` of a rule file, which the rule leader sets for the
//! whole team, and the environment, which overrides it on one terminal.
//!
//! ```toml
//! [budget]
//! rule_ms = 10000     # each rule in a full check, and its trial run when the file is loaded
//! recheck_ms = 300    # the whole re-check inside one reviewer action
//! ```

use std::time::Duration;

use serde::Deserialize;

/// Each rule's budget in a full check and at load, unless set otherwise.
pub const DEFAULT_RULE_MS: u64 = 10_000;
/// The budget of the re-check inside one action, unless set otherwise.
pub const DEFAULT_RECHECK_MS: u64 = 300;
/// Overrides `rule_ms`.
pub const RULE_BUDGET_ENV: &str = "HUISHEN_RULE_BUDGET_MS";
/// Overrides `recheck_ms`.
pub const RECHECK_BUDGET_ENV: &str = "HUISHEN_RECHECK_BUDGET_MS";

/// The `[budget]` table of a rule file, as written: what it leaves out takes its default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub rule_ms: Option<u64>,
    pub recheck_ms: Option<u64>,
}

/// Which budget a run is under, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetKind {
    /// One rule in a full check or in its trial run at load.
    Rule,
    /// The re-check inside an action.
    Recheck,
}

impl BudgetKind {
    /// The setting that raises it, as a reader would write it.
    pub fn setting(self) -> &'static str {
        match self {
            BudgetKind::Rule => "`[budget] rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)",
            BudgetKind::Recheck => {
                "`[budget] recheck_ms` in the rule file (or HUISHEN_RECHECK_BUDGET_MS)"
            }
        }
    }
}

impl Budget {
    /// The budget of `kind`: the environment's, else the file's, else the default. A value
    /// of 0 or one that is not a number counts as not set.
    pub fn of(&self, kind: BudgetKind) -> Duration {
        let (env, file, default) = match kind {
            BudgetKind::Rule => (RULE_BUDGET_ENV, self.rule_ms, DEFAULT_RULE_MS),
            BudgetKind::Recheck => (RECHECK_BUDGET_ENV, self.recheck_ms, DEFAULT_RECHECK_MS),
        };
        let env = std::env::var(env).ok().and_then(|v| v.trim().parse().ok());
        let ms = [env, file]
            .into_iter()
            .flatten()
            .find(|ms| *ms > 0)
            .unwrap_or(default);
        Duration::from_millis(ms)
    }

    /// The `[budget]` table of a rule file's text; the defaults when it has none or it does
    /// not read (a file in force was checked when it was loaded).
    pub fn of_source(source: &str) -> Budget {
        #[derive(Deserialize)]
        struct Only {
            #[serde(default)]
            budget: Budget,
        }
        toml::from_str::<Only>(source)
            .map(|o| o.budget)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_sets_what_it_names_and_the_rest_is_default() {
        let b =
            Budget::of_source("[params]\nx = 1\n[budget]\nrule_ms = 2500\n[[rule]]\nid = 'a'\n");
        assert_eq!(b.rule_ms, Some(2500));
        assert_eq!(b.recheck_ms, None);
        assert_eq!(Budget::of_source("[[rule]]\nid = 'a'\n"), Budget::default());
    }
}
