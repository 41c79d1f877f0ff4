//! The SQL shared by both backends (the same text runs on SQLite and Postgres: `$n`
//! placeholders, `ON CONFLICT`), expanded once per backend so each gets concrete sqlx types.
//!
//! A backend provides `tenant_tx` (a transaction scoped to one store), `locked_tx` (the same,
//! holding the store's write lock: the audit chain head) and the method `insert_lines` (bulk
//! load of the lines of a [`crate::codec::LineEncoder`]), and names its row type and the query
//! that reads (and on Postgres locks) the chain head.

pub(crate) fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

macro_rules! repository_impl {
    ($backend:ty, $db:ty, $row:ty, $head_sql:literal) => {
        use sqlx::Row as _;

        use $crate::audit::{ArchiveReport, AuditEntry, ChainHead, GENESIS_HASH, NewAuditEntry, SignedHead, VerifyReport};
        use $crate::error::{Result, StorageError};
        use $crate::model::{
            AnomalyRecord, CustomerRecord, DailyMetric, ForecastRecord, IngestOptions, IngestReport, NewStore,
            NewUser, ProductRecord, Role, SegmentRecord, Store, StoreId, User,
        };
        use $crate::repository::Repository;

        type Tx = sqlx::Transaction<'static, $db>;

        $crate::audit_sql::audit_impl!($backend, $row, $head_sql);

        fn store_from_row(row: &$row) -> Result<Store> {
            let code: String = row.try_get("code")?;
            let is_int: bool = row.try_get("code_is_int")?;
            let code = if is_int {
                storelytics::Id::Int(
                    code.parse().map_err(|_| StorageError::Corrupt(format!("store code `{code}` is not an integer")))?,
                )
            } else {
                storelytics::Id::Str(code)
            };
            let scale: i32 = row.try_get("money_scale")?;
            Ok(Store {
                id: StoreId(row.try_get("id")?),
                code,
                name: row.try_get("name")?,
                currency: row.try_get("currency")?,
                time_zone: row.try_get("time_zone")?,
                money_scale: u32::try_from(scale).map_err(|_| StorageError::Corrupt("money scale".into()))?,
                created_at: row.try_get("created_at")?,
            })
        }

        /// A statement with its arguments bound.
        type Statement = sqlx::query::Query<'static, $db, <$db as sqlx::Database>::Arguments>;

        impl $backend {
            /// Runs `statement` (scoped to `store` by its own `WHERE`) in a transaction of the
            /// store and converts each row.
            async fn fetch_rows<T>(
                &self,
                store: StoreId,
                statement: Statement,
                from_row: fn(&$row) -> Result<T>,
            ) -> Result<Vec<T>> {
                let mut tx = self.tenant_tx(store).await?;
                let rows = statement.fetch_all(&mut *tx).await?;
                tx.commit().await?;
                rows.iter().map(from_row).collect()
            }

            /// Runs `sql` once per item (`$1` bound to the store, the rest by `bind`) under the
            /// store's write lock, then records `action` with `detail` in the audit chain.
            async fn write_each<T: Sync>(
                &self,
                store: StoreId,
                items: &[T],
                sql: &'static str,
                bind: impl Fn(Statement, &T) -> Statement + Send,
                action: &str,
                detail: serde_json::Value,
            ) -> Result<u64> {
                let mut tx = self.locked_tx(store).await?;
                for item in items {
                    bind(sqlx::query(sql).bind(store.0), item).execute(&mut *tx).await?;
                }
                Self::audit_in(&mut tx, store, action, detail).await?;
                tx.commit().await?;
                Ok(items.len() as u64)
            }
        }

        fn forecast_from_row(r: &$row) -> Result<ForecastRecord> {
            let payload: String = r.try_get("payload")?;
            Ok(ForecastRecord {
                id: r.try_get("id")?,
                series: r.try_get("series")?,
                model: r.try_get("model")?,
                horizon: r.try_get("horizon")?,
                payload: serde_json::from_str(&payload)
                    .map_err(|e| StorageError::Corrupt(format!("forecast payload: {e}")))?,
                created_at: r.try_get("created_at")?,
            })
        }

        impl Repository for $backend {
            async fn create_store(&self, new: &NewStore) -> Result<Store> {
                new.validate()?;
                let id = StoreId(uuid::Uuid::new_v4());
                let (code, is_int) = match &new.code {
                    storelytics::Id::Int(i) => (i.to_string(), true),
                    storelytics::Id::Str(s) => (s.clone(), false),
                };
                let created_at = chrono::Utc::now();
                let mut tx = self.tenant_tx(id).await?;
                sqlx::query(
                    "INSERT INTO stores (id, code, code_is_int, name, currency, time_zone, money_scale, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id.0)
                .bind(&code)
                .bind(is_int)
                .bind(&new.name)
                .bind(&new.currency)
                .bind(&new.time_zone)
                .bind(new.money_scale as i32)
                .bind(created_at)
                .execute(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO audit_heads (store_id, seq, hash, at_micros) VALUES ($1, 0, $2, 0)")
                    .bind(id.0)
                    .bind(GENESIS_HASH.to_vec())
                    .execute(&mut *tx)
                    .await?;
                Self::audit_in(
                    &mut tx,
                    id,
                    "store.create",
                    serde_json::json!({ "code": code, "name": new.name, "time_zone": new.time_zone }),
                )
                .await?;
                tx.commit().await?;
                Ok(Store {
                    id,
                    code: new.code.clone(),
                    name: new.name.clone(),
                    currency: new.currency.clone(),
                    time_zone: new.time_zone.clone(),
                    money_scale: new.money_scale,
                    created_at: chrono::DateTime::from_timestamp_micros(created_at.timestamp_micros())
                        .unwrap_or(created_at),
                })
            }

            async fn store(&self, store: StoreId) -> Result<Store> {
                let mut tx = self.tenant_tx(store).await?;
                let row = sqlx::query("SELECT * FROM stores WHERE id = $1")
                    .bind(store.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StorageError::not_found("store"))?;
                tx.commit().await?;
                store_from_row(&row)
            }

            async fn create_user(&self, store: StoreId, user: &NewUser) -> Result<User> {
                let hash = $crate::password::hash(&user.password)?;
                let id = uuid::Uuid::new_v4();
                let created_at = chrono::Utc::now();
                let mut tx = self.locked_tx(store).await?;
                sqlx::query(
                    "INSERT INTO users (store_id, id, email, password_hash, role, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(store.0)
                .bind(id)
                .bind(&user.email)
                .bind(&hash)
                .bind(user.role.as_str())
                .bind(created_at)
                .execute(&mut *tx)
                .await?;
                Self::audit_in(
                    &mut tx,
                    store,
                    "user.create",
                    serde_json::json!({ "email": user.email, "role": user.role.as_str() }),
                )
                .await?;
                tx.commit().await?;
                Ok(User { id, store, email: user.email.clone(), role: user.role, created_at })
            }

            async fn authenticate(&self, store: StoreId, email: &str, password: &str) -> Result<Option<User>> {
                let mut tx = self.tenant_tx(store).await?;
                let row = sqlx::query(
                    "SELECT id, email, password_hash, role, created_at FROM users WHERE store_id = $1 AND email = $2",
                )
                .bind(store.0)
                .bind(email)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                let Some(row) = row else { return Ok(None) };
                let phc: String = row.try_get("password_hash")?;
                if !$crate::password::verify(password, &phc)? {
                    return Ok(None);
                }
                let role: String = row.try_get("role")?;
                Ok(Some(User {
                    id: row.try_get("id")?,
                    store,
                    email: row.try_get("email")?,
                    role: Role::parse(&role)?,
                    created_at: row.try_get("created_at")?,
                }))
            }

            async fn upsert_products(&self, store: StoreId, products: &[ProductRecord]) -> Result<u64> {
                let now = chrono::Utc::now();
                self.write_each(
                    store,
                    products,
                    "INSERT INTO products (store_id, product_id, name, category, price, cost, inventory, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (store_id, product_id) DO UPDATE SET name = excluded.name, \
                     category = excluded.category, price = excluded.price, cost = excluded.cost, \
                     inventory = excluded.inventory, updated_at = excluded.updated_at",
                    |q, p| {
                        q.bind(&p.product_id)
                            .bind(&p.name)
                            .bind(&p.category)
                            .bind(p.price)
                            .bind(p.cost)
                            .bind(p.inventory)
                            .bind(now)
                    },
                    "products.upsert",
                    serde_json::json!({ "count": products.len() }),
                )
                .await
            }

            async fn products(&self, store: StoreId) -> Result<Vec<ProductRecord>> {
                let sql = "SELECT product_id, name, category, price, cost, inventory FROM products \
                           WHERE store_id = $1 ORDER BY product_id";
                self.fetch_rows(store, sqlx::query(sql).bind(store.0), decoded).await
            }

            async fn upsert_customers(&self, store: StoreId, customers: &[CustomerRecord]) -> Result<u64> {
                self.write_each(
                    store,
                    customers,
                    "INSERT INTO customers (store_id, customer_id, name, email, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (store_id, customer_id) DO UPDATE SET name = excluded.name, \
                     email = excluded.email, updated_at = excluded.updated_at",
                    |q, c| q.bind(&c.customer_id).bind(&c.name).bind(&c.email).bind(c.created_at).bind(c.updated_at),
                    "customers.upsert",
                    serde_json::json!({ "count": customers.len() }),
                )
                .await
            }

            async fn customers(&self, store: StoreId) -> Result<Vec<CustomerRecord>> {
                let sql = "SELECT customer_id, name, email, created_at, updated_at FROM customers \
                           WHERE store_id = $1 ORDER BY customer_id";
                self.fetch_rows(store, sqlx::query(sql).bind(store.0), decoded).await
            }

            async fn ingest_sales(
                &self,
                store: StoreId,
                sales: &storelytics::Sales,
                options: &IngestOptions,
            ) -> Result<IngestReport> {
                let info = self.store(store).await?;
                let lines = $crate::codec::LineEncoder::new(sales, &info)?;
                let received = lines.remaining() as u64;
                let mut tx = self.locked_tx(store).await?;
                if let Some(key) = &options.idempotency_key {
                    let seen = sqlx::query(
                        "SELECT received FROM ingest_batches WHERE store_id = $1 AND idempotency_key = $2",
                    )
                    .bind(store.0)
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if seen.is_some() {
                        tx.rollback().await?;
                        return Ok(IngestReport { received, inserted: 0, duplicates: received, replayed: true });
                    }
                }
                let inserted = self.insert_lines(&mut tx, store, lines).await?;
                if let Some(key) = &options.idempotency_key {
                    sqlx::query(
                        "INSERT INTO ingest_batches (store_id, idempotency_key, received, inserted, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(store.0)
                    .bind(key)
                    .bind(received as i64)
                    .bind(inserted as i64)
                    .bind(chrono::Utc::now())
                    .execute(&mut *tx)
                    .await?;
                }
                Self::append_in(
                    &mut tx,
                    store,
                    &NewAuditEntry::new(
                        options.actor.clone(),
                        "sales.ingest",
                        serde_json::json!({
                            "received": received,
                            "inserted": inserted,
                            "idempotency_key": options.idempotency_key,
                        }),
                    ),
                )
                .await?;
                tx.commit().await?;
                Ok(IngestReport { received, inserted, duplicates: received - inserted.min(received), replayed: false })
            }

            async fn load_sales(
                &self,
                store: StoreId,
                period: Option<storelytics::calendar::Period>,
            ) -> Result<storelytics::Sales> {
                let info = self.store(store).await?;
                let (first, last) = period.map(|p| (p.start_day(), p.end_day())).unwrap_or((i32::MIN, i32::MAX));
                let mut tx = self.tenant_tx(store).await?;
                let rows = sqlx::query(
                    "SELECT order_id, line, ts_micros, local_day, product_id, customer_id, quantity_milli, amount, \
                     cost, category, id_kinds FROM sales_lines \
                     WHERE store_id = $1 AND local_day BETWEEN $2 AND $3 ORDER BY ts_micros, order_id, line",
                )
                .bind(store.0)
                .bind(first)
                .bind(last)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let mut lines = $crate::codec::LineRows::with_capacity(rows.len());
                for r in &rows {
                    lines.order_id.push(r.try_get("order_id")?);
                    lines.line.push(r.try_get("line")?);
                    lines.ts_micros.push(r.try_get("ts_micros")?);
                    lines.local_day.push(r.try_get("local_day")?);
                    lines.product_id.push(r.try_get("product_id")?);
                    lines.customer_id.push(r.try_get("customer_id")?);
                    lines.quantity_milli.push(r.try_get("quantity_milli")?);
                    lines.amount.push(r.try_get("amount")?);
                    lines.cost.push(r.try_get("cost")?);
                    lines.category.push(r.try_get("category")?);
                    lines.id_kinds.push(r.try_get("id_kinds")?);
                }
                $crate::codec::build_sales(&info, lines)
            }

            async fn count_sales_lines(&self, store: StoreId) -> Result<u64> {
                let mut tx = self.tenant_tx(store).await?;
                let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sales_lines WHERE store_id = $1")
                    .bind(store.0)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("n")?;
                tx.commit().await?;
                Ok(n.max(0) as u64)
            }

            async fn save_daily_metrics(&self, store: StoreId, metrics: &[DailyMetric]) -> Result<u64> {
                let now = chrono::Utc::now();
                self.write_each(
                    store,
                    metrics,
                    "INSERT INTO daily_metrics (store_id, day, gross_revenue, returns, net_revenue, cost, orders, \
                     units_milli, returned_units_milli, customers, new_customers, computed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                     ON CONFLICT (store_id, day) DO UPDATE SET gross_revenue = excluded.gross_revenue, \
                     returns = excluded.returns, net_revenue = excluded.net_revenue, cost = excluded.cost, \
                     orders = excluded.orders, units_milli = excluded.units_milli, \
                     returned_units_milli = excluded.returned_units_milli, customers = excluded.customers, \
                     new_customers = excluded.new_customers, computed_at = excluded.computed_at",
                    |q, m| {
                        q.bind(m.day)
                            .bind(m.gross_revenue)
                            .bind(m.returns)
                            .bind(m.net_revenue)
                            .bind(m.cost)
                            .bind(m.orders)
                            .bind(m.units_milli)
                            .bind(m.returned_units_milli)
                            .bind(m.customers)
                            .bind(m.new_customers)
                            .bind(now)
                    },
                    "daily_metrics.save",
                    serde_json::json!({ "days": metrics.len() }),
                )
                .await
            }

            async fn daily_metrics(
                &self,
                store: StoreId,
                period: storelytics::calendar::Period,
            ) -> Result<Vec<DailyMetric>> {
                let sql = "SELECT * FROM daily_metrics WHERE store_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day";
                let statement = sqlx::query(sql).bind(store.0).bind(period.start()).bind(period.end());
                self.fetch_rows(store, statement, decoded).await
            }

            async fn save_forecast(&self, store: StoreId, f: &ForecastRecord) -> Result<()> {
                let mut tx = self.locked_tx(store).await?;
                sqlx::query(
                    "INSERT INTO forecasts (store_id, id, series, model, horizon, payload, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(store.0)
                .bind(f.id)
                .bind(&f.series)
                .bind(&f.model)
                .bind(f.horizon)
                .bind(f.payload.to_string())
                .bind(f.created_at)
                .execute(&mut *tx)
                .await?;
                Self::audit_in(&mut tx, store, "forecast.save", serde_json::json!({ "id": f.id, "series": f.series }))
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn forecasts(&self, store: StoreId) -> Result<Vec<ForecastRecord>> {
                let sql = "SELECT id, series, model, horizon, payload, created_at FROM forecasts \
                           WHERE store_id = $1 ORDER BY created_at DESC, id";
                self.fetch_rows(store, sqlx::query(sql).bind(store.0), forecast_from_row).await
            }

            async fn save_anomalies(&self, store: StoreId, anomalies: &[AnomalyRecord]) -> Result<u64> {
                self.write_each(
                    store,
                    anomalies,
                    "INSERT INTO anomalies (store_id, id, metric, day, value, expected, score, direction, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    |q, a| {
                        q.bind(a.id)
                            .bind(&a.metric)
                            .bind(a.day)
                            .bind(a.value)
                            .bind(a.expected)
                            .bind(a.score)
                            .bind(&a.direction)
                            .bind(a.created_at)
                    },
                    "anomalies.save",
                    serde_json::json!({ "count": anomalies.len() }),
                )
                .await
            }

            async fn anomalies(&self, store: StoreId) -> Result<Vec<AnomalyRecord>> {
                let sql = "SELECT id, metric, day, value, expected, score, direction, created_at FROM anomalies \
                           WHERE store_id = $1 ORDER BY day, metric, id";
                self.fetch_rows(store, sqlx::query(sql).bind(store.0), decoded).await
            }

            async fn save_segments(&self, store: StoreId, segments: &[SegmentRecord]) -> Result<u64> {
                self.write_each(
                    store,
                    segments,
                    "INSERT INTO customer_segments (store_id, customer_id, segment, recency_days, frequency, \
                     monetary, computed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (store_id, customer_id) DO UPDATE SET segment = excluded.segment, \
                     recency_days = excluded.recency_days, frequency = excluded.frequency, \
                     monetary = excluded.monetary, computed_at = excluded.computed_at",
                    |q, s| {
                        q.bind(&s.customer_id)
                            .bind(&s.segment)
                            .bind(s.recency_days)
                            .bind(s.frequency)
                            .bind(s.monetary)
                            .bind(s.computed_at)
                    },
                    "segments.save",
                    serde_json::json!({ "count": segments.len() }),
                )
                .await
            }

            async fn segments(&self, store: StoreId) -> Result<Vec<SegmentRecord>> {
                let sql = "SELECT customer_id, segment, recency_days, frequency, monetary, computed_at \
                           FROM customer_segments WHERE store_id = $1 ORDER BY customer_id";
                self.fetch_rows(store, sqlx::query(sql).bind(store.0), decoded).await
            }

            async fn append_audit(&self, store: StoreId, entry: &NewAuditEntry) -> Result<AuditEntry> {
                self.append_audit_impl(store, entry).await
            }

            async fn audit_entries(&self, store: StoreId) -> Result<Vec<AuditEntry>> {
                self.audit_entries_impl(store).await
            }

            async fn audit_head(&self, store: StoreId) -> Result<ChainHead> {
                self.audit_head_impl(store).await
            }

            async fn verify_audit(&self, store: StoreId, outside: Option<(&SignedHead, &[u8])>) -> Result<VerifyReport> {
                self.verify_audit_impl(store, outside).await
            }

            async fn archive_audit(&self, store: StoreId, days: u32) -> Result<ArchiveReport> {
                self.archive_audit_impl(store, days).await
            }
        }
    };
}

pub(crate) use repository_impl;
