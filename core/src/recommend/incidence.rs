//! Sparse row × product incidence (rows are orders or customers), with counts.

use super::baskets::{Baskets, CodeIndex, count_codes};
use crate::error::{Error, Result};

/// A sparse row × product matrix of counts: rows are orders (each product once) or customers
/// (how many of their orders held the product). Only non-zero entries are stored.
///
/// ```
/// use storelytics::recommend::Incidence;
///
/// // Customer 4 bought product 1 in two orders and product 2 once.
/// let customers = Incidence::from_pairs(&[4, 4, 4, 9], &[1, 1, 2, 2])?;
/// assert_eq!(customers.len(), 2);
/// assert_eq!(customers.row(0), Some((&[1, 2][..], &[2, 1][..])));
/// # Ok::<(), storelytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Incidence {
    row_ids: Vec<u32>,
    offsets: Vec<usize>,
    products: Vec<u32>,
    counts: Vec<u32>,
}

impl Incidence {
    /// One row per basket, each product counted once.
    pub fn from_baskets(baskets: &Baskets) -> Incidence {
        let mut offsets = vec![0];
        let mut products = Vec::with_capacity(baskets.pair_count());
        for b in baskets.iter() {
            products.extend_from_slice(b);
            offsets.push(products.len());
        }
        let counts = vec![1; products.len()];
        Incidence { row_ids: (0..baskets.len() as u32).collect(), offsets, products, counts }
    }

    /// One row per distinct row code (e.g. customer), ascending; every `(row, product)` pair
    /// adds one to the entry. Pass one pair per (order, product) to count orders.
    ///
    /// Errors with [`Error::LengthMismatch`] when the slices differ in length.
    pub fn from_pairs(rows: &[u32], products: &[u32]) -> Result<Incidence> {
        if rows.len() != products.len() {
            return Err(Error::LengthMismatch {
                column: "products".into(),
                reference: "rows".into(),
                expected: rows.len(),
                found: products.len(),
            });
        }
        let mut keys: Vec<u64> =
            rows.iter().zip(products).map(|(&r, &p)| (u64::from(r) << 32) | u64::from(p)).collect();
        keys.sort_unstable();
        let mut out = Incidence { offsets: vec![0], ..Default::default() };
        let mut i = 0;
        while i < keys.len() {
            let key = keys[i];
            let mut j = i;
            while j < keys.len() && keys[j] == key {
                j += 1;
            }
            let row = (key >> 32) as u32;
            if out.row_ids.last() != Some(&row) {
                if !out.row_ids.is_empty() {
                    out.offsets.push(out.products.len());
                }
                out.row_ids.push(row);
            }
            out.products.push(key as u32);
            out.counts.push(u32::try_from(j - i).unwrap_or(u32::MAX));
            i = j;
        }
        if !out.row_ids.is_empty() {
            out.offsets.push(out.products.len());
        }
        Ok(out)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.row_ids.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.row_ids.is_empty()
    }

    /// The row codes (customer codes, or basket positions for [`Incidence::from_baskets`]).
    pub fn row_ids(&self) -> &[u32] {
        &self.row_ids
    }

    /// Products (ascending) and counts of row `index`.
    pub fn row(&self, index: usize) -> Option<(&[u32], &[u32])> {
        let start = *self.offsets.get(index)?;
        let end = *self.offsets.get(index + 1)?;
        Some((self.products.get(start..end)?, self.counts.get(start..end)?))
    }

    /// Position of the row with code `row_id`, if any.
    pub fn position(&self, row_id: u32) -> Option<usize> {
        self.row_ids.binary_search(&row_id).ok()
    }

    /// Products that occur, ascending, with the number of rows holding each.
    pub fn product_rows(&self) -> Vec<(u32, u64)> {
        count_codes(&self.products)
    }

    /// The transpose over dense product positions: for each product (ascending code) the
    /// `(row, count)` entries, plus each row's products as dense positions.
    pub(crate) fn columns(&self) -> Columns {
        let products: Vec<u32> = self.product_rows().into_iter().map(|(p, _)| p).collect();
        let index = CodeIndex::new(&products);
        let dense: Vec<u32> = self.products.iter().map(|&p| index.get(p).unwrap_or(0)).collect();
        let mut starts = vec![0usize; products.len() + 1];
        for &d in &dense {
            starts[d as usize + 1] += 1;
        }
        for i in 0..products.len() {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut entry_rows = vec![0u32; dense.len()];
        let mut entry_counts = vec![0u32; dense.len()];
        for (row, w) in self.offsets.windows(2).enumerate() {
            for e in w[0]..w[1] {
                let slot = &mut fill[dense[e] as usize];
                entry_rows[*slot] = row as u32;
                entry_counts[*slot] = self.counts[e];
                *slot += 1;
            }
        }
        Columns {
            products,
            starts,
            entry_rows,
            entry_counts,
            row_offsets: self.offsets.clone(),
            row_products: dense,
            row_counts: self.counts.clone(),
        }
    }
}

/// Column (product) view of an [`Incidence`], products as dense positions.
pub(crate) struct Columns {
    /// Product code of each position.
    pub(crate) products: Vec<u32>,
    /// Entries of position `p`: `starts[p]..starts[p + 1]`.
    pub(crate) starts: Vec<usize>,
    pub(crate) entry_rows: Vec<u32>,
    pub(crate) entry_counts: Vec<u32>,
    /// Row view with dense product positions.
    pub(crate) row_offsets: Vec<usize>,
    pub(crate) row_products: Vec<u32>,
    pub(crate) row_counts: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_count_repeats_and_transpose() {
        let inc = Incidence::from_pairs(&[3, 1, 3, 3], &[7, 7, 5, 7]).unwrap();
        assert_eq!(inc.row_ids(), &[1, 3]);
        assert_eq!(inc.row(0), Some((&[7][..], &[1][..])));
        assert_eq!(inc.row(1), Some((&[5, 7][..], &[1, 2][..])));
        assert_eq!(inc.position(3), Some(1));
        assert_eq!(inc.product_rows(), vec![(5, 1), (7, 2)]);
        let cols = inc.columns();
        assert_eq!(cols.products, vec![5, 7]);
        assert_eq!(cols.starts, vec![0, 1, 3]);
        assert_eq!(cols.entry_rows, vec![1, 0, 1]);
        assert_eq!(cols.entry_counts, vec![1, 1, 2]);
        assert!(Incidence::from_pairs(&[1], &[]).is_err());
        assert!(Incidence::from_pairs(&[], &[]).unwrap().is_empty());
    }
}
