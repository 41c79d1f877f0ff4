//! Ranking metrics for recommendations and the temporal hold-out evaluation.

use super::baskets::Baskets;
use super::customers::{Recommender, popularity};
use super::incidence::Incidence;
use super::similarity::{SimilarityOptions, item_similarity};
use crate::error::{Error, Result};

/// Customer code of guest lines (no customer), the same as [`crate::sales::GUEST`]; such lines
/// are left out of customer histories.
pub const GUEST_CUSTOMER: u32 = crate::sales::GUEST;

/// Ranking quality of top-`k` recommendation lists, averaged over customers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankingMetrics {
    /// List length evaluated.
    pub k: usize,
    /// Customers evaluated (those with at least one relevant product).
    pub customers: usize,
    /// Mean of `hits in top k / k`.
    pub precision: f64,
    /// Mean of `hits in top k / relevant`.
    pub recall: f64,
    /// Mean average precision: mean of `Σ_i precision@i · rel_i / min(relevant, k)`.
    pub map: f64,
    /// Mean normalised discounted cumulative gain with binary gains and `1 / log2(i + 1)` discounts.
    pub ndcg: f64,
    /// Share of customers with at least one hit.
    pub hit_rate: f64,
    /// Distinct products recommended (in the top `k`, over evaluated customers) / catalogue size.
    pub coverage: f64,
}

/// Ranking metrics of `recommended[c]` against `relevant[c]` for every customer `c`. Customers
/// with no relevant product are skipped; lists longer than `k` are cut at `k`, shorter lists
/// count the missing places as misses.
///
/// Errors: [`Error::InvalidParameter`] for `k` of 0; [`Error::LengthMismatch`] when the two
/// slices differ in length; [`Error::InsufficientData`] when no customer has a relevant product.
///
/// ```
/// use storelytics::recommend::ranking_metrics;
///
/// let m = ranking_metrics(&[vec![5, 7, 9]], &[vec![7]], 2, 10)?;
/// assert_eq!((m.precision, m.recall, m.map, m.hit_rate), (0.5, 1.0, 0.5, 1.0));
/// assert!((m.ndcg - 1.0 / 3f64.log2()).abs() < 1e-12);
/// assert_eq!(m.coverage, 0.2);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn ranking_metrics(
    recommended: &[Vec<u32>],
    relevant: &[Vec<u32>],
    k: usize,
    catalogue_size: usize,
) -> Result<RankingMetrics> {
    if k == 0 {
        return Err(Error::invalid_parameter("k", "must be at least 1"));
    }
    if recommended.len() != relevant.len() {
        return Err(Error::LengthMismatch {
            column: "relevant".into(),
            reference: "recommended".into(),
            expected: recommended.len(),
            found: relevant.len(),
        });
    }
    let mut sums = [0.0f64; 5];
    let mut customers = 0usize;
    let mut shown: Vec<u32> = Vec::new();
    for (recs, rel) in recommended.iter().zip(relevant) {
        let mut rel = rel.clone();
        rel.sort_unstable();
        rel.dedup();
        if rel.is_empty() {
            continue;
        }
        customers += 1;
        let (mut hits, mut ap, mut dcg) = (0usize, 0.0, 0.0);
        let mut seen: Vec<u32> = Vec::new();
        for (i, &p) in recs.iter().take(k).enumerate() {
            shown.push(p);
            // A product listed twice counts once.
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            if rel.binary_search(&p).is_ok() {
                hits += 1;
                ap += hits as f64 / (i + 1) as f64;
                dcg += 1.0 / ((i + 2) as f64).log2();
            }
        }
        let ideal: f64 = (0..rel.len().min(k)).map(|i| 1.0 / ((i + 2) as f64).log2()).sum();
        sums[0] += hits as f64 / k as f64;
        sums[1] += hits as f64 / rel.len() as f64;
        sums[2] += ap / rel.len().min(k) as f64;
        sums[3] += dcg / ideal;
        sums[4] += if hits > 0 { 1.0 } else { 0.0 };
    }
    if customers == 0 {
        return Err(Error::insufficient_data("ranking metrics", "no customer has a relevant product"));
    }
    shown.sort_unstable();
    shown.dedup();
    let n = customers as f64;
    Ok(RankingMetrics {
        k,
        customers,
        precision: sums[0] / n,
        recall: sums[1] / n,
        map: sums[2] / n,
        ndcg: sums[3] / n,
        hit_rate: sums[4] / n,
        coverage: if catalogue_size == 0 { 0.0 } else { shown.len() as f64 / catalogue_size as f64 },
    })
}

/// Purchase lines as parallel columns (e.g. taken from the sales table).
#[derive(Debug, Clone, Copy)]
pub struct PurchaseLines<'a> {
    /// Customer code per line ([`GUEST_CUSTOMER`] for guests).
    pub customers: &'a [u32],
    /// Order code per line.
    pub orders: &'a [u32],
    /// Product code per line.
    pub products: &'a [u32],
    /// Time per line, any monotone unit (e.g. UTC microseconds or day numbers).
    pub times: &'a [i64],
}

/// Which rows the item similarities of an evaluation are computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SimilarityBasis {
    /// Customer × product (products bought by the same customers). Default.
    #[default]
    Customers,
    /// Order × product (products bought in the same orders).
    Orders,
}

/// Options of [`evaluate_split`].
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationOptions {
    /// Recommendation list length, `>= 1`. Default 10.
    pub k: usize,
    /// Item similarity settings. Default [`SimilarityOptions::default`].
    pub similarity: SimilarityOptions,
    /// Rows of the similarity. Default [`SimilarityBasis::Customers`].
    pub basis: SimilarityBasis,
}

impl Default for EvaluationOptions {
    fn default() -> Self {
        EvaluationOptions { k: 10, similarity: SimilarityOptions::default(), basis: SimilarityBasis::Customers }
    }
}

/// Result of [`evaluate_split`]: the item-item recommender against the popularity baseline.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evaluation {
    /// Metrics of the item-item recommendations.
    pub recommender: RankingMetrics,
    /// Metrics of "most popular products the customer has not bought".
    pub popularity: RankingMetrics,
    /// Lines before the split (training).
    pub training_lines: usize,
    /// Lines at or after the split (test).
    pub test_lines: usize,
}

/// Temporal hold-out evaluation: fits on lines before `split`, then for every customer with a
/// training history who bought products at or after `split` that they had not bought before,
/// compares the top-`k` recommendations (and the popularity baseline) with those new products.
/// Guest lines count in the order similarity and popularity of [`SimilarityBasis::Orders`] only.
///
/// Errors: [`Error::LengthMismatch`] for columns of different lengths,
/// [`Error::InvalidParameter`] for `k` of 0, [`Error::InsufficientData`] when the split leaves
/// no training lines or no customer to evaluate.
pub fn evaluate_split(lines: PurchaseLines<'_>, split: i64, options: EvaluationOptions) -> Result<Evaluation> {
    let n = lines.products.len();
    for (name, len) in
        [("customers", lines.customers.len()), ("orders", lines.orders.len()), ("times", lines.times.len())]
    {
        if len != n {
            return Err(Error::LengthMismatch {
                column: name.into(),
                reference: "products".into(),
                expected: n,
                found: len,
            });
        }
    }
    if options.k == 0 {
        return Err(Error::invalid_parameter("k", "must be at least 1"));
    }
    let (train, test): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| lines.times[i] < split);
    if train.is_empty() {
        return Err(Error::insufficient_data("recommendation evaluation", "no purchase lines before the split"));
    }
    let history = customer_history(lines, &train);
    let model = match options.basis {
        SimilarityBasis::Customers => Recommender::fit(&history, options.similarity)?,
        SimilarityBasis::Orders => {
            let orders: Vec<u32> = train.iter().map(|&i| lines.orders[i]).collect();
            let products: Vec<u32> = train.iter().map(|&i| lines.products[i]).collect();
            let baskets = Incidence::from_baskets(&Baskets::from_pairs(&orders, &products)?);
            let similarity = item_similarity(&baskets, options.similarity)?;
            Recommender::from_parts(similarity, popularity(&history), history.clone())
        }
    };
    let future = customer_history(lines, &test);
    let mut recommended = Vec::new();
    let mut baseline = Vec::new();
    let mut relevant = Vec::new();
    for (row, &customer) in future.row_ids().iter().enumerate() {
        let Some(position) = history.position(customer) else { continue };
        let (bought, _) = history.row(position).unwrap_or((&[], &[]));
        let (later, _) = future.row(row).unwrap_or((&[], &[]));
        let new: Vec<u32> = later.iter().copied().filter(|p| bought.binary_search(p).is_err()).collect();
        if new.is_empty() {
            continue;
        }
        recommended.push(model.recommend(bought, options.k)?.iter().map(|r| r.product).collect());
        baseline.push(
            model
                .popular()
                .iter()
                .map(|&(p, _)| p)
                .filter(|p| bought.binary_search(p).is_err())
                .take(options.k)
                .collect(),
        );
        relevant.push(new);
    }
    let catalogue = model.popular().len();
    Ok(Evaluation {
        recommender: ranking_metrics(&recommended, &relevant, options.k, catalogue)?,
        popularity: ranking_metrics(&baseline, &relevant, options.k, catalogue)?,
        training_lines: train.len(),
        test_lines: test.len(),
    })
}

/// Customer × product counts of distinct orders over the selected lines (guests left out).
fn customer_history(lines: PurchaseLines<'_>, selected: &[usize]) -> Incidence {
    let mut triples: Vec<(u32, u32, u32)> = selected
        .iter()
        .filter(|&&i| lines.customers[i] != GUEST_CUSTOMER)
        .map(|&i| (lines.customers[i], lines.products[i], lines.orders[i]))
        .collect();
    triples.sort_unstable();
    triples.dedup();
    let customers: Vec<u32> = triples.iter().map(|t| t.0).collect();
    let products: Vec<u32> = triples.iter().map(|t| t.1).collect();
    // Equal lengths by construction.
    Incidence::from_pairs(&customers, &products).unwrap_or_default()
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
