//! Recommendation benches: FP-growth itemsets and association rules on large generated baskets.
//!
//! Full size: 4M baskets over 20k products at min support 0.001 (the project's target: under
//! 5 s for itemsets + rules). Test mode: 20k baskets.

#![allow(missing_docs)] // `criterion_group!` generates an undocumented public function.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use storelytics::recommend::{FpGrowthOptions, RuleOptions, association_rules, frequent_itemsets};
use storelytics_benches::recs_data::generate_baskets;

fn rules_bench(c: &mut Criterion) {
    let count = storelytics_benches::size(4_000_000, 20_000);
    let products = if storelytics_benches::full_size() { 20_000 } else { 2_000 };
    let baskets = generate_baskets(count, products, 42);
    let mut group = c.benchmark_group("recs");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function(format!("fpgrowth_rules/{count}x{products}/support_0.001"), |b| {
        b.iter(|| {
            let sets = frequent_itemsets(
                &baskets,
                FpGrowthOptions { min_support: 0.001, max_len: None, ..Default::default() },
            )
            .expect("valid options");
            let rules = association_rules(&sets, RuleOptions { min_confidence: 0.1, min_lift: 0.0 }).expect("valid");
            black_box((sets.len(), rules.len()))
        })
    });
    group.finish();
}

criterion_group!(benches, rules_bench);
criterion_main!(benches);
