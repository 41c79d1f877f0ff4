//! Records stored per tenant (store).

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use storelytics::Id;
use uuid::Uuid;

use crate::error::{Result, StorageError};

/// The key of a store (tenant). Every repository call is scoped to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StoreId(pub Uuid);

impl fmt::Display for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A store to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStore {
    /// The store's id in sales data (`store_id` of the data contract); unique.
    pub code: Id,
    /// Display name.
    pub name: String,
    /// ISO 4217 currency code (three letters). Default `EUR`.
    pub currency: String,
    /// IANA time zone of the store's calendar. Default `UTC`.
    pub time_zone: String,
    /// Decimal places of money amounts (2 = cents). Default 2.
    pub money_scale: u32,
}

impl NewStore {
    /// A store with the defaults: EUR, UTC, money in cents.
    pub fn new(code: impl Into<Id>, name: impl Into<String>) -> Self {
        NewStore {
            code: code.into(),
            name: name.into(),
            currency: "EUR".into(),
            time_zone: "UTC".into(),
            money_scale: 2,
        }
    }

    /// Sets the IANA time zone.
    pub fn with_time_zone(mut self, tz: impl Into<String>) -> Self {
        self.time_zone = tz.into();
        self
    }

    /// Sets the currency code.
    pub fn with_currency(mut self, currency: impl Into<String>) -> Self {
        self.currency = currency.into();
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.currency.len() != 3 || !self.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(StorageError::invalid("currency", format!("`{}` is not a three-letter code", self.currency)));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(StorageError::invalid("time_zone", format!("`{}` is not an IANA time zone", self.time_zone)));
        }
        if self.money_scale > 6 {
            return Err(StorageError::invalid("money_scale", "at most 6"));
        }
        if self.name.trim().is_empty() {
            return Err(StorageError::invalid("name", "must not be empty"));
        }
        Ok(())
    }
}

/// A stored store (tenant).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Store {
    /// Key.
    pub id: StoreId,
    /// The store's id in sales data.
    pub code: Id,
    /// Display name.
    pub name: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Decimal places of money amounts.
    pub money_scale: u32,
    /// When the store was created.
    pub created_at: DateTime<Utc>,
}

/// What a user may do in their store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and settings.
    Owner,
    /// Read data and run analyses.
    Analyst,
    /// Read reports only.
    Viewer,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Role> {
        match s {
            "owner" => Ok(Role::Owner),
            "analyst" => Ok(Role::Analyst),
            "viewer" => Ok(Role::Viewer),
            other => Err(StorageError::Corrupt(format!("unknown role `{other}`"))),
        }
    }
}

/// A user to create; the password is hashed with argon2id before it is stored.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login e-mail, unique per store.
    pub email: String,
    /// Plain-text password (never stored).
    pub password: String,
    /// Role.
    pub role: Role,
}

/// A stored user (without the password hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// Key.
    pub id: Uuid,
    /// The user's store.
    pub store: StoreId,
    /// Login e-mail.
    pub email: String,
    /// Role.
    pub role: Role,
    /// When the user was created.
    pub created_at: DateTime<Utc>,
}

/// A catalogue product. Money in minor units of the store's currency.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, sqlx::FromRow)]
pub struct ProductRecord {
    /// Product id (as in sales data).
    pub product_id: String,
    /// Display name.
    pub name: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// List price, minor units.
    pub price: Option<i64>,
    /// Unit cost, minor units.
    pub cost: Option<i64>,
    /// Units in stock.
    pub inventory: i64,
}

/// A customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CustomerRecord {
    /// Customer id (as in sales data).
    pub customer_id: String,
    /// Display name.
    pub name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// First seen.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Pre-aggregated KPIs of one store-day, computed by core ([`crate::daily_metrics`]).
/// Money in minor units, quantities in thousandths of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct DailyMetric {
    /// Store-local date.
    pub day: NaiveDate,
    /// Revenue of sale lines.
    pub gross_revenue: i64,
    /// Revenue of return lines, positive.
    pub returns: i64,
    /// Gross revenue − returns.
    pub net_revenue: i64,
    /// Cost of goods (when costs are known).
    pub cost: Option<i64>,
    /// Distinct orders with a sale line.
    pub orders: i64,
    /// Units sold, thousandths.
    pub units_milli: i64,
    /// Units returned, thousandths.
    pub returned_units_milli: i64,
    /// Distinct customers with a sale order.
    pub customers: i64,
    /// Customers whose first sale in the store is this day.
    pub new_customers: i64,
}

/// A stored forecast; the forecast itself is kept as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastRecord {
    /// Key.
    pub id: Uuid,
    /// Which series (e.g. `net_revenue`, `product:42`).
    pub series: String,
    /// Model name.
    pub model: String,
    /// Horizon in buckets.
    pub horizon: i32,
    /// The forecast (points and intervals) as JSON.
    pub payload: serde_json::Value,
    /// When it was computed.
    pub created_at: DateTime<Utc>,
}

/// A detected anomaly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AnomalyRecord {
    /// Key.
    pub id: Uuid,
    /// Metric name.
    pub metric: String,
    /// Store-local date.
    pub day: NaiveDate,
    /// Observed value.
    pub value: f64,
    /// Expected value, if the detector has one.
    pub expected: Option<f64>,
    /// Detector score (how sure).
    pub score: f64,
    /// `spike` or `drop`.
    pub direction: String,
    /// When it was detected.
    pub created_at: DateTime<Utc>,
}

/// A customer's segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SegmentRecord {
    /// Customer id.
    pub customer_id: String,
    /// Segment name.
    pub segment: String,
    /// Days since the last order.
    pub recency_days: i32,
    /// Orders.
    pub frequency: i32,
    /// Net revenue, minor units.
    pub monetary: i64,
    /// When it was computed.
    pub computed_at: DateTime<Utc>,
}

/// Options of [`crate::Repository::ingest_sales`].
#[derive(Debug, Clone, PartialEq)]
pub struct IngestOptions {
    /// A caller-given key: a second ingest with the same key in the same store does nothing
    /// and reports the first one's counts. Default none (line keys still deduplicate).
    pub idempotency_key: Option<String>,
    /// Who ingests, for the audit log. Default `system`.
    pub actor: String,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { idempotency_key: None, actor: "system".into() }
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// Lines of the store in the input.
    pub received: u64,
    /// Lines added.
    pub inserted: u64,
    /// Lines already stored (same store, order and line number).
    pub duplicates: u64,
    /// Whether the idempotency key was seen before (nothing was written).
    pub replayed: bool,
}
