//! Times `read_parquet` on a Parquet file in the data contract, once per run, and prints the
//! best time. When the file does not exist it is written first from generated data (the same
//! file the `sales` bench reads).
//!
//! Usage: `cargo run --release -p storelytics-benches --example parquet_ingest -- FILE [runs] [lines]`
//! (defaults: 3 runs; 10,000,000 generated lines when the file is missing).

use std::time::Instant;

use polars::prelude::ParquetWriter;
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::sales::io::{ReadOptions, read_parquet};
use storelytics_benches::to_contract_frame;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: parquet_ingest FILE [runs] [lines]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(3);
    if !std::path::Path::new(path).exists() {
        let lines: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
        let sales = generate(&GeneratorConfig { lines, ..Default::default() })?.sales;
        let mut frame = to_contract_frame(&sales)?;
        ParquetWriter::new(std::fs::File::create(path)?).finish(&mut frame)?;
        eprintln!("wrote {} line items to {path}", sales.len());
    }
    let mut best = f64::INFINITY;
    let mut lines = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let sales = read_parquet(path, &ReadOptions::default())?;
        best = best.min(t.elapsed().as_secs_f64());
        lines = sales.len();
    }
    println!("{{\"lines\": {lines}, \"best_seconds\": {best:.3}, \"lines_per_second\": {:.0}}}", lines as f64 / best);
    Ok(())
}
