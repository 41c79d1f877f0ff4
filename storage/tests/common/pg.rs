//! Postgres test databases: one fresh database per test on the server of `STORELYTICS_PG_URL`.

use std::collections::HashMap;

use sqlx::postgres::{PgPool, PgPoolOptions};
use storelytics_storage::PgStorage;

/// Connection URLs of a fresh test database.
pub struct PgTestDb {
    /// Owner (superuser) URL: migrations and tampering.
    pub owner_url: String,
    /// Application-role URL.
    pub app_url: String,
    /// The database name.
    pub name: String,
}

/// The server URL, or `None` when `STORELYTICS_SKIP_PG=1`. Panics with instructions otherwise.
pub fn server_url() -> Option<String> {
    match std::env::var("STORELYTICS_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("STORELYTICS_SKIP_PG").as_deref() == Ok("1") {
                eprintln!("STORELYTICS_SKIP_PG=1: skipping a Postgres test");
                None
            } else {
                panic!(
                    "STORELYTICS_PG_URL is not set. Start a throwaway server with \
                     `eval \"$(scripts/pg.sh start)\"` or set STORELYTICS_SKIP_PG=1 to skip the Postgres tests."
                )
            }
        }
    }
}

fn with_database(url: &str, db: &str) -> String {
    let (base, rest) = url.rsplit_once('/').unwrap_or((url, ""));
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{base}/{db}{query}")
}

fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("url scheme");
    let host = rest.split_once('@').map(|(_, h)| h).unwrap_or(rest);
    format!("{scheme}://{user}@{host}")
}

/// Creates a fresh database; `None` when Postgres tests are skipped.
pub async fn fresh_db() -> Option<PgTestDb> {
    let server = server_url()?;
    let name = format!("storelytics_t_{}", uuid::Uuid::new_v4().simple());
    let admin = PgPoolOptions::new().max_connections(1).connect(&server).await.expect("connect to STORELYTICS_PG_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.expect("create database");
    admin.close().await;
    let owner_url = with_database(&server, &name);
    let app_url = with_user(&owner_url, "storelytics_app");
    Some(PgTestDb { owner_url, app_url, name })
}

impl PgTestDb {
    /// Migrates as owner and connects as the application role.
    pub async fn open(&self) -> PgStorage {
        PgStorage::open(&self.owner_url, &self.app_url).await.expect("open postgres storage")
    }

    /// A pool of owner connections (bypasses row-level security as superuser).
    pub async fn owner_pool(&self) -> PgPool {
        PgPoolOptions::new().max_connections(2).connect(&self.owner_url).await.expect("owner pool")
    }

    /// A pool of `n` application-role connections.
    pub async fn app_pool(&self, n: u32) -> PgPool {
        PgPoolOptions::new().max_connections(n).connect(&self.app_url).await.expect("app pool")
    }
}

/// CPU seconds used so far by each server process of the database of `owner` other than the
/// owner connection itself (empty when the server's `/proc` entries are not readable, e.g. a
/// remote server).
pub async fn backend_cpu(owner: &PgPool) -> HashMap<i32, f64> {
    let pids: Vec<i32> = sqlx::query_scalar(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(owner)
    .await
    .expect("server processes");
    pids.into_iter().filter_map(|pid| Some((pid, super::cpu_seconds(&pid.to_string())?))).collect()
}

/// CPU seconds the database's server processes used between two [`backend_cpu`] readings
/// (`None` when the server's processes are not readable).
pub fn cpu_between(before: &HashMap<i32, f64>, after: &HashMap<i32, f64>) -> Option<f64> {
    (!after.is_empty()).then(|| after.iter().map(|(pid, t)| t - before.get(pid).copied().unwrap_or(0.0)).sum())
}

/// A plain binary `COPY` of every stored sales line (as the ingest's staging table receives
/// them, ordered by store and time) into a new table without index, constraint or row-level
/// security, in one transaction: the server's fastest way to take these rows, the baseline
/// for the ingest rate. Returns (lines, seconds, server CPU seconds when readable).
pub async fn raw_copy(owner: &PgPool) -> (u64, f64, Option<f64>) {
    use futures_util::TryStreamExt;
    const COLUMNS: &str = "order_id, line, ts_micros, local_day, product_id, customer_id, quantity_milli, amount, \
                           cost, category, id_kinds";
    let mut conn = owner.acquire().await.expect("owner connection");
    let data: Vec<u8> = conn
        .copy_out_raw(&format!(
            "COPY (SELECT {COLUMNS} FROM sales_lines ORDER BY store_id, ts_micros) TO STDOUT (FORMAT binary)"
        ))
        .await
        .expect("copy out")
        .try_fold(Vec::new(), |mut all, chunk| {
            all.extend_from_slice(&chunk);
            std::future::ready(Ok(all))
        })
        .await
        .expect("copy out data");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE raw_copy AS SELECT {COLUMNS} FROM sales_lines WITH NO DATA"
    )))
    .execute(&mut *conn)
    .await
    .expect("raw table");
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut *conn).await.expect("pid");
    let cpu = super::cpu_seconds(&pid.to_string());
    let t = std::time::Instant::now();
    let mut tx = sqlx::Connection::begin(&mut *conn).await.expect("begin");
    let mut copy_in = tx.copy_in_raw("COPY raw_copy FROM STDIN (FORMAT binary)").await.expect("copy in");
    for chunk in data.chunks(1 << 20) {
        copy_in.send(chunk).await.expect("copy data");
    }
    let lines = copy_in.finish().await.expect("copy finish");
    tx.commit().await.expect("commit");
    let secs = t.elapsed().as_secs_f64();
    let cpu = super::cpu_seconds(&pid.to_string()).zip(cpu).map(|(b, a)| b - a);
    (lines, secs, cpu)
}
