//! Baskets: the distinct products of each order, stored compactly (offsets + product codes).

use std::collections::HashMap;

use crate::error::{Error, Result};

/// The distinct products of each basket (order), in compressed sparse row form.
///
/// Basket `i` holds the products `items[offsets[i]..offsets[i + 1]]`, sorted ascending and
/// without repeats. Memory is proportional to the number of (basket, product) pairs; there is
/// never a dense basket × product matrix.
///
/// ```
/// use storelytics::recommend::Baskets;
///
/// // (basket, product) pairs in any order; repeats collapse.
/// let baskets = Baskets::from_pairs(&[7, 7, 3, 7], &[2, 1, 5, 2])?;
/// assert_eq!(baskets.len(), 2);
/// assert_eq!(baskets.basket(0), Some(&[5][..])); // basket code 3 comes first
/// assert_eq!(baskets.basket(1), Some(&[1, 2][..]));
/// # Ok::<(), storelytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Baskets {
    offsets: Vec<usize>,
    items: Vec<u32>,
}

impl Baskets {
    /// Builds baskets from one list of product codes per basket. Repeats within a list collapse;
    /// empty lists are kept as empty baskets (they count in the number of baskets, so they
    /// lower every support).
    pub fn from_lists<L, B>(lists: L) -> Baskets
    where
        L: IntoIterator<Item = B>,
        B: IntoIterator<Item = u32>,
    {
        let mut offsets = vec![0];
        let mut items = Vec::new();
        for list in lists {
            let start = items.len();
            items.extend(list);
            sort_dedup_tail(&mut items, start);
            offsets.push(items.len());
        }
        Baskets { offsets, items }
    }

    /// Builds baskets from parallel `(basket, product)` code slices (e.g. the order and product
    /// code of every sales line). Baskets come out in ascending basket-code order; a basket code
    /// that never occurs makes no basket. Repeated pairs collapse.
    ///
    /// Errors with [`Error::LengthMismatch`] when the slices differ in length.
    pub fn from_pairs(baskets: &[u32], products: &[u32]) -> Result<Baskets> {
        if baskets.len() != products.len() {
            return Err(Error::LengthMismatch {
                column: "products".into(),
                reference: "baskets".into(),
                expected: baskets.len(),
                found: products.len(),
            });
        }
        let n = baskets.len();
        let Some(&max_basket) = baskets.iter().max() else {
            return Ok(Baskets::default());
        };
        let bound = max_basket as usize + 1;
        if bound <= 4 * n + 1024 {
            Ok(Self::from_pairs_dense(baskets, products, bound))
        } else {
            Ok(Self::from_pairs_sorted(baskets, products))
        }
    }

    /// Counting sort by basket code; codes are dense enough for an array indexed by code.
    fn from_pairs_dense(baskets: &[u32], products: &[u32], bound: usize) -> Baskets {
        let mut starts = vec![0usize; bound + 1];
        for &b in baskets {
            starts[b as usize + 1] += 1;
        }
        for i in 0..bound {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut scattered = vec![0u32; baskets.len()];
        for (&b, &p) in baskets.iter().zip(products) {
            let slot = &mut fill[b as usize];
            scattered[*slot] = p;
            *slot += 1;
        }
        let mut offsets = vec![0];
        let mut items = Vec::with_capacity(scattered.len());
        for w in starts.windows(2) {
            if w[1] > w[0] {
                let start = items.len();
                items.extend_from_slice(&scattered[w[0]..w[1]]);
                sort_dedup_tail(&mut items, start);
                offsets.push(items.len());
            }
        }
        Baskets { offsets, items }
    }

    /// Sorts packed `(basket, product)` keys; for sparse basket codes.
    fn from_pairs_sorted(baskets: &[u32], products: &[u32]) -> Baskets {
        let mut keys: Vec<u64> =
            baskets.iter().zip(products).map(|(&b, &p)| (u64::from(b) << 32) | u64::from(p)).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut offsets = vec![0];
        let mut items = Vec::with_capacity(keys.len());
        let mut current = None;
        for key in keys {
            let basket = (key >> 32) as u32;
            if current.is_some_and(|c| c != basket) {
                offsets.push(items.len());
            }
            current = Some(basket);
            items.push(key as u32);
        }
        if current.is_some() {
            offsets.push(items.len());
        }
        Baskets { offsets, items }
    }

    /// Number of baskets.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are no baskets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The products of basket `index` (sorted, distinct), or `None` past the end.
    pub fn basket(&self, index: usize) -> Option<&[u32]> {
        let start = *self.offsets.get(index)?;
        let end = *self.offsets.get(index + 1)?;
        self.items.get(start..end)
    }

    /// Iterates over the baskets in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[u32]> + '_ {
        self.offsets.windows(2).map(|w| &self.items[w[0]..w[1]])
    }

    /// Total number of (basket, product) pairs.
    pub fn pair_count(&self) -> usize {
        self.items.len()
    }

    /// For every product that occurs, the number of baskets containing it, ascending by code.
    pub fn product_counts(&self) -> Vec<(u32, u64)> {
        count_codes(&self.items)
    }
}

/// Sorts and dedups `items[start..]` in place.
fn sort_dedup_tail(items: &mut Vec<u32>, start: usize) {
    let tail = &mut items[start..];
    tail.sort_unstable();
    let mut write = 0;
    for read in 0..tail.len() {
        if write == 0 || tail[read] != tail[write - 1] {
            tail[write] = tail[read];
            write += 1;
        }
    }
    items.truncate(start + write);
}

/// Occurrences of every code in `codes`, ascending by code. Uses an array indexed by code when
/// the codes are dense (dictionary codes are), a hash map otherwise.
pub(crate) fn count_codes(codes: &[u32]) -> Vec<(u32, u64)> {
    let Some(&max) = codes.iter().max() else {
        return Vec::new();
    };
    let bound = max as usize + 1;
    if bound <= 4 * codes.len() + 65_536 {
        let mut counts = vec![0u64; bound];
        for &c in codes {
            counts[c as usize] += 1;
        }
        counts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(c, &n)| (c as u32, n)).collect()
    } else {
        let mut map: HashMap<u32, u64> = HashMap::new();
        for &c in codes {
            *map.entry(c).or_default() += 1;
        }
        let mut counts: Vec<(u32, u64)> = map.into_iter().collect();
        counts.sort_unstable();
        counts
    }
}

/// A lookup from product code to a dense index (or `None`), by array when codes are dense.
pub(crate) enum CodeIndex {
    /// `slots[code]` is the index, `u32::MAX` for none.
    Dense(Vec<u32>),
    /// Sparse codes.
    Sparse(HashMap<u32, u32>),
}

impl CodeIndex {
    /// Index of `codes[i]` is `i`.
    pub(crate) fn new(codes: &[u32]) -> CodeIndex {
        let bound = codes.iter().max().map_or(0, |&m| m as usize + 1);
        if bound <= 4 * codes.len() + 65_536 {
            let mut slots = vec![u32::MAX; bound];
            for (i, &c) in codes.iter().enumerate() {
                slots[c as usize] = i as u32;
            }
            CodeIndex::Dense(slots)
        } else {
            CodeIndex::Sparse(codes.iter().enumerate().map(|(i, &c)| (c, i as u32)).collect())
        }
    }

    /// The index of `code`, if it has one.
    #[inline]
    pub(crate) fn get(&self, code: u32) -> Option<u32> {
        match self {
            CodeIndex::Dense(slots) => slots.get(code as usize).copied().filter(|&i| i != u32::MAX),
            CodeIndex::Sparse(map) => map.get(&code).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_lists_sorts_and_dedups() {
        let b = Baskets::from_lists(vec![vec![3, 1, 3], vec![], vec![2]]);
        assert_eq!(b.len(), 3);
        assert_eq!(b.basket(0), Some(&[1, 3][..]));
        assert_eq!(b.basket(1), Some(&[][..]));
        assert_eq!(b.basket(2), Some(&[2][..]));
        assert_eq!(b.basket(3), None);
        assert_eq!(b.pair_count(), 3);
    }

    #[test]
    fn from_pairs_dense_and_sparse_agree() {
        let baskets = [5, 1, 5, 1, 9, 5];
        let products = [4, 4, 2, 4, 7, 4];
        let dense = Baskets::from_pairs(&baskets, &products).unwrap();
        let sparse = Baskets::from_pairs_sorted(&baskets, &products);
        assert_eq!(dense, sparse);
        let lists: Vec<Vec<u32>> = dense.iter().map(|b| b.to_vec()).collect();
        assert_eq!(lists, vec![vec![4], vec![2, 4], vec![7]]);
        let huge = Baskets::from_pairs(&[u32::MAX, 0], &[1, u32::MAX]).unwrap();
        assert_eq!(huge.len(), 2);
        assert_eq!(huge.basket(1), Some(&[1][..]));
    }

    #[test]
    fn from_pairs_rejects_length_mismatch_and_accepts_empty() {
        assert!(matches!(Baskets::from_pairs(&[1], &[]), Err(Error::LengthMismatch { .. })));
        assert!(Baskets::from_pairs(&[], &[]).unwrap().is_empty());
    }

    #[test]
    fn product_counts_dense_and_sparse() {
        let b = Baskets::from_lists(vec![vec![1, 2], vec![2], vec![u32::MAX]]);
        assert_eq!(b.product_counts(), vec![(1, 1), (2, 2), (u32::MAX, 1)]);
        let idx = CodeIndex::new(&[10, 3]);
        assert_eq!(idx.get(3), Some(1));
        assert_eq!(idx.get(4), None);
        assert_eq!(idx.get(u32::MAX), None);
    }
}
