//! Demand forecasts for the top products of a store: daily units per product, forecast with
//! the automatic model choice (intermittent products go to the Croston family).

use chrono::NaiveDate;
use serde::Serialize;

use super::TimeSeries;
use super::auto::{AutoChoice, AutoOptions, auto_forecast_many};
use crate::calendar::{Granularity, Period, date_of};
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::sales::Sales;

/// Options of [`top_product_demand`].
#[derive(Debug, Clone)]
pub struct DemandOptions {
    /// How many products, by net units sold in the period (default 10).
    pub top_n: usize,
    /// Days to forecast (default 28).
    pub horizon: usize,
    /// History used; default the data's whole date range.
    pub period: Option<Period>,
    /// One store, or all stores together (default).
    pub store: Option<Id>,
    /// Model choice settings (default [`AutoOptions::default`], weekly season).
    pub auto: AutoOptions,
}

impl Default for DemandOptions {
    fn default() -> Self {
        DemandOptions { top_n: 10, horizon: 28, period: None, store: None, auto: AutoOptions::default() }
    }
}

/// Daily net units of one product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductDemand {
    /// The product.
    pub product: Id,
    /// Net units sold in the period.
    pub total_units: f64,
    /// First day of `daily_units`.
    pub start: NaiveDate,
    /// Net units per day (returns subtract), zero on days without sales.
    pub daily_units: Vec<f64>,
}

/// A product's demand forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductDemandForecast {
    /// The product and its history.
    pub demand: ProductDemand,
    /// First forecast day (the day after the history).
    pub forecast_start: NaiveDate,
    /// The chosen model, its forecast with intervals and every candidate's scores.
    pub choice: AutoChoice,
}

/// Daily net units of the `top_n` products with the most net units, in descending order.
///
/// Days are store-local calendar days; the series cover every day of the period.
pub fn product_daily_units(sales: &Sales, options: &DemandOptions) -> Result<Vec<ProductDemand>> {
    let scoped = match &options.store {
        Some(id) => sales.for_store(id)?,
        None => sales.clone(),
    };
    let Some(range) = options.period.or_else(|| scoped.date_range()) else {
        return Err(Error::insufficient_data("product demand", "there are no sales lines"));
    };
    let scoped = scoped.filter_period(&range);
    let (first, last) = (range.start_day(), range.end_day());
    let days = (last - first + 1).max(0) as usize;
    let n_products = scoped.products().len();
    let mut totals = vec![0i64; n_products];
    for (&p, &q) in scoped.product_codes().iter().zip(scoped.quantities_milli()) {
        if let Some(t) = totals.get_mut(p as usize) {
            *t += q;
        }
    }
    let mut order: Vec<usize> = (0..n_products).filter(|&p| totals[p] > 0).collect();
    order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(a.cmp(&b)));
    order.truncate(options.top_n);
    let mut slot = vec![usize::MAX; n_products];
    for (i, &p) in order.iter().enumerate() {
        slot[p] = i;
    }
    let mut series = vec![vec![0.0; days]; order.len()];
    for ((&p, &q), &d) in scoped.product_codes().iter().zip(scoped.quantities_milli()).zip(scoped.days()) {
        let Some(&i) = slot.get(p as usize) else { continue };
        if i != usize::MAX && d >= first && d <= last {
            series[i][(d - first) as usize] += q as f64 / 1000.0;
        }
    }
    Ok(order
        .iter()
        .zip(series)
        .map(|(&p, daily_units)| ProductDemand {
            product: scoped.products().id(p as u32),
            total_units: totals[p] as f64 / 1000.0,
            start: date_of(first),
            daily_units,
        })
        .collect())
}

/// Forecasts the daily demand of the top products with the automatic model choice (weekly
/// season; intermittent products are routed to the intermittent-demand models).
///
/// ```
/// use storelytics::SalesBuilder;
/// use storelytics::forecast::demand::{DemandOptions, top_product_demand};
/// let days: Vec<String> = (1..=28).map(|d| format!("2024-02-{d:02}")).collect();
/// let sales = SalesBuilder::new()
///     .order_id((0..28i64).collect::<Vec<_>>())
///     .timestamp(days)
///     .product_id(vec!["coffee"; 28])
///     .quantity((0..28).map(|d| 2.0 + (d % 7) as f64).collect::<Vec<_>>())
///     .unit_price(vec![3.0; 28])
///     .build()
///     .unwrap();
/// let out = top_product_demand(&sales, &DemandOptions { horizon: 7, ..Default::default() }).unwrap();
/// assert_eq!(out[0].choice.forecast.mean.len(), 7);
/// ```
pub fn top_product_demand(sales: &Sales, options: &DemandOptions) -> Result<Vec<ProductDemandForecast>> {
    let demand = product_daily_units(sales, options)?;
    let series: Vec<TimeSeries> = demand
        .iter()
        .map(|d| TimeSeries::new(d.product.to_string(), d.start, Granularity::Day, d.daily_units.clone(), 7))
        .collect::<Result<_>>()?;
    let choices = auto_forecast_many(&series, options.horizon, &options.auto);
    demand
        .into_iter()
        .zip(choices)
        .map(|(demand, choice)| {
            let forecast_start = Granularity::Day.advance(demand.start, demand.daily_units.len() as i64);
            Ok(ProductDemandForecast { demand, forecast_start, choice: choice? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sales::SalesBuilder;

    #[test]
    fn top_products_and_daily_units_with_returns() {
        let sales = SalesBuilder::new()
            .order_id(vec![1i64, 2, 3, 4, 5])
            .timestamp(vec!["2024-03-01", "2024-03-01", "2024-03-03", "2024-03-04", "2024-03-04"])
            .product_id(vec!["a", "b", "a", "a", "c"])
            .quantity(vec![2.0, 1.0, 3.0, -1.0, 1.5])
            .unit_price(vec![1.0; 5])
            .build()
            .unwrap();
        let d = product_daily_units(&sales, &DemandOptions { top_n: 2, ..Default::default() }).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].product.to_string(), "a");
        assert_eq!(d[0].daily_units, vec![2.0, 0.0, 3.0, -1.0]);
        assert_eq!(d[0].total_units, 4.0);
        assert_eq!(d[1].product.to_string(), "c");
        let f = top_product_demand(&sales, &DemandOptions { top_n: 1, horizon: 3, ..Default::default() }).unwrap();
        assert_eq!(f[0].forecast_start, NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
        assert_eq!(f[0].choice.forecast.mean.len(), 3);
    }
}
