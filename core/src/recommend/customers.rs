//! Per-customer recommendations: item-item neighbours of what the customer bought, skipping
//! what they already have, with a popularity fallback.

use super::incidence::Incidence;
use super::similarity::{ItemSimilarity, SimilarityOptions, item_similarity};
use crate::error::{Error, Result};

/// Why a product was recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecommendationSource {
    /// Similar to products in the customer's history.
    Similar,
    /// Popular overall: the fallback for new customers or when too few similar products exist.
    Popular,
}

/// One recommended product.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Recommendation {
    /// Product code.
    pub product: u32,
    /// Sum of similarities to the history (`Similar`) or the number of buyers (`Popular`).
    pub score: f64,
    /// Why it was recommended.
    pub source: RecommendationSource,
}

/// An item-item recommender fitted on purchase histories.
///
/// ```
/// use storelytics::recommend::{Incidence, RecommendationSource, Recommender, SimilarityOptions};
///
/// // Customers 1-3 buy coffee (10) with milk (11); customer 4 only bread (12).
/// let history = Incidence::from_pairs(&[1, 1, 2, 2, 3, 3, 4, 5], &[10, 11, 10, 11, 10, 11, 12, 10])?;
/// let model = Recommender::fit(&history, SimilarityOptions::default())?;
/// let recs = model.recommend_for(5, 2)?; // bought coffee: gets milk first
/// assert_eq!(recs[0].product, 11);
/// assert_eq!(recs[0].source, RecommendationSource::Similar);
/// let new = model.recommend_for(99, 1)?; // unknown customer: most popular product
/// assert_eq!((new[0].product, new[0].source), (10, RecommendationSource::Popular));
/// # Ok::<(), storelytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Recommender {
    similarity: ItemSimilarity,
    /// Products by number of rows (buyers) holding them, most popular first.
    popular: Vec<(u32, u64)>,
    history: Incidence,
}

impl Recommender {
    /// Fits item-item similarities on `history` (customer × product counts, or order × product
    /// incidence) and ranks products by popularity for the fallback.
    pub fn fit(history: &Incidence, options: SimilarityOptions) -> Result<Recommender> {
        let similarity = item_similarity(history, options)?;
        Ok(Recommender { similarity, popular: popularity(history), history: history.clone() })
    }

    /// A recommender from precomputed similarities (e.g. over orders), with customer
    /// histories `history` for [`Recommender::recommend_for`] and popularity from them.
    pub fn with_similarity(similarity: ItemSimilarity, history: &Incidence) -> Recommender {
        Recommender::from_parts(similarity, popularity(history), history.clone())
    }

    pub(crate) fn from_parts(similarity: ItemSimilarity, popular: Vec<(u32, u64)>, history: Incidence) -> Recommender {
        Recommender { similarity, popular, history }
    }

    /// The fitted similarities.
    pub fn similarity(&self) -> &ItemSimilarity {
        &self.similarity
    }

    /// Products by number of buyers, most popular first (ties by ascending code).
    pub fn popular(&self) -> &[(u32, u64)] {
        &self.popular
    }

    /// Top `top` products for the customer with row code `customer` in the fitted history;
    /// a customer not in it gets the most popular products.
    pub fn recommend_for(&self, customer: u32, top: usize) -> Result<Vec<Recommendation>> {
        let bought = self.history.position(customer).and_then(|i| self.history.row(i)).map_or(&[][..], |(p, _)| p);
        self.recommend(bought, top)
    }

    /// Top `top` products for a customer who bought `bought` (any order, repeats allowed):
    /// products scored by the sum of their similarities to the history, never one already
    /// bought; remaining places are filled with popular products (marked
    /// [`RecommendationSource::Popular`]). Fewer than `top` only when the catalogue runs out.
    ///
    /// Errors with [`Error::InvalidParameter`] when `top` is 0.
    pub fn recommend(&self, bought: &[u32], top: usize) -> Result<Vec<Recommendation>> {
        if top == 0 {
            return Err(Error::invalid_parameter("top", "must be at least 1"));
        }
        let mut history = bought.to_vec();
        history.sort_unstable();
        history.dedup();
        let owned = |p: u32| history.binary_search(&p).is_ok();
        let mut scored: Vec<(u32, f64)> = Vec::new();
        for &p in &history {
            scored.extend(
                self.similarity.neighbours(p).iter().filter(|n| !owned(n.product)).map(|n| (n.product, n.score)),
            );
        }
        scored.sort_unstable_by_key(|&(p, _)| p);
        let mut summed: Vec<(u32, f64)> = Vec::new();
        for (p, s) in scored {
            match summed.last_mut() {
                Some(last) if last.0 == p => last.1 += s,
                _ => summed.push((p, s)),
            }
        }
        summed.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        summed.truncate(top);
        let mut out: Vec<Recommendation> = summed
            .iter()
            .map(|&(product, score)| Recommendation { product, score, source: RecommendationSource::Similar })
            .collect();
        if out.len() < top {
            let mut chosen: Vec<u32> = out.iter().map(|r| r.product).collect();
            chosen.sort_unstable();
            for &(product, buyers) in &self.popular {
                if out.len() == top {
                    break;
                }
                if !owned(product) && chosen.binary_search(&product).is_err() {
                    out.push(Recommendation { product, score: buyers as f64, source: RecommendationSource::Popular });
                }
            }
        }
        Ok(out)
    }
}

/// Products by number of rows holding them, most first, ties by ascending code.
pub(crate) fn popularity(history: &Incidence) -> Vec<(u32, u64)> {
    let mut popular = history.product_rows();
    popular.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    popular
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Recommender {
        // Two taste groups: {1,2,3} and {4,5}; 6 is bought by everyone.
        let rows = [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5];
        let products = [1, 2, 6, 2, 3, 6, 4, 5, 4, 5, 6, 1, 3, 6];
        Recommender::fit(&Incidence::from_pairs(&rows, &products).unwrap(), SimilarityOptions::default()).unwrap()
    }

    #[test]
    fn skips_history_and_uses_neighbours() {
        let m = model();
        let recs = m.recommend(&[1], 3).unwrap();
        assert!(recs.iter().all(|r| r.product != 1));
        assert_eq!(recs[0].source, RecommendationSource::Similar);
        assert!(recs.iter().any(|r| r.product == 3 || r.product == 2));
        let recs = m.recommend_for(3, 5).unwrap();
        assert!(recs.iter().all(|r| r.product != 4 && r.product != 5));
    }

    #[test]
    fn popularity_fallback_and_exhaustion() {
        let m = model();
        assert_eq!(m.popular()[0], (6, 4));
        let new = m.recommend(&[], 2).unwrap();
        assert_eq!(
            new.iter().map(|r| (r.product, r.source)).collect::<Vec<_>>(),
            vec![(6, RecommendationSource::Popular), (1, RecommendationSource::Popular)]
        );
        // Asking for more than the catalogue holds returns the whole remaining catalogue.
        let all = m.recommend(&[1, 2], 100).unwrap();
        assert_eq!(all.len(), 4);
        let unknown_products = m.recommend(&[77], 1).unwrap();
        assert_eq!(unknown_products[0].source, RecommendationSource::Popular);
        assert!(matches!(m.recommend(&[1], 0), Err(Error::InvalidParameter { .. })));
    }

    #[test]
    fn product_bought_by_everyone_is_never_recommended_to_its_buyers() {
        let everyone = Incidence::from_pairs(&[1, 2, 3], &[9, 9, 9]).unwrap();
        let m = Recommender::fit(&everyone, SimilarityOptions::default()).unwrap();
        assert!(m.recommend_for(1, 3).unwrap().is_empty());
        assert_eq!(m.recommend_for(8, 3).unwrap()[0].product, 9);
    }
}
