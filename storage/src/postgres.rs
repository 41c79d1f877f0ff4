//! The Postgres backend: row-level security per tenant, COPY for bulk loads.

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::codec::LineRows;

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

    async fn insert_lines(tx: &mut Tx, store: StoreId, rows: &LineRows) -> Result<u64> {
        if rows.len() == 0 {
            return Ok(0);
        }
        sqlx::query(
            "CREATE TEMP TABLE sales_staging (order_id text, line bigint, ts_micros bigint, local_day integer, \
             product_id text, customer_id text, quantity_milli bigint, amount bigint, cost bigint, category text, \
             id_kinds smallint) ON COMMIT DROP",
        )
        .execute(&mut **tx)
        .await?;
        let mut copy = tx.copy_in_raw("COPY sales_staging FROM STDIN (FORMAT text)").await?;
        let mut buf = Vec::with_capacity(1 << 20);
        for i in 0..rows.len() {
            copy_text(&mut buf, Some(&rows.order_id[i]));
            push_num(&mut buf, rows.line[i]);
            push_num(&mut buf, rows.ts_micros[i]);
            push_num(&mut buf, rows.local_day[i] as i64);
            copy_text(&mut buf, Some(&rows.product_id[i]));
            copy_text(&mut buf, rows.customer_id[i].as_deref());
            push_num(&mut buf, rows.quantity_milli[i]);
            push_num(&mut buf, rows.amount[i]);
            match rows.cost[i] {
                Some(c) => push_num(&mut buf, c),
                None => buf.extend_from_slice(b"\\N\t"),
            }
            copy_text(&mut buf, rows.category[i].as_deref());
            push_num(&mut buf, rows.id_kinds[i] as i64);
            // Replace the trailing tab with the row end.
            buf.pop();
            buf.push(b'\n');
            if buf.len() > (1 << 20) {
                copy.send(std::mem::take(&mut buf)).await?;
            }
        }
        if !buf.is_empty() {
            copy.send(buf).await?;
        }
        copy.finish().await?;
        let inserted = sqlx::query(
            "INSERT INTO sales_lines (store_id, order_id, line, ts_micros, local_day, product_id, customer_id, \
             quantity_milli, amount, cost, category, id_kinds) \
             SELECT $1, order_id, line, ts_micros, local_day, product_id, customer_id, quantity_milli, amount, cost, \
             category, id_kinds FROM sales_staging ON CONFLICT (store_id, order_id, line) DO NOTHING",
        )
        .bind(store.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        sqlx::query("DROP TABLE sales_staging").execute(&mut **tx).await?;
        Ok(inserted)
    }
}

/// Appends a value in COPY text format followed by a tab (`\N` for null).
fn copy_text(buf: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => buf.extend_from_slice(b"\\N"),
        Some(s) => {
            for &b in s.as_bytes() {
                match b {
                    b'\\' => buf.extend_from_slice(b"\\\\"),
                    b'\t' => buf.extend_from_slice(b"\\t"),
                    b'\n' => buf.extend_from_slice(b"\\n"),
                    b'\r' => buf.extend_from_slice(b"\\r"),
                    _ => buf.push(b),
                }
            }
        }
    }
    buf.push(b'\t');
}

fn push_num(buf: &mut Vec<u8>, v: i64) {
    use std::io::Write;
    let _ = write!(buf, "{v}\t");
}

crate::common::repository_impl!(
    PgStorage,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    "SELECT seq, hash, at_micros FROM audit_heads WHERE store_id = $1 FOR UPDATE"
);

#[cfg(test)]
mod tests {
    #[test]
    fn copy_text_escapes_specials() {
        let mut b = Vec::new();
        super::copy_text(&mut b, Some("a\tb\\c\nd"));
        super::copy_text(&mut b, None);
        assert_eq!(b, b"a\\tb\\\\c\\nd\t\\N\t");
    }
}
