//! Daily KPIs per store, computed by core's [`storelytics::trend`].

use storelytics::calendar::Period;
use storelytics::{Metric, Sales, TrendOptions, trend};

use crate::error::Result;
use crate::model::{DailyMetric, Store};

/// Per-day KPIs of `store` from its full sales history (`sales`, as returned by
/// [`crate::Repository::load_sales`] without a period, so that "new customer" means new to
/// the store), for the days of `period` (default: the data's date range).
pub fn daily_metrics(sales: &Sales, store: &Store, period: Option<Period>) -> Result<Vec<DailyMetric>> {
    if sales.is_empty() {
        return Ok(Vec::new());
    }
    let series = |metric: Metric| -> Result<Vec<Option<f64>>> {
        let t = trend(
            sales,
            &TrendOptions { metric, period, store: Some(store.code.clone()), moving_average: 0, ..Default::default() },
        )?;
        Ok(t.points.into_iter().map(|p| p.value).collect())
    };
    let days = trend(
        sales,
        &TrendOptions { period, store: Some(store.code.clone()), moving_average: 0, ..Default::default() },
    )?
    .points
    .into_iter()
    .map(|p| p.start)
    .collect::<Vec<_>>();
    let unit = 10f64.powi(store.money_scale as i32);
    let money = |v: Option<f64>| v.map(|x| (x * unit).round() as i64);
    let milli = |v: Option<f64>| v.map(|x| (x * 1000.0).round() as i64).unwrap_or(0);
    let count = |v: Option<f64>| v.map(|x| x.round() as i64).unwrap_or(0);
    let gross = series(Metric::GrossRevenue)?;
    let returns = series(Metric::Returns)?;
    let net = series(Metric::NetRevenue)?;
    let cost = series(Metric::Cost)?;
    let orders = series(Metric::Orders)?;
    let units = series(Metric::Units)?;
    let returned = series(Metric::ReturnedUnits)?;
    let customers = series(Metric::UniqueCustomers)?;
    let new_customers = series(Metric::NewCustomers)?;
    let at = |v: &[Option<f64>], i: usize| v.get(i).copied().flatten();
    Ok(days
        .into_iter()
        .enumerate()
        .map(|(i, day)| DailyMetric {
            day,
            gross_revenue: money(at(&gross, i)).unwrap_or(0),
            returns: money(at(&returns, i)).unwrap_or(0),
            net_revenue: money(at(&net, i)).unwrap_or(0),
            cost: money(at(&cost, i)),
            orders: count(at(&orders, i)),
            units_milli: milli(at(&units, i)),
            returned_units_milli: milli(at(&returned, i)),
            customers: count(at(&customers, i)),
            new_customers: count(at(&new_customers, i)),
        })
        .collect())
}
