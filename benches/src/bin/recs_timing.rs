//! Prints the phases' wall-clock times of FP-growth + rules on generated baskets.
//!
//! `cargo run --release -p storelytics-benches --bin recs_timing -- [baskets] [products] [min_support] [runs]`
//! (defaults: 4000000 20000 0.001 1). With several runs the fastest is reported, which filters
//! out time spent waiting for a core on a busy machine.

use std::time::Instant;

use storelytics::recommend::{FpGrowthOptions, RuleOptions, association_rules, frequent_itemsets};
use storelytics_benches::recs_data::generate_baskets;

/// CPU seconds (user + system) used by this process so far, from `/proc/self/stat` (Linux);
/// unlike wall-clock time it does not grow when other processes compete for the cores.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // utime and stime are fields 14 and 15 of the stat line (11 and 12 after the command name).
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: f64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (count, products, support) = (arg(1, 4e6) as usize, arg(2, 2e4) as u32, arg(3, 0.001));
    let start = Instant::now();
    let baskets = generate_baskets(count, products, 42);
    println!("generated {} baskets, {} pairs in {:.2?}", baskets.len(), baskets.pair_count(), start.elapsed());
    let runs = arg(4, 1.0).max(1.0) as usize;
    let mut best = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    for _ in 0..runs {
        let start = Instant::now();
        let cpu = cpu_seconds();
        let sets = match frequent_itemsets(
            &baskets,
            FpGrowthOptions { min_support: support, max_len: None, ..Default::default() },
        ) {
            Ok(s) => s,
            Err(e) => return eprintln!("{e}"),
        };
        let mined = start.elapsed();
        let rules = match association_rules(&sets, RuleOptions { min_confidence: 0.1, min_lift: 0.0 }) {
            Ok(r) => r,
            Err(e) => return eprintln!("{e}"),
        };
        let total = start.elapsed();
        let cpu = cpu_seconds() - cpu;
        println!(
            "itemsets: {} in {mined:.2?}; rules: {} in {:.2?}; total {total:.2?} wall, {cpu:.2} s CPU",
            sets.len(),
            rules.len(),
            total - mined
        );
        best = (best.0.min(mined.as_secs_f64()), best.1.min(total.as_secs_f64()), best.2.min(cpu));
    }
    if runs > 1 {
        println!(
            "fastest of {runs}: itemsets {:.4} s, itemsets + rules {:.4} s wall; least CPU {:.2} s",
            best.0, best.1, best.2
        );
    }
}
