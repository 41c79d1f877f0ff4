//! Integration tests of storelytics through its public API.

mod anomaly;
mod calendar;
