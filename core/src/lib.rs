#![doc = include_str!("../README.md")]

pub mod anomaly;
pub mod calendar;
pub mod error;
pub mod forecast;

pub use error::{Error, Result};
