//! The FP-growth recursion: mine each item's conditional FP-tree, and enumerate single-path
//! trees directly.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::projected::{RankedBaskets, sort_small};
use super::tree::{FpTree, HeaderEntry, Sequences};

/// What the recursion needs to know about the request.
pub(crate) struct Miner {
    /// Smallest count an itemset needs to be frequent.
    pub(crate) min_count: u64,
    /// Longest itemset wanted (`usize::MAX` for no limit).
    pub(crate) max_len: usize,
    /// Number of item ranks (frequent items).
    pub(crate) ranks: usize,
    /// Most itemsets to produce; mining stops once more have been found.
    pub(crate) max_itemsets: usize,
    /// Itemsets found so far, over all threads.
    pub(crate) emitted: AtomicUsize,
}

/// Buffers reused across conditional trees of one worker.
pub(crate) struct Scratch {
    freq: Vec<u64>,
    base_ranks: Vec<u32>,
    base_ends: Vec<usize>,
    base_weights: Vec<u64>,
    seq_offsets: Vec<usize>,
    seq_ranks: Vec<u32>,
    touched: Vec<u32>,
    suffix: Vec<u32>,
}

impl Scratch {
    pub(crate) fn new(ranks: usize) -> Self {
        Scratch {
            freq: vec![0; ranks],
            base_ranks: Vec::new(),
            base_ends: Vec::new(),
            base_weights: Vec::new(),
            seq_offsets: Vec::new(),
            seq_ranks: Vec::new(),
            touched: Vec::new(),
            suffix: Vec::new(),
        }
    }
}

/// Frequent itemsets found, as item ranks (flattened).
#[derive(Default)]
pub(crate) struct Found {
    pub(crate) ranks: Vec<u32>,
    pub(crate) ends: Vec<usize>,
    pub(crate) counts: Vec<u64>,
}

impl Found {
    fn push(&mut self, itemset: &[u32], count: u64) {
        self.ranks.extend_from_slice(itemset);
        self.ends.push(self.ranks.len());
        self.counts.push(count);
    }

    /// Appends everything `other` found.
    #[cfg(feature = "parallel")]
    pub(crate) fn append(&mut self, other: Found) {
        let base = self.ranks.len();
        self.ranks.extend_from_slice(&other.ranks);
        self.ends.extend(other.ends.iter().map(|e| e + base));
        self.counts.extend_from_slice(&other.counts);
    }
}

impl Miner {
    /// Emits `{item}` (in `count` baskets) and mines its conditional tree, whose pattern base
    /// is read from the ranked baskets.
    pub(crate) fn mine_top_item(
        &self,
        baskets: &RankedBaskets,
        item: u32,
        count: u64,
        scratch: &mut Scratch,
        found: &mut Found,
    ) {
        if self.over_limit() {
            return;
        }
        found.push(&[item], count);
        if self.max_len < 2 {
            return;
        }
        let Scratch { freq, touched, seq_offsets, seq_ranks, .. } = scratch;
        touched.clear();
        baskets.for_each_prefix(item, |prefix| {
            for &r in prefix {
                let f = &mut freq[r as usize];
                if *f == 0 {
                    touched.push(r);
                }
                *f += 1;
            }
        });
        let mut frequent = 0;
        let mut bound = 0;
        let mut last = (0, 0);
        for &r in touched.iter() {
            let f = freq[r as usize];
            if f >= self.min_count {
                frequent += 1;
                bound = bound.max(r as usize + 1);
                last = (r, f);
            }
        }
        if frequent == 1 {
            // One frequent companion: the conditional tree is that single node.
            if !self.over_limit() {
                found.push(&[item, last.0], last.1);
            }
        } else if frequent > 1 {
            seq_offsets.clear();
            seq_ranks.clear();
            seq_offsets.push(0);
            baskets.for_each_prefix(item, |prefix| {
                let start = seq_ranks.len();
                seq_ranks.extend(prefix.iter().filter(|&&r| freq[r as usize] >= self.min_count));
                // Entries left empty add nothing to the tree (weights are all 1, so none to skip).
                if let Some(kept) = seq_ranks.get_mut(start..)
                    && !kept.is_empty()
                {
                    // Baskets list products by code; the tree wants ascending ranks.
                    sort_small(kept);
                    seq_offsets.push(seq_ranks.len());
                }
            });
        }
        for &r in touched.iter() {
            freq[r as usize] = 0;
        }
        if frequent > 1 {
            let tree = FpTree::build(&Sequences { offsets: seq_offsets, ranks: seq_ranks, weights: None }, bound);
            let mut suffix = std::mem::take(&mut scratch.suffix);
            suffix.clear();
            suffix.push(item);
            self.mine_tree(&tree, &mut suffix, scratch, found);
            scratch.suffix = suffix;
        }
    }

    /// Mines every frequent itemset of `tree`, each extended by `suffix`.
    pub(crate) fn mine_tree(&self, tree: &FpTree, suffix: &mut Vec<u32>, scratch: &mut Scratch, found: &mut Found) {
        if tree.is_single_path() {
            let path: Vec<(u32, u64)> = tree.path().collect();
            self.path_combinations(&path, 0, suffix, found);
        } else {
            for entry in tree.header() {
                self.mine_item(tree, entry, suffix, scratch, found);
            }
        }
    }

    /// Emits `suffix ∪ {item}` and mines the item's conditional tree.
    pub(crate) fn mine_item(
        &self,
        tree: &FpTree,
        entry: &HeaderEntry,
        suffix: &mut Vec<u32>,
        scratch: &mut Scratch,
        found: &mut Found,
    ) {
        if self.over_limit() {
            return;
        }
        suffix.push(entry.item);
        found.push(suffix, entry.total);
        if suffix.len() < self.max_len
            && let Some(conditional) = self.conditional_tree(tree, entry, scratch)
        {
            self.mine_tree(&conditional, suffix, scratch, found);
        }
        suffix.pop();
    }

    /// Counts one more itemset; whether the limit is passed.
    fn over_limit(&self) -> bool {
        self.emitted.fetch_add(1, Ordering::Relaxed) >= self.max_itemsets
    }

    /// Whether mining stopped at the itemset limit.
    pub(crate) fn stopped(&self) -> bool {
        self.emitted.load(Ordering::Relaxed) > self.max_itemsets
    }

    /// Every non-empty combination of a single path's items (counts do not increase down a
    /// path, so a combination's count is that of its deepest node).
    fn path_combinations(&self, path: &[(u32, u64)], start: usize, suffix: &mut Vec<u32>, found: &mut Found) {
        for (i, &(rank, count)) in path.iter().enumerate().skip(start) {
            if self.over_limit() {
                return;
            }
            suffix.push(rank);
            found.push(suffix, count);
            if suffix.len() < self.max_len {
                self.path_combinations(path, i + 1, suffix, found);
            }
            suffix.pop();
        }
    }

    /// The FP-tree of the item's conditional pattern base, keeping only items frequent in it;
    /// `None` when no item is.
    fn conditional_tree(&self, tree: &FpTree, entry: &HeaderEntry, scratch: &mut Scratch) -> Option<FpTree> {
        let Scratch { freq, base_ranks, base_ends, base_weights, seq_offsets, seq_ranks, .. } = scratch;
        base_ranks.clear();
        base_ends.clear();
        base_weights.clear();
        tree.pattern_base(entry, base_ranks, base_ends, base_weights);
        let mut start = 0;
        for (&end, &weight) in base_ends.iter().zip(base_weights.iter()) {
            for &rank in &base_ranks[start..end] {
                freq[rank as usize] += weight;
            }
            start = end;
        }
        let mut bound = 0;
        for &rank in base_ranks.iter() {
            if freq[rank as usize] >= self.min_count {
                bound = bound.max(rank as usize + 1);
            }
        }
        let built = if bound == 0 {
            None
        } else {
            // Paths root-first (ascending ranks), infrequent items dropped.
            seq_offsets.clear();
            seq_ranks.clear();
            seq_offsets.push(0);
            let mut start = 0;
            for &end in base_ends.iter() {
                seq_ranks.extend(base_ranks[start..end].iter().rev().filter(|&&r| freq[r as usize] >= self.min_count));
                seq_offsets.push(seq_ranks.len());
                start = end;
            }
            let sequences = Sequences { offsets: seq_offsets, ranks: seq_ranks, weights: Some(base_weights) };
            Some(FpTree::build(&sequences, bound.min(self.ranks)))
        };
        for &rank in base_ranks.iter() {
            freq[rank as usize] = 0;
        }
        built
    }
}
