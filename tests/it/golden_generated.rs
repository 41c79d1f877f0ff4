//! Golden files of the customer and recommendation analytics on generated sales
//! (`tests/golden/generated_*.json`). The input is `generate(&GENERATED)`, which every runtime
//! reproduces bit for bit from the same configuration, so the bindings check their results
//! against these files without shipping the data.

use chrono::NaiveDate;
use serde_json::{Value, json};
use storelytics::customers::{ClusterOptions, LifetimeOptions, RfmOptions, cluster_customers, lifetime_value, rfm};
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::recommend::{
    BasketOptions, Baskets, EvaluationOptions, FpGrowthOptions, Incidence, SimilarityBasis, SimilarityMeasure,
    SimilarityOptions, TogetherOptions, TogetherRanking, bought_together, evaluate_sales, frequent_itemsets,
    item_similarity,
};
use storelytics::{Id, Sales};

use crate::golden::{check, to_json};

/// The generated input: two stores, about 6,000 lines (the Python test calls
/// `generate(seed=7, stores=2, lines=6000)`).
fn generated() -> Sales {
    generate(&GeneratorConfig { seed: 7, stores: 2, lines: 6000, ..Default::default() }).unwrap().sales
}

fn similarity_rows(sales: &Sales, incidence: &Incidence, options: SimilarityOptions) -> Value {
    let sim = item_similarity(incidence, options).unwrap();
    let ids = sales.products();
    let rows: Vec<Value> = sim
        .products()
        .iter()
        .flat_map(|&p| {
            sim.neighbours(p).iter().enumerate().map(move |(i, n)| {
                json!({"product": ids.id(p), "neighbour": ids.id(n.product), "rank": i + 1, "score": n.score})
            })
        })
        .collect();
    Value::Array(rows)
}

#[test]
fn golden_customer_analytics_on_generated_sales() {
    let sales = generated();
    let table = rfm(&sales, &RfmOptions::default()).unwrap();
    check("generated_clusters.json", to_json(&cluster_customers(&table, &ClusterOptions::default()).unwrap()));
    check("generated_lifetime.json", to_json(&lifetime_value(&sales, &LifetimeOptions::default()).unwrap()));
}

#[test]
fn golden_recommendations_on_generated_sales() {
    let sales = generated();
    let lines = BasketOptions::default();
    let baskets = Baskets::from_sales(&sales, &lines).unwrap();
    let orders = Incidence::from_baskets(&baskets);
    let customers = Incidence::customers_from_sales(&sales, &lines).unwrap();
    let five = |measure| SimilarityOptions { measure, neighbours: 5 };
    check(
        "generated_similarity.json",
        json!({
            "orders_cosine": similarity_rows(&sales, &orders, five(SimilarityMeasure::Cosine)),
            "customers_bm25": similarity_rows(&sales, &customers, five(SimilarityMeasure::BM25)),
        }),
    );

    // The most frequently bought product (ties by code).
    let counts = baskets.product_counts();
    let top = counts.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).unwrap().0;
    let product: Id = sales.products().id(top);
    let together = |rank_by, min_count| {
        let list = bought_together(&baskets, top, TogetherOptions { rank_by, min_count, ..Default::default() });
        let rows: Vec<Value> = list
            .unwrap()
            .iter()
            .map(|c| {
                json!({"product": sales.products().id(c.product), "count": c.count, "confidence": c.confidence,
                       "lift": c.lift, "cosine": c.cosine})
            })
            .collect();
        Value::Array(rows)
    };
    check(
        "generated_together.json",
        json!({"product": product, "count": together(TogetherRanking::Count, 1), "lift": together(TogetherRanking::Lift, 5)}),
    );

    let sets = frequent_itemsets(&baskets, FpGrowthOptions { min_support: 0.005, ..Default::default() }).unwrap();
    let itemsets: Vec<Value> = sets
        .iter()
        .map(|s| {
            let ids: Vec<Id> = s.products.iter().map(|&p| sales.products().id(p)).collect();
            json!({"products": ids, "count": s.count, "support": s.support})
        })
        .collect();
    check("generated_itemsets.json", Value::Array(itemsets));

    let split = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
    let evaluation = |basis| evaluate_sales(&sales, split, &lines, EvaluationOptions { basis, ..Default::default() });
    check(
        "generated_evaluation.json",
        json!({
            "customers": to_json(&evaluation(SimilarityBasis::Customers).unwrap()),
            "orders": to_json(&evaluation(SimilarityBasis::Orders).unwrap()),
        }),
    );
}
