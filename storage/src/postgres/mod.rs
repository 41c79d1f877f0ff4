//! The Postgres backend: row-level security per tenant, COPY for bulk loads.

mod copy;

use std::sync::{Arc, OnceLock};

use sqlx::postgres::{PgPool, PgPoolOptions};

use rustc_hash::FxHashMap as HashMap;

use crate::codec::{LineEncoder, LineRef};

/// Storage in Postgres.
///
/// Migrations run as an owner role ([`PgStorage::migrate`]); the application connects as
/// `storelytics_app`, a role that owns no table and has `NOBYPASSRLS`. Every tenant table has
/// row-level security (`FORCE ROW LEVEL SECURITY`) with the policy `store_id = app.store_id`,
/// and every repository call runs in a transaction that sets `app.store_id` with
/// `set_config(.., true)` (transaction-local), so a pooled connection never carries one
/// tenant's setting into another's work. Appends to a store's audit chain lock its chain-head
/// row (`SELECT .. FOR UPDATE`), so concurrent writers cannot fork the chain.
///
/// Sales lines are loaded by `COPY` straight into `sales_lines` under the role
/// `storelytics_ingest`, which may only insert sales lines of the transaction's store: it
/// bypasses row-level security (so that `COPY` is allowed) but may not set `store_id`, whose
/// default is the transaction's store, and holds no other privilege. When the migrations could
/// not create that role (it needs a superuser) or the application role is not a member, lines
/// go through a staging table instead (more server time per line);
/// [`PgStorage::ingest_through_staging`] chooses that path explicitly.
#[derive(Debug, Clone)]
pub struct PgStorage {
    pool: PgPool,
    /// Whether ingest copies into `sales_lines` under `storelytics_ingest`; found on first use.
    direct_copy: Arc<OnceLock<bool>>,
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
        Ok(Self::with_pool(PgPoolOptions::new().max_connections(8).connect(app_url).await?))
    }

    /// Uses an existing pool of application-role connections.
    pub fn with_pool(pool: PgPool) -> Self {
        PgStorage { pool, direct_copy: Arc::new(OnceLock::new()) }
    }

    /// Ingests sales lines through a staging table even when the role `storelytics_ingest` is
    /// available (the path taken when it is not).
    pub fn ingest_through_staging(mut self) -> Self {
        self.direct_copy = Arc::new(OnceLock::from(false));
        self
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Whether sales lines are copied straight into `sales_lines` (see [`PgStorage`]).
    pub async fn ingests_by_direct_copy(&self) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        self.direct_copy(&mut conn).await
    }

    /// [`PgStorage::ingests_by_direct_copy`], asked on `conn` the first time.
    async fn direct_copy(&self, conn: &mut sqlx::PgConnection) -> Result<bool> {
        if let Some(&direct) = self.direct_copy.get() {
            return Ok(direct);
        }
        // The role exists, bypasses row-level security, may insert lines in this database, and
        // the application role may switch to it.
        let direct: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = 'storelytics_ingest' AND r.rolbypassrls \
             AND pg_has_role(current_user, r.oid, 'MEMBER') \
             AND has_any_column_privilege(r.oid, 'public.sales_lines'::regclass, 'INSERT'))",
        )
        .fetch_one(conn)
        .await?;
        Ok(*self.direct_copy.get_or_init(|| direct))
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

    /// Bulk-loads the encoder's lines into `sales_lines` inside the ingest transaction `tx` and
    /// returns how many were new. Ingests of a store are serialised by the chain-head lock held
    /// by `tx`, so no concurrent ingest can add a key between the check for stored keys and the
    /// insert; the primary key stays the last word (a duplicate it catches fails the ingest,
    /// never doubles a line). Lines are converted and sent in chunks, so the server parses one
    /// chunk while the next is converted.
    async fn insert_lines(&self, tx: &mut Tx, store: StoreId, lines: LineEncoder<'_>) -> Result<u64> {
        // The keys of a line never change, and neither does its day in the store's zone; lines
        // stored before migration 0003 may carry a day computed in another zone, at most two
        // days off: each day of the batch is looked up with the two days on either side.
        let mut days: Vec<i32> =
            lines.distinct_days()?.iter().flat_map(|&d| d.saturating_sub(2)..=d.saturating_add(2)).collect();
        days.sort_unstable();
        days.dedup();
        let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
            return Ok(0);
        };
        if self.direct_copy(tx).await? {
            Self::copy_lines(tx, store, lines, &days).await
        } else {
            Self::insert_through_staging(tx, store, lines, (first, last)).await
        }
    }

    /// The lines not stored yet, by `COPY` into `sales_lines` as `storelytics_ingest`: first the
    /// keys stored on the batch's `days` are read under the tenant's policy, then the other lines
    /// are copied without a store id (the column's default is the transaction's store, and that
    /// role may not name one). The role is switched for the transaction only and switched back
    /// right after the `COPY`.
    async fn copy_lines(tx: &mut Tx, store: StoreId, mut lines: LineEncoder<'_>, days: &[i32]) -> Result<u64> {
        let stored: Vec<(String, i64)> =
            sqlx::query_as("SELECT order_id, line FROM sales_lines WHERE store_id = $1 AND local_day = ANY($2)")
                .bind(store.0)
                .bind(days)
                .fetch_all(&mut **tx)
                .await?;
        let mut known: HashMap<String, Vec<i64>> = HashMap::default();
        for (order, line) in stored {
            known.entry(order).or_default().push(line);
        }
        let is_known = |order: &str, line: i64| known.get(order).is_some_and(|lines| lines.contains(&line));
        let role: String = sqlx::query_scalar("SELECT current_user::text").fetch_one(&mut **tx).await?;
        sqlx::query("SELECT set_config('role', 'storelytics_ingest', true)").execute(&mut **tx).await?;
        let sql = format!("COPY sales_lines ({}) FROM STDIN (FORMAT binary)", copy::LINE_COLUMNS);
        let copy_in = tx.copy_in_raw(&sql).await?;
        let keep = |line: &LineRef<'_>| known.is_empty() || !is_known(line.order_id, line.line);
        let inserted = send_lines(copy_in, &mut lines, keep).await?;
        sqlx::query("SELECT set_config('role', $1, true)").bind(role).execute(&mut **tx).await?;
        Ok(inserted)
    }

    /// The lines not stored yet, by binary `COPY` into a temporary staging table (dropped at
    /// commit, so the application role never keeps a table of its own; row-level security
    /// refuses `COPY FROM` into `sales_lines`) and from there by one `INSERT .. SELECT` under the
    /// tenant's policy. That statement inserts only keys not yet stored: an anti-join on
    /// `(order_id, line)` restricted to the batch's days (widened), which reads that day range
    /// of the primary key `(store_id, local_day, order_id, line)`.
    async fn insert_through_staging(
        tx: &mut Tx,
        store: StoreId,
        mut lines: LineEncoder<'_>,
        days: (i32, i32),
    ) -> Result<u64> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TEMP TABLE sales_staging ({}) ON COMMIT DROP",
            copy::STAGING_COLUMNS
        )))
        .execute(&mut **tx)
        .await?;
        let copy_in = tx.copy_in_raw("COPY sales_staging FROM STDIN (FORMAT binary)").await?;
        send_lines(copy_in, &mut lines, |_| true).await?;
        let inserted = sqlx::query(
            "INSERT INTO sales_lines (store_id, order_id, line, ts_micros, local_day, product_id, customer_id, \
             quantity_milli, amount, cost, category, id_kinds) \
             SELECT $1, s.order_id, s.line, s.ts_micros, s.local_day, s.product_id, s.customer_id, \
             s.quantity_milli, s.amount, s.cost, s.category, s.id_kinds FROM sales_staging s \
             WHERE NOT EXISTS (SELECT 1 FROM sales_lines l WHERE l.store_id = $1 \
             AND l.local_day BETWEEN $2 AND $3 AND l.order_id = s.order_id AND l.line = s.line)",
        )
        .bind(store.0)
        .bind(days.0)
        .bind(days.1)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        Ok(inserted)
    }
}

/// Sends the encoder's lines that `keep` accepts through `copy_in` as one binary `COPY` stream
/// and returns the rows the server took. Lines are converted and sent in chunks, so the server
/// parses one chunk while the next is converted.
async fn send_lines(
    mut copy_in: sqlx::postgres::PgCopyIn<&mut sqlx::PgConnection>,
    lines: &mut LineEncoder<'_>,
    keep: impl Fn(&LineRef<'_>) -> bool,
) -> Result<u64> {
    let mut buf = Vec::with_capacity(CHUNK_BYTES);
    buf.extend_from_slice(copy::HEADER);
    while lines.remaining() > 0 {
        lines.next_lines(CHUNK_LINES, |line| {
            if keep(line) {
                copy::push_line(&mut buf, line);
            }
        });
        copy_in.send(buf.as_slice()).await?;
        buf.clear();
    }
    buf.extend_from_slice(&copy::TRAILER);
    copy_in.send(buf).await?;
    Ok(copy_in.finish().await?)
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
