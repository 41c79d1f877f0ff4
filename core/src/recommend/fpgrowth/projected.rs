//! The baskets as rank sequences, with the list of baskets holding each item: the top-level
//! conditional pattern bases are read from here directly, so the FP-tree of all baskets is
//! never built. On sparse retail baskets that tree shares few prefixes, and walking it up from
//! every node costs more than this flat scan.
//!
//! Items keep the baskets' product-code order, so no basket needs sorting: the pattern base of
//! an item is, in every basket holding it, the items listed before it. Any fixed order of the
//! items counts every itemset exactly once (at its last item); only the conditional trees,
//! built from the few frequent items of a base, need ascending ranks.

use super::super::baskets::{Baskets, CodeIndex};

/// Baskets with at least two frequent products, as ranks in product-code order, and for every
/// rank the baskets where it is not the first item (where its pattern base entry is not empty).
pub(crate) struct RankedBaskets {
    /// Concatenated rank sequences (distinct ranks in each).
    ranks: Vec<u32>,
    /// `holders[holder_ends[r - 1]..holder_ends[r]]` (from 0 for `r = 0`): start in `ranks` of
    /// each basket holding rank `r` after its first item.
    holder_ends: Vec<usize>,
    holders: Vec<u32>,
}

impl RankedBaskets {
    /// Maps the baskets' products to ranks (`index` gives the rank of each frequent product,
    /// `ranks` is their number), dropping infrequent products and baskets left with fewer than
    /// two items. `None` when more than `u32::MAX` items are kept.
    pub(crate) fn build(baskets: &Baskets, index: &CodeIndex, ranks: usize) -> Option<RankedBaskets> {
        match index {
            CodeIndex::Dense(slots) => {
                Self::build_with(baskets, ranks, |code| slots.get(code as usize).copied().unwrap_or(u32::MAX))
            }
            CodeIndex::Sparse(map) => {
                Self::build_with(baskets, ranks, |code| map.get(&code).copied().unwrap_or(u32::MAX))
            }
        }
    }

    /// [`RankedBaskets::build`] with the rank of each code (`u32::MAX` for infrequent products).
    fn build_with(baskets: &Baskets, ranks: usize, rank_of: impl Fn(u32) -> u32) -> Option<RankedBaskets> {
        let mut ranked: Vec<u32> = Vec::with_capacity(baskets.pair_count());
        let mut starts: Vec<u32> = Vec::new();
        let mut holder_ends = vec![0usize; ranks];
        for basket in baskets.iter() {
            let start = ranked.len();
            ranked.resize(start + basket.len(), 0);
            let mut end = start;
            for &code in basket {
                // Branch-free compaction: an infrequent code is overwritten by the next kept one.
                let rank = rank_of(code);
                if let Some(slot) = ranked.get_mut(end) {
                    *slot = rank;
                }
                end += usize::from(rank != u32::MAX);
            }
            ranked.truncate(end);
            let kept = ranked.get(start..).unwrap_or_default();
            if kept.len() < 2 {
                ranked.truncate(start);
                continue;
            }
            for &r in &kept[1..] {
                if let Some(c) = holder_ends.get_mut(r as usize) {
                    *c += 1;
                }
            }
            starts.push(u32::try_from(start).ok()?);
        }
        u32::try_from(ranked.len()).ok()?;
        let mut total = 0;
        for end in holder_ends.iter_mut() {
            total += *end;
            *end = total;
        }
        // Each rank's list is filled back to front from its end; the ends end up as starts.
        let mut fill = holder_ends.clone();
        let mut holders = vec![0u32; total];
        let ends = starts.iter().skip(1).map(|&s| s as usize).chain(std::iter::once(ranked.len()));
        for (&start, end) in starts.iter().zip(ends) {
            for &r in ranked.get(start as usize + 1..end).unwrap_or_default() {
                if let Some(slot) = fill.get_mut(r as usize) {
                    *slot = slot.saturating_sub(1);
                    if let Some(h) = holders.get_mut(*slot) {
                        *h = start;
                    }
                }
            }
        }
        Some(RankedBaskets { ranks: ranked, holder_ends, holders })
    }

    /// Start positions (in the rank sequences) of the baskets holding `rank` after their first item.
    fn holders_of(&self, rank: u32) -> &[u32] {
        let r = rank as usize;
        let start = if r == 0 { 0 } else { self.holder_ends.get(r - 1).copied().unwrap_or(0) };
        let end = self.holder_ends.get(r).copied().unwrap_or(start);
        self.holders.get(start..end).unwrap_or_default()
    }

    /// Calls `visit` with the items listed before `rank` in every basket holding it after its
    /// first item (the item's conditional pattern base, each entry of weight 1).
    #[inline]
    pub(crate) fn for_each_prefix(&self, rank: u32, mut visit: impl FnMut(&[u32])) {
        // Baskets are scattered over memory: load the first item of a batch of them before
        // scanning any, so the cache misses overlap instead of queueing behind the scans.
        const BATCH: usize = 16;
        let mut firsts = [0u32; BATCH];
        for batch in self.holders_of(rank).chunks(BATCH) {
            for (first, &start) in firsts.iter_mut().zip(batch) {
                *first = self.ranks.get(start as usize).copied().unwrap_or(rank);
            }
            for (&first, &start) in firsts.iter().zip(batch) {
                if first == rank {
                    continue;
                }
                let tail = self.ranks.get(start as usize..).unwrap_or_default();
                let len = tail.iter().position(|&r| r == rank).unwrap_or(tail.len());
                visit(&tail[..len]);
            }
        }
    }
}

/// Sorts a short slice (insertion sort; baskets are usually a handful of items).
pub(crate) fn sort_small(items: &mut [u32]) {
    if items.len() > 24 {
        items.sort_unstable();
        return;
    }
    for i in 1..items.len() {
        let x = items[i];
        let mut j = i;
        while j > 0 && items[j - 1] > x {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes(ranked: &RankedBaskets, rank: u32) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        ranked.for_each_prefix(rank, |p| out.push(p.to_vec()));
        out.sort();
        out
    }

    #[test]
    fn prefixes_follow_code_order_and_skip_infrequent_products() {
        // Codes 10, 20, 30 are frequent with ranks 2, 0, 1; code 99 is not.
        let baskets =
            Baskets::from_lists(vec![vec![10, 20, 30], vec![20, 99, 30], vec![30], vec![99, 10], vec![10, 30]]);
        let index = CodeIndex::new(&[20, 30, 10]);
        let ranked = RankedBaskets::build(&baskets, &index, 3).unwrap();
        // Kept baskets in code order: [2, 0, 1], [0, 1], [2, 1]; [30] and [99, 10] have one item.
        assert_eq!(ranked.ranks, vec![2, 0, 1, 0, 1, 2, 1]);
        assert_eq!(prefixes(&ranked, 2), Vec::<Vec<u32>>::new());
        assert_eq!(prefixes(&ranked, 0), vec![vec![2]]);
        assert_eq!(prefixes(&ranked, 1), vec![vec![0], vec![2], vec![2, 0]]);
        assert_eq!(prefixes(&ranked, 7), Vec::<Vec<u32>>::new());
    }

    #[test]
    fn sorts_short_and_long_slices() {
        let mut short = vec![5, 1, 4, 1, 0];
        sort_small(&mut short);
        assert_eq!(short, vec![0, 1, 1, 4, 5]);
        let mut long: Vec<u32> = (0..40).rev().collect();
        sort_small(&mut long);
        assert_eq!(long, (0..40).collect::<Vec<_>>());
    }
}
