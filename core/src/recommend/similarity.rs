//! Item-item similarity (cosine or BM25-weighted cosine) over a sparse incidence matrix,
//! keeping the top neighbours of each product.

use super::incidence::{Columns, Incidence};
use crate::error::{Error, Result};

/// How entries of the incidence matrix are weighted before taking the cosine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SimilarityMeasure {
    /// Plain cosine of the product columns: `Σ_r x_rp x_rq / (‖x_p‖ ‖x_q‖)`.
    Cosine,
    /// Cosine of BM25-weighted columns. Entry `x` of row `r` (a "term") in product `p`'s
    /// column (a "document") weighs `idf_r · x (k1 + 1) / (x + k1 (1 - b + b · len_p / avg_len))`
    /// with `idf_r = ln(1 + (P - n_r + 0.5) / (n_r + 0.5))`, `P` the number of products, `n_r`
    /// the products in row `r`, `len_p = Σ_r x_rp` and `avg_len` its mean over products. Rows
    /// with many products (big baskets, heavy buyers) count less. On 0/1 order incidence the
    /// length factor is constant per product and cancels, leaving idf row weights.
    Bm25 {
        /// Count saturation, `>= 0` (typical 1.2).
        k1: f64,
        /// Length normalisation, in `[0, 1]` (typical 0.75).
        b: f64,
    },
}

impl SimilarityMeasure {
    /// BM25 with the customary parameters of text retrieval, `k1 = 1.2` and `b = 0.75`.
    pub const BM25: SimilarityMeasure = SimilarityMeasure::Bm25 { k1: 1.2, b: 0.75 };
}

/// Options of [`item_similarity`].
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarityOptions {
    /// Weighting. Default [`SimilarityMeasure::Cosine`].
    pub measure: SimilarityMeasure,
    /// Neighbours kept per product, `>= 1`. Default 50.
    pub neighbours: usize,
}

impl Default for SimilarityOptions {
    fn default() -> Self {
        SimilarityOptions { measure: SimilarityMeasure::Cosine, neighbours: 50 }
    }
}

/// A product similar to another, with its score.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Neighbour {
    /// Product code.
    pub product: u32,
    /// Similarity in `(0, 1]`.
    pub score: f64,
}

/// The top neighbours of every product, best first (ties by ascending code).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemSimilarity {
    products: Vec<u32>,
    offsets: Vec<usize>,
    neighbours: Vec<Neighbour>,
}

impl ItemSimilarity {
    /// The neighbours of `product`, best first; empty for a product never seen.
    pub fn neighbours(&self, product: u32) -> &[Neighbour] {
        match self.products.binary_search(&product) {
            Ok(i) => &self.neighbours[self.offsets[i]..self.offsets[i + 1]],
            Err(_) => &[],
        }
    }

    /// Products that occurred in the data, ascending.
    pub fn products(&self) -> &[u32] {
        &self.products
    }
}

/// Similarity of every pair of products that share a row, keeping each product's top
/// `neighbours`. Cost is `Σ_rows len²`, memory is the incidence plus the neighbour lists.
///
/// Errors with [`Error::InvalidParameter`] for `neighbours` of 0 or BM25 `k1`/`b` out of range.
///
/// ```
/// use storelytics::recommend::{Baskets, Incidence, SimilarityOptions, item_similarity};
///
/// let baskets = Baskets::from_lists(vec![vec![1, 2], vec![1, 2], vec![1, 3]]);
/// let sim = item_similarity(&Incidence::from_baskets(&baskets), SimilarityOptions::default())?;
/// let top = sim.neighbours(2)[0];
/// assert_eq!(top.product, 1);
/// assert!((top.score - 2.0 / (3.0f64 * 2.0).sqrt()).abs() < 1e-12);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn item_similarity(incidence: &Incidence, options: SimilarityOptions) -> Result<ItemSimilarity> {
    if options.neighbours == 0 {
        return Err(Error::invalid_parameter("neighbours", "must be at least 1"));
    }
    if let SimilarityMeasure::Bm25 { k1, b } = options.measure {
        if !(k1.is_finite() && k1 >= 0.0) {
            return Err(Error::invalid_parameter("k1", format!("must be a finite number >= 0, got {k1}")));
        }
        if !(0.0..=1.0).contains(&b) {
            return Err(Error::invalid_parameter("b", format!("must be in [0, 1], got {b}")));
        }
    }
    let cols = incidence.columns();
    let weights = entry_weights(&cols, options.measure);
    let norms: Vec<f64> = (0..cols.products.len())
        .map(|p| weights.column[cols.starts[p]..cols.starts[p + 1]].iter().map(|w| w * w).sum::<f64>().sqrt())
        .collect();
    let job = Job { cols: &cols, weights: &weights, norms: &norms, keep: options.neighbours };
    let per_product = job.run();
    let mut out = ItemSimilarity { products: cols.products.clone(), offsets: vec![0], neighbours: Vec::new() };
    for list in per_product {
        out.neighbours.extend(list);
        out.offsets.push(out.neighbours.len());
    }
    Ok(out)
}

/// Weight of every stored entry, in column order and in row order.
struct Weights {
    column: Vec<f64>,
    row: Vec<f64>,
}

fn entry_weights(cols: &Columns, measure: SimilarityMeasure) -> Weights {
    match measure {
        SimilarityMeasure::Cosine => Weights {
            column: cols.entry_counts.iter().map(|&c| f64::from(c)).collect(),
            row: cols.row_counts.iter().map(|&c| f64::from(c)).collect(),
        },
        SimilarityMeasure::Bm25 { k1, b } => {
            let products = cols.products.len() as f64;
            let rows = cols.row_offsets.len().saturating_sub(1);
            let idf: Vec<f64> = (0..rows)
                .map(|r| {
                    let n = (cols.row_offsets[r + 1] - cols.row_offsets[r]) as f64;
                    (1.0 + (products - n + 0.5) / (n + 0.5)).ln()
                })
                .collect();
            let lengths: Vec<f64> = (0..cols.products.len())
                .map(|p| cols.entry_counts[cols.starts[p]..cols.starts[p + 1]].iter().map(|&c| f64::from(c)).sum())
                .collect();
            let avg = if lengths.is_empty() { 1.0 } else { lengths.iter().sum::<f64>() / lengths.len() as f64 };
            let weight = |row: usize, product: usize, count: u32| {
                let x = f64::from(count);
                idf[row] * x * (k1 + 1.0) / (x + k1 * (1.0 - b + b * lengths[product] / avg))
            };
            let mut column = Vec::with_capacity(cols.entry_counts.len());
            for p in 0..cols.products.len() {
                for e in cols.starts[p]..cols.starts[p + 1] {
                    column.push(weight(cols.entry_rows[e] as usize, p, cols.entry_counts[e]));
                }
            }
            let mut row = Vec::with_capacity(cols.row_counts.len());
            for r in 0..rows {
                for e in cols.row_offsets[r]..cols.row_offsets[r + 1] {
                    row.push(weight(r, cols.row_products[e] as usize, cols.row_counts[e]));
                }
            }
            Weights { column, row }
        }
    }
}

/// The shared inputs of the per-product neighbour search.
struct Job<'a> {
    cols: &'a Columns,
    weights: &'a Weights,
    norms: &'a [f64],
    keep: usize,
}

/// Dense accumulator over product positions, reset through the list of touched positions.
struct Accumulator {
    dot: Vec<f64>,
    touched: Vec<u32>,
}

impl Job<'_> {
    fn run(&self) -> Vec<Vec<Neighbour>> {
        let n = self.cols.products.len();
        let init = || Accumulator { dot: vec![0.0; n], touched: Vec::new() };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            (0..n).into_par_iter().map_init(init, |acc, p| self.neighbours_of(p, acc)).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            let mut acc = init();
            (0..n).map(|p| self.neighbours_of(p, &mut acc)).collect()
        }
    }

    fn neighbours_of(&self, p: usize, acc: &mut Accumulator) -> Vec<Neighbour> {
        let cols = self.cols;
        for e in cols.starts[p]..cols.starts[p + 1] {
            let w_p = self.weights.column[e];
            let r = cols.entry_rows[e] as usize;
            for f in cols.row_offsets[r]..cols.row_offsets[r + 1] {
                let q = cols.row_products[f];
                if q as usize == p {
                    continue;
                }
                if acc.dot[q as usize] == 0.0 {
                    acc.touched.push(q);
                }
                acc.dot[q as usize] += w_p * self.weights.row[f];
            }
        }
        let mut found: Vec<Neighbour> = Vec::with_capacity(acc.touched.len());
        for &q in &acc.touched {
            let dot = std::mem::take(&mut acc.dot[q as usize]);
            let denominator = self.norms[p] * self.norms[q as usize];
            if dot > 0.0 && denominator > 0.0 {
                found.push(Neighbour { product: cols.products[q as usize], score: (dot / denominator).min(1.0) });
            }
        }
        acc.touched.clear();
        let best_first = |a: &Neighbour, b: &Neighbour| b.score.total_cmp(&a.score).then(a.product.cmp(&b.product));
        if found.len() > self.keep {
            found.select_nth_unstable_by(self.keep - 1, best_first);
            found.truncate(self.keep);
        }
        found.sort_unstable_by(best_first);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::Baskets;

    fn dense_cosine(rows: &[Vec<(u32, f64)>], p: u32, q: u32) -> f64 {
        let get = |r: &Vec<(u32, f64)>, x: u32| r.iter().find(|e| e.0 == x).map_or(0.0, |e| e.1);
        let dot: f64 = rows.iter().map(|r| get(r, p) * get(r, q)).sum();
        let np: f64 = rows.iter().map(|r| get(r, p).powi(2)).sum::<f64>().sqrt();
        let nq: f64 = rows.iter().map(|r| get(r, q).powi(2)).sum::<f64>().sqrt();
        dot / (np * nq)
    }

    #[test]
    fn cosine_matches_dense_computation() {
        let inc = Incidence::from_pairs(&[0, 0, 0, 1, 1, 2, 2, 2, 3], &[1, 2, 2, 2, 3, 1, 3, 4, 4]).unwrap();
        let sim = item_similarity(&inc, SimilarityOptions { neighbours: 10, ..Default::default() }).unwrap();
        let rows: Vec<Vec<(u32, f64)>> = (0..inc.len())
            .map(|i| {
                let (p, c) = inc.row(i).unwrap();
                p.iter().zip(c).map(|(&p, &c)| (p, f64::from(c))).collect()
            })
            .collect();
        for &p in sim.products() {
            for n in sim.neighbours(p) {
                assert!((n.score - dense_cosine(&rows, p, n.product)).abs() < 1e-12);
            }
        }
        assert_eq!(sim.neighbours(1).len(), 3);
        assert!(sim.neighbours(99).is_empty());
    }

    #[test]
    fn keeps_top_neighbours_and_validates() {
        let baskets = Baskets::from_lists(vec![vec![1, 2, 3, 4], vec![1, 2], vec![1, 2, 3]]);
        let inc = Incidence::from_baskets(&baskets);
        let sim = item_similarity(&inc, SimilarityOptions { neighbours: 1, ..Default::default() }).unwrap();
        assert_eq!(sim.neighbours(1), &[Neighbour { product: 2, score: 1.0 }]);
        assert!(item_similarity(&inc, SimilarityOptions { neighbours: 0, ..Default::default() }).is_err());
        let bad = SimilarityOptions { measure: SimilarityMeasure::Bm25 { k1: 1.2, b: 2.0 }, neighbours: 5 };
        assert!(matches!(item_similarity(&inc, bad), Err(Error::InvalidParameter { .. })));
        let bm25 = SimilarityOptions { measure: SimilarityMeasure::Bm25 { k1: 1.2, b: 0.75 }, neighbours: 5 };
        let s = item_similarity(&inc, bm25).unwrap();
        assert!(s.neighbours(1).iter().all(|n| n.score > 0.0 && n.score <= 1.0));
    }

    #[test]
    fn degenerate_incidence() {
        // Single-product rows: no pairs at all. One giant row: everything equally similar.
        let singles = Incidence::from_baskets(&Baskets::from_lists(vec![vec![1], vec![2]]));
        let sim = item_similarity(&singles, SimilarityOptions::default()).unwrap();
        assert!(sim.neighbours(1).is_empty());
        let giant = Incidence::from_baskets(&Baskets::from_lists(vec![(0..30u32).collect::<Vec<_>>()]));
        let sim = item_similarity(&giant, SimilarityOptions { neighbours: 5, ..Default::default() }).unwrap();
        assert_eq!(sim.neighbours(0).iter().map(|n| n.product).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert!(sim.neighbours(0).iter().all(|n| (n.score - 1.0).abs() < 1e-12));
        let empty = item_similarity(&Incidence::default(), SimilarityOptions::default()).unwrap();
        assert!(empty.products().is_empty());
    }
}
