//! Integration tests of storelytics through its public API.

mod calendar;
mod dst;
mod errors;
mod golden;
mod io;
mod properties;
