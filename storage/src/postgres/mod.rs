//! The Postgres backend: row-level security per tenant, COPY for bulk loads.

mod copy;

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::codec::LineEncoder;

/// Storage in Postgres.
///
/// Migrations run as an owner role ([`PgStorage::migrate`]); the application connects as
/// `storelytics_app`, a role that owns no table and has `NOBYPASSRLS`. Every tenant table has
/// row-level security (`FORCE ROW LEVEL SECURITY`) with the policy `store_id = app.store_id`,
/// and every repository call runs in a transaction that sets `app.store_id` with
/// `set_config(.., true)` (transaction-local), so a pooled connection never carries one
/// tenant's setting into another's work. Appends to a store's audit chain lock its chain-head
/// row (`SELECT .. FOR UPDATE`), so concurrent writers cannot fork the chain.
#[derive(Debug, Clone)]
pub struct PgStorage {
    pool: PgPool,
}

impl PgStorage {
    /// Applies the migrations, connected as the owner role (`owner_url`).
    pub async fn migrate(owner_url: &str) -> Result<()> {
        let pool = PgPoolOptions::new().max_connections(1).connect(owner_url).await?;
        let result = sqlx::migrate!("migrations/postgres").run(&pool).await;
        pool.close().await;
        Ok(result?)
    }

    /// Applies the migrations as the owner and connects as the application role.
    pub async fn open(owner_url: &str, app_url: &str) -> Result<Self> {
        Self::migrate(owner_url).await?;
        Self::connect(app_url).await
    }

    /// Connects as the application role (migrations must have been applied).
    pub async fn connect(app_url: &str) -> Result<Self> {
        Ok(PgStorage { pool: PgPoolOptions::new().max_connections(8).connect(app_url).await? })
    }

    /// Uses an existing pool of application-role connections.
    pub fn with_pool(pool: PgPool) -> Self {
        PgStorage { pool }
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Begins a transaction in which row-level security sees only `store`.
    async fn tenant_tx(&self, store: StoreId) -> Result<Tx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT set_config('app.store_id', $1, true)").bind(store.0.to_string()).execute(&mut *tx).await?;
        Ok(tx)
    }

    async fn locked_tx(&self, store: StoreId) -> Result<Tx> {
        let mut tx = self.tenant_tx(store).await?;
        sqlx::query("SELECT seq FROM audit_heads WHERE store_id = $1 FOR UPDATE")
            .bind(store.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StorageError::not_found("store"))?;
        Ok(tx)
    }

    /// Bulk-loads `rows` into `sales_lines` inside the ingest transaction `tx` and returns how
    /// many were new.
    ///
    /// Row-level security refuses `COPY FROM` into `sales_lines`, so the lines go by binary
    /// `COPY` into a temporary staging table (dropped at commit, so the application role never
    /// keeps a table of its own) and from there by one `INSERT .. SELECT` under the tenant's
    /// policy. That statement inserts only keys not yet stored: an anti-join
    /// on `(order_id, line)` restricted to the batch's days (widened by two days, as the day of
    /// an instant differs by at most two between any two time zones), which reads that day range
    /// of the primary key `(store_id, local_day, order_id, line)` instead of probing every key. Ingests of a store are serialised by the chain-head lock
    /// held by `tx`, so no concurrent ingest can add a key between the check and the insert; the
    /// primary key stays the last word (a duplicate it catches fails the ingest, never doubles a
    /// line). Lines are converted and sent in chunks, so the server parses one chunk while the next
    /// is converted.
    async fn insert_lines(tx: &mut Tx, store: StoreId, mut lines: LineEncoder<'_>) -> Result<u64> {
        if lines.remaining() == 0 {
            return Ok(0);
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TEMP TABLE sales_staging ({}) ON COMMIT DROP",
            copy::STAGING_COLUMNS
        )))
        .execute(&mut **tx)
        .await?;
        let mut copy_in = tx.copy_in_raw("COPY sales_staging FROM STDIN (FORMAT binary)").await?;
        let mut days: Option<(i32, i32)> = None;
        let mut buf = Vec::with_capacity(CHUNK_BYTES);
        buf.extend_from_slice(copy::HEADER);
        while lines.remaining() > 0 {
            lines.next_lines(CHUNK_LINES, |line| {
                let day = line.local_day;
                days = Some(days.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
                copy::push_line(&mut buf, line);
            });
            // The server parses this chunk while the next one is converted.
            copy_in.send(buf.as_slice()).await?;
            buf.clear();
        }
        buf.extend_from_slice(&copy::TRAILER);
        copy_in.send(buf).await?;
        copy_in.finish().await?;
        let Some((first_day, last_day)) = days else {
            return Ok(0);
        };
        let inserted = sqlx::query(
            "INSERT INTO sales_lines (store_id, order_id, line, ts_micros, local_day, product_id, customer_id, \
             quantity_milli, amount, cost, category, id_kinds) \
             SELECT $1, s.order_id, s.line, s.ts_micros, s.local_day, s.product_id, s.customer_id, \
             s.quantity_milli, s.amount, s.cost, s.category, s.id_kinds FROM sales_staging s \
             WHERE NOT EXISTS (SELECT 1 FROM sales_lines l WHERE l.store_id = $1 \
             AND l.local_day BETWEEN $2 AND $3 AND l.order_id = s.order_id AND l.line = s.line)",
        )
        .bind(store.0)
        .bind(first_day.saturating_sub(2))
        .bind(last_day.saturating_add(2))
        .execute(&mut **tx)
        .await?
        .rows_affected();
        Ok(inserted)
    }
}

/// Lines converted and sent per `COPY` message.
const CHUNK_LINES: usize = 8_192;

/// Initial capacity of the `COPY` buffer: a chunk of typical lines.
const CHUNK_BYTES: usize = CHUNK_LINES * 128;

crate::common::repository_impl!(
    PgStorage,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    "SELECT seq, hash, at_micros FROM audit_heads WHERE store_id = $1 FOR UPDATE"
);
