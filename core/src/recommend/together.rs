//! "Frequently bought together": the products that share baskets with one product.

use super::baskets::{Baskets, count_codes};
use crate::error::{Error, Result};

/// How [`bought_together`] ranks companions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TogetherRanking {
    /// Number of shared baskets (default).
    #[default]
    Count,
    /// Lift: shared baskets relative to what independence predicts.
    Lift,
    /// Cosine of the two products' basket sets.
    Cosine,
}

/// Options of [`bought_together`].
#[derive(Debug, Clone, PartialEq)]
pub struct TogetherOptions {
    /// Companions to return, `>= 1`. Default 10.
    pub top: usize,
    /// Ranking. Default [`TogetherRanking::Count`].
    pub rank_by: TogetherRanking,
    /// Fewest shared baskets a companion needs, `>= 1`. Default 1; raise it when ranking by
    /// lift, which favours rare products.
    pub min_count: u64,
}

impl Default for TogetherOptions {
    fn default() -> Self {
        TogetherOptions { top: 10, rank_by: TogetherRanking::Count, min_count: 1 }
    }
}

/// A product bought together with the queried one.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Companion {
    /// Product code.
    pub product: u32,
    /// Baskets holding both products.
    pub count: u64,
    /// Share of the queried product's baskets that hold this one.
    pub confidence: f64,
    /// `count · baskets / (n_queried · n_companion)`.
    pub lift: f64,
    /// `count / sqrt(n_queried · n_companion)`.
    pub cosine: f64,
}

/// The top companions of `product` in `baskets`, best first (ties by ascending code). A product
/// that is in no basket has no companions (empty list).
///
/// Errors with [`Error::InvalidParameter`] for `top` or `min_count` of 0.
///
/// ```
/// use storelytics::recommend::{Baskets, TogetherOptions, bought_together};
///
/// let baskets = Baskets::from_lists(vec![vec![1, 2], vec![1, 2, 3], vec![1, 3], vec![1, 2]]);
/// let companions = bought_together(&baskets, 1, TogetherOptions::default())?;
/// assert_eq!(companions.iter().map(|c| (c.product, c.count)).collect::<Vec<_>>(), vec![(2, 3), (3, 2)]);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn bought_together(baskets: &Baskets, product: u32, options: TogetherOptions) -> Result<Vec<Companion>> {
    if options.top == 0 {
        return Err(Error::invalid_parameter("top", "must be at least 1"));
    }
    if options.min_count == 0 {
        return Err(Error::invalid_parameter("min_count", "must be at least 1"));
    }
    let mut shared: Vec<u32> = Vec::new();
    let mut own = 0u64;
    for basket in baskets.iter() {
        if basket.binary_search(&product).is_ok() {
            own += 1;
            shared.extend(basket.iter().filter(|&&p| p != product));
        }
    }
    if own == 0 {
        return Ok(Vec::new());
    }
    let together = count_codes(&shared);
    let totals = baskets.product_counts();
    let total_of = |p: u32| totals.binary_search_by_key(&p, |&(c, _)| c).map_or(1, |i| totals[i].1);
    let n = baskets.len() as f64;
    let mut companions: Vec<Companion> = together
        .into_iter()
        .filter(|&(_, count)| count >= options.min_count)
        .map(|(p, count)| {
            let other = total_of(p) as f64;
            let c = count as f64;
            Companion {
                product: p,
                count,
                confidence: c / own as f64,
                lift: c * n / (own as f64 * other),
                cosine: c / (own as f64 * other).sqrt(),
            }
        })
        .collect();
    let key = |c: &Companion| match options.rank_by {
        TogetherRanking::Count => c.count as f64,
        TogetherRanking::Lift => c.lift,
        TogetherRanking::Cosine => c.cosine,
    };
    companions.sort_unstable_by(|a, b| key(b).total_cmp(&key(a)).then(a.product.cmp(&b.product)));
    companions.truncate(options.top);
    Ok(companions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rankings_and_metrics() {
        // 1 and 2 together 3 times; 3 is rare but only with 1 (high lift).
        let baskets = Baskets::from_lists(vec![vec![1, 2], vec![1, 2], vec![1, 2, 3], vec![2], vec![2], vec![4]]);
        let by_count = bought_together(&baskets, 1, TogetherOptions::default()).unwrap();
        assert_eq!(by_count[0].product, 2);
        assert_eq!(by_count[0].count, 3);
        assert!((by_count[0].lift - 3.0 * 6.0 / (3.0 * 5.0)).abs() < 1e-12);
        assert!((by_count[0].cosine - 3.0 / 15f64.sqrt()).abs() < 1e-12);
        assert!((by_count[0].confidence - 1.0).abs() < 1e-12);
        let by_lift =
            bought_together(&baskets, 1, TogetherOptions { rank_by: TogetherRanking::Lift, ..Default::default() });
        assert_eq!(by_lift.unwrap()[0].product, 3);
        let top1 =
            bought_together(&baskets, 2, TogetherOptions { top: 1, min_count: 2, ..Default::default() }).unwrap();
        assert_eq!(top1.len(), 1);
    }

    #[test]
    fn edge_cases() {
        let baskets = Baskets::from_lists(vec![vec![1], vec![1]]);
        assert!(bought_together(&baskets, 1, TogetherOptions::default()).unwrap().is_empty());
        assert!(bought_together(&baskets, 9, TogetherOptions::default()).unwrap().is_empty());
        assert!(bought_together(&Baskets::default(), 9, TogetherOptions::default()).unwrap().is_empty());
        let err = bought_together(&baskets, 1, TogetherOptions { top: 0, ..Default::default() }).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "top"));
        let err = bought_together(&baskets, 1, TogetherOptions { min_count: 0, ..Default::default() }).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "min_count"));
    }
}
