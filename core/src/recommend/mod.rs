//! Product recommendations: baskets, frequent itemsets (FP-growth), association rules,
//! item-item similarity, "frequently bought together", per-customer recommendations and their
//! evaluation on a held-out period.
//!
//! Everything works on product codes (`u32`, as interned by the sales table) and sparse
//! structures: [`Baskets`] (distinct products per order) and [`Incidence`] (order × product or
//! customer × product counts). No analysis builds a dense order × product matrix.

mod baskets;
mod customers;
mod evaluate;
mod fpgrowth;
mod incidence;
mod rules;
mod sales;
mod similarity;
mod together;

pub use baskets::Baskets;
pub use customers::{Recommendation, RecommendationSource, Recommender};
pub use evaluate::{
    Evaluation, EvaluationOptions, GUEST_CUSTOMER, PurchaseLines, RankingMetrics, SimilarityBasis, evaluate_split,
    ranking_metrics,
};
pub use fpgrowth::{FpGrowthOptions, FrequentItemsets, Itemset, frequent_itemsets};
pub use incidence::Incidence;
pub use rules::{AssociationRule, RuleOptions, association_rules};
pub use sales::{BasketOptions, evaluate_sales};
pub use similarity::{ItemSimilarity, Neighbour, SimilarityMeasure, SimilarityOptions, item_similarity};
pub use together::{Companion, TogetherOptions, TogetherRanking, bought_together};
