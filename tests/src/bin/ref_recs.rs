//! Reference tool for the recommendation analytics (`tests/reference/test_recs.py`).
//!
//! Requests are tagged by `op`: `rules` (frequent itemsets and association rules).
//! Infinite conviction is sent as `null` (JSON has no infinity).

use std::time::Instant;

use serde::Deserialize;
use serde_json::{Value, json};
use storelytics::recommend::{Baskets, FpGrowthOptions, RuleOptions, association_rules, frequent_itemsets};

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Request {
    Rules {
        baskets: Vec<Vec<u32>>,
        min_support: f64,
        max_len: Option<usize>,
        #[serde(default)]
        min_confidence: f64,
        #[serde(default)]
        min_lift: f64,
        /// Only report counts and timing (for benchmarks on large inputs).
        #[serde(default)]
        summary_only: bool,
    },
}

fn finite(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

fn rules(
    baskets: Vec<Vec<u32>>,
    fp: FpGrowthOptions,
    rule_options: RuleOptions,
    summary_only: bool,
) -> storelytics::Result<Value> {
    let baskets = Baskets::from_lists(baskets);
    let start = Instant::now();
    let sets = frequent_itemsets(&baskets, fp)?;
    let itemsets_seconds = start.elapsed().as_secs_f64();
    let rules = association_rules(&sets, rule_options)?;
    let seconds = start.elapsed().as_secs_f64();
    if summary_only {
        return Ok(json!({
            "itemset_count": sets.len(), "rule_count": rules.len(),
            "itemsets_seconds": itemsets_seconds, "seconds": seconds,
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
        Request::Rules { baskets, min_support, max_len, min_confidence, min_lift, summary_only } => rules(
            baskets,
            FpGrowthOptions { min_support, max_len },
            RuleOptions { min_confidence, min_lift },
            summary_only,
        ),
    });
}
