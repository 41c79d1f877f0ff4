//! Times [`SalesBuilder::build`] on typed columns (release build; best of several runs).
//!
//! Usage: `ingest_timing [lines] [runs]` (default 1,000,000 lines, 5 runs). The columns look
//! like an export of a point-of-sale system: three stores in three time zones, integer ids,
//! UTC timestamps, orders of about three lines, rows in order-id order (so not in time order:
//! the builder has to sort them). Prints JSON with the best time in seconds and lines per
//! second.

use std::time::Instant;

use storelytics::SalesBuilder;

/// A small deterministic generator (SplitMix64), enough for test columns.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() -> Result<(), storelytics::Error> {
    let args: Vec<String> = std::env::args().collect();
    let lines: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut rng = Mix(7);
    let orders = (lines / 3).max(1) as u64;
    let mut order: Vec<i64> = (0..lines).map(|_| rng.below(orders) as i64).collect();
    order.sort_unstable();
    // Per-order attributes: timestamp within two years, customer (10% guests), store.
    let start_us: i64 = 1_672_531_200_000_000; // 2023-01-01T00:00:00Z
    let order_ts: Vec<i64> = (0..orders).map(|_| start_us + rng.below(730 * 86_400) as i64 * 1_000_000).collect();
    let order_customer: Vec<Option<i64>> =
        (0..orders).map(|_| if rng.below(10) == 0 { None } else { Some(rng.below(40_000) as i64) }).collect();
    let order_store: Vec<i64> = (0..orders).map(|_| rng.below(3) as i64).collect();
    let at = |o: i64| o as usize;
    let ts: Vec<Option<i64>> = order.iter().map(|&o| Some(order_ts[at(o)])).collect();
    let customer: Vec<Option<i64>> = order.iter().map(|&o| order_customer[at(o)]).collect();
    let store: Vec<i64> = order.iter().map(|&o| order_store[at(o)]).collect();
    let product: Vec<i64> = (0..lines).map(|_| rng.below(5_000) as i64).collect();
    let quantity: Vec<f64> = (0..lines).map(|_| 1.0 + rng.below(4) as f64).collect();
    let price: Vec<f64> = (0..lines).map(|_| (50 + rng.below(4_950)) as f64 / 100.0).collect();

    let mut best = f64::INFINITY;
    let mut rows = 0;
    for _ in 0..runs {
        let builder = SalesBuilder::new()
            .order_id(order.clone())
            .timestamp(storelytics::sales::TimestampColumn::Micros(ts.clone()))
            .product_id(product.clone())
            .quantity(quantity.clone())
            .unit_price(price.clone())
            .customer_id(customer.clone())
            .store_id(store.clone())
            .store_time_zone(0, "America/New_York")
            .store_time_zone(1, "Europe/Berlin")
            .store_time_zone(2, "Asia/Tokyo");
        let t = Instant::now();
        let sales = builder.build()?;
        best = best.min(t.elapsed().as_secs_f64());
        rows = sales.len();
    }
    println!(
        "{{\"lines\": {rows}, \"runs\": {runs}, \"build_seconds\": {best:.4}, \"lines_per_second\": {:.0}}}",
        rows as f64 / best
    );
    Ok(())
}
