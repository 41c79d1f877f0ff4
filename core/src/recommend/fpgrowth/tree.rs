//! The FP-tree (frequent-pattern tree) of Han, Pei and Yin (2000), stored as flat arrays.
//!
//! Items are ranks `0..m` (rank 0 = most frequent); every path from the root lists ranks in
//! ascending order, so frequent items share prefixes near the root and the tree stays small.
//! The tree is built from all transactions at once by partitioning them level by level on
//! their next item (a most-significant-digit radix sort), which needs no hashing and touches
//! each transaction item once per level.

/// Marks the root's item.
const ROOT: u32 = u32::MAX;

/// Transactions as rank sequences (each ascending), with optional weights (1 when absent).
pub(crate) struct Sequences<'a> {
    pub(crate) offsets: &'a [usize],
    pub(crate) ranks: &'a [u32],
    pub(crate) weights: Option<&'a [u64]>,
}

impl Sequences<'_> {
    fn len_of(&self, s: u32) -> usize {
        self.offsets[s as usize + 1] - self.offsets[s as usize]
    }

    fn rank_at(&self, s: u32, depth: usize) -> u32 {
        self.ranks[self.offsets[s as usize] + depth]
    }

    fn weight(&self, s: u32) -> u64 {
        self.weights.map_or(1, |w| w[s as usize])
    }
}

/// An FP-tree with a header table (all nodes of each item).
pub(crate) struct FpTree {
    /// Item rank of each node (`ROOT` for node 0).
    item: Vec<u32>,
    /// Parent node of each node (the root points to itself).
    parent: Vec<u32>,
    /// Number of (weighted) transactions through each node.
    count: Vec<u64>,
    /// Whether some node has two or more children.
    branched: bool,
    /// Items present, ascending, with the range of their nodes in `header_nodes` and their total count.
    header: Vec<HeaderEntry>,
    header_nodes: Vec<u32>,
    /// Count of each node of `header_nodes` (same order), read sequentially while mining.
    header_counts: Vec<u64>,
    /// `parent << 32 | item` of each node: one memory access per step when walking up.
    links: Vec<u64>,
}

/// One item of the header table.
#[derive(Clone, Copy)]
pub(crate) struct HeaderEntry {
    pub(crate) item: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) total: u64,
}

/// One pending group: transactions `order[start..end]` share the path to `node` (of length `depth`).
struct Task {
    node: u32,
    depth: usize,
    start: usize,
    end: usize,
}

impl FpTree {
    /// Builds the tree of all non-empty sequences; `item_bound` is one more than the largest rank.
    pub(crate) fn build(sequences: &Sequences<'_>, item_bound: usize) -> FpTree {
        let count = sequences.offsets.len().saturating_sub(1);
        let mut order: Vec<u32> = (0..count as u32).filter(|&s| sequences.len_of(s) > 0).collect();
        let mut tree = FpTree {
            item: vec![ROOT],
            parent: vec![0],
            count: vec![0],
            branched: false,
            header: Vec::new(),
            header_nodes: Vec::new(),
            header_counts: Vec::new(),
            links: Vec::new(),
        };
        let mut buckets = vec![0usize; item_bound + 1];
        let mut scratch: Vec<u32> = Vec::new();
        let mut tasks = vec![Task { node: 0, depth: 0, start: 0, end: order.len() }];
        while let Some(task) = tasks.pop() {
            // Transactions that end at this node go first; the rest continue below it.
            let mut live = task.start;
            for i in task.start..task.end {
                if sequences.len_of(order[i]) == task.depth {
                    order.swap(i, live);
                    live += 1;
                }
            }
            let group = &mut order[live..task.end];
            if group.is_empty() {
                continue;
            }
            let depth = task.depth;
            if group.len() > item_bound {
                counting_sort(group, &mut scratch, &mut buckets, |s| sequences.rank_at(s, depth) as usize);
            } else {
                group.sort_unstable_by_key(|&s| sequences.rank_at(s, depth));
            }
            let mut children = 0;
            let mut i = live;
            while i < task.end {
                let rank = sequences.rank_at(order[i], depth);
                let mut weight = 0;
                let mut j = i;
                while j < task.end && sequences.rank_at(order[j], depth) == rank {
                    weight += sequences.weight(order[j]);
                    j += 1;
                }
                let node = tree.item.len() as u32;
                tree.item.push(rank);
                tree.parent.push(task.node);
                tree.count.push(weight);
                if j - i == 1 {
                    // One transaction left below: its remaining items form a chain.
                    let s = order[i];
                    let mut parent = node;
                    for d in depth + 1..sequences.len_of(s) {
                        tree.item.push(sequences.rank_at(s, d));
                        tree.parent.push(parent);
                        tree.count.push(weight);
                        parent = tree.item.len() as u32 - 1;
                    }
                } else {
                    tasks.push(Task { node, depth: depth + 1, start: i, end: j });
                }
                children += 1;
                i = j;
            }
            if children > 1 {
                tree.branched = true;
            }
        }
        tree.build_header(item_bound);
        tree
    }

    fn build_header(&mut self, item_bound: usize) {
        let mut starts = vec![0u32; item_bound + 1];
        let mut totals = vec![0u64; item_bound];
        for (node, &rank) in self.item.iter().enumerate().skip(1) {
            starts[rank as usize + 1] += 1;
            totals[rank as usize] += self.count[node];
        }
        for i in 0..item_bound {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        self.header_nodes = vec![0u32; self.item.len().saturating_sub(1)];
        self.header_counts = vec![0u64; self.item.len().saturating_sub(1)];
        for (node, &rank) in self.item.iter().enumerate().skip(1) {
            let slot = &mut fill[rank as usize];
            self.header_nodes[*slot as usize] = node as u32;
            self.header_counts[*slot as usize] = self.count[node];
            *slot += 1;
        }
        self.links = self.item.iter().zip(&self.parent).map(|(&i, &p)| (u64::from(p) << 32) | u64::from(i)).collect();
        self.header = (0..item_bound)
            .filter(|&r| starts[r + 1] > starts[r])
            .map(|r| HeaderEntry { item: r as u32, start: starts[r], end: starts[r + 1], total: totals[r] })
            .collect();
    }

    /// The header table: items present, ascending rank.
    pub(crate) fn header(&self) -> &[HeaderEntry] {
        &self.header
    }

    /// Whether the tree is one path from the root (no node has two children).
    pub(crate) fn is_single_path(&self) -> bool {
        !self.branched
    }

    /// For a single-path tree: `(rank, count)` of its nodes from the root down.
    pub(crate) fn path(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.item.iter().copied().zip(self.count.iter().copied()).skip(1)
    }

    /// Appends the conditional pattern base of `entry`'s item: for each of its nodes, the
    /// ranks above it (leaf to root order) into `ranks`, its end offset into `ends` and the
    /// node's count into `weights`.
    pub(crate) fn pattern_base(
        &self,
        entry: &HeaderEntry,
        ranks: &mut Vec<u32>,
        ends: &mut Vec<usize>,
        weights: &mut Vec<u64>,
    ) {
        let range = entry.start as usize..entry.end as usize;
        for (&node, &weight) in self.header_nodes[range.clone()].iter().zip(&self.header_counts[range]) {
            let mut up = (self.links[node as usize] >> 32) as usize;
            while up != 0 {
                let link = self.links[up];
                ranks.push(link as u32);
                up = (link >> 32) as usize;
            }
            ends.push(ranks.len());
            weights.push(weight);
        }
    }
}

/// Stable counting sort of `group` by `key` (< `buckets.len() - 1`).
fn counting_sort(group: &mut [u32], scratch: &mut Vec<u32>, buckets: &mut [usize], key: impl Fn(u32) -> usize) {
    buckets.iter_mut().for_each(|b| *b = 0);
    for &s in group.iter() {
        buckets[key(s) + 1] += 1;
    }
    for i in 1..buckets.len() {
        buckets[i] += buckets[i - 1];
    }
    scratch.clear();
    scratch.resize(group.len(), 0);
    for &s in group.iter() {
        let slot = &mut buckets[key(s)];
        scratch[*slot] = s;
        *slot += 1;
    }
    group.copy_from_slice(scratch);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_prefixes_and_builds_header() {
        let offsets = [0, 3, 5, 5, 7, 9];
        let ranks = [0, 1, 2, 0, 1, 0, 2, 0, 1];
        let weights = [1, 1, 5, 1, 1];
        let seqs = Sequences { offsets: &offsets, ranks: &ranks, weights: Some(&weights) };
        let tree = FpTree::build(&seqs, 3);
        assert!(!tree.is_single_path());
        assert_eq!(tree.item.len(), 5); // root, 0, 0-1, 0-1-2, 0-2
        let totals: Vec<(u32, u64)> = tree.header().iter().map(|h| (h.item, h.total)).collect();
        assert_eq!(totals, vec![(0, 4), (1, 3), (2, 2)]);
        let (mut ranks, mut ends, mut weights) = (Vec::new(), Vec::new(), Vec::new());
        tree.pattern_base(&tree.header()[2], &mut ranks, &mut ends, &mut weights);
        let mut bases: Vec<(Vec<u32>, u64)> = Vec::new();
        let mut start = 0;
        for (&end, &w) in ends.iter().zip(&weights) {
            bases.push((ranks[start..end].to_vec(), w));
            start = end;
        }
        bases.sort();
        assert_eq!(bases, vec![(vec![0], 1), (vec![1, 0], 1)]);
    }

    #[test]
    fn single_path_and_counting_sort_branch() {
        let offsets = [0, 2, 3];
        let ranks = [0, 1, 0];
        let tree = FpTree::build(&Sequences { offsets: &offsets, ranks: &ranks, weights: None }, 2);
        assert!(tree.is_single_path());
        assert_eq!(tree.path().collect::<Vec<_>>(), vec![(0, 2), (1, 1)]);
        // More transactions than items: the counting-sort branch.
        let offsets: Vec<usize> = (0..=10).collect();
        let ranks: Vec<u32> = (0..10).map(|i| i % 2).collect();
        let tree = FpTree::build(&Sequences { offsets: &offsets, ranks: &ranks, weights: None }, 2);
        let totals: Vec<u64> = tree.header().iter().map(|h| h.total).collect();
        assert_eq!(totals, vec![5, 5]);
    }
}
