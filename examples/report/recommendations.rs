//! The report's recommendation section: bundles (association rules by lift), what is bought
//! with the best-selling product, recommendations for a few customers, and how the
//! recommender does against popularity on the report period.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use storelytics::recommend::{
    BasketOptions, Baskets, EvaluationOptions, FpGrowthOptions, RankingMetrics, RecommendationSource, Recommender,
    RuleOptions, SimilarityOptions, TogetherOptions, association_rules, bought_together, evaluate_sales,
    frequent_itemsets,
};
use storelytics::{Id, Result, Sales};

/// Smallest share of orders a bundle must appear in.
const MIN_SUPPORT: f64 = 0.002;
/// Smallest confidence of a bundle rule.
const MIN_CONFIDENCE: f64 = 0.1;
/// Recommendations per customer.
const RECOMMENDATIONS: usize = 5;

/// An association rule with product ids.
#[derive(Serialize)]
pub(crate) struct Bundle {
    antecedent: Vec<String>,
    consequent: Vec<String>,
    orders: u64,
    support: f64,
    confidence: f64,
    lift: f64,
}

/// Products bought in the same orders as one product.
#[derive(Serialize)]
pub(crate) struct BoughtTogether {
    product: String,
    companions: Vec<Companion>,
}

/// One companion product.
#[derive(Serialize)]
pub(crate) struct Companion {
    product: String,
    orders: u64,
    confidence: f64,
    lift: f64,
}

/// One recommended product.
#[derive(Serialize)]
pub(crate) struct Recommended {
    product: String,
    score: f64,
    /// `similar` (item-item) or `popular` (fallback).
    source: RecommendationSource,
}

/// Recommendations for one customer.
#[derive(Serialize)]
pub(crate) struct CustomerRecommendations {
    customer: String,
    /// Distinct products the customer has bought.
    products_bought: usize,
    recommendations: Vec<Recommended>,
}

/// The recommender against the popularity baseline on a temporal split.
#[derive(Serialize)]
pub(crate) struct Evaluation {
    /// Trained on lines before this date, tested on the rest.
    split: NaiveDate,
    recommender: RankingMetrics,
    popularity: RankingMetrics,
}

/// The whole section.
#[derive(Serialize)]
pub(crate) struct RecommendationSection {
    orders: usize,
    min_support: f64,
    min_confidence: f64,
    bundles: Vec<Bundle>,
    bought_together: Option<BoughtTogether>,
    customers: Vec<CustomerRecommendations>,
    evaluation: Option<Evaluation>,
    /// Why there is no evaluation, if so (e.g. no customer bought anything new after the split).
    evaluation_problem: Option<String>,
}

/// Bundles over all orders, recommendations for `customers` and an evaluation split at `split`.
pub(crate) fn build(sales: &Sales, top: usize, customers: &[Id], split: NaiveDate) -> Result<RecommendationSection> {
    let name = |p: u32| sales.products().id(p).to_string();
    let lines = BasketOptions::default();
    let baskets = Baskets::from_sales(sales, &lines)?;
    let itemsets = frequent_itemsets(
        &baskets,
        FpGrowthOptions { min_support: MIN_SUPPORT, max_len: Some(3), ..Default::default() },
    )?;
    let mut rules = association_rules(&itemsets, RuleOptions { min_confidence: MIN_CONFIDENCE, min_lift: 1.0 })?;
    rules.sort_by(|a, b| b.lift.total_cmp(&a.lift).then(b.count.cmp(&a.count)));
    let bundles = rules
        .iter()
        .take(top)
        .map(|r| Bundle {
            antecedent: r.antecedent.iter().map(|&p| name(p)).collect(),
            consequent: r.consequent.iter().map(|&p| name(p)).collect(),
            orders: r.count,
            support: r.support,
            confidence: r.confidence,
            lift: r.lift,
        })
        .collect();
    // The product in the most orders and what goes with it.
    let best = baskets.product_counts().into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    let bought_together = match best {
        Some((product, _)) => {
            let companions = bought_together(&baskets, product, TogetherOptions { top, ..Default::default() })?;
            Some(BoughtTogether {
                product: name(product),
                companions: companions
                    .iter()
                    .map(|c| Companion {
                        product: name(c.product),
                        orders: c.count,
                        confidence: c.confidence,
                        lift: c.lift,
                    })
                    .collect(),
            })
        }
        None => None,
    };
    let model = Recommender::from_sales(sales, &lines, SimilarityOptions::default())?;
    let history = storelytics::recommend::Incidence::customers_from_sales(sales, &lines)?;
    let customers = customers
        .iter()
        .filter_map(|id| sales.customers().code(id).map(|code| (id, code)))
        .map(|(id, code)| {
            let bought = history.position(code).and_then(|i| history.row(i)).map_or(0, |(p, _)| p.len());
            Ok(CustomerRecommendations {
                customer: id.to_string(),
                products_bought: bought,
                recommendations: model
                    .recommend_for(code, RECOMMENDATIONS)?
                    .iter()
                    .map(|r| Recommended { product: name(r.product), score: r.score, source: r.source })
                    .collect(),
            })
        })
        .collect::<Result<_>>()?;
    let (evaluation, evaluation_problem) = match evaluate_sales(sales, split, &lines, EvaluationOptions::default()) {
        Ok(e) => (Some(Evaluation { split, recommender: e.recommender, popularity: e.popularity }), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(RecommendationSection {
        orders: baskets.len(),
        min_support: MIN_SUPPORT,
        min_confidence: MIN_CONFIDENCE,
        bundles,
        bought_together,
        customers,
        evaluation,
        evaluation_problem,
    })
}

/// Appends the section to the text report.
pub(crate) fn render(out: &mut String, r: &RecommendationSection) {
    let _ = writeln!(
        out,
        "\nBundles: top association rules by lift ({} orders, support ≥ {}, confidence ≥ {})",
        r.orders, r.min_support, r.min_confidence
    );
    if r.bundles.is_empty() {
        let _ = writeln!(out, "  none at this support");
    }
    for b in &r.bundles {
        let _ = writeln!(
            out,
            "  {:<24} → {:<12} lift {:>6.2}  confidence {:>5.1}%  in {} orders",
            b.antecedent.join(" + "),
            b.consequent.join(" + "),
            b.lift,
            b.confidence * 100.0,
            b.orders
        );
    }
    if let Some(t) = &r.bought_together {
        let list: Vec<String> =
            t.companions.iter().map(|c| format!("{} ({:.0}%)", c.product, c.confidence * 100.0)).collect();
        let _ = writeln!(out, "\nFrequently bought with {}: {}", t.product, list.join(", "));
    }
    let _ = writeln!(out, "\nRecommendations for top customers (item-item, skipping what they bought)");
    for c in &r.customers {
        let list: Vec<String> = c
            .recommendations
            .iter()
            .map(|x| match x.source {
                RecommendationSource::Similar => x.product.clone(),
                RecommendationSource::Popular => format!("{} (popular)", x.product),
            })
            .collect();
        let _ = writeln!(out, "  {:<12} ({} products bought): {}", c.customer, c.products_bought, list.join(", "));
    }
    match (&r.evaluation, &r.evaluation_problem) {
        (Some(e), _) => {
            let _ = writeln!(
                out,
                "  hold-out from {} ({} customers): MAP@{k} {:.4} vs popularity {:.4}, NDCG@{k} {:.4} vs {:.4}",
                e.split,
                e.recommender.customers,
                e.recommender.map,
                e.popularity.map,
                e.recommender.ndcg,
                e.popularity.ndcg,
                k = e.recommender.k
            );
        }
        (None, problem) => {
            let _ = writeln!(out, "  no hold-out evaluation: {}", problem.as_deref().unwrap_or("—"));
        }
    }
}
