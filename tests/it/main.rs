//! Integration tests of storelytics through its public API.

mod anomaly;
mod arima;
mod calendar;
mod customers;
mod dst;
mod errors;
mod ets;
mod forecast_models;
mod golden;
mod golden_forecast;
mod golden_generated;
mod io;
mod properties;
mod recommend;
mod series;
