//! Customer analytics: RFM scores and segments, k-means clusters and lifetime value.

mod lifetime;
mod lines;
mod rfm;
mod segments;

pub use lifetime::{
    BgNbdFit, BgNbdParams, CustomerValue, GammaGammaFit, GammaGammaParams, RepeatHistory, TimeUnit, ValueOptions,
    fit_bgnbd, fit_gamma_gamma, predict_values,
};
pub use segments::{Segment, SegmentMap, SegmentRule};
