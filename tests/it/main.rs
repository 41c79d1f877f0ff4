//! Integration tests of storelytics through its public API.

mod arima;
mod calendar;
