//! Frequent itemsets by FP-growth (Han, Pei & Yin, "Mining frequent patterns without candidate
//! generation", SIGMOD 2000).
//!
//! Products are ranked by frequency and infrequent ones dropped. The top level reads each
//! product's conditional pattern base (the frequent products listed before it in the baskets
//! that hold it) straight from the ranked baskets through a per-product list of those baskets,
//! rather than from an FP-tree of all baskets: retail baskets share few prefixes, so that tree
//! barely compresses and walking it costs more than the flat scan. A product with one frequent
//! companion yields its pair at once; with more, their FP-tree (most frequent first, so paths
//! share prefixes) is built and mined recursively, and a tree that is a single path yields all
//! combinations of its items at once. Memory is linear in the (basket, product) pairs, never
//! baskets × products. With the `parallel` feature the top-level products are mined on the
//! rayon pool; the output is sorted into a canonical order, so it does not depend on threads.

mod mine;
mod projected;
mod tree;

use std::sync::atomic::AtomicUsize;

use mine::{Found, Miner, Scratch};
use projected::RankedBaskets;

use super::baskets::{Baskets, CodeIndex};
use crate::error::{Error, Result};

/// Options of [`frequent_itemsets`].
#[derive(Debug, Clone, PartialEq)]
pub struct FpGrowthOptions {
    /// Smallest support (fraction of baskets containing the itemset) to report, in `(0, 1]`.
    /// Default `0.01`.
    pub min_support: f64,
    /// Longest itemset to report; `None` (default) for no limit. `Some(0)` is invalid.
    pub max_len: Option<usize>,
    /// Most itemsets to produce, `>= 1`. Default 10,000,000. A few products that share many
    /// baskets (or one giant basket) have exponentially many frequent combinations; past this
    /// limit mining stops with [`Error::InvalidParameter`] naming `min_support`, so raise it or
    /// set `max_len`.
    pub max_itemsets: usize,
}

impl Default for FpGrowthOptions {
    fn default() -> Self {
        FpGrowthOptions { min_support: 0.01, max_len: None, max_itemsets: 10_000_000 }
    }
}

/// One frequent itemset: its products (ascending codes), how many baskets hold all of them and
/// that count as a fraction of all baskets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Itemset<'a> {
    /// Product codes, ascending.
    pub products: &'a [u32],
    /// Number of baskets containing every product of the itemset.
    pub count: u64,
    /// `count / number of baskets`.
    pub support: f64,
}

/// All frequent itemsets, ordered by size, then by product codes (independent of threads).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrequentItemsets {
    baskets: u64,
    ends: Vec<usize>,
    products: Vec<u32>,
    counts: Vec<u64>,
}

impl FrequentItemsets {
    /// Number of itemsets.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether no itemset is frequent.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Number of baskets the supports are relative to.
    pub fn basket_count(&self) -> u64 {
        self.baskets
    }

    /// Itemset `index`, or `None` past the end.
    pub fn get(&self, index: usize) -> Option<Itemset<'_>> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { *self.ends.get(index - 1)? };
        let count = *self.counts.get(index)?;
        Some(Itemset { products: self.products.get(start..end)?, count, support: count as f64 / self.baskets as f64 })
    }

    /// Iterates over the itemsets in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Itemset<'_>> + '_ {
        let total = self.baskets as f64;
        self.ends.iter().enumerate().map(move |(i, &end)| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            Itemset {
                products: &self.products[start..end],
                count: self.counts[i],
                support: self.counts[i] as f64 / total,
            }
        })
    }
}

/// Finds every itemset contained in at least `min_support` of the baskets, by FP-growth.
///
/// An itemset is frequent when `count / baskets >= min_support` (the same comparison as
/// mlxtend's `fpgrowth`, so the two agree on borderline itemsets).
///
/// Errors: [`Error::InvalidParameter`] for `min_support` outside `(0, 1]` or `max_len` of 0;
/// [`Error::InsufficientData`] when there are no baskets.
///
/// ```
/// use storelytics::recommend::{Baskets, FpGrowthOptions, frequent_itemsets};
///
/// let baskets = Baskets::from_lists(vec![vec![1, 2], vec![1, 2, 3], vec![1], vec![2, 3]]);
/// let sets = frequent_itemsets(&baskets, FpGrowthOptions { min_support: 0.5, ..Default::default() })?;
/// let found: Vec<(&[u32], u64)> = sets.iter().map(|s| (s.products, s.count)).collect();
/// assert_eq!(found, vec![(&[1][..], 3), (&[2][..], 3), (&[3][..], 2), (&[1, 2][..], 2), (&[2, 3][..], 2)]);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn frequent_itemsets(baskets: &Baskets, options: FpGrowthOptions) -> Result<FrequentItemsets> {
    let min_support = options.min_support;
    if !(min_support > 0.0 && min_support <= 1.0) {
        return Err(Error::invalid_parameter(
            "min_support",
            format!("must be a fraction of baskets in (0, 1], got {min_support}"),
        ));
    }
    if options.max_len == Some(0) {
        return Err(Error::invalid_parameter("max_len", "must be at least 1 (or None for no limit)"));
    }
    if options.max_itemsets == 0 {
        return Err(Error::invalid_parameter("max_itemsets", "must be at least 1"));
    }
    if baskets.is_empty() {
        return Err(Error::insufficient_data("frequent itemsets", "there are no baskets"));
    }
    let total = baskets.len() as u64;
    let min_count = min_count(min_support, total);
    let max_len = options.max_len.unwrap_or(usize::MAX);

    // Frequent products, most frequent first (ties by code): rank 0, 1, ...
    let mut frequent: Vec<(u32, u64)> = baskets.product_counts().into_iter().filter(|&(_, n)| n >= min_count).collect();
    frequent.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rank_codes: Vec<u32> = frequent.iter().map(|&(code, _)| code).collect();
    let ranks = rank_codes.len();
    if ranks == 0 {
        return Ok(FrequentItemsets { baskets: total, ..Default::default() });
    }

    let index = CodeIndex::new(&rank_codes);
    let Some(ranked) = RankedBaskets::build(baskets, &index, ranks) else {
        return Err(Error::invalid_parameter(
            "min_support",
            "the baskets hold more than 4,294,967,295 frequent products in all; raise min_support",
        ));
    };
    drop(index);
    let miner = Miner { min_count, max_len, ranks, max_itemsets: options.max_itemsets, emitted: AtomicUsize::new(0) };
    let counts: Vec<u64> = frequent.iter().map(|&(_, n)| n).collect();
    let found = mine_top_level(&miner, &ranked, &counts);
    if miner.stopped() {
        return Err(Error::invalid_parameter(
            "min_support",
            format!(
                "more than {} frequent itemsets at min_support {min_support}; raise min_support, set max_len or \
                 raise max_itemsets",
                options.max_itemsets
            ),
        ));
    }
    Ok(collect(found, &rank_codes, total))
}

#[cfg(feature = "parallel")]
fn mine_top_level(miner: &Miner, baskets: &RankedBaskets, counts: &[u64]) -> Found {
    use rayon::prelude::*;
    counts
        .par_iter()
        .enumerate()
        .fold(
            || (Scratch::new(miner.ranks), Found::default()),
            |(mut scratch, mut found), (item, &count)| {
                miner.mine_top_item(baskets, item as u32, count, &mut scratch, &mut found);
                (scratch, found)
            },
        )
        .map(|(_, found)| found)
        .reduce(Found::default, |mut all, part| {
            all.append(part);
            all
        })
}

#[cfg(not(feature = "parallel"))]
fn mine_top_level(miner: &Miner, baskets: &RankedBaskets, counts: &[u64]) -> Found {
    let mut scratch = Scratch::new(miner.ranks);
    let mut found = Found::default();
    for (item, &count) in counts.iter().enumerate() {
        miner.mine_top_item(baskets, item as u32, count, &mut scratch, &mut found);
    }
    found
}

/// Smallest count `c >= 1` with `c / total >= min_support` in floating point.
fn min_count(min_support: f64, total: u64) -> u64 {
    let n = total as f64;
    let mut c = ((min_support * n).ceil() as u64).max(1);
    while c > 1 && (c - 1) as f64 / n >= min_support {
        c -= 1;
    }
    while (c as f64 / n) < min_support {
        c += 1;
    }
    c
}

/// Maps ranks back to product codes and puts itemsets in canonical order.
fn collect(found: Found, rank_codes: &[u32], total: u64) -> FrequentItemsets {
    let mut products: Vec<u32> = found.ranks.iter().map(|&r| rank_codes[r as usize]).collect();
    let mut start = 0;
    for &end in &found.ends {
        products[start..end].sort_unstable();
        start = end;
    }
    let span = |i: usize| (if i == 0 { 0 } else { found.ends[i - 1] }, found.ends[i]);
    let mut order: Vec<usize> = (0..found.counts.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (sa, ea) = span(a);
        let (sb, eb) = span(b);
        (ea - sa).cmp(&(eb - sb)).then_with(|| products[sa..ea].cmp(&products[sb..eb]))
    });
    let mut out = FrequentItemsets {
        baskets: total,
        ends: Vec::with_capacity(order.len()),
        products: Vec::with_capacity(products.len()),
        counts: Vec::with_capacity(order.len()),
    };
    for i in order {
        let (s, e) = span(i);
        out.products.extend_from_slice(&products[s..e]);
        out.ends.push(out.products.len());
        out.counts.push(found.counts[i]);
    }
    out
}

#[cfg(test)]
mod tests;
