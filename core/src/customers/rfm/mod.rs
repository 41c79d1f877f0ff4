//! RFM: recency, frequency and monetary value per (store, customer), quintile scores and
//! named segments.

mod aggregate;
mod quantiles;
mod score;

pub(crate) use quantiles::MAX_BINS;
