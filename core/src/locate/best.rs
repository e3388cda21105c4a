//! Every set of fields, best first: by total weight, then by fewer fields, then by the
//! schema's order (the set whose fields come first in the schema). Totals within [`TIE`]
//! (relative) of each other count as equal, which the search settles (a heap cannot).
//!
//! With the fields sorted by weight, a set's successors are itself plus the next field, and
//! itself with its last field swapped for the next one: each set is reached once, from a set
//! that comes before it. A total is summed in that sorted order, the weight of the set
//! without its last field plus the last, so that it never falls below its predecessor's even
//! as `f64` rounds.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Two total weights this close (relative) are a tie.
pub(super) const TIE: f64 = 1e-9;

/// Whether two total weights tie.
pub(super) fn ties(a: f64, b: f64) -> bool {
    (a - b).abs() <= TIE * a.abs().max(b.abs())
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

/// The non-empty sets of some fields, best first.
pub(super) struct Sets<'a> {
    /// The fields (positions in the schema's order), lightest first.
    fields: &'a [usize],
    /// Their weights, ascending.
    weights: &'a [f64],
    heap: BinaryHeap<Node>,
}

impl<'a> Sets<'a> {
    /// `fields` sorted by `weights`, ascending.
    pub(super) fn new(fields: &'a [usize], weights: &'a [f64]) -> Self {
        let mut sets = Sets {
            fields,
            weights,
            heap: BinaryHeap::new(),
        };
        if !fields.is_empty() {
            sets.push(vec![0], 0.0);
        }
        sets
    }

    fn push(&mut self, sorted: Vec<usize>, prefix: f64) {
        let Some(&last) = sorted.last() else {
            return;
        };
        let mut fields: Vec<usize> = sorted.iter().map(|&i| self.fields[i]).collect();
        fields.sort_unstable();
        self.heap.push(Node {
            weight: prefix + self.weights[last],
            prefix,
            sorted,
            fields,
        });
    }
}

impl Iterator for Sets<'_> {
    /// The fields of a set, in the schema's order, and its total weight.
    type Item = (Vec<usize>, f64);

    fn next(&mut self) -> Option<Self::Item> {
        let n = self.heap.pop()?;
        if let Some(&last) = n.sorted.last() {
            if last + 1 < self.fields.len() {
                let mut added = n.sorted.clone();
                added.push(last + 1);
                self.push(added, n.weight);
                let mut swapped = n.sorted.clone();
                swapped.pop();
                swapped.push(last + 1);
                self.push(swapped, n.prefix);
            }
        }
        Some((n.fields, n.weight))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_comes_once_lightest_first() {
        let fields = [2, 0, 1, 3];
        let weights = [0.5, 1.0, 1.0, 2.0];
        let sets: Vec<_> = Sets::new(&fields, &weights).collect();
        assert_eq!(sets.len(), 15);
        for pair in sets.windows(2) {
            let ((a, wa), (b, wb)) = (&pair[0], &pair[1]);
            assert!((wa, a.len(), a) < (wb, b.len(), b), "{pair:?}");
        }
        assert_eq!(sets[..3], [(vec![2], 0.5), (vec![0], 1.0), (vec![1], 1.0)]);
    }
}
