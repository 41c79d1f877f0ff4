//! SQLite backend tests (in-memory and file databases).

mod common;

use common::scenarios;
use storelytics_storage::{IngestOptions, NewAuditEntry, Repository, SqliteStorage, StoreId};

async fn mem() -> SqliteStorage {
    SqliteStorage::in_memory().await.expect("in-memory database")
}

fn lit(s: StoreId) -> String {
    let hex: String = s.0.as_bytes().iter().map(|b| format!("{b:02X}")).collect();
    format!("X'{hex}'")
}

#[tokio::test]
async fn round_trip_gives_identical_kpis() {
    scenarios::round_trip(&mem().await).await;
}

#[tokio::test]
async fn ingest_is_idempotent() {
    scenarios::idempotent_ingest(&mem().await).await;
}

#[tokio::test]
async fn ingest_is_idempotent_across_time_zones() {
    scenarios::idempotent_across_time_zones(&mem().await).await;
}

#[tokio::test]
async fn tenants_are_isolated() {
    scenarios::tenant_isolation(&mem().await).await;
}

#[tokio::test]
async fn one_connection_alternating_tenants_leaks_nothing() {
    // The in-memory database is a pool of exactly one connection.
    scenarios::alternating_tenants(&mem().await).await;
}

#[tokio::test]
async fn audit_chain_and_signed_head() {
    scenarios::audit_chain(&mem().await).await;
}

#[tokio::test]
async fn retention_keeps_chain_verifiable() {
    scenarios::retention(&mem().await).await;
}

#[tokio::test]
async fn daily_metrics_add_up() {
    scenarios::daily_metrics(&mem().await).await;
}

#[tokio::test]
async fn saved_results_round_trip() {
    scenarios::saved_results_round_trip(&mem().await).await;
}

#[tokio::test]
async fn tampering_is_detected() {
    let db = mem().await;
    // The application cannot update audit entries at all.
    let stores = common::create_stores(&db, 2).await;
    let err = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE audit_log SET actor = 'x' WHERE store_id = {}",
        lit(stores[0].id)
    )))
    .execute(db.pool())
    .await;
    assert!(err.is_err(), "the append-only trigger refuses updates");
    // An attacker with the file drops the trigger first.
    sqlx::query("DROP TRIGGER audit_log_no_update").execute(db.pool()).await.unwrap();
    let pool = db.pool().clone();
    scenarios::tamper(
        &db,
        async |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
        },
        lit,
    )
    .await;
}

#[tokio::test]
async fn file_database_concurrent_writers_do_not_fork_and_backup_restores() {
    let dir = tempdir();
    let path = dir.join("store.db");
    let one = SqliteStorage::open(&path).await.unwrap();
    let stores = common::create_stores(&one, 2).await;
    // A second, independent handle stands in for a second process.
    let two = SqliteStorage::open(&path).await.unwrap();
    let mut tasks = Vec::new();
    for (k, db) in [one.clone(), two.clone()].into_iter().enumerate() {
        for s in stores.iter().map(|s| s.id) {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..20 {
                    let e = NewAuditEntry::new(format!("writer{k}"), "concurrent", serde_json::json!({ "i": i }));
                    db.append_audit(s, &e).await.unwrap();
                }
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    for s in &stores {
        let r = one.verify_audit(s.id, None).await.unwrap();
        assert!(r.is_valid(), "{r:?}");
        assert_eq!(r.entries, 41);
        assert_eq!(r.last_seq, 41);
    }

    // Online backup while the database is open; the copy verifies and holds the same data.
    let sales = common::two_store_sales(1_000, 3);
    let with_sales = common::create_stores_of(&one, &sales).await;
    for s in &with_sales {
        one.ingest_sales(s.id, &sales, &IngestOptions::default()).await.unwrap();
    }
    let backup = dir.join("backup.db");
    one.backup_to(&backup).await.unwrap();
    assert!(one.backup_to(&backup).await.is_err(), "never overwrites");
    let copy = SqliteStorage::open(&backup).await.unwrap();
    for s in stores.iter().chain(&with_sales) {
        assert!(copy.verify_audit(s.id, None).await.unwrap().is_valid());
        assert_eq!(copy.audit_head(s.id).await.unwrap(), one.audit_head(s.id).await.unwrap());
        assert_eq!(copy.count_sales_lines(s.id).await.unwrap(), one.count_sales_lines(s.id).await.unwrap());
    }
    std::fs::remove_dir_all(dir).ok();
}

/// Prints the SQLite ingest rate (`STORELYTICS_BENCH_LINES`, default 20,000 lines; no assertion
/// on timing). For figures: `STORELYTICS_BENCH_LINES=200000 cargo test --release ... ingest_rate -- --nocapture`.
#[tokio::test]
async fn ingest_rate() {
    let lines = std::env::var("STORELYTICS_BENCH_LINES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let dir = tempdir();
    let db = SqliteStorage::open(dir.join("bench.db")).await.unwrap();
    scenarios::ingest_rate(&db, "sqlite (file, WAL)", lines).await;
    scenarios::ingest_rate(&mem().await, "sqlite (memory)", lines).await;
    std::fs::remove_dir_all(dir).ok();
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("storelytics-storage-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
