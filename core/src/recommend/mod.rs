//! Product recommendations: baskets, frequent itemsets (FP-growth), association rules,
//! item-item similarity, "frequently bought together", per-customer recommendations and their
//! evaluation on a held-out period.
//!
//! Everything works on product codes (`u32`, as interned by the sales table) and sparse
//! structures: [`Baskets`] (distinct products per order) and [`Incidence`] (order × product or
//! customer × product counts). No analysis builds a dense order × product matrix.
//!
//! Bundles (top rules by lift) and recommendations for a customer, from a sales table:
//!
//! ```
//! use storelytics::generator::{GeneratorConfig, generate};
//! use storelytics::recommend::{
//!     BasketOptions, Baskets, FpGrowthOptions, Recommender, RuleOptions, SimilarityOptions, association_rules,
//!     frequent_itemsets,
//! };
//!
//! let sales = generate(&GeneratorConfig { lines: 20_000, ..Default::default() })?.sales;
//! let baskets = Baskets::from_sales(&sales, &BasketOptions::default())?;
//! let itemsets = frequent_itemsets(&baskets, FpGrowthOptions { min_support: 0.002, ..Default::default() })?;
//! let mut bundles = association_rules(&itemsets, RuleOptions { min_confidence: 0.1, min_lift: 1.0 })?;
//! bundles.sort_by(|a, b| b.lift.total_cmp(&a.lift));
//! for rule in bundles.iter().take(3) {
//!     let names: Vec<String> = rule.antecedent.iter().map(|&p| sales.products().id(p).to_string()).collect();
//!     println!("{names:?} -> {:?}: lift {:.2}", rule.consequent, rule.lift);
//! }
//!
//! let model = Recommender::from_sales(&sales, &BasketOptions::default(), SimilarityOptions::default())?;
//! let customer = sales.customer_codes().iter().copied().find(|&c| c != storelytics::sales::GUEST).unwrap_or(0);
//! // Products the customer has not bought yet, best first (fewer only if they bought nearly all).
//! for r in model.recommend_for(customer, 5)? {
//!     println!("{} ({:?}, score {:.3})", sales.products().id(r.product), r.source, r.score);
//! }
//! # Ok::<(), storelytics::Error>(())
//! ```

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
