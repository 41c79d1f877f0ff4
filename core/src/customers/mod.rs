//! Customer analytics: RFM scores and segments, k-means clusters and lifetime value.
//!
//! - [`rfm`]: recency, frequency, monetary value, quintile scores and named segments per
//!   (store, customer), with [`RfmTable::segment_summary`];
//! - [`fit_bgnbd`], [`fit_gamma_gamma`] and [`predict_values`]: lifetime value from repeat
//!   histories (BG/NBD + Gamma-Gamma), or [`lifetime_value`] straight from sales;
//! - [`cluster_customers`]: k-means clusters on standardised log R/F/M with profiles.

mod clusters;
mod lifetime;
mod lines;
mod rfm;
mod segments;

pub use clusters::{ClusterOptions, ClusterProfile, CustomerClusters, KMeansFit, cluster_customers, kmeans};
pub use lifetime::{
    BgNbdFit, BgNbdParams, CustomerLifetime, CustomerValue, GammaGammaFit, GammaGammaParams, LifetimeOptions,
    LifetimeTable, RepeatHistory, StoreLifetime, TimeUnit, ValueOptions, fit_bgnbd, fit_gamma_gamma, lifetime_value,
    predict_values,
};
pub use rfm::{CustomerRfm, RfmOptions, RfmTable, SegmentSummary, StoreRfm, quantile_scores, rfm};
pub use segments::{Segment, SegmentMap, SegmentRule};
