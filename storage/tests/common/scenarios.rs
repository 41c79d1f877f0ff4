//! Scenarios run against both backends. Every scenario uses at least two stores.

use std::time::Instant;

use chrono::Utc;
use storelytics::calendar::Period;
use storelytics::{Id, SalesBuilder};
use storelytics_storage::{
    AnomalyRecord, ChainProblem, CustomerRecord, ForecastRecord, IngestOptions, NewAuditEntry, NewStore, NewUser,
    ProductRecord, Repository, Role, SegmentRecord, StoreId,
};

use super::{create_stores, create_stores_of, kpi_json, two_store_sales};

/// Sales → store → Sales gives identical KPI reports, per store and per period.
pub async fn round_trip<R: Repository>(db: &R) {
    let sales = two_store_sales(6_000, 7);
    let stores = create_stores_of(db, &sales).await;
    assert_eq!(stores.len(), 2);
    for store in &stores {
        let report = db.ingest_sales(store.id, &sales, &IngestOptions::default()).await.unwrap();
        let expected = sales.for_store(&store.code).unwrap();
        assert_eq!(report.inserted as usize, expected.len());
        let back = db.load_sales(store.id, None).await.unwrap();
        assert_eq!(back.len(), expected.len());
        assert_eq!(kpi_json(&back), kpi_json(&expected), "KPIs of store {}", store.code);
        assert_eq!(back.costs().is_some(), expected.costs().is_some());

        // A period read gives the same KPIs as filtering in core.
        let range = expected.date_range().unwrap();
        let period = Period::new(range.start() + chrono::Days::new(10), range.start() + chrono::Days::new(40)).unwrap();
        let part = db.load_sales(store.id, Some(period)).await.unwrap();
        assert_eq!(kpi_json(&part), kpi_json(&expected.filter_period(&period)));
    }
    // The two stores' data did not mix.
    let a = db.count_sales_lines(stores[0].id).await.unwrap();
    let b = db.count_sales_lines(stores[1].id).await.unwrap();
    assert_eq!(a + b, sales.len() as u64);
}

/// Loading the same orders twice adds nothing; an idempotency key replays.
pub async fn idempotent_ingest<R: Repository>(db: &R) {
    let sales = two_store_sales(3_000, 11);
    let stores = create_stores_of(db, &sales).await;
    let (a, b) = (&stores[0], &stores[1]);
    let first = db.ingest_sales(a.id, &sales, &IngestOptions::default()).await.unwrap();
    assert!(first.inserted > 0);
    let again = db.ingest_sales(a.id, &sales, &IngestOptions::default()).await.unwrap();
    assert_eq!((again.inserted, again.duplicates, again.replayed), (0, first.received, false));
    assert_eq!(db.count_sales_lines(a.id).await.unwrap(), first.inserted);

    let keyed = IngestOptions { idempotency_key: Some("batch-1".into()), ..Default::default() };
    let k1 = db.ingest_sales(b.id, &sales, &keyed).await.unwrap();
    let k2 = db.ingest_sales(b.id, &sales, &keyed).await.unwrap();
    assert!(!k1.replayed && k2.replayed);
    assert_eq!(k2.inserted, 0);
    // The key is per store: the same key in store A is a new batch (its lines are duplicates).
    let ka = db.ingest_sales(a.id, &sales, &keyed).await.unwrap();
    assert!(!ka.replayed);
    assert_eq!(ka.inserted, 0);
    assert_eq!(db.count_sales_lines(b.id).await.unwrap(), k1.inserted);
    for s in &stores {
        assert!(db.verify_audit(s.id, None).await.unwrap().is_valid());
    }
}

/// The same lines read in another time zone than the store's are the same stored lines: their
/// days are the store's local days, so loading them again adds nothing and period reads follow
/// the store's calendar. Two stores, one of them in Los Angeles.
pub async fn idempotent_across_time_zones<R: Repository>(db: &R) {
    let code = format!("la-{}", uuid::Uuid::new_v4().simple());
    let table = |zone: &str| {
        SalesBuilder::new()
            .order_id(vec!["o1", "o1", "o2", "o3"])
            // 07:30 UTC is still the day before in Los Angeles (UTC-8 in March).
            .timestamp(vec![
                "2024-03-02T07:30:00Z",
                "2024-03-02T07:30:00Z",
                "2024-03-02T09:00:00Z",
                "2024-03-03T20:00:00Z",
            ])
            .product_id(vec!["apple", "pear", "apple", "plum"])
            .quantity(vec![1.0, 2.0, 1.0, 3.0])
            .unit_price(vec![0.5, 1.25, 0.5, 0.2])
            .store_id(vec![code.as_str(); 4])
            .store_time_zone(code.as_str(), zone)
            .build()
            .unwrap()
    };
    let la = NewStore::new(code.as_str(), "Los Angeles").with_time_zone("America/Los_Angeles");
    let la = db.create_store(&la).await.unwrap();
    let other = create_stores(db, 1).await.remove(0);
    let first = db.ingest_sales(la.id, &table("UTC"), &IngestOptions::default()).await.unwrap();
    assert_eq!(first.inserted, 4);
    for zone in ["Pacific/Kiritimati", "America/Los_Angeles", "Pacific/Pago_Pago"] {
        let again = db.ingest_sales(la.id, &table(zone), &IngestOptions::default()).await.unwrap();
        assert_eq!((again.inserted, again.duplicates), (0, 4), "read in {zone}");
    }
    assert_eq!(db.count_sales_lines(la.id).await.unwrap(), 4);
    // 1 March in Los Angeles holds the two lines of 07:30 UTC on 2 March.
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2024, 3, d).unwrap();
    let first_day = db.load_sales(la.id, Some(Period::new(day(1), day(1)).unwrap())).await.unwrap();
    assert_eq!(first_day.len(), 2);
    assert_eq!(db.load_sales(la.id, Some(Period::new(day(2), day(3)).unwrap())).await.unwrap().len(), 2);
    // The other store saw nothing.
    assert_eq!(db.count_sales_lines(other.id).await.unwrap(), 0);
    for s in [&la, &other] {
        assert!(db.verify_audit(s.id, None).await.unwrap().is_valid());
    }
}

/// Reads and writes through the repository never cross stores.
pub async fn tenant_isolation<R: Repository>(db: &R) {
    let stores = create_stores(db, 2).await;
    let (a, b) = (&stores[0], &stores[1]);
    let p = |id: &str, price| ProductRecord { product_id: id.into(), price: Some(price), ..Default::default() };
    db.upsert_products(a.id, &[p("apple", 50), p("pear", 125)]).await.unwrap();
    db.upsert_products(b.id, &[p("apple", 999)]).await.unwrap();
    let pa = db.products(a.id).await.unwrap();
    let pb = db.products(b.id).await.unwrap();
    assert_eq!(pa.len(), 2);
    assert_eq!(pb.len(), 1);
    assert_eq!(pb[0].price, Some(999), "B's apple is B's own");
    assert_eq!(pa[0].price, Some(50), "A's apple untouched by B's write");

    let now = Utc::now();
    let c = CustomerRecord {
        customer_id: "c1".into(),
        name: Some("Ann".into()),
        email: None,
        created_at: now,
        updated_at: now,
    };
    db.upsert_customers(a.id, &[c]).await.unwrap();
    assert_eq!(db.customers(a.id).await.unwrap().len(), 1);
    assert!(db.customers(b.id).await.unwrap().is_empty());

    let user = NewUser { email: "ann@example.com".into(), password: "correct horse".into(), role: Role::Analyst };
    db.create_user(a.id, &user).await.unwrap();
    assert!(db.authenticate(a.id, &user.email, &user.password).await.unwrap().is_some());
    assert!(db.authenticate(a.id, &user.email, "wrong").await.unwrap().is_none());
    assert!(db.authenticate(b.id, &user.email, &user.password).await.unwrap().is_none(), "A's user cannot log into B");

    // Sales of store B cannot be loaded into store A.
    let sales = storelytics::SalesBuilder::new()
        .order_id(vec!["o1"])
        .timestamp(vec!["2024-03-01T10:00:00Z"])
        .product_id(vec!["apple"])
        .quantity(vec![1.0])
        .unit_price(vec![1.0])
        .store_id(IdCol::from(&b.code))
        .build()
        .unwrap();
    assert!(db.ingest_sales(a.id, &sales, &IngestOptions::default()).await.is_err());
    assert_eq!(db.count_sales_lines(a.id).await.unwrap(), 0);

    // Unknown stores are not found.
    let ghost = StoreId(uuid::Uuid::new_v4());
    assert!(db.store(ghost).await.is_err());
    assert!(db.append_audit(ghost, &NewAuditEntry::new("x", "y", serde_json::json!({}))).await.is_err());
    assert!(db.products(ghost).await.unwrap().is_empty());
    for s in &stores {
        assert!(db.verify_audit(s.id, None).await.unwrap().is_valid());
    }
}

struct IdCol;
impl IdCol {
    fn from(id: &Id) -> storelytics::sales::IdColumn {
        match id {
            Id::Int(i) => vec![*i].into(),
            Id::Str(s) => vec![s.as_str()].into(),
        }
    }
}

/// Alternating tenants through `db` (built on a pool of ONE connection) leaks nothing.
pub async fn alternating_tenants<R: Repository>(db: &R) {
    let sales = two_store_sales(2_000, 5);
    let stores = create_stores_of(db, &sales).await;
    let mut expected = Vec::new();
    for s in &stores {
        db.ingest_sales(s.id, &sales, &IngestOptions::default()).await.unwrap();
        expected.push(kpi_json(&sales.for_store(&s.code).unwrap()));
    }
    for round in 0..6 {
        let i = round % 2;
        let s = &stores[i];
        let back = db.load_sales(s.id, None).await.unwrap();
        assert_eq!(kpi_json(&back), expected[i], "round {round}");
        db.append_audit(s.id, &NewAuditEntry::new("t", "round", serde_json::json!({ "round": round }))).await.unwrap();
        assert!(db.verify_audit(s.id, None).await.unwrap().is_valid());
    }
    let a = db.audit_entries(stores[0].id).await.unwrap();
    let b = db.audit_entries(stores[1].id).await.unwrap();
    assert_eq!(a.iter().filter(|e| e.action == "round").count(), 3);
    assert_eq!(b.iter().filter(|e| e.action == "round").count(), 3);
}

/// Appends, a signed head, and verification against it.
pub async fn audit_chain<R: Repository>(db: &R) {
    let stores = create_stores(db, 2).await;
    for s in &stores {
        for i in 0..5 {
            let e = db.append_audit(s.id, &NewAuditEntry::new("alice", "test", serde_json::json!({ "i": i }))).await;
            e.unwrap();
        }
    }
    let (a, b) = (&stores[0], &stores[1]);
    let entries = db.audit_entries(a.id).await.unwrap();
    assert_eq!(entries.first().unwrap().seq, 1);
    assert_eq!(entries.len(), 6, "store.create + 5");
    assert!(entries.windows(2).all(|w| w[1].prev_hash == w[0].hash && w[1].seq == w[0].seq + 1));
    let head = db.audit_head(a.id).await.unwrap();
    assert_eq!(head.seq, 6);
    let signed = head.sign(b"secret");
    assert!(db.verify_audit(a.id, Some((&signed, b"secret"))).await.unwrap().is_valid());
    let r = db.verify_audit(a.id, Some((&signed, b"wrong key"))).await.unwrap();
    assert_eq!(r.problems, vec![ChainProblem::BadSignature]);
    // A's head does not verify B.
    let r = db.verify_audit(b.id, Some((&signed, b"secret"))).await.unwrap();
    assert_eq!(r.problems, vec![ChainProblem::BadSignature]);
}

/// Retention archives old entries behind a checkpoint; the rest verifies; tampering with
/// the checkpoint is detected.
pub async fn retention<R: Repository>(db: &R) -> (StoreId, StoreId) {
    let stores = create_stores(db, 2).await;
    for s in &stores {
        for i in 0..4 {
            db.append_audit(s.id, &NewAuditEntry::new("bob", "test", serde_json::json!({ "i": i }))).await.unwrap();
        }
    }
    let (a, b) = (&stores[0], &stores[1]);
    let nothing = db.archive_audit(a.id, 30).await.unwrap();
    assert_eq!(nothing.archived, 0, "nothing is 30 days old");
    let report = db.archive_audit(a.id, 0).await.unwrap();
    assert_eq!(report.archived, 5);
    assert_eq!(report.checkpoint_seq, Some(6));
    let entries = db.audit_entries(a.id).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert!(db.verify_audit(a.id, None).await.unwrap().is_valid());
    db.append_audit(a.id, &NewAuditEntry::new("bob", "after", serde_json::json!({}))).await.unwrap();
    // A second run archives the first checkpoint too.
    let again = db.archive_audit(a.id, 0).await.unwrap();
    assert_eq!(again.archived, 2);
    let signed = db.audit_head(a.id).await.unwrap().sign(b"k");
    assert!(db.verify_audit(a.id, Some((&signed, b"k"))).await.unwrap().is_valid());
    assert_eq!(db.audit_entries(b.id).await.unwrap().len(), 5, "B untouched");
    assert!(db.verify_audit(b.id, None).await.unwrap().is_valid());
    (a.id, b.id)
}

/// Daily metrics computed by core and stored per store-day add up to the KPI totals.
pub async fn daily_metrics<R: Repository>(db: &R) {
    let sales = two_store_sales(3_000, 21);
    let stores = create_stores_of(db, &sales).await;
    for s in &stores {
        db.ingest_sales(s.id, &sales, &IngestOptions::default()).await.unwrap();
        let days = db.refresh_daily_metrics(s.id, None).await.unwrap();
        let own = sales.for_store(&s.code).unwrap();
        let range = own.date_range().unwrap();
        assert_eq!(days, range.len_days() as u64);
        let stored = db.daily_metrics(s.id, range).await.unwrap();
        assert_eq!(stored.len() as u64, days);
        let report = storelytics::kpi_report(&own, &Default::default()).unwrap();
        let k = &report.overall.current;
        assert_eq!(stored.iter().map(|m| m.net_revenue).sum::<i64>(), k.net_revenue.minor());
        assert_eq!(stored.iter().map(|m| m.orders).sum::<i64>(), k.orders as i64);
        assert_eq!(stored.iter().map(|m| m.new_customers).sum::<i64>(), k.new_customers as i64);
    }
}

/// Saved segments, anomalies and forecasts read back field for field, each store only its own,
/// and every save is recorded in the store's audit chain.
pub async fn saved_results_round_trip<R: Repository>(db: &R) {
    let stores = create_stores(db, 2).await;
    let (a, b) = (&stores[0], &stores[1]);
    let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    let segment = |customer: &str, segment: &str, monetary: i64| SegmentRecord {
        customer_id: customer.into(),
        segment: segment.into(),
        recency_days: 12,
        frequency: 3,
        monetary,
        computed_at: at,
    };
    let segments = vec![segment("c1", "Champions", 12_345), segment("c2", "At Risk", 99)];
    assert_eq!(db.save_segments(a.id, &segments).await.unwrap(), 2);
    db.save_segments(b.id, &[segment("c9", "Lost", 1)]).await.unwrap();
    assert_eq!(db.segments(a.id).await.unwrap(), segments);
    assert_eq!(db.segments(b.id).await.unwrap().len(), 1);

    let anomaly = |metric: &str, expected: Option<f64>| AnomalyRecord {
        id: uuid::Uuid::new_v4(),
        metric: metric.into(),
        day,
        value: 1.5,
        expected,
        score: -3.25,
        direction: "down".into(),
        created_at: at,
    };
    let anomalies = vec![anomaly("net_revenue", Some(4.0)), anomaly("orders", None)];
    assert_eq!(db.save_anomalies(a.id, &anomalies).await.unwrap(), 2);
    assert_eq!(db.anomalies(a.id).await.unwrap(), anomalies);
    assert!(db.anomalies(b.id).await.unwrap().is_empty());

    let forecast = ForecastRecord {
        id: uuid::Uuid::new_v4(),
        series: "net_revenue".into(),
        model: "ets".into(),
        horizon: 14,
        payload: serde_json::json!({ "mean": [1.0, 2.5], "level": 95 }),
        created_at: at,
    };
    db.save_forecast(a.id, &forecast).await.unwrap();
    assert_eq!(db.forecasts(a.id).await.unwrap(), vec![forecast]);
    assert!(db.forecasts(b.id).await.unwrap().is_empty());

    let entries = db.audit_entries(a.id).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.ends_with(&["segments.save", "anomalies.save", "forecast.save"]), "{actions:?}");
    assert!(entries.iter().any(|e| e.action == "segments.save" && e.detail.contains("\"count\":2")));
    assert!(db.verify_audit(a.id, None).await.unwrap().is_valid());
}

/// Times an ingest of `lines` generated lines into one of two stores and prints the rate.
pub async fn ingest_rate<R: Repository>(db: &R, backend: &str, lines: usize) -> f64 {
    let sales = two_store_sales(lines, 99);
    let stores = create_stores_of(db, &sales).await;
    let mut total = 0u64;
    let mut per_store = Vec::new();
    let t = Instant::now();
    let cpu = super::cpu_seconds("self");
    for s in &stores {
        let started = Instant::now();
        let inserted = db.ingest_sales(s.id, &sales, &IngestOptions::default()).await.unwrap().inserted;
        per_store.push(format!("{:.0}", inserted as f64 / started.elapsed().as_secs_f64()));
        total += inserted;
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu = super::cpu_seconds("self").zip(cpu).map(|(b, a)| b - a);
    let rate = total as f64 / secs;
    let cpu_rate = cpu.map(|c| format!(", {:.0} lines per CPU-second of this process", total as f64 / c.max(1e-9)));
    println!("{backend} ingest: {total} lines in {secs:.3} s = {rate:.0} lines/s{}", cpu_rate.unwrap_or_default());
    // On Postgres the first store appends to an empty key range, the second inserts below or
    // above it (its id is random), which costs more when below (see the storage README).
    let second_below = stores.get(1).zip(stores.first()).is_some_and(|(b, a)| b.id.0 < a.id.0);
    println!(
        "{backend} ingest per store, in order: {} lines/s (the second store's id sorts {} the first's)",
        per_store.join(", "),
        if second_below { "below" } else { "above" }
    );
    assert_eq!(total, sales.len() as u64);
    rate
}

/// Times ingests of `lines` generated lines of two stores started together (each on its own
/// connection, as two tenants' uploads arrive) and prints the combined rate.
pub async fn concurrent_ingest_rate<R: Repository>(db: &R, backend: &str, lines: usize) -> f64 {
    let sales = two_store_sales(lines, 98);
    let stores = create_stores_of(db, &sales).await;
    let t = Instant::now();
    let options = IngestOptions::default();
    let reports = futures_util::future::join_all(stores.iter().map(|s| db.ingest_sales(s.id, &sales, &options))).await;
    let secs = t.elapsed().as_secs_f64();
    let total: u64 = reports.into_iter().map(|r| r.unwrap().inserted).sum();
    let rate = total as f64 / secs;
    println!("{backend} ingest of two stores at once: {total} lines in {secs:.3} s = {rate:.0} lines/s");
    assert_eq!(total, sales.len() as u64);
    rate
}

/// Tampering with store A's chain (modify, delete, reorder, truncate) is detected, store B
/// stays valid. `exec` runs raw SQL with the privileges of someone who bypasses the
/// application (trigger dropped / owner role); `lit` renders a store id as an SQL literal.
pub async fn tamper<R: Repository>(db: &R, exec: impl AsyncFn(String), lit: impl Fn(StoreId) -> String) {
    async fn fresh<R: Repository>(db: &R) -> (StoreId, StoreId) {
        let stores = create_stores(db, 2).await;
        for s in &stores {
            for i in 0..7 {
                db.append_audit(s.id, &NewAuditEntry::new("eve", "test", serde_json::json!({ "i": i }))).await.unwrap();
            }
        }
        (stores[0].id, stores[1].id)
    }
    let has = |problems: &[ChainProblem], f: &dyn Fn(&ChainProblem) -> bool| problems.iter().any(f);

    // Modified.
    let (a, b) = fresh(db).await;
    exec(format!("UPDATE audit_log SET detail = '{{\"i\":100}}' WHERE store_id = {} AND seq = 4", lit(a))).await;
    let r = db.verify_audit(a, None).await.unwrap();
    assert!(has(&r.problems, &|p| matches!(p, ChainProblem::HashMismatch { seq: 4 })), "{r:?}");
    assert!(db.verify_audit(b, None).await.unwrap().is_valid());

    // Deleted (middle).
    let (a, b) = fresh(db).await;
    exec(format!("DELETE FROM audit_log WHERE store_id = {} AND seq = 3", lit(a))).await;
    let r = db.verify_audit(a, None).await.unwrap();
    assert!(has(&r.problems, &|p| matches!(p, ChainProblem::SequenceGap { expected: 3, found: 4 })), "{r:?}");
    assert!(has(&r.problems, &|p| matches!(p, ChainProblem::BrokenLink { seq: 4 })), "{r:?}");
    assert!(db.verify_audit(b, None).await.unwrap().is_valid());

    // Deleted (first entries, no checkpoint).
    let (a, _) = fresh(db).await;
    exec(format!("DELETE FROM audit_log WHERE store_id = {} AND seq <= 2", lit(a))).await;
    let r = db.verify_audit(a, None).await.unwrap();
    assert!(has(&r.problems, &|p| matches!(p, ChainProblem::MissingStart { first_seq: 3 })), "{r:?}");

    // Reordered: entries 3 and 4 swap places.
    let (a, b) = fresh(db).await;
    let s = lit(a);
    exec(format!("UPDATE audit_log SET seq = -3 WHERE store_id = {s} AND seq = 3")).await;
    exec(format!("UPDATE audit_log SET seq = 3 WHERE store_id = {s} AND seq = 4")).await;
    exec(format!("UPDATE audit_log SET seq = 4 WHERE store_id = {s} AND seq = -3")).await;
    let r = db.verify_audit(a, None).await.unwrap();
    assert!(has(&r.problems, &|p| matches!(p, ChainProblem::HashMismatch { seq: 3 })), "{r:?}");
    assert!(has(&r.problems, &|p| matches!(p, ChainProblem::BrokenLink { .. })), "{r:?}");
    assert!(db.verify_audit(b, None).await.unwrap().is_valid());

    // Truncated: the newest entries deleted; the head row catches it ...
    let (a, b) = fresh(db).await;
    let signed = db.audit_head(a).await.unwrap().sign(b"outside key");
    let s = lit(a);
    exec(format!("DELETE FROM audit_log WHERE store_id = {s} AND seq > 5")).await;
    let r = db.verify_audit(a, None).await.unwrap();
    assert!(has(&r.problems, &|p| matches!(p, ChainProblem::HeadMismatch { head_seq: 8, last_seq: 5 })), "{r:?}");
    // ... and when the head row is rewritten too, the outside copy still does.
    exec(format!(
        "UPDATE audit_heads SET seq = 5, hash = (SELECT hash FROM audit_log WHERE store_id = {s} AND seq = 5) \
         WHERE store_id = {s}"
    ))
    .await;
    assert!(db.verify_audit(a, None).await.unwrap().is_valid(), "undetectable without an outside copy");
    let r = db.verify_audit(a, Some((&signed, b"outside key"))).await.unwrap();
    assert_eq!(r.problems, vec![ChainProblem::Truncated { signed_seq: 8, last_seq: 5 }]);
    assert!(db.verify_audit(b, None).await.unwrap().is_valid());

    // Checkpoint forged away: archive, then delete the checkpoint entry.
    let (a, _) = fresh(db).await;
    let report = db.archive_audit(a, 0).await.unwrap();
    let cp = report.checkpoint_seq.unwrap();
    db.append_audit(a, &NewAuditEntry::new("eve", "later", serde_json::json!({}))).await.unwrap();
    assert!(db.verify_audit(a, None).await.unwrap().is_valid());
    exec(format!("DELETE FROM audit_log WHERE store_id = {} AND seq = {cp}", lit(a))).await;
    let r = db.verify_audit(a, None).await.unwrap();
    assert!(!r.is_valid(), "{r:?}");
}
