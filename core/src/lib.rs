#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod error;
pub mod forecast;
pub mod recommend;

pub use error::{Error, Result};
