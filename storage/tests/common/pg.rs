//! Postgres test databases: one fresh database per test on the server of `STORELYTICS_PG_URL`.

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
