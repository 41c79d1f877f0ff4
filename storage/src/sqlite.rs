//! The SQLite backend: the embedded default, a file or in memory.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::codec::LineEncoder;

/// Rows per multi-row `INSERT` of sales lines (12 parameters each, below SQLite's limit of 32,766).
const INSERT_CHUNK: usize = 1000;

/// Storage in SQLite. Tenant isolation is enforced by the repository: every statement is
/// scoped by `store_id`. Writes of a store take the database write lock (`BEGIN IMMEDIATE`),
/// so audit-chain appends are serialised even across processes.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use storelytics_storage::{NewStore, Repository, SqliteStorage};
/// let db = SqliteStorage::in_memory().await?;
/// let store = db.create_store(&NewStore::new("berlin", "Berlin")).await?;
/// assert!(db.verify_audit(store.id, None).await?.is_valid());
/// # Ok::<(), storelytics_storage::StorageError>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct SqliteStorage {
    pool: SqlitePool,
}

impl SqliteStorage {
    /// Opens (or creates) a database file in WAL mode and applies the migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        Self::with_pool(SqlitePoolOptions::new().max_connections(4).connect_with(options).await?).await
    }

    /// A private in-memory database (one connection that lives as long as the storage).
    pub async fn in_memory() -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Self::with_pool(pool).await
    }

    /// Uses an existing pool and applies the migrations.
    pub async fn with_pool(pool: SqlitePool) -> Result<Self> {
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(SqliteStorage { pool })
    }

    /// The connection pool.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Writes a consistent copy of the whole database to a new file (`VACUUM INTO`), while
    /// the database stays online. The target must not exist.
    pub async fn backup_to(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        if path.exists() {
            return Err(StorageError::invalid("backup path", format!("{} already exists", path.display())));
        }
        let target = path.to_str().ok_or_else(|| StorageError::invalid("backup path", "not valid UTF-8"))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
        Ok(())
    }

    async fn tenant_tx(&self, _store: StoreId) -> Result<Tx> {
        Ok(self.pool.begin().await?)
    }

    async fn locked_tx(&self, _store: StoreId) -> Result<Tx> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn insert_lines(&self, tx: &mut Tx, store: StoreId, mut lines: LineEncoder<'_>) -> Result<u64> {
        let rows = lines.next_chunk(usize::MAX);
        let n = rows.len();
        let mut inserted = 0;
        let mut start = 0;
        while start < n {
            let end = (start + INSERT_CHUNK).min(n);
            let mut sql = String::with_capacity(64 + (end - start) * 40);
            sql.push_str(
                "INSERT INTO sales_lines (store_id, order_id, line, ts_micros, local_day, product_id, customer_id, \
                 quantity_milli, amount, cost, category, id_kinds) VALUES ",
            );
            // Positional `?` parameters: SQLite looks named ones up by a linear scan, which
            // makes binding thousands of `$n` quadratic.
            for i in 0..end - start {
                sql.push_str(if i == 0 { "(?,?,?,?,?,?,?,?,?,?,?,?)" } else { ",(?,?,?,?,?,?,?,?,?,?,?,?)" });
            }
            sql.push_str(" ON CONFLICT (store_id, order_id, line) DO NOTHING");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for i in start..end {
                q = q
                    .bind(store.0)
                    .bind(&rows.order_id[i])
                    .bind(rows.line[i])
                    .bind(rows.ts_micros[i])
                    .bind(rows.local_day[i])
                    .bind(&rows.product_id[i])
                    .bind(&rows.customer_id[i])
                    .bind(rows.quantity_milli[i])
                    .bind(rows.amount[i])
                    .bind(rows.cost[i])
                    .bind(&rows.category[i])
                    .bind(rows.id_kinds[i]);
            }
            inserted += q.execute(&mut **tx).await?.rows_affected();
            start = end;
        }
        Ok(inserted)
    }
}

crate::common::repository_impl!(
    SqliteStorage,
    sqlx::Sqlite,
    sqlx::sqlite::SqliteRow,
    "SELECT seq, hash, at_micros FROM audit_heads WHERE store_id = $1"
);
