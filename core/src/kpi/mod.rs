//! KPIs of a period, overall and per store, compared with another period.
//!
//! The report takes one pass over each store's lines (stores in parallel where available) for
//! both periods at once (module `pass`).

mod pass;

use pass::Windows;

use serde::Serialize;

use crate::calendar::{Comparison, Period};
use crate::domain::Metric;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::metrics::Totals;
use crate::money::Money;
use crate::sales::Sales;

/// Options of [`kpi_report`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KpiOptions {
    /// The period; default: the whole date range of the data.
    pub period: Option<Period>,
    /// The comparison period; default [`Comparison::PreviousPeriod`].
    pub comparison: Comparison,
}

/// The KPIs of one store (or all stores) in one period. Money is exact, in minor units
/// (`money_scale` of the report); ratios are `None` when there is nothing to divide by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    /// Revenue of sale lines.
    pub gross_revenue: Money,
    /// Revenue of return lines, positive.
    pub returns: Money,
    /// Gross revenue − returns.
    pub net_revenue: Money,
    /// Cost of goods (returns subtracting); `None` without costs.
    pub cost: Option<Money>,
    /// Net revenue − cost; `None` without costs.
    pub gross_margin: Option<Money>,
    /// Gross margin / net revenue × 100.
    pub margin_pct: Option<f64>,
    /// Distinct orders with a sale line.
    pub orders: u64,
    /// Units sold.
    pub units: f64,
    /// Units returned.
    pub returned_units: f64,
    /// Gross revenue / orders, major units.
    pub avg_order_value: Option<f64>,
    /// Units / orders.
    pub items_per_order: Option<f64>,
    /// Distinct customers with a sale order (guests excluded).
    pub unique_customers: u64,
    /// Customers whose first sale in the data is in the period.
    pub new_customers: u64,
    /// Unique − new customers.
    pub returning_customers: u64,
    /// Share of unique customers with two or more orders, %.
    pub repeat_rate: Option<f64>,
    /// Returns / gross revenue × 100.
    pub return_rate: Option<f64>,
    /// Line items in the period.
    pub lines: u64,
    #[serde(skip)]
    totals: Totals,
    #[serde(skip)]
    scale: u32,
}

impl Kpis {
    pub(crate) fn from_totals(t: Totals, scale: u32) -> Kpis {
        let v = |m: Metric| t.value(m, scale);
        Kpis {
            gross_revenue: t.gross_revenue(),
            returns: Money(t.returns.clamp(i64::MIN as i128, i64::MAX as i128) as i64),
            net_revenue: t.net_revenue(),
            cost: t.has_cost.then(|| Money(t.cost.clamp(i64::MIN as i128, i64::MAX as i128) as i64)),
            gross_margin: t
                .has_cost
                .then(|| Money((t.gross - t.returns - t.cost).clamp(i64::MIN as i128, i64::MAX as i128) as i64)),
            margin_pct: v(Metric::MarginPct),
            orders: t.orders,
            units: v(Metric::Units).unwrap_or(0.0),
            returned_units: v(Metric::ReturnedUnits).unwrap_or(0.0),
            avg_order_value: v(Metric::AvgOrderValue),
            items_per_order: v(Metric::ItemsPerOrder),
            unique_customers: t.customers,
            new_customers: t.new_customers,
            returning_customers: t.customers.saturating_sub(t.new_customers),
            repeat_rate: v(Metric::RepeatRate),
            return_rate: v(Metric::ReturnRate),
            lines: t.lines,
            totals: t,
            scale,
        }
    }

    /// The value of any metric (money in major units).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        self.totals.value(metric, self.scale)
    }

    /// The exact sums and counts behind the KPIs.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }
}

/// One metric in the current and the comparison period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiChange {
    /// The metric.
    pub metric: Metric,
    /// Value in the period (money in major units).
    pub current: Option<f64>,
    /// Value in the comparison period.
    pub previous: Option<f64>,
    /// `current − previous`.
    pub abs_change: Option<f64>,
    /// `(current − previous) / |previous| × 100`; `None` when `previous` is 0 or missing.
    pub pct_change: Option<f64>,
}

/// KPIs of a period with their comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiComparison {
    /// KPIs of the period.
    pub current: Kpis,
    /// KPIs of the comparison period.
    pub previous: Option<Kpis>,
    /// Every metric with absolute and % change (empty without comparison).
    pub changes: Vec<KpiChange>,
}

impl KpiComparison {
    fn new(current: Kpis, previous: Option<Kpis>) -> Self {
        let changes = match &previous {
            Some(p) => Metric::ALL.iter().map(|&m| change(m, current.value(m), p.value(m))).collect(),
            None => Vec::new(),
        };
        KpiComparison { current, previous, changes }
    }

    /// The change of one metric.
    pub fn change(&self, metric: Metric) -> Option<&KpiChange> {
        self.changes.iter().find(|c| c.metric == metric)
    }
}

/// Absolute and relative change between two values.
pub(crate) fn change(metric: Metric, current: Option<f64>, previous: Option<f64>) -> KpiChange {
    let abs_change = match (current, previous) {
        (Some(c), Some(p)) => Some(c - p),
        _ => None,
    };
    let pct_change = match (abs_change, previous) {
        (Some(d), Some(p)) if p != 0.0 => Some(100.0 * d / p.abs()),
        _ => None,
    };
    KpiChange { metric, current, previous, abs_change, pct_change }
}

/// KPIs of one store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreKpis {
    /// Store id.
    pub store: Id,
    /// Its KPIs and comparison.
    pub kpis: KpiComparison,
}

/// The KPI report: all stores together and each store, for a period and its comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiReport {
    /// The period.
    pub period: Period,
    /// The comparison period, if any.
    pub comparison_period: Option<Period>,
    /// Decimal places of the money amounts.
    pub money_scale: u32,
    /// All stores together. A customer who bought in two stores counts once; new customers
    /// are those whose first sale in any store is in the period.
    pub overall: KpiComparison,
    /// Each store; new customers are new to that store.
    pub stores: Vec<StoreKpis>,
}

/// Computes the KPI report.
///
/// ```
/// use storelytics::{calendar::Period, kpi::{kpi_report, KpiOptions}, SalesBuilder};
/// let sales = SalesBuilder::new()
///     .order_id(vec![1i64, 1, 2])
///     .timestamp(vec!["2024-03-01", "2024-03-01", "2024-03-02"])
///     .product_id(vec!["a", "b", "a"])
///     .quantity(vec![1.0, 2.0, 1.0])
///     .unit_price(vec![10.0, 5.0, 10.0])
///     .build()?;
/// let report = kpi_report(&sales, &KpiOptions::default())?;
/// assert_eq!(report.overall.current.gross_revenue.minor(), 3000);
/// assert_eq!(report.overall.current.orders, 2);
/// assert_eq!(report.overall.current.avg_order_value, Some(15.0));
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn kpi_report(sales: &Sales, options: &KpiOptions) -> Result<KpiReport> {
    let period = resolve_period(sales, options.period)?;
    let comparison_period = period.compared(options.comparison);
    let scale = sales.money_scale();
    let (cmp_first, cmp_last) = comparison_period.as_ref().map_or(Windows::NONE, |p| (p.start_day(), p.end_day()));
    let windows = Windows { first: [period.start_day(), cmp_first], last: [period.end_day(), cmp_last] };
    let passes = per_store(sales, |s| pass::store_pass(sales, s, &windows));
    let compare = |totals: &[Totals; 2]| {
        let current = Kpis::from_totals(totals[0], scale);
        let previous = comparison_period.as_ref().map(|_| Kpis::from_totals(totals[1], scale));
        KpiComparison::new(current, previous)
    };
    let overall = compare(&pass::overall(sales, &passes));
    let stores = sales
        .stores()
        .iter()
        .zip(&passes)
        .map(|(st, p)| StoreKpis { store: st.id.clone(), kpis: compare(&p.totals) })
        .collect();
    Ok(KpiReport { period, comparison_period, money_scale: scale, overall, stores })
}

/// Runs `f` for every store index, in parallel where available; results in store order.
pub(crate) fn per_store<T: Send>(sales: &Sales, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..sales.stores().len()).into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..sales.stores().len()).map(f).collect()
    }
}

/// The given period, or the data's date range (an empty table gives an error only when no
/// period is given).
pub(crate) fn resolve_period(sales: &Sales, period: Option<Period>) -> Result<Period> {
    match period {
        Some(p) => Ok(p),
        None => sales.date_range().ok_or_else(|| {
            Error::insufficient_data("the default period", "the table has no lines; pass an explicit period")
        }),
    }
}
