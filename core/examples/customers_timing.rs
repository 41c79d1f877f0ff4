//! Times storelytics customer analytics on generated sales and writes the same data as raw
//! little-endian arrays, so `benches/python/customers.py` can time pandas and scikit-learn on
//! exactly the same input. Usage: `customers_timing <lines> <out-dir> [k] [runs]` (k-means with
//! `k` clusters, default 5, from `runs` k-means++ starts, default 1); prints JSON.

use std::io::Write;
use std::time::Instant;

use storelytics::customers::{ClusterOptions, RfmOptions, cluster_customers, kmeans, rfm};
use storelytics::generator::{GeneratorConfig, generate};

/// Timed k-means fits (the best counts); `benches/python/customers.py` times scikit-learn as often.
const KMEANS_RUNS: usize = 15;

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.expect("at least one run"))
}

fn write<T: Copy>(dir: &std::path::Path, name: &str, values: &[T], to_bytes: impl Fn(T) -> Vec<u8>) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(name)).expect("create output file"));
    for &v in values {
        f.write_all(&to_bytes(v)).expect("write output file");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lines: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let out = std::path::PathBuf::from(args.get(2).cloned().unwrap_or_else(|| "target/customers_bench".into()));
    std::fs::create_dir_all(&out).expect("create output directory");
    let config = GeneratorConfig { lines, stores: 1, customers: lines / 25, guest_share: 0.1, ..Default::default() };
    let sales = generate(&config).expect("generate sales").sales;

    let (rfm_seconds, (table, summary)) = best_of(5, || {
        let table = rfm(&sales, &RfmOptions::default()).expect("rfm");
        let summary = table.segment_summary();
        (table, summary)
    });
    let clusters =
        cluster_customers(&table, &ClusterOptions { k: Some(5), runs: 1, ..Default::default() }).expect("clusters");
    let flat: Vec<f64> = clusters.features.iter().flatten().copied().collect();
    let k: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(5);
    let runs: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1);
    let kmeans_options = ClusterOptions { runs, ..Default::default() };
    // Runs of a few tens of milliseconds: more of them, so the best is not one noisy moment.
    let (kmeans_seconds, fit) = best_of(KMEANS_RUNS, || kmeans(&flat, 3, k, &kmeans_options).expect("kmeans"));

    write(&out, "days.i32", sales.days(), |v: i32| v.to_le_bytes().to_vec());
    write(&out, "orders.u32", sales.order_codes(), |v: u32| v.to_le_bytes().to_vec());
    write(&out, "customers.u32", sales.customer_codes(), |v: u32| v.to_le_bytes().to_vec());
    write(&out, "quantities.i64", sales.quantities_milli(), |v: i64| v.to_le_bytes().to_vec());
    write(&out, "amounts.i64", sales.amounts(), |v: i64| v.to_le_bytes().to_vec());
    write(&out, "features.f64", &flat, |v: f64| v.to_le_bytes().to_vec());
    let segments: Vec<(String, usize, i64)> =
        summary.iter().map(|s| (s.segment.name().to_string(), s.customers, s.net_revenue_minor)).collect();
    let answer = serde_json::json!({
        "lines": sales.len(),
        "customers": table.rows.len(),
        "as_of_day": sales.days().iter().max(),
        "rfm_segments_seconds": rfm_seconds,
        "kmeans_seconds": kmeans_seconds,
        "kmeans_inertia": fit.inertia,
        "kmeans_k": k,
        "kmeans_runs": runs,
        "kmeans_timed_runs": KMEANS_RUNS,
        "threads": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "segments": segments,
    });
    println!("{answer}");
}
