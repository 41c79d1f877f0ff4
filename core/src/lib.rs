#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod decompose;
pub mod error;
pub mod forecast;

pub use error::{Error, Result};
