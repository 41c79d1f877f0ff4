//! The FP-tree (frequent-pattern tree) of Han, Pei and Yin (2000), stored as flat arrays.
//!
//! Items are ranks `0..m` (rank 0 = most frequent); every path from the root lists ranks in
//! ascending order, so frequent items share prefixes near the root and the tree stays small.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Marks the root's item.
const ROOT: u32 = u32::MAX;

/// Hasher for packed `(parent node, item)` keys: one multiply and a fold of the high bits.
#[derive(Default)]
pub(crate) struct NodeKeyHasher(u64);

impl Hasher for NodeKeyHasher {
    fn finish(&self) -> u64 {
        let h = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^ (h >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// Child lookup used while inserting paths; reused between trees to save allocations.
pub(crate) type ChildMap = HashMap<u64, u32, BuildHasherDefault<NodeKeyHasher>>;

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
}

/// One item of the header table.
#[derive(Clone, Copy)]
pub(crate) struct HeaderEntry {
    pub(crate) item: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) total: u64,
}

/// Builds an [`FpTree`] path by path.
pub(crate) struct TreeBuilder<'a> {
    item: Vec<u32>,
    parent: Vec<u32>,
    count: Vec<u64>,
    has_child: Vec<bool>,
    branched: bool,
    children: &'a mut ChildMap,
}

impl<'a> TreeBuilder<'a> {
    pub(crate) fn new(children: &'a mut ChildMap) -> Self {
        children.clear();
        TreeBuilder {
            item: vec![ROOT],
            parent: vec![0],
            count: vec![0],
            has_child: vec![false],
            branched: false,
            children,
        }
    }

    /// Inserts one transaction: item ranks in ascending order, with its weight.
    pub(crate) fn insert(&mut self, ranks: &[u32], weight: u64) {
        let mut node = 0u32;
        for &rank in ranks {
            let key = (u64::from(node) << 32) | u64::from(rank);
            let next_index = self.item.len() as u32;
            let child = *self.children.entry(key).or_insert(next_index);
            if child == next_index {
                let parent = node as usize;
                if self.has_child[parent] {
                    self.branched = true;
                }
                self.has_child[parent] = true;
                self.item.push(rank);
                self.parent.push(node);
                self.count.push(weight);
                self.has_child.push(false);
            } else {
                self.count[child as usize] += weight;
            }
            node = child;
        }
    }

    /// Finishes the tree; `item_bound` is one more than the largest rank inserted.
    pub(crate) fn finish(self, item_bound: usize) -> FpTree {
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
        let mut header_nodes = vec![0u32; self.item.len().saturating_sub(1)];
        for (node, &rank) in self.item.iter().enumerate().skip(1) {
            let slot = &mut fill[rank as usize];
            header_nodes[*slot as usize] = node as u32;
            *slot += 1;
        }
        let header = (0..item_bound)
            .filter(|&r| starts[r + 1] > starts[r])
            .map(|r| HeaderEntry { item: r as u32, start: starts[r], end: starts[r + 1], total: totals[r] })
            .collect();
        FpTree {
            item: self.item,
            parent: self.parent,
            count: self.count,
            branched: self.branched,
            header,
            header_nodes,
        }
    }
}

impl FpTree {
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
        for &node in &self.header_nodes[entry.start as usize..entry.end as usize] {
            let weight = self.count[node as usize];
            let mut up = self.parent[node as usize];
            while up != 0 {
                ranks.push(self.item[up as usize]);
                up = self.parent[up as usize];
            }
            ends.push(ranks.len());
            weights.push(weight);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_prefixes_and_builds_header() {
        let mut map = ChildMap::default();
        let mut b = TreeBuilder::new(&mut map);
        b.insert(&[0, 1, 2], 1);
        b.insert(&[0, 1], 2);
        assert!(!b.branched);
        b.insert(&[0, 2], 1);
        let tree = b.finish(3);
        assert!(!tree.is_single_path());
        let totals: Vec<(u32, u64)> = tree.header().iter().map(|h| (h.item, h.total)).collect();
        assert_eq!(totals, vec![(0, 4), (1, 3), (2, 2)]);
        let (mut ranks, mut ends, mut weights) = (Vec::new(), Vec::new(), Vec::new());
        tree.pattern_base(&tree.header()[2], &mut ranks, &mut ends, &mut weights);
        assert_eq!(ranks, vec![1, 0, 0]);
        assert_eq!(ends, vec![2, 3]);
        assert_eq!(weights, vec![1, 1]);
    }
}
