//! Integration tests of storelytics through its public API.

mod calendar;
mod forecast_models;
