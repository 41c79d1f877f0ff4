//! Crash test: kill -9 the Postgres server during a stream of ingests, restart it, and check
//! that no acknowledged line is lost, none is duplicated and every audit chain verifies.
//!
//! Needs the server of `scripts/pg.sh start` (`STORELYTICS_PG_URL`, `STORELYTICS_PG_DATA`,
//! `STORELYTICS_PG_DIR`); it restarts it with `scripts/pg.sh restart`. Its own test binary,
//! so no other test shares the server while it is down.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::pg::fresh_db;
use storelytics::Sales;
use storelytics::calendar::Period;
use storelytics_storage::{IngestOptions, PgStorage, Repository, StoreId};

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set; start the server with `eval \"$(scripts/pg.sh start)\"`"))
}

/// Batches of two days each, per store.
fn batches(sales: &Sales, code: &storelytics::Id) -> Vec<(Period, Sales)> {
    let own = sales.for_store(code).unwrap();
    let range = own.date_range().unwrap();
    let mut out = Vec::new();
    let mut start = range.start();
    while start <= range.end() {
        let end = (start + chrono::Days::new(1)).min(range.end());
        let p = Period::new(start, end).unwrap();
        out.push((p, own.filter_period(&p)));
        start = end + chrono::Days::new(1);
    }
    out
}

async fn ingest_all(
    db: &PgStorage,
    plan: &[(StoreId, Vec<(Period, Sales)>)],
    acked: &Arc<std::sync::Mutex<Vec<(StoreId, usize)>>>,
    count: &Arc<AtomicUsize>,
) -> Result<(), String> {
    let longest = plan.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
    for i in 0..longest {
        for (store, b) in plan {
            let Some((_, sales)) = b.get(i) else { continue };
            let options = IngestOptions { idempotency_key: Some(format!("batch-{i}")), ..Default::default() };
            match db.ingest_sales(*store, sales, &options).await {
                Ok(_) => {
                    acked.lock().unwrap().push((*store, i));
                    count.fetch_add(1, Ordering::SeqCst);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn kill_9_during_ingest_loses_and_duplicates_nothing() {
    let Some(t) = fresh_db().await else { return };
    let data_dir = env("STORELYTICS_PG_DATA");
    env("STORELYTICS_PG_DIR");
    let db = t.open().await;
    let sales = common::two_store_sales(60_000, 77);
    let stores = common::create_stores_of(&db, &sales).await;
    let plan: Vec<(StoreId, Vec<(Period, Sales)>)> = stores.iter().map(|s| (s.id, batches(&sales, &s.code))).collect();

    let acked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let worker = {
        let (db, acked, count) = (db.clone(), acked.clone(), count.clone());
        let plan = plan.clone();
        tokio::spawn(async move { ingest_all(&db, &plan, &acked, &count).await })
    };
    while count.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let pid = std::fs::read_to_string(format!("{data_dir}/postmaster.pid")).unwrap();
    let pid = pid.lines().next().unwrap().trim().to_string();
    let status = std::process::Command::new("kill").args(["-9", &pid]).status().unwrap();
    assert!(status.success());
    let outcome = worker.await.unwrap();
    assert!(outcome.is_err(), "the ingest stream must have been interrupted");
    let acked: Vec<(StoreId, usize)> = acked.lock().unwrap().clone();
    db.pool().close().await;

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/pg.sh");
    let status = std::process::Command::new("bash").args([script, "restart"]).status().unwrap();
    assert!(status.success(), "restart failed");
    let mut connected = None;
    for _ in 0..50 {
        match PgStorage::connect(&t.app_url).await {
            Ok(db) => {
                connected = Some(db);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let db = connected.expect("server back after restart");

    // Every acknowledged batch is complete; at most one more (the one in flight) is present
    // as a whole; nothing else is.
    let mut by_store: BTreeMap<StoreId, Vec<usize>> = BTreeMap::new();
    for (s, i) in &acked {
        by_store.entry(*s).or_default().push(*i);
    }
    let mut partial_or_extra = 0;
    for (store, b) in &plan {
        let done = by_store.get(store).cloned().unwrap_or_default();
        let stored = db.load_sales(*store, None).await.unwrap();
        let ingests = db.audit_entries(*store).await.unwrap().iter().filter(|e| e.action == "sales.ingest").count();
        for (i, (period, batch)) in b.iter().enumerate() {
            let present = stored.filter_period(period).len();
            if done.contains(&i) {
                assert_eq!(present, batch.len(), "acknowledged batch {i} of {store} incomplete");
            } else if present != 0 {
                assert_eq!(present, batch.len(), "batch {i} of {store} half written");
                partial_or_extra += 1;
            }
        }
        assert!(ingests == done.len() || ingests == done.len() + 1);
        assert!(db.verify_audit(*store, None).await.unwrap().is_valid());
    }
    assert!(partial_or_extra <= 1, "only the batch in flight may be committed without an acknowledgement");

    // Re-running the whole stream completes it exactly once.
    let again = ingest_all(&db, &plan, &Default::default(), &Default::default()).await;
    assert!(again.is_ok(), "{again:?}");
    for (store, s) in plan.iter().map(|(s, _)| s).zip(&stores) {
        let stored = db.load_sales(*store, None).await.unwrap();
        let expected = sales.for_store(&s.code).unwrap();
        assert_eq!(stored.len(), expected.len());
        assert_eq!(common::kpi_json(&stored), common::kpi_json(&expected));
        assert!(db.verify_audit(*store, None).await.unwrap().is_valid());
    }
}
