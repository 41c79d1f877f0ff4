//! Domain types shared by the analytics: stores, customers, products and metrics.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::Id;

/// A store (tenant): its id and the IANA time zone of its calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    /// The caller's store id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// ISO 4217 currency code, e.g. `EUR`.
    pub currency: String,
}

/// A customer of a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The caller's customer id.
    pub id: Id,
}

/// A catalogue entry: list price, unit cost and category of a product (major units).
///
/// ```
/// use storelytics::domain::Product;
/// let p = Product::new("sku-1").with_category("fruit").with_cost(0.2);
/// assert_eq!(p.category.as_deref(), Some("fruit"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// The caller's product id.
    pub id: Id,
    /// Category name.
    pub category: Option<String>,
    /// List price; used when a line has no unit price.
    pub price: Option<f64>,
    /// Unit cost; used when a line has no unit cost.
    pub cost: Option<f64>,
}

impl Product {
    /// A product with only an id.
    pub fn new(id: impl Into<Id>) -> Self {
        Product { id: id.into(), category: None, price: None, cost: None }
    }

    /// Sets the category.
    pub fn with_category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// Sets the list price.
    pub fn with_price(mut self, price: f64) -> Self {
        self.price = Some(price);
        self
    }

    /// Sets the unit cost.
    pub fn with_cost(mut self, cost: f64) -> Self {
        self.cost = Some(cost);
        self
    }
}

/// A store metric. Definitions (all over the lines of a period):
///
/// | metric | definition |
/// |---|---|
/// | `gross_revenue` | sum of line revenue of sale lines (quantity > 0) |
/// | `returns` | revenue of return lines (quantity < 0), as a positive amount |
/// | `net_revenue` | gross revenue − returns |
/// | `cost` | sum of line cost, returns subtracting (needs costs) |
/// | `gross_margin` | net revenue − cost |
/// | `margin_pct` | gross margin / net revenue × 100 |
/// | `orders` | distinct orders with at least one sale line |
/// | `units` | units sold (sum of positive quantities) |
/// | `returned_units` | units returned (positive) |
/// | `avg_order_value` | gross revenue / orders |
/// | `items_per_order` | units / orders |
/// | `unique_customers` | distinct customers with a sale order (guests excluded) |
/// | `new_customers` | unique customers whose first sale in the data is in the period |
/// | `returning_customers` | unique − new customers |
/// | `repeat_rate` | share of unique customers with two or more orders in the period, % |
/// | `return_rate` | returns / gross revenue × 100 |
///
/// Money metrics are in major units (e.g. euros) when given as `f64`. A ratio with nothing to
/// divide by is `None`, never NaN or infinity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Revenue of sale lines.
    GrossRevenue,
    /// Revenue of return lines, positive.
    Returns,
    /// Gross revenue − returns.
    NetRevenue,
    /// Cost of goods, returns subtracting.
    Cost,
    /// Net revenue − cost.
    GrossMargin,
    /// Gross margin / net revenue, %.
    MarginPct,
    /// Distinct orders with a sale line.
    Orders,
    /// Units sold.
    Units,
    /// Units returned.
    ReturnedUnits,
    /// Gross revenue / orders.
    AvgOrderValue,
    /// Units / orders.
    ItemsPerOrder,
    /// Distinct customers with a sale order.
    UniqueCustomers,
    /// Customers whose first sale is in the period.
    NewCustomers,
    /// Unique − new customers.
    ReturningCustomers,
    /// Share of customers with two or more orders, %.
    RepeatRate,
    /// Returns / gross revenue, %.
    ReturnRate,
}

impl Metric {
    /// Every metric, in the order of the KPI report.
    pub const ALL: [Metric; 16] = [
        Metric::GrossRevenue,
        Metric::Returns,
        Metric::NetRevenue,
        Metric::Cost,
        Metric::GrossMargin,
        Metric::MarginPct,
        Metric::Orders,
        Metric::Units,
        Metric::ReturnedUnits,
        Metric::AvgOrderValue,
        Metric::ItemsPerOrder,
        Metric::UniqueCustomers,
        Metric::NewCustomers,
        Metric::ReturningCustomers,
        Metric::RepeatRate,
        Metric::ReturnRate,
    ];

    /// The snake_case name used in options, JSON and every binding.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::GrossRevenue => "gross_revenue",
            Metric::Returns => "returns",
            Metric::NetRevenue => "net_revenue",
            Metric::Cost => "cost",
            Metric::GrossMargin => "gross_margin",
            Metric::MarginPct => "margin_pct",
            Metric::Orders => "orders",
            Metric::Units => "units",
            Metric::ReturnedUnits => "returned_units",
            Metric::AvgOrderValue => "avg_order_value",
            Metric::ItemsPerOrder => "items_per_order",
            Metric::UniqueCustomers => "unique_customers",
            Metric::NewCustomers => "new_customers",
            Metric::ReturningCustomers => "returning_customers",
            Metric::RepeatRate => "repeat_rate",
            Metric::ReturnRate => "return_rate",
        }
    }

    /// Whether the metric is a sum or count over lines / orders, so that values of disjoint
    /// groups add up (revenue, cost, margin, orders, units, new customers).
    pub fn is_additive(self) -> bool {
        matches!(
            self,
            Metric::GrossRevenue
                | Metric::Returns
                | Metric::NetRevenue
                | Metric::Cost
                | Metric::GrossMargin
                | Metric::Orders
                | Metric::Units
                | Metric::ReturnedUnits
        )
    }

    /// Whether the metric is money.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Metric::GrossRevenue
                | Metric::Returns
                | Metric::NetRevenue
                | Metric::Cost
                | Metric::GrossMargin
                | Metric::AvgOrderValue
        )
    }

    /// Whether the metric needs line costs.
    pub fn needs_cost(self) -> bool {
        matches!(self, Metric::Cost | Metric::GrossMargin | Metric::MarginPct)
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Metric {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Metric::ALL.into_iter().find(|m| m.as_str() == s).ok_or_else(|| {
            let all: Vec<&str> = Metric::ALL.iter().map(|m| m.as_str()).collect();
            Error::invalid_parameter("metric", format!("`{s}` is not one of {}", all.join(", ")))
        })
    }
}
