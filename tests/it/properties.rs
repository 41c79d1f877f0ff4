//! Invariants on random tables: per-store values add up to the total, row order does not
//! matter, and KPIs of two disjoint periods combine to the KPIs of their union.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use storelytics::kpi::{KpiOptions, kpi_report};
use storelytics::rank::{Entity, RankOptions, rank};
use storelytics::trend::{TrendOptions, trend};
use storelytics::{Comparison, Granularity, Metric, Period, Sales, SalesBuilder, Totals};

#[derive(Debug, Clone)]
struct Line {
    store: u8,
    order: u16,
    day: u8,
    minute: u16,
    product: u8,
    customer: Option<u8>,
    quantity: i8,
    price_cents: u16,
    cost_cents: u16,
}

/// Lines of random orders; an order's lines share store, customer and sale timestamp.
fn lines() -> impl Strategy<Value = Vec<Line>> {
    prop::collection::vec(
        (0u8..3, 0u8..40, 0u16..1440, prop::option::weighted(0.8, 0u8..12), 1usize..4, any::<u64>()),
        1..40,
    )
    .prop_map(|orders| {
        let mut out = Vec::new();
        for (o, (store, day, minute, customer, n, bits)) in orders.into_iter().enumerate() {
            for k in 0..n {
                let b = bits >> (k * 16);
                let returned = b % 7 == 0;
                out.push(Line {
                    store,
                    order: o as u16,
                    day: if returned { day.saturating_add((b % 5) as u8 + 1) } else { day },
                    minute: if returned { ((b >> 3) % 1440) as u16 } else { minute },
                    product: ((b >> 8) % 9) as u8,
                    customer,
                    quantity: if returned { -(((b >> 4) % 3) as i8 + 1) } else { ((b >> 4) % 4) as i8 + 1 },
                    price_cents: 50 + ((b >> 6) % 5000) as u16,
                    cost_cents: 20 + ((b >> 9) % 2000) as u16,
                });
            }
        }
        out
    })
}

fn build(lines: &[Line]) -> Sales {
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let zones = ["Europe/Berlin", "America/New_York", "UTC"];
    let mut b = SalesBuilder::new()
        .store_id(lines.iter().map(|l| format!("s{}", l.store)).collect::<Vec<_>>())
        .order_id(lines.iter().map(|l| l.order as i64).collect::<Vec<_>>())
        .timestamp(
            lines
                .iter()
                .map(|l| base + Duration::days(l.day as i64) + Duration::minutes(l.minute as i64))
                .collect::<Vec<_>>(),
        )
        .product_id(lines.iter().map(|l| format!("p{}", l.product)).collect::<Vec<_>>())
        .customer_id(lines.iter().map(|l| l.customer.map(|c| format!("c{c}"))).collect::<Vec<_>>())
        .quantity(lines.iter().map(|l| l.quantity as f64).collect::<Vec<_>>())
        .unit_price(lines.iter().map(|l| l.price_cents as f64 / 100.0).collect::<Vec<_>>())
        .unit_cost(lines.iter().map(|l| l.cost_cents as f64 / 100.0).collect::<Vec<_>>());
    for (i, z) in zones.iter().enumerate() {
        b = b.store_time_zone(format!("s{i}"), *z);
    }
    b.build().expect("generated lines are valid")
}

fn additive(t: &Totals) -> (i128, i128, i128, i128, i128, u64, u64) {
    (t.gross, t.returns, t.cost, t.units_milli, t.returned_units_milli, t.orders, t.lines)
}

fn period(a: u32, b: u32) -> Period {
    let d0 = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    Period::new(d0 + Duration::days(a as i64), d0 + Duration::days(b as i64)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn per_store_values_sum_exactly_to_the_total(lines in lines()) {
        let sales = build(&lines);
        let r = kpi_report(&sales, &KpiOptions { period: Some(period(0, 60)), comparison: Comparison::None }).unwrap();
        let mut sum = Totals::default();
        for s in &r.stores {
            sum.merge(s.kpis.current.totals());
        }
        prop_assert_eq!(additive(&sum), additive(r.overall.current.totals()));
        // A customer may buy in several stores, so per-store counts are at least the total.
        prop_assert!(sum.customers >= r.overall.current.unique_customers);
    }

    #[test]
    fn results_do_not_depend_on_row_order(lines in lines(), seed in any::<u64>()) {
        let sales = build(&lines);
        let mut shuffled = lines.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let other = build(&shuffled);
        let opts = KpiOptions { period: Some(period(10, 30)), comparison: Comparison::PreviousPeriod };
        prop_assert_eq!(
            serde_json::to_value(kpi_report(&sales, &opts).unwrap()).unwrap(),
            serde_json::to_value(kpi_report(&other, &opts).unwrap()).unwrap()
        );
        for g in [Granularity::Day, Granularity::Week] {
            let t = TrendOptions { metric: Metric::UniqueCustomers, granularity: g, period: Some(period(0, 45)), ..Default::default() };
            prop_assert_eq!(serde_json::to_value(trend(&sales, &t).unwrap()).unwrap(), serde_json::to_value(trend(&other, &t).unwrap()).unwrap());
        }
        for entity in [Entity::Product, Entity::Customer, Entity::Category, Entity::Store] {
            let o = RankOptions { entity, metric: Metric::Units, period: Some(period(5, 40)), ..Default::default() };
            prop_assert_eq!(serde_json::to_value(rank(&sales, &o).unwrap()).unwrap(), serde_json::to_value(rank(&other, &o).unwrap()).unwrap());
        }
    }

    #[test]
    fn kpis_of_disjoint_periods_combine_to_their_union(lines in lines(), split in 1u32..44) {
        let sales = build(&lines);
        let k = |p: Period| kpi_report(&sales, &KpiOptions { period: Some(p), comparison: Comparison::None }).unwrap();
        let (a, b, union) = (k(period(0, split - 1)), k(period(split, 45)), k(period(0, 45)));
        let mut sum = *a.overall.current.totals();
        sum.merge(b.overall.current.totals());
        prop_assert_eq!(additive(&sum), additive(union.overall.current.totals()));
        // New customers are new in exactly one of the two periods.
        prop_assert_eq!(sum.new_customers, union.overall.current.new_customers);
        for (s, u) in a.stores.iter().zip(&union.stores) {
            let other = b.stores.iter().find(|x| x.store == s.store).unwrap();
            let mut t = *s.kpis.current.totals();
            t.merge(other.kpis.current.totals());
            prop_assert_eq!(additive(&t), additive(u.kpis.current.totals()));
        }
    }
}
