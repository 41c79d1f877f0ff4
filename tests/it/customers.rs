use chrono::NaiveDate;
use proptest::prelude::*;
use storelytics::customers::{
    ClusterOptions, LifetimeOptions, RfmOptions, Segment, SegmentMap, SegmentRule, cluster_customers, lifetime_value,
    rfm,
};
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::sales::SalesBuilder;
use storelytics::{Error, Id, Sales};

/// One line: (order, day offset, customer (None = guest), quantity, amount in cents, store).
type Line = (i64, i64, Option<i64>, f64, i64, i64);

fn sales_of(lines: &[Line]) -> Sales {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    SalesBuilder::new()
        .order_id(lines.iter().map(|l| l.0).collect::<Vec<_>>())
        .timestamp(lines.iter().map(|l| start + chrono::Duration::days(l.1)).collect::<Vec<_>>())
        .product_id(vec![1i64; lines.len()])
        .quantity(lines.iter().map(|l| l.3).collect::<Vec<_>>())
        .amount(lines.iter().map(|l| l.4 as f64 / 100.0).collect::<Vec<_>>())
        .customer_id(lines.iter().map(|l| l.2).collect::<Vec<_>>())
        .store_id(lines.iter().map(|l| l.5).collect::<Vec<_>>())
        .build()
        .unwrap()
}

fn line_strategy() -> impl Strategy<Value = Vec<Line>> {
    prop::collection::vec(
        (
            0i64..40,
            0i64..100,
            prop::option::weighted(0.9, 0i64..25),
            prop_oneof![4 => 1.0..4.0f64, 1 => -2.0..-1.0f64],
            1i64..10_000,
            1i64..3,
        ),
        1..120,
    )
    .prop_map(|mut lines| {
        // An order belongs to one customer, day and store: take them from its first line.
        for i in 0..lines.len() {
            if let Some(first) = lines.iter().position(|l| l.0 == lines[i].0) {
                let (day, customer, store) = (lines[first].1, lines[first].2, lines[first].5);
                lines[i].1 = day;
                lines[i].2 = customer;
                lines[i].5 = store;
            }
            let qty = lines[i].3.round();
            lines[i].3 = if qty == 0.0 { 1.0 } else { qty };
            lines[i].4 *= lines[i].3.signum() as i64;
        }
        lines
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn segment_revenues_sum_exactly_and_order_does_not_matter(lines in line_strategy(), seed in 0u64..1000) {
        let sales = sales_of(&lines);
        match rfm(&sales, &RfmOptions::default()) {
            Ok(table) => {
                for store in &table.stores {
                    let rows_total: i64 =
                        table.rows.iter().filter(|r| r.store == store.store).map(|r| r.monetary_minor).sum();
                    let summary_total: i64 = table
                        .segment_summary()
                        .iter()
                        .filter(|s| s.store == store.store)
                        .map(|s| s.net_revenue_minor)
                        .sum();
                    prop_assert_eq!(rows_total, summary_total);
                    let count: usize =
                        table.segment_summary().iter().filter(|s| s.store == store.store).map(|s| s.customers).sum();
                    prop_assert_eq!(count, store.customers);
                }
                // Guests' and non-customers' revenue never enters the table.
                let customer_total: i64 = lines.iter().filter(|l| l.2.is_some()).map(|l| l.4).sum();
                let table_total: i64 = table.stores.iter().map(|s| s.net_revenue_minor).sum();
                prop_assert_eq!(customer_total, table_total);
                // Shuffling the input rows changes nothing.
                let mut shuffled = lines.clone();
                let n = shuffled.len();
                for i in 0..n {
                    shuffled.swap(i, (seed as usize * 7919 + i * 31) % n);
                }
                let again = rfm(&sales_of(&shuffled), &RfmOptions::default()).unwrap();
                prop_assert_eq!(&table, &again);
            }
            Err(e) => prop_assert!(matches!(e, Error::InsufficientData { .. }), "{e}"),
        }
    }
}

#[test]
fn rfm_on_generated_sales_is_consistent() {
    let data = generate(&GeneratorConfig { lines: 40_000, ..Default::default() }).unwrap();
    let table = rfm(&data.sales, &RfmOptions::default()).unwrap();
    assert_eq!(table.stores.len(), 3);
    for r in &table.rows {
        assert!(r.recency_days >= 0 && r.tenure_days >= r.recency_days);
        assert!(r.frequency >= 1);
        assert!(r.first_purchase <= r.last_purchase);
    }
    // Each score holds n / 5 customers (±1) per store.
    for store in &table.stores {
        let rows: Vec<_> = table.rows.iter().filter(|r| r.store == store.store).collect();
        for s in 1..=5u8 {
            let c = rows.iter().filter(|r| r.frequency_score == s).count();
            assert!(c.abs_diff(rows.len() / 5) <= 1, "score {s}: {c} of {}", rows.len());
        }
    }
    let at_risk = table.most_valuable_at_risk(10);
    assert!(at_risk.windows(2).all(|w| w[0].monetary_minor >= w[1].monetary_minor));
    assert!(
        at_risk.iter().all(|r| matches!(r.segment, Segment::AtRisk | Segment::CantLoseThem | Segment::AboutToSleep))
    );
}

#[test]
fn custom_segment_map_and_bins() {
    let data = generate(&GeneratorConfig { lines: 10_000, stores: 1, ..Default::default() }).unwrap();
    let map = SegmentMap {
        rules: vec![
            SegmentRule {
                segment: Segment::Custom("VIP".into()),
                recency: (2, 3),
                frequency: (3, 3),
                monetary: (3, 3),
            },
            SegmentRule::rf(Segment::Custom("Everyone else".into()), (1, 3), (1, 3)),
        ],
    };
    let table = rfm(&data.sales, &RfmOptions { bins: 3, segments: map.clone(), ..Default::default() }).unwrap();
    assert!(table.rows.iter().all(|r| (1..=3).contains(&r.monetary_score)));
    let vip = table.rows.iter().filter(|r| r.segment.name() == "VIP").count();
    assert!(vip > 0);
    let summary = table.segment_summary();
    assert_eq!(summary.len(), 2);
    // The default map does not cover 6 bins: a parameter error, not a panic.
    let err = rfm(&data.sales, &RfmOptions { bins: 6, ..Default::default() }).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "segments"), "{err}");
    let err = rfm(&data.sales, &RfmOptions { bins: 1, ..Default::default() }).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "bins"), "{err}");
}

#[test]
fn as_of_cuts_the_history_and_before_first_sale_is_an_error() {
    let lines: Vec<Line> =
        vec![(1, 0, Some(1), 1.0, 100, 1), (2, 10, Some(1), 1.0, 200, 1), (3, 20, Some(2), 1.0, 50, 1)];
    let sales = sales_of(&lines);
    let day = |d| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(d);
    let table = rfm(&sales, &RfmOptions { as_of: Some(day(12)), ..Default::default() }).unwrap();
    assert_eq!(table.rows.len(), 1);
    assert_eq!((table.rows[0].recency_days, table.rows[0].frequency, table.rows[0].monetary_minor), (2, 2, 300));
    assert_eq!(table.rows[0].customer, Id::Int(1));
    let err = rfm(&sales, &RfmOptions { as_of: Some(day(-1)), ..Default::default() }).unwrap_err();
    assert!(err.to_string().contains("before the first sale"), "{err}");
    let err = lifetime_value(&sales, &LifetimeOptions { as_of: Some(day(-1)), ..Default::default() }).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }));
    // Too little data for the lifetime models: a typed error, never a panic.
    assert!(lifetime_value(&sales, &LifetimeOptions::default()).is_err());
}

#[test]
fn clusters_are_deterministic_and_profiles_add_up() {
    let data = generate(&GeneratorConfig { lines: 30_000, stores: 1, ..Default::default() }).unwrap();
    let table = rfm(&data.sales, &RfmOptions::default()).unwrap();
    let options = ClusterOptions { k_range: (2, 5), ..Default::default() };
    let a = cluster_customers(&table, &options).unwrap();
    let b = cluster_customers(&table, &options).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.silhouettes.len(), 4);
    assert!((2..=5).contains(&a.k));
    let best = a.silhouettes.iter().map(|s| s.1).fold(f64::MIN, f64::max);
    assert_eq!(a.silhouettes.iter().find(|s| s.0 == a.k).unwrap().1, best);
    let total: i64 = table.rows.iter().map(|r| r.monetary_minor).sum();
    assert_eq!(a.profiles.iter().map(|p| p.net_revenue_minor).sum::<i64>(), total);
    assert_eq!(a.profiles.iter().map(|p| p.customers).sum::<usize>(), table.rows.len());
    assert!(a.profiles.windows(2).all(|w| w[0].mean_monetary >= w[1].mean_monetary));
    // One customer: k = 1 works, choosing k does not.
    let one = sales_of(&[(1, 0, Some(1), 1.0, 100, 1)]);
    let t = rfm(&one, &RfmOptions::default()).unwrap();
    assert_eq!(cluster_customers(&t, &ClusterOptions { k: Some(1), ..Default::default() }).unwrap().labels, vec![0]);
    assert!(matches!(cluster_customers(&t, &ClusterOptions::default()), Err(Error::InsufficientData { .. })));
    assert!(cluster_customers(&t, &ClusterOptions { k: Some(2), ..Default::default() }).is_err());
}

#[test]
fn lifetime_values_on_generated_sales() {
    let data = generate(&GeneratorConfig { lines: 60_000, stores: 2, ..Default::default() }).unwrap();
    let table = lifetime_value(&data.sales, &LifetimeOptions::default()).unwrap();
    assert_eq!(table.stores.len(), 2);
    for r in &table.rows {
        let v = r.value;
        assert!((0.0..=1.0).contains(&v.probability_alive), "{v:?}");
        assert!(v.expected_purchases >= 0.0 && v.lifetime_value.is_finite(), "{v:?}");
        assert!(r.history.recency <= r.history.age);
    }
    for s in &table.stores {
        let p = s.bgnbd.params;
        assert!(p.r > 0.0 && p.alpha > 0.0 && p.a > 0.0 && p.b > 0.0);
    }
}
