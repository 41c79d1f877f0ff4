//! Reference tool for the recommendation analytics (`tests/reference/test_recs.py`).
//!
//! Requests are tagged by `op`: `rules` (frequent itemsets and association rules),
//! `similarity` (item-item neighbours over (row, product) pairs), `together` (frequently bought
//! together), `ranking_metrics` and `evaluate` (temporal split vs the popularity baseline).
//! Infinite conviction is sent as `null` (JSON has no infinity).

use std::time::Instant;

use serde::Deserialize;
use serde_json::{Value, json};
use storelytics::recommend::{
    Baskets, EvaluationOptions, FpGrowthOptions, Incidence, PurchaseLines, RuleOptions, SimilarityBasis,
    SimilarityMeasure, SimilarityOptions, TogetherOptions, TogetherRanking, association_rules, bought_together,
    evaluate_split, frequent_itemsets, item_similarity, ranking_metrics,
};

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Request {
    Rules {
        #[serde(default)]
        baskets: Vec<Vec<u32>>,
        /// Alternative compact form for large inputs: basket `i` is
        /// `basket_items[basket_offsets[i]..basket_offsets[i + 1]]`.
        #[serde(default)]
        basket_offsets: Vec<usize>,
        #[serde(default)]
        basket_items: Vec<u32>,
        min_support: f64,
        max_len: Option<usize>,
        #[serde(default)]
        min_confidence: f64,
        #[serde(default)]
        min_lift: f64,
        /// Only report counts and timing (for benchmarks on large inputs).
        #[serde(default)]
        summary_only: bool,
        /// Times the analysis this many times (at least once) and reports the fastest run's
        /// wall-clock seconds and the mean CPU seconds per run (for benchmarks).
        #[serde(default)]
        repeats: usize,
    },
    Similarity {
        rows: Vec<u32>,
        products: Vec<u32>,
        /// `cosine` or `bm25`.
        measure: String,
        #[serde(default)]
        k1: f64,
        #[serde(default)]
        b: f64,
        neighbours: usize,
    },
    Together {
        baskets: Vec<Vec<u32>>,
        product: u32,
        top: usize,
        /// `count`, `lift` or `cosine`.
        rank_by: String,
        min_count: u64,
    },
    RankingMetrics {
        recommended: Vec<Vec<u32>>,
        relevant: Vec<Vec<u32>>,
        k: usize,
        catalogue_size: usize,
    },
    Evaluate {
        customers: Vec<u32>,
        orders: Vec<u32>,
        products: Vec<u32>,
        times: Vec<i64>,
        split: i64,
        k: usize,
        /// `customers` or `orders`.
        basis: String,
        neighbours: usize,
    },
}

fn measure(name: &str, k1: f64, b: f64) -> storelytics::Result<SimilarityMeasure> {
    match name {
        "cosine" => Ok(SimilarityMeasure::Cosine),
        "bm25" => Ok(SimilarityMeasure::Bm25 { k1, b }),
        other => Err(storelytics::Error::invalid_parameter("measure", format!("unknown measure `{other}`"))),
    }
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat` (Linux only;
/// `None` elsewhere). Unlike wall-clock time it does not grow while other processes hold the
/// cores, so benchmark ratios stay meaningful on a busy machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit(')').next()?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn finite(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

fn rules(
    baskets: Vec<Vec<u32>>,
    fp: FpGrowthOptions,
    rule_options: RuleOptions,
    summary_only: bool,
    repeats: usize,
) -> storelytics::Result<Value> {
    let prepare = Instant::now();
    let baskets = Baskets::from_lists(baskets);
    let prepare_seconds = prepare.elapsed().as_secs_f64();
    let repeats = repeats.max(1);
    let cpu_start = cpu_seconds();
    let (mut seconds, mut itemsets_seconds) = (f64::INFINITY, f64::INFINITY);
    let mut result = None;
    for _ in 0..repeats {
        let start = Instant::now();
        let sets = frequent_itemsets(&baskets, fp.clone())?;
        itemsets_seconds = itemsets_seconds.min(start.elapsed().as_secs_f64());
        let rules = association_rules(&sets, rule_options.clone())?;
        seconds = seconds.min(start.elapsed().as_secs_f64());
        result = Some((sets, rules));
    }
    let cpu = cpu_start.zip(cpu_seconds()).map(|(a, b)| (b - a) / repeats as f64);
    let Some((sets, rules)) = result else {
        return Err(storelytics::Error::invalid_parameter("repeats", "no run"));
    };
    if summary_only {
        return Ok(json!({
            "itemset_count": sets.len(), "rule_count": rules.len(), "repeats": repeats,
            "prepare_seconds": prepare_seconds,
            "itemsets_seconds": itemsets_seconds, "seconds": seconds, "cpu_seconds": cpu,
        }));
    }
    let itemsets: Vec<Value> =
        sets.iter().map(|s| json!({"products": s.products, "count": s.count, "support": s.support})).collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "antecedent": r.antecedent, "consequent": r.consequent, "count": r.count,
                "antecedent_support": r.antecedent_support, "consequent_support": r.consequent_support,
                "support": r.support, "confidence": r.confidence, "lift": r.lift, "leverage": r.leverage,
                "conviction": finite(r.conviction), "zhangs_metric": r.zhangs_metric, "jaccard": r.jaccard,
                "certainty": r.certainty, "kulczynski": r.kulczynski,
            })
        })
        .collect();
    Ok(json!({"itemsets": itemsets, "rules": rules, "seconds": seconds}))
}

fn main() {
    storelytics_tests::run_json(|request: Request| match request {
        Request::Rules {
            mut baskets,
            basket_offsets,
            basket_items,
            min_support,
            max_len,
            min_confidence,
            min_lift,
            summary_only,
            repeats,
        } => rules(
            {
                for w in basket_offsets.windows(2) {
                    baskets.push(basket_items.get(w[0]..w[1]).unwrap_or_default().to_vec());
                }
                baskets
            },
            FpGrowthOptions { min_support, max_len, ..Default::default() },
            RuleOptions { min_confidence, min_lift },
            summary_only,
            repeats,
        ),
        Request::Similarity { rows, products, measure: name, k1, b, neighbours } => {
            let incidence = Incidence::from_pairs(&rows, &products)?;
            let sim = item_similarity(&incidence, SimilarityOptions { measure: measure(&name, k1, b)?, neighbours })?;
            let lists: Vec<Value> =
                sim.products().iter().map(|&p| json!({"product": p, "neighbours": sim.neighbours(p)})).collect();
            Ok(json!({ "similarity": lists }))
        }
        Request::Together { baskets, product, top, rank_by, min_count } => {
            let rank_by = match rank_by.as_str() {
                "lift" => TogetherRanking::Lift,
                "cosine" => TogetherRanking::Cosine,
                _ => TogetherRanking::Count,
            };
            let companions =
                bought_together(&Baskets::from_lists(baskets), product, TogetherOptions { top, rank_by, min_count })?;
            Ok(json!({ "companions": companions }))
        }
        Request::RankingMetrics { recommended, relevant, k, catalogue_size } => {
            Ok(serde_json::to_value(ranking_metrics(&recommended, &relevant, k, catalogue_size)?).unwrap_or_default())
        }
        Request::Evaluate { customers, orders, products, times, split, k, basis, neighbours } => {
            let lines = PurchaseLines { customers: &customers, orders: &orders, products: &products, times: &times };
            let basis = if basis == "orders" { SimilarityBasis::Orders } else { SimilarityBasis::Customers };
            let similarity = SimilarityOptions { neighbours, ..Default::default() };
            let evaluation = evaluate_split(lines, split, EvaluationOptions { k, similarity, basis })?;
            Ok(serde_json::to_value(evaluation).unwrap_or_default())
        }
    });
}
