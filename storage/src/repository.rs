//! The repository trait: every operation of the storage layer, scoped to one store.

use std::future::Future;

use storelytics::Sales;
use storelytics::calendar::Period;

use crate::audit::{ArchiveReport, AuditEntry, ChainHead, NewAuditEntry, SignedHead, VerifyReport};
use crate::error::Result;
use crate::model::{
    AnomalyRecord, CustomerRecord, DailyMetric, ForecastRecord, IngestOptions, IngestReport, NewStore, NewUser,
    ProductRecord, SegmentRecord, Store, StoreId, User,
};

/// Storage of tenants, their data and their audit log. Implemented by
/// [`crate::SqliteStorage`] and [`crate::PgStorage`].
///
/// Every method except [`Repository::create_store`] takes the store (tenant) it acts for and
/// only ever reads or writes that store's rows; a record of another store is "not found".
/// Every write appends to the store's audit chain in the same transaction.
pub trait Repository: Send + Sync {
    /// Creates a store (tenant) and starts its audit chain.
    fn create_store(&self, store: &NewStore) -> impl Future<Output = Result<Store>> + Send;

    /// The store.
    fn store(&self, store: StoreId) -> impl Future<Output = Result<Store>> + Send;

    /// Creates a user of the store (password hashed with argon2id).
    fn create_user(&self, store: StoreId, user: &NewUser) -> impl Future<Output = Result<User>> + Send;

    /// The user with this e-mail if the password matches.
    fn authenticate(
        &self,
        store: StoreId,
        email: &str,
        password: &str,
    ) -> impl Future<Output = Result<Option<User>>> + Send;

    /// Inserts or updates catalogue products; returns how many were written.
    fn upsert_products(&self, store: StoreId, products: &[ProductRecord]) -> impl Future<Output = Result<u64>> + Send;

    /// The store's products, by id.
    fn products(&self, store: StoreId) -> impl Future<Output = Result<Vec<ProductRecord>>> + Send;

    /// Inserts or updates customers; returns how many were written.
    fn upsert_customers(
        &self,
        store: StoreId,
        customers: &[CustomerRecord],
    ) -> impl Future<Output = Result<u64>> + Send;

    /// The store's customers, by id.
    fn customers(&self, store: StoreId) -> impl Future<Output = Result<Vec<CustomerRecord>>> + Send;

    /// Bulk-loads the store's lines of `sales` in one transaction, idempotently: a line whose
    /// (order id, line key) is already stored is skipped (the line key hashes the line's time,
    /// product, quantity and amount), and an ingest whose idempotency key was seen before
    /// writes nothing. `sales` may hold several stores; only the lines whose store id is this
    /// store's code are loaded (or all lines of a table without store ids).
    fn ingest_sales(
        &self,
        store: StoreId,
        sales: &Sales,
        options: &IngestOptions,
    ) -> impl Future<Output = Result<IngestReport>> + Send;

    /// The store's lines whose store-local date is in `period` (all when `None`) as a core table.
    fn load_sales(&self, store: StoreId, period: Option<Period>) -> impl Future<Output = Result<Sales>> + Send;

    /// Number of stored lines of the store.
    fn count_sales_lines(&self, store: StoreId) -> impl Future<Output = Result<u64>> + Send;

    /// Replaces the daily metrics of the given days.
    fn save_daily_metrics(&self, store: StoreId, metrics: &[DailyMetric]) -> impl Future<Output = Result<u64>> + Send;

    /// Daily metrics of the days in `period`, oldest first.
    fn daily_metrics(&self, store: StoreId, period: Period) -> impl Future<Output = Result<Vec<DailyMetric>>> + Send;

    /// Recomputes the daily metrics of `period` (default all days) from the stored sales with core.
    fn refresh_daily_metrics(
        &self,
        store: StoreId,
        period: Option<Period>,
    ) -> impl Future<Output = Result<u64>> + Send {
        async move {
            let info = self.store(store).await?;
            let sales = self.load_sales(store, None).await?;
            let metrics = crate::metrics::daily_metrics(&sales, &info, period)?;
            self.save_daily_metrics(store, &metrics).await
        }
    }

    /// Stores a forecast.
    fn save_forecast(&self, store: StoreId, forecast: &ForecastRecord) -> impl Future<Output = Result<()>> + Send;

    /// The store's forecasts, newest first.
    fn forecasts(&self, store: StoreId) -> impl Future<Output = Result<Vec<ForecastRecord>>> + Send;

    /// Stores anomalies.
    fn save_anomalies(&self, store: StoreId, anomalies: &[AnomalyRecord]) -> impl Future<Output = Result<u64>> + Send;

    /// The store's anomalies, by day.
    fn anomalies(&self, store: StoreId) -> impl Future<Output = Result<Vec<AnomalyRecord>>> + Send;

    /// Replaces customers' segments.
    fn save_segments(&self, store: StoreId, segments: &[SegmentRecord]) -> impl Future<Output = Result<u64>> + Send;

    /// The store's customer segments, by customer id.
    fn segments(&self, store: StoreId) -> impl Future<Output = Result<Vec<SegmentRecord>>> + Send;

    /// Appends an entry to the store's audit chain (appends per store are serialised).
    fn append_audit(&self, store: StoreId, entry: &NewAuditEntry) -> impl Future<Output = Result<AuditEntry>> + Send;

    /// The store's audit entries (not archived), oldest first.
    fn audit_entries(&self, store: StoreId) -> impl Future<Output = Result<Vec<AuditEntry>>> + Send;

    /// The store's chain head, to export (sign it with [`ChainHead::sign`]).
    fn audit_head(&self, store: StoreId) -> impl Future<Output = Result<ChainHead>> + Send;

    /// Verifies the store's chain; with `outside` (a head exported earlier and its HMAC key)
    /// also detects truncation or rewriting of the whole database.
    fn verify_audit(
        &self,
        store: StoreId,
        outside: Option<(&SignedHead, &[u8])>,
    ) -> impl Future<Output = Result<VerifyReport>> + Send;

    /// Moves entries older than `days` days to the archive behind a checkpoint entry.
    fn archive_audit(&self, store: StoreId, days: u32) -> impl Future<Output = Result<ArchiveReport>> + Send;
}
