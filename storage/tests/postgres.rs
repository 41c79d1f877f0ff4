//! Postgres backend tests. Need `STORELYTICS_PG_URL` (see `scripts/pg.sh`); they fail without
//! it unless `STORELYTICS_SKIP_PG=1`.

mod common;

use common::pg::fresh_db;
use common::scenarios;
use sqlx::Row;
use storelytics_storage::{IngestOptions, NewAuditEntry, PgStorage, ProductRecord, Repository, StoreId};

fn lit(s: StoreId) -> String {
    format!("'{}'::uuid", s.0)
}

/// A scenario on a fresh database; with `staging`, on the ingest path taken when the role
/// `storelytics_ingest` is not available.
macro_rules! pg_scenario {
    ($name:ident, $scenario:path) => {
        pg_scenario!($name, $scenario, false);
    };
    ($name:ident, $scenario:path, staging) => {
        pg_scenario!($name, $scenario, true);
    };
    ($name:ident, $scenario:path, $staging:literal) => {
        #[tokio::test]
        async fn $name() {
            let Some(t) = fresh_db().await else { return };
            let mut db = t.open().await;
            if $staging {
                db = db.ingest_through_staging();
            }
            assert_eq!(db.ingests_by_direct_copy().await.unwrap(), !$staging);
            $scenario(&db).await;
        }
    };
}

pg_scenario!(round_trip_gives_identical_kpis, scenarios::round_trip);
pg_scenario!(ingest_is_idempotent, scenarios::idempotent_ingest);
pg_scenario!(ingest_is_idempotent_across_time_zones, scenarios::idempotent_across_time_zones);
pg_scenario!(tenants_are_isolated, scenarios::tenant_isolation);
pg_scenario!(audit_chain_and_signed_head, scenarios::audit_chain);
pg_scenario!(daily_metrics_add_up, scenarios::daily_metrics);
pg_scenario!(saved_results_round_trip, scenarios::saved_results_round_trip);
pg_scenario!(staged_round_trip_gives_identical_kpis, scenarios::round_trip, staging);
pg_scenario!(staged_ingest_is_idempotent, scenarios::idempotent_ingest, staging);
pg_scenario!(staged_ingest_is_idempotent_across_time_zones, scenarios::idempotent_across_time_zones, staging);

#[tokio::test]
async fn retention_keeps_chain_verifiable() {
    let Some(t) = fresh_db().await else { return };
    let db = t.open().await;
    let (a, _) = scenarios::retention(&db).await;
    // Archived entries are kept (and readable only by their store).
    let owner = t.owner_pool().await;
    let n: i64 =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM audit_archive WHERE store_id = {}", lit(a))))
            .fetch_one(&owner)
            .await
            .unwrap()
            .get(0);
    assert_eq!(n, 7);
}

#[tokio::test]
async fn one_connection_alternating_tenants_leaks_nothing() {
    let Some(t) = fresh_db().await else { return };
    t.open().await;
    let pool = t.app_pool(1).await;
    let db = PgStorage::with_pool(pool.clone());
    scenarios::alternating_tenants(&db).await;
    // Outside a repository transaction the connection carries no tenant: it sees nothing.
    let setting: Option<String> =
        sqlx::query("SELECT current_setting('app.store_id', true)").fetch_one(&pool).await.unwrap().get(0);
    assert!(setting.as_deref().unwrap_or("").is_empty(), "tenant leaked into the session: {setting:?}");
    for table in ["stores", "sales_lines", "audit_log", "audit_heads", "users", "products"] {
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "{table} visible without a tenant");
    }
}

#[tokio::test]
async fn row_level_security_blocks_cross_tenant_sql() {
    let Some(t) = fresh_db().await else { return };
    let db = t.open().await;
    let stores = common::create_stores(&db, 2).await;
    let (a, b) = (stores[0].id, stores[1].id);
    let sales = common::two_store_sales(1_000, 8);
    let with_sales = common::create_stores_of(&db, &sales).await;
    for s in &with_sales {
        db.ingest_sales(s.id, &sales, &IngestOptions::default()).await.unwrap();
    }
    db.upsert_products(b, &[ProductRecord { product_id: "secret".into(), ..Default::default() }]).await.unwrap();

    // The application role: no BYPASSRLS, not superuser, owns no table.
    let app = t.app_pool(1).await;
    let row = sqlx::query("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user")
        .fetch_one(&app)
        .await
        .unwrap();
    assert!(!row.get::<bool, _>(0) && !row.get::<bool, _>(1));
    let owned: i64 = sqlx::query("SELECT COUNT(*) FROM pg_tables WHERE tableowner = current_user")
        .fetch_one(&app)
        .await
        .unwrap()
        .get(0);
    assert_eq!(owned, 0);
    let forced: i64 = sqlx::query(
        "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_sqlx_migrations' \
         AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
    )
    .fetch_one(&app)
    .await
    .unwrap()
    .get(0);
    assert_eq!(forced, 0, "every table has forced row-level security");

    // Raw SQL as the application with tenant A set: B's rows are invisible and unwritable.
    let mut tx = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.store_id', $1, true)").bind(a.0.to_string()).execute(&mut *tx).await.unwrap();
    let seen: i64 = sqlx::query("SELECT COUNT(*) FROM products").fetch_one(&mut *tx).await.unwrap().get(0);
    assert_eq!(seen, 0);
    let seen: i64 = sqlx::query("SELECT COUNT(*) FROM sales_lines").fetch_one(&mut *tx).await.unwrap().get(0);
    assert_eq!(seen, 0, "A has no sales; others' lines are invisible");
    let stores_seen: i64 = sqlx::query("SELECT COUNT(*) FROM stores").fetch_one(&mut *tx).await.unwrap().get(0);
    assert_eq!(stores_seen, 1);
    let updated = sqlx::query("UPDATE products SET price = 1 WHERE store_id = $1")
        .bind(b.0)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(updated, 0);
    let deleted = sqlx::query("DELETE FROM products WHERE store_id = $1")
        .bind(b.0)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(deleted, 0);
    tx.rollback().await.unwrap();

    let mut tx = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.store_id', $1, true)").bind(a.0.to_string()).execute(&mut *tx).await.unwrap();
    let insert = sqlx::query(
        "INSERT INTO products (store_id, product_id, inventory, updated_at) VALUES ($1, 'planted', 0, now())",
    )
    .bind(b.0)
    .execute(&mut *tx)
    .await;
    let msg = insert.unwrap_err().to_string();
    assert!(msg.contains("row-level security"), "{msg}");
    tx.rollback().await.unwrap();

    // Moving a row of A to B is refused too.
    let mut tx = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.store_id', $1, true)").bind(a.0.to_string()).execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO products (store_id, product_id, inventory, updated_at) VALUES ($1, 'mine', 0, now())")
        .bind(a.0)
        .execute(&mut *tx)
        .await
        .unwrap();
    let moved =
        sqlx::query("UPDATE products SET store_id = $1 WHERE product_id = 'mine'").bind(b.0).execute(&mut *tx).await;
    assert!(moved.is_err(), "WITH CHECK refuses moving rows to another tenant");
    tx.rollback().await.unwrap();

    // The application cannot rewrite its audit log.
    let mut tx = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.store_id', $1, true)").bind(a.0.to_string()).execute(&mut *tx).await.unwrap();
    let rewrite = sqlx::query("UPDATE audit_log SET actor = 'x'").execute(&mut *tx).await;
    assert!(rewrite.unwrap_err().to_string().contains("permission denied"));
    tx.rollback().await.unwrap();

    // Without a tenant nothing is visible.
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM sales_lines").fetch_one(&app).await.unwrap().get(0);
    assert_eq!(n, 0);
    // Through the repository, B still has its product and every chain verifies.
    assert_eq!(db.products(b).await.unwrap().len(), 1);
    for s in stores.iter().chain(&with_sales) {
        assert!(db.verify_audit(s.id, None).await.unwrap().is_valid());
    }
}

#[tokio::test]
async fn sales_lines_need_an_existing_store() {
    let Some(t) = fresh_db().await else { return };
    let db = t.open().await;
    let real = common::create_stores(&db, 1).await[0].id;
    let app = t.app_pool(1).await;
    let insert_line = async |store: uuid::Uuid| {
        let mut tx = app.begin().await.unwrap();
        sqlx::query("SELECT set_config('app.store_id', $1, true)")
            .bind(store.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        let result = sqlx::query(
            "INSERT INTO sales_lines (store_id, order_id, line, ts_micros, local_day, product_id, quantity_milli, \
             amount, id_kinds) VALUES ($1, 'o1', 1, 0, 0, 'p1', 1000, 100, 0)",
        )
        .bind(store)
        .execute(&mut *tx)
        .await;
        tx.rollback().await.unwrap();
        result
    };
    // A tenant setting naming no store cannot carry lines.
    let msg = insert_line(uuid::Uuid::new_v4()).await.unwrap_err().to_string();
    assert!(msg.contains("store that does not exist"), "{msg}");
    // The same insert for an existing store passes the check.
    assert_eq!(insert_line(real.0).await.unwrap().rows_affected(), 1);
}

/// `storelytics_ingest` (the role the application switches to for the `COPY` of an ingest) can
/// insert sales lines of the transaction's store and nothing else: it cannot name a store,
/// read any table, change or delete a line, or insert without an existing store set.
#[tokio::test]
async fn ingest_role_only_inserts_lines_of_the_transactions_store() {
    let Some(t) = fresh_db().await else { return };
    let db = t.open().await;
    assert!(db.ingests_by_direct_copy().await.unwrap());
    let stores = common::create_stores(&db, 2).await;
    let (a, b) = (stores[0].id, stores[1].id);
    let app = t.app_pool(1).await;
    let as_ingest = async |store: Option<uuid::Uuid>, sql: &str| {
        let mut tx = app.begin().await.unwrap();
        if let Some(store) = store {
            sqlx::query("SELECT set_config('app.store_id', $1, true)")
                .bind(store.to_string())
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        sqlx::query("SET LOCAL ROLE storelytics_ingest").execute(&mut *tx).await.unwrap();
        let result = sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut *tx).await;
        tx.commit().await.ok();
        result.map(|r| r.rows_affected()).map_err(|e| e.to_string())
    };
    let columns = "order_id, line, ts_micros, local_day, product_id, quantity_milli, amount, id_kinds";
    // A line without a store id lands in the transaction's store.
    let insert = format!("INSERT INTO sales_lines ({columns}) VALUES ('o1', 1, 0, 0, 'p1', 1000, 100, 0)");
    assert_eq!(as_ingest(Some(a.0), &insert).await, Ok(1));
    let owner = t.owner_pool().await;
    let stored: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT store_id FROM sales_lines").fetch_all(&owner).await.unwrap();
    assert_eq!(stored, vec![a.0]);
    // Naming a store is refused, whichever it is.
    for store in [a.0, b.0] {
        let named = format!(
            "INSERT INTO sales_lines (store_id, {columns}) VALUES ('{store}'::uuid, 'o2', 1, 0, 0, 'p1', 1000, 100, 0)"
        );
        let err = as_ingest(Some(a.0), &named).await.unwrap_err();
        assert!(err.contains("permission denied"), "{err}");
    }
    // No store set, or a store that does not exist: nothing is inserted.
    let err = as_ingest(None, &insert.replace("'o1'", "'o3'")).await.unwrap_err();
    assert!(err.contains("store_id") && err.contains("null"), "{err}");
    let err = as_ingest(Some(uuid::Uuid::new_v4()), &insert.replace("'o1'", "'o4'")).await.unwrap_err();
    assert!(err.contains("store that does not exist"), "{err}");
    // No reads, updates or deletes, of this table or any other.
    for sql in [
        "SELECT count(*) FROM sales_lines",
        "UPDATE sales_lines SET amount = 0",
        "DELETE FROM sales_lines",
        "SELECT count(*) FROM stores",
        "SELECT count(*) FROM audit_log",
        "INSERT INTO ingest_batches (store_id, idempotency_key, received, inserted, created_at) \
         VALUES (app_store_id(), 'k', 0, 0, now())",
    ] {
        let err = as_ingest(Some(a.0), sql).await.unwrap_err();
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sales_lines").fetch_one(&owner).await.unwrap();
    assert_eq!(count, 1);
}

/// `app_store_exists()` runs as the owner: a temporary table or view named like its tables, which
/// the application role may create, does not stand in for them.
#[tokio::test]
async fn store_check_ignores_temporary_lookalikes() {
    let Some(t) = fresh_db().await else { return };
    let _db = t.open().await;
    let app = t.app_pool(1).await;
    let mut tx = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.store_id', $1, true)")
        .bind(uuid::Uuid::new_v4().to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("CREATE TEMP VIEW stores AS SELECT app_store_id() AS id").execute(&mut *tx).await.unwrap();
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM stores").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(seen, 1, "the application role's own queries see its view");
    let exists: bool = sqlx::query_scalar("SELECT app_store_exists()").fetch_one(&mut *tx).await.unwrap();
    assert!(!exists);
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn tampering_is_detected() {
    let Some(t) = fresh_db().await else { return };
    let db = t.open().await;
    let owner = t.owner_pool().await;
    scenarios::tamper(
        &db,
        async |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&owner).await.unwrap();
        },
        lit,
    )
    .await;
}

#[tokio::test]
async fn concurrent_writers_do_not_fork_the_chain() {
    let Some(t) = fresh_db().await else { return };
    let one = t.open().await;
    let two = PgStorage::connect(&t.app_url).await.unwrap();
    let stores = common::create_stores(&one, 2).await;
    let mut tasks = Vec::new();
    for (k, db) in [one.clone(), two.clone()].into_iter().enumerate() {
        for s in stores.iter().map(|s| s.id) {
            for w in 0..3 {
                let db = db.clone();
                tasks.push(tokio::spawn(async move {
                    for i in 0..15 {
                        let e = NewAuditEntry::new(format!("pool{k}-{w}"), "concurrent", serde_json::json!({ "i": i }));
                        db.append_audit(s, &e).await.unwrap();
                    }
                }));
            }
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    for s in &stores {
        let r = one.verify_audit(s.id, None).await.unwrap();
        assert!(r.is_valid(), "{r:?}");
        assert_eq!(r.last_seq, 1 + 2 * 3 * 15);
    }
}

/// Prints the Postgres ingest rate (`STORELYTICS_BENCH_LINES`, default 20,000; no timing
/// assertion) next to a plain binary `COPY` of the same rows into an unindexed table in the same
/// run (the ratio stays readable on a loaded machine), with the server's CPU time when the server
/// runs on this machine.
#[tokio::test]
async fn ingest_rate() {
    let Some(t) = fresh_db().await else { return };
    let lines = std::env::var("STORELYTICS_BENCH_LINES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let db = t.open().await;
    let owner = t.owner_pool().await;
    let load = common::load_average();
    let before = common::pg::backend_cpu(&owner).await;
    // The server's CPU covers the scenario's creation of two stores too (small next to the ingest).
    assert!(db.ingests_by_direct_copy().await.unwrap(), "the test server's migrations create storelytics_ingest");
    let rate = scenarios::ingest_rate(&db, "postgres (COPY into sales_lines)", lines).await;
    let server = common::pg::cpu_between(&before, &common::pg::backend_cpu(&owner).await);
    // Two tenants' uploads at once (a database of its own).
    let Some(t3) = fresh_db().await else { return };
    scenarios::concurrent_ingest_rate(&t3.open().await, "postgres (COPY into sales_lines)", lines).await;
    // The path taken without the ingest role, on the same server (a database of its own).
    let Some(t2) = fresh_db().await else { return };
    let staged = t2.open().await.ingest_through_staging();
    let owner2 = t2.owner_pool().await;
    let before_staged = common::pg::backend_cpu(&owner2).await;
    let staged_rate =
        scenarios::ingest_rate(&staged, "postgres (COPY into a staging table, INSERT .. SELECT)", lines).await;
    let staged_server = common::pg::cpu_between(&before_staged, &common::pg::backend_cpu(&owner2).await);
    let (raw_lines, raw_secs, raw_cpu) = common::pg::raw_copy(&owner).await;
    let raw_rate = raw_lines as f64 / raw_secs;
    let per_line =
        |cpu: Option<f64>, n: u64| cpu.map(|c| format!(", server {:.2} µs CPU per line", c * 1e6 / n as f64));
    println!(
        "raw COPY of the same rows into an unindexed table: {raw_lines} lines in {raw_secs:.3} s = {raw_rate:.0} lines/s{}",
        per_line(raw_cpu, raw_lines).unwrap_or_default()
    );
    println!(
        "ingest / raw COPY: {:.2} of the raw rate{}{}",
        rate / raw_rate,
        per_line(server, raw_lines).map(|s| format!("; ingest{s}")).unwrap_or_default(),
        load.map(|l| format!("; load average {l:.1} at the start")).unwrap_or_default()
    );
    println!(
        "staging path: {:.2} of the direct COPY's rate{}",
        staged_rate / rate,
        per_line(staged_server, raw_lines).map(|s| format!("; staging{s}")).unwrap_or_default()
    );
}
