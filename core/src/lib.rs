#![doc = include_str!("../README.md")]

pub mod anomaly;
pub mod calendar;
pub mod customers;
pub mod decompose;
pub mod domain;
pub mod error;
pub mod forecast;
#[cfg(feature = "generator")]
pub mod generator;
pub mod ids;
pub mod money;
mod numeric;
mod optim;
pub mod recommend;
pub mod sales;

/// The polars version storelytics reads from (feature `polars`).
#[cfg(feature = "polars")]
pub use polars;

pub use calendar::{Comparison, Granularity, Period};
pub use domain::{Metric, Product};
pub use error::{Error, Result};
pub use ids::{Dictionary, Id};
pub use money::Money;
pub use sales::{Sales, SalesBuilder};
pub mod kpi;
mod metrics;
pub mod rank;
pub mod trend;

pub use kpi::{KpiOptions, KpiReport, kpi_report};
pub use metrics::Totals;
pub use rank::{Entity, RankOptions, Ranking, rank};
pub use trend::{Trend, TrendOptions, trend};
