//! The search for the lightest set of fields to change.
//!
//! Only the rules that the failing ones reach through fields that may change matter (the
//! others hold, and keep holding while their fields keep their values), and only the fields
//! those rules read. Their sets are taken best first: by total weight, then by fewer fields,
//! then by the schema's order (the set whose fields come first in the schema); totals within
//! [`TIE`] (relative) of each other count as equal. A set is tried only if it holds a field of
//! every failing rule; the first that lets all the rules hold is the answer.
//!
//! Sets come out in that order from a heap: with the fields sorted by weight, a set's
//! successors are itself plus the next field, and itself with its last field swapped for the
//! next one; each set is reached once, and never before a lighter one.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use super::feasible::{Work, satisfiable};
use super::formula::Env;
use super::prop::Prop;
use super::{LinearRule, Located, Outcome};

/// The steps one record's search may take: a set of fields taken from the heap is one, an
/// elimination run another.
const WORK: usize = 100_000;

/// Two total weights this close (relative) are a tie.
const TIE: f64 = 1e-9;

/// The lightest set of fields to change so that `rules` can all hold, for a record of
/// `values`. `fields_in_order` are the fields that may change, in the schema's order, with
/// their weights; a weight that is not a finite number of at least zero counts as 1.
pub(crate) fn locate(
    rules: &[LinearRule],
    values: &BTreeMap<String, Option<f64>>,
    fields_in_order: &[(String, f64)],
) -> Outcome {
    locate_within(rules, values, fields_in_order, WORK)
}

/// A set of fields on the heap.
struct Node {
    weight: f64,
    /// The weight without its last field.
    prefix: f64,
    /// Positions among the fields sorted by weight, increasing.
    sorted: Vec<usize>,
    /// The fields, as positions in the schema's order, increasing.
    fields: Vec<usize>,
}

impl Node {
    fn rank(&self, other: &Node) -> Ordering {
        self.weight
            .total_cmp(&other.weight)
            .then(self.fields.len().cmp(&other.fields.len()))
            .then_with(|| self.fields.cmp(&other.fields))
    }

    /// Whether it comes before `other` among sets of tied weight.
    fn before(&self, other: &Node) -> bool {
        (self.fields.len(), &self.fields) < (other.fields.len(), &other.fields)
    }
}

impl Ord for Node {
    // Reversed: the heap gives the first set first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank(self)
    }
}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Node {}

fn ties(a: f64, b: f64) -> bool {
    (a - b).abs() <= TIE * a.abs().max(b.abs())
}

fn ids(rules: &[&LinearRule]) -> Vec<String> {
    rules.iter().map(|r| r.id.clone()).collect()
}

/// [`locate`] within `steps` steps.
pub(super) fn locate_within(
    rules: &[LinearRule],
    values: &BTreeMap<String, Option<f64>>,
    fields_in_order: &[(String, f64)],
    steps: usize,
) -> Outcome {
    let mut work = Work::new(steps);
    let fixed = Env::new(values, &[]);
    let failing: Vec<&LinearRule> = rules
        .iter()
        .filter(|r| r.holds(&fixed) != Prop::True)
        .collect();
    if failing.is_empty() {
        return Outcome::NothingToLocate;
    }
    let over = || Outcome::OverBudget {
        failing: ids(&failing),
    };

    // The fields that may change and that some rule reads, each once, in the schema's order.
    let mut candidates: Vec<(&str, f64)> = Vec::new();
    for (name, weight) in fields_in_order {
        let read = rules.iter().any(|r| r.fields.contains(name));
        if read && !candidates.iter().any(|(n, _)| n == name) {
            let weight = if weight.is_finite() && *weight >= 0.0 {
                *weight
            } else {
                1.0
            };
            candidates.push((name, weight));
        }
    }
    let candidate = |f: &String| candidates.iter().position(|(n, _)| n == f);
    let reads = |r: &LinearRule| r.fields.iter().filter_map(candidate).collect::<Vec<_>>();

    // The rules the failing ones reach through candidates, and the candidates they read.
    let mut relevant: Vec<bool> = rules.iter().map(|r| failing.contains(&r)).collect();
    let mut reached = vec![false; candidates.len()];
    let mut grew = true;
    while grew {
        grew = false;
        for (i, r) in rules.iter().enumerate() {
            let fields = reads(r);
            if !relevant[i] && fields.iter().any(|&c| reached[c]) {
                relevant[i] = true;
                grew = true;
            }
            if relevant[i] {
                for c in fields {
                    grew |= !reached[c];
                    reached[c] = true;
                }
            }
        }
    }
    let relevant: Vec<&LinearRule> = rules
        .iter()
        .zip(&relevant)
        .filter(|(_, k)| **k)
        .map(|(r, _)| r)
        .collect();
    let mut sorted: Vec<usize> = (0..candidates.len()).filter(|&c| reached[c]).collect();
    sorted.sort_by(|&x, &y| candidates[x].1.total_cmp(&candidates[y].1).then(x.cmp(&y)));

    let can_hold = |free: &[usize], rules: &[&LinearRule], work: &mut Work| {
        let names: Vec<&str> = free.iter().map(|&c| candidates[c].0).collect();
        let env = Env::new(values, &names);
        satisfiable(
            &Prop::and(rules.iter().map(|r| r.holds(&env)).collect()),
            work,
        )
    };
    match can_hold(&sorted, &relevant, &mut work) {
        None => return over(),
        Some(false) => {
            // Rules left out one by one while the rest still cannot hold.
            let mut keep = relevant;
            let mut i = 0;
            while i < keep.len() {
                let mut without = keep.clone();
                without.remove(i);
                match can_hold(&sorted, &without, &mut work) {
                    None => return over(),
                    Some(false) => keep = without,
                    Some(true) => i += 1,
                }
            }
            return Outcome::Contradictory { rules: ids(&keep) };
        }
        Some(true) => {}
    }

    let needs: Vec<Vec<usize>> = failing.iter().map(|r| reads(r)).collect();
    let weight = |at: usize| candidates[sorted[at]].1;
    let node = |sorted_at: Vec<usize>, prefix: f64, weight: f64| {
        let mut fields: Vec<usize> = sorted_at.iter().map(|&i| sorted[i]).collect();
        fields.sort_unstable();
        Node {
            weight,
            prefix,
            sorted: sorted_at,
            fields,
        }
    };
    let mut heap = BinaryHeap::new();
    if !sorted.is_empty() {
        heap.push(node(vec![0], 0.0, weight(0)));
    }
    let mut best: Option<(f64, Node)> = None;
    while let Some(n) = heap.pop() {
        if work.spend().is_none() {
            return over();
        }
        if let Some((first, _)) = &best {
            if n.weight > *first && !ties(n.weight, *first) {
                break;
            }
        }
        if let Some(&last) = n.sorted.last() {
            if last + 1 < sorted.len() {
                let mut added = n.sorted.clone();
                added.push(last + 1);
                heap.push(node(added, n.weight, n.weight + weight(last + 1)));
                let mut swapped = n.sorted.clone();
                swapped.pop();
                swapped.push(last + 1);
                heap.push(node(swapped, n.prefix, n.prefix + weight(last + 1)));
            }
        }
        if best.as_ref().is_some_and(|(_, b)| !n.before(b))
            || !needs
                .iter()
                .all(|need| need.iter().any(|c| n.fields.contains(c)))
        {
            continue;
        }
        match can_hold(&n.fields, &relevant, &mut work) {
            None => return over(),
            Some(true) => {
                let first = best.as_ref().map_or(n.weight, |(w, _)| *w);
                best = Some((first, n));
            }
            Some(false) => {}
        }
    }
    match best {
        Some((_, n)) => Outcome::Located(Located {
            fields: n
                .fields
                .iter()
                .map(|&c| candidates[c].0.to_string())
                .collect(),
            weight: n.weight,
            failing: ids(&failing),
            considered: rules.iter().map(|r| r.id.clone()).collect(),
        }),
        // Not reached: the set of every field lets the rules hold.
        None => Outcome::Contradictory {
            rules: ids(&relevant),
        },
    }
}
